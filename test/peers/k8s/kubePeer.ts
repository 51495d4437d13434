import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { InClusterResource } from '../../../model/inCluster.js';
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { generatePeerTls, type PeerTls } from '../azure/tls.js';
import { generateClientAuthority, type KubeClientCertificate } from './clientCertificates.js';
import { EKS_TOKEN_PREFIX, verifyEksToken } from './eksToken.js';
import type { KubeFixture } from './fixtures.js';
import {
  badRequestStatus,
  expiredStatus,
  forbiddenStatus,
  internalErrorStatus,
  kubeletUnreachableStatus,
  methodNotAllowedStatus,
  notFoundStatus,
  type RequestedResource,
  unauthorizedStatus,
  unknownPathStatus,
} from './status.js';
import { KUBE_RESOURCE_TYPES, KubeObjectStore, type KubeResourceType, pathPrefixOf } from './store.js';

/**
 * A failure injected into the requests for one in-cluster resource type (named as
 * InClusterRaw names them: `awsAuth` is the kube-system/aws-auth ConfigMap, `configz` the node proxy).
 * `hang`: no answer until the client gives up or the peer closes.
 */
export interface KubeFault {
  readonly resource: InClusterResource;
  readonly status: 401 | 403 | 500 | 503 | 'hang';
  /** Only this cluster of the peer (its name); default every cluster. */
  readonly cluster?: string;
  /** `configz` only: only this node. */
  readonly node?: string;
  /** Apply to the next N matching requests only. Default: every one. */
  readonly times?: number;
}

/** One request the peer received. */
export interface KubeRequest {
  /** The peer cluster it was addressed to. */
  readonly cluster: string;
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The authenticated user; null when the request was refused with 401. */
  readonly user: string | null;
  /** The HTTP status sent; 0 for a held (hang) request. */
  readonly status: number;
}

/** A cluster the peer serves, at its own URL. */
export interface KubePeerCluster {
  /** Its name; EKS tokens must be signed for it (`x-k8s-aws-id`). */
  readonly name: string;
  /** The API server URL a kubeconfig's `server` (or a cluster description's endpoint) names. */
  readonly url: string;
}

/** How the peer authenticates bearer tokens. */
export interface KubePeerOptions {
  /** The name of the cluster served at the root URL. Default `kubeline-peer`. */
  readonly clusterName?: string;
  /** Bearer tokens accepted, with the user each authenticates as (GKE and AKS tokens from the cloud peers). */
  readonly acceptedTokens?: Readonly<Record<string, string>>;
  /** Accept EKS `k8s-aws-v1.` tokens; see EksTokenPolicy for what is checked. */
  readonly eks?: {
    readonly secrets?: Readonly<Record<string, string>>;
    readonly extraStsHosts?: readonly string[];
  };
  /** The clock EKS token expiry is judged by. Default: the system clock. */
  readonly now?: () => Date;
  /** The client-certificate user: CN and O. Default `kubeline-cert-user` in `kubeline-readers`. */
  readonly certificateUser?: { readonly user: string; readonly groups: readonly string[] };
}

/** A running Kubernetes API peer. */
export interface KubePeer {
  /** The root cluster's URL: https://127.0.0.1:PORT. */
  readonly url: string;
  /** base64 of the CA PEM: a kubeconfig's `certificate-authority-data`, a cluster description's CA field. */
  readonly caData: string;
  /** The CA PEM. */
  readonly ca: string;
  /** The bearer token the peer generated for this run, and the user it authenticates as. */
  readonly tokens: { readonly scanner: string; readonly scannerUser: string };
  readonly clientCert: KubeClientCertificate;
  /** The cluster at the root URL. */
  readonly cluster: KubePeerCluster;
  /**
   * Serves one more cluster, empty until seeded, on a port of its own: kubeline keeps only the
   * origin of an API server address, as the clouds' endpoints have no path.
   */
  addCluster(name: string): Promise<KubePeerCluster>;
  /** Replaces a cluster's objects and configz bodies. Default: the root cluster. */
  seed(fixture: KubeFixture, cluster?: string): void;
  /** Makes every continue token issued so far answer 410 Expired. */
  compact(cluster?: string): void;
  acceptToken(token: string, user: string): void;
  /** While set, every bearer token (EKS ones too) is answered 401, as after expiry. Client certificates still work. */
  setTokensExpired(expired: boolean): void;
  addFault(fault: KubeFault): void;
  clearFaults(): void;
  /** Resolves once a request is being held by a `hang` fault: the readiness signal tests wait on. */
  whenHeld(): Promise<void>;
  /** Drops the connections of held requests, as a load balancer's idle timeout would. */
  releaseHeld(): void;
  requests(): readonly KubeRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

interface ClusterState {
  readonly name: string;
  readonly store: KubeObjectStore;
  configz: Map<string, JsonValue>;
}

/** What a path asks for. */
type Route =
  | { readonly kind: 'list'; readonly type: KubeResourceType; readonly namespace?: string }
  | {
      readonly kind: 'get';
      readonly type: KubeResourceType;
      readonly namespace?: string;
      readonly name: string;
    }
  | { readonly kind: 'proxy'; readonly node: string; readonly path: string };

const NODES = KUBE_RESOURCE_TYPES.find((type) => type.plural === 'nodes');

function routeOf(pathname: string): Route | undefined {
  for (const type of KUBE_RESOURCE_TYPES) {
    const prefix = `${pathPrefixOf(type)}/`;
    if (!pathname.startsWith(prefix)) continue;
    const segments = pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    const [first, second, third, fourth] = segments;
    if (type.namespaced && first === 'namespaces' && third === type.plural && second !== undefined) {
      if (segments.length === 3) return { kind: 'list', type, namespace: second };
      if (segments.length === 4 && fourth !== undefined)
        return { kind: 'get', type, namespace: second, name: fourth };
    }
    if (first !== type.plural) continue;
    if (segments.length === 1) return { kind: 'list', type };
    if (segments.length === 2 && !type.namespaced && second !== undefined)
      return { kind: 'get', type, name: second };
    if (type === NODES && third === 'proxy' && second !== undefined)
      return { kind: 'proxy', node: second, path: segments.slice(3).join('/') };
  }
  return undefined;
}

/** The in-cluster resource a route reads, for faults; undefined for reads outside the pass. */
function inClusterResourceOf(route: Route): InClusterResource | undefined {
  if (route.kind === 'proxy') return 'configz';
  if (route.type.plural === 'configmaps')
    return route.kind === 'get' && route.namespace === 'kube-system' && route.name === 'aws-auth'
      ? 'awsAuth'
      : undefined;
  return route.type.plural as InClusterResource;
}

function requestedOf(route: Route): RequestedResource {
  if (route.kind === 'proxy') return { verb: 'get', resource: 'nodes/proxy', group: '', name: route.node };
  const group = route.type.apiVersion.includes('/') ? (route.type.apiVersion.split('/')[0] ?? '') : '';
  return {
    verb: route.kind,
    resource: route.type.plural,
    group,
    ...(route.namespace === undefined ? {} : { namespace: route.namespace }),
    ...(route.kind === 'get' ? { name: route.name } : {}),
  };
}

/**
 * An HTTPS Kubernetes API server peer on 127.0.0.1 for kubeline's in-cluster pass and the real
 * @kubernetes/client-node client: the read paths the pass uses, answering the API's own JSON
 * (List kinds paged with `limit`/`continue`, `Status` objects on failures, the node proxy's
 * `configz`). Its serving certificate comes from a CA made for this run, its client CA signs one
 * certificate user, and bearer tokens are checked per cloud. Several clusters can share one peer
 * (its CAs, tokens, faults and request log), each on its own port.
 */
export async function startKubePeer(options: KubePeerOptions = {}): Promise<KubePeer> {
  const certificateUser = options.certificateUser ?? {
    user: 'kubeline-cert-user',
    groups: ['kubeline-readers'],
  };
  const tls: PeerTls = await generatePeerTls();
  const clientAuthority = await generateClientAuthority(certificateUser.user, certificateUser.groups).catch(
    async (error: unknown) => {
      await tls.remove();
      throw error;
    },
  );
  const rootName = options.clusterName ?? 'kubeline-peer';
  const clusters = new Map<string, ClusterState>([
    [rootName, { name: rootName, store: new KubeObjectStore(), configz: new Map() }],
  ]);
  const scanner = { token: `kl-${randomBytes(24).toString('hex')}`, user: 'kubeline-scanner' };
  const acceptedTokens = new Map<string, string>([
    [scanner.token, scanner.user],
    ...Object.entries(options.acceptedTokens ?? {}),
  ]);
  const faults: { rule: KubeFault; left: number }[] = [];
  const log: KubeRequest[] = [];
  const held = new Set<ServerResponse>();
  const heldWaiters: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const now = options.now ?? (() => new Date());
  let tokensExpired = false;

  function clusterState(name: string | undefined): ClusterState {
    const state = clusters.get(name ?? rootName);
    if (state === undefined)
      throw new Error(`the Kubernetes peer serves no cluster named ${name ?? rootName}`);
    return state;
  }

  function send(response: ServerResponse, status: number, body: JsonValue): number {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
    return status;
  }

  function sendStatus(response: ServerResponse, status: JsonObject): number {
    return send(response, typeof status.code === 'number' ? status.code : 500, status);
  }

  /** The user of a request: the x509 authenticator first, then bearer tokens, as kube-apiserver orders them. */
  function authenticate(request: IncomingMessage, cluster: string): string | null {
    const socket = request.socket as TLSSocket;
    if (socket.authorized) {
      const commonName = socket.getPeerCertificate().subject?.CN;
      if (typeof commonName === 'string' && commonName !== '') return commonName;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined || tokensExpired) return null;
    const user = acceptedTokens.get(token);
    if (user !== undefined) return user;
    if (options.eks === undefined || !token.startsWith(EKS_TOKEN_PREFIX)) return null;
    const verdict = verifyEksToken(token, {
      clusterName: cluster,
      now,
      ...(options.eks.secrets === undefined ? {} : { secrets: options.eks.secrets }),
      ...(options.eks.extraStsHosts === undefined ? {} : { extraStsHosts: options.eks.extraStsHosts }),
    });
    return verdict.ok ? verdict.user : null;
  }

  function matchFault(cluster: string, route: Route): KubeFault | undefined {
    const resource = inClusterResourceOf(route);
    if (resource === undefined) return undefined;
    const found = faults.find(
      ({ rule, left }) =>
        left !== 0 &&
        rule.resource === resource &&
        (rule.cluster === undefined || rule.cluster === cluster) &&
        (rule.node === undefined || (route.kind === 'proxy' && route.node === rule.node)),
    );
    if (found === undefined) return undefined;
    if (found.left > 0) found.left -= 1;
    return found.rule;
  }

  function hold(response: ServerResponse): number {
    held.add(response);
    response.on('close', () => held.delete(response));
    for (const wake of heldWaiters.splice(0)) wake();
    return 0;
  }

  function injectFault(response: ServerResponse, fault: KubeFault, user: string, route: Route): number {
    switch (fault.status) {
      case 'hang':
        return hold(response);
      case 401:
        return sendStatus(response, unauthorizedStatus());
      case 403:
        return sendStatus(response, forbiddenStatus(user, requestedOf(route)));
      case 500:
        return sendStatus(response, internalErrorStatus('etcdserver: request timed out'));
      case 503:
        return sendStatus(
          response,
          kubeletUnreachableStatus(route.kind === 'proxy' ? route.node : 'the requested resource'),
        );
    }
  }

  function serve(
    response: ServerResponse,
    state: ClusterState,
    route: Route,
    query: URLSearchParams,
  ): number {
    if (route.kind === 'proxy') {
      if (NODES === undefined || state.store.get(NODES, undefined, route.node) === undefined)
        return sendStatus(
          response,
          notFoundStatus({ verb: 'get', resource: 'nodes', group: '', name: route.node }),
        );
      if (route.path !== 'configz') return sendStatus(response, unknownPathStatus());
      const body = state.configz.get(route.node);
      return body === undefined
        ? sendStatus(response, kubeletUnreachableStatus(route.node))
        : send(response, 200, body);
    }
    if (route.kind === 'get') {
      const object = state.store.get(route.type, route.namespace, route.name);
      return object === undefined
        ? sendStatus(response, notFoundStatus(requestedOf(route)))
        : send(response, 200, object);
    }
    const page = state.store.list(route.type, route.namespace, query);
    if (page.ok) return send(response, 200, page.body);
    return sendStatus(
      response,
      page.status === 410 ? expiredStatus(page.message) : badRequestStatus(page.message),
    );
  }

  function handle(clusterName: string, request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname;
    const user = authenticate(request, clusterName);
    const record = (status: number) =>
      log.push({
        cluster: clusterName,
        method: request.method ?? '',
        path,
        query: Object.fromEntries(url.searchParams.entries()),
        user,
        status,
      });
    const state = clusters.get(clusterName);
    if (user === null) return void record(sendStatus(response, unauthorizedStatus()));
    if (request.method !== 'GET')
      return void record(sendStatus(response, methodNotAllowedStatus(request.method ?? '')));
    const route = routeOf(path);
    if (state === undefined || route === undefined)
      return void record(sendStatus(response, unknownPathStatus()));
    const fault = matchFault(clusterName, route);
    if (fault !== undefined) return void record(injectFault(response, fault, user, route));
    record(serve(response, state, route, url.searchParams));
  }

  /** An HTTPS listener on a free loopback port serving one cluster. */
  async function listen(clusterName: string): Promise<string> {
    const server: Server = createServer(
      {
        key: tls.key,
        cert: tls.cert,
        ca: clientAuthority.ca,
        // Ask for a client certificate without requiring one: bearer-token users send none.
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        request.resume();
        request.on('end', () => handle(clusterName, request, response));
      },
    );
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new Error(`the Kubernetes peer cannot listen on 127.0.0.1 for ${clusterName}`, { cause: error }),
        ),
      );
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('the Kubernetes peer has no TCP address');
    return `https://127.0.0.1:${address.port}`;
  }

  async function close(): Promise<void> {
    for (const response of held) response.destroy();
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
    await tls.remove();
  }

  const origin = await listen(rootName).catch(async (error: unknown) => {
    await tls.remove();
    throw error;
  });

  return {
    url: origin,
    ca: tls.ca,
    caData: Buffer.from(tls.ca, 'utf8').toString('base64'),
    tokens: { scanner: scanner.token, scannerUser: scanner.user },
    clientCert: clientAuthority.client,
    cluster: { name: rootName, url: origin },
    async addCluster(name) {
      if (clusters.has(name)) throw new Error(`the Kubernetes peer already serves a cluster named ${name}`);
      clusters.set(name, { name, store: new KubeObjectStore(), configz: new Map() });
      return { name, url: await listen(name) };
    },
    seed(fixture, cluster) {
      const state = clusterState(cluster);
      state.store.clear();
      for (const object of fixture.objects) state.store.put(object);
      state.configz = new Map(Object.entries(fixture.configz));
    },
    compact: (cluster) => clusterState(cluster).store.compact(),
    acceptToken: (token, user) => acceptedTokens.set(token, user),
    setTokensExpired(expired) {
      tokensExpired = expired;
    },
    addFault: (rule) => faults.push({ rule, left: rule.times ?? -1 }),
    clearFaults: () => faults.splice(0),
    whenHeld: () =>
      held.size > 0 ? Promise.resolve() : new Promise<void>((resolve) => heldWaiters.push(resolve)),
    releaseHeld() {
      for (const response of held) response.destroy();
    },
    requests: () => [...log],
    clearRequests: () => log.splice(0),
    close,
  };
}
