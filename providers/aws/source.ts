import type { PostureSource, SourceResult } from '../../engine/ports.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { mapLimited } from '../limit.js';
import { sourceResultOf } from '../sourceResult.js';
import type { AwsClientFactory, AwsCredentials } from './clients.js';
import { collectEksScope } from './collect.js';
import { normaliseEks } from './normalise.js';
import { type EksTargets, planEksScopes } from './scopes.js';

export interface EksSourceOptions {
  readonly targets: EksTargets;
  readonly factory: AwsClientFactory;
  readonly baseCredentials: AwsCredentials;
  /** Region for STS, Organizations and DescribeRegions. */
  readonly homeRegion: string;
  /** API calls in flight at once per (account, region), and (account, region) scopes read at once. */
  readonly concurrency: { readonly perScope: number; readonly scopes: number };
}

/** The live EKS source: plans scopes, collects each, normalises with the same mapping as `--from`. */
export interface EksSource extends PostureSource {
  /** API calls made so far in this run. */
  stats(): ApiCallStats;
}

export function eksSource(options: EksSourceOptions): EksSource {
  const calls = new ApiCalls();
  return {
    name: 'eks (live)',
    stats: () => calls.stats(),
    close: async () => options.factory.destroy(),
    async collect(): Promise<SourceResult> {
      const plan = await planEksScopes(options.targets, {
        factory: options.factory,
        calls,
        baseCredentials: options.baseCredentials,
        homeRegion: options.homeRegion,
      });
      const collections = await mapLimited(plan.scopes, options.concurrency.scopes, (scope) =>
        collectEksScope(scope, {
          factory: options.factory,
          calls,
          concurrency: options.concurrency.perScope,
        }),
      );
      return sourceResultOf(
        plan.errors,
        collections,
        (cluster) => normaliseEks(cluster, { kind: 'api', api: 'eks' }),
        calls.stats(),
      );
    },
  };
}
