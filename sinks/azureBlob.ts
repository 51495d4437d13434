import { Readable } from 'node:stream';
import { buffer as readStream } from 'node:stream/consumers';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import {
  type BlobHTTPHeaders,
  type BlobRequestConditions,
  BlobSASPermissions,
  BlobServiceClient,
  type BlockBlobClient,
  RestError,
  SASProtocol,
  type StoragePipelineOptions,
  StorageRetryPolicyType,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from '@azure/storage-blob';
import type { ReportSink, VersionedObject } from '../engine/ports.js';
import type { FileBody } from '../model/reportFormats.js';
import { isLoopbackHost } from '../providers/endpoint.js';
import { contentDispositionFor } from './contentDisposition.js';
import { SinkConfigError, SinkError } from './errors.js';
import { planUpload } from './uploadPlan.js';

/**
 * The Azure control-plane action the sink needs, as Azure RBAC names it: a user delegation key
 * signs its SAS links. infra/azure/kubeline-report-writer.role.json grants exactly these (a test
 * compares them).
 */
export const BLOB_SINK_ACTIONS = [
  'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
] as const;

/** The data actions the sink needs: read blobs (the previous `latest.json`) and write them (the run). */
export const BLOB_SINK_DATA_ACTIONS = [
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
] as const;

/**
 * The key of Azurite's development account (devstoreaccount1): a public constant Microsoft documents
 * for the storage emulator. A loopback endpoint is a local test peer and gets it, never a real credential.
 */
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const PUBLIC_CLOUD_BLOB_SUFFIX = '.blob.core.windows.net';
/** Storage account names: 3 to 24 lowercase letters and digits. */
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
/** Container names: 3 to 63 lowercase letters, digits and single hyphens, starting and ending alphanumeric. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The static website container, which the account serves to anyone: reports must never land there. */
const STATIC_WEBSITE_CONTAINER = '$web';
/** A user delegation key, and so a SAS it signs, lasts at most seven days (Get User Delegation Key). */
const MAX_DELEGATION_SECONDS = 7 * 24 * 3600;
/** A key asked to start a little in the past still works on a service whose clock runs behind ours. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * The SAS version links are signed at. 2026-04-06 adds signed request headers and query parameters,
 * which kubeline does not use, and Azurite 3.35 cannot verify user delegation SAS at that version.
 */
const SAS_VERSION = '2025-11-05';
const MIB = 1024 * 1024;
/** The SDK uploads at most 256 MiB in one Put Blob (`maxSingleShotSize`). */
const MAX_SINGLE_SHOT_BYTES = 256 * MIB;
/** Put Block takes at most 4000 MiB. */
const MAX_BLOCK_BYTES = 4000 * MIB;

/** Where an `azblob://` or `https://` sink URI points: the blob service, the container and the prefix. */
export interface AzureBlobTarget {
  /** The blob service endpoint: `https://acct.blob.core.windows.net`, or `http://127.0.0.1:10000/acct` for a peer. */
  readonly serviceUrl: string;
  readonly account: string;
  readonly container: string;
  /** Blob name prefix without slashes at either end; '' for the container's root. */
  readonly prefix: string;
  /** A local test peer (Azurite) on a loopback address, addressed path-style. */
  readonly loopback: boolean;
}

/** What the SDK's retry policy and the sink's uploads do; every field has a production default. */
export interface AzureBlobSinkOptions {
  /**
   * The identity for a cloud endpoint. Default: `DefaultAzureCredential` (workload identity, managed
   * identity, environment, `az login`; `AZURE_AUTHORITY_HOST` for a sovereign cloud). A loopback
   * endpoint ignores it and gets Azurite's development key: a local peer never sees a real identity.
   */
  readonly credential?: TokenCredential;
  /** `retryOptions.maxTries`: HTTP attempts per request, the first included. Default 4. */
  readonly maxTries?: number;
  /**
   * `retryOptions.retryDelayInMs`: the exponential backoff's unit. The SDK waits (2^(n-1) - 1) units
   * before attempt n + 1 (0, 1, 3, 7 … units), capped at `maxRetryDelayMs`. Default 1000 ms.
   */
  readonly retryDelayMs?: number;
  /** `retryOptions.maxRetryDelayInMs`: the longest wait between two attempts. Default 10 000 ms. */
  readonly maxRetryDelayMs?: number;
  /**
   * `retryOptions.tryTimeoutInMs`: the service-side limit of one attempt (the `timeout` query
   * parameter); a service that gives up answers 500 OperationTimedOut, which is retried. Default 60 000 ms.
   */
  readonly tryTimeoutMs?: number;
  /**
   * The client-side limit of one sink operation, every attempt and wait included, so an endpoint that
   * accepts connections and never answers fails the write instead of hanging the run. Default 300 000 ms.
   */
  readonly operationTimeoutMs?: number;
  /**
   * Bodies up to this size go in one Put Blob; larger ones stream in staged blocks. Default 8 MiB,
   * at most 256 MiB.
   */
  readonly singleShotBytes?: number;
  /** The block size of staged uploads. Default 8 MiB. */
  readonly blockBytes?: number;
  /**
   * Blocks a staged upload holds in memory at once (default 4); the SDK has three quarters of them
   * (rounded up) in flight, so memory stays at this many blocks whatever the body's size.
   */
  readonly blockConcurrency?: number;
  /** The clock a link's expiry is counted from. Default: the system clock. */
  readonly clock?: () => Date;
}

/** How one sink uploads, bounds its operations and dates its links. */
export interface AzureBlobTuning {
  readonly operationTimeoutMs: number;
  readonly singleShotBytes: number;
  readonly blockBytes: number;
  readonly blockConcurrency: number;
  readonly clock: () => Date;
}

const DEFAULT_RETRY = { maxTries: 4, retryDelayMs: 1000, maxRetryDelayMs: 10_000, tryTimeoutMs: 60_000 };
const DEFAULT_TUNING: AzureBlobTuning = {
  operationTimeoutMs: 300_000,
  singleShotBytes: 8 * MIB,
  blockBytes: 8 * MIB,
  blockConcurrency: 4,
  clock: () => new Date(),
};

/** The URI for messages: a query string may hold a SAS token, which must never reach a log. */
function redacted(uri: string): string {
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : `${uri.slice(0, cut)}?…`;
}

function configError(uri: string, problem: string): SinkConfigError {
  return new SinkConfigError(`${redacted(uri)}: ${problem}`);
}

function parseUrl(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    throw configError(
      uri,
      'not a URL; use azblob://account/container/prefix or https://account.blob.core.windows.net/container/prefix',
    );
  }
}

/**
 * Refuses "." and ".." path segments (plain or %-escaped) in the URI as written: URL parsing
 * resolves them away, so the sink would write somewhere other than the URI says.
 */
function refuseDotSegments(uri: string): void {
  const path = (uri.split(/[?#]/)[0] ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const dotted = path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  if (dotted) throw configError(uri, 'the prefix has an empty, "." or ".." segment');
}

function decodedSegments(uri: string, path: string): string[] {
  const segments = path.split('/').slice(1);
  while (segments.length > 0 && segments.at(-1) === '') segments.pop();
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    throw configError(uri, 'the path has a malformed %-escape');
  }
}

function checkedAccount(uri: string, account: string): string {
  if (!ACCOUNT_NAME.test(account)) {
    throw configError(
      uri,
      `"${account}" is not a storage account name (3 to 24 lowercase letters and digits)`,
    );
  }
  return account;
}

function checkedContainer(uri: string, container: string | undefined): string {
  if (container === undefined || container === '') throw configError(uri, 'names no container');
  if (container === STATIC_WEBSITE_CONTAINER) {
    throw configError(
      uri,
      '$web is the static website container, which anyone can read; reports stay private',
    );
  }
  if (!CONTAINER_NAME.test(container)) {
    throw configError(
      uri,
      `"${container}" is not a container name (3 to 63 lowercase letters, digits and single hyphens)`,
    );
  }
  return container;
}

function checkedPrefix(uri: string, segments: readonly string[]): string {
  // A "." or ".." segment would be resolved away by URL parsing and write outside the prefix.
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw configError(uri, 'the prefix has an empty, "." or ".." segment');
  }
  return segments.join('/');
}

/**
 * Reads a sink URI: `azblob://account/container/prefix`; an https URL whose host starts with the
 * account (`https://acct.blob.core.windows.net/container/prefix`, or a sovereign cloud's suffix)
 * and whose first path segment is the container; or, for a loopback host only, Azurite's path-style
 * `http://127.0.0.1:10000/account/container/prefix`. Throws SinkConfigError for anything else.
 */
export function parseAzureBlobUri(uri: string): AzureBlobTarget {
  const url = parseUrl(uri);
  refuseDotSegments(uri);
  if (url.search !== '' || url.hash !== '') {
    throw configError(
      uri,
      'a sink URI takes no query or fragment (never a SAS token): kubeline signs in itself',
    );
  }
  if (url.username !== '' || url.password !== '')
    throw configError(uri, 'a sink URI takes no user or password');
  const segments = decodedSegments(uri, url.pathname);
  if (url.protocol === 'azblob:') {
    if (url.port !== '') throw configError(uri, 'azblob:// takes an account name, not a host and port');
    const account = checkedAccount(uri, url.hostname);
    const [container, ...prefix] = segments;
    return {
      serviceUrl: `https://${account}${PUBLIC_CLOUD_BLOB_SUFFIX}`,
      account,
      container: checkedContainer(uri, container),
      prefix: checkedPrefix(uri, prefix),
      loopback: false,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(uri, `unsupported scheme ${url.protocol}// (use azblob:// or https://)`);
  }
  if (isLoopbackHost(url.hostname)) {
    const [account = '', container, ...prefix] = segments;
    return {
      serviceUrl: `${url.origin}/${checkedAccount(uri, account)}`,
      account,
      container: checkedContainer(uri, container),
      prefix: checkedPrefix(uri, prefix),
      loopback: true,
    };
  }
  if (url.protocol === 'http:') {
    throw configError(uri, 'plain http is allowed only for a local test peer on a loopback address');
  }
  const account = checkedAccount(uri, url.hostname.split('.')[0] ?? '');
  const [container, ...prefix] = segments;
  return {
    serviceUrl: url.origin,
    account,
    container: checkedContainer(uri, container),
    prefix: checkedPrefix(uri, prefix),
    loopback: false,
  };
}

function positiveInteger(uri: string, name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 1) {
    throw configError(uri, `option ${name} must be a positive integer, got ${value}`);
  }
  return chosen;
}

function withinLimit(uri: string, name: string, value: number, limit: number): number {
  if (value > limit) throw configError(uri, `option ${name} is at most ${limit} bytes, got ${value}`);
  return value;
}

/** The SDK's pipeline options: its exponential retry policy, and the token audience of the account's cloud. */
function pipelineOptions(uri: string, target: AzureBlobTarget, options: AzureBlobSinkOptions) {
  const pipeline: StoragePipelineOptions = {
    retryOptions: {
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      maxTries: positiveInteger(uri, 'maxTries', options.maxTries, DEFAULT_RETRY.maxTries),
      retryDelayInMs: positiveInteger(uri, 'retryDelayMs', options.retryDelayMs, DEFAULT_RETRY.retryDelayMs),
      maxRetryDelayInMs: positiveInteger(
        uri,
        'maxRetryDelayMs',
        options.maxRetryDelayMs,
        DEFAULT_RETRY.maxRetryDelayMs,
      ),
      tryTimeoutInMs: positiveInteger(uri, 'tryTimeoutMs', options.tryTimeoutMs, DEFAULT_RETRY.tryTimeoutMs),
    },
  };
  // The SDK's default audience (https://storage.azure.com) is the public cloud's; an account-specific
  // audience, its own endpoint, is accepted in every cloud.
  const sovereign = !target.loopback && !target.serviceUrl.endsWith(PUBLIC_CLOUD_BLOB_SUFFIX);
  return sovereign ? { ...pipeline, audience: `${target.serviceUrl}/.default` } : pipeline;
}

function tuningFrom(uri: string, options: AzureBlobSinkOptions): AzureBlobTuning {
  return {
    operationTimeoutMs: positiveInteger(
      uri,
      'operationTimeoutMs',
      options.operationTimeoutMs,
      DEFAULT_TUNING.operationTimeoutMs,
    ),
    singleShotBytes: withinLimit(
      uri,
      'singleShotBytes',
      positiveInteger(uri, 'singleShotBytes', options.singleShotBytes, DEFAULT_TUNING.singleShotBytes),
      MAX_SINGLE_SHOT_BYTES,
    ),
    blockBytes: withinLimit(
      uri,
      'blockBytes',
      positiveInteger(uri, 'blockBytes', options.blockBytes, DEFAULT_TUNING.blockBytes),
      MAX_BLOCK_BYTES,
    ),
    blockConcurrency: positiveInteger(
      uri,
      'blockConcurrency',
      options.blockConcurrency,
      DEFAULT_TUNING.blockConcurrency,
    ),
    clock: options.clock ?? DEFAULT_TUNING.clock,
  };
}

/**
 * Builds the Azure Blob sink for `--out` / `output.sinks`: parses the URI (SinkConfigError when
 * malformed), picks the credential (DefaultAzureCredential, or Azurite's development key for a
 * loopback peer) and configures the SDK's retry policy. Makes no request: a missing container or a
 * refused identity shows on the first write, as a SinkError naming the sink and the object.
 */
export function createAzureBlobSink(uri: string, options: AzureBlobSinkOptions = {}): AzureBlobSink {
  const target = parseAzureBlobUri(uri);
  const tuning = tuningFrom(uri, options);
  const credential = target.loopback
    ? new StorageSharedKeyCredential(target.account, AZURITE_ACCOUNT_KEY)
    : (options.credential ?? new DefaultAzureCredential());
  const service = new BlobServiceClient(target.serviceUrl, credential, pipelineOptions(uri, target, options));
  return new AzureBlobSink({
    location: uri.replace(/\/+$/, ''),
    service,
    container: target.container,
    prefix: target.prefix,
    tuning,
  });
}

/** The error code the service (or the network layer) gave, else the error's own name. */
function errorCode(error: unknown): string {
  if (error instanceof RestError) return error.code ?? `HTTP${error.statusCode ?? ''}`;
  return error instanceof Error ? error.name : 'Error';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'no message';
}

/** What to do about failures whose service message does not say it. */
const HINTS: Readonly<Record<string, string>> = {
  ContainerNotFound: ' (kubeline never creates the container: create it, private, first)',
  AuthorizationPermissionMismatch:
    ' (the identity needs the role in infra/azure/kubeline-report-writer.role.json on the account)',
  ENOTFOUND: ' (check the storage account name)',
};

/** One line: the code, the service's first line of explanation, and a hint where one helps. */
function describeFailure(error: unknown, deadline: AbortSignal, timeoutMs: number): string {
  if (deadline.aborted) return `Timeout: no complete answer within ${timeoutMs / 1000} s, retries included`;
  const code = errorCode(error);
  return `${code}: ${firstLine(error)}${HINTS[code] ?? ''}`;
}

function hasCode(error: unknown, status: number, code: string): boolean {
  return error instanceof RestError && error.statusCode === status && error.code === code;
}

/** The object is not (or no longer) where a conditional write expected it: another writer won. */
function lostRace(error: unknown, expected: string | null): boolean {
  return (
    hasCode(error, 412, 'ConditionNotMet') ||
    hasCode(error, 409, 'BlobAlreadyExists') ||
    (expected !== null && hasCode(error, 404, 'BlobNotFound'))
  );
}

/**
 * The upload's outcome, or a rejection as soon as the deadline passes. The SDK hands the abort
 * signal of a streamed upload to its commit only, not to the blocks being staged, so without this
 * a block that never gets an answer would hold the write past the sink's deadline; `stop` ends the
 * body's stream so that no further block is staged.
 */
async function untilAborted<T>(upload: Promise<T>, abortSignal: AbortSignal, stop: () => void): Promise<T> {
  // The upload may still reject after the deadline has: that is no longer anyone's concern.
  upload.catch(() => undefined);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      stop();
      reject(abortSignal.reason);
    };
  });
  // The deadline is a timer, so it cannot have passed during the synchronous start of the upload.
  abortSignal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([upload, aborted]);
  } finally {
    abortSignal.removeEventListener('abort', onAbort);
  }
}

/** Rejects keys whose "." or ".." segments URL parsing would resolve out of the sink's prefix. */
function checkedKey(key: string, sink: string): string {
  const segments = key.split('/');
  if (key === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new SinkError('object keys must be relative paths without empty, "." or ".." segments', {
      sink,
      key,
    });
  }
  return key;
}

/**
 * An Azure Blob Storage container (and prefix) as a sink. Objects are block blobs with the content
 * type the pipeline gives and the shared `Content-Disposition` rule; versions are ETags, and
 * conditional writes use `If-None-Match: *` / `If-Match`. The container is never created nor made
 * public. Links are read-only SAS URLs: signed with the account key for a local peer, with a user
 * delegation key for an Entra identity.
 */
export class AzureBlobSink implements ReportSink {
  readonly location: string;
  readonly #service: BlobServiceClient;
  readonly #container: string;
  readonly #prefix: string;
  readonly #tuning: AzureBlobTuning;
  #delegation: { readonly key: Promise<UserDelegationKey>; readonly expiresOn: Date } | undefined;

  constructor(parts: {
    /** The sink's root as the user wrote it: what messages and failures name. */
    readonly location: string;
    /** A client for the account's blob service, with its credential and retry policy. */
    readonly service: BlobServiceClient;
    readonly container: string;
    /** Blob name prefix without slashes at either end; '' for the container's root. */
    readonly prefix: string;
    readonly tuning?: Partial<AzureBlobTuning>;
  }) {
    this.location = parts.location;
    this.#service = parts.service;
    this.#container = parts.container;
    this.#prefix = parts.prefix;
    this.#tuning = { ...DEFAULT_TUNING, ...parts.tuning };
  }

  async put(key: string, body: FileBody, contentType: string): Promise<void> {
    await this.#call(key, (abortSignal) => this.#upload(key, body, contentType, {}, abortSignal));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.getVersioned(key))?.body;
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    return this.#call(key, async (abortSignal) => {
      try {
        // One GET gives the body and its ETag together, so the version is the body's own.
        const response = await this.#blob(key).download(0, undefined, { abortSignal });
        const body = response.readableStreamBody
          ? await readStream(response.readableStreamBody)
          : Buffer.alloc(0);
        return { body: body.toString('utf8'), version: response.etag ?? '' };
      } catch (error) {
        // Only a missing blob is "absent": a missing container is a broken sink.
        if (hasCode(error, 404, 'BlobNotFound')) return undefined;
        throw error;
      }
    });
  }

  async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    const conditions: BlobRequestConditions =
      expected === null ? { ifNoneMatch: '*' } : { ifMatch: expected };
    return this.#call(key, async (abortSignal) => {
      try {
        await this.#upload(key, body, contentType, conditions, abortSignal);
        return true;
      } catch (error) {
        if (lostRace(error, expected)) return false;
        throw error;
      }
    });
  }

  locate(key: string): string {
    return this.#blob(key).url;
  }

  async link(key: string, lifetimeSeconds: number): Promise<string> {
    const refuse = (problem: string) => new SinkError(problem, { sink: this.location, key });
    if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
      throw refuse(`a link needs a positive lifetime, not ${lifetimeSeconds} s`);
    }
    const credential = this.#service.credential;
    const signsWithKey = credential instanceof StorageSharedKeyCredential;
    if (!signsWithKey && !('getToken' in credential)) {
      throw refuse('the credential can sign no SAS: links need an account key or an Entra identity');
    }
    if (!signsWithKey && lifetimeSeconds > MAX_DELEGATION_SECONDS) {
      throw refuse(`a user delegation SAS lasts at most 7 days, not ${lifetimeSeconds} s`);
    }
    const blob = this.#blob(key);
    const options = {
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(this.#tuning.clock().getTime() + lifetimeSeconds * 1000),
      // A link travels in email: from an https endpoint it must never work over plain http.
      protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
      version: SAS_VERSION,
    };
    if (signsWithKey) return blob.generateSasUrl(options);
    return this.#call(key, async (abortSignal) =>
      blob.generateUserDelegationSasUrl(options, await this.#delegationKey(options.expiresOn, abortSignal)),
    );
  }

  /** A user delegation key valid until `until`, asked once for as long as the service allows and reused. */
  #delegationKey(until: Date, abortSignal: AbortSignal): Promise<UserDelegationKey> {
    if (this.#delegation && this.#delegation.expiresOn >= until) return this.#delegation.key;
    const now = this.#tuning.clock().getTime();
    const expiresOn = new Date(now + MAX_DELEGATION_SECONDS * 1000);
    const key = this.#service.getUserDelegationKey(new Date(now - CLOCK_SKEW_MS), expiresOn, { abortSignal });
    this.#delegation = { key, expiresOn };
    key.catch(() => {
      if (this.#delegation?.key === key) this.#delegation = undefined;
    });
    return key;
  }

  #blob(key: string): BlockBlobClient {
    const name = checkedKey(key, this.location);
    return this.#service
      .getContainerClient(this.#container)
      .getBlockBlobClient(this.#prefix === '' ? name : `${this.#prefix}/${name}`);
  }

  async #upload(
    key: string,
    body: FileBody,
    contentType: string,
    conditions: BlobRequestConditions,
    abortSignal: AbortSignal,
  ): Promise<void> {
    const disposition = contentDispositionFor(key);
    const blobHTTPHeaders: BlobHTTPHeaders = {
      blobContentType: contentType,
      ...(disposition === undefined ? {} : { blobContentDisposition: disposition }),
    };
    const blob = this.#blob(key);
    const plan = planUpload(body, this.#tuning.singleShotBytes);
    if (plan.kind === 'whole') {
      await blob.upload(plan.bytes, plan.bytes.length, { blobHTTPHeaders, conditions, abortSignal });
      return;
    }
    // Staged blocks go up in parallel as the body is encoded, and a transient failure retries one
    // block, not the whole body; the commit (Put Block List) carries the conditions, so nothing is
    // visible until every block is in. Uncommitted blocks of a failed upload are never readable,
    // and the service discards them after a week.
    const source = Readable.from(plan.pieces());
    const upload = blob.uploadStream(source, this.#tuning.blockBytes, this.#tuning.blockConcurrency, {
      blobHTTPHeaders,
      conditions,
      abortSignal,
    });
    await untilAborted(upload, abortSignal, () => source.destroy());
  }

  /** Runs one operation under the sink's deadline; any failure becomes a one-line SinkError naming the object. */
  async #call<T>(key: string, operation: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(this.#tuning.operationTimeoutMs);
    try {
      return await operation(deadline);
    } catch (error) {
      if (error instanceof SinkError) throw error;
      throw new SinkError(
        describeFailure(error, deadline, this.#tuning.operationTimeoutMs),
        { sink: this.location, key },
        { cause: error },
      );
    }
  }
}
