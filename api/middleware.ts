import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** One structured log line; the caller writes it as JSON. */
export type LogLine = Readonly<Record<string, string | number | boolean | null>>;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Bearer-token authentication for `kubeline serve`. Both tokens are hashed first so the
 * comparison takes the same time whatever the length or content of the token presented.
 */
export function bearerTokenAuth(expectedToken: string): MiddlewareHandler {
  if (expectedToken.length === 0) throw new Error('bearerTokenAuth needs a non-empty token');
  const expected = digest(expectedToken);
  return async (c, next) => {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '');
    const presented = match?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="kubeline"');
      return c.json({ error: 'a valid bearer token is required' }, 401);
    }
    return next();
  };
}

/** Logs one line per request: method, path, status and duration; never headers, so never the token. */
export function requestLog(log: (line: LogLine) => void, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const started = now();
    await next();
    const runId = c.res.headers.get('Location')?.split('/').pop();
    log({
      event: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: now() - started,
      ...(runId ? { runId: decodeURIComponent(runId) } : {}),
    });
  };
}
