import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ReportSink, VersionedObject } from '../engine/ports.js';
import type { FileBody } from '../model/reportFormats.js';
import { isLoopbackEndpoint } from '../providers/endpoint.js';
import { contentDispositionFor } from './contentDisposition.js';
import { SinkConfigError, SinkError } from './errors.js';
import { parseS3Uri, type S3Location } from './s3Uri.js';
import { planUpload } from './uploadPlan.js';

export { parseS3Uri, type S3Location };

/**
 * The S3 actions the sink's identity needs, as IAM names them.
 * infra/aws/kubeline-report-bucket-policy.json grants exactly these (a test compares them).
 * - `s3:PutObject`: PutObject, and CreateMultipartUpload, UploadPart and CompleteMultipartUpload
 *   for bodies over the multipart threshold.
 * - `s3:AbortMultipartUpload`: a multipart upload that fails is aborted, leaving no billed parts.
 * - `s3:GetObject`: reading `latest.json` and the previous run, and the presigned links.
 * - `s3:ListBucket`: S3 answers a read of a missing object with 404 only to a caller allowed to
 *   list the bucket, and with 403 to anyone else, so without it the first run (no `latest.json`
 *   yet) could not be told from denied access. HeadBucket, which finds the bucket's region for
 *   links, needs it too.
 */
export const S3_SINK_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:GetObject',
  's3:ListBucket',
  's3:PutObject',
] as const;

/** With `output.s3.kmsKeyId`: S3 asks KMS for a data key on every write and decrypts it on every read. */
export const S3_SINK_KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** S3's smallest multipart part (the last one excepted) and its largest single PutObject. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PUT_BYTES = 5 * 1024 * 1024 * 1024;
/** SigV4 presigned URLs live at most seven days. */
const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;

const DEFAULTS = {
  maxAttempts: 5,
  attemptTimeoutMs: 15_000,
  multipartThresholdBytes: 8 * 1024 * 1024,
  /** Parts in flight at once: memory is at most this many parts. */
  multipartQueueSize: 4,
  region: 'us-east-1',
} as const;

/** Credentials kubeline presents to a local S3 peer: never real ones, whatever the environment holds. */
const LOCAL_PEER_CREDENTIALS = { accessKeyId: 'kubeline-local-peer', secretAccessKey: 'kubeline-local-peer' };

/** Options of {@link createS3Sink}. */
export interface S3SinkOptions {
  /**
   * SSE-KMS (`output.s3.kmsKeyId`): the KMS key id, alias or ARN every object is encrypted with,
   * sent as `ServerSideEncryption: aws:kms` and `SSEKMSKeyId` on every write. Omitted, the bucket's
   * default encryption applies.
   */
  readonly kmsKeyId?: string;
  /**
   * Where the endpoint and region come from: `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL` (the
   * SDK's own convention; a loopback endpoint is a local peer, addressed path-style with fixed
   * dummy credentials), and `AWS_REGION`, else `AWS_DEFAULT_REGION`, else us-east-1 (a bucket in
   * another region is followed there). Default: `process.env`. Credentials always come from the
   * SDK's default chain (environment, profile, SSO, container or instance role).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Attempts per request, the first included (default 5). The SDK's standard retry mode retries
   * throttling (503 SlowDown), 5xx, timeouts and connection errors with jittered exponential
   * backoff (base 100 ms, cap 20 s).
   */
  readonly maxAttempts?: number;
  /**
   * Time limit of one attempt, in milliseconds (default 15 000): to connect, and then for each
   * silence on the connection, so a large upload that keeps moving is not cut.
   */
  readonly attemptTimeoutMs?: number;
  /**
   * Bodies larger than this many bytes (default 8 MiB, at least 5 MiB) are sent as a multipart
   * upload in parts of this size, four at a time, so one lost part is retried alone.
   */
  readonly multipartThresholdBytes?: number;
}

function positiveInteger(value: number | undefined, fallback: number, name: string, minimum = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < minimum) {
    throw new SinkConfigError(
      `S3 sink option ${name} must be an integer of at least ${minimum}, got ${value}`,
    );
  }
  return value;
}

/** What an S3Sink builds its clients from: every client shares the connection pool and retry policy. */
export interface S3ClientSettings {
  readonly endpoint: string | undefined;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly maxAttempts: number;
  readonly handler: NodeHttpHandler;
}

function s3Client(settings: S3ClientSettings, region: string): S3Client {
  return new S3Client({
    region,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard',
    requestHandler: settings.handler,
    // S3 answers a request sent to the wrong region with a redirect naming the bucket's region.
    followRegionRedirects: true,
    ...(settings.endpoint === undefined
      ? {}
      : // A local peer is one host: the bucket goes in the path, not in a DNS name.
        { endpoint: settings.endpoint, forcePathStyle: isLoopbackEndpoint(settings.endpoint) }),
  });
}

/** The HTTP status and the attempts the SDK made, which it attaches to every error it throws. */
function metadataOf(error: unknown): { status?: number; attempts?: number } {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return {};
  const metadata = error.$metadata as { httpStatusCode?: unknown; attempts?: unknown };
  return {
    ...(typeof metadata.httpStatusCode === 'number' ? { status: metadata.httpStatusCode } : {}),
    ...(typeof metadata.attempts === 'number' ? { attempts: metadata.attempts } : {}),
  };
}

/** S3's error code (`NoSuchBucket`), else the system's (`ECONNREFUSED`), else the error's name. */
function providerCode(error: unknown): string {
  if (error instanceof S3ServiceException) return error.name;
  const errno = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (typeof errno === 'string') return errno;
  return error instanceof Error ? error.name : 'Error';
}

/** The provider's message on one line; empty for HEAD errors, which have no body to carry one. */
function providerMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === 'UnknownError' ? '' : message.replace(/\s+/g, ' ').trim();
}

/** `NoSuchBucket: The specified bucket does not exist (PutObject, HTTP 404, 5 attempts)`. */
function describeFailure(operation: string, error: unknown): string {
  const { status, attempts } = metadataOf(error);
  const detail = providerMessage(error);
  const context = [
    operation,
    ...(status === undefined ? [] : [`HTTP ${status}`]),
    ...(attempts !== undefined && attempts > 1 ? [`${attempts} attempts`] : []),
  ].join(', ');
  return `${providerCode(error)}${detail === '' ? '' : `: ${detail}`} (${context})`;
}

/** A conditional write that found the object changed: S3's 412, or its 409 for an overlapping write. */
function lostPrecondition(error: unknown, expected: string | null): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === 'PreconditionFailed' || error.name === 'ConditionalRequestConflict') return true;
  // If-Match on an object deleted since it was read: it is no longer at the expected version.
  return expected !== null && error.name === 'NoSuchKey';
}

/**
 * A bucket (and prefix) in Amazon S3 as a sink. Objects are written private (no ACL is sent, so
 * the bucket's owner-only default applies), with the content type the pipeline gives and a
 * `Content-Disposition` from {@link contentDispositionFor}; `latest.json` moves with S3's
 * conditional writes (`If-None-Match: *` to create, `If-Match: <ETag>` to replace).
 */
export class S3Sink implements ReportSink {
  readonly location: string;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #region: string;
  readonly #settings: S3ClientSettings;
  readonly #client: S3Client;
  readonly #kmsKeyId: string | undefined;
  readonly #multipartThresholdBytes: number;
  #signingClient: Promise<S3Client> | undefined;

  constructor(options: {
    readonly location: S3Location;
    readonly region: string;
    readonly settings: S3ClientSettings;
    readonly kmsKeyId?: string;
    readonly multipartThresholdBytes: number;
  }) {
    const { bucket, prefix } = options.location;
    this.location = prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`;
    this.#bucket = bucket;
    this.#prefix = prefix;
    this.#region = options.region;
    this.#settings = options.settings;
    this.#client = s3Client(options.settings, options.region);
    this.#kmsKeyId = options.kmsKeyId;
    this.#multipartThresholdBytes = options.multipartThresholdBytes;
  }

  /**
   * A body up to the multipart threshold goes in one PutObject; a larger one streams into a
   * multipart upload from its pieces as they are encoded, so memory holds at most the parts in
   * flight, never the body.
   */
  async put(key: string, body: FileBody, contentType: string): Promise<void> {
    const input = this.#putInput(key, contentType);
    let operation = 'PutObject';
    try {
      // Inside the try: rendering a body in pieces can fail too, and is then this object's failure.
      const plan = planUpload(body, this.#multipartThresholdBytes);
      if (plan.kind === 'whole') {
        await this.#client.send(new PutObjectCommand({ ...input, Body: plan.bytes }));
      } else {
        operation = 'multipart upload';
        await this.#uploadMultipart({ ...input, Body: Readable.from(plan.pieces()) });
      }
    } catch (error) {
      throw this.#failure(operation, key, error);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#read(key))?.body;
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    const object = await this.#read(key);
    if (object === undefined) return undefined;
    if (object.etag === undefined) {
      throw new SinkError('GetObject answered without an ETag, so no conditional write can follow', {
        sink: this.location,
        key,
      });
    }
    return { body: object.body, version: object.etag };
  }

  /**
   * A single PutObject whatever the size: the pointer it is used for is small. The SDK may retry a
   * write whose answer was lost; if the first attempt landed, the retry sees 412 and this resolves
   * false, and the publisher's re-read then finds the pointer already names this run.
   */
  async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    const condition = expected === null ? { IfNoneMatch: '*' } : { IfMatch: expected };
    try {
      await this.#client.send(
        new PutObjectCommand({
          ...this.#putInput(key, contentType),
          Body: Buffer.from(body, 'utf8'),
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (lostPrecondition(error, expected)) return false;
      throw this.#failure('PutObject', key, error);
    }
  }

  locate(key: string): string {
    return `${this.location}/${key}`;
  }

  /**
   * A presigned GetObject URL, signed for the bucket's own region (found once with HeadBucket) so
   * it works wherever the bucket is. It stops working at `lifetimeSeconds` (at most 7 days), or
   * earlier when the credentials that signed it expire (a role session's end).
   */
  async link(key: string, lifetimeSeconds: number): Promise<string> {
    if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > MAX_LINK_SECONDS) {
      throw new SinkConfigError(
        `${this.locate(key)}: a presigned S3 link lives 1 to ${MAX_LINK_SECONDS} seconds (7 days), not ${lifetimeSeconds}`,
      );
    }
    let operation = 'HeadBucket';
    try {
      const client = await this.#clientForLinks();
      operation = 'presigning GetObject';
      return await getSignedUrl(client, new GetObjectCommand(this.#address(key)), {
        expiresIn: lifetimeSeconds,
      });
    } catch (error) {
      throw this.#failure(operation, key, error);
    }
  }

  #address(key: string): { Bucket: string; Key: string } {
    return { Bucket: this.#bucket, Key: this.#prefix === '' ? key : `${this.#prefix}/${key}` };
  }

  /**
   * Everything of a write but its body. The body is always bytes, never a string: what is stored
   * is exactly the UTF-8 (or the PDF) the pipeline rendered.
   */
  #putInput(key: string, contentType: string): Omit<PutObjectCommandInput, 'Body'> {
    const disposition = contentDispositionFor(key);
    return {
      ...this.#address(key),
      ContentType: contentType,
      ...(disposition === undefined ? {} : { ContentDisposition: disposition }),
      ...(this.#kmsKeyId === undefined
        ? {}
        : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.#kmsKeyId }),
    };
  }

  async #uploadMultipart(input: PutObjectCommandInput): Promise<void> {
    await new Upload({
      client: this.#client,
      params: input,
      partSize: this.#multipartThresholdBytes,
      queueSize: DEFAULTS.multipartQueueSize,
      leavePartsOnError: false,
    }).done();
  }

  async #read(key: string): Promise<{ body: string; etag: string | undefined } | undefined> {
    try {
      const response = await this.#client.send(new GetObjectCommand(this.#address(key)));
      const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
      // Buffer, not TextDecoder: a decoder would drop a leading byte order mark.
      return {
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
        etag: response.ETag,
      };
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw this.#failure('GetObject', key, error);
    }
  }

  /** The region a presigned URL must name: the bucket's, which can differ from the client's. */
  #clientForLinks(): Promise<S3Client> {
    if (this.#signingClient === undefined) {
      const pending = this.#client
        .send(new HeadBucketCommand({ Bucket: this.#bucket }))
        .then(({ BucketRegion }) =>
          BucketRegion === undefined || BucketRegion === this.#region
            ? this.#client
            : s3Client(this.#settings, BucketRegion),
        );
      // A failed lookup is not kept: the next link asks again.
      pending.catch(() => {
        this.#signingClient = undefined;
      });
      this.#signingClient = pending;
    }
    return this.#signingClient;
  }

  #failure(operation: string, key: string, error: unknown): SinkError {
    return new SinkError(describeFailure(operation, error), { sink: this.location, key }, { cause: error });
  }
}

/**
 * Builds the sink for `s3://bucket/prefix` (`--out`, `output.sinks`). Throws SinkConfigError for a
 * malformed URI or option. Credentials come from the SDK's default chain, except for a loopback
 * endpoint (a local test peer), which gets fixed dummy credentials and never real ones.
 */
export function createS3Sink(uri: string, options: S3SinkOptions = {}): S3Sink {
  const location = parseS3Uri(uri);
  const env = options.env ?? process.env;
  const endpoint = env.AWS_ENDPOINT_URL_S3?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;
  const attemptTimeoutMs = positiveInteger(
    options.attemptTimeoutMs,
    DEFAULTS.attemptTimeoutMs,
    'attemptTimeoutMs',
  );
  const multipartThresholdBytes = positiveInteger(
    options.multipartThresholdBytes,
    DEFAULTS.multipartThresholdBytes,
    'multipartThresholdBytes',
    MIN_PART_BYTES,
  );
  if (multipartThresholdBytes > MAX_PUT_BYTES) {
    throw new SinkConfigError(
      `S3 sink option multipartThresholdBytes must be at most ${MAX_PUT_BYTES} (5 GiB)`,
    );
  }
  const kmsKeyId = options.kmsKeyId?.trim();
  if (kmsKeyId === '')
    throw new SinkConfigError('output.s3.kmsKeyId is empty; give a KMS key id, alias or ARN');
  return new S3Sink({
    location,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || DEFAULTS.region,
    settings: {
      endpoint,
      credentials: isLoopbackEndpoint(endpoint) ? LOCAL_PEER_CREDENTIALS : fromNodeProviderChain(),
      maxAttempts: positiveInteger(options.maxAttempts, DEFAULTS.maxAttempts, 'maxAttempts'),
      handler: new NodeHttpHandler({
        connectionTimeout: attemptTimeoutMs,
        requestTimeout: attemptTimeoutMs,
        // Without this the handler only logs a warning when the limit passes and keeps waiting.
        throwOnRequestTimeout: true,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
      }),
    },
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    multipartThresholdBytes,
  });
}
