import {
  type Bucket,
  IdempotencyStrategy,
  RETRYABLE_ERR_FN_DEFAULT,
  type SaveOptions,
  Storage,
  type StorageOptions,
} from '@google-cloud/storage';
import type { ReportSink, VersionedObject } from '../engine/ports.js';
import type { FileBody } from '../model/reportFormats.js';
import { isLoopbackEndpoint } from '../providers/endpoint.js';
import { type BucketLocation, parseBucketUri } from './bucketUri.js';
import { contentDispositionFor } from './contentDisposition.js';
import { SinkConfigError, SinkError } from './errors.js';
import { planUpload } from './uploadPlan.js';

/**
 * The IAM permissions the sink's identity needs on the bucket, as Google names them.
 * infra/gcp/kubeline-report-bucket-role.yaml grants exactly these and the signing one (a test
 * compares them).
 * - `storage.objects.create`: every write (simple, multipart and resumable uploads).
 * - `storage.objects.delete`: replacing an object that exists (`latest.json`, `history.json`):
 *   Google counts an overwrite as a delete of the old generation.
 * - `storage.objects.get`: reading `latest.json`, the previous run and object metadata.
 */
export const GCS_OBJECT_PERMISSIONS = [
  'storage.objects.create',
  'storage.objects.delete',
  'storage.objects.get',
] as const;

/**
 * Signing links without a key file: Application Default Credentials of an attached service
 * account, GKE workload identity or an impersonated account sign with the IAM Credentials
 * `signBlob` API, which needs this permission on the service account itself (its own
 * "Service Account Token Creator").
 */
export const GCS_SIGNING_PERMISSIONS = ['iam.serviceAccounts.signBlob'] as const;

/** Every permission of the custom role `kubeline-report-bucket`, sorted. */
export const GCS_SINK_PERMISSIONS = [...GCS_OBJECT_PERMISSIONS, ...GCS_SIGNING_PERMISSIONS].sort();

/** V4 signed URLs live at most seven days. */
const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;
/** The client's own retry loop for uploads waits at least one second between attempts. */
const MIN_RETRY_DELAY_SECONDS = 1;
/**
 * The bytes of one request of a resumable upload (a multiple of 256 KiB, as Google requires). The
 * client keeps the chunk in flight, so a dropped connection resumes from the last chunk the
 * service confirmed instead of failing: a streamed body cannot be rewound.
 */
const RESUMABLE_CHUNK_BYTES = 8 * 1024 * 1024;
/** A pinned read that finds its generation gone re-reads the metadata; this bounds the races. */
const VERSIONED_READ_ATTEMPTS = 3;

const DEFAULTS = {
  maxAttempts: 5,
  attemptTimeoutMs: 30_000,
  maxRetryDelaySeconds: 16,
  totalTimeoutSeconds: 120,
  resumableThresholdBytes: 8 * 1024 * 1024,
} as const;

/** A service account key: its `client_email` and PEM `private_key`, as in the JSON key file. */
export interface GcsServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
}

/**
 * What a local peer is told the signer is when no key was given: a fixed dummy, so that nothing
 * ever looks for real credentials on kubeline's behalf. It has no key, so it signs nothing.
 */
const LOCAL_PEER_IDENTITY = {
  client_email: 'kubeline-local-peer@kubeline-local-peer.iam.gserviceaccount.com',
  private_key: '',
};
const LOCAL_PEER_PROJECT = 'kubeline-local-peer';

/** Options of {@link createGcsSink}. */
export interface GcsSinkOptions {
  /**
   * The Cloud Storage JSON API endpoint (`https://storage.example.internal`, or
   * `http://127.0.0.1:PORT` for a local peer). Default: `STORAGE_EMULATOR_HOST` of `env`, the
   * client library's own convention, else Google's endpoint. A loopback endpoint is a local test
   * peer: it is sent no credentials at all, and links are signed only with {@link credentials}.
   * Any other custom endpoint (Private Service Connect) gets the normal credentials.
   */
  readonly endpoint?: string;
  /** Where `STORAGE_EMULATOR_HOST` is read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A service account key to authenticate and sign links with. Default: Application Default
   * Credentials (workload identity federation, an attached service account, GKE workload
   * identity, `GOOGLE_APPLICATION_CREDENTIALS`), which sign with the key file's private key when
   * there is one and with the IAM Credentials `signBlob` API otherwise.
   */
  readonly credentials?: GcsServiceAccountKey;
  /**
   * Attempts per request, the first included (default 5). 408, 429, 5xx, timeouts and connection
   * errors are retried with exponential backoff (multiplier 2), every write included: run files
   * are written once under their own keys, and a conditional write retried after a lost answer
   * only loses its precondition, which the publisher re-reads.
   */
  readonly maxAttempts?: number;
  /** Time limit of one attempt, in milliseconds (default 30 000). */
  readonly attemptTimeoutMs?: number;
  /** The longest wait between two attempts, in seconds (default 16, at least 1). */
  readonly maxRetryDelaySeconds?: number;
  /** No attempt starts after this many seconds from the first one (default 120). */
  readonly totalTimeoutSeconds?: number;
  /**
   * Bodies larger than this many bytes (default 8 MiB) stream as a resumable upload in chunks of
   * 8 MiB, each of which survives a dropped connection; smaller ones go as one multipart request.
   */
  readonly resumableThresholdBytes?: number;
  /** The clock links are signed by ("now" of `X-Goog-Date`). Default: the system clock. */
  readonly clock?: () => Date;
}

/** A parsed `gs://bucket/prefix`. */
export type GcsLocation = BucketLocation;

const BUCKET_CHARACTERS = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Google's bucket naming rules, as its documentation states them. */
function bucketProblem(bucket: string): string | undefined {
  const invalid = (why: string) => `has an invalid bucket name "${bucket}" (${why})`;
  if (bucket === '') return 'names no bucket';
  if (!BUCKET_CHARACTERS.test(bucket)) {
    return invalid(
      'lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
    );
  }
  const components = bucket.split('.');
  if (bucket.length < 3) return invalid('at least 3 characters');
  if (components.length === 1 && bucket.length > 63) return invalid('at most 63 characters without dots');
  if (bucket.length > 222 || components.some((part) => part.length === 0 || part.length > 63)) {
    return invalid('at most 222 characters, dot-separated parts of 1 to 63');
  }
  if (IP_ADDRESS.test(bucket)) return invalid('formatted as an IP address');
  if (bucket.startsWith('goog')) return invalid('starts with "goog"');
  return undefined;
}

/** Parses `gs://bucket/prefix`; throws SinkConfigError naming what is wrong with it. */
export function parseGcsUri(uri: string): GcsLocation {
  return parseBucketUri(uri, { scheme: 'gs', name: 'GCS', bucketProblem });
}

/** Object names are UTF-8 of at most 1024 bytes, without line breaks; a key must stay below the prefix. */
function keyProblem(objectName: string, key: string): string | undefined {
  if (key.split('/').some((segment) => ['', '.', '..'].includes(segment))) {
    return 'object keys must be relative paths without empty, . or .. segments';
  }
  if (/[\r\n]/.test(key)) return 'object keys cannot hold line breaks';
  if (Buffer.byteLength(objectName, 'utf8') > 1024) return 'object names are at most 1024 bytes of UTF-8';
  return undefined;
}

/** Google's JSON error body: `{error: {code, message, errors: [{reason}]}}`. */
function googleErrorBody(body: unknown): { reason?: string; message?: string } {
  const error = (typeof body === 'object' && body !== null ? body : {}) as {
    error?: { message?: unknown; errors?: { reason?: unknown }[] };
  };
  const reason = error.error?.errors?.[0]?.reason;
  const message = error.error?.message;
  return {
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The client leaves Google's body as the message of a failed download. */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The shapes a failure takes: the client's ApiError, a socket error or timeout, or a gaxios error
 * (resumable uploads), which keeps the socket's error as `error`.
 */
interface ClientFailure {
  readonly code?: unknown;
  readonly status?: unknown;
  readonly type?: unknown;
  readonly message?: unknown;
  readonly errors?: readonly { readonly reason?: unknown }[];
  readonly response?: { readonly status?: unknown; readonly data?: unknown };
  readonly error?: unknown;
}

function asFailure(error: unknown): ClientFailure {
  return typeof error === 'object' && error !== null ? (error as ClientFailure) : {};
}

/** The HTTP status of a failed request, wherever the client put it. */
function statusOf(error: unknown): number | undefined {
  const failure = asFailure(error);
  return [failure.code, failure.status, failure.response?.status].find(
    (value): value is number => typeof value === 'number',
  );
}

/** Google's reason code (`notFound`, `forbidden`, `conditionNotMet`…) or the socket's, and the detail. */
function failureDetails(error: unknown): { code: string; detail: string; status?: number } {
  const failure = asFailure(error);
  const inner = asFailure(failure.error);
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const body = googleErrorBody(failure.response?.data ?? parsedJson(message));
  const status = statusOf(error);
  const reason = failure.errors?.[0]?.reason;
  const code = [reason, body.reason, failure.code, failure.type, inner.code, inner.type].find(
    (value): value is string => typeof value === 'string' && value !== '' && !/^\d+$/.test(value),
  );
  const fallback = status === undefined ? (error instanceof Error ? error.name : 'Error') : `HTTP ${status}`;
  const detail = (body.message ?? message).replace(/\s+/g, ' ').trim();
  return { code: code ?? fallback, detail, ...(status === undefined ? {} : { status }) };
}

/** `notFound: The specified bucket does not exist. (objects.insert, HTTP 404)`: one line. */
function describeFailure(operation: string, error: unknown): string {
  const { code, detail, status } = failureDetails(error);
  const context = [operation, ...(status === undefined ? [] : [`HTTP ${status}`])].join(', ');
  return `${code}${detail === '' ? '' : `: ${detail}`} (${context})`;
}

/** A 404 about the bucket, not the object: a read must not take it for "no previous run". */
function isMissingBucket(error: unknown): boolean {
  return statusOf(error) === 404 && /bucket does not exist/i.test(failureDetails(error).detail);
}

const TRANSIENT_SOCKET_CODES: ReadonlySet<unknown> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * What is worth another attempt: the client's own list (408, 429, 5xx, connection resets), plus a
 * timed-out attempt and a refused connection, which the client retries for reads but not for
 * uploads. A down endpoint therefore fails after the bounded retries, never hangs.
 */
function isTransient(error: Parameters<typeof RETRYABLE_ERR_FN_DEFAULT>[0]): boolean {
  if (RETRYABLE_ERR_FN_DEFAULT(error)) return true;
  const failure = asFailure(error);
  return [failure, asFailure(failure.error)].some(
    ({ code, type }) => type === 'request-timeout' || TRANSIENT_SOCKET_CODES.has(code),
  );
}

/**
 * A bucket (and prefix) in Google Cloud Storage as a sink. Objects are written private (no ACL is
 * sent, so the bucket's uniform or default access applies), with the content type the pipeline
 * gives and a `Content-Disposition` from {@link contentDispositionFor}; `latest.json` moves with
 * generation preconditions (`ifGenerationMatch: 0` to create, `ifGenerationMatch: <generation>` to
 * replace), and an object's version is its generation.
 */
export class GcsSink implements ReportSink {
  readonly location: string;
  readonly #bucket: Bucket;
  readonly #prefix: string;
  readonly #attemptTimeoutMs: number;
  readonly #resumableThresholdBytes: number;
  readonly #clock: () => Date;
  /** Why links cannot be signed (a local peer given no key), or undefined when they can. */
  readonly #cannotSign: string | undefined;

  constructor(options: {
    readonly storage: Storage;
    readonly location: GcsLocation;
    readonly attemptTimeoutMs: number;
    readonly resumableThresholdBytes: number;
    readonly clock: () => Date;
    readonly cannotSign?: string;
  }) {
    const { bucket, prefix } = options.location;
    this.location = prefix === '' ? `gs://${bucket}` : `gs://${bucket}/${prefix}`;
    this.#bucket = options.storage.bucket(bucket);
    this.#prefix = prefix;
    this.#attemptTimeoutMs = options.attemptTimeoutMs;
    this.#resumableThresholdBytes = options.resumableThresholdBytes;
    this.#clock = options.clock;
    this.#cannotSign = options.cannotSign;
  }

  async put(key: string, body: FileBody, contentType: string): Promise<void> {
    await this.#save(key, body, contentType, undefined);
  }

  async get(key: string): Promise<string | undefined> {
    return this.#download(key, undefined);
  }

  /**
   * The object's metadata first, then its bytes pinned to that generation, so the body and the
   * version always belong together even while another run replaces the object.
   */
  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    for (let attempt = 0; attempt < VERSIONED_READ_ATTEMPTS; attempt += 1) {
      const generation = await this.#generation(key);
      if (generation === undefined) return undefined;
      const body = await this.#download(key, generation);
      if (body !== undefined) return { body, version: generation };
    }
    throw new SinkError(`the object changed under each of ${VERSIONED_READ_ATTEMPTS} reads (objects.get)`, {
      sink: this.location,
      key,
    });
  }

  /** Google answers 412 conditionNotMet when the generation moved on (or the object appeared). */
  async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    if (expected !== null && !/^\d+$/.test(expected)) {
      throw new SinkError(`"${expected}" is not a GCS generation, so no conditional write can use it`, {
        sink: this.location,
        key,
      });
    }
    // A string, not a number: generations are microsecond timestamps, near the end of exact doubles.
    return this.#save(key, body, contentType, expected ?? 0);
  }

  locate(key: string): string {
    return `${this.location}/${key}`;
  }

  /**
   * A V4 signed URL (GOOG4-RSA-SHA256) for a GET of the object, valid from the sink's clock for
   * `lifetimeSeconds` (at most 7 days). Signed with the service account key when there is one,
   * else through the IAM Credentials signBlob API as the identity of Application Default Credentials.
   */
  async link(key: string, lifetimeSeconds: number): Promise<string> {
    if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > MAX_LINK_SECONDS) {
      throw new SinkConfigError(
        `${this.locate(key)}: a V4 signed GCS link lives 1 to ${MAX_LINK_SECONDS} seconds (7 days), not ${lifetimeSeconds}`,
      );
    }
    if (this.#cannotSign !== undefined) {
      throw new SinkError(this.#cannotSign, { sink: this.location, key });
    }
    const accessibleAt = this.#clock();
    try {
      const [url] = await this.#file(key).getSignedUrl({
        version: 'v4',
        action: 'read',
        accessibleAt,
        expires: accessibleAt.getTime() + lifetimeSeconds * 1000,
      });
      return url;
    } catch (error) {
      throw this.#failure('signing a V4 URL', key, error);
    }
  }

  #objectName(key: string): string {
    const name = this.#prefix === '' ? key : `${this.#prefix}/${key}`;
    const problem = keyProblem(name, key);
    if (problem !== undefined) throw new SinkError(problem, { sink: this.location, key });
    return name;
  }

  #file(key: string, generation?: string) {
    const name = this.#objectName(key);
    return generation === undefined ? this.#bucket.file(name) : this.#bucket.file(name, { generation });
  }

  /**
   * One upload; resolves false only when `ifGenerationMatch` was given and did not hold. Always
   * bytes, never a string: what is stored is exactly the UTF-8 (or the PDF) the pipeline rendered.
   * A large body is handed over as a function of its pieces, which the client calls again when it
   * starts the whole upload over, so it streams and can still be retried.
   */
  async #save(
    key: string,
    body: FileBody,
    contentType: string,
    ifGenerationMatch: number | string | undefined,
  ) {
    const file = this.#file(key);
    const disposition = contentDispositionFor(key);
    let resumable = false;
    try {
      // Inside the try: rendering a body in pieces can fail too, and is then this object's failure.
      const plan = planUpload(body, this.#resumableThresholdBytes);
      resumable = plan.kind === 'streamed';
      const options: SaveOptions = {
        resumable,
        ...(resumable ? { chunkSize: RESUMABLE_CHUNK_BYTES } : {}),
        timeout: this.#attemptTimeoutMs,
        metadata: {
          contentType,
          ...(disposition === undefined ? {} : { contentDisposition: disposition }),
        },
        ...(ifGenerationMatch === undefined ? {} : { preconditionOpts: { ifGenerationMatch } }),
      };
      await file.save(plan.kind === 'whole' ? plan.bytes : plan.pieces, options);
      return true;
    } catch (error) {
      if (ifGenerationMatch !== undefined && statusOf(error) === 412) return false;
      throw this.#failure(resumable ? 'objects.insert, resumable' : 'objects.insert', key, error);
    }
  }

  async #generation(key: string): Promise<string | undefined> {
    try {
      const [metadata] = await this.#file(key).getMetadata();
      return metadata.generation === undefined ? undefined : String(metadata.generation);
    } catch (error) {
      if (error instanceof SinkError) throw error;
      if (statusOf(error) === 404 && !isMissingBucket(error)) return undefined;
      throw this.#failure('objects.get', key, error);
    }
  }

  async #download(key: string, generation: string | undefined): Promise<string | undefined> {
    try {
      const [bytes] = await this.#file(key, generation).download();
      // Buffer, not TextDecoder: a decoder would drop a leading byte order mark.
      return bytes.toString('utf8');
    } catch (error) {
      if (error instanceof SinkError) throw error;
      if (statusOf(error) === 404 && !isMissingBucket(error)) return undefined;
      throw this.#failure('objects.get, media', key, error);
    }
  }

  #failure(operation: string, key: string, error: unknown): SinkError {
    return new SinkError(describeFailure(operation, error), { sink: this.location, key }, { cause: error });
  }
}

function numberOption(value: number | undefined, fallback: number, name: string, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < minimum) {
    throw new SinkConfigError(
      `GCS sink option ${name} must be a number of at least ${minimum}, got ${value}`,
    );
  }
  return value;
}

function wholeNumberOption(
  value: number | undefined,
  fallback: number,
  name: string,
  minimum: number,
): number {
  const checked = numberOption(value, fallback, name, minimum);
  if (!Number.isInteger(checked)) {
    throw new SinkConfigError(`GCS sink option ${name} must be a whole number, got ${checked}`);
  }
  return checked;
}

type RequestInterceptor = NonNullable<StorageOptions['interceptors_']>[number]['request'];

/**
 * The request with a time limit. The client types its interceptors' input and output as two
 * option types that differ only in how optional fields are declared, hence the cast.
 */
function withTimeout(
  request: Parameters<RequestInterceptor>[0],
  timeout: number,
): ReturnType<RequestInterceptor> {
  return { ...request, timeout } as ReturnType<RequestInterceptor>;
}

/** The endpoint from the option or `STORAGE_EMULATOR_HOST`, with its scheme. */
function endpointFrom(options: GcsSinkOptions): string | undefined {
  const env = options.env ?? process.env;
  const given = options.endpoint?.trim() || env.STORAGE_EMULATOR_HOST?.trim() || undefined;
  if (given === undefined) return undefined;
  const endpoint = (/^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `https://${given}`).replace(/\/+$/, '');
  try {
    new URL(endpoint);
  } catch (error) {
    throw new SinkConfigError(`GCS endpoint ${given} is not a URL`, { cause: error });
  }
  // The client reads STORAGE_EMULATOR_HOST from the process itself for its JSON requests and the
  // endpoint for uploads: two different hosts would split reads from writes.
  const processHost = process.env.STORAGE_EMULATOR_HOST?.trim().replace(/\/+$/, '');
  if (processHost && processHost !== endpoint) {
    throw new SinkConfigError(
      `GCS endpoint ${endpoint} differs from STORAGE_EMULATOR_HOST=${processHost}; the client would read from one and write to the other`,
    );
  }
  return endpoint;
}

/**
 * Builds the sink for `gs://bucket/prefix` (`--out`, `output.sinks`). Throws SinkConfigError for a
 * malformed URI or option. Credentials come from Application Default Credentials (or the given
 * key), except for a loopback endpoint (a local test peer), which is sent no credentials at all.
 */
export function createGcsSink(uri: string, options: GcsSinkOptions = {}): GcsSink {
  const location = parseGcsUri(uri);
  const endpoint = endpointFrom(options);
  const local = isLoopbackEndpoint(endpoint);
  const maxAttempts = wholeNumberOption(options.maxAttempts, DEFAULTS.maxAttempts, 'maxAttempts', 1);
  const attemptTimeoutMs = wholeNumberOption(
    options.attemptTimeoutMs,
    DEFAULTS.attemptTimeoutMs,
    'attemptTimeoutMs',
    1,
  );
  const storageOptions: StorageOptions = {
    timeout: attemptTimeoutMs,
    // Resumable uploads ignore `timeout`; request interceptors reach their requests too.
    interceptors_: [{ request: (request) => withTimeout(request, attemptTimeoutMs) }],
    retryOptions: {
      // The client treats maxRetries 0 as "use the default", so a single attempt turns retries off.
      autoRetry: maxAttempts > 1,
      maxRetries: Math.max(1, maxAttempts - 1),
      retryDelayMultiplier: 2,
      maxRetryDelay: numberOption(
        options.maxRetryDelaySeconds,
        DEFAULTS.maxRetryDelaySeconds,
        'maxRetryDelaySeconds',
        MIN_RETRY_DELAY_SECONDS,
      ),
      totalTimeout: numberOption(
        options.totalTimeoutSeconds,
        DEFAULTS.totalTimeoutSeconds,
        'totalTimeoutSeconds',
        1,
      ),
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      retryableErrorFn: isTransient,
    },
    ...(endpoint === undefined ? {} : { apiEndpoint: endpoint, useAuthWithCustomEndpoint: !local }),
    ...(local
      ? { credentials: options.credentials ?? LOCAL_PEER_IDENTITY, projectId: LOCAL_PEER_PROJECT }
      : options.credentials === undefined
        ? {}
        : { credentials: options.credentials }),
  };
  return new GcsSink({
    storage: new Storage(storageOptions),
    location,
    attemptTimeoutMs,
    resumableThresholdBytes: wholeNumberOption(
      options.resumableThresholdBytes,
      DEFAULTS.resumableThresholdBytes,
      'resumableThresholdBytes',
      0,
    ),
    clock: options.clock ?? (() => new Date()),
    ...(local && options.credentials === undefined
      ? {
          cannotSign: `no link signed: a local peer endpoint (${endpoint}) is never sent real credentials, so give the sink a service account key to sign with`,
        }
      : {}),
  });
}
