import { Agent as HttpsAgent } from 'node:https';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  type RequestContext,
} from '@kubernetes/client-node';
import type { InClusterRaw, InClusterResource } from '../../model/inCluster.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/json.js';
import type { Provider } from '../../model/posture.js';
import { mapLimited } from '../limit.js';
import { toJson } from '../reader.js';
import { NODE_POOL_LABELS } from './normalise.js';

/*
 * Reads one cluster through its Kubernetes API with @kubernetes/client-node: every list paged with
 * `limit`/`continue`, the kubelets' configz through the API server's node proxy for a sample of
 * nodes per pool, all of it within one time limit. A resource that cannot be read lands in
 * `errors` on its own, so only the checks that need it become unknown.
 */

export interface CollectInClusterOptions {
  readonly provider: Provider;
  /** `limit` of each list call. */
  readonly pageSize: number;
  /** Kubelets read per node pool; 0 reads none. */
  readonly nodesPerPool: number;
  /** Limit for the whole cluster. */
  readonly timeoutMs: number;
}

/** What reading a cluster gave: the raw bundle, or why nothing could be read at all. */
export type InClusterOutcome =
  | { readonly raw: InClusterRaw; readonly requests: number }
  | { readonly unreachable: string }
  | { readonly refused: string }
  | { readonly untrusted: string };

/** Requests in flight at once against one API server. */
const REQUESTS_PER_CLUSTER = 4;

/** Status messages are the API server's words; long ones are cut so a report stays readable. */
const MAX_DETAIL_LENGTH = 200;

/** Errors of the TLS handshake: the server's certificate did not verify against the CA given. */
const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * The KubeConfig every request of one cluster goes through: it ties each request to the cluster's
 * time limit, and keeps certificate verification on even when NODE_TLS_REJECT_UNAUTHORIZED=0 is
 * set, since client-node leaves that choice to the environment.
 */
class BoundedKubeConfig extends KubeConfig {
  readonly #signal: AbortSignal;

  constructor(from: KubeConfig, signal: AbortSignal) {
    super();
    this.#signal = signal;
    this.loadFromOptions({
      clusters: from.getClusters(),
      users: from.getUsers(),
      contexts: from.getContexts(),
      currentContext: from.getCurrentContext(),
    });
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (agent instanceof HttpsAgent) agent.options.rejectUnauthorized = true;
    context.setSignal(this.#signal);
  }
}

/** Why one request failed, classified: the first request decides whether the cluster is readable at all. */
type RequestFailure =
  | { readonly kind: 'status'; readonly code: number; readonly detail: string }
  | { readonly kind: 'network'; readonly detail: string }
  | { readonly kind: 'tls'; readonly detail: string }
  | { readonly kind: 'timeout'; readonly detail: string };

function cut(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/** The `message` of a Kubernetes Status body, else the start of the body. */
function statusMessage(body: unknown): string {
  if (typeof body !== 'string') return body === undefined ? '' : statusMessage(JSON.stringify(toJson(body)));
  try {
    const parsed: unknown = JSON.parse(body);
    if (isJsonObject(parsed) && typeof parsed.message === 'string') return cut(parsed.message);
  } catch {
    // Not a Status: a proxy or load balancer answered; its text still says what happened.
  }
  return cut(body.trim());
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') return code;
  const cause = 'cause' in error ? error.cause : undefined;
  return cause === undefined ? undefined : errorCode(cause);
}

function classify(error: unknown, timeoutMs: number): RequestFailure {
  if (error instanceof ApiException) {
    const code = error.code;
    const message = statusMessage(error.body);
    const name = STATUS_NAMES[code] ?? `HTTP ${code}`;
    return { kind: 'status', code, detail: message ? `${code} ${name}: ${message}` : `${code} ${name}` };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { kind: 'timeout', detail: `timed out after ${timeoutMs / 1000} s` };
  }
  const code = errorCode(error);
  const message = cut(error instanceof Error ? error.message : String(error));
  if (code !== undefined && TLS_ERROR_CODES.has(code)) return { kind: 'tls', detail: message };
  return { kind: 'network', detail: message };
}

/** A List as the API returns it, pages merged. */
interface ListPage {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly _continue?: string; readonly resourceVersion?: string };
  readonly items: readonly object[];
}

/** Reads a list to its end with `limit` and `continue`; a server that repeats a token is an error, not a loop. */
async function listAll(
  fetchPage: (params: { limit: number; _continue?: string }) => Promise<ListPage>,
  pageSize: number,
  counter: { requests: number },
): Promise<JsonObject> {
  const items: JsonValue[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let first: ListPage | undefined;
  do {
    counter.requests += 1;
    const page = await fetchPage({ limit: pageSize, ...(token === undefined ? {} : { _continue: token }) });
    first ??= page;
    items.push(...page.items.map((item) => toJson(item)));
    token = page.metadata?._continue || undefined;
    if (token !== undefined && seen.has(token)) {
      throw new Error(`the API server sent the continue token ${JSON.stringify(cut(token))} twice`);
    }
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return {
    apiVersion: first?.apiVersion ?? 'v1',
    kind: first?.kind ?? 'List',
    metadata: first?.metadata?.resourceVersion ? { resourceVersion: first.metadata.resourceVersion } : {},
    items,
  };
}

/** The clients of one cluster. */
function clientsOf(kubeConfig: KubeConfig) {
  return {
    core: kubeConfig.makeApiClient(CoreV1Api),
    rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
  };
}
type Clients = ReturnType<typeof clientsOf>;

type ListResource = Exclude<InClusterResource, 'awsAuth' | 'configz'>;

function listerOf(clients: Clients, resource: ListResource) {
  switch (resource) {
    case 'clusterrolebindings':
      return (params: { limit: number; _continue?: string }) => clients.rbac.listClusterRoleBinding(params);
    case 'rolebindings':
      return (params: { limit: number; _continue?: string }) =>
        clients.rbac.listRoleBindingForAllNamespaces(params);
    case 'clusterroles':
      return (params: { limit: number; _continue?: string }) => clients.rbac.listClusterRole(params);
    case 'namespaces':
      return (params: { limit: number; _continue?: string }) => clients.core.listNamespace(params);
    case 'networkpolicies':
      return (params: { limit: number; _continue?: string }) =>
        clients.networking.listNetworkPolicyForAllNamespaces(params);
    case 'nodes':
      return (params: { limit: number; _continue?: string }) => clients.core.listNode(params);
    case 'daemonsets':
      return (params: { limit: number; _continue?: string }) =>
        clients.apps.listDaemonSetForAllNamespaces(params);
  }
}

/** Lists read after the first: nodes come first, since they decide reachability and the configz sample. */
const OTHER_LISTS: readonly ListResource[] = [
  'clusterrolebindings',
  'rolebindings',
  'clusterroles',
  'namespaces',
  'networkpolicies',
  'daemonsets',
];

/** The nodes whose kubelets are read: the first `perPool` by name in each pool (nodes without a pool label form one). */
export function sampleNodes(nodes: JsonObject, provider: Provider, perPool: number): string[] {
  const label = NODE_POOL_LABELS[provider];
  const byPool = new Map<string, string[]>();
  const items = Array.isArray(nodes.items) ? nodes.items : [];
  for (const item of items) {
    if (!isJsonObject(item) || !isJsonObject(item.metadata) || typeof item.metadata.name !== 'string')
      continue;
    const labels = isJsonObject(item.metadata.labels) ? item.metadata.labels : {};
    const pool = typeof labels[label] === 'string' ? labels[label] : '';
    byPool.set(pool, [...(byPool.get(pool) ?? []), item.metadata.name]);
  }
  return [...byPool.keys()].sort().flatMap((pool) => (byPool.get(pool) ?? []).sort().slice(0, perPool));
}

/** configz through the node proxy: client-node types it as a string but hands back parsed JSON. */
function configzBody(body: unknown): JsonValue {
  if (typeof body !== 'string') return toJson(body);
  try {
    return toJson(JSON.parse(body));
  } catch {
    return `the node proxy answered configz with text that is not JSON: ${JSON.stringify(cut(body))}`;
  }
}

interface Reading {
  readonly clients: Clients;
  readonly options: CollectInClusterOptions;
  readonly counter: { requests: number };
}

async function readConfigz(reading: Reading, nodes: JsonObject): Promise<Record<string, JsonValue>> {
  const names = sampleNodes(nodes, reading.options.provider, reading.options.nodesPerPool);
  const bodies = await mapLimited(names, REQUESTS_PER_CLUSTER, async (name) => {
    reading.counter.requests += 1;
    try {
      return configzBody(await reading.clients.core.connectGetNodeProxyWithPath({ name, path: 'configz' }));
    } catch (error) {
      return classify(error, reading.options.timeoutMs).detail;
    }
  });
  return Object.fromEntries(names.map((name, index) => [name, bodies[index] ?? null]));
}

async function readAwsAuth(reading: Reading): Promise<JsonObject | null> {
  reading.counter.requests += 1;
  try {
    const configMap = await reading.clients.core.readNamespacedConfigMap({
      name: 'aws-auth',
      namespace: 'kube-system',
    });
    const json = toJson(configMap);
    return isJsonObject(json) ? json : null;
  } catch (error) {
    // A cluster on access entries alone has no aws-auth: that is an answer, not a failure.
    if (error instanceof ApiException && error.code === 404) return null;
    throw error;
  }
}

type Bundle = { -readonly [K in InClusterResource]?: InClusterRaw[K] };
type Errors = Partial<Record<InClusterResource, string>>;

/** Reads one resource into the bundle, or its reason into `errors`. */
async function readInto<K extends InClusterResource>(
  bundle: Bundle,
  errors: Errors,
  resource: K,
  timeoutMs: number,
  read: () => Promise<Bundle[K]>,
): Promise<void> {
  try {
    bundle[resource] = await read();
  } catch (error) {
    errors[resource] = classify(error, timeoutMs).detail;
  }
}

/** What a failure of the very first request says about the whole cluster. */
function wholeClusterFailure(failure: RequestFailure): InClusterOutcome | undefined {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
      return { unreachable: failure.detail };
    case 'tls':
      return { untrusted: failure.detail };
    case 'status':
      return failure.code === 401 ? { refused: failure.detail } : undefined;
  }
}

/**
 * Reads one cluster. Nodes are listed first: a refused or unreachable server ends the read there.
 * Never throws for what the server does; the outcome says it.
 */
export async function collectInCluster(
  kubeConfig: KubeConfig,
  options: CollectInClusterOptions,
): Promise<InClusterOutcome> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const reading: Reading = {
      clients: clientsOf(new BoundedKubeConfig(kubeConfig, abort.signal)),
      options,
      counter: { requests: 0 },
    };
    const bundle: Bundle = {};
    const errors: Errors = {};
    let nodes: JsonObject;
    try {
      nodes = await listAll(listerOf(reading.clients, 'nodes'), options.pageSize, reading.counter);
      bundle.nodes = nodes;
    } catch (error) {
      const failure = classify(error, options.timeoutMs);
      const whole = wholeClusterFailure(failure);
      if (whole !== undefined) return whole;
      errors.nodes = failure.detail;
      errors.configz = `nodes not listed: ${failure.detail}`;
      nodes = { items: [] };
    }
    const tasks: (() => Promise<void>)[] = OTHER_LISTS.map(
      (resource) => () =>
        readInto(bundle, errors, resource, options.timeoutMs, () =>
          listAll(listerOf(reading.clients, resource), options.pageSize, reading.counter),
        ),
    );
    if (options.provider === 'eks') {
      tasks.push(() => readInto(bundle, errors, 'awsAuth', options.timeoutMs, () => readAwsAuth(reading)));
    }
    if (errors.nodes === undefined) {
      if (options.nodesPerPool === 0)
        errors.configz = 'inCluster.nodesPerPool is 0, so no kubelet was sampled';
      else
        tasks.push(() =>
          readInto(bundle, errors, 'configz', options.timeoutMs, () => readConfigz(reading, nodes)),
        );
    }
    await mapLimited(tasks, REQUESTS_PER_CLUSTER, (task) => task());
    const raw: InClusterRaw = { ...bundle, ...(Object.keys(errors).length > 0 ? { errors } : {}) };
    return { raw, requests: reading.counter.requests };
  } finally {
    clearTimeout(timer);
  }
}
