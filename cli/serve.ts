import { parseArgs } from 'node:util';
import { dayOf } from '../model/dates.js';
import { DEFAULT_REPORT_FORMATS } from '../model/reportFormats.js';
import { configurationFor } from './configuration.js';
import { UsageError } from './errors.js';
import { type CliIo, EXIT } from './io.js';
import { packageInfo } from './packageInfo.js';

/** The variable that holds the bearer token `kubeline serve` requires of its clients. */
export const SERVE_TOKEN_VARIABLE = 'KUBELINE_SERVE_TOKEN';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8080;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port takes a port number from 0 to 65535; got ${JSON.stringify(value)}`);
  }
  return port;
}

/** `kubeline serve`: the HTTP API until SIGINT or SIGTERM. */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      from: { type: 'string', multiple: true },
      out: { type: 'string' },
      'no-in-cluster': { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  });
  const token = io.env[SERVE_TOKEN_VARIABLE]?.trim();
  if (!token) {
    throw new UsageError(
      `serve needs a bearer token for its clients in ${SERVE_TOKEN_VARIABLE}; it is not set`,
    );
  }
  const port = parsePort(values.port);
  const host = values.host ?? '127.0.0.1';
  const now = io.now ?? (() => new Date());
  const config = await configurationFor(values.config, io.env, dayOf(now()), (notice) =>
    io.stderr(`kubeline: notice: ${notice}\n`),
  );
  // Loaded here, not at the top: the token and the configuration are checked before the server loads.
  const [{ composeScan }, { startServe, untilSignal }] = await Promise.all([
    import('./compose.js'),
    import('../api/serve.js'),
  ]);
  const log = (line: Readonly<Record<string, unknown>>) => io.stderr(`${JSON.stringify(line)}\n`);
  const serving = await startServe({
    host,
    port,
    token,
    compose: () =>
      composeScan(config, {
        from: values.from ?? [],
        providers: [],
        out: values.out,
        tool: packageInfo(),
        env: io.env,
        ...(values['no-in-cluster'] ? { inCluster: false } : {}),
      }),
    formats: config.output?.formats ?? DEFAULT_REPORT_FORMATS,
    clock: now,
    elapsed: () => performance.now(),
    log,
  });
  log({ event: 'listening', url: serving.url });
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  log({ event: 'stopping', signal });
  await serving.stop();
  log({ event: 'stopped' });
  return EXIT.ok;
}
