import type { MiddlewareHandler } from 'hono';
import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createApiApp } from '../api/app.js';
import { SinkRunCatalogue } from '../api/local.js';
import { type LogLine, requestLog } from '../api/middleware.js';
import {
  ExecutionAwareCatalogue,
  StepFunctionsLauncher,
  stateMachineArnFrom,
  stepFunctionsClientFor,
} from '../api/stepFunctionsLauncher.js';
import { sinkFor } from '../cli/compose.js';
import { loadConfig } from '../config/load.js';
import { functionLogger, REPORT_URI_VARIABLE } from './runtime.js';

type Env = Readonly<Record<string, string | undefined>>;
/** An API Gateway HTTP API event, payload format 2.0. */
export type HttpApiEvent = Extract<LambdaEvent, { rawPath: string }>;
export type HttpHandler = (event: HttpApiEvent, context?: LambdaContext) => Promise<APIGatewayProxyResult>;

export interface HttpFunctionOptions {
  /** Read on the first invocation: KUBELINE_CONFIG, KUBELINE_STATE_MACHINE_ARN, AWS_ENDPOINT_URL. */
  readonly env: Env;
  readonly log: (line: LogLine) => void;
  readonly clock?: () => Date;
  /** A monotonic clock in milliseconds, for request durations. */
  readonly elapsed?: () => number;
  readonly newRunId?: (startedAt: Date) => string;
}

/** The JWT claims API Gateway's authorizer put on the event; undefined when there are none. */
function jwtClaimsOf(lambdaEnv: unknown): Readonly<Record<string, unknown>> | undefined {
  const event = (lambdaEnv as { event?: HttpApiEvent } | undefined)?.event;
  const claims: unknown = event?.requestContext?.authorizer?.jwt?.claims;
  return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
}

/**
 * Trusts API Gateway's JWT authorizer, which has checked the token before the function runs.
 * Requiring its claims is defence in depth: a route deployed without the authorizer answers 401.
 * Logs the caller's `sub`, never the token.
 */
export function apiGatewayJwtAuth(log: (line: LogLine) => void): MiddlewareHandler {
  return async (c, next) => {
    const claims = jwtClaimsOf(c.env);
    if (claims === undefined) {
      log({ event: 'unauthenticated', method: c.req.method, path: c.req.path });
      return c.json({ error: 'the request carries no verified JWT claims' }, 401);
    }
    const sub = claims.sub;
    log({
      event: 'caller',
      method: c.req.method,
      path: c.req.path,
      sub: typeof sub === 'string' || typeof sub === 'number' ? String(sub) : null,
    });
    return next();
  };
}

/** The HTTP API over Step Functions and the first sink of the configuration. */
async function buildHandler(options: HttpFunctionOptions): Promise<HttpHandler> {
  const clock = options.clock ?? (() => new Date());
  const stateMachineArn = stateMachineArnFrom(options.env);
  const { config, source } = await loadConfig(undefined, options.env);
  // The stack's report bucket, where the state machine publishes; else the configuration's first sink.
  const firstSink = options.env[REPORT_URI_VARIABLE]?.trim() || config.output?.sinks?.[0];
  if (firstSink === undefined) {
    throw new Error(
      `${REPORT_URI_VARIABLE} is not set and ${source} names no output.sinks; the HTTP function reads runs from the report bucket`,
    );
  }
  const sink = await sinkFor(firstSink, { config, env: options.env });
  const launcher = new StepFunctionsLauncher({
    client: stepFunctionsClientFor(stateMachineArn, options.env),
    stateMachineArn,
    clock,
    ...(options.newRunId ? { newRunId: options.newRunId } : {}),
  });
  const app = createApiApp({
    launcher,
    catalogue: new ExecutionAwareCatalogue(new SinkRunCatalogue(sink), launcher),
    middleware: [
      requestLog(options.log, options.elapsed ?? (() => performance.now())),
      apiGatewayJwtAuth(options.log),
    ],
    onUnexpectedError: (error, request) =>
      options.log({ event: 'error', method: request.method, path: request.path, error: describe(error) }),
  });
  return handle(app);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Lambda handler that builds its dependencies on the first invocation and keeps them for the
 * container's life. A build that fails is logged, answered with 500 and tried again next time.
 */
export function createHttpHandler(options: HttpFunctionOptions): HttpHandler {
  let built: Promise<HttpHandler> | undefined;
  return async (event, context) => {
    built ??= buildHandler(options);
    let handler: HttpHandler;
    try {
      handler = await built;
    } catch (error) {
      built = undefined;
      options.log({ event: 'error', phase: 'startup', error: describe(error) });
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'internal error' }),
        isBase64Encoded: false,
      };
    }
    return handler(event, context);
  };
}

/** The `http` function: POST /scans, GET /scans, GET /scans/{runId} behind API Gateway. */
const logger = functionLogger('http');
export const handler = createHttpHandler({
  env: process.env,
  log: (line) => logger.info(String(line.event ?? 'request'), { ...line }),
});
