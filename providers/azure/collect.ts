import type { ReadProblem } from '../../engine/ports.js';
import type { ApiCalls } from '../apiCalls.js';
import { type Collected, collected } from '../collected.js';
import { limiter, mapLimited } from '../limit.js';
import { isAbsent, isRawObject, lookup, type RawObject } from '../reader.js';
import type { ScopeCollection } from '../sourceResult.js';
import type { AzureClientFactory, AzureSubscriptionClients } from './clients.js';
import { describeArmError } from './errors.js';
import { type AksCollected, parseAksResourceId } from './normalise.js';
import type { AksScope } from './scopes.js';

export interface AksCollectDeps {
  readonly factory: AzureClientFactory;
  readonly calls: ApiCalls;
  /** API calls in flight at once in one subscription. */
  readonly concurrency: number;
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

/** Whether a page from the SDK's `byPage()` has a next one: the pager attaches its nextLink to the page. */
function continues(page: object): boolean {
  const token = (page as { continuationToken?: unknown }).continuationToken;
  return typeof token === 'string' && token !== '';
}

/** Follows `nextLink` pages through the SDK's page iterator; one failed page makes the whole list unreadable. */
async function allPages<T>(
  call: ScopedCall,
  operation: string,
  key: string,
  pages: () => Pages<T>,
): Promise<Collected<unknown[]>> {
  const iterator = pages();
  const all: unknown[] = [];
  for (let page = 0; ; page += 1) {
    const next = await call(operation, `${key} page=${page}`, () =>
      iterator.next().catch((error: unknown) => {
        throw describeArmError(error);
      }),
    );
    if ('missing' in next) return next;
    if (next.ok.done === true) return collected(all);
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

async function collectCluster(
  call: ScopedCall,
  clients: AzureSubscriptionClients,
  cluster: RawObject,
): Promise<AksCollected | { readonly problem: string; readonly name: string }> {
  const id = lookup(cluster, 'id');
  const name = String(lookup(cluster, 'name') ?? '');
  const parsed = typeof id === 'string' ? parseAksResourceId(id) : undefined;
  if (typeof id !== 'string' || parsed === undefined) {
    return { problem: 'managedClusters.list returned a cluster without a managed cluster resource id', name };
  }
  const location = String(lookup(cluster, 'location') ?? '').toLowerCase();
  const [diagnosticSettings, kubernetesVersions, agentPools] = await Promise.all([
    allPages(call, 'Microsoft.Insights/diagnosticSettings/read', id, () =>
      // The SDK puts the resource id after a slash of its own: a leading one would make `//subscriptions`.
      clients.monitor.diagnosticSettings.list(id.replace(/^\/+/, '')).byPage(),
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
      ? allPages(call, 'Microsoft.ContainerService/managedClusters/agentPools/read', id, () =>
          clients.containerService.agentPools.list(parsed.resourceGroup, parsed.clusterName).byPage(),
        )
      : Promise.resolve(undefined),
  ]);
  // Agent pools read on their own replace the cluster's copy; when that read fails the cluster's
  // copy stays, so the pools it lacks read as unknown rather than as absent.
  const managedCluster =
    agentPools !== undefined && 'ok' in agentPools
      ? { ...cluster, agentPoolProfiles: agentPools.ok }
      : cluster;
  return {
    managedCluster,
    diagnosticSettings,
    kubernetesVersions,
    ...(agentPools !== undefined ? { agentPools } : {}),
  };
}

/**
 * Lists the managed clusters of one subscription (following `nextLink`) and reads, per cluster,
 * its diagnostic settings, its agent pools where the cluster's copy lacks what the checks need,
 * and the Kubernetes versions of its location (once per location per run). A subscription that
 * cannot be listed is a scope error; any other failed call leaves only the fields it feeds unknown.
 */
export async function collectAksScope(
  scope: AksScope,
  deps: AksCollectDeps,
): Promise<ScopeCollection<AksCollected>> {
  const { subscriptionId } = scope;
  const clients = deps.factory.forSubscription(subscriptionId);
  const limit = limiter(deps.concurrency);
  const call: ScopedCall = (operation, key, make) => limit(() => deps.calls.call(operation, key, make));
  const scopedCall: ScopedCall = (operation, key, make) =>
    // Kubernetes versions are the same for every subscription in a location: one call per run.
    operation === 'Microsoft.ContainerService/locations/kubernetesVersions/read'
      ? call(operation, key, make)
      : call(operation, `${subscriptionId} ${key}`, make);
  const base = { provider: 'aks' as const, scope: subscriptionId };

  const listed = await allPages(scopedCall, 'Microsoft.ContainerService/managedClusters/read', 'list', () =>
    clients.containerService.managedClusters.list().byPage(),
  );
  if ('missing' in listed) {
    return {
      result: { ...base, status: 'error', error: listed.missing, clusters: 0 },
      clusters: [],
      problems: [],
    };
  }
  const results = await mapLimited(listed.ok.filter(isRawObject), deps.concurrency, (cluster) =>
    collectCluster(scopedCall, clients, cluster),
  );
  const clusters: AksCollected[] = [];
  const problems: ReadProblem[] = [];
  for (const result of results) {
    if ('problem' in result)
      problems.push({ scope: subscriptionId, cluster: result.name, reason: result.problem });
    else clusters.push(result);
  }
  return { result: { ...base, status: 'ok', clusters: clusters.length }, clusters, problems };
}
