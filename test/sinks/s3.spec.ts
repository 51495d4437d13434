import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { composeScan } from '../../cli/compose.js';
import { exitCodeFor, type PipelineDeps, runScan, type ScanOutcome } from '../../engine/pipeline.js';
import type { ReportSink } from '../../engine/ports.js';
import { textChunks } from '../../model/fileBody.js';
import { SinkConfigError, SinkError } from '../../sinks/errors.js';
import {
  createS3Sink,
  parseS3Uri,
  S3_SINK_ACTIONS,
  type S3Sink,
  type S3SinkOptions,
} from '../../sinks/s3.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { type AwsPeer, startAwsPeer } from '../peers/aws/awsPeer.js';
import { awkwardPieces, describeSinkConformance, piecesBody } from './conformance.js';

const REGION = 'us-east-1';
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const FORMATS = ['html', 'md', 'json', 'csv', 'junit'] as const;
const RUN_FILES = ['report.html', 'report.md', 'report.json', 'findings.csv', 'junit.xml'];
const MIB = 1024 * 1024;

/** The IAM action each S3 operation is authorised by (Amazon S3 API reference, "Permissions"). */
const ACTION_OF_OPERATION: Readonly<Record<string, string>> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  GetObject: 's3:GetObject',
  HeadBucket: 's3:ListBucket',
};

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Text of exactly `bytes` UTF-8 bytes, with multi-byte characters throughout. */
function awkwardText(bytes: number): string {
  const unit = 'prod-ü-集群-🚀\r\n';
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const whole = unit.repeat(Math.floor(bytes / unitBytes));
  return whole + 'x'.repeat(bytes - Buffer.byteLength(whole, 'utf8'));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Runs a promise that must reject with a SinkError, and returns the error. */
async function sinkError(call: Promise<unknown>): Promise<SinkError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof SinkError, `expected a SinkError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

/** The parts of a SinkError a test asserts on. */
function errorView(error: SinkError) {
  return {
    name: error.name,
    message: error.message,
    context: error.context,
    hasCause: error.cause !== undefined,
  };
}

describe('sinks: S3Sink', () => {
  let peer: AwsPeer;
  let raw: S3Client;
  let buckets = 0;

  before(async function () {
    this.timeout(60_000);
    peer = await startAwsPeer();
    raw = new S3Client({
      region: REGION,
      endpoint: peer.endpoint,
      credentials: peer.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
  });

  after(async () => {
    raw?.destroy();
    await peer?.close();
  });

  beforeEach(async () => {
    await peer.reset();
  });

  const env = (extra: Readonly<Record<string, string>> = {}) => ({
    AWS_ENDPOINT_URL_S3: peer.endpoint,
    AWS_REGION: REGION,
    ...extra,
  });

  async function freshBucket(region: BucketLocationConstraint | typeof REGION = REGION): Promise<string> {
    buckets += 1;
    const bucket = `kubeline-reports-${buckets}`;
    await raw.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }),
      }),
    );
    // Only the sink's own calls are asserted on.
    peer.clearCalls();
    return bucket;
  }

  async function readRaw(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      const response = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async function head(bucket: string, key: string) {
    const response = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      contentType: response.ContentType,
      contentDisposition: response.ContentDisposition,
      serverSideEncryption: response.ServerSideEncryption,
      kmsKeyId: response.SSEKMSKeyId,
    };
  }

  /** The S3 calls the peer saw since the last bucket was made, as operation and object key. */
  function s3Calls(): { operation: string; key: string; status: number }[] {
    return peer
      .callDetails()
      .filter((call) => call.service === 's3')
      .map((call) => {
        const path = new URL(call.url, 'http://peer.invalid').pathname;
        const key = decodeURIComponent(path.split('/').slice(2).join('/'));
        return { operation: call.operation, key, status: call.status };
      });
  }

  function sinkFor(bucket: string, options: S3SinkOptions = {}): S3Sink {
    return createS3Sink(`s3://${bucket}/reports`, { env: env(), ...options });
  }

  describeSinkConformance(
    'S3Sink (moto)',
    async () => {
      const bucket = await freshBucket();
      return { sink: sinkFor(bucket), readRaw: (key) => readRaw(bucket, `reports/${key}`) };
    },
    { links: true },
  );

  describe('the URI', () => {
    it('takes a bucket and an optional prefix, trimming slashes around the prefix', () => {
      assert.deepEqual(
        [
          's3://acme-kubeline/reports',
          's3://acme-kubeline',
          's3://acme-kubeline/',
          's3://acme.kubeline-2/nightly/eks/',
          'S3://acme-kubeline//reports',
          's3://abc/a b/ü',
        ].map(parseS3Uri),
        [
          { bucket: 'acme-kubeline', prefix: 'reports' },
          { bucket: 'acme-kubeline', prefix: '' },
          { bucket: 'acme-kubeline', prefix: '' },
          { bucket: 'acme.kubeline-2', prefix: 'nightly/eks' },
          { bucket: 'acme-kubeline', prefix: 'reports' },
          { bucket: 'abc', prefix: 'a b/ü' },
        ],
      );
    });

    it('names what is wrong with a malformed URI', () => {
      const cases: Readonly<Record<string, string>> = {
        'gs://acme/reports': 'gs://acme/reports: not an S3 URI; expected s3://bucket/prefix',
        's3:/acme': 's3:/acme: not an S3 URI; expected s3://bucket/prefix',
        's3://': 's3://: the S3 URI names no bucket',
        's3:///reports': 's3:///reports: the S3 URI names no bucket',
        's3://ab':
          's3://ab: the S3 URI has an invalid bucket name "ab" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
        's3://Acme/reports':
          's3://Acme/reports: the S3 URI has an invalid bucket name "Acme" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
        's3://acme_reports':
          's3://acme_reports: the S3 URI has an invalid bucket name "acme_reports" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
        [`s3://${'a'.repeat(64)}`]: `s3://${'a'.repeat(64)}: the S3 URI has an invalid bucket name "${'a'.repeat(64)}" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`,
        's3://acme-/x':
          's3://acme-/x: the S3 URI has an invalid bucket name "acme-" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
        's3://acme..reports':
          's3://acme..reports: the S3 URI has an invalid bucket name "acme..reports" (two adjacent dots)',
        's3://192.168.1.10/x':
          's3://192.168.1.10/x: the S3 URI has an invalid bucket name "192.168.1.10" (formatted as an IP address)',
        's3://acme/reports?versionId=1':
          's3://acme/reports?versionId=1: the S3 URI has a query or fragment; expected s3://bucket/prefix',
        's3://acme/reports#top':
          's3://acme/reports#top: the S3 URI has a query or fragment; expected s3://bucket/prefix',
        's3://acme/a//b': 's3://acme/a//b: the S3 URI has an empty path segment (//) in its prefix',
        's3://acme/a/../b': 's3://acme/a/../b: the S3 URI has a . or .. segment in its prefix',
      };
      for (const [uri, message] of Object.entries(cases)) {
        assert.throws(() => parseS3Uri(uri), { name: 'SinkConfigError', message }, uri);
      }
    });

    it('is the sink location, and each object is located under it', () => {
      const sink = createS3Sink('s3://acme-kubeline/nightly/', { env: {} });
      assert.deepEqual(
        { location: sink.location, latest: sink.locate('latest.json') },
        { location: 's3://acme-kubeline/nightly', latest: 's3://acme-kubeline/nightly/latest.json' },
      );
      assert.equal(
        createS3Sink('s3://acme-kubeline', { env: {} }).locate('latest.json'),
        's3://acme-kubeline/latest.json',
      );
    });

    it('refuses options it cannot use', () => {
      const cases: readonly [S3SinkOptions, string][] = [
        [{ maxAttempts: 0 }, 'S3 sink option maxAttempts must be an integer of at least 1, got 0'],
        [
          { attemptTimeoutMs: 1.5 },
          'S3 sink option attemptTimeoutMs must be an integer of at least 1, got 1.5',
        ],
        [
          { multipartThresholdBytes: MIB },
          `S3 sink option multipartThresholdBytes must be an integer of at least ${5 * MIB}, got ${MIB}`,
        ],
        [
          { multipartThresholdBytes: 6 * 1024 * MIB },
          'S3 sink option multipartThresholdBytes must be at most 5368709120 (5 GiB)',
        ],
        [{ kmsKeyId: ' ' }, 'output.s3.kmsKeyId is empty; give a KMS key id, alias or ARN'],
      ];
      for (const [options, message] of cases) {
        assert.throws(
          () => createS3Sink('s3://acme/reports', { env: {}, ...options }),
          (error: unknown) => error instanceof SinkConfigError && error.message === message,
          message,
        );
      }
    });
  });

  describe('objects as stored', () => {
    it('keeps the content type, and makes only the download formats attachments', async () => {
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      // Act
      await sink.put('runs/d/r/findings.csv', 'a,b\n', 'text/csv; charset=utf-8; header=present');
      await sink.put('runs/d/r/junit.xml', '<testsuites/>', 'application/xml');
      await sink.put('runs/d/r/report.html', '<p>ok</p>', 'text/html; charset=utf-8');
      await sink.putIfMatch('latest.json', '{}', 'application/json', null);
      // Assess
      assert.deepEqual(
        await Promise.all(
          ['runs/d/r/findings.csv', 'runs/d/r/junit.xml', 'runs/d/r/report.html', 'latest.json'].map((key) =>
            head(bucket, `reports/${key}`),
          ),
        ),
        [
          {
            contentType: 'text/csv; charset=utf-8; header=present',
            contentDisposition: 'attachment; filename="findings.csv"',
            serverSideEncryption: undefined,
            kmsKeyId: undefined,
          },
          {
            contentType: 'application/xml',
            contentDisposition: 'attachment; filename="junit.xml"',
            serverSideEncryption: undefined,
            kmsKeyId: undefined,
          },
          {
            contentType: 'text/html; charset=utf-8',
            contentDisposition: undefined,
            serverSideEncryption: undefined,
            kmsKeyId: undefined,
          },
          {
            contentType: 'application/json',
            contentDisposition: undefined,
            serverSideEncryption: undefined,
            kmsKeyId: undefined,
          },
        ],
      );
    });

    it('encrypts every write with the configured KMS key (SSE-KMS), conditional and multipart ones too', async () => {
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket, { kmsKeyId: KMS_KEY });
      // Act
      await sink.put('runs/d/r/report.json', '{}', 'application/json');
      await sink.putIfMatch('latest.json', '{}', 'application/json', null);
      await sink.put('runs/d/r/findings.csv', awkwardText(9 * MIB), 'text/csv');
      // Assess
      const encrypted = { serverSideEncryption: 'aws:kms', kmsKeyId: KMS_KEY };
      assert.deepEqual(
        await Promise.all(
          ['runs/d/r/report.json', 'latest.json', 'runs/d/r/findings.csv'].map((key) =>
            head(bucket, `reports/${key}`),
          ),
        ),
        [
          { contentType: 'application/json', contentDisposition: undefined, ...encrypted },
          { contentType: 'application/json', contentDisposition: undefined, ...encrypted },
          {
            contentType: 'text/csv',
            contentDisposition: 'attachment; filename="findings.csv"',
            ...encrypted,
          },
        ],
      );
    });

    it('writes objects private: only the owner is granted, and an unsigned request is refused', async () => {
      // Prepare
      const bucket = await freshBucket();
      await sinkFor(bucket).put('runs/d/r/report.html', '<p>ok</p>', 'text/html');
      // Act
      const acl = await raw.send(
        new GetObjectAclCommand({ Bucket: bucket, Key: 'reports/runs/d/r/report.html' }),
      );
      const anonymous = await fetch(`${peer.endpoint}/${bucket}/reports/runs/d/r/report.html`);
      // Assess
      assert.deepEqual(
        acl.Grants?.map((grant) => ({ grantee: grant.Grantee?.ID, permission: grant.Permission })),
        [{ grantee: acl.Owner?.ID, permission: 'FULL_CONTROL' }],
      );
      assert.equal(anonymous.status, 403);
    });

    it('sends a body over the threshold as a multipart upload, stored byte-exact', async () => {
      // Prepare
      const bucket = await freshBucket();
      const body = awkwardText(9 * MIB);
      // Act
      await sinkFor(bucket).put('runs/d/r/report.html', body, 'text/html');
      // Assess
      assert.deepEqual(
        s3Calls().map(({ operation, status }) => ({ operation, status })),
        [
          { operation: 'CreateMultipartUpload', status: 200 },
          { operation: 'UploadPart', status: 200 },
          { operation: 'UploadPart', status: 200 },
          { operation: 'CompleteMultipartUpload', status: 200 },
        ],
      );
      const stored = await readRaw(bucket, 'reports/runs/d/r/report.html');
      assert.equal(stored?.equals(Buffer.from(body, 'utf8')), true, 'stored byte-exact');
    });

    it('sends a body of exactly the threshold as one PutObject', async () => {
      const bucket = await freshBucket();
      const body = awkwardText(8 * MIB);
      await sinkFor(bucket).put('runs/d/r/report.html', body, 'text/html');
      assert.deepEqual(
        s3Calls().map(({ operation }) => operation),
        ['PutObject'],
      );
      assert.equal((await readRaw(bucket, 'reports/runs/d/r/report.html'))?.length, 8 * MIB);
    });

    it('aborts a multipart upload that fails, leaving no parts behind', async () => {
      // Prepare
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', operation: 'UploadPart', kind: 'access-denied' });
      // Act
      const error = await sinkError(
        sinkFor(bucket).put('runs/d/r/report.html', awkwardText(9 * MIB), 'text/html'),
      );
      // Assess
      assert.deepEqual(errorView(error), {
        name: 'SinkError',
        message:
          `s3://${bucket}/reports/runs/d/r/report.html: AccessDenied: User: arn:aws:iam::123456789012:role/kubeline-read ` +
          'is not authorized to perform: s3:UploadPart (fault injected by the kubeline AWS test peer) (multipart upload, HTTP 403)',
        context: { sink: `s3://${bucket}/reports`, key: 'runs/d/r/report.html' },
        hasCause: true,
      });
      assert.ok(
        s3Calls().some(({ operation, status }) => operation === 'AbortMultipartUpload' && status === 204),
      );
      const pending = await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(pending.Uploads ?? [], []);
      assert.equal(await readRaw(bucket, 'reports/runs/d/r/report.html'), undefined);
    });
  });

  describe('text in pieces', () => {
    it('streams a body over the threshold into a multipart upload, with its content type and disposition', async function () {
      this.timeout(60_000);
      // Prepare
      const bucket = await freshBucket();
      const pieces = awkwardPieces(9 * MIB);
      // Act
      await sinkFor(bucket).put('runs/d/r/findings.csv', piecesBody(pieces), 'text/csv; charset=utf-8');
      // Assess: the sink's calls, before the test's own reads join them
      const calls = s3Calls().map(({ operation, status }) => ({ operation, status }));
      const stored = await readRaw(bucket, 'reports/runs/d/r/findings.csv');
      assert.deepEqual(
        {
          calls,
          headers: await head(bucket, 'reports/runs/d/r/findings.csv'),
          exact: stored?.equals(Buffer.from(pieces.join(''), 'utf8')),
        },
        {
          calls: [
            { operation: 'CreateMultipartUpload', status: 200 },
            { operation: 'UploadPart', status: 200 },
            { operation: 'UploadPart', status: 200 },
            { operation: 'CompleteMultipartUpload', status: 200 },
          ],
          headers: {
            contentType: 'text/csv; charset=utf-8',
            contentDisposition: 'attachment; filename="findings.csv"',
            serverSideEncryption: undefined,
            kmsKeyId: undefined,
          },
          exact: true,
        },
      );
    });

    it('sends a body in pieces of at most the threshold as one PutObject', async () => {
      const bucket = await freshBucket();
      const pieces = awkwardPieces(64 * 1024);
      await sinkFor(bucket).put('runs/d/r/report.json', piecesBody(pieces), 'application/json');
      assert.deepEqual(
        s3Calls().map(({ operation }) => operation),
        ['PutObject'],
      );
      assert.equal(await sinkFor(bucket).get('runs/d/r/report.json'), pieces.join(''));
    });

    it('aborts a streamed upload whose part is refused, or whose body fails to render, leaving no parts', async function () {
      this.timeout(60_000);
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      const failing = textChunks(function* () {
        yield* awkwardPieces(9 * MIB);
        throw new Error('the renderer failed');
      });
      // Act
      peer.addFault({ service: 's3', operation: 'UploadPart', kind: 'access-denied', times: 1 });
      const refused = await sinkError(
        sink.put('runs/d/r/report.json', piecesBody(awkwardPieces(9 * MIB)), 'application/json'),
      );
      const broken = await sinkError(sink.put('runs/d/r/junit.xml', failing, 'application/xml'));
      // Assess
      const pending = await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(
        {
          refused: refused.message.endsWith('(multipart upload, HTTP 403)'),
          broken: broken.message,
          aborts: s3Calls().filter(
            ({ operation, status }) => operation === 'AbortMultipartUpload' && status === 204,
          ).length,
          pending: pending.Uploads ?? [],
          objects: [
            await readRaw(bucket, 'reports/runs/d/r/report.json'),
            await readRaw(bucket, 'reports/runs/d/r/junit.xml'),
          ],
        },
        {
          refused: true,
          broken: `s3://${bucket}/reports/runs/d/r/junit.xml: Error: the renderer failed (multipart upload)`,
          aborts: 2,
          pending: [],
          objects: [undefined, undefined],
        },
      );
    });
  });

  describe('conditional writes of latest.json', () => {
    it('resolves false, writing nothing, when S3 reports a concurrent conditional write (409)', async () => {
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      await sink.put('latest.json', '{"run":1}', 'application/json');
      const current = await sink.getVersioned('latest.json');
      peer.addFault({
        service: 's3',
        operation: 'PutObject',
        key: 'reports/latest.json',
        kind: 'conflict',
        times: 1,
      });
      // Act
      const written = await sink.putIfMatch(
        'latest.json',
        '{"run":2}',
        'application/json',
        current?.version ?? null,
      );
      // Assess
      assert.deepEqual(
        { written, stored: (await readRaw(bucket, 'reports/latest.json'))?.toString('utf8') },
        { written: false, stored: '{"run":1}' },
      );
    });

    it('resolves false when the object was deleted since it was read (If-Match on a missing key)', async () => {
      const bucket = await freshBucket();
      const written = await sinkFor(bucket).putIfMatch('latest.json', '{}', 'application/json', '"0123abcd"');
      assert.deepEqual(
        { written, stored: await readRaw(bucket, 'reports/latest.json') },
        { written: false, stored: undefined },
      );
    });

    it('rejects with a SinkError when the write fails for another reason', async () => {
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', operation: 'PutObject', kind: 'access-denied' });
      const error = await sinkError(
        sinkFor(bucket).putIfMatch('latest.json', '{}', 'application/json', null),
      );
      assert.equal(
        error.message,
        `s3://${bucket}/reports/latest.json: AccessDenied: User: arn:aws:iam::123456789012:role/kubeline-read ` +
          'is not authorized to perform: s3:PutObject (fault injected by the kubeline AWS test peer) (PutObject, HTTP 403)',
      );
    });
  });

  describe('links', () => {
    it('signs for the bucket own region, found once, and the link fetches the object', async () => {
      // Prepare
      const bucket = await freshBucket('eu-west-1');
      const sink = sinkFor(bucket);
      await sink.put('runs/d/r/report.html', '<p>eu</p>', 'text/html');
      // Act
      const first = new URL(await sink.link('runs/d/r/report.html', 7 * 24 * 3600));
      await sink.link('runs/d/r/report.md', 60);
      const response = await fetch(first);
      // Assess
      assert.deepEqual(
        {
          path: first.pathname,
          scope: first.searchParams.get('X-Amz-Credential')?.split('/').slice(2).join('/'),
          expires: first.searchParams.get('X-Amz-Expires'),
          status: response.status,
          body: await response.text(),
          headBuckets: s3Calls().filter(({ operation }) => operation === 'HeadBucket').length,
        },
        {
          path: `/${bucket}/reports/runs/d/r/report.html`,
          scope: 'eu-west-1/s3/aws4_request',
          expires: '604800',
          status: 200,
          body: '<p>eu</p>',
          headBuckets: 1,
        },
      );
    });

    it('refuses lifetimes a presigned URL cannot have', async () => {
      const sink = createS3Sink('s3://acme-kubeline/reports', { env: {} });
      for (const lifetime of [0, -5, 1.5, 604_801]) {
        await assert.rejects(sink.link('latest.json', lifetime), {
          name: 'SinkConfigError',
          message: `s3://acme-kubeline/reports/latest.json: a presigned S3 link lives 1 to 604800 seconds (7 days), not ${lifetime}`,
        });
      }
    });

    it('names the bucket when its region cannot be found', async () => {
      const error = await sinkError(sinkFor('kubeline-missing').link('latest.json', 60));
      assert.equal(
        error.message,
        's3://kubeline-missing/reports/latest.json: NotFound (HeadBucket, HTTP 404)',
      );
    });
  });

  describe('failures', () => {
    it('names the sink, the object and NoSuchBucket for an unknown bucket, on writes and reads', async () => {
      const sink = sinkFor('kubeline-missing');
      assert.deepEqual(
        errorView(await sinkError(sink.put('runs/d/r/report.json', '{}', 'application/json'))),
        {
          name: 'SinkError',
          message:
            's3://kubeline-missing/reports/runs/d/r/report.json: NoSuchBucket: The specified bucket does not exist (PutObject, HTTP 404)',
          context: { sink: 's3://kubeline-missing/reports', key: 'runs/d/r/report.json' },
          hasCause: true,
        },
      );
      assert.equal(
        (await sinkError(sink.getVersioned('latest.json'))).message,
        's3://kubeline-missing/reports/latest.json: NoSuchBucket: The specified bucket does not exist (GetObject, HTTP 404)',
      );
    });

    it('names AccessDenied when the identity may not write', async () => {
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', kind: 'access-denied' });
      const error = await sinkError(sinkFor(bucket).put('runs/d/r/report.json', '{}', 'application/json'));
      assert.deepEqual(errorView(error), {
        name: 'SinkError',
        message:
          `s3://${bucket}/reports/runs/d/r/report.json: AccessDenied: User: arn:aws:iam::123456789012:role/kubeline-read ` +
          'is not authorized to perform: s3:PutObject (fault injected by the kubeline AWS test peer) (PutObject, HTTP 403)',
        context: { sink: `s3://${bucket}/reports`, key: 'runs/d/r/report.json' },
        hasCause: true,
      });
    });

    it('retries throttling and server errors with backoff, and the write lands', async () => {
      // Prepare
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', operation: 'PutObject', kind: 'throttle', times: 1 });
      peer.addFault({ service: 's3', operation: 'PutObject', kind: 'server-error', times: 1 });
      // Act
      await sinkFor(bucket).put('runs/d/r/report.json', '{"ok":true}', 'application/json');
      // Assess
      assert.deepEqual(
        s3Calls().map(({ operation, status }) => ({ operation, status })),
        [
          { operation: 'PutObject', status: 503 },
          { operation: 'PutObject', status: 500 },
          { operation: 'PutObject', status: 200 },
        ],
      );
      assert.equal((await readRaw(bucket, 'reports/runs/d/r/report.json'))?.toString('utf8'), '{"ok":true}');
    });

    it('gives up on a down endpoint within seconds, naming the connection error', async () => {
      // Prepare
      const port = await closedPort();
      const sink = createS3Sink('s3://kubeline-reports/reports', {
        env: { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_REGION: REGION },
      });
      const started = performance.now();
      // Act
      const error = await sinkError(sink.put('latest.json', '{}', 'application/json'));
      // Assess
      assert.ok(performance.now() - started < 5_000, 'five attempts with backoff take well under 5 s');
      assert.deepEqual(errorView(error), {
        name: 'SinkError',
        message: `s3://kubeline-reports/reports/latest.json: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port} (PutObject, 5 attempts)`,
        context: { sink: 's3://kubeline-reports/reports', key: 'latest.json' },
        hasCause: true,
      });
    });

    it('gives up on an endpoint that never answers after the per-attempt time limit', async () => {
      // Prepare
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', operation: 'PutObject', kind: 'timeout' });
      const sink = sinkFor(bucket, { attemptTimeoutMs: 300, maxAttempts: 2 });
      const started = performance.now();
      // Act
      const error = await sinkError(sink.put('latest.json', '{}', 'application/json'));
      // Assess
      assert.ok(performance.now() - started < 5_000, 'two attempts of 300 ms');
      assert.equal(
        error.message,
        `s3://${bucket}/reports/latest.json: ETIMEDOUT: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 300 ms requestTimeout. (PutObject, 2 attempts)`,
      );
    });

    it('retries an attempt that timed out, and the write lands', async () => {
      const bucket = await freshBucket();
      peer.addFault({ service: 's3', operation: 'PutObject', kind: 'timeout', times: 1 });
      await sinkFor(bucket, { attemptTimeoutMs: 300 }).put('latest.json', '{}', 'application/json');
      assert.equal((await readRaw(bucket, 'reports/latest.json'))?.toString('utf8'), '{}');
    });
  });

  describe('endpoint, region and credentials', () => {
    /** A one-shot S3 stand-in that records what the SDK sent. */
    async function recordingEndpoint(): Promise<{
      endpoint: string;
      requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
      close: () => Promise<void>;
    }> {
      const requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
      const server = createHttpServer((request, response) => {
        requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
        request.resume();
        request.on('end', () => response.writeHead(200, { etag: '"0123"' }).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      return {
        endpoint: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((resolve) => server.close(() => resolve())),
      };
    }

    it('sends a loopback endpoint fixed dummy credentials, path-style, and no ACL', async () => {
      // Prepare
      const recorder = await recordingEndpoint();
      const sink = createS3Sink('s3://kubeline-reports/reports', {
        env: { AWS_ENDPOINT_URL_S3: recorder.endpoint, AWS_REGION: 'eu-central-1' },
      });
      // Act
      await sink.put('runs/d/r/report.html', '<p>ok</p>', 'text/html');
      await recorder.close();
      // Assess
      const [request] = recorder.requests;
      assert.deepEqual(
        {
          method: request?.method,
          url: request?.url,
          credential: /Credential=([^,]+)/
            .exec(String(request?.headers.authorization))?.[1]
            ?.replace(/\/\d{8}\//, '/DAY/'),
          acl: request?.headers['x-amz-acl'],
        },
        {
          method: 'PUT',
          url: '/kubeline-reports/reports/runs/d/r/report.html?x-id=PutObject',
          credential: 'kubeline-local-peer/DAY/eu-central-1/s3/aws4_request',
          acl: undefined,
        },
      );
    });

    it('prefers AWS_ENDPOINT_URL_S3 to AWS_ENDPOINT_URL, and uses AWS_ENDPOINT_URL alone', async () => {
      // Prepare
      const bucket = await freshBucket();
      const down = `http://127.0.0.1:${await closedPort()}`;
      const specific = createS3Sink(`s3://${bucket}`, {
        env: { AWS_ENDPOINT_URL: down, AWS_ENDPOINT_URL_S3: peer.endpoint },
      });
      const general = createS3Sink(`s3://${bucket}`, { env: { AWS_ENDPOINT_URL: peer.endpoint } });
      // Act
      await specific.put('a.json', '1', 'application/json');
      await general.put('b.json', '2', 'application/json');
      // Assess
      assert.deepEqual([await general.get('a.json'), await specific.get('b.json')], ['1', '2']);
    });

    it('signs for AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1', async () => {
      // Prepare
      const bucket = await freshBucket();
      const regionOf = async (regionEnv: Readonly<Record<string, string>>) => {
        peer.clearCalls();
        await createS3Sink(`s3://${bucket}`, {
          env: { AWS_ENDPOINT_URL_S3: peer.endpoint, ...regionEnv },
        }).get('latest.json');
        return peer.calls().map((call) => call.region);
      };
      // Act
      const regions = [
        await regionOf({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }),
        await regionOf({ AWS_DEFAULT_REGION: 'ap-south-1' }),
        await regionOf({}),
      ];
      // Assess
      assert.deepEqual(regions, [['eu-west-1'], ['ap-south-1'], ['us-east-1']]);
    });
  });

  it('calls only operations that S3_SINK_ACTIONS authorises, and needs every action it declares', async () => {
    // Prepare
    const bucket = await freshBucket();
    const sink = sinkFor(bucket);
    // Act: every path through the sink
    await sink.get('latest.json');
    await sink.putIfMatch('latest.json', '{}', 'application/json', null);
    const current = await sink.getVersioned('latest.json');
    await sink.putIfMatch('latest.json', '{"run":2}', 'application/json', current?.version ?? null);
    await sink.put('runs/d/r/report.html', awkwardText(9 * MIB), 'text/html');
    await sink.link('runs/d/r/report.html', 60);
    peer.addFault({ service: 's3', operation: 'CompleteMultipartUpload', kind: 'access-denied' });
    await sinkError(sink.put('runs/d/r/report.md', awkwardText(9 * MIB), 'text/markdown'));
    // Assess
    const operations = [...new Set(s3Calls().map(({ operation }) => operation))].sort();
    assert.deepEqual(operations, Object.keys(ACTION_OF_OPERATION).sort());
    const actions = [...new Set(operations.map((operation) => ACTION_OF_OPERATION[operation]))].sort();
    assert.deepEqual(actions, [...S3_SINK_ACTIONS].sort());
  });

  describe('in a pipeline run (--from examples/fleet)', () => {
    const TOOL = { name: 'kubeline', version: '0.0.0-test' };

    /** Pipeline dependencies of `kubeline scan --from examples/fleet`, with the given sink and a clock from `start`. */
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

    async function scan(sink: ReportSink, start: string, runId: string, fallback = new MemorySink()) {
      const outcome = await runScan(await scanDeps(sink, fallback, start, runId), {
        trigger: 'cli',
        formats: FORMATS,
      });
      return { outcome, fallback };
    }

    function failureView(outcome: ScanOutcome, fallback: MemorySink) {
      return {
        failures: outcome.publishFailures.map(({ runId, sink, key }) => ({ runId, sink, key })),
        fallback: outcome.fallbackLocation,
        fallbackKeys: [...fallback.objects.keys()].filter((key) => key.startsWith('runs/')),
        latest: outcome.latest,
        exitCode: exitCodeFor(outcome, 'none'),
      };
    }

    it('writes the whole run byte-exact, the manifest last, then latest.json', async function () {
      this.timeout(60_000);
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      // Act
      const { outcome } = await scan(sink, '2026-11-29T02:00:00Z', 'run-1');
      // Assess: the run's writes in order (the diff's reads and history.json aside)
      const folder = 'runs/2026-11-29/run-1';
      assert.deepEqual(
        s3Calls()
          .filter(
            ({ operation, key }) =>
              operation === 'PutObject' && (key.includes(folder) || key.endsWith('latest.json')),
          )
          .map(({ key }) => key),
        [...RUN_FILES, 'manifest.json']
          .map((name) => `reports/${folder}/${name}`)
          .concat('reports/latest.json'),
      );
      const manifest = JSON.parse(
        (await readRaw(bucket, `reports/${folder}/manifest.json`))?.toString('utf8') ?? '{}',
      );
      const stored = await Promise.all(
        RUN_FILES.map(async (name) => {
          const bytes = (await readRaw(bucket, `reports/${folder}/${name}`)) ?? Buffer.alloc(0);
          return { name, bytes: bytes.length, sha256: sha256(bytes) };
        }),
      );
      assert.deepEqual(manifest.files, stored);
      assert.deepEqual(
        outcome.files.map(({ name, location }) => ({ name, location })),
        RUN_FILES.map((name) => ({ name, location: `s3://${bucket}/reports/${folder}/${name}` })),
      );
      assert.deepEqual(JSON.parse((await readRaw(bucket, 'reports/latest.json'))?.toString('utf8') ?? '{}'), {
        runId: 'run-1',
        folder,
        manifest: `${folder}/manifest.json`,
        startedAt: '2026-11-29T02:00:01.000Z',
        finishedAt: '2026-11-29T02:00:04.000Z',
      });
      assert.deepEqual(
        { latest: outcome.latest, failures: outcome.publishFailures, exit: exitCodeFor(outcome, 'none') },
        { latest: [{ sink: `s3://${bucket}/reports`, state: 'moved' }], failures: [], exit: 0 },
      );
    });

    it('leaves latest.json untouched when a write fails mid-publish, and keeps the whole run in the fallback', async function () {
      this.timeout(60_000);
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      await scan(sink, '2026-11-29T02:00:00Z', 'run-1');
      const before = await readRaw(bucket, 'reports/latest.json');
      peer.addFault({
        service: 's3',
        operation: 'PutObject',
        key: 'reports/runs/2026-11-30/run-2/report.json',
        kind: 'access-denied',
      });
      // Act
      const { outcome, fallback } = await scan(sink, '2026-11-30T02:00:00Z', 'run-2');
      // Assess
      const folder = 'runs/2026-11-30/run-2';
      assert.deepEqual(failureView(outcome, fallback), {
        failures: [{ runId: 'run-2', sink: `s3://${bucket}/reports`, key: `${folder}/report.json` }],
        fallback: `memory://reports/${folder}`,
        fallbackKeys: [...RUN_FILES, 'manifest.json'].map((name) => `${folder}/${name}`),
        latest: [{ sink: `s3://${bucket}/reports`, state: 'failed' }],
        exitCode: 2,
      });
      assert.deepEqual(await readRaw(bucket, 'reports/latest.json'), before);
      assert.equal(await readRaw(bucket, `reports/${folder}/manifest.json`), undefined);
    });

    it('does not move latest.json back when an older run seals after a newer one', async function () {
      this.timeout(60_000);
      // Prepare
      const bucket = await freshBucket();
      const sink = sinkFor(bucket);
      await scan(sink, '2026-11-30T02:00:00Z', 'newer');
      // Act
      const { outcome } = await scan(sink, '2026-11-29T02:00:00Z', 'older');
      // Assess
      assert.deepEqual(outcome.latest, [{ sink: `s3://${bucket}/reports`, state: 'newer-kept' }]);
      const latest = JSON.parse((await readRaw(bucket, 'reports/latest.json'))?.toString('utf8') ?? '{}');
      assert.equal(latest.runId, 'newer');
      assert.ok(
        await readRaw(bucket, 'reports/runs/2026-11-29/older/manifest.json'),
        'the older run is still published',
      );
    });

    it('exits 2 with the whole run in the fallback for an unknown bucket, denied access and a down endpoint', async function () {
      this.timeout(60_000);
      // Prepare
      const denied = await freshBucket();
      const down = `http://127.0.0.1:${await closedPort()}`;
      const failing: readonly (readonly [string, () => S3Sink, string])[] = [
        ['unknown bucket', () => sinkFor('kubeline-missing'), 'NoSuchBucket'],
        [
          'denied access',
          () => {
            peer.addFault({ service: 's3', kind: 'access-denied' });
            return sinkFor(denied);
          },
          'AccessDenied',
        ],
        [
          'down endpoint',
          () =>
            createS3Sink('s3://kubeline-reports/reports', {
              env: { AWS_ENDPOINT_URL_S3: down },
              maxAttempts: 2,
            }),
          'ECONNREFUSED',
        ],
      ];
      for (const [label, open, code] of failing) {
        const sink = open();
        // Act
        const { outcome, fallback } = await scan(sink, '2026-11-29T02:00:00Z', 'run-1');
        peer.clearFaults();
        // Assess
        const folder = 'runs/2026-11-29/run-1';
        assert.deepEqual(
          failureView(outcome, fallback),
          {
            failures: [{ runId: 'run-1', sink: sink.location, key: `${folder}/report.html` }],
            fallback: `memory://reports/${folder}`,
            fallbackKeys: [...RUN_FILES, 'manifest.json'].map((name) => `${folder}/${name}`),
            latest: [{ sink: sink.location, state: 'failed' }],
            exitCode: 2,
          },
          label,
        );
        const reason = outcome.publishFailures[0]?.reason ?? '';
        assert.ok(
          reason.startsWith(`${sink.location}/${folder}/report.html: ${code}`),
          `${label}: ${reason}`,
        );
        assert.ok(!reason.includes('\n'), `${label}: one line`);
      }
    });
  });
});
