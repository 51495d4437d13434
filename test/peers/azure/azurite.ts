import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import {
  BlobServiceClient,
  type ContainerClient,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AZURITE_ACCOUNT_KEY } from '../../../sinks/azureBlob.js';
import { terminate } from '../childProcess.js';

/** Azurite's development account, the one its well-known key belongs to. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';

const READY_TIMEOUT_MS = 20_000;
const LOG_TAIL_CHARS = 4_000;
const LISTENING = /successfully listens on (https?:\/\/\S+)/;

/** A running Azurite blob service, and an admin client that signs with the development key. */
export interface Azurite {
  /** The account's blob endpoint, path-style: `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly blobEndpoint: string;
  readonly port: number;
  /** A client with the development key, for preparing and reading past the sink. */
  readonly admin: BlobServiceClient;
  /** Options every client of this Azurite needs (the CA of its https mode). */
  readonly clientOptions: StoragePipelineOptions;
  /** A new, empty, private container. */
  createContainer(): Promise<ContainerClient>;
  stop(): Promise<void>;
}

/** Azurite in https mode with `--oauth basic`, which accepts Entra-shaped bearer tokens. */
export interface AzuriteTls {
  readonly key: string;
  readonly cert: string;
  /** The CA clients trust. */
  readonly ca: string;
}

function azuriteBlobMain(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('azurite/package.json');
  } catch {
    throw new Error('Azurite is not installed: `npm ci` installs it (devDependency azurite@3.35.0)');
  }
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin['azurite-blob'] ?? 'dist/src/blob/main.js');
}

/** Resolves with the endpoint Azurite prints once it listens; rejects if it exits or stays silent. */
function listening(child: ChildProcess, tail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not listen within ${READY_TIMEOUT_MS / 1000} s: ${tail()}`)),
      READY_TIMEOUT_MS,
    );
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      outcome();
    };
    child.stdout?.on('data', () => {
      const endpoint = LISTENING.exec(tail())?.[1];
      if (endpoint !== undefined) settle(() => resolve(endpoint));
    });
    child.once('error', (error) =>
      settle(() => reject(new Error(`Azurite could not start: ${error.message}`))),
    );
    child.once('exit', (code, signal) =>
      settle(() => reject(new Error(`Azurite exited (${code ?? signal}) before listening: ${tail()}`))),
    );
  });
}

/**
 * Starts Azurite's blob service on 127.0.0.1 with a port the kernel picks, in memory, and waits for
 * its "successfully listens" line. `--skipApiVersionCheck`: @azure/storage-blob 12.32 speaks API
 * 2026-04-06, newer than Azurite 3.35 knows; `--disableTelemetry`: a test makes no outside call.
 */
export async function startAzurite(options: { readonly tls?: AzuriteTls } = {}): Promise<Azurite> {
  const certFolder = options.tls ? await mkdtemp(path.join(tmpdir(), 'kubeline-azurite-')) : undefined;
  const tlsArgs: string[] = [];
  if (options.tls && certFolder) {
    await writeFile(path.join(certFolder, 'cert.pem'), options.tls.cert);
    await writeFile(path.join(certFolder, 'key.pem'), options.tls.key);
    tlsArgs.push(
      ...['--cert', path.join(certFolder, 'cert.pem'), '--key', path.join(certFolder, 'key.pem')],
      ...['--oauth', 'basic'],
    );
  }
  const child = spawn(
    process.execPath,
    [
      azuriteBlobMain(),
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      ...['--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry'],
      '--disableProductStyleUrl',
      ...tlsArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await terminate(child);
    if (certFolder) await rm(certFolder, { recursive: true, force: true });
  };

  let endpoint: string;
  try {
    endpoint = await listening(child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const clientOptions = azuriteClientOptions(options.tls?.ca);
  const blobEndpoint = `${endpoint}/${AZURITE_ACCOUNT}`;
  const admin = new BlobServiceClient(
    blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
    clientOptions,
  );
  let containers = 0;
  return {
    blobEndpoint,
    port: Number(new URL(endpoint).port),
    admin,
    clientOptions,
    async createContainer() {
      containers += 1;
      const container = admin.getContainerClient(`kubeline-${containers}`);
      await container.create();
      return container;
    },
    stop,
  };
}

/**
 * Client options for Azurite: one attempt (a test sees the first failure), and in https mode its CA.
 * StoragePipelineOptions does not declare `tlsOptions`, but the SDK hands its options on to
 * core-rest-pipeline, which applies them: the CA stays per client, never process-wide.
 */
function azuriteClientOptions(ca: string | undefined): StoragePipelineOptions {
  const options: StoragePipelineOptions & { tlsOptions?: { ca: string } } = {
    retryOptions: { maxTries: 1 },
    ...(ca === undefined ? {} : { tlsOptions: { ca } }),
  };
  return options;
}

/**
 * An Entra-shaped bearer token for Azurite's `--oauth basic`, which checks the audience, the issuer
 * and the validity window but no signature. Dated from 2000 to 2099 so no clock is read.
 */
export function azuriteTokenCredential(): TokenCredential {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const tenant = '00000000-0000-4000-8000-0000000000aa';
  const token = [
    part({ alg: 'none', typ: 'JWT' }),
    part({
      aud: 'https://storage.azure.com',
      iss: `https://sts.windows.net/${tenant}/`,
      iat: 946_684_800,
      nbf: 946_684_800,
      exp: 4_102_444_800,
      oid: '00000000-0000-4000-8000-0000000000bb',
      tid: tenant,
    }),
    'dGVzdA',
  ].join('.');
  return { getToken: async () => ({ token, expiresOnTimestamp: 4_102_444_800_000 }) };
}

/** One request as the proxy saw it: the method and the path with its query. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
}

/** A fault: answer matching requests with an Azure error instead of forwarding them. */
export interface BlobFault {
  readonly method: string;
  /** Matches the request path (without query), e.g. `/devstoreaccount1/kubeline-1/latest.json`. */
  readonly path: RegExp;
  readonly status: number;
  readonly code: string;
  /** How many matching requests fail; then they pass again. */
  readonly times: number;
}

/** A recording HTTP proxy in front of Azurite, which can fail chosen requests. */
export interface BlobProxy {
  /** The account's blob endpoint through the proxy. */
  readonly blobEndpoint: string;
  readonly requests: readonly ProxiedRequest[];
  fail(fault: BlobFault): void;
  close(): Promise<void>;
}

function faultBody(code: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Injected by the test proxy.</Message></Error>`;
}

/**
 * Starts a proxy on a free loopback port that forwards to Azurite. Shared-key signatures cover the
 * path, not the host, so requests pass unchanged; every request is recorded in order.
 */
export async function startBlobProxy(azurite: Azurite): Promise<BlobProxy> {
  const requests: ProxiedRequest[] = [];
  const faults: { fault: BlobFault; left: number }[] = [];
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: azurite.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: `127.0.0.1:${azurite.port}` },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  };
  const server: Server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    requests.push({ method, url });
    const pathOnly = url.split('?')[0] ?? url;
    const active = faults.find(
      (entry) => entry.left > 0 && entry.fault.method === method && entry.fault.path.test(pathOnly),
    );
    if (active === undefined) {
      forward(incoming, outgoing);
      return;
    }
    active.left -= 1;
    incoming.resume();
    incoming.on('end', () => {
      outgoing.writeHead(active.fault.status, {
        'content-type': 'application/xml',
        'x-ms-error-code': active.fault.code,
      });
      outgoing.end(faultBody(active.fault.code));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    requests,
    fail(fault) {
      faults.push({ fault, left: fault.times });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
