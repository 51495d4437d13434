import type { PlannedScopes, PlanningSource } from '../../engine/fanout.js';
import type { SourceResult } from '../../engine/ports.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { type LiveConcurrency, mapLimited, scopeConcurrency } from '../limit.js';
import { sourceResultOf } from '../sourceResult.js';
import type { AzureClientFactory } from './clients.js';
import { collectAksScope } from './collect.js';
import { normaliseAks } from './normalise.js';
import { type AksTargets, planAksScopes } from './scopes.js';

export interface AksSourceOptions {
  readonly targets: AksTargets;
  readonly factory: AzureClientFactory;
  /**
   * API calls in flight per subscription: `perScope` at the start, growing to `maxPerScope` (default
   * DEFAULT_MAX_PER_SCOPE) while no call is throttled or retried; and subscriptions read at once.
   */
  readonly concurrency: LiveConcurrency;
}

/** The live AKS source: plans subscriptions, collects each, normalises with the same mapping as `--from`. */
export interface AksSource extends PlanningSource {
  /** API calls made so far in this run. */
  stats(): ApiCallStats;
}

export function aksSource(options: AksSourceOptions): AksSource {
  const calls = new ApiCalls();
  const stats = (): ApiCallStats => {
    const counted = calls.stats();
    // The Azure SDKs retry inside the pipeline and report no attempt count: the factory counts retries.
    return { ...counted, retries: options.factory.retries() };
  };
  return {
    name: 'aks (live)',
    stats,
    async plan(): Promise<PlannedScopes> {
      const plan = await planAksScopes(options.targets, { factory: options.factory, calls });
      const { calls: made, retries, failures } = stats();
      return {
        scopes: plan.scopes.map(({ subscriptionId }) => ({ provider: 'aks', subscription: subscriptionId })),
        errors: plan.errors,
        apiCalls: { calls: made, retries, failures },
      };
    },
    async collect(): Promise<SourceResult> {
      const plan = await planAksScopes(options.targets, { factory: options.factory, calls });
      const collections = await mapLimited(plan.scopes, options.concurrency.scopes, (scope) =>
        collectAksScope(scope, {
          factory: options.factory,
          calls,
          concurrency: scopeConcurrency(options.concurrency.perScope, options.concurrency.maxPerScope),
        }),
      );
      return sourceResultOf(
        plan.errors,
        collections,
        (cluster) => normaliseAks(cluster, { kind: 'api', api: 'aks' }),
        stats(),
      );
    },
  };
}
