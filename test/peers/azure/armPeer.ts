import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { stringify } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';
import { type ChaosHook, type ChaosKind, truncated, typeConfusedBody } from '../chaos.js';
import { generatePeerTls, type PeerTls } from './tls.js';

/** The ARM actions the peer serves, named as Azure RBAC names them (and kubeline records its calls). */
export const ARM_OPERATIONS = [
  'Microsoft.Resources/subscriptions/read',
  'Microsoft.ContainerService/managedClusters/read',
  'Microsoft.ContainerService/managedClusters/agentPools/read',
  'Microsoft.ContainerService/locations/kubernetesVersions/read',
  'Microsoft.Insights/diagnosticSettings/read',
  'Microsoft.Management/managementGroups/descendants/read',
  'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
  'Microsoft.Security/pricings/read',
  'Microsoft.Insights/scheduledQueryRules/read',
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/tables/read',
] as const;
export type ArmOperation = (typeof ARM_OPERATIONS)[number];

/**
 * A failure to inject into the requests that match every given field.
 * `forbidden`: 403 AuthorizationFailed. `throttle`: 429 TooManyRequests with `Retry-After`.
 * `timeout`: no answer for `holdMs` (default 10 s), then the connection is closed. `malformed`:
 * 200 with a body cut short.
 */
export interface ArmFault {
  readonly subscription?: string;
  readonly operation?: ArmOperation;
  /** Only requests whose path contains this (case-insensitive), e.g. a cluster name. */
  readonly pathIncludes?: string;
  /** `no-list`: 200 with a well-formed JSON object that has no `value` list. */
  readonly kind: 'forbidden' | 'throttle' | 'timeout' | 'malformed' | 'no-list';
  /** Apply to the next N matching requests only. Default: every one. */
  readonly times?: number;
  /** Seconds in the `Retry-After` of a throttle. Default 1. */
  readonly retryAfterSeconds?: number;
  readonly holdMs?: number;
}

/** What the fault suite's hook is told of each request. */
export interface ArmChaosCall {
  readonly operation: ArmOperation | 'unknown';
  readonly subscription: string | undefined;
  /** Path and query as sent. */
  readonly url: string;
}

/** The fault suite's per-request faults: the hook, how long `slow` holds, the PRNG of type confusion. */
export interface ArmChaos {
  readonly hook: ChaosHook<ArmChaosCall>;
  readonly slowMs: number;
  readonly random: () => number;
}

/** One request the peer received. */
export interface ArmCall {
  readonly operation: ArmOperation | 'unknown';
  readonly subscription: string | undefined;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The HTTP status sent; 0 for a held (timeout) request. */
  readonly status: number;
  /** The bearer token presented. */
  readonly token: string | undefined;
}

/** One kubeconfig of a listClusterUserCredential answer: its name and the kubeconfig YAML (the peer base64-encodes it). */
export interface PeerKubeconfig {
  readonly name: string;
  readonly value: string;
}

/** A subscription the identity can list. */
export interface PeerSubscription {
  readonly subscriptionId: string;
  readonly tenantId?: string;
  readonly displayName?: string;
  /** `Enabled` by default; `Disabled`, `Warned`, `PastDue`, `Deleted` as ARM reports them. */
  readonly state?: string;
}

export interface ArmPeer {
  /** https://127.0.0.1:PORT: the `endpoint` of the clients, `targets.aks.endpoint` of the config. */
  readonly endpoint: string;
  /** PEM of the CA that signed the peer's certificate. */
  readonly ca: string;
  /** The same CA as a file (`targets.tls.caFile`). */
  readonly caFile: string;
  addSubscription(subscription: PeerSubscription): void;
  /** Adds a managed cluster in ARM wire JSON (`properties` envelope); its subscription comes from its id. */
  addCluster(cluster: JsonObject): void;
  /** Sets the diagnostic settings (ARM wire JSON) of a resource id. */
  setDiagnosticSettings(resourceId: string, settings: readonly JsonObject[]): void;
  /** Declares a management group: its direct child groups and subscriptions. */
  setManagementGroup(
    id: string,
    children: { readonly groups?: readonly string[]; readonly subscriptions?: readonly string[] },
  ): void;
  /** Sets what agentPools.list answers for a cluster (profiles, named); default: the cluster's agentPoolProfiles. */
  setAgentPools(clusterId: string, pools: readonly JsonObject[]): void;
  /**
   * Sets the kubeconfigs listClusterUserCredential answers for a cluster. Default: one kubeconfig
   * as AKS writes it, for the cluster's `fqdn` (`privateFQDN` when private) and the CA of
   * setCertificateAuthority, with a kubelogin exec user for Entra ID clusters and a token user
   * otherwise.
   */
  setUserCredentials(clusterId: string, kubeconfigs: readonly PeerKubeconfig[]): void;
  /**
   * The base64 PEM CA written into the default kubeconfigs: the Kubernetes peer's when the
   * clusters' addresses point at it. Default: the ARM peer's own CA.
   */
  setCertificateAuthority(caData: string): void;
  /**
   * Sets the `pricingTier` of a Defender for Cloud plan (`Containers`) in a subscription. Default:
   * `Free`, as ARM answers for a plan never turned on.
   */
  setDefenderPlan(subscription: string, plan: string, pricingTier: string): void;
  /** Adds a scheduled query rule (ARM wire JSON, `properties` envelope); its subscription comes from its id. */
  addScheduledQueryRule(rule: JsonObject): void;
  /** Adds a Log Analytics workspace (ARM wire JSON, with `properties.retentionInDays`). */
  addWorkspace(workspace: JsonObject): void;
  /**
   * Sets the `properties` of one table of a workspace, laid over the default: a table that keeps
   * the workspace's retention (`retentionInDaysAsDefault`, `totalRetentionInDaysAsDefault`).
   */
  setWorkspaceTable(workspaceId: string, table: string, properties: JsonObject): void;
  /** Sets the listKubernetesVersions body `values` of a location (default: recordedKubernetesVersions()). */
  setKubernetesVersions(location: string, values: readonly JsonObject[]): void;
  /** Reads each subscription may make before `x-ms-ratelimit-remaining-subscription-reads` says 0. Default 12000. */
  setReadBudget(reads: number): void;
  /** Clusters per page of managedClusters.list. Default 100. */
  setPageSize(size: number): void;
  addFault(fault: ArmFault): void;
  clearFaults(): void;
  /**
   * Draws a fault for every request (the fault suite): `throttle` 429 TooManyRequests with
   * `Retry-After: 1`, `server-error` 500 InternalServerError or 503 ServiceUnavailable, `reset` the
   * real answer's headers and half its body then the socket destroyed, `slow` the real answer after
   * `slowMs`, `truncated` its body cut in half, `type-confused` its values of the wrong types. Rules
   * of addFault win. Undefined stops it; reset stops it too.
   */
  setChaos(chaos: ArmChaos | undefined): void;
  calls(): readonly ArmCall[];
  clearCalls(): void;
  /**
   * Removes every subscription, cluster, setting, user credential, version list, Defender plan,
   * query rule, workspace, table, fault and call; the CA is the peer's own again.
   */
  reset(): void;
  close(): Promise<void>;
}

const RECORDED_VERSIONS = new URL('../../fixtures/versions/aks-kubernetes-versions.json', import.meta.url);

/**
 * The `values` of listKubernetesVersions as recorded for one location (KubernetesVersionListResult):
 * a preview on top, `KubernetesOfficial` and `AKSLongTermSupport` during community support,
 * `AKSLongTermSupport` alone after it. Written from the documented response shape, so that live
 * scans are judged by what the API lists, not by kubeline's own calendar.
 */
export function recordedKubernetesVersions(): JsonObject[] {
  const parsed: unknown = JSON.parse(readFileSync(RECORDED_VERSIONS, 'utf8'));
  const values = isJsonObject(parsed) ? parsed.values : undefined;
  if (!Array.isArray(values) || !values.every(isJsonObject)) {
    throw new Error(`${RECORDED_VERSIONS.pathname} has no list of versions in values`);
  }
  return values;
}

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;
const CLUSTER_PATH =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;
const WORKSPACE_PATH =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;
const TABLE_PATH =
  /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+)\/tables\/([^/]+)$/i;
const DEFAULT_HOLD_MS = 10_000;
const USER_CREDENTIAL_ACTION = 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';
/** The AKS AAD server application and the Azure CLI's client, as kubelogin's arguments in AKS kubeconfigs name them. */
const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AZURE_CLI_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';
/** ARM's read budget per subscription per hour window, sent back decreasing as real ARM does. */
const READ_BUDGET = 12_000;

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The HTTP method ARM takes for an operation: POST for actions, GET for reads. */
function methodOf(operation: ArmOperation): string {
  return operation.endsWith('/action') ? 'POST' : 'GET';
}

/** `https://` and the host of a cluster's address, with AKS's `:443` unless the host already names a port. */
function serverOf(host: string): string {
  return `https://${host}${/:\d+$/.test(host) ? '' : ':443'}`;
}

/**
 * The kubeconfig listClusterUserCredential returns for a cluster, as AKS writes it: a kubelogin
 * exec user for managed Entra ID clusters, a bearer token user for local-account clusters.
 */
function defaultKubeconfig(cluster: JsonObject, caData: string): string {
  const name = text(cluster.name);
  const resourceGroup = /\/resourcegroups\/([^/]+)\//i.exec(text(cluster.id))?.[1] ?? '';
  const properties = isJsonObject(cluster.properties) ? cluster.properties : {};
  const access = isJsonObject(properties.apiServerAccessProfile) ? properties.apiServerAccessProfile : {};
  const aad = isJsonObject(properties.aadProfile) ? properties.aadProfile : {};
  const host = text(access.enablePrivateCluster === true ? properties.privateFQDN : properties.fqdn);
  const userName = `clusterUser_${resourceGroup}_${name}`;
  const user =
    aad.managed === true
      ? {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'kubelogin',
            args: [
              'get-token',
              '--environment',
              'AzurePublicCloud',
              '--server-id',
              AKS_AAD_SERVER_ID,
              '--client-id',
              AZURE_CLI_CLIENT_ID,
              '--tenant-id',
              text(aad.tenantID),
              '--login',
              'devicecode',
            ],
            env: null,
            provideClusterInfo: false,
          },
        }
      : { token: randomBytes(32).toString('hex') };
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': caData, server: serverOf(host) }, name }],
    contexts: [{ context: { cluster: name, user: userName }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name: userName, user }],
  });
}

function operationOf(pathname: string): ArmOperation | 'unknown' {
  const lower = pathname.toLowerCase();
  if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.security\/pricings\/[^/]+$/.test(lower))
    return 'Microsoft.Security/pricings/read';
  if (/^\/subscriptions\/[^/]+\/providers\/microsoft\.insights\/scheduledqueryrules$/.test(lower))
    return 'Microsoft.Insights/scheduledQueryRules/read';
  if (WORKSPACE_PATH.test(lower)) return 'Microsoft.OperationalInsights/workspaces/read';
  if (TABLE_PATH.test(lower)) return 'Microsoft.OperationalInsights/workspaces/tables/read';
  if (lower.endsWith('/providers/microsoft.insights/diagnosticsettings'))
    return 'Microsoft.Insights/diagnosticSettings/read';
  if (/^\/subscriptions\/?$/.test(lower)) return 'Microsoft.Resources/subscriptions/read';
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+\/descendants$/.test(lower))
    return 'Microsoft.Management/managementGroups/descendants/read';
  if (/\/providers\/microsoft\.containerservice\/locations\/[^/]+\/kubernetesversions$/.test(lower))
    return 'Microsoft.ContainerService/locations/kubernetesVersions/read';
  if (/\/managedclusters\/[^/]+\/listclusterusercredential$/.test(lower))
    return 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';
  if (/\/managedclusters\/[^/]+\/agentpools$/.test(lower))
    return 'Microsoft.ContainerService/managedClusters/agentPools/read';
  if (/\/providers\/microsoft\.containerservice\/managedclusters(\/[^/]+)?$/.test(lower))
    return 'Microsoft.ContainerService/managedClusters/read';
  return 'unknown';
}

/**
 * An Azure Resource Manager peer over HTTPS on 127.0.0.1: the routes kubeline's AKS collector
 * calls, answering ARM wire JSON (`properties` envelopes, absolute `nextLink`s, `{error:{code,
 * message}}` bodies). Its certificate is signed by a CA made for this run; clients must be given
 * that CA, since the Azure SDK sends bearer tokens only over TLS.
 */
export async function startArmPeer(): Promise<ArmPeer> {
  const tls: PeerTls = await generatePeerTls();
  const subscriptions = new Map<string, PeerSubscription>();
  const clusters = new Map<string, JsonObject[]>();
  const settings = new Map<string, JsonObject[]>();
  const versions = new Map<string, JsonObject[]>();
  const agentPools = new Map<string, JsonObject[]>();
  const userCredentials = new Map<string, readonly PeerKubeconfig[]>();
  let certificateAuthority = Buffer.from(tls.ca, 'utf8').toString('base64');
  const managementGroups = new Map<string, { groups: readonly string[]; subscriptions: readonly string[] }>();
  /** Pricing tiers by `subscription plan`, lower-cased. */
  const plans = new Map<string, string>();
  const queryRules = new Map<string, JsonObject[]>();
  const workspaces = new Map<string, JsonObject>();
  /** Table properties by `workspace id/table`, lower-cased. */
  const tables = new Map<string, JsonObject>();
  const faults: { rule: ArmFault; left: number }[] = [];
  const log: ArmCall[] = [];
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const reads = new Map<string, number>();
  let pageSize = 100;
  let readBudget = READ_BUDGET;
  let origin = '';
  let chaos: ArmChaos | undefined;
  /** Answers the fault suite alters on their way out: cut, reset or type-confused. */
  const alterations = new WeakMap<ServerResponse, ChaosKind>();

  function send(
    response: ServerResponse,
    status: number,
    body: JsonValue,
    headers: Record<string, string> = {},
  ) {
    const text = Buffer.from(JSON.stringify(body));
    const kind = status < 300 ? alterations.get(response) : undefined;
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    if (kind === 'reset') {
      response.write(truncated(text), () => response.socket?.destroy());
      return;
    }
    if (kind === 'truncated') {
      response.end(truncated(text));
      return;
    }
    response.end(kind === 'type-confused' && chaos ? typeConfusedBody(text, chaos.random).body : text);
  }

  /** Answers a request with the fault the suite drew for it, or undefined to answer it normally (perhaps altered or late). */
  function chaosAnswer(response: ServerResponse, kind: ChaosKind, random: () => number): number | undefined {
    if (kind === 'throttle') {
      armError(
        response,
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Read. (fault injected by the kubeline fault suite)',
        { 'retry-after': '1' },
      );
      return 429;
    }
    if (kind === 'server-error') {
      const [status, code] = random() < 0.5 ? [500, 'InternalServerError'] : [503, 'ServiceUnavailable'];
      armError(
        response,
        status,
        code,
        'The server had an error. (fault injected by the kubeline fault suite)',
      );
      return status;
    }
    if (kind !== 'slow') alterations.set(response, kind);
    return undefined;
  }

  function armError(response: ServerResponse, status: number, code: string, message: string, headers = {}) {
    send(response, status, { error: { code, message } }, headers);
  }

  function matchFault(operation: ArmCall['operation'], subscription: string | undefined, pathname: string) {
    const index = faults.findIndex(
      ({ rule, left }) =>
        left !== 0 &&
        (rule.operation === undefined || rule.operation === operation) &&
        (rule.subscription === undefined || rule.subscription.toLowerCase() === subscription) &&
        (rule.pathIncludes === undefined || pathname.toLowerCase().includes(rule.pathIncludes.toLowerCase())),
    );
    const found = faults[index];
    if (found === undefined) return undefined;
    if (found.left > 0) found.left -= 1;
    return found.rule;
  }

  function clusterOf(subscription: string, group: string, name: string): JsonObject | undefined {
    return clusters
      .get(subscription)
      ?.find((cluster) =>
        text(cluster.id)
          .toLowerCase()
          .endsWith(
            `/resourcegroups/${group}/providers/microsoft.containerservice/managedclusters/${name}`.toLowerCase(),
          ),
      );
  }

  /** Every group and subscription below a group, depth first, as Get Descendants lists them. */
  function descendantsOf(group: string, seen: Set<string>): JsonObject[] {
    if (seen.has(group)) return [];
    seen.add(group);
    const children = managementGroups.get(group);
    if (children === undefined) return [];
    const parent = { id: `/providers/Microsoft.Management/managementGroups/${group}` };
    return [
      ...children.subscriptions.map((subscription) => ({
        // As the Get Descendants reference shows subscriptions: their own id and type `/subscriptions`.
        id: `/subscriptions/${subscription}`,
        type: '/subscriptions',
        name: subscription,
        properties: { displayName: subscription, parent },
      })),
      ...children.groups.flatMap((child) => [
        {
          id: `/providers/Microsoft.Management/managementGroups/${child}`,
          type: 'Microsoft.Management/managementGroups',
          name: child,
          properties: { displayName: child, parent },
        },
        ...descendantsOf(child.toLowerCase(), seen),
      ]),
    ];
  }

  function agentPoolsOf(cluster: JsonObject): JsonObject[] {
    const properties = isJsonObject(cluster.properties) ? cluster.properties : {};
    const profiles =
      agentPools.get(text(cluster.id).toLowerCase()) ??
      (Array.isArray(properties.agentPoolProfiles) ? properties.agentPoolProfiles.filter(isJsonObject) : []);
    return profiles.map((profile) => {
      const { name, ...rest } = profile;
      return {
        id: `${text(cluster.id)}/agentPools/${text(name)}`,
        name: name ?? null,
        type: 'Microsoft.ContainerService/managedClusters/agentPools',
        properties: rest,
      };
    });
  }

  /** CredentialResults `kubeconfigs`: each value base64 of the kubeconfig YAML, as ARM sends it. */
  function kubeconfigsOf(cluster: JsonObject): JsonObject[] {
    const given = userCredentials.get(text(cluster.id).toLowerCase()) ?? [
      { name: 'clusterUser', value: defaultKubeconfig(cluster, certificateAuthority) },
    ];
    return given.map(({ name, value }) => ({ name, value: Buffer.from(value, 'utf8').toString('base64') }));
  }

  /** A subscription ARM knows: one listed, or one holding a workspace, rule or plan the peer was given. */
  function subscriptionExists(subscription: string | undefined): boolean {
    if (subscription === undefined) return false;
    return (
      subscriptions.has(subscription) ||
      queryRules.has(subscription) ||
      [...plans.keys()].some((key) => key.startsWith(`${subscription} `)) ||
      [...workspaces.keys()].some((id) => SUBSCRIPTION.exec(id)?.[1] === subscription)
    );
  }

  /** One page of a list, with an absolute nextLink when more follow, as ARM pages lists. */
  function sendPage(response: ServerResponse, url: URL, all: readonly JsonObject[]): number {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = all.slice(skip, skip + pageSize);
    const next = skip + pageSize < all.length ? new URL(url.href) : undefined;
    next?.searchParams.set('$skiptoken', String(skip + pageSize));
    send(response, 200, {
      value: page,
      ...(next ? { nextLink: `${origin}${next.pathname}${next.search}` } : {}),
    });
    return 200;
  }

  /** Defender plans, scheduled query rules, and Log Analytics workspaces and tables. */
  function routeMonitoring(
    response: ServerResponse,
    url: URL,
    operation: ArmCall['operation'],
    subscription: string | undefined,
  ): number {
    const pathname = url.pathname;
    if (operation === 'Microsoft.OperationalInsights/workspaces/read') {
      const workspace = workspaces.get(pathname.toLowerCase());
      if (workspace === undefined) {
        armError(
          response,
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.OperationalInsights/workspaces/${pathname.split('/').pop()}' was not found.`,
        );
        return 404;
      }
      send(response, 200, workspace);
      return 200;
    }
    if (operation === 'Microsoft.OperationalInsights/workspaces/tables/read') {
      const [, workspacePath = '', table = ''] = TABLE_PATH.exec(pathname) ?? [];
      const workspace = workspaces.get(workspacePath.toLowerCase());
      if (workspace === undefined) {
        armError(response, 404, 'ResourceNotFound', `The workspace '${workspacePath}' was not found.`);
        return 404;
      }
      const properties = isJsonObject(workspace.properties) ? workspace.properties : {};
      const days = typeof properties.retentionInDays === 'number' ? properties.retentionInDays : 30;
      send(response, 200, {
        id: `${text(workspace.id)}/tables/${table}`,
        name: table,
        type: 'Microsoft.OperationalInsights/workspaces/tables',
        properties: {
          retentionInDays: days,
          totalRetentionInDays: days,
          archiveRetentionInDays: 0,
          plan: 'Analytics',
          retentionInDaysAsDefault: true,
          totalRetentionInDaysAsDefault: true,
          provisioningState: 'Succeeded',
          ...tables.get(`${workspacePath}/${table}`.toLowerCase()),
        },
      });
      return 200;
    }
    if (!subscriptionExists(subscription)) {
      armError(
        response,
        404,
        'SubscriptionNotFound',
        `The subscription '${subscription ?? ''}' could not be found.`,
      );
      return 404;
    }
    if (operation === 'Microsoft.Security/pricings/read') {
      const plan = pathname.split('/').pop() ?? '';
      send(response, 200, {
        id: `/subscriptions/${subscription}/providers/Microsoft.Security/pricings/${plan}`,
        name: plan,
        type: 'Microsoft.Security/pricings',
        properties: { pricingTier: plans.get(`${subscription} ${plan.toLowerCase()}`) ?? 'Free' },
      });
      return 200;
    }
    return sendPage(response, url, queryRules.get(subscription ?? '') ?? []);
  }

  function route(
    response: ServerResponse,
    url: URL,
    operation: ArmCall['operation'],
    subscription: string | undefined,
  ): number {
    const pathname = url.pathname;
    if (
      operation === 'Microsoft.Security/pricings/read' ||
      operation === 'Microsoft.Insights/scheduledQueryRules/read' ||
      operation === 'Microsoft.OperationalInsights/workspaces/read' ||
      operation === 'Microsoft.OperationalInsights/workspaces/tables/read'
    ) {
      return routeMonitoring(response, url, operation, subscription);
    }
    if (operation === 'Microsoft.Management/managementGroups/descendants/read') {
      const group = /managementgroups\/([^/]+)\//i.exec(url.pathname)?.[1] ?? '';
      if (!managementGroups.has(group.toLowerCase())) {
        armError(response, 404, 'NotFound', `'${group}' not found`);
        return 404;
      }
      send(response, 200, { value: descendantsOf(group.toLowerCase(), new Set()) });
      return 200;
    }
    if (operation === 'Microsoft.Resources/subscriptions/read') {
      send(response, 200, {
        value: [...subscriptions.values()].map((entry) => ({
          id: `/subscriptions/${entry.subscriptionId}`,
          subscriptionId: entry.subscriptionId,
          tenantId: entry.tenantId ?? '00000000-0000-4000-8000-00000000aaaa',
          displayName: entry.displayName ?? entry.subscriptionId,
          state: entry.state ?? 'Enabled',
          subscriptionPolicies: {
            locationPlacementId: 'Public_2014-09-01',
            quotaId: 'EnterpriseAgreement_2014-09-01',
            spendingLimit: 'Off',
          },
          authorizationSource: 'RoleBased',
        })),
      });
      return 200;
    }
    if (operation === 'Microsoft.Insights/diagnosticSettings/read') {
      const resource = pathname.slice(
        0,
        pathname.toLowerCase().lastIndexOf('/providers/microsoft.insights/diagnosticsettings'),
      );
      send(response, 200, { value: settings.get(resource.toLowerCase()) ?? [] });
      return 200;
    }
    if (subscription === undefined || !subscriptions.has(subscription)) {
      armError(
        response,
        404,
        'SubscriptionNotFound',
        `The subscription '${subscription ?? ''}' could not be found.`,
      );
      return 404;
    }
    if (operation === 'Microsoft.ContainerService/locations/kubernetesVersions/read') {
      const location = /\/locations\/([^/]+)\//i.exec(pathname)?.[1]?.toLowerCase() ?? '';
      send(response, 200, {
        values: versions.get(location) ?? recordedKubernetesVersions(),
      });
      return 200;
    }
    const single = CLUSTER_PATH.exec(pathname.replace(/\/(agentpools|listclusterusercredential)$/i, ''));
    if (single) {
      const cluster = clusterOf(subscription, single[2] ?? '', single[3] ?? '');
      if (!cluster) {
        armError(
          response,
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.ContainerService/managedClusters/${single[3]}' under resource group '${single[2]}' was not found.`,
        );
        return 404;
      }
      if (operation === USER_CREDENTIAL_ACTION) {
        send(response, 200, { kubeconfigs: kubeconfigsOf(cluster) });
        return 200;
      }
      send(
        response,
        200,
        operation === 'Microsoft.ContainerService/managedClusters/agentPools/read'
          ? { value: agentPoolsOf(cluster) }
          : cluster,
      );
      return 200;
    }
    return sendPage(response, url, clusters.get(subscription) ?? []);
  }

  function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', origin);
    const operation = operationOf(url.pathname);
    const subscription = SUBSCRIPTION.exec(url.pathname)?.[1]?.toLowerCase();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const record = (status: number) =>
      log.push({
        operation,
        subscription,
        method: request.method ?? '',
        url: request.url ?? '',
        status,
        token,
      });
    if (token === undefined) {
      armError(
        response,
        401,
        'AuthenticationFailed',
        'Authentication failed. The Authorization header is missing.',
      );
      return record(401);
    }
    if (operation === 'unknown' || request.method !== methodOf(operation)) {
      armError(
        response,
        400,
        'NoRegisteredProviderFound',
        `The ARM peer does not serve ${request.method} ${url.pathname}.`,
      );
      return record(400);
    }
    if (request.method === 'GET') {
      // Actions (POST) count against ARM's write budget, which the peer does not model.
      const used = (reads.get(subscription ?? '') ?? 0) + 1;
      reads.set(subscription ?? '', used);
      response.setHeader(
        'x-ms-ratelimit-remaining-subscription-reads',
        String(Math.max(0, readBudget - used)),
      );
    }
    const fault = matchFault(operation, subscription, url.pathname);
    switch (fault?.kind) {
      case 'forbidden':
        armError(
          response,
          403,
          'AuthorizationFailed',
          `The client 'kubeline' with object id '00000000-0000-4000-8000-0000000000c1' does not have authorization to perform action '${operation}' over scope '${url.pathname}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
        return record(403);
      case 'throttle':
        armError(
          response,
          429,
          'TooManyRequests',
          'The request is being throttled as the limit has been reached for operation type - Read.',
          {
            'retry-after': String(fault.retryAfterSeconds ?? 1),
            'x-ms-ratelimit-remaining-subscription-reads': '0',
          },
        );
        return record(429);
      case 'timeout': {
        held.add(response);
        const timer = setTimeout(() => {
          held.delete(response);
          response.destroy();
        }, fault.holdMs ?? DEFAULT_HOLD_MS);
        response.on('close', () => {
          clearTimeout(timer);
          held.delete(response);
        });
        return record(0);
      }
      case 'malformed':
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end('{"value": [{"id": "/subscriptions/');
        return record(200);
      case 'no-list':
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end('{"nextLink": null}');
        return record(200);
      case undefined: {
        const active = chaos;
        const drawn = active?.hook({ operation, subscription, url: request.url ?? '' });
        if (active === undefined || drawn === undefined)
          return record(route(response, url, operation, subscription));
        const status = chaosAnswer(response, drawn, active.random);
        if (status !== undefined) return record(status);
        if (drawn !== 'slow') return record(route(response, url, operation, subscription));
        setTimeout(() => {
          if (!response.destroyed) record(route(response, url, operation, subscription));
        }, active.slowMs);
        return;
      }
    }
  }

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    // Requests carry no body the peer reads; drain it so keep-alive connections stay usable.
    request.resume();
    request.on('end', () => handle(request, response));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the ARM peer has no TCP address');
  origin = `https://127.0.0.1:${address.port}`;

  return {
    endpoint: origin,
    ca: tls.ca,
    caFile: tls.caFile,
    addSubscription: (subscription) =>
      subscriptions.set(subscription.subscriptionId.toLowerCase(), {
        ...subscription,
        subscriptionId: subscription.subscriptionId.toLowerCase(),
      }),
    addCluster(cluster) {
      const subscription = SUBSCRIPTION.exec(text(cluster.id))?.[1]?.toLowerCase();
      if (subscription === undefined)
        throw new Error(`cluster ${text(cluster.name)} has no subscription in its id`);
      if (!subscriptions.has(subscription)) subscriptions.set(subscription, { subscriptionId: subscription });
      clusters.set(subscription, [...(clusters.get(subscription) ?? []), cluster]);
    },
    setDiagnosticSettings: (resourceId, list) => settings.set(resourceId.toLowerCase(), [...list]),
    setManagementGroup: (id, children) =>
      managementGroups.set(id.toLowerCase(), {
        groups: children.groups ?? [],
        subscriptions: (children.subscriptions ?? []).map((subscription) => subscription.toLowerCase()),
      }),
    setAgentPools: (clusterId, pools) => agentPools.set(clusterId.toLowerCase(), [...pools]),
    setUserCredentials: (clusterId, kubeconfigs) =>
      userCredentials.set(clusterId.toLowerCase(), [...kubeconfigs]),
    setCertificateAuthority(caData) {
      certificateAuthority = caData;
    },
    setDefenderPlan: (subscription, plan, pricingTier) =>
      plans.set(`${subscription.toLowerCase()} ${plan.toLowerCase()}`, pricingTier),
    addScheduledQueryRule(rule) {
      const subscription = SUBSCRIPTION.exec(text(rule.id))?.[1]?.toLowerCase();
      if (subscription === undefined)
        throw new Error(`rule ${text(rule.name)} has no subscription in its id`);
      queryRules.set(subscription, [...(queryRules.get(subscription) ?? []), rule]);
    },
    addWorkspace(workspace) {
      if (!WORKSPACE_PATH.test(text(workspace.id))) {
        throw new Error(`workspace ${text(workspace.name)} has no workspace resource id`);
      }
      workspaces.set(text(workspace.id).toLowerCase(), workspace);
    },
    setWorkspaceTable: (workspaceId, table, properties) =>
      tables.set(`${workspaceId}/${table}`.toLowerCase(), properties),
    setKubernetesVersions: (location, values) => versions.set(location.toLowerCase(), [...values]),
    setReadBudget(reads) {
      readBudget = reads;
    },
    setPageSize(size) {
      if (!Number.isInteger(size) || size < 1) throw new RangeError('page size must be a whole number ≥ 1');
      pageSize = size;
    },
    addFault: (rule) => faults.push({ rule, left: rule.times ?? -1 }),
    clearFaults: () => faults.splice(0),
    setChaos(next) {
      chaos = next;
    },
    calls: () => [...log],
    clearCalls: () => log.splice(0),
    reset() {
      subscriptions.clear();
      clusters.clear();
      settings.clear();
      versions.clear();
      agentPools.clear();
      userCredentials.clear();
      certificateAuthority = Buffer.from(tls.ca, 'utf8').toString('base64');
      managementGroups.clear();
      plans.clear();
      queryRules.clear();
      workspaces.clear();
      tables.clear();
      faults.splice(0);
      chaos = undefined;
      log.splice(0);
      reads.clear();
      pageSize = 100;
      readBudget = READ_BUDGET;
    },
    async close() {
      for (const response of held) response.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await tls.remove();
    },
  };
}
