import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeScan } from '../../cli/compose.js';
import { exitCodeFor, type PipelineDeps, runScan, type ScanOutcome } from '../../engine/pipeline.js';
import type { ReportSink } from '../../engine/ports.js';
import {
  createGcsSink,
  GCS_OBJECT_PERMISSIONS,
  type GcsServiceAccountKey,
  type GcsSink,
  type GcsSinkOptions,
  parseGcsUri,
} from '../../sinks/gcs.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { type GcsOperation, type GcsPeer, startGcsPeer } from '../peers/gcp/gcsPeer.js';
import { awkwardPieces, describeSinkConformance, piecesBody } from './conformance.js';

const TOOL = { name: 'kubeline', version: '0.0.0-test' };
const FORMATS = ['html', 'md', 'json', 'csv', 'junit', 'ocsf'] as const;
const RUN_FILES = [
  'report.html',
  'report.md',
  'report.json',
  'findings.csv',
  'junit.xml',
  'findings.ocsf.json',
];
const SIGNER = 'kubeline-sink-test@kubeline-test.iam.gserviceaccount.com';
/**
 * The client refuses to sign an expiry earlier than the machine's own clock, so the signing clock
 * sits far ahead of it (and of faketime's 2028-02-29) instead of reading it.
 */
const SIGNED_AT = new Date('2036-11-29T08:00:00Z');
const PEER_NOW = new Date('2036-11-29T08:05:00Z');
const MIB = 1024 * 1024;

/** The permission Google checks for each operation the peer serves (Cloud Storage IAM permissions reference). */
const PERMISSION_OF_OPERATION: Readonly<Record<GcsOperation, string>> = {
  insert: 'storage.objects.create',
  resumable: 'storage.objects.create',
  get: 'storage.objects.get',
  download: 'storage.objects.get',
  'signed-read': 'storage.objects.get',
  'anonymous-read': 'storage.objects.get',
};

let peer: GcsPeer;
let credentials: GcsServiceAccountKey;
let bucketCount = 0;

/** Starts the peer and the signing key once for every suite of this file. */
async function startPeer(): Promise<void> {
  peer = await startGcsPeer({ clock: () => PEER_NOW });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  credentials = {
    client_email: SIGNER,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  peer.trustSigner(SIGNER, publicKey);
}

/** A fresh, empty bucket on the peer. */
function freshBucket(): string {
  bucketCount += 1;
  const bucket = `kubeline-reports-${bucketCount}`;
  peer.createBucket(bucket);
  return bucket;
}

/** A sink on the peer with short retry waits, so fault tests stay quick. */
function sinkFor(uri: string, options: GcsSinkOptions = {}): GcsSink {
  return createGcsSink(uri, {
    endpoint: peer.endpoint,
    env: {},
    credentials,
    clock: () => SIGNED_AT,
    maxAttempts: 3,
    maxRetryDelaySeconds: 1,
    totalTimeoutSeconds: 10,
    ...options,
  });
}

/** The object's bytes read with a raw JSON API call, past the sink and its client. */
async function readRaw(endpoint: string, bucket: string, name: string): Promise<Buffer | undefined> {
  const response = await fetch(`${endpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`);
  if (response.status === 404) return undefined;
  assert.equal(response.status, 200, `raw read of ${bucket}/${name}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The object's resource (metadata) read with a raw JSON API call. */
async function readResource(bucket: string, name: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${peer.endpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The message and context of a rejection, for whole-object comparison. */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
}

describe('sinks: GcsSink against the GCS test peer', function () {
  this.timeout(60_000);

  before(startPeer);
  after(async () => {
    await peer?.close();
  });

  describeSinkConformance(
    'GcsSink',
    async () => {
      const bucket = freshBucket();
      return {
        sink: sinkFor(`gs://${bucket}/reports`),
        readRaw: (key) => readRaw(peer.endpoint, bucket, `reports/${key}`),
      };
    },
    { links: true },
  );

  describe('sinks: GcsSink', () => {
    beforeEach(() => {
      peer.clearFaults();
      peer.clearCalls();
    });

    describe('the URI', () => {
      it('takes a bucket and an optional prefix, trimming slashes around the prefix', () => {
        assert.deepEqual(
          [
            'gs://acme-reports',
            'gs://acme-reports/',
            'gs://acme-reports/nightly',
            'gs://acme-reports//nightly/gke/',
            'gs://acme_reports.example.com/a/b',
            '  gs://abc/x  ',
          ].map(parseGcsUri),
          [
            { bucket: 'acme-reports', prefix: '' },
            { bucket: 'acme-reports', prefix: '' },
            { bucket: 'acme-reports', prefix: 'nightly' },
            { bucket: 'acme-reports', prefix: 'nightly/gke' },
            { bucket: 'acme_reports.example.com', prefix: 'a/b' },
            { bucket: 'abc', prefix: 'x' },
          ],
        );
      });

      it('names what is wrong with a malformed URI', () => {
        const cases: readonly [string, string][] = [
          ['s3://acme/reports', 's3://acme/reports: not a GCS URI; expected gs://bucket/prefix'],
          ['gs:/acme', 'gs:/acme: not a GCS URI; expected gs://bucket/prefix'],
          ['gs://', 'gs://: the GCS URI names no bucket'],
          ['gs:///reports', 'gs:///reports: the GCS URI names no bucket'],
          [
            'gs://Acme/reports',
            'gs://Acme/reports: the GCS URI has an invalid bucket name "Acme" (lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit)',
          ],
          [
            'gs://-acme',
            'gs://-acme: the GCS URI has an invalid bucket name "-acme" (lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit)',
          ],
          ['gs://ab', 'gs://ab: the GCS URI has an invalid bucket name "ab" (at least 3 characters)'],
          [
            `gs://${'a'.repeat(64)}`,
            `gs://${'a'.repeat(64)}: the GCS URI has an invalid bucket name "${'a'.repeat(64)}" (at most 63 characters without dots)`,
          ],
          [
            'gs://a..b',
            'gs://a..b: the GCS URI has an invalid bucket name "a..b" (at most 222 characters, dot-separated parts of 1 to 63)',
          ],
          [
            'gs://192.168.5.4',
            'gs://192.168.5.4: the GCS URI has an invalid bucket name "192.168.5.4" (formatted as an IP address)',
          ],
          [
            'gs://google-reports',
            'gs://google-reports: the GCS URI has an invalid bucket name "google-reports" (starts with "goog")',
          ],
          [
            'gs://acme/reports?x=1',
            'gs://acme/reports?x=1: the GCS URI has a query or fragment; expected gs://bucket/prefix',
          ],
          ['gs://acme/a//b', 'gs://acme/a//b: the GCS URI has an empty path segment (//) in its prefix'],
          ['gs://acme/a/../b', 'gs://acme/a/../b: the GCS URI has a . or .. segment in its prefix'],
          ['gs://acme/a\nb', 'gs://acme/a\nb: the GCS URI has a line break in its prefix'],
        ];
        for (const [uri, message] of cases) {
          assert.throws(() => parseGcsUri(uri), { name: 'SinkConfigError', message }, uri);
        }
      });

      it('is the sink location, and each object is located under it', () => {
        assert.deepEqual(
          [sinkFor('gs://acme-reports/nightly/'), sinkFor('gs://acme-reports')].map((sink) => ({
            location: sink.location,
            latest: sink.locate('latest.json'),
          })),
          [
            { location: 'gs://acme-reports/nightly', latest: 'gs://acme-reports/nightly/latest.json' },
            { location: 'gs://acme-reports', latest: 'gs://acme-reports/latest.json' },
          ],
        );
      });

      it('refuses options it cannot use', () => {
        const cases: readonly [GcsSinkOptions, string][] = [
          [{ maxAttempts: 0 }, 'GCS sink option maxAttempts must be a number of at least 1, got 0'],
          [{ maxAttempts: 1.5 }, 'GCS sink option maxAttempts must be a whole number, got 1.5'],
          [{ attemptTimeoutMs: 0 }, 'GCS sink option attemptTimeoutMs must be a number of at least 1, got 0'],
          [
            { maxRetryDelaySeconds: 0.1 },
            'GCS sink option maxRetryDelaySeconds must be a number of at least 1, got 0.1',
          ],
          [
            { totalTimeoutSeconds: 0 },
            'GCS sink option totalTimeoutSeconds must be a number of at least 1, got 0',
          ],
          [
            { resumableThresholdBytes: -1 },
            'GCS sink option resumableThresholdBytes must be a number of at least 0, got -1',
          ],
          [{ endpoint: 'http://' }, 'GCS endpoint http:// is not a URL'],
        ];
        for (const [options, message] of cases) {
          assert.throws(() => sinkFor('gs://acme/r', options), { name: 'SinkConfigError', message });
        }
      });
    });

    describe('objects as stored', () => {
      it('keeps the content type, and makes only the download formats attachments', async () => {
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}/r`);
        const written = {
          'runs/d/x/report.html': 'text/html; charset=utf-8',
          'runs/d/x/report.md': 'text/markdown; charset=utf-8',
          'runs/d/x/report.json': 'application/json',
          'runs/d/x/findings.csv': 'text/csv; charset=utf-8; header=present',
          'runs/d/x/junit.xml': 'application/xml',
          'runs/d/x/findings.ocsf.json': 'application/json',
          'runs/d/x/manifest.json': 'application/json',
          'history.json': 'application/json',
        };
        // Act
        for (const [key, contentType] of Object.entries(written)) await sink.put(key, '{}', contentType);
        await sink.putIfMatch('latest.json', '{}', 'application/json', null);
        // Assess
        const stored: Record<string, unknown> = {};
        for (const key of [...Object.keys(written), 'latest.json']) {
          const { contentType, contentDisposition } = await readResource(bucket, `r/${key}`);
          stored[key] = { contentType, contentDisposition };
        }
        assert.deepEqual(stored, {
          'runs/d/x/report.html': { contentType: 'text/html; charset=utf-8', contentDisposition: undefined },
          'runs/d/x/report.md': {
            contentType: 'text/markdown; charset=utf-8',
            contentDisposition: undefined,
          },
          'runs/d/x/report.json': { contentType: 'application/json', contentDisposition: undefined },
          'runs/d/x/findings.csv': {
            contentType: 'text/csv; charset=utf-8; header=present',
            contentDisposition: 'attachment; filename="findings.csv"',
          },
          'runs/d/x/junit.xml': {
            contentType: 'application/xml',
            contentDisposition: 'attachment; filename="junit.xml"',
          },
          'runs/d/x/findings.ocsf.json': {
            contentType: 'application/json',
            contentDisposition: 'attachment; filename="findings.ocsf.json"',
          },
          'runs/d/x/manifest.json': { contentType: 'application/json', contentDisposition: undefined },
          'history.json': { contentType: 'application/json', contentDisposition: undefined },
          'latest.json': { contentType: 'application/json', contentDisposition: undefined },
        });
      });

      it('writes objects private, and sends a loopback peer no credentials at all', async () => {
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}`);
        // Act
        await sink.put('report.html', '<p>private</p>', 'text/html');
        await sink.putIfMatch('latest.json', '{}', 'application/json', null);
        await sink.getVersioned('latest.json');
        const anonymous = await fetch(`${peer.endpoint}/${bucket}/report.html`);
        // Assess
        assert.equal(anonymous.status, 403);
        assert.deepEqual(
          [peer.object(bucket, 'report.html')?.acl, peer.object(bucket, 'latest.json')?.acl],
          [[], []],
        );
        const calls = peer
          .calls()
          .filter((call) => call.bucket === bucket && call.operation !== 'anonymous-read');
        assert.deepEqual(
          calls.map(({ operation, authorized, query }) => ({
            operation,
            authorized,
            acl: query.predefinedAcl,
          })),
          [
            { operation: 'insert', authorized: false, acl: undefined },
            { operation: 'insert', authorized: false, acl: undefined },
            { operation: 'get', authorized: false, acl: undefined },
            { operation: 'download', authorized: false, acl: undefined },
          ],
        );
      });

      it('sends a body over the threshold as a resumable upload, stored byte-exact, preconditions included', async () => {
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}`, { resumableThresholdBytes: 1024 });
        const body = `${'集群-🚀\r\n'.repeat(5000)}end`;
        // Act
        await sink.put('runs/d/x/report.html', body, 'text/html');
        const created = await sink.putIfMatch('latest.json', body, 'application/json', null);
        const again = await sink.putIfMatch('latest.json', body, 'application/json', null);
        await sink.put('small.json', '{}', 'application/json');
        const uploads = peer.calls().map(({ method, operation, query, status }) => ({
          method,
          operation,
          uploadType: query.uploadType,
          precondition: query.ifGenerationMatch,
          status,
        }));
        // Assess
        assert.deepEqual(
          await readRaw(peer.endpoint, bucket, 'runs/d/x/report.html'),
          Buffer.from(body, 'utf8'),
        );
        assert.deepEqual({ created, again }, { created: true, again: false });
        assert.deepEqual(uploads, [
          {
            method: 'POST',
            operation: 'insert',
            uploadType: 'resumable',
            precondition: undefined,
            status: 200,
          },
          {
            method: 'PUT',
            operation: 'resumable',
            uploadType: 'resumable',
            precondition: undefined,
            status: 200,
          },
          { method: 'POST', operation: 'insert', uploadType: 'resumable', precondition: '0', status: 200 },
          {
            method: 'PUT',
            operation: 'resumable',
            uploadType: 'resumable',
            precondition: undefined,
            status: 200,
          },
          { method: 'POST', operation: 'insert', uploadType: 'resumable', precondition: '0', status: 412 },
          {
            method: 'POST',
            operation: 'insert',
            uploadType: 'multipart',
            precondition: undefined,
            status: 200,
          },
        ]);
      });

      it('streams text in pieces over the threshold as a resumable upload in 8 MiB chunks, with its headers', async () => {
        // Prepare
        const bucket = freshBucket();
        const pieces = awkwardPieces(9 * MIB);
        // Act
        await sinkFor(`gs://${bucket}/r`).put('runs/d/x/junit.xml', piecesBody(pieces), 'application/xml');
        // Assess: the sink's calls, before the test's own read joins them
        const calls = peer.calls().map(({ method, operation, query, status }) => ({
          method,
          operation,
          uploadType: query.uploadType,
          status,
        }));
        const { contentType, contentDisposition } = await readResource(bucket, 'r/runs/d/x/junit.xml');
        assert.deepEqual(
          {
            calls,
            headers: { contentType, contentDisposition },
            exact: peer
              .object(bucket, 'r/runs/d/x/junit.xml')
              ?.data.equals(Buffer.from(pieces.join(''), 'utf8')),
          },
          {
            calls: [
              { method: 'POST', operation: 'insert', uploadType: 'resumable', status: 200 },
              { method: 'PUT', operation: 'resumable', uploadType: 'resumable', status: 308 },
              { method: 'PUT', operation: 'resumable', uploadType: 'resumable', status: 200 },
            ],
            headers: {
              contentType: 'application/xml',
              contentDisposition: 'attachment; filename="junit.xml"',
            },
            exact: true,
          },
        );
      });

      it('resumes a streamed upload after a server error, resending only the chunk it cut short', async () => {
        // Prepare: the first of the two chunks fails once
        const bucket = freshBucket();
        const pieces = awkwardPieces(9 * MIB);
        peer.addFault({ bucket, operation: 'resumable', status: 503, times: 1 });
        // Act
        await sinkFor(`gs://${bucket}`).put('report.json', piecesBody(pieces), 'application/json');
        // Assess: one session throughout, asked how far it got, then the chunk again and the last one
        assert.deepEqual(
          {
            calls: peer.calls().map(({ method, operation, status }) => ({ method, operation, status })),
            exact: peer.object(bucket, 'report.json')?.data.equals(Buffer.from(pieces.join(''), 'utf8')),
          },
          {
            calls: [
              { method: 'POST', operation: 'insert', status: 200 },
              { method: 'PUT', operation: 'resumable', status: 503 },
              { method: 'PUT', operation: 'resumable', status: 308 },
              { method: 'PUT', operation: 'resumable', status: 308 },
              { method: 'PUT', operation: 'resumable', status: 200 },
            ],
            exact: true,
          },
        );
      });

      it('reads an object with the generation that holds its body', async () => {
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}/p`);
        await sink.put('latest.json', '{"run":1}', 'application/json');
        // Act
        const read = await sink.getVersioned('latest.json');
        // Assess
        assert.deepEqual(read, {
          body: '{"run":1}',
          version: peer.object(bucket, 'p/latest.json')?.generation,
        });
        assert.deepEqual(
          peer.calls().map(({ operation, query }) => ({ operation, generation: query.generation })),
          [
            { operation: 'insert', generation: undefined },
            { operation: 'get', generation: undefined },
            { operation: 'download', generation: read?.version },
          ],
        );
      });

      it('refuses a version that is not a generation, and keys that leave the prefix', async () => {
        const sink = sinkFor(`gs://${freshBucket()}/p`);
        assert.deepEqual(
          [
            await rejection(sink.putIfMatch('latest.json', '{}', 'application/json', 'etag-1')),
            await rejection(sink.put('../outside.json', '{}', 'application/json')),
            await rejection(sink.get('/latest.json')),
          ],
          [
            {
              name: 'SinkError',
              message: `${sink.location}/latest.json: "etag-1" is not a GCS generation, so no conditional write can use it`,
            },
            {
              name: 'SinkError',
              message: `${sink.location}/../outside.json: object keys must be relative paths without empty, . or .. segments`,
            },
            {
              name: 'SinkError',
              message: `${sink.location}//latest.json: object keys must be relative paths without empty, . or .. segments`,
            },
          ],
        );
      });
    });

    describe('links', () => {
      it('signs a V4 URL that fetches the object with its Content-Disposition, until it expires', async () => {
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}/nightly`);
        await sink.put('runs/d/x/findings.csv', 'check,status\r\nEP-01,fail\r\n', 'text/csv; charset=utf-8');
        // Act
        const link = await sink.link('runs/d/x/findings.csv', 3600);
        const fetched = await fetch(link);
        peer.setClock(() => new Date(SIGNED_AT.getTime() + 3600 * 1000));
        const expired = await fetch(link);
        peer.setClock(() => PEER_NOW);
        // Assess
        const url = new URL(link);
        assert.deepEqual(
          {
            origin: url.origin,
            path: url.pathname,
            algorithm: url.searchParams.get('X-Goog-Algorithm'),
            credential: url.searchParams.get('X-Goog-Credential'),
            date: url.searchParams.get('X-Goog-Date'),
            expires: url.searchParams.get('X-Goog-Expires'),
          },
          {
            origin: peer.endpoint,
            path: `/${bucket}/nightly/runs/d/x/findings.csv`,
            algorithm: 'GOOG4-RSA-SHA256',
            credential: `${SIGNER}/20361129/auto/storage/goog4_request`,
            date: '20361129T080000Z',
            expires: '3600',
          },
        );
        assert.deepEqual(
          {
            status: fetched.status,
            disposition: fetched.headers.get('content-disposition'),
            body: await fetched.text(),
          },
          {
            status: 200,
            disposition: 'attachment; filename="findings.csv"',
            body: 'check,status\r\nEP-01,fail\r\n',
          },
        );
        assert.equal(expired.status, 400);
      });

      it('refuses lifetimes a V4 signed URL cannot have', async () => {
        const sink = sinkFor(`gs://${freshBucket()}`);
        for (const lifetime of [0, 1.5, 604_801]) {
          await assert.rejects(sink.link('report.html', lifetime), {
            name: 'SinkConfigError',
            message: `${sink.location}/report.html: a V4 signed GCS link lives 1 to 604800 seconds (7 days), not ${lifetime}`,
          });
        }
      });

      it('signs nothing for a local peer given no key, rather than look for real credentials', async () => {
        const keyless = createGcsSink(`gs://${freshBucket()}`, { endpoint: peer.endpoint, env: {} });
        assert.deepEqual(await rejection(keyless.link('report.html', 60)), {
          name: 'SinkError',
          message: `${keyless.location}/report.html: no link signed: a local peer endpoint (${peer.endpoint}) is never sent real credentials, so give the sink a service account key to sign with`,
        });
      });
    });

    describe('endpoint', () => {
      it('follows STORAGE_EMULATOR_HOST, the client library convention, when no endpoint is given', async () => {
        // Prepare
        const bucket = freshBucket();
        const saved = process.env.STORAGE_EMULATOR_HOST;
        process.env.STORAGE_EMULATOR_HOST = peer.endpoint;
        try {
          const sink = createGcsSink(`gs://${bucket}/e`, { credentials, clock: () => SIGNED_AT });
          // Act
          await sink.put('a.json', '{"a":1}', 'application/json');
          const read = await sink.getVersioned('a.json');
          const link = await sink.link('a.json', 3600);
          // Assess
          assert.equal(read?.body, '{"a":1}');
          assert.equal((await fetch(link)).status, 200);
          assert.deepEqual(
            peer.calls().map(({ operation, path, authorized }) => ({ operation, path, authorized })),
            [
              { operation: 'insert', path: `/upload/storage/v1/b/${bucket}/o`, authorized: false },
              // The client sends its JSON requests to STORAGE_EMULATOR_HOST itself, without /storage/v1.
              { operation: 'get', path: `/b/${bucket}/o/e%2Fa.json`, authorized: false },
              { operation: 'download', path: `/b/${bucket}/o/e%2Fa.json`, authorized: false },
              { operation: 'signed-read', path: `/${bucket}/e/a.json`, authorized: false },
            ],
          );
          assert.throws(() => createGcsSink(`gs://${bucket}`, { endpoint: 'http://127.0.0.1:1' }), {
            name: 'SinkConfigError',
            message: `GCS endpoint http://127.0.0.1:1 differs from STORAGE_EMULATOR_HOST=${peer.endpoint}; the client would read from one and write to the other`,
          });
        } finally {
          if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
          else process.env.STORAGE_EMULATOR_HOST = saved;
        }
      });
    });

    describe('failures', () => {
      it('names the sink, the object and notFound for an unknown bucket, on writes and reads', async () => {
        const sink = sinkFor('gs://kubeline-no-such-bucket/r');
        const expected = (key: string, operation: string) => ({
          name: 'SinkError',
          message: `gs://kubeline-no-such-bucket/r/${key}: notFound: The specified bucket does not exist. (${operation}, HTTP 404)`,
        });
        assert.deepEqual(
          [
            await rejection(sink.put('runs/d/x/report.html', '<p/>', 'text/html')),
            await rejection(sink.get('latest.json')),
            await rejection(sink.getVersioned('latest.json')),
            await rejection(sink.putIfMatch('latest.json', '{}', 'application/json', null)),
          ],
          [
            expected('runs/d/x/report.html', 'objects.insert'),
            expected('latest.json', 'objects.get, media'),
            expected('latest.json', 'objects.get'),
            expected('latest.json', 'objects.insert'),
          ],
        );
      });

      it('names forbidden and the missing permission when the identity may not write', async () => {
        const bucket = freshBucket();
        peer.denyBucket(bucket);
        const sink = sinkFor(`gs://${bucket}`);
        assert.deepEqual(await rejection(sink.put('report.html', '<p/>', 'text/html')), {
          name: 'SinkError',
          message: `gs://${bucket}/report.html: forbidden: Anonymous caller does not have storage.objects.create access to the Google Cloud Storage object. Permission 'storage.objects.create' denied on resource (or it may not exist). (fault injected by the kubeline GCS test peer) (objects.insert, HTTP 403)`,
        });
      });

      it('retries server errors and throttling with backoff, and the writes and reads land', async function () {
        this.timeout(15_000);
        // Prepare
        const bucket = freshBucket();
        const sink = sinkFor(`gs://${bucket}`);
        peer.addFault({ bucket, operation: 'insert', status: 503, times: 1 });
        peer.addFault({ bucket, operation: 'insert', status: 429, times: 1 });
        peer.addFault({ bucket, operation: 'download', status: 500, times: 1 });
        // Act
        await sink.put('report.json', '{"ok":true}', 'application/json');
        const read = await sink.get('report.json');
        // Assess
        assert.equal(read, '{"ok":true}');
        assert.deepEqual(
          peer.calls().map(({ operation, status }) => ({ operation, status })),
          [
            { operation: 'insert', status: 503 },
            { operation: 'insert', status: 429 },
            { operation: 'insert', status: 200 },
            { operation: 'download', status: 500 },
            { operation: 'download', status: 200 },
          ],
        );
      });

      it('gives up on a down endpoint within seconds, naming the connection error', async function () {
        this.timeout(8_000);
        const port = await closedPort();
        const sink = sinkFor('gs://kubeline-down/r', {
          endpoint: `http://127.0.0.1:${port}`,
          maxAttempts: 2,
        });
        const failure = await rejection(sink.put('report.html', '<p/>', 'text/html'));
        assert.deepEqual(failure, {
          name: 'SinkError',
          message: `gs://kubeline-down/r/report.html: ECONNREFUSED: request to http://127.0.0.1:${port}/upload/storage/v1/b/kubeline-down/o?uploadType=multipart&name=r%2Freport.html failed, reason: connect ECONNREFUSED 127.0.0.1:${port} (objects.insert)`,
        });
      });

      it('resumes a resumable upload whose attempt timed out, and the write lands byte-exact', async function () {
        this.timeout(8_000);
        // Prepare
        const bucket = freshBucket();
        peer.addFault({ bucket, operation: 'resumable', status: 'hang', times: 1 });
        const sink = sinkFor(`gs://${bucket}`, { attemptTimeoutMs: 300, resumableThresholdBytes: 16 });
        const body = `<p>${'é'.repeat(4000)}</p>`;
        // Act
        await sink.put('report.html', body, 'text/html');
        // Assess: the hung attempt, the progress query, then the bytes again
        assert.deepEqual(
          peer.calls().map(({ method, operation, status }) => ({ method, operation, status })),
          [
            { method: 'POST', operation: 'insert', status: 200 },
            { method: 'PUT', operation: 'resumable', status: 0 },
            { method: 'PUT', operation: 'resumable', status: 308 },
            { method: 'PUT', operation: 'resumable', status: 200 },
          ],
        );
        assert.deepEqual(await readRaw(peer.endpoint, bucket, 'report.html'), Buffer.from(body, 'utf8'));
      });

      it('gives up on an endpoint that never answers after the per-attempt time limit', async function () {
        this.timeout(8_000);
        const bucket = freshBucket();
        peer.addFault({ bucket, status: 'hang' });
        const sink = sinkFor(`gs://${bucket}`, { attemptTimeoutMs: 300, maxAttempts: 2 });
        const failure = await rejection(sink.put('report.html', '<p/>', 'text/html'));
        assert.deepEqual(failure, {
          name: 'SinkError',
          message: `gs://${bucket}/report.html: request-timeout: network timeout at: ${peer.endpoint}/upload/storage/v1/b/${bucket}/o?uploadType=multipart&name=report.html (objects.insert)`,
        });
        assert.deepEqual(
          peer.calls().map(({ operation, status }) => ({ operation, status })),
          [
            { operation: 'insert', status: 0 },
            { operation: 'insert', status: 0 },
          ],
        );
      });
    });

    it('calls only operations GCS_OBJECT_PERMISSIONS authorises, and needs every permission it declares', async () => {
      // Prepare
      const bucket = freshBucket();
      const sink = sinkFor(`gs://${bucket}`, { resumableThresholdBytes: 16 });
      // Act: a whole publish: files, a large one, the pointer created then replaced, reads, a link
      await sink.put('runs/d/x/report.html', '<p>a report longer than the threshold</p>', 'text/html');
      await sink.putIfMatch('latest.json', '{}', 'application/json', null);
      const current = await sink.getVersioned('latest.json');
      await sink.putIfMatch('latest.json', '{"run":2}', 'application/json', current?.version ?? null);
      await sink.get('runs/d/x/report.html');
      await fetch(await sink.link('runs/d/x/report.html', 60));
      // Assess: replacing an existing object is what needs storage.objects.delete
      const used = new Set(
        peer.calls().map(({ operation }) => PERMISSION_OF_OPERATION[operation as GcsOperation]),
      );
      used.add('storage.objects.delete');
      assert.deepEqual([...used].sort(), [...GCS_OBJECT_PERMISSIONS]);
    });
  });

  describe('sinks: GcsSink in a pipeline run (--from examples/fleet)', () => {
    let fixtureBucket: string;

    beforeEach(() => {
      peer.clearFaults();
      peer.clearCalls();
      fixtureBucket = freshBucket();
    });

    async function scanDeps(
      sink: ReportSink,
      fallback: ReportSink,
      start: string,
      runId: string,
    ): Promise<PipelineDeps> {
      let tick = Date.parse(start);
      return {
        ...(await composeScan({}, { from: ['examples/fleet'], providers: [], out: undefined, tool: TOOL })),
        sinks: [sink],
        fallback,
        clock: () => {
          tick += 1000;
          return new Date(tick);
        },
        newRunId: () => runId,
      };
    }

    async function scan(sink: ReportSink, start: string, runId: string) {
      const fallback = new MemorySink();
      const outcome = await runScan(await scanDeps(sink, fallback, start, runId), {
        trigger: 'cli',
        formats: FORMATS,
      });
      return { outcome, fallback };
    }

    function failureView(outcome: ScanOutcome, fallback: MemorySink) {
      return {
        failures: outcome.publishFailures.map(({ runId, sink, key }) => ({ runId, sink, key })),
        oneLine: outcome.publishFailures.every(({ reason }) => !/[\r\n]/.test(reason)),
        fallback: outcome.fallbackLocation,
        fallbackKeys: [...fallback.objects.keys()].filter((key) => key.startsWith('runs/')).sort(),
        latest: outcome.latest,
        exitCode: exitCodeFor(outcome, 'none'),
      };
    }

    function runKeys(folder: string): string[] {
      return [...RUN_FILES, 'manifest.json'].map((name) => `${folder}/${name}`).sort();
    }

    it('writes the whole run byte-exact, the manifest last, then latest.json', async () => {
      // Prepare
      const sink = sinkFor(`gs://${fixtureBucket}/nightly`);
      // Act
      const { outcome } = await scan(sink, '2026-11-29T08:00:00Z', '20261129T080001Z-aaaaaa');
      // Assess
      const folder = 'runs/2026-11-29/20261129T080001Z-aaaaaa';
      assert.deepEqual(
        { failures: outcome.publishFailures, latest: outcome.latest, clusters: outcome.clusters.length },
        { failures: [], latest: [{ sink: `gs://${fixtureBucket}/nightly`, state: 'moved' }], clusters: 15 },
      );
      const manifest = JSON.parse(
        String(await readRaw(peer.endpoint, fixtureBucket, `nightly/${folder}/manifest.json`)),
      ) as { files: { name: string; bytes: number; sha256: string }[] };
      const stored = [];
      for (const file of manifest.files) {
        const raw =
          (await readRaw(peer.endpoint, fixtureBucket, `nightly/${folder}/${file.name}`)) ?? Buffer.alloc(0);
        stored.push({
          name: file.name,
          bytes: raw.length,
          sha256: createHash('sha256').update(raw).digest('hex'),
        });
      }
      assert.deepEqual(stored, manifest.files);
      assert.deepEqual(
        manifest.files.map(({ name }) => name),
        RUN_FILES,
      );
      const latest = JSON.parse(String(await readRaw(peer.endpoint, fixtureBucket, 'nightly/latest.json')));
      assert.deepEqual(
        { runId: latest.runId, folder: latest.folder, manifest: latest.manifest },
        { runId: '20261129T080001Z-aaaaaa', folder, manifest: `${folder}/manifest.json` },
      );
      const writes = peer
        .calls()
        .filter(({ operation, status }) => operation === 'insert' && status === 200)
        .map(({ object }) => object);
      const order = (name: string) => writes.indexOf(`nightly/${name}`);
      assert.ok(RUN_FILES.every((name) => order(`${folder}/${name}`) < order(`${folder}/manifest.json`)));
      assert.ok(order(`${folder}/manifest.json`) < order('latest.json'));
      const link = await sink.link(`${folder}/report.html`, 3600);
      assert.equal(
        await (await fetch(link)).text(),
        String(await readRaw(peer.endpoint, fixtureBucket, `nightly/${folder}/report.html`)),
      );
    });

    it('leaves latest.json untouched when a write fails mid-publish, and keeps the whole run in the fallback', async () => {
      // Prepare
      const sink = sinkFor(`gs://${fixtureBucket}`);
      await scan(sink, '2026-11-28T08:00:00Z', '20261128T080001Z-aaaaaa');
      const before = peer.object(fixtureBucket, 'latest.json');
      const folder = 'runs/2026-11-29/20261129T080001Z-bbbbbb';
      peer.addFault({ bucket: fixtureBucket, object: `${folder}/report.json`, status: 403 });
      // Act
      const { outcome, fallback } = await scan(sink, '2026-11-29T08:00:00Z', '20261129T080001Z-bbbbbb');
      // Assess
      assert.deepEqual(failureView(outcome, fallback), {
        failures: [
          { runId: '20261129T080001Z-bbbbbb', sink: `gs://${fixtureBucket}`, key: `${folder}/report.json` },
        ],
        oneLine: true,
        fallback: `memory://reports/${folder}`,
        fallbackKeys: runKeys(folder),
        latest: [{ sink: `gs://${fixtureBucket}`, state: 'failed' }],
        exitCode: 2,
      });
      assert.deepEqual(peer.object(fixtureBucket, 'latest.json'), before);
      assert.equal(peer.object(fixtureBucket, `${folder}/manifest.json`), undefined);
    });

    it('does not move latest.json back when an older run seals after a newer one', async () => {
      // Prepare
      const sink = sinkFor(`gs://${fixtureBucket}`);
      await scan(sink, '2026-11-29T09:00:00Z', '20261129T090001Z-newer0');
      // Act
      const { outcome } = await scan(sink, '2026-11-29T08:00:00Z', '20261129T080001Z-older0');
      // Assess
      assert.deepEqual(outcome.latest, [{ sink: `gs://${fixtureBucket}`, state: 'newer-kept' }]);
      const latest = JSON.parse(String(await readRaw(peer.endpoint, fixtureBucket, 'latest.json')));
      assert.equal(latest.runId, '20261129T090001Z-newer0');
    });

    it('exits 2 with the whole run in the fallback for an unknown bucket, denied access and a down endpoint', async () => {
      // Prepare
      const denied = freshBucket();
      peer.denyBucket(denied);
      const port = await closedPort();
      const sinks = [
        sinkFor('gs://kubeline-no-such-bucket/r'),
        sinkFor(`gs://${denied}/r`),
        sinkFor('gs://kubeline-down/r', { endpoint: `http://127.0.0.1:${port}`, maxAttempts: 2 }),
      ];
      const folder = 'runs/2026-11-29/20261129T080001Z-cccccc';
      // Act
      const views = [];
      const reasons = [];
      for (const sink of sinks) {
        const { outcome, fallback } = await scan(sink, '2026-11-29T08:00:00Z', '20261129T080001Z-cccccc');
        views.push(failureView(outcome, fallback));
        reasons.push(/: ([A-Za-z]+): /.exec(outcome.publishFailures[0]?.reason ?? '')?.[1]);
      }
      // Assess
      assert.deepEqual(
        views,
        sinks.map((sink) => ({
          failures: [{ runId: '20261129T080001Z-cccccc', sink: sink.location, key: `${folder}/report.html` }],
          oneLine: true,
          fallback: `memory://reports/${folder}`,
          fallbackKeys: runKeys(folder),
          latest: [{ sink: sink.location, state: 'failed' }],
          exitCode: 2,
        })),
      );
      assert.deepEqual(reasons, ['notFound', 'forbidden', 'ECONNREFUSED']);
    });
  });
});
