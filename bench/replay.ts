import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createGcpClients,
  type GcpClients,
  type GcpLogging,
  type GcpResourceManager,
} from '../providers/gcp/clients.js';
import { mapLimited } from '../providers/limit.js';

/*
 * The raw loop of the lower bound: the requests a kubeline scan made, taken from the peer's own
 * log, sent again as they were, at the concurrency kubeline allows and without latency, by a
 * client that does nothing else (no pagination logic, no retries, no parsing or normalising).
 * Its wall time is the peer's service time for that work. AWS and ARM requests go out as the
 * HTTP requests they were, over keep-alive connections; GKE calls through the Google SDK's gRPC
 * clients, each with the resource it named. Runs in a process of its own, as the scans do, so the
 * peers (in the benchmark's process) and the client do not share a core.
 */

/** One recorded request, with the scope (account and region, project, subscription) it belongs to. */
export type ReplayCall =
  | {
      readonly cloud: 'eks';
      readonly scope: string;
      /** SigV4 signing name: `eks`, `ec2`, `sts`, `logs`, `iam`, … */
      readonly service: string;
      readonly operation: string;
      /** The account the request acted for; for STS AssumeRole, the account of the role. */
      readonly account: string;
      readonly region: string;
      readonly method: string;
      readonly url: string;
      readonly body: string;
      /** The HTTP status the peer answered kubeline. */
      readonly status: number;
    }
  | {
      readonly cloud: 'gke';
      readonly scope: string;
      readonly method: string;
      /** The request's `parent`, `name` or `query`. */
      readonly resource: string;
      /** The gRPC status the peer answered kubeline (0: OK). */
      readonly status: number;
    }
  | {
      readonly cloud: 'aks';
      readonly scope: string;
      readonly method: string;
      readonly url: string;
      readonly status: number;
    };

/** What the child is asked to replay, written to a file by the runner. */
export interface ReplayPlan {
  readonly endpoint: string;
  /** PEM of the CA that signed an HTTPS peer. */
  readonly ca?: string;
  /** Calls in flight per scope; a scope not listed gets `defaultSlots`. */
  readonly slotsPerScope: Readonly<Record<string, number>>;
  readonly defaultSlots: number;
  /** Scopes replayed at once. */
  readonly scopesAtOnce: number;
  /** AWS: the access key id of kubeline's read role per account, issued by the peer's STS. */
  readonly accessKeys?: Readonly<Record<string, string>>;
  /** AWS: the key of the caller's own identity (AssumeRole is called with it). */
  readonly baseAccessKeyId?: string;
  readonly calls: readonly ReplayCall[];
}

/** What the replay measured. */
export interface ReplayResult {
  readonly calls: number;
  readonly seconds: number;
  /** Requests answered otherwise than kubeline's were (another status, or none); the first one's reason. */
  readonly failed: number;
  readonly firstFailure?: string;
}

/** How a JSON-protocol AWS service names its operations in `X-Amz-Target`, and its content type. */
const AWS_JSON_TARGETS: Readonly<Record<string, { readonly prefix: string; readonly type: string }>> = {
  logs: { prefix: 'Logs_20140328', type: 'application/x-amz-json-1.1' },
  monitoring: { prefix: 'GraniteServiceVersion20100801', type: 'application/x-amz-json-1.0' },
  organizations: { prefix: 'AWSOrganizationsV20161128', type: 'application/x-amz-json-1.1' },
};

/**
 * The headers that make a recorded AWS request the same request again. The peer reads the
 * caller and the service from the SigV4 credential scope and checks no signature, so the scope
 * is all that is sent: signing is the client's cost, not the peer's.
 */
export function awsReplayHeaders(
  call: Extract<ReplayCall, { cloud: 'eks' }>,
  accessKeyId: string,
): Record<string, string> {
  const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20000101/${call.region}/${call.service}/aws4_request, SignedHeaders=host, Signature=0`;
  const json = AWS_JSON_TARGETS[call.service];
  if (json !== undefined && call.body.startsWith('{')) {
    return { authorization, 'content-type': json.type, 'x-amz-target': `${json.prefix}.${call.operation}` };
  }
  if (call.body.startsWith('Action=')) {
    return { authorization, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  }
  return call.body === '' ? { authorization } : { authorization, 'content-type': 'application/json' };
}

/** Sends one HTTP(S) request and reads the whole answer; resolves its status, or 0 with the error. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
  agent: HttpAgent,
): Promise<{ status: number; reason?: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
      (response) => {
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.once('error', (error) => resolve({ status: 0, reason: error.message }));
      },
    );
    outgoing.once('error', (error) => resolve({ status: 0, reason: error.message }));
    outgoing.end(body);
  });
}

/** Every Google client a replay may use, made before the clock starts. */
type GkeReplayClients = Pick<GcpClients, 'clusters'> & GcpResourceManager & GcpLogging;

/** Replays one GKE call with the SDK client of its method: one page, no retries. */
function gkeCall(clients: GkeReplayClients, call: Extract<ReplayCall, { cloud: 'gke' }>): Promise<unknown> {
  const once = { maxRetries: 0, autoPaginate: false };
  switch (call.method) {
    case 'ListClusters':
      return clients.clusters.listClusters({ parent: call.resource }, once);
    case 'GetCluster':
      return clients.clusters.getCluster({ name: call.resource }, once);
    case 'GetServerConfig':
      return clients.clusters.getServerConfig({ name: call.resource }, once);
    case 'FetchClusterUpgradeInfo':
      return clients.clusters.fetchClusterUpgradeInfo({ name: call.resource }, once);
    case 'SearchProjects':
      return clients.projects.searchProjects({ query: call.resource }, once);
    case 'ListFolders':
      return clients.folders.listFolders({ parent: call.resource }, once);
    case 'GetBucket':
      return clients.logConfig.getBucket({ name: call.resource }, once);
    case 'ListLogMetrics':
      return clients.logMetrics.listLogMetrics({ parent: call.resource }, once);
    case 'ListAlertPolicies':
      return clients.alertPolicies.listAlertPolicies({ name: call.resource }, once);
    default:
      return Promise.reject(new Error(`no replay for the GKE method ${call.method}`));
  }
}

/** Replays the plan's calls, scope by scope as kubeline runs them, and times the whole. */
export async function replay(plan: ReplayPlan): Promise<ReplayResult> {
  const slots = Math.max(
    1,
    Object.values(plan.slotsPerScope).reduce((sum, count) => sum + count, 0),
  );
  const agentOptions = { keepAlive: true, maxSockets: slots, ...(plan.ca ? { ca: plan.ca } : {}) };
  const agent = plan.endpoint.startsWith('https:')
    ? new HttpsAgent(agentOptions)
    : new HttpAgent(agentOptions);
  const gke = plan.calls.some((call) => call.cloud === 'gke')
    ? createGcpClients({ apiEndpoint: plan.endpoint, maxAttempts: 1, callTimeoutMs: 60_000 })
    : undefined;
  // gax loads each client's protos on its first call, and kubeline loads the Logging, Monitoring
  // and Resource Manager SDKs on first use: done before the clock starts, as it is done once per
  // process in a scan too, and is no part of the peer's time.
  let gkeClients: GkeReplayClients | undefined;
  if (gke !== undefined) {
    gkeClients = { clusters: gke.clusters, ...(await gke.resourceManager()), ...(await gke.logging()) };
    const { clusters, projects, folders, logConfig, logMetrics, alertPolicies } = gkeClients;
    await Promise.all(
      [clusters, projects, folders, logConfig, logMetrics, alertPolicies].map((client) =>
        client.initialize(),
      ),
    );
  }
  let failed = 0;
  let firstFailure: string | undefined;
  const fail = (reason: string) => {
    failed += 1;
    firstFailure ??= reason;
  };
  const one = async (call: ReplayCall): Promise<void> => {
    if (call.cloud === 'gke') {
      if (gkeClients === undefined) throw new Error('no GKE clients');
      const status = await gkeCall(gkeClients, call).then(
        () => 0,
        (error: unknown) => (error instanceof Error && 'code' in error ? Number(error.code) : -1),
      );
      if (status !== call.status)
        fail(`${call.method} ${call.resource}: gRPC status ${status}, not ${call.status}`);
      return;
    }
    const headers =
      call.cloud === 'eks'
        ? awsReplayHeaders(
            call,
            (call.service === 'sts' ? undefined : plan.accessKeys?.[call.account]) ??
              plan.baseAccessKeyId ??
              '',
          )
        : { authorization: 'Bearer kubeline-local-peer' };
    const body = call.cloud === 'eks' ? call.body : '';
    const { status, reason } = await send(
      new URL(call.url, plan.endpoint),
      call.method,
      headers,
      body,
      agent,
    );
    if (status !== call.status)
      fail(`${call.method} ${call.url}: ${reason ?? `HTTP ${status}`}, not ${call.status}`);
  };
  const byScope = new Map<string, ReplayCall[]>();
  for (const call of plan.calls) byScope.set(call.scope, [...(byScope.get(call.scope) ?? []), call]);
  const started = performance.now();
  await mapLimited([...byScope], plan.scopesAtOnce, ([scope, calls]) =>
    mapLimited(calls, plan.slotsPerScope[scope] ?? plan.defaultSlots, one),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await gke?.close();
  return { calls: plan.calls.length, seconds, failed, ...(firstFailure ? { firstFailure } : {}) };
}

// The child: `node --import tsx bench/replay.ts PLAN.json` prints its ReplayResult as JSON.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: replay.ts PLAN.json');
  const plan = JSON.parse(await readFile(file, 'utf8')) as ReplayPlan;
  process.stdout.write(`${JSON.stringify(await replay(plan))}\n`);
}
