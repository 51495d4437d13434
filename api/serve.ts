import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { PipelineDeps } from '../engine/pipeline.js';
import type { ReportFormat } from '../model/reportFormats.js';
import { createApiApp } from './app.js';
import { InProcessScans, SinkRunCatalogue } from './local.js';
import { bearerTokenAuth, type LogLine, requestLog } from './middleware.js';
import type { ScanLaunchRequest } from './ports.js';

/** A listening HTTP server. */
export interface ListeningServer {
  /** `http://127.0.0.1:PORT`, with the port the system chose when asked for port 0. */
  readonly url: string;
  /** Stops accepting connections and closes idle ones; resolves once the server is closed. */
  close(): Promise<void>;
}

/** Serves the app on host:port; resolves once the server listens, rejects when it cannot (port in use). */
export function listen(app: Hono, host: string, port: number): Promise<ListeningServer> {
  const server = createAdaptorServer({ fetch: app.fetch, createServer });
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error })),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
  });
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token clients present; never logged. */
  readonly token: string;
  /** The pipeline's dependencies for a run, as the CLI builds them for `kubeline scan`. */
  readonly compose: (request: ScanLaunchRequest) => Promise<PipelineDeps>;
  readonly formats: readonly ReportFormat[];
  readonly clock: () => Date;
  /** A monotonic clock in milliseconds, for request durations. */
  readonly elapsed: () => number;
  readonly log: (line: LogLine) => void;
  readonly newRunId?: (startedAt: Date) => string;
}

/** `kubeline serve` while it runs. */
export interface Serving {
  readonly url: string;
  /** Stops taking requests, then waits for the scans in progress to publish. */
  stop(): Promise<void>;
}

/** Starts the HTTP API with scans run in this process and runs read back from the first sink. */
export async function startServe(options: ServeOptions): Promise<Serving> {
  // Composed once up front: a configuration that cannot scan fails now, not on the first request.
  const probe = await options.compose({});
  await Promise.allSettled(probe.sources.map((source) => source.close?.()));
  const scans = new InProcessScans({
    compose: options.compose,
    formats: options.formats,
    clock: options.clock,
    log: options.log,
    ...(options.newRunId ? { newRunId: options.newRunId } : {}),
  });
  const app = createApiApp({
    launcher: scans,
    catalogue: new SinkRunCatalogue(probe.sinks[0], scans),
    middleware: [requestLog(options.log, options.elapsed), bearerTokenAuth(options.token)],
    onUnexpectedError: (error, request) =>
      options.log({
        event: 'error',
        method: request.method,
        path: request.path,
        error: error instanceof Error ? error.message : String(error),
      }),
  });
  const server = await listen(app, options.host, options.port);
  return {
    url: server.url,
    stop: async () => {
      await server.close();
      await scans.idle();
    },
  };
}

/** Resolves with the name of the first of these signals the process receives. */
export function untilSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const name of signals) process.off(name, handler);
      resolve(signal);
    };
    for (const name of signals) process.once(name, handler);
  });
}
