import { createHash, createVerify, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRC32C } from '@google-cloud/storage';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';

/**
 * What a request to the peer does, named after the JSON API method (or the XML API read a signed
 * URL makes). `insert` covers media, multipart and the start of a resumable upload; `resumable`
 * the PUTs that carry its bytes.
 */
export type GcsOperation = 'insert' | 'resumable' | 'get' | 'download' | 'signed-read' | 'anonymous-read';

/** The IAM permission each operation needs, as Google names it in a 403. */
const PERMISSION: Readonly<Record<GcsOperation, string>> = {
  insert: 'storage.objects.create',
  resumable: 'storage.objects.create',
  get: 'storage.objects.get',
  download: 'storage.objects.get',
  'signed-read': 'storage.objects.get',
  'anonymous-read': 'storage.objects.get',
};

/**
 * A failure to inject into the requests that match every given field: an HTTP status with
 * Google's JSON error body (403 as a denied permission, 5xx as a backend error), or `hang`: no
 * answer until the client gives up or the peer closes.
 */
export interface GcsFault {
  readonly bucket?: string;
  readonly object?: string;
  readonly operation?: GcsOperation;
  readonly status: number | 'hang';
  /** Apply to the next N matching requests only. Default: every one. */
  readonly times?: number;
}

/** One request the peer received. */
export interface GcsCall {
  readonly method: string;
  readonly operation: GcsOperation | 'unsupported';
  readonly bucket: string | undefined;
  readonly object: string | undefined;
  /** The path as sent: `/storage/v1/b/…` with an API endpoint, `/b/…` with `STORAGE_EMULATOR_HOST`. */
  readonly path: string;
  /** Query parameters as sent (decoded). */
  readonly query: Readonly<Record<string, string>>;
  /** Whether the request carried an `Authorization` header: a local peer must never get credentials. */
  readonly authorized: boolean;
  /** The HTTP status sent; 0 for a held (`hang`) request. */
  readonly status: number;
}

/** An object as the peer stores it: the bytes exactly as received, and the metadata the client sent. */
export interface GcsStoredObject {
  readonly bucket: string;
  readonly name: string;
  readonly data: Buffer;
  readonly generation: string;
  readonly contentType: string;
  readonly contentDisposition: string | undefined;
  /** The `predefinedAcl` of the upload, or `acl` entries of its metadata, if any were sent. */
  readonly acl: readonly string[];
  readonly updated: string;
}

export interface GcsPeer {
  /** `http://127.0.0.1:PORT`: the client's `apiEndpoint`, or `STORAGE_EMULATOR_HOST`. */
  readonly endpoint: string;
  readonly port: number;
  createBucket(name: string): void;
  /** Every request on the bucket gets 403, as for an identity without the permission. */
  denyBucket(name: string): void;
  /** Accepts V4 signed URLs made with this service account's private key. */
  trustSigner(clientEmail: string, publicKey: KeyObject | string): void;
  /** The peer's "now": signed URLs are judged against it, and `updated` is stamped with it. */
  setClock(clock: () => Date): void;
  addFault(fault: GcsFault): void;
  clearFaults(): void;
  calls(): readonly GcsCall[];
  clearCalls(): void;
  /** The stored object, read past every API: what really landed. */
  object(bucket: string, name: string): GcsStoredObject | undefined;
  /** Forgets buckets, objects, signers, faults and calls. */
  reset(): void;
  close(): Promise<void>;
}

const INJECTED = '(fault injected by the kubeline GCS test peer)';
const START_TIMEOUT_MS = 5_000;
/** Generations are microsecond timestamps on Google's side; any increasing number serves the client. */
const FIRST_GENERATION = 1_764_400_000_000_000;
/** The longest a V4 signed URL may live, in seconds (Google's documented limit: 7 days). */
const MAX_SIGNED_URL_SECONDS = 604_800;

interface ResumableSession {
  readonly bucket: string;
  readonly name: string;
  readonly resource: JsonObject;
  readonly query: URLSearchParams;
  readonly chunks: Buffer[];
  received: number;
}

/** Google's JSON API error body. */
function googleError(code: number, reason: string, message: string): JsonObject {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }] } };
}

function sendJson(response: ServerResponse, status: number, body: JsonValue): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

/** The XML API's error body, which signed URLs answer with. */
function sendXmlError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml; charset=UTF-8' });
  response.end(
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

function crc32cOf(data: Buffer): string {
  const crc = new CRC32C();
  crc.update(data);
  return crc.toString();
}

function md5Of(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The parts of a `multipart/related` upload: the JSON resource, then the object's bytes. */
function multipartParts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    // Each part ends with the CRLF that precedes the next delimiter.
    if (headerEnd !== -1) parts.push(part.subarray(headerEnd + 4, part.length - 2));
    start = next;
  }
  return parts;
}

function parseJsonObject(data: Buffer): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** RFC 3986 encoding, as the V4 canonical query string needs: only unreserved characters stay. */
function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `20261129T080000Z` → a Date, or undefined. */
function parseSigningTime(stamp: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}

/** Why a signed URL is refused, as the XML API says it. */
interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Starts kubeline's Google Cloud Storage peer: an in-process node:http server on 127.0.0.1 (port
 * chosen at run time) serving the JSON API requests @google-cloud/storage sends for the sink
 * (media, multipart and resumable uploads with `ifGenerationMatch`; object metadata; `alt=media`
 * downloads; under `/storage/v1` and, for `STORAGE_EMULATOR_HOST`, under the bare host), and the
 * XML API GET a V4 signed URL makes, verified as Google's V4 signing process describes. Anything
 * else answers 501, so a request the peer does not know never passes silently.
 */
export async function startGcsPeer(options: { readonly clock?: () => Date } = {}): Promise<GcsPeer> {
  const buckets = new Map<string, Map<string, GcsStoredObject>>();
  const denied = new Set<string>();
  const signers = new Map<string, KeyObject | string>();
  const sessions = new Map<string, ResumableSession>();
  let faults: { fault: GcsFault; left: number }[] = [];
  let log: GcsCall[] = [];
  let generation = FIRST_GENERATION;
  let clock = options.clock ?? (() => new Date());

  function takeFault(operation: GcsOperation, bucket: string, object: string | undefined) {
    const found = faults.find(
      ({ fault, left }) =>
        left !== 0 &&
        (fault.operation === undefined || fault.operation === operation) &&
        (fault.bucket === undefined || fault.bucket === bucket) &&
        (fault.object === undefined || fault.object === object),
    );
    if (found === undefined) return undefined;
    if (found.left > 0) found.left -= 1;
    return found.fault;
  }

  function resourceOf(stored: GcsStoredObject): JsonObject {
    const id = `${stored.bucket}/${stored.name}/${stored.generation}`;
    return {
      kind: 'storage#object',
      id,
      name: stored.name,
      bucket: stored.bucket,
      generation: stored.generation,
      metageneration: '1',
      contentType: stored.contentType,
      ...(stored.contentDisposition === undefined ? {} : { contentDisposition: stored.contentDisposition }),
      storageClass: 'STANDARD',
      size: String(stored.data.length),
      md5Hash: md5Of(stored.data),
      crc32c: crc32cOf(stored.data),
      etag: createHash('sha1').update(id).digest('base64'),
      timeCreated: stored.updated,
      updated: stored.updated,
    };
  }

  /** The 412 Google answers when `ifGenerationMatch` does not hold; undefined when it does. */
  function preconditionFailure(bucket: string, name: string, query: URLSearchParams): JsonObject | undefined {
    const expected = query.get('ifGenerationMatch');
    if (expected === null) return undefined;
    const current = buckets.get(bucket)?.get(name)?.generation ?? '0';
    if (current === expected) return undefined;
    return googleError(
      412,
      'conditionNotMet',
      'At least one of the pre-conditions you specified did not hold.',
    );
  }

  /** Stores an upload, or answers why it cannot be stored: the status and Google's body. */
  function store(
    bucket: string,
    name: string,
    data: Buffer,
    resource: JsonObject,
    query: URLSearchParams,
  ): { status: number; body: JsonObject } {
    const failed = preconditionFailure(bucket, name, query);
    if (failed) return { status: 412, body: failed };
    const acl = [
      ...(query.get('predefinedAcl') ? [String(query.get('predefinedAcl'))] : []),
      ...(Array.isArray(resource.acl) ? resource.acl.map((entry) => JSON.stringify(entry)) : []),
    ];
    generation += 1;
    const stored: GcsStoredObject = {
      bucket,
      name,
      data,
      generation: String(generation),
      contentType: text(resource.contentType) ?? 'application/octet-stream',
      contentDisposition: text(resource.contentDisposition),
      acl,
      updated: clock().toISOString(),
    };
    buckets.get(bucket)?.set(name, stored);
    return { status: 200, body: resourceOf(stored) };
  }

  function insert(
    request: IncomingMessage,
    response: ServerResponse,
    bucket: string,
    query: URLSearchParams,
    body: Buffer,
  ): number {
    const uploadType = query.get('uploadType');
    if (uploadType === 'media') {
      const name = query.get('name') ?? '';
      const resource = { name, contentType: request.headers['content-type'] ?? 'application/octet-stream' };
      const { status, body: answer } = store(bucket, name, body, resource, query);
      sendJson(response, status, answer);
      return status;
    }
    if (uploadType === 'multipart') {
      const [metadata, data] = multipartParts(body, String(request.headers['content-type']));
      const resource = metadata === undefined ? undefined : parseJsonObject(metadata);
      if (resource === undefined || data === undefined) {
        sendJson(response, 400, googleError(400, 'invalid', 'Malformed multipart body.'));
        return 400;
      }
      const name = text(resource.name) ?? query.get('name') ?? '';
      const { status, body: answer } = store(bucket, name, data, resource, query);
      sendJson(response, status, answer);
      return status;
    }
    if (uploadType === 'resumable') {
      // The client sends a resumable upload's content type as X-Upload-Content-Type, not in the
      // resource; Google takes it from either.
      const announced = request.headers['x-upload-content-type'];
      const resource: JsonObject = {
        ...(typeof announced === 'string' ? { contentType: announced } : {}),
        ...parseJsonObject(body),
      };
      const name = text(resource.name) ?? query.get('name') ?? '';
      const failed = preconditionFailure(bucket, name, query);
      if (failed) {
        sendJson(response, 412, failed);
        return 412;
      }
      const id = randomUUID();
      sessions.set(id, { bucket, name, resource, query, chunks: [], received: 0 });
      const location = `http://${request.headers.host}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&upload_id=${id}`;
      response.writeHead(200, { location });
      response.end();
      return 200;
    }
    sendJson(
      response,
      400,
      googleError(400, 'invalid', `uploadType ${uploadType} is not served by the kubeline GCS test peer`),
    );
    return 400;
  }

  /**
   * One PUT of a resumable session. `Content-Range: bytes A-B/TOTAL` carries bytes (TOTAL may be
   * `*` until the last chunk); `bytes A-*\/*` streams the rest of the upload in this request, as the
   * client does when it sends a whole body at once; `bytes *\/TOTAL` asks how far the upload got.
   * The upload completes when the bytes received reach the total; until then the answer is 308
   * with `Range`.
   */
  function resumable(request: IncomingMessage, response: ServerResponse, id: string, body: Buffer): number {
    const session = sessions.get(id);
    if (session === undefined) {
      sendJson(response, 404, googleError(404, 'notFound', 'No such upload session.'));
      return 404;
    }
    const range = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(
      String(request.headers['content-range'] ?? ''),
    );
    if (range === null) {
      sendJson(response, 400, googleError(400, 'invalid', 'Missing or malformed Content-Range.'));
      return 400;
    }
    const [, first, last, declaredTotal] = range;
    if (first !== undefined) {
      if (Number(first) !== session.received) {
        sendJson(response, 400, googleError(400, 'invalid', 'Content-Range does not continue the upload.'));
        return 400;
      }
      session.chunks.push(body);
      session.received += body.length;
    }
    // `bytes *\/*` only asks for progress: the total is not known yet.
    const total = last === '*' ? session.received : declaredTotal === '*' ? undefined : Number(declaredTotal);
    if (total === session.received) {
      sessions.delete(id);
      const data = Buffer.concat(session.chunks);
      const { status, body: answer } = store(
        session.bucket,
        session.name,
        data,
        session.resource,
        session.query,
      );
      sendJson(response, status, answer);
      return status;
    }
    response.writeHead(308, session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : {});
    response.end();
    return 308;
  }

  function readObject(
    response: ServerResponse,
    bucket: string,
    name: string,
    query: URLSearchParams,
  ): number {
    const stored = buckets.get(bucket)?.get(name);
    const wanted = query.get('generation');
    if (stored === undefined || (wanted !== null && wanted !== stored.generation)) {
      sendJson(response, 404, googleError(404, 'notFound', `No such object: ${bucket}/${name}`));
      return 404;
    }
    const failed = preconditionFailure(bucket, name, query);
    if (failed) {
      sendJson(response, 412, failed);
      return 412;
    }
    if (query.get('alt') !== 'media') {
      sendJson(response, 200, resourceOf(stored));
      return 200;
    }
    response.writeHead(200, {
      'content-type': stored.contentType,
      'content-length': String(stored.data.length),
      'x-goog-generation': stored.generation,
      'x-goog-hash': `crc32c=${crc32cOf(stored.data)},md5=${md5Of(stored.data)}`,
      ...(stored.contentDisposition === undefined
        ? {}
        : { 'content-disposition': stored.contentDisposition }),
    });
    response.end(stored.data);
    return 200;
  }

  /** Checks a V4 signed URL as Google's V4 signing process describes: canonical request, string to sign, RSA-SHA256. */
  function refusalOf(request: IncomingMessage, url: URL): Refusal | undefined {
    const query = url.searchParams;
    if (query.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256') {
      return { status: 400, code: 'InvalidArgument', message: 'Unsupported X-Goog-Algorithm.' };
    }
    const credential = (query.get('X-Goog-Credential') ?? '').split('/');
    const [email, day, , service, terminator] = credential;
    const signedAt = parseSigningTime(query.get('X-Goog-Date') ?? '');
    const lifetime = Number(query.get('X-Goog-Expires'));
    if (
      credential.length !== 5 ||
      service !== 'storage' ||
      terminator !== 'goog4_request' ||
      signedAt === undefined ||
      day !== query.get('X-Goog-Date')?.slice(0, 8) ||
      !Number.isInteger(lifetime) ||
      lifetime < 1 ||
      lifetime > MAX_SIGNED_URL_SECONDS
    ) {
      return { status: 400, code: 'AuthorizationQueryParametersError', message: 'Malformed V4 signed URL.' };
    }
    const now = clock().getTime();
    if (now < signedAt.getTime()) {
      return { status: 400, code: 'InvalidArgument', message: 'The signed URL is not valid yet.' };
    }
    if (now >= signedAt.getTime() + lifetime * 1000) {
      return { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' };
    }
    const publicKey = email === undefined ? undefined : signers.get(email);
    const signature = query.get('X-Goog-Signature') ?? '';
    const verifier = createVerify('RSA-SHA256');
    verifier.update(stringToSign(request, url));
    if (
      publicKey === undefined ||
      !/^[0-9a-f]+$/.test(signature) ||
      !verifier.verify(publicKey, signature, 'hex')
    ) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided.',
      };
    }
    return undefined;
  }

  function signedRead(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    bucket: string,
    name: string,
  ) {
    const refusal = refusalOf(request, url);
    if (refusal) {
      sendXmlError(response, refusal.status, refusal.code, refusal.message);
      return refusal.status;
    }
    const stored = buckets.get(bucket)?.get(name);
    if (stored === undefined) {
      sendXmlError(response, 404, 'NoSuchKey', 'The specified key does not exist.');
      return 404;
    }
    response.writeHead(200, {
      'content-type': stored.contentType,
      'content-length': String(stored.data.length),
      ...(stored.contentDisposition === undefined
        ? {}
        : { 'content-disposition': stored.contentDisposition }),
    });
    response.end(stored.data);
    return 200;
  }

  /** An unsigned XML API read: served only for an object uploaded public, as Google does. */
  function anonymousRead(response: ServerResponse, bucket: string, name: string): number {
    const stored = buckets.get(bucket)?.get(name);
    if (stored === undefined || !stored.acl.some((entry) => /publicRead|allUsers/.test(entry))) {
      sendXmlError(
        response,
        403,
        'AccessDenied',
        'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.',
      );
      return 403;
    }
    response.writeHead(200, { 'content-type': stored.contentType });
    response.end(stored.data);
    return 200;
  }

  function applyFault(response: ServerResponse, fault: GcsFault, operation: GcsOperation): number {
    if (fault.status === 'hang') return 0;
    if (fault.status === 403) {
      const message = `Anonymous caller does not have ${PERMISSION[operation]} access to the Google Cloud Storage object. Permission '${PERMISSION[operation]}' denied on resource (or it may not exist). ${INJECTED}`;
      sendJson(response, 403, googleError(403, 'forbidden', message));
      return 403;
    }
    const reason = fault.status === 429 ? 'rateLimitExceeded' : 'backendError';
    sendJson(response, fault.status, googleError(fault.status, reason, `Backend Error ${INJECTED}`));
    return fault.status;
  }

  /** Answers one request that was routed to an operation on a bucket; returns the status sent. */
  function serve(
    request: IncomingMessage,
    response: ServerResponse,
    route: { operation: GcsOperation; bucket: string; object: string | undefined },
    url: URL,
    body: Buffer,
  ): number {
    const { operation, bucket, object } = route;
    const fault = takeFault(operation, bucket, object);
    if (fault) return applyFault(response, fault, operation);
    if (operation === 'signed-read') return signedRead(request, response, url, bucket, object ?? '');
    if (operation === 'anonymous-read') return anonymousRead(response, bucket, object ?? '');
    if (denied.has(bucket)) return applyFault(response, { status: 403 }, operation);
    if (!buckets.has(bucket) && operation !== 'resumable') {
      sendJson(response, 404, googleError(404, 'notFound', 'The specified bucket does not exist.'));
      return 404;
    }
    if (operation === 'insert') return insert(request, response, bucket, url.searchParams, body);
    if (operation === 'resumable') {
      return resumable(request, response, url.searchParams.get('upload_id') ?? '', body);
    }
    return readObject(response, bucket, object ?? '', url.searchParams);
  }

  const server = createServer((request, response) => {
    bodyOf(request).then(
      (body) => {
        const url = new URL(request.url ?? '/', 'http://peer');
        const unserved = UNSERVED_PRECONDITIONS.some((name) => url.searchParams.has(name));
        const route = unserved ? undefined : routeOf(request.method ?? 'GET', url);
        const status = route
          ? serve(request, response, route, url, body)
          : unsupported(response, request.method ?? 'GET', url);
        log.push({
          method: request.method ?? 'GET',
          operation: route?.operation ?? 'unsupported',
          bucket: route?.bucket,
          object: route?.object,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          authorized: request.headers.authorization !== undefined,
          status,
        });
      },
      () => response.destroy(),
    );
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the GCS test peer did not listen within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`the GCS test peer could not start: ${error.message}`, { cause: error }));
    });
    server.listen(0, '127.0.0.1', () => {
      clearTimeout(timer);
      resolve((server.address() as AddressInfo).port);
    });
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    createBucket: (name) => {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    denyBucket: (name) => denied.add(name),
    trustSigner: (clientEmail, publicKey) => signers.set(clientEmail, publicKey),
    setClock(next) {
      clock = next;
    },
    addFault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults = [];
    },
    calls: () => log,
    clearCalls() {
      log = [];
    },
    object: (bucket, name) => buckets.get(bucket)?.get(name),
    reset() {
      buckets.clear();
      denied.clear();
      signers.clear();
      sessions.clear();
      faults = [];
      log = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The string a V4 signature covers, rebuilt from the request as received: the canonical request
 * (verb, path as sent, every query parameter but the signature sorted and RFC 3986 encoded, the
 * signed headers, `UNSIGNED-PAYLOAD`), hashed under the algorithm, timestamp and credential scope.
 */
function stringToSign(request: IncomingMessage, url: URL): string {
  const query = url.searchParams;
  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Goog-Signature')
    .map(([name, value]) => [strictEncode(name), strictEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = (query.get('X-Goog-SignedHeaders') ?? '').split(';');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${canonicalHeaderValue(request, name)}\n`)
    .join('');
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const canonicalRequest = [
    request.method ?? 'GET',
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = (query.get('X-Goog-Credential') ?? '').split('/').slice(1).join('/');
  return [
    'GOOG4-RSA-SHA256',
    query.get('X-Goog-Date') ?? '',
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
}

/**
 * A header's value as signed: trimmed, runs of spaces folded. The host is signed without its
 * port: Google's endpoint never carries one, and the client library signs the hostname alone.
 */
function canonicalHeaderValue(request: IncomingMessage, name: string): string {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const folded = value.trim().replace(/\s{2,}/g, ' ');
  return name === 'host' ? folded.replace(/:\d+$/, '') : folded;
}

/** Which operation a request is, on which bucket and object; undefined for what the peer does not serve. */
function routeOf(
  method: string,
  url: URL,
): { operation: GcsOperation; bucket: string; object: string | undefined } | undefined {
  const path = url.pathname;
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
  if (upload?.[1] !== undefined) {
    const bucket = decodeURIComponent(upload[1]);
    const object = url.searchParams.get('name') ?? undefined;
    if (method === 'POST') return { operation: 'insert', bucket, object };
    if (method === 'PUT' && url.searchParams.has('upload_id'))
      return { operation: 'resumable', bucket, object };
    return undefined;
  }
  // `/storage/v1/b/...` with apiEndpoint; `/b/...` when STORAGE_EMULATOR_HOST is the client's base URL.
  const json = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/.exec(path);
  if (
    json?.[1] !== undefined &&
    json[2] !== undefined &&
    method === 'GET' &&
    !url.searchParams.has('X-Goog-Algorithm')
  ) {
    const operation = url.searchParams.get('alt') === 'media' ? 'download' : 'get';
    return { operation, bucket: decodeURIComponent(json[1]), object: decodeURIComponent(json[2]) };
  }
  const xml = /^\/([^/]+)\/(.+)$/.exec(path);
  if (xml?.[1] !== undefined && xml[2] !== undefined && method === 'GET') {
    const operation = url.searchParams.has('X-Goog-Signature') ? 'signed-read' : 'anonymous-read';
    return { operation, bucket: decodeURIComponent(xml[1]), object: decodeURIComponent(xml[2]) };
  }
  return undefined;
}

/** Preconditions the peer does not evaluate: refused, so none is ever taken as holding. */
const UNSERVED_PRECONDITIONS = ['ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'];

function unsupported(response: ServerResponse, method: string, url: URL): number {
  sendJson(
    response,
    501,
    googleError(
      501,
      'notImplemented',
      `${method} ${url.pathname} is not served by the kubeline GCS test peer`,
    ),
  );
  return 501;
}
