import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  AnonymousCredential,
  BlobServiceClient,
  type ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { composeScan } from '../../cli/compose.js';
import { exitCodeFor, type PipelineDeps, runScan, type ScanOutcome } from '../../engine/pipeline.js';
import type { ReportSink } from '../../engine/ports.js';
import { REPORT_FORMATS, type ReportFormat } from '../../model/reportFormats.js';
import {
  AzureBlobSink,
  type AzureBlobSinkOptions,
  createAzureBlobSink,
  parseAzureBlobUri,
} from '../../sinks/azureBlob.js';
import { SinkConfigError, SinkError } from '../../sinks/errors.js';
import { MemorySink } from '../fixtures/memorySink.js';
import {
  AZURITE_ACCOUNT,
  type Azurite,
  azuriteTokenCredential,
  type BlobProxy,
  startAzurite,
  startBlobProxy,
} from '../peers/azure/azurite.js';
import { generatePeerTls, type PeerTls } from '../peers/azure/tls.js';
import { awkwardPieces, describeSinkConformance, piecesBody } from './conformance.js';

const FLEET = fileURLToPath(new URL('../../examples/fleet', import.meta.url));
const TOOL = { name: 'kubeline', version: '0.0.0-test' };
/**
 * Azurite checks a SAS's expiry against its own clock (real, or faked by the suite); a sink clock
 * far ahead of it keeps links valid, and one far behind makes them expired, without reading a clock.
 */
const FUTURE_CLOCK = () => new Date('2099-01-01T00:00:00Z');
const PAST_CLOCK = () => new Date('2020-01-01T00:00:00Z');
/** Short waits between attempts, so failure tests stay fast; the retry count is the production one. */
const QUICK_RETRY: AzureBlobSinkOptions = { retryDelayMs: 20, clock: FUTURE_CLOCK };
const TEXT_FILES = [
  'report.html',
  'report.md',
  'report.json',
  'findings.csv',
  'junit.xml',
  'findings.ocsf.json',
];
// Printed by the host's Chromium and stored as bytes: the one binary file of a run. Only the
// byte-exact scan prints it; the fallback and race scans leave it out, as printing is slow.
const ALL_FILES = [...TEXT_FILES, 'report.pdf'];
const TEXT_FORMATS = REPORT_FORMATS.filter((format) => format !== 'pdf');
const WRONG_KEY = Buffer.from('not the development account key').toString('base64');

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a blob past the sink, with the admin client; undefined when it does not exist. */
async function readRaw(container: ContainerClient, name: string): Promise<Buffer | undefined> {
  try {
    return await container.getBlockBlobClient(name).downloadToBuffer();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

async function headersOf(container: ContainerClient, name: string) {
  const properties = await container.getBlockBlobClient(name).getProperties();
  return { contentType: properties.contentType, contentDisposition: properties.contentDisposition };
}

/** A loopback port nothing listens on: bound by the kernel, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A server that accepts connections and never answers: an endpoint that hangs. */
async function silentServer(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The operation's outcome, or 'hung' if it takes longer than the bound. */
function within<T>(operation: Promise<T>, boundMs: number): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), boundMs);
  });
  return Promise.race([operation, bound]).finally(() => clearTimeout(timer));
}

async function rejection(operation: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await operation;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  assert.fail('the operation resolved');
}

/** One GET over https that trusts only the peer's CA (fetch cannot be given a CA). */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The scan of the example fleet, publishing to one sink with the given clock and run id. */
async function fleetScan(
  sink: ReportSink,
  fallback: MemorySink,
  startedAt: string,
  runId: string,
): Promise<PipelineDeps> {
  const composed = await composeScan({}, { from: [FLEET], providers: [], out: undefined, tool: TOOL });
  return {
    ...composed,
    sinks: [sink],
    fallback,
    clock: () => new Date(startedAt),
    newRunId: () => runId,
  };
}

async function scanFleet(
  sink: ReportSink,
  fallback: MemorySink,
  startedAt: string,
  runId: string,
  formats: readonly ReportFormat[] = TEXT_FORMATS,
) {
  return runScan(await fleetScan(sink, fallback, startedAt, runId), {
    trigger: 'cli',
    formats: [...formats],
  });
}

/** The run's folder in the sink: where its first file went. */
function folderOf(outcome: ScanOutcome): string {
  return outcome.files[0]?.key.replace(/\/[^/]+$/, '') ?? assert.fail('the run wrote no file');
}

describe('sinks: Azure Blob sink URIs', () => {
  it('reads azblob://account/container/prefix as the public cloud', () => {
    assert.deepEqual(parseAzureBlobUri('azblob://acmereports/kubeline/nightly/eu'), {
      serviceUrl: 'https://acmereports.blob.core.windows.net',
      account: 'acmereports',
      container: 'kubeline',
      prefix: 'nightly/eu',
      loopback: false,
    });
  });

  it('reads a container with no prefix, with or without a trailing slash', () => {
    const expected = {
      serviceUrl: 'https://acmereports.blob.core.windows.net',
      account: 'acmereports',
      container: 'kubeline',
      prefix: '',
      loopback: false,
    };
    assert.deepEqual(parseAzureBlobUri('azblob://acmereports/kubeline'), expected);
    assert.deepEqual(parseAzureBlobUri('azblob://acmereports/kubeline/'), expected);
    assert.deepEqual(parseAzureBlobUri('https://acmereports.blob.core.windows.net/kubeline/'), expected);
  });

  it('reads https URLs of the public and sovereign clouds, the account from the host', () => {
    assert.deepEqual(
      [
        'https://acmereports.blob.core.windows.net/kubeline/reports',
        'https://acmegov.blob.core.usgovcloudapi.net/kubeline/reports',
        'https://acmecn.blob.core.chinacloudapi.cn/kubeline/reports',
      ].map(parseAzureBlobUri),
      [
        {
          serviceUrl: 'https://acmereports.blob.core.windows.net',
          account: 'acmereports',
          container: 'kubeline',
          prefix: 'reports',
          loopback: false,
        },
        {
          serviceUrl: 'https://acmegov.blob.core.usgovcloudapi.net',
          account: 'acmegov',
          container: 'kubeline',
          prefix: 'reports',
          loopback: false,
        },
        {
          serviceUrl: 'https://acmecn.blob.core.chinacloudapi.cn',
          account: 'acmecn',
          container: 'kubeline',
          prefix: 'reports',
          loopback: false,
        },
      ],
    );
  });

  it("reads Azurite's path-style URL on a loopback host, over http or https", () => {
    assert.deepEqual(
      [
        'http://127.0.0.1:10000/devstoreaccount1/kubeline/reports',
        'https://localhost:10000/devstoreaccount1/kubeline',
        'http://[::1]:10000/devstoreaccount1/kubeline/a%20b',
      ].map(parseAzureBlobUri),
      [
        {
          serviceUrl: 'http://127.0.0.1:10000/devstoreaccount1',
          account: 'devstoreaccount1',
          container: 'kubeline',
          prefix: 'reports',
          loopback: true,
        },
        {
          serviceUrl: 'https://localhost:10000/devstoreaccount1',
          account: 'devstoreaccount1',
          container: 'kubeline',
          prefix: '',
          loopback: true,
        },
        {
          serviceUrl: 'http://[::1]:10000/devstoreaccount1',
          account: 'devstoreaccount1',
          container: 'kubeline',
          prefix: 'a b',
          loopback: true,
        },
      ],
    );
  });

  const malformed: readonly (readonly [string, string])[] = [
    [
      'not a uri',
      'not a uri: not a URL; use azblob://account/container/prefix or https://account.blob.core.windows.net/container/prefix',
    ],
    ['azblob://acmereports', 'azblob://acmereports: names no container'],
    [
      'azblob://Acme_Reports/kubeline',
      'azblob://Acme_Reports/kubeline: "Acme_Reports" is not a storage account name (3 to 24 lowercase letters and digits)',
    ],
    [
      'azblob://acmereports:443/kubeline',
      'azblob://acmereports:443/kubeline: azblob:// takes an account name, not a host and port',
    ],
    [
      'azblob://acmereports/Kubeline--Reports',
      'azblob://acmereports/Kubeline--Reports: "Kubeline--Reports" is not a container name (3 to 63 lowercase letters, digits and single hyphens)',
    ],
    [
      'azblob://acmereports/$web/reports',
      'azblob://acmereports/$web/reports: $web is the static website container, which anyone can read; reports stay private',
    ],
    [
      'azblob://acmereports/kubeline/a/../b',
      'azblob://acmereports/kubeline/a/../b: the prefix has an empty, "." or ".." segment',
    ],
    [
      'azblob://acmereports/kubeline/a//b',
      'azblob://acmereports/kubeline/a//b: the prefix has an empty, "." or ".." segment',
    ],
    [
      'azblob://acmereports/kubeline/%E0%A4%A',
      'azblob://acmereports/kubeline/%E0%A4%A: the path has a malformed %-escape',
    ],
    [
      'https://acmereports.blob.core.windows.net/kubeline?sv=2025-11-05&sig=c2VjcmV0',
      'https://acmereports.blob.core.windows.net/kubeline?…: a sink URI takes no query or fragment (never a SAS token): kubeline signs in itself',
    ],
    [
      'https://user:secret@acmereports.blob.core.windows.net/kubeline',
      'https://user:secret@acmereports.blob.core.windows.net/kubeline: a sink URI takes no user or password',
    ],
    [
      'http://acmereports.blob.core.windows.net/kubeline',
      'http://acmereports.blob.core.windows.net/kubeline: plain http is allowed only for a local test peer on a loopback address',
    ],
    [
      'https://kubeline-reports.example.com/kubeline',
      'https://kubeline-reports.example.com/kubeline: "kubeline-reports" is not a storage account name (3 to 24 lowercase letters and digits)',
    ],
    [
      'https://acmereports.blob.core.windows.net/kubeline/%2E%2E/other',
      'https://acmereports.blob.core.windows.net/kubeline/%2E%2E/other: the prefix has an empty, "." or ".." segment',
    ],
    [
      'ftp://acmereports/kubeline',
      'ftp://acmereports/kubeline: unsupported scheme ftp:// (use azblob:// or https://)',
    ],
  ];
  for (const [uri, message] of malformed) {
    it(`refuses ${uri} with one clear line`, () => {
      assert.throws(() => parseAzureBlobUri(uri), { name: 'SinkConfigError', message });
    });
  }

  it('never repeats a SAS token from a refused URI', () => {
    assert.throws(
      () => parseAzureBlobUri('https://acmereports.blob.core.windows.net/kubeline?sig=c2VjcmV0'),
      (error: unknown) => error instanceof SinkConfigError && !error.message.includes('c2VjcmV0'),
    );
  });

  it('refuses options that are not positive integers or exceed what the service takes', () => {
    const uri = 'azblob://acmereports/kubeline';
    const credential = azuriteTokenCredential();
    assert.deepEqual(
      [
        { maxTries: 0 },
        { retryDelayMs: 1.5 },
        { operationTimeoutMs: -1 },
        { singleShotBytes: 257 * 1024 * 1024 },
        { blockBytes: 4001 * 1024 * 1024 },
      ].map((options) => {
        try {
          createAzureBlobSink(uri, { ...options, credential });
          return 'accepted';
        } catch (error) {
          return error instanceof SinkConfigError ? error.message : String(error);
        }
      }),
      [
        `${uri}: option maxTries must be a positive integer, got 0`,
        `${uri}: option retryDelayMs must be a positive integer, got 1.5`,
        `${uri}: option operationTimeoutMs must be a positive integer, got -1`,
        `${uri}: option singleShotBytes is at most 268435456 bytes, got 269484032`,
        `${uri}: option blockBytes is at most 4194304000 bytes, got 4195352576`,
      ],
    );
  });

  it('names objects by their https URL in the cloud, and makes no request until used', () => {
    const sink = createAzureBlobSink('azblob://acmereports/kubeline/nightly/', {
      credential: azuriteTokenCredential(),
    });
    assert.deepEqual(
      { location: sink.location, report: sink.locate('runs/2026-11-29/r1/report.html') },
      {
        location: 'azblob://acmereports/kubeline/nightly',
        report: 'https://acmereports.blob.core.windows.net/kubeline/nightly/runs/2026-11-29/r1/report.html',
      },
    );
  });
});

describe('sinks: Azure Blob sink against Azurite', () => {
  let azurite: Azurite;

  before(async function () {
    this.timeout(30_000);
    azurite = await startAzurite();
  });

  after(async () => {
    await azurite?.stop();
  });

  /** A sink on a fresh container, through the factory as the CLI builds it. */
  async function freshSink(options: AzureBlobSinkOptions = { clock: FUTURE_CLOCK }, endpoint?: string) {
    const container = await azurite.createContainer();
    const location = `${endpoint ?? azurite.blobEndpoint}/${container.containerName}/reports`;
    return { container, location, sink: createAzureBlobSink(location, options) };
  }

  describeSinkConformance(
    'AzureBlobSink on Azurite',
    async () => {
      const { container, sink } = await freshSink();
      return { sink, readRaw: (key) => readRaw(container, `reports/${key}`) };
    },
    { links: true },
  );

  describe('objects', () => {
    it('stores the content type given and makes only downloads attachments', async () => {
      // Prepare
      const { container, sink } = await freshSink();
      const written = {
        'findings.csv': 'text/csv; charset=utf-8; header=present',
        'junit.xml': 'application/xml',
        'findings.ocsf.json': 'application/json',
        'report.html': 'text/html; charset=utf-8',
        'manifest.json': 'application/json',
      };
      // Act
      for (const [name, contentType] of Object.entries(written)) {
        await sink.put(`runs/d/r/${name}`, '{}', contentType);
      }
      await sink.putIfMatch('latest.json', '{}', 'application/json', null);
      // Assess
      const stored: Record<string, unknown> = {};
      for (const name of Object.keys(written))
        stored[name] = await headersOf(container, `reports/runs/d/r/${name}`);
      stored['latest.json'] = await headersOf(container, 'reports/latest.json');
      assert.deepEqual(stored, {
        'findings.csv': {
          contentType: 'text/csv; charset=utf-8; header=present',
          contentDisposition: 'attachment; filename="findings.csv"',
        },
        'junit.xml': {
          contentType: 'application/xml',
          contentDisposition: 'attachment; filename="junit.xml"',
        },
        'findings.ocsf.json': {
          contentType: 'application/json',
          contentDisposition: 'attachment; filename="findings.ocsf.json"',
        },
        'report.html': { contentType: 'text/html; charset=utf-8', contentDisposition: undefined },
        'manifest.json': { contentType: 'application/json', contentDisposition: undefined },
        'latest.json': { contentType: 'application/json', contentDisposition: undefined },
      });
    });

    it('keeps the container private: no public access, and no anonymous read', async () => {
      // Prepare
      const { container, sink } = await freshSink();
      await sink.put('runs/d/r/report.html', '<p>private</p>', 'text/html');
      // Act
      const policy = await container.getAccessPolicy();
      const anonymous = await fetch(sink.locate('runs/d/r/report.html'));
      const body = await anonymous.text();
      // Assess
      assert.deepEqual(
        { publicAccess: policy.blobPublicAccess, status: anonymous.status, leaked: body.includes('private') },
        { publicAccess: undefined, status: 403, leaked: false },
      );
    });

    it('uploads a body over the single-shot threshold in staged blocks, and one at it in one Put Blob', async () => {
      // Prepare
      const proxy = await startBlobProxy(azurite);
      try {
        const { container, sink } = await freshSink(
          { singleShotBytes: 64 * 1024, blockBytes: 16 * 1024, clock: FUTURE_CLOCK },
          proxy.blobEndpoint,
        );
        const large = 'prod-ü-集群-🚀\r\n'.repeat(6000);
        const atThreshold = 'x'.repeat(64 * 1024);
        // Act
        await sink.put('runs/d/r/report.html', large, 'text/html');
        const largeRequests = requestKinds(proxy, 'report.html');
        await sink.put('runs/d/r/report.md', atThreshold, 'text/markdown');
        // Assess
        const blocks = await container
          .getBlockBlobClient('reports/runs/d/r/report.html')
          .getBlockList('committed');
        const largeBytes = Buffer.byteLength(large, 'utf8');
        assert.deepEqual(
          {
            large: largeRequests,
            committedBlocks: blocks.committedBlocks?.length,
            atThreshold: requestKinds(proxy, 'report.md'),
            largeStored: (await readRaw(container, 'reports/runs/d/r/report.html'))?.equals(
              Buffer.from(large),
            ),
            atThresholdStored: (await readRaw(container, 'reports/runs/d/r/report.md'))?.toString('utf8'),
          },
          {
            large: { putBlob: 0, putBlock: Math.ceil(largeBytes / (16 * 1024)), putBlockList: 1 },
            committedBlocks: Math.ceil(largeBytes / (16 * 1024)),
            atThreshold: { putBlob: 1, putBlock: 0, putBlockList: 0 },
            largeStored: true,
            atThresholdStored: atThreshold,
          },
        );
      } finally {
        await proxy.close();
      }
    });

    it('streams text in pieces over the single-shot threshold into staged blocks, with its headers', async () => {
      // Prepare
      const proxy = await startBlobProxy(azurite);
      try {
        const { container, sink } = await freshSink(
          { singleShotBytes: 64 * 1024, blockBytes: 16 * 1024, clock: FUTURE_CLOCK },
          proxy.blobEndpoint,
        );
        const pieces = awkwardPieces(200 * 1024, 4 * 1024);
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        // Act
        await sink.put('runs/d/r/findings.csv', piecesBody(pieces), 'text/csv; charset=utf-8');
        // Assess
        assert.deepEqual(
          {
            requests: requestKinds(proxy, 'findings.csv'),
            headers: await headersOf(container, 'reports/runs/d/r/findings.csv'),
            exact: (await readRaw(container, 'reports/runs/d/r/findings.csv'))?.equals(bytes),
          },
          {
            requests: { putBlob: 0, putBlock: Math.ceil(bytes.length / (16 * 1024)), putBlockList: 1 },
            headers: {
              contentType: 'text/csv; charset=utf-8',
              contentDisposition: 'attachment; filename="findings.csv"',
            },
            exact: true,
          },
        );
      } finally {
        await proxy.close();
      }
    });

    it('resolves false for a replacement of an object that is gone, and rejects a write to a leased blob', async () => {
      // Prepare
      const { container, location, sink } = await freshSink();
      await sink.put('latest.json', '{"run":1}', 'application/json');
      const current = await sink.getVersioned('latest.json');
      await container.getBlockBlobClient('reports/latest.json').getBlobLeaseClient().acquireLease(-1);
      // Act
      const gone = await sink.putIfMatch('history.json', '{}', 'application/json', '"0x8DCAFE"');
      const leased = await rejection(
        sink.putIfMatch('latest.json', '{"run":2}', 'application/json', current?.version ?? null),
      );
      // Assess: a lease is not a lost race, so the pipeline records a failure instead of retrying
      assert.deepEqual(
        { gone, leased },
        {
          gone: false,
          leased: {
            name: 'SinkError',
            message: `${location}/latest.json: LeaseIdMissing: There is currently a lease on the blob and no lease ID was specified in the request.`,
          },
        },
      );
    });

    it('refuses keys with empty, "." or ".." segments, which would escape the prefix', async () => {
      const { location, sink } = await freshSink();
      assert.deepEqual(await rejection(sink.put('runs/../../outside.json', '{}', 'application/json')), {
        name: 'SinkError',
        message: `${location}/runs/../../outside.json: object keys must be relative paths without empty, "." or ".." segments`,
      });
    });
  });

  describe('links', () => {
    it('signs read-only service SAS links that expire with the lifetime asked', async () => {
      // Prepare
      const { sink } = await freshSink({ clock: PAST_CLOCK });
      await sink.put('runs/d/r/report.html', '<p>ok</p>', 'text/html');
      // Act
      const link = new URL(await sink.link('runs/d/r/report.html', 3600));
      const expired = await fetch(link);
      const write = await fetch(link, {
        method: 'PUT',
        body: 'x',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
      });
      // Assess
      assert.deepEqual(
        {
          permissions: link.searchParams.get('sp'),
          expiresOn: link.searchParams.get('se'),
          version: link.searchParams.get('sv'),
          protocol: link.searchParams.get('spr'),
          expired: expired.status,
          write: write.status,
        },
        {
          permissions: 'r',
          expiresOn: '2020-01-01T01:00:00Z',
          version: '2025-11-05',
          protocol: 'https,http',
          expired: 403,
          write: 403,
        },
      );
    });

    it('refuses a link without a positive lifetime', async () => {
      const { location, sink } = await freshSink();
      assert.deepEqual(await rejection(sink.link('runs/d/r/report.html', 0)), {
        name: 'SinkError',
        message: `${location}/runs/d/r/report.html: a link needs a positive lifetime, not 0 s`,
      });
    });
  });

  describe('failures', () => {
    it('names the sink, the object and ContainerNotFound for a container that does not exist, on reads and writes', async () => {
      // Prepare
      const location = `${azurite.blobEndpoint}/no-such-container/reports`;
      const sink = createAzureBlobSink(location, QUICK_RETRY);
      const message = `${location}/latest.json: ContainerNotFound: The specified container does not exist. (kubeline never creates the container: create it, private, first)`;
      // Act
      const failures = [
        await rejection(sink.get('latest.json')),
        await rejection(sink.put('latest.json', '{}', 'application/json')),
      ];
      // Assess
      assert.deepEqual(failures, [
        { name: 'SinkError', message },
        { name: 'SinkError', message },
      ]);
    });

    it('names the refusal of a wrong account key and of a read-only SAS', async () => {
      // Prepare
      const container = await azurite.createContainer();
      const location = `${azurite.blobEndpoint}/${container.containerName}/reports`;
      const readOnlySas = new URL(
        await container.generateSasUrl({
          permissions: ContainerSASPermissions.parse('r'),
          expiresOn: FUTURE_CLOCK(),
        }),
      ).search;
      const wrongKey = new BlobServiceClient(
        azurite.blobEndpoint,
        new StorageSharedKeyCredential(AZURITE_ACCOUNT, WRONG_KEY),
        azurite.clientOptions,
      );
      const readOnly = new BlobServiceClient(
        `${azurite.blobEndpoint}${readOnlySas}`,
        new AnonymousCredential(),
        azurite.clientOptions,
      );
      const sinkOf = (service: BlobServiceClient) =>
        new AzureBlobSink({ location, service, container: container.containerName, prefix: 'reports' });
      // Act
      const failures = [
        await rejection(sinkOf(wrongKey).put('latest.json', '{}', 'application/json')),
        await rejection(sinkOf(readOnly).put('latest.json', '{}', 'application/json')),
        await rejection(sinkOf(readOnly).link('latest.json', 3600)),
      ];
      // Assess
      assert.deepEqual(failures, [
        {
          name: 'SinkError',
          message: `${location}/latest.json: AuthorizationFailure: Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.`,
        },
        {
          name: 'SinkError',
          message: `${location}/latest.json: AuthorizationPermissionMismatch: This request is not authorized to perform this operation using this permission. (the identity needs the role in infra/azure/kubeline-report-writer.role.json on the account)`,
        },
        {
          name: 'SinkError',
          message: `${location}/latest.json: the credential can sign no SAS: links need an account key or an Entra identity`,
        },
      ]);
    });

    it('fails within seconds on a closed port, after the production retries', async function () {
      this.timeout(15_000);
      // Prepare
      const port = await closedPort();
      const location = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}/kubeline/reports`;
      const sink = createAzureBlobSink(location);
      // Act: 4 attempts, waiting 0, 1 and 3 s between them
      const outcome = await within(rejection(sink.put('latest.json', '{}', 'application/json')), 8_000);
      // Assess
      assert.deepEqual(outcome, {
        name: 'SinkError',
        message: `${location}/latest.json: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`,
      });
    });

    it('gives up on an endpoint that accepts connections and never answers, at the operation deadline', async () => {
      // Prepare
      const silent = await silentServer();
      try {
        const location = `http://127.0.0.1:${silent.port}/${AZURITE_ACCOUNT}/kubeline/reports`;
        const sink = createAzureBlobSink(location, { operationTimeoutMs: 500 });
        // Act
        const outcome = await within(rejection(sink.get('latest.json')), 5_000);
        // Assess
        assert.deepEqual(outcome, {
          name: 'SinkError',
          message: `${location}/latest.json: Timeout: no complete answer within 0.5 s, retries included`,
        });
      } finally {
        await silent.close();
      }
    });

    it('gives up on a streamed upload whose blocks get no answer, at the operation deadline', async () => {
      // Prepare: the SDK gives staged blocks no abort signal, so the sink must end the upload itself
      const silent = await silentServer();
      try {
        const location = `http://127.0.0.1:${silent.port}/${AZURITE_ACCOUNT}/kubeline/reports`;
        const sink = createAzureBlobSink(location, { operationTimeoutMs: 500, singleShotBytes: 1024 });
        // Act
        const outcome = await within(
          rejection(
            sink.put(
              'runs/d/r/report.json',
              piecesBody(awkwardPieces(64 * 1024, 4 * 1024)),
              'application/json',
            ),
          ),
          5_000,
        );
        // Assess
        assert.deepEqual(outcome, {
          name: 'SinkError',
          message: `${location}/runs/d/r/report.json: Timeout: no complete answer within 0.5 s, retries included`,
        });
      } finally {
        await silent.close();
      }
    });

    it('retries a busy service with backoff, and names the code once the attempts run out', async () => {
      // Prepare
      const proxy = await startBlobProxy(azurite);
      try {
        const { container, location, sink } = await freshSink(
          { ...QUICK_RETRY, maxTries: 3 },
          proxy.blobEndpoint,
        );
        proxy.fail({ method: 'PUT', path: /\/report\.html$/, status: 503, code: 'ServerBusy', times: 2 });
        proxy.fail({ method: 'PUT', path: /\/report\.md$/, status: 503, code: 'ServerBusy', times: 3 });
        // Act
        await sink.put('runs/d/r/report.html', '<p>ok</p>', 'text/html');
        const exhausted = await rejection(sink.put('runs/d/r/report.md', '# ok', 'text/markdown'));
        // Assess
        assert.deepEqual(
          {
            html: requestKinds(proxy, 'report.html').putBlob,
            stored: (await readRaw(container, 'reports/runs/d/r/report.html'))?.toString('utf8'),
            md: requestKinds(proxy, 'report.md').putBlob,
            exhausted,
          },
          {
            html: 3,
            stored: '<p>ok</p>',
            md: 3,
            exhausted: {
              name: 'SinkError',
              message: `${location}/runs/d/r/report.md: ServerBusy: Injected by the test proxy.`,
            },
          },
        );
      } finally {
        await proxy.close();
      }
    });
  });

  describe('a scan of the example fleet published to Blob', () => {
    it('writes every file byte-exact, the manifest after them and latest.json last', async function () {
      // The one scan that prints report.pdf in Chromium, to store a binary file byte-exact.
      this.timeout(60_000);
      // Prepare
      const proxy = await startBlobProxy(azurite);
      try {
        const { container, location, sink } = await freshSink({ clock: FUTURE_CLOCK }, proxy.blobEndpoint);
        // Act
        const outcome = await scanFleet(
          sink,
          new MemorySink(),
          '2026-11-29T08:00:00.000Z',
          '20261129T080000Z-a2b1c0',
          REPORT_FORMATS,
        );
        // Assess
        const folder = folderOf(outcome);
        const manifest = JSON.parse(
          (await readRaw(container, `reports/${folder}/manifest.json`))?.toString() ?? '{}',
        );
        const stored = [];
        for (const file of manifest.files as { name: string }[]) {
          const raw = (await readRaw(container, `reports/${folder}/${file.name}`)) ?? Buffer.alloc(0);
          stored.push({ name: file.name, bytes: raw.length, sha256: sha256(raw) });
        }
        const putOrder = proxy.requests
          .filter((request) => request.method === 'PUT')
          .map((request) =>
            request.url.split('?')[0]?.replace(`/${AZURITE_ACCOUNT}/${container.containerName}/reports/`, ''),
          );
        const latestPut = putOrder.indexOf('latest.json');
        const latest = JSON.parse((await readRaw(container, 'reports/latest.json'))?.toString() ?? '{}');
        assert.deepEqual(
          {
            failures: outcome.publishFailures,
            pointer: outcome.latest,
            names: stored.map((file) => file.name),
            stored,
            runWrites: putOrder.filter((key) => key?.startsWith(folder)),
            latestAfterManifest: latestPut > putOrder.indexOf(`${folder}/manifest.json`),
            latest,
          },
          {
            failures: [],
            pointer: [{ sink: location, state: 'moved' }],
            names: ALL_FILES,
            stored: manifest.files,
            runWrites: [...ALL_FILES, 'manifest.json'].map((name) => `${folder}/${name}`),
            latestAfterManifest: true,
            latest: {
              runId: '20261129T080000Z-a2b1c0',
              folder,
              manifest: `${folder}/manifest.json`,
              startedAt: '2026-11-29T08:00:00.000Z',
              finishedAt: '2026-11-29T08:00:00.000Z',
            },
          },
        );
      } finally {
        await proxy.close();
      }
    });

    it('leaves latest.json untouched and the whole run in the fallback when one object cannot be written', async function () {
      this.timeout(30_000);
      // Prepare: yesterday's run, then a lease held by another client on one object of today's run
      const { container, location, sink } = await freshSink();
      await scanFleet(sink, new MemorySink(), '2026-11-28T08:00:00.000Z', '20261128T080000Z-0000a1');
      const before = await container.getBlockBlobClient('reports/latest.json').getProperties();
      const blocked = 'runs/2026-11-29/20261129T080000Z-0000b2/report.md';
      await container.getBlockBlobClient(`reports/${blocked}`).upload('held', 4);
      await container.getBlockBlobClient(`reports/${blocked}`).getBlobLeaseClient().acquireLease(-1);
      const fallback = new MemorySink();
      // Act
      const outcome = await scanFleet(sink, fallback, '2026-11-29T08:00:00.000Z', '20261129T080000Z-0000b2');
      // Assess
      const folder = folderOf(outcome);
      const after = await container.getBlockBlobClient('reports/latest.json').getProperties();
      assert.deepEqual(
        {
          failures: outcome.publishFailures,
          pointer: outcome.latest,
          exitCode: exitCodeFor(outcome, 'none'),
          latestEtag: after.etag,
          manifestInBlob: await readRaw(container, `reports/${folder}/manifest.json`),
          fallback: fallback.writes.filter((key) => key.startsWith(folder)),
          fallbackLocation: outcome.fallbackLocation,
        },
        {
          failures: [
            {
              runId: '20261129T080000Z-0000b2',
              sink: location,
              key: blocked,
              reason: `${location}/${blocked}: LeaseIdMissing: There is currently a lease on the blob and no lease ID was specified in the request.`,
            },
          ],
          pointer: [{ sink: location, state: 'failed' }],
          exitCode: 2,
          latestEtag: before.etag,
          manifestInBlob: undefined,
          fallback: [...TEXT_FILES, 'manifest.json'].map((name) => `${folder}/${name}`),
          fallbackLocation: `memory://reports/${folder}`,
        },
      );
    });

    it('keeps the newer run in latest.json when an older run finishes after it', async function () {
      this.timeout(30_000);
      // Prepare
      const { container, location, sink } = await freshSink();
      await scanFleet(sink, new MemorySink(), '2026-11-29T09:00:00.000Z', '20261129T090000Z-0000c2');
      // Act: a run that started an hour earlier seals last
      const older = await scanFleet(
        sink,
        new MemorySink(),
        '2026-11-29T08:00:00.000Z',
        '20261129T080000Z-0000c1',
      );
      // Assess
      const latest = JSON.parse((await readRaw(container, 'reports/latest.json'))?.toString() ?? '{}');
      assert.deepEqual(
        {
          pointer: older.latest,
          failures: older.publishFailures,
          latest: latest.runId,
          olderManifest: (await readRaw(container, `reports/${folderOf(older)}/manifest.json`)) !== undefined,
        },
        {
          pointer: [{ sink: location, state: 'newer-kept' }],
          failures: [],
          latest: '20261129T090000Z-0000c2',
          olderManifest: true,
        },
      );
    });

    it('records an unknown container, a refused identity and a down endpoint, and keeps the run in the fallback', async function () {
      this.timeout(30_000);
      // Prepare
      const container = await azurite.createContainer();
      const port = await closedPort();
      const wrongKeyLocation = `${azurite.blobEndpoint}/${container.containerName}/reports`;
      const sinks = [
        createAzureBlobSink(`${azurite.blobEndpoint}/no-such-container/reports`, QUICK_RETRY),
        new AzureBlobSink({
          location: wrongKeyLocation,
          service: new BlobServiceClient(
            azurite.blobEndpoint,
            new StorageSharedKeyCredential(AZURITE_ACCOUNT, WRONG_KEY),
            azurite.clientOptions,
          ),
          container: container.containerName,
          prefix: 'reports',
        }),
        createAzureBlobSink(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}/kubeline/reports`, QUICK_RETRY),
      ];
      const codes = ['ContainerNotFound', 'AuthorizationFailure', 'ECONNREFUSED'];
      const results = [];
      for (const sink of sinks) {
        const fallback = new MemorySink();
        // Act
        const outcome = await scanFleet(
          sink,
          fallback,
          '2026-11-29T08:00:00.000Z',
          '20261129T080000Z-0000d1',
        );
        const folder = folderOf(outcome);
        const [failure] = outcome.publishFailures;
        results.push({
          failures: outcome.publishFailures.length,
          sink: failure?.sink,
          key: failure?.key,
          code: failure?.reason.split(': ')[1],
          oneLine: !failure?.reason.includes('\n'),
          exitCode: exitCodeFor(outcome, 'none'),
          fallback: fallback.writes.filter((key) => key.startsWith(folder)),
        });
      }
      // Assess
      const folder = 'runs/2026-11-29/20261129T080000Z-0000d1';
      assert.deepEqual(
        results,
        sinks.map((sink, index) => ({
          failures: 1,
          sink: sink.location,
          key: `${folder}/report.html`,
          code: codes[index],
          oneLine: true,
          exitCode: 2,
          fallback: [...TEXT_FILES, 'manifest.json'].map((name) => `${folder}/${name}`),
        })),
      );
    });
  });
});

/** How the proxy saw one object uploaded: whole Put Blobs, staged blocks and block-list commits. */
function requestKinds(proxy: BlobProxy, name: string) {
  const puts = proxy.requests.filter(
    (request) => request.method === 'PUT' && (request.url.split('?')[0] ?? '').endsWith(`/${name}`),
  );
  const comp = (url: string) => new URL(url, 'http://peer').searchParams.get('comp');
  return {
    putBlob: puts.filter((request) => comp(request.url) === null).length,
    putBlock: puts.filter((request) => comp(request.url) === 'block').length,
    putBlockList: puts.filter((request) => comp(request.url) === 'blocklist').length,
  };
}

describe('sinks: Azure Blob sink with an Entra identity (Azurite in OAuth mode, over https)', () => {
  let tls: PeerTls;
  let azurite: Azurite;

  before(async function () {
    this.timeout(30_000);
    tls = await generatePeerTls();
    azurite = await startAzurite({ tls });
  });

  after(async () => {
    await azurite?.stop();
    await tls?.remove();
  });

  /**
   * A sink signing in with a bearer token. Its clock is the peer's own (the Date of an answer):
   * a user delegation key must start before the service's now and last at most 7 days, so no fixed
   * date works, and the test still reads no clock of its own.
   */
  async function tokenSink() {
    const container = await azurite.createContainer();
    const peerNow = (await container.getProperties()).date ?? assert.fail('Azurite sent no Date');
    const location = `${azurite.blobEndpoint}/${container.containerName}/reports`;
    const service = new BlobServiceClient(
      azurite.blobEndpoint,
      azuriteTokenCredential(),
      azurite.clientOptions,
    );
    const sink = new AzureBlobSink({
      location,
      service,
      container: container.containerName,
      prefix: 'reports',
      tuning: { clock: () => peerNow },
    });
    return { container, location, sink, peerNow };
  }

  it('writes with a bearer token and signs links with a user delegation key', async () => {
    // Prepare
    const { sink, peerNow } = await tokenSink();
    await sink.put('runs/d/r/report.html', '<p>delegated</p>', 'text/html');
    const week = 7 * 24 * 3600;
    // Act
    const link = new URL(await sink.link('runs/d/r/report.html', week));
    const fetched = await httpsGet(link.href, tls.ca);
    // Assess
    assert.deepEqual(
      {
        signedObjectId: link.searchParams.get('skoid'),
        permissions: link.searchParams.get('sp'),
        protocol: link.searchParams.get('spr'),
        expiresOn: link.searchParams.get('se'),
        fetched,
      },
      {
        signedObjectId: '00000000-0000-4000-8000-0000000000bb',
        permissions: 'r',
        protocol: 'https',
        expiresOn: new Date(peerNow.getTime() + week * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        fetched: { status: 200, body: '<p>delegated</p>' },
      },
    );
  });

  it('refuses a link longer than a user delegation key lasts', async () => {
    const { location, sink } = await tokenSink();
    assert.deepEqual(await rejection(sink.link('report.html', 8 * 24 * 3600)), {
      name: 'SinkError',
      message: `${location}/report.html: a user delegation SAS lasts at most 7 days, not 691200 s`,
    });
  });
});

describe('sinks: Azure Blob sink errors are SinkErrors', () => {
  it('keeps the provider error as the cause', async () => {
    // Prepare
    const port = await closedPort();
    const sink = createAzureBlobSink(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}/kubeline`, {
      maxTries: 1,
    });
    // Act
    const error = await sink.get('latest.json').catch((caught: unknown) => caught);
    // Assess
    assert.ok(error instanceof SinkError);
    assert.deepEqual(
      { context: error.context, cause: (error.cause as { code?: string }).code },
      {
        context: { sink: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}/kubeline`, key: 'latest.json' },
        cause: 'ECONNREFUSED',
      },
    );
  });
});
