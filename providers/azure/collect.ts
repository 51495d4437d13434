import type { ReadProblem } from '../../engine/ports.js';
import { type ApiCalls, metCongestion } from '../apiCalls.js';
import { type Collected, collected, missing } from '../collected.js';
import { adaptiveLimiter, mapLimited, type ScopeConcurrency } from '../limit.js';
import { isAbsent, isRawObject, lookup, quoted, type RawObject } from '../reader.js';
import type { ScopeCollection } from '../sourceResult.js';
import type { AksAuditTable } from './alertQuery.js';
import type { AzureClientFactory, AzureSubscriptionClients } from './clients.js';
import { describeArmError } from './errors.js';
import { type ListPageOptions, listAnswers } from './listAnswers.js';
import {
  type AksCollected,
  auditDestinations,
  type LogAnalyticsReading,
  parseAksResourceId,
  parseWorkspaceId,
  type ScheduledQueryRuleList,
} from './normalise.js';
import type { AksScope } from './scopes.js';

export interface AksCollectDeps {
  readonly factory: AzureClientFactory;
  readonly calls: ApiCalls;
  /** API calls in flight at once in one subscription: where it starts, how far it may grow. */
  readonly concurrency: ScopeConcurrency;
}

/** One API call of this subscription: made once per run, counted, within the subscription's concurrency. */
type ScopedCall = <T>(operation: string, key: string, make: () => Promise<T>) => Promise<Collected<T>>;

/** A page iterator as the Azure SDKs' `byPage()` gives it. */
type Pages<T> = AsyncIterator<T[], unknown, undefined>;

/**
 * The SDKs' deserialisers write every model field, `undefined` when the service did not send it.
 * Dropping those keeps the raw response (and the evidence built from it) what the wire said.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!isRawObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) result[key] = withoutUndefined(item);
  }
  return result;
}

/** What a page read stands for when its answer had no list of values (see `listAnswers`). */
const MALFORMED_PAGE = { done: false, value: [] } as const;

/** Whether a page from the SDK's `byPage()` has a next one: the pager attaches its nextLink to the page. */
function continues(page: object): boolean {
  const token = (page as { continuationToken?: unknown }).continuationToken;
  return typeof token === 'string' && token !== '';
}

/**
 * Follows `nextLink` pages through the SDK's page iterator; one failed page makes the whole list
 * unreadable. `pages` passes `options` to the SDK's list call, so every page's raw answer is seen.
 */
async function allPages<T>(
  call: ScopedCall,
  operation: string,
  key: string,
  pages: (options: ListPageOptions) => Pages<T>,
): Promise<Collected<unknown[]>> {
  const answers = listAnswers();
  const iterator = pages(answers.options);
  const all: unknown[] = [];
  for (let page = 0; ; page += 1) {
    const next = await call(operation, `${key} page=${page}`, () =>
      iterator.next().catch((error: unknown) => {
        // The SDK may stumble over an answer without its list before the check below sees it.
        if (answers.malformed()) return MALFORMED_PAGE;
        throw describeArmError(error);
      }),
    );
    if ('missing' in next) return next;
    // A list answer without its `value` list reads, through the SDK's pager, as an empty page:
    // an empty subscription, a cluster with no diagnostic settings. It is an unreadable list.
    if (answers.malformed() || next.ok === MALFORMED_PAGE)
      return missing(`${operation} returned a page without a list of values`);
    if (next.ok.done === true) return collected(all);
    // The SDK hands a wrong-typed page over as it came; read as a list, it would crash the scan.
    if (!Array.isArray(next.ok.value)) return missing(`${operation} returned a page that is not a list`);
    all.push(...next.ok.value.map(withoutUndefined));
    // The last page has no nextLink: stop there rather than ask the pager for a page it will not fetch.
    if (!continues(next.ok.value)) return collected(all);
  }
}

/** The agent pool fields the checks read; a profile without them is completed from agentPools.list. */
function poolsIncomplete(cluster: RawObject): boolean {
  const props = isRawObject(lookup(cluster, 'properties')) ? lookup(cluster, 'properties') : cluster;
  const profiles = lookup(props, 'agentPoolProfiles');
  if (!Array.isArray(profiles) || profiles.length === 0) return true;
  return profiles.some(
    (profile) =>
      !isRawObject(profile) ||
      typeof lookup(profile, 'name') !== 'string' ||
      (isAbsent(lookup(profile, 'currentOrchestratorVersion')) &&
        isAbsent(lookup(profile, 'orchestratorVersion'))),
  );
}

/**
 * Calls whose answer is the same whichever subscription's clusters ask: the Kubernetes versions
 * of a location, a workspace and its tables, a subscription's scheduled query rules and Defender
 * plan. Their keys name what they read, not the scope that asked, so each is made once per run.
 */
const RUN_WIDE_OPERATIONS: ReadonlySet<string> = new Set([
  'Microsoft.ContainerService/locations/kubernetesVersions/read',
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/tables/read',
  'Microsoft.Insights/scheduledQueryRules/read',
  'Microsoft.Security/pricings/read',
]);

/** The Defender for Cloud plan that covers AKS clusters (Defender for Containers). */
const CONTAINERS_PLAN = 'Containers';

/**
 * Whole paged lists shared by the clusters of a run, by the ApiCalls ledger of the run: a list's
 * pages come from one page iterator, so clusters asking for the same list must share it rather
 * than each walk its own through the ledger's cache.
 */
const sharedLists = new WeakMap<ApiCalls, Map<string, Promise<Collected<unknown[]>>>>();

/** What a cluster's collection reads beyond the cluster, for its audit retention and alerting. */
interface AuditReaders {
  readonly call: ScopedCall;
  readonly factory: AzureClientFactory;
  readonly calls: ApiCalls;
}

function rethrowArm(error: unknown): never {
  throw describeArmError(error);
}

/** A workspace (retention) and the given audit tables of it, each read once per run. */
async function readWorkspace(
  readers: AuditReaders,
  workspaceId: string,
  tables: readonly AksAuditTable[],
): Promise<LogAnalyticsReading> {
  const parsed = parseWorkspaceId(workspaceId);
  if (parsed === undefined) {
    const reason = `the diagnostic setting's workspaceId ${quoted(workspaceId)} is not a Log Analytics workspace resource id`;
    return {
      workspaceId,
      workspace: missing(reason),
      tables: Object.fromEntries(tables.map((table) => [table, missing(reason)])),
    };
  }
  const client = await readers.factory.forSubscription(parsed.subscriptionId).logAnalytics();
  const key = workspaceId.toLowerCase();
  const [workspace, ...read] = await Promise.all([
    readers.call('Microsoft.OperationalInsights/workspaces/read', key, () =>
      client.workspaces.get(parsed.resourceGroup, parsed.workspaceName).then(withoutUndefined, rethrowArm),
    ),
    ...tables.map((table) =>
      readers.call('Microsoft.OperationalInsights/workspaces/tables/read', `${key} ${table}`, () =>
        client.tables
          .get(parsed.resourceGroup, parsed.workspaceName, table)
          .then(withoutUndefined, rethrowArm),
      ),
    ),
  ]);
  return {
    workspaceId,
    workspace,
    tables: Object.fromEntries(tables.map((table, index) => [table, read[index] ?? missing('not read')])),
  };
}

/** The scheduled query rules of a subscription, every page, once per run. */
function scheduledQueryRules(readers: AuditReaders, subscriptionId: string): Promise<Collected<unknown[]>> {
  let lists = sharedLists.get(readers.calls);
  if (lists === undefined) {
    lists = new Map();
    sharedLists.set(readers.calls, lists);
  }
  const key = subscriptionId.toLowerCase();
  const existing = lists.get(key);
  if (existing !== undefined) return existing;
  // Kept before its first await, so every cluster of the subscription shares the one listing.
  const listed = readers.factory
    .forSubscription(subscriptionId)
    .monitor()
    .then((monitor) =>
      allPages(readers.call, 'Microsoft.Insights/scheduledQueryRules/read', key, (options) =>
        monitor.scheduledQueryRules.listBySubscription(options).byPage(),
      ),
    );
  lists.set(key, listed);
  return listed;
}

/**
 * What AUD-03 and AUD-04 read beyond the cluster: the Log Analytics workspaces (and audit tables)
 * its diagnostic settings send audit logs to, Defender for Containers of its subscription, and
 * the scheduled query rules of its subscription and of its audit workspaces' subscriptions.
 */
async function collectAuditMonitoring(
  readers: AuditReaders,
  subscriptionId: string,
  diagnosticSettings: Collected<readonly unknown[]>,
): Promise<Pick<AksCollected, 'logAnalytics' | 'defenderForContainers' | 'scheduledQueryRules'>> {
  const destinations = 'ok' in diagnosticSettings ? auditDestinations(diagnosticSettings.ok) : undefined;
  const workspaces = new Map<string, { id: string; tables: Set<AksAuditTable> }>();
  for (const destination of destinations === undefined || 'invalid' in destinations ? [] : destinations) {
    if (destination.workspace === undefined) continue;
    const key = destination.workspace.id.toLowerCase();
    const entry = workspaces.get(key) ?? { id: destination.workspace.id, tables: new Set() };
    for (const table of destination.workspace.tables) entry.tables.add(table);
    workspaces.set(key, entry);
  }
  const subscriptions = new Set([subscriptionId.toLowerCase()]);
  for (const { id } of workspaces.values()) {
    const parsed = parseWorkspaceId(id);
    if (parsed !== undefined) subscriptions.add(parsed.subscriptionId.toLowerCase());
  }
  const security = await readers.factory.forSubscription(subscriptionId).security();
  const [logAnalytics, defenderForContainers, ruleLists] = await Promise.all([
    Promise.all([...workspaces.values()].map(({ id, tables }) => readWorkspace(readers, id, [...tables]))),
    readers.call(
      'Microsoft.Security/pricings/read',
      `${subscriptionId.toLowerCase()} ${CONTAINERS_PLAN}`,
      () => security.pricings.get(CONTAINERS_PLAN).then(withoutUndefined, rethrowArm),
    ),
    Promise.all(
      [...subscriptions].map(
        async (subscription): Promise<ScheduledQueryRuleList> => ({
          subscriptionId: subscription,
          rules: await scheduledQueryRules(readers, subscription),
        }),
      ),
    ),
  ]);
  return {
    ...(destinations === undefined ? {} : { logAnalytics }),
    defenderForContainers,
    scheduledQueryRules: ruleLists,
  };
}

async function collectCluster(
  call: ScopedCall,
  clients: AzureSubscriptionClients,
  cluster: RawObject,
  readers: AuditReaders,
): Promise<AksCollected | { readonly problem: string; readonly name: string }> {
  const id = lookup(cluster, 'id');
  const name = String(lookup(cluster, 'name') ?? '');
  const parsed = typeof id === 'string' ? parseAksResourceId(id) : undefined;
  if (typeof id !== 'string' || parsed === undefined) {
    return { problem: 'managedClusters.list returned a cluster without a managed cluster resource id', name };
  }
  const location = String(lookup(cluster, 'location') ?? '').toLowerCase();
  const monitor = await clients.monitor();
  const [diagnosticSettings, kubernetesVersions, agentPools] = await Promise.all([
    allPages(call, 'Microsoft.Insights/diagnosticSettings/read', id, (options) =>
      // The SDK puts the resource id after a slash of its own: a leading one would make `//subscriptions`.
      monitor.diagnosticSettings.list(id.replace(/^\/+/, ''), options).byPage(),
    ),
    location === ''
      ? Promise.resolve<Collected<unknown>>({ missing: 'the managed cluster has no location' })
      : call('Microsoft.ContainerService/locations/kubernetesVersions/read', location, () =>
          clients.containerService.managedClusters
            .listKubernetesVersions(location)
            .then(withoutUndefined)
            .catch((error: unknown) => {
              throw describeArmError(error);
            }),
        ),
    poolsIncomplete(cluster)
      ? allPages(call, 'Microsoft.ContainerService/managedClusters/agentPools/read', id, (options) =>
          clients.containerService.agentPools
            .list(parsed.resourceGroup, parsed.clusterName, options)
            .byPage(),
        )
      : Promise.resolve(undefined),
  ]);
  // Agent pools read on their own replace the cluster's copy; when that read fails the cluster's
  // copy stays, so the pools it lacks read as unknown rather than as absent.
  const managedCluster =
    agentPools !== undefined && 'ok' in agentPools
      ? { ...cluster, agentPoolProfiles: agentPools.ok }
      : cluster;
  const monitoring = await collectAuditMonitoring(readers, parsed.subscriptionId, diagnosticSettings);
  return {
    managedCluster,
    diagnosticSettings,
    kubernetesVersions,
    ...(agentPools !== undefined ? { agentPools } : {}),
    ...monitoring,
  };
}

/**
 * Lists the managed clusters of one subscription (following `nextLink`) and reads, per cluster,
 * its diagnostic settings, its agent pools where the cluster's copy lacks what the checks need,
 * the Kubernetes versions of its location (once per location per run), the Log Analytics
 * workspaces and audit tables its audit logs go to (once per workspace per run), and the Defender
 * for Containers plan and scheduled query rules of the subscriptions involved (once per
 * subscription per run). A subscription that cannot be listed is a scope error; any other failed
 * call leaves only the fields it feeds unknown.
 */
export async function collectAksScope(
  scope: AksScope,
  deps: AksCollectDeps,
): Promise<ScopeCollection<AksCollected>> {
  const { subscriptionId } = scope;
  const clients = deps.factory.forSubscription(subscriptionId);
  // A call the ledger already made (a location's versions, a workspace) waits for its answer without a slot.
  const limit = adaptiveLimiter(deps.concurrency, metCongestion);
  const call: ScopedCall = (operation, key, make) => deps.calls.call(operation, key, () => limit(make));
  const scopedCall: ScopedCall = (operation, key, make) =>
    RUN_WIDE_OPERATIONS.has(operation)
      ? call(operation, key, make)
      : call(operation, `${subscriptionId} ${key}`, make);
  const base = { provider: 'aks' as const, scope: subscriptionId };

  const listed = await allPages(
    scopedCall,
    'Microsoft.ContainerService/managedClusters/read',
    'list',
    (options) => clients.containerService.managedClusters.list(options).byPage(),
  );
  if ('missing' in listed) {
    return {
      result: { ...base, status: 'error', error: listed.missing, clusters: 0 },
      clusters: [],
      problems: [],
    };
  }
  // An entry that is not an object is no cluster kubeline can read or name: a problem, never dropped unsaid.
  const unreadable = listed.ok.filter((entry) => !isRawObject(entry)).length;
  const results = await mapLimited(listed.ok.filter(isRawObject), deps.concurrency.max, (cluster) =>
    collectCluster(scopedCall, clients, cluster, {
      call: scopedCall,
      factory: deps.factory,
      calls: deps.calls,
    }),
  );
  const clusters: AksCollected[] = [];
  const problems: ReadProblem[] = [];
  for (const result of results) {
    if ('problem' in result)
      problems.push({ scope: subscriptionId, cluster: result.name, reason: result.problem });
    else clusters.push(result);
  }
  if (unreadable > 0) {
    problems.push({
      scope: subscriptionId,
      reason: `Microsoft.ContainerService/managedClusters/read returned ${unreadable} entries that are not clusters`,
    });
  }
  return { result: { ...base, status: 'ok', clusters: clusters.length }, clusters, problems };
}
