import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChaosHook, type ChaosKind, truncated, typeConfusedBody, typeConfusedXml } from '../chaos.js';
import type { FaultRule, RecordedCall, RecordedCallDetail } from './awsPeer.js';
import { EksExtensions } from './eksExtensions.js';
import { FAULT_KINDS, faultResponse } from './faults.js';
import { type AwsRequest, describeRequest, errorResponse, type PeerResponse } from './wire.js';

/** moto's account for credentials it did not issue. */
export const DEFAULT_ACCOUNT = '123456789012';

/** A response read back from moto. */
export interface MotoResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Hop-by-hop and length headers: Node sets them for the hop it writes. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'expect',
  'host',
]);

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = value;
  }
  return kept;
}

/** moto's headers for the client's hop, repeated ones joined as HTTP allows. */
function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(endToEndHeaders(headers))) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Kept for a body-less answer (HEAD), whose length is the object's; `send` sets it otherwise.
  if (headers['content-length'] !== undefined) flat['content-length'] = headers['content-length'];
  return flat;
}

/** One request to moto. Werkzeug closes every connection, so there is nothing to keep alive. */
export function motoRequest(
  port: number,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<MotoResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...endToEndHeaders(headers), host: `127.0.0.1:${port}`, 'content-length': body.length },
      },
      (response) => {
        readBody(response).then(
          (responseBody) =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }),
          reject,
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Finds the VPC of subnets as AWS does when it creates a cluster: moto's EC2 DescribeSubnets,
 * asked with the caller's access key so moto picks the caller's account (it checks no signature).
 */
async function subnetVpcInMoto(
  port: number,
  request: AwsRequest,
  subnetIds: readonly string[],
): Promise<string | undefined> {
  const form = new URLSearchParams({ Action: 'DescribeSubnets', Version: '2016-11-15' });
  for (const [index, subnetId] of subnetIds.entries()) form.set(`SubnetId.${index + 1}`, subnetId);
  const scope = `${request.accessKeyId ?? 'testing'}/20000101/${request.region}/ec2/aws4_request`;
  const response = await motoRequest(
    port,
    'POST',
    '/',
    {
      authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    Buffer.from(form.toString()),
  );
  if (response.status !== 200) return undefined;
  const vpcs = new Set(
    [...response.body.toString('utf8').matchAll(/<vpcId>([^<]+)<\/vpcId>/g)].map((m) => m[1]),
  );
  const [vpcId] = vpcs;
  return vpcs.size === 1 ? vpcId : undefined;
}

const SUBNET_ID = /<subnetId>(subnet-[^<]+)<\/subnetId>/g;

/**
 * CloudWatch Logs DescribeMetricFilters on a log group that does not exist: AWS answers
 * ResourceNotFoundException, moto an empty list. The peer asks moto (as the caller) whether the
 * group exists and answers as AWS does when it does not.
 */
async function missingLogGroup(motoPort: number, request: AwsRequest): Promise<PeerResponse | undefined> {
  if (request.service !== 'logs' || request.operation !== 'DescribeMetricFilters') return undefined;
  let logGroupName: unknown;
  try {
    logGroupName = (JSON.parse(request.body.toString('utf8')) as { logGroupName?: unknown }).logGroupName;
  } catch {
    return undefined;
  }
  if (typeof logGroupName !== 'string') return undefined;
  const listed = await motoRequest(
    motoPort,
    'POST',
    '/',
    { ...request.headers, 'x-amz-target': 'Logs_20140328.DescribeLogGroups' },
    Buffer.from(JSON.stringify({ logGroupNamePrefix: logGroupName })),
  );
  if (listed.status !== 200) return undefined;
  const groups = (JSON.parse(listed.body.toString('utf8')) as { logGroups?: { logGroupName?: string }[] })
    .logGroups;
  if (groups?.some((group) => group.logGroupName === logGroupName)) return undefined;
  return errorResponse('json', 'ResourceNotFoundException', 400, 'The specified log group does not exist.');
}

const CHAOS_NOTE = '(fault injected by the kubeline fault suite)';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer of a fault that replaces the real one: throttling or a server error; else undefined. */
function chaosAnswer(
  kind: ChaosKind,
  request: AwsRequest,
  account: string,
  random: () => number,
): PeerResponse | undefined {
  if (kind === 'throttle') return faultResponse('throttle', request, account);
  if (kind !== 'server-error') return undefined;
  return random() < 0.5
    ? errorResponse(request.protocol, 'InternalFailure', 500, `Internal failure ${CHAOS_NOTE}`)
    : errorResponse(request.protocol, 'ServiceUnavailable', 503, `Service unavailable ${CHAOS_NOTE}`);
}

/** A successful answer with its body cut in half or its values of the wrong types; others unchanged. */
function alteredBody(
  kind: ChaosKind,
  request: AwsRequest,
  reply: PeerResponse,
  random: () => number,
): PeerResponse {
  if (reply.status >= 300 || (kind !== 'truncated' && kind !== 'type-confused')) return reply;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  if (kind === 'truncated') return { ...reply, body: truncated(body) };
  const json = request.protocol === 'json' || request.protocol === 'rest-json';
  return { ...reply, body: (json ? typeConfusedBody(body, random) : typeConfusedXml(body, random)).body };
}

/** Sends the headers and half the body of an answer, then destroys the connection under it. */
function resetMidway(response: ServerResponse, reply: PeerResponse): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  response.writeHead(reply.status, { ...reply.headers, 'content-length': body.length });
  response.write(truncated(body), () => response.socket?.destroy());
}

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number | undefined;
}

function matches(rule: FaultRule, request: AwsRequest, account: string): boolean {
  return (
    (rule.account === undefined || rule.account === account) &&
    (rule.region === undefined || rule.region === request.region) &&
    (rule.service === undefined || rule.service === request.service) &&
    (rule.operation === undefined || rule.operation === request.operation) &&
    (rule.key === undefined || rule.key === request.params.Key)
  );
}

function validateRule(rule: FaultRule): void {
  if (!FAULT_KINDS.includes(rule.kind)) {
    throw new Error(`unknown fault kind "${String(rule.kind)}"; expected one of ${FAULT_KINDS.join(', ')}`);
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new Error(`fault times must be a positive integer, got ${rule.times}`);
  }
}

const EXPIRATION = /<Expiration>([^<]+)<\/Expiration>/g;

/** An STS response whose session expirations are moved `offsetMs` later. */
function shiftExpirations(body: Buffer, offsetMs: number): Buffer {
  const text = body.toString('utf8').replace(EXPIRATION, (whole, stamp: string) => {
    const time = Date.parse(stamp);
    return Number.isNaN(time) ? whole : `<Expiration>${new Date(time + offsetMs).toISOString()}</Expiration>`;
  });
  return Buffer.from(text, 'utf8');
}

const ASSUMED_ROLE_ACCOUNT = /<Arn>arn:[^:<]+:sts::(\d{12}):assumed-role\//;
const ACCESS_KEY_ID = /<AccessKeyId>([^<]+)<\/AccessKeyId>/;
const ROLE_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):role\//;

/** What the fault suite's hook is told of each request. */
export interface AwsChaosCall {
  readonly service: string;
  readonly operation: string;
  /** The account the request acts for (for AssumeRole: the account of the role). */
  readonly account: string;
  readonly region: string;
  /** Method, path, query and body as sent: the same for every attempt at one request, whenever it comes. */
  readonly request: string;
}

/** The fault suite's per-request faults: the hook, how long `slow` holds, the PRNG of type confusion. */
export interface AwsChaos {
  readonly hook: ChaosHook<AwsChaosCall>;
  readonly slowMs: number;
  readonly random: () => number;
}

/** The HTTP front the SDK talks to: moto behind it, EKS extensions, faults and the call log. */
export interface FrontProxy {
  readonly port: number;
  readonly eks: EksExtensions;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /**
   * Draws a fault for every request (the fault suite): `throttle` the service's own throttling
   * error, `server-error` 500 InternalFailure or 503 ServiceUnavailable, `reset` the real answer's
   * headers and half its body then the socket destroyed, `slow` the real answer after `slowMs`,
   * `truncated` the real answer's body cut in half, `type-confused` its values of the wrong types.
   * Rules of addFault win. Undefined stops it.
   */
  setChaos(chaos: AwsChaos | undefined): void;
  /** Issues STS session expirations as if the peer's clock ran this far ahead of moto's. */
  setClockOffset(offsetMs: number): void;
  calls(): readonly RecordedCall[];
  callDetails(): readonly RecordedCallDetail[];
  clearCalls(): void;
  /** Everything the proxy keeps: EKS extensions, faults, calls, learnt credentials, held requests. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the proxy in front of moto; `asOfDay` is the day DescribeClusterVersions reports for. */
export async function startFrontProxy(motoPort: number, asOfDay: () => string): Promise<FrontProxy> {
  /**
   * Subnets moto's EC2 holds, as account/region/id, read from EC2 responses passing through. A
   * test can only name a moto subnet it learnt that way, so CreateCluster asks moto for the VPC
   * only then, and clusters on made-up subnets (exports, generated fleets) cost no extra call.
   */
  const knownSubnets = new Set<string>();
  const eks = new EksExtensions(asOfDay, async (request, account, subnetIds) =>
    subnetIds.every((subnetId) => knownSubnets.has(`${account}/${request.region}/${subnetId}`))
      ? subnetVpcInMoto(motoPort, request, subnetIds)
      : undefined,
  );
  let faults: ActiveFault[] = [];
  let log: RecordedCallDetail[] = [];
  let clockOffsetMs = 0;
  let chaos: AwsChaos | undefined;
  /** Access key id → account, learnt from STS responses, as moto maps them. */
  const keyAccounts = new Map<string, string>();
  /** Requests held by a `timeout` fault, released when the peer resets or closes. */
  const held = new Set<ServerResponse>();

  const takeFault = (request: AwsRequest, account: string): FaultRule | undefined => {
    const fault = faults.find((candidate) => matches(candidate.rule, request, account));
    if (fault?.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining === 0) faults = faults.filter((candidate) => candidate !== fault);
    }
    return fault?.rule;
  };

  const learnCredentials = (caller: string, body: Buffer): void => {
    const text = body.toString('utf8');
    const accessKeyId = ACCESS_KEY_ID.exec(text)?.[1];
    if (accessKeyId === undefined) return;
    // GetSessionToken credentials act for the caller's own account.
    keyAccounts.set(accessKeyId, ASSUMED_ROLE_ACCOUNT.exec(text)?.[1] ?? caller);
  };

  const send = (response: ServerResponse, reply: PeerResponse): void => {
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    // A HEAD answer has no body but the length of the object it describes: keep moto's.
    const upstreamLength = reply.headers['content-length'];
    const length = body.length === 0 && upstreamLength !== undefined ? upstreamLength : body.length;
    response.writeHead(reply.status, { ...reply.headers, 'content-length': length });
    response.end(body);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    if (url.startsWith('/moto-api')) {
      const upstream = await motoRequest(motoPort, method, url, incoming.headers, body);
      send(response, {
        status: upstream.status,
        headers: responseHeaders(upstream.headers),
        body: upstream.body,
      });
      return;
    }
    const request = describeRequest(method, url, incoming.headers, body);
    const caller = keyAccounts.get(request.accessKeyId ?? '') ?? DEFAULT_ACCOUNT;
    // AssumeRole acts for the account whose role it assumes: a fault on that account denies it.
    const roleAccount =
      request.service === 'sts' && request.operation === 'AssumeRole'
        ? ROLE_ACCOUNT.exec(request.form?.get('RoleArn') ?? '')?.[1]
        : undefined;
    const account = roleAccount ?? caller;
    const cluster =
      request.service === 'eks' ? (request.params.name ?? request.params.clusterName) : undefined;
    const record = (status: number): void => {
      log.push({
        service: request.service,
        operation: request.operation,
        account,
        region: request.region,
        status,
        method,
        url,
        body: body.toString('utf8'),
        ...(cluster === undefined ? {} : { cluster }),
      });
    };

    const fault = takeFault(request, account);
    const drawn =
      fault === undefined
        ? chaos?.hook({
            service: request.service,
            operation: request.operation,
            account,
            region: request.region,
            request: `${method} ${url} ${body.toString('utf8')}`,
          })
        : undefined;
    const active = chaos;
    if (drawn !== undefined && active !== undefined) {
      const early = chaosAnswer(drawn, request, account, active.random);
      if (early !== undefined) {
        send(response, early);
        record(early.status);
        return;
      }
      if (drawn === 'slow') await delay(active.slowMs);
    }
    const deliver = (reply: PeerResponse): void => {
      if (drawn === 'reset' && reply.status < 300) {
        resetMidway(response, reply);
        record(0);
        return;
      }
      const altered =
        drawn === undefined || active === undefined
          ? reply
          : alteredBody(drawn, request, reply, active.random);
      send(response, altered);
      record(altered.status);
    };
    if (fault !== undefined) {
      const reply = faultResponse(fault.kind, request, account);
      if (reply === undefined) {
        held.add(response);
        response.on('close', () => held.delete(response));
        record(0);
        return;
      }
      send(response, reply);
      record(reply.status);
      return;
    }

    const local = eks.serve(request, caller) ?? (await missingLogGroup(motoPort, request));
    if (local !== undefined) {
      deliver(local);
      return;
    }

    let reply: PeerResponse;
    try {
      const prepared = await eks.prepare(request, caller);
      const upstream = await motoRequest(motoPort, method, url, incoming.headers, prepared.body);
      if (request.service === 'sts' && upstream.status === 200) learnCredentials(caller, upstream.body);
      if (request.service === 'ec2' && upstream.status === 200) {
        for (const [, subnetId] of upstream.body.toString('utf8').matchAll(SUBNET_ID)) {
          knownSubnets.add(`${caller}/${request.region}/${subnetId}`);
        }
      }
      const body =
        request.service === 'sts' && upstream.status === 200 && clockOffsetMs !== 0
          ? shiftExpirations(upstream.body, clockOffsetMs)
          : upstream.body;
      reply = {
        status: upstream.status,
        headers: responseHeaders(upstream.headers),
        body: eks.complete(request, caller, prepared, upstream.status, body),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      reply = errorResponse(
        request.protocol,
        'InternalFailure',
        502,
        `the AWS test peer could not reach moto: ${reason}`,
      );
    }
    deliver(reply);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`AWS test peer failure: ${reason}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const release = (): void => {
    for (const response of held) response.destroy();
    held.clear();
  };

  return {
    port,
    eks,
    addFault(rule) {
      validateRule(rule);
      faults.push({ rule, remaining: rule.times });
    },
    clearFaults() {
      faults = [];
    },
    setChaos(next) {
      chaos = next;
    },
    setClockOffset(offsetMs) {
      clockOffsetMs = offsetMs;
    },
    calls: () =>
      log.map(({ service, operation, account, region, status }) => ({
        service,
        operation,
        account,
        region,
        status,
      })),
    callDetails: () => [...log],
    clearCalls() {
      log = [];
    },
    reset() {
      eks.reset();
      knownSubnets.clear();
      faults = [];
      log = [];
      clockOffsetMs = 0;
      chaos = undefined;
      keyAccounts.clear();
      release();
    },
    close() {
      release();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
