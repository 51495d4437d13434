import type { PostureSource, ReadProblem, SourceResult } from '../../engine/ports.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { ScopeResult } from '../../model/run.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { NormaliseError } from '../errors.js';
import { mapLimited } from '../limit.js';
import type { AzureClientFactory } from './clients.js';
import { collectAksScope } from './collect.js';
import { normaliseAks } from './normalise.js';
import { type AksTargets, planAksScopes } from './scopes.js';

export interface AksSourceOptions {
  readonly targets: AksTargets;
  readonly factory: AzureClientFactory;
  /** API calls in flight at once per subscription, and subscriptions read at once. */
  readonly concurrency: { readonly perScope: number; readonly scopes: number };
}

/** The live AKS source: plans subscriptions, collects each, normalises with the same mapping as `--from`. */
export interface AksSource extends PostureSource {
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
    async collect(): Promise<SourceResult> {
      const plan = await planAksScopes(options.targets, { factory: options.factory, calls });
      const collections = await mapLimited(plan.scopes, options.concurrency.scopes, (scope) =>
        collectAksScope(scope, {
          factory: options.factory,
          calls,
          concurrency: options.concurrency.perScope,
        }),
      );
      const postures: ClusterPosture[] = [];
      const problems: ReadProblem[] = [];
      const scopes: ScopeResult[] = [...plan.errors];
      for (const collection of collections) {
        scopes.push(collection.result);
        problems.push(...collection.problems);
        for (const cluster of collection.clusters) {
          try {
            postures.push(normaliseAks(cluster, { kind: 'api', api: 'aks' }));
          } catch (error) {
            if (!(error instanceof NormaliseError)) throw error;
            problems.push({
              scope: collection.result.scope,
              ...(error.context.cluster ? { cluster: error.context.cluster } : {}),
              reason: error.message,
            });
          }
        }
      }
      const { calls: made, retries, failures } = stats();
      return { postures, scopes, problems, apiCalls: { calls: made, retries, failures } };
    },
  };
}
