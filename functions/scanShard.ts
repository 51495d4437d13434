import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseShardItem } from '../engine/fanout.js';
import { scanShard } from '../fanout/shard.js';
import {
  type FunctionOptions,
  functionLogger,
  functionMetrics,
  functionSettings,
  invocation,
  once,
  reportSink,
} from './runtime.js';

/** What the Distributed Map records per shard: small, so the Map's results stay small. */
export interface ShardOutput {
  readonly runId: string;
  readonly shard: number;
  readonly clusters: number;
  readonly failedScopes: number;
}

/**
 * The `scanShard` function: reads one shard's scopes (loading only the SDKs of the clouds in it)
 * and stores what it read under the run. A scope that fails is stored as unread; the function
 * fails, and the Map retries it, only when nothing could be stored.
 */
export function createScanShardHandler(options: FunctionOptions) {
  const logger = options.logger ?? functionLogger('scanShard');
  const metrics = options.metrics ?? functionMetrics('scanShard');
  const clock = options.clock ?? (() => new Date());
  const built = once(async () => {
    const settings = await functionSettings(options.env, clock, logger);
    return { settings, sink: await reportSink(settings, options.env) };
  });
  return async (event: unknown): Promise<ShardOutput> => {
    const item = parseShardItem(event);
    const started = performance.now();
    return invocation(
      { logger, metrics },
      { runId: item.runId, shard: item.shard + 1, shards: item.shards },
      'cannot store the shard; the Map retries it',
      async () => {
        const { settings, sink } = await built();
        const { result } = await scanShard(item, { config: settings.config, env: options.env, sink });
        for (const scope of result.scopes) {
          const fields = {
            provider: scope.provider,
            scope: scope.scope,
            ...(scope.region ? { region: scope.region } : {}),
            clusters: scope.clusters,
          };
          if (scope.status === 'ok') logger.info('read the scope', fields);
          else logger.warn('could not read the scope', { ...fields, reason: scope.error ?? 'unknown' });
        }
        for (const problem of result.problems) {
          logger.warn('could not read a cluster', {
            scope: problem.scope ?? null,
            cluster: problem.cluster ?? null,
            reason: problem.reason,
          });
        }
        const failedScopes = result.scopes.filter((scope) => scope.status !== 'ok').length;
        metrics.addMetric('ClustersScanned', MetricUnit.Count, result.postures.length);
        metrics.addMetric('ScopesFailed', MetricUnit.Count, failedScopes);
        metrics.addMetric('ApiCalls', MetricUnit.Count, result.apiCalls?.calls ?? 0);
        metrics.addMetric('ShardDuration', MetricUnit.Milliseconds, Math.round(performance.now() - started));
        logger.info('stored the shard', { clusters: result.postures.length, failedScopes });
        return { runId: item.runId, shard: item.shard, clusters: result.postures.length, failedScopes };
      },
    );
  };
}

/** The `scanShard` function, one Distributed Map item per invocation. */
export const handler = createScanShardHandler({ env: process.env });
