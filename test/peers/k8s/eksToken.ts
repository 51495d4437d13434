import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What the peer checks an EKS token against: the cluster it serves and the AWS keys it can verify. */
export interface EksTokenPolicy {
  /** The EKS cluster name the token's signed `x-k8s-aws-id` header must carry. */
  readonly clusterName: string;
  /**
   * Secret access keys by access key id. A token signed with a key listed here has its SigV4
   * signature recomputed, which is how the cluster name (a signed header, absent from the URL)
   * is checked. With no keys at all the peer checks the token's shape only, as a sandbox that
   * cannot know the scanner's temporary keys must.
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** STS hosts accepted besides `sts.amazonaws.com` and `sts.<region>.amazonaws.com(.cn)`: the local AWS peer. */
  readonly extraStsHosts?: readonly string[];
  /** The peer's clock; the token's X-Amz-Date plus 15 minutes must not be before it. */
  readonly now: () => Date;
}

/** The outcome of reading an EKS bearer token. */
export type EksTokenVerdict =
  | {
      readonly ok: true;
      /** The identity the peer grants: the signing access key id, as aws-iam-authenticator maps an ARN. */
      readonly user: string;
      /** Whether the SigV4 signature (and so the cluster name) was recomputed and matched. */
      readonly signatureVerified: boolean;
    }
  | { readonly ok: false; readonly reason: string };

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-iam-authenticator's limit: a token is good for 15 minutes after X-Amz-Date. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const MAX_EXPIRES_SECONDS = 900;
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

const refuse = (reason: string): EksTokenVerdict => ({ ok: false, reason });

function decodeUrl(token: string): URL | undefined {
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(encoded)) return undefined;
  try {
    return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseAmzDate(value: string): Date | undefined {
  const parts = AMZ_DATE.exec(value);
  if (parts === null) return undefined;
  const [, year, month, day, hour, minute, second] = parts.map(Number);
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0));
}

/** RFC 3986 encoding as SigV4 canonicalises query strings: everything but unreserved characters. */
function sigv4Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [sigv4Encode(key), sigv4Encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function expectedSignature(url: URL, clusterName: string, secret: string, payloadHash: string): string {
  const query = url.searchParams;
  const [, date = '', region = '', service = ''] = (query.get('X-Amz-Credential') ?? '').split('/');
  const signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
  const headerValues: Record<string, string> = { host: url.host, 'x-k8s-aws-id': clusterName };
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${headerValues[name] ?? ''}\n`)
    .join('');
  const canonicalRequest = [
    'GET',
    url.pathname,
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    query.get('X-Amz-Date') ?? '',
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signingKey = [date, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => createHmac('sha256', key).update(part).digest(),
    Buffer.from(`AWS4${secret}`, 'utf8'),
  );
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The shape checks aws-iam-authenticator makes before it asks STS; the first failing one, or undefined. */
function shapeProblem(url: URL, policy: EksTokenPolicy): string | undefined {
  const query = url.searchParams;
  const credential = (query.get('X-Amz-Credential') ?? '').split('/');
  const expires = Number(query.get('X-Amz-Expires') ?? Number.NaN);
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const issued = parseAmzDate(query.get('X-Amz-Date') ?? '');
  if (url.protocol !== 'https:' && !(policy.extraStsHosts ?? []).includes(url.host))
    return 'the pre-signed URL is not https';
  if (!STS_HOST.test(url.hostname) && !(policy.extraStsHosts ?? []).includes(url.host))
    return `the pre-signed URL's host ${url.host} is not an STS endpoint`;
  if (url.pathname !== '/') return `the pre-signed URL's path is ${url.pathname}, not /`;
  if (query.get('Action') !== 'GetCallerIdentity')
    return 'the pre-signed URL is not Action=GetCallerIdentity';
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'X-Amz-Algorithm is not AWS4-HMAC-SHA256';
  if (credential.length !== 5 || credential[3] !== 'sts' || credential[4] !== 'aws4_request')
    return 'X-Amz-Credential is not <key>/<date>/<region>/sts/aws4_request';
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-k8s-aws-id'))
    return 'X-Amz-SignedHeaders does not include host;x-k8s-aws-id';
  if (!Number.isInteger(expires) || expires <= 0 || expires > MAX_EXPIRES_SECONDS)
    return `X-Amz-Expires is ${query.get('X-Amz-Expires') ?? 'missing'}, not 1..${MAX_EXPIRES_SECONDS}`;
  if (issued === undefined) return 'X-Amz-Date is not YYYYMMDDTHHMMSSZ';
  if (issued.getTime() + TOKEN_LIFETIME_MS < policy.now().getTime()) return 'the token has expired';
  if (!/^[0-9a-f]{64}$/.test(query.get('X-Amz-Signature') ?? '')) return 'X-Amz-Signature is missing';
  return undefined;
}

/**
 * Reads a bearer token the way an EKS control plane's authenticator does: `k8s-aws-v1.` and the
 * base64url of a pre-signed STS GetCallerIdentity URL, its query checked, and (when the peer
 * holds the signing key) the SigV4 signature recomputed with `x-k8s-aws-id: <cluster name>`.
 * Both the empty-body hash and UNSIGNED-PAYLOAD are tried, as SDKs differ in which they sign.
 */
export function verifyEksToken(token: string, policy: EksTokenPolicy): EksTokenVerdict {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) return refuse('not a k8s-aws-v1 token');
  const url = decodeUrl(token);
  if (url === undefined) return refuse('the token is not base64url of a URL');
  const problem = shapeProblem(url, policy);
  if (problem !== undefined) return refuse(problem);
  const accessKeyId = (url.searchParams.get('X-Amz-Credential') ?? '').split('/')[0] ?? '';
  const secrets = policy.secrets ?? {};
  if (Object.keys(secrets).length === 0) return { ok: true, user: accessKeyId, signatureVerified: false };
  const secret = secrets[accessKeyId];
  if (secret === undefined) return refuse(`the access key ${accessKeyId} is not known`);
  const signature = url.searchParams.get('X-Amz-Signature') ?? '';
  const matches = [EMPTY_BODY_SHA256, 'UNSIGNED-PAYLOAD'].some((payloadHash) =>
    sameHex(signature, expectedSignature(url, policy.clusterName, secret, payloadHash)),
  );
  return matches
    ? { ok: true, user: accessKeyId, signatureVerified: true }
    : refuse(`the signature does not match (x-k8s-aws-id must be ${policy.clusterName})`);
}
