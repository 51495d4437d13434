import type { Subscription } from '@azure/arm-resources-subscriptions';
import type { ScopeResult } from '../../model/run.js';
import type { ApiCalls } from '../apiCalls.js';
import type { AzureClientFactory } from './clients.js';
import { describeArmError } from './errors.js';
import { listAnswers } from './listAnswers.js';

/** What to scan on Azure: `targets.aks` of the configuration. */
export interface AksTargets {
  /** Subscription ids; omitted: every subscription the identity can list. */
  readonly subscriptions?: readonly string[];
  /** With discovery: keep only subscriptions of these tenants (Entra tenant ids). */
  readonly tenants?: readonly string[];
  /** With discovery: keep only subscriptions below one of these management groups (their ids). */
  readonly managementGroups?: readonly string[];
}

/** One subscription to list managed clusters in. */
export interface AksScope {
  readonly subscriptionId: string;
}

export interface AksScopePlan {
  readonly scopes: readonly AksScope[];
  /** Discovery that failed. */
  readonly errors: readonly ScopeResult[];
}

export interface AksPlanDeps {
  readonly factory: AzureClientFactory;
  readonly calls: ApiCalls;
}

/** Disabled and deleted subscriptions refuse every read; Warned and PastDue ones still answer. */
const READABLE_STATES = new Set(['enabled', 'warned', 'pastdue']);

async function discoveredSubscriptions(deps: AksPlanDeps): Promise<Subscription[] | string> {
  const answers = listAnswers();
  // The subscriptions SDK loads here, for discovery only: a scan of named subscriptions never loads it.
  const [client, { getContinuationToken }] = await Promise.all([
    deps.factory.subscriptions(),
    import('@azure/arm-resources-subscriptions'),
  ]);
  const pages = client.subscriptions.list(answers.options).byPage();
  const found: Subscription[] = [];
  for (let page = 0; ; page += 1) {
    const next = await deps.calls.call('Microsoft.Resources/subscriptions/read', `list page=${page}`, () =>
      pages.next().catch((error: unknown) => {
        throw describeArmError(error);
      }),
    );
    if ('missing' in next) return next.missing;
    // The SDK's pager reads an answer without its `value` list as no subscriptions at all.
    if (answers.malformed())
      return 'Microsoft.Resources/subscriptions/read returned a page without a list of values';
    if (next.ok.done === true) return found;
    found.push(...next.ok.value);
    if (getContinuationToken(next.ok.value) === undefined) return found;
  }
}

/** The `properties` of one entry of a management group's descendants, as far as they are read here. */
interface Descendant {
  readonly type?: unknown;
  readonly name?: unknown;
}

/** The subscription ids below a management group, at any depth (Management Groups - Get Descendants). */
async function managementGroupSubscriptions(group: string, deps: AksPlanDeps): Promise<Set<string> | string> {
  const found = new Set<string>();
  let next: string | undefined =
    `/providers/Microsoft.Management/managementGroups/${encodeURIComponent(group)}/descendants?api-version=2020-05-01`;
  for (let page = 0; next !== undefined; page += 1) {
    const link: string = next;
    const answer = await deps.calls.call(
      'Microsoft.Management/managementGroups/descendants/read',
      `${group} page=${page}`,
      () => deps.factory.getJson(link),
    );
    if ('missing' in answer) return answer.missing;
    const body = answer.ok as { value?: unknown; nextLink?: unknown } | null;
    for (const entry of Array.isArray(body?.value) ? (body.value as Descendant[]) : []) {
      // Descendants are management groups and subscriptions; a subscription's name is its id.
      if (
        typeof entry.type === 'string' &&
        /\/subscriptions$/i.test(entry.type) &&
        typeof entry.name === 'string'
      ) {
        found.add(entry.name.toLowerCase());
      }
    }
    next = typeof body?.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : undefined;
  }
  return found;
}

/**
 * Turns `targets.aks` into subscription scopes: the configured ones as given, or every
 * subscription the identity can list (Subscriptions - List), kept when its state allows reads
 * and, if tenants or management groups are configured, when it belongs to one of them. A
 * management group whose descendants cannot be read is a scope error; the others still count.
 */
export async function planAksScopes(targets: AksTargets, deps: AksPlanDeps): Promise<AksScopePlan> {
  if (targets.subscriptions && targets.subscriptions.length > 0) {
    const unique = [...new Set(targets.subscriptions.map((id) => id.toLowerCase()))];
    return { scopes: unique.map((subscriptionId) => ({ subscriptionId })), errors: [] };
  }
  const listed = await discoveredSubscriptions(deps);
  if (typeof listed === 'string') {
    return {
      scopes: [],
      errors: [{ provider: 'aks', scope: 'subscriptions', status: 'error', error: listed, clusters: 0 }],
    };
  }
  const tenants = targets.tenants
    ? new Set(targets.tenants.map((tenant) => tenant.toLowerCase()))
    : undefined;
  const errors: ScopeResult[] = [];
  let inGroups: Set<string> | undefined;
  for (const group of targets.managementGroups ?? []) {
    const below = await managementGroupSubscriptions(group, deps);
    if (typeof below === 'string') {
      errors.push({
        provider: 'aks',
        scope: `managementGroups/${group}`,
        status: 'error',
        error: below,
        clusters: 0,
      });
      continue;
    }
    inGroups = new Set([...(inGroups ?? []), ...below]);
  }
  const groupsGiven = (targets.managementGroups ?? []).length > 0;
  const scopes = listed
    .filter((subscription) => READABLE_STATES.has(String(subscription.state ?? '').toLowerCase()))
    .filter((subscription) => !tenants || tenants.has(String(subscription.tenantId ?? '').toLowerCase()))
    .filter(
      (subscription) =>
        !groupsGiven || (inGroups?.has(String(subscription.subscriptionId ?? '').toLowerCase()) ?? false),
    )
    .flatMap((subscription): AksScope[] =>
      subscription.subscriptionId ? [{ subscriptionId: subscription.subscriptionId.toLowerCase() }] : [],
    )
    .sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  return { scopes, errors };
}
