import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { PROVIDERS } from '../model/posture.js';
import { isFullScan, type RunCatalogue, type ScanLauncher, type ScanLaunchRequest } from './ports.js';

/** Request bodies larger than this get 413: a scan request is a few names, never megabytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** `GET /scans` returns at most this many runs. */
export const RECENT_RUNS_LIMIT = 50;

const NAME = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const NAME_LIST = z.array(NAME).min(1, 'must name at least one').max(1000, 'must name at most 1000');

const scanRequestSchema = z.strictObject({
  providers: z.array(z.enum(PROVIDERS)).min(1, 'must name at least one').optional(),
  scopes: NAME_LIST.optional(),
  clusters: NAME_LIST.optional(),
  notify: z.boolean().optional(),
});

/** What the app needs: the two ports, and middleware (request log, authentication) run before every route. */
export interface ApiDeps {
  readonly launcher: ScanLauncher;
  readonly catalogue: RunCatalogue;
  readonly middleware: readonly MiddlewareHandler[];
  /** Told of an error no route handled; the client gets only `internal error`. */
  readonly onUnexpectedError: (error: unknown, request: { method: string; path: string }) => void;
}

type Parsed = { readonly request: ScanLaunchRequest } | { readonly problem: string };

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path.length > 0 ? `${path}: ${issue.message}` : issue.message;
}

/** An empty body is a full scan with the defaults, so `curl -X POST` works. */
function parseScanRequest(text: string): Parsed {
  if (text.trim().length === 0) return { request: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = scanRequestSchema.safeParse(value);
  if (!result.success) return { problem: result.error.issues.map(describeIssue).join('; ') };
  const { providers, scopes, clusters, notify } = result.data;
  return {
    request: {
      ...(providers ? { providers } : {}),
      ...(scopes ? { scopes } : {}),
      ...(clusters ? { clusters } : {}),
      ...(notify === undefined ? {} : { notify }),
    },
  };
}

function methodNotAllowed(allow: string): MiddlewareHandler {
  return async (c) => {
    c.header('Allow', allow);
    return c.json({ error: `${c.req.method} is not allowed on ${c.req.path}; use ${allow}` }, 405);
  };
}

/** The HTTP API: the same app on `kubeline serve` and behind API Gateway. */
export function createApiApp(deps: ApiDeps): Hono {
  const app = new Hono();
  for (const middleware of deps.middleware) app.use('*', middleware);

  app.post(
    '/scans',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: `the body is larger than ${MAX_BODY_BYTES} bytes` }, 413),
    }),
    async (c) => {
      const parsed = parseScanRequest(await c.req.text());
      if ('problem' in parsed) return c.json({ error: parsed.problem }, 400);
      const launch = await deps.launcher.start(parsed.request);
      if (launch.state === 'busy') {
        return c.json({ error: 'a full scan is already running', runId: launch.runningRunId }, 409);
      }
      const location = `/scans/${encodeURIComponent(launch.runId)}`;
      c.header('Location', location);
      return c.json({ runId: launch.runId, location, fullScan: isFullScan(parsed.request) }, 202);
    },
  );
  app.get('/scans', async (c) => c.json({ runs: await deps.catalogue.recent(RECENT_RUNS_LIMIT) }));
  app.get('/scans/:runId', async (c) => {
    const runId = c.req.param('runId');
    const run = await deps.catalogue.get(runId);
    return run ? c.json(run) : c.json({ error: `no run ${runId}` }, 404);
  });
  app.all('/scans', methodNotAllowed('GET, POST'));
  app.all('/scans/:runId', methodNotAllowed('GET'));

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  // The cause goes to the log, never to the client: it may name internal paths.
  app.onError((error, c) => {
    deps.onUnexpectedError(error, { method: c.req.method, path: c.req.path });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
