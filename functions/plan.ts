import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseExecutionInput } from '../api/executionInput.js';
import { fanoutKeys } from '../engine/fanout.js';
import { planRun } from '../fanout/plan.js';
import {
  type Env,
  type FunctionOptions,
  functionLogger,
  functionMetrics,
  functionSettings,
  invocation,
  once,
  reportSink,
} from './runtime.js';

/** The environment variable holding the most scopes one shard reads. */
export const SCOPES_PER_SHARD_VARIABLE = 'KUBELINE_SCOPES_PER_SHARD';
const DEFAULT_SCOPES_PER_SHARD = 50;

/** What the state machine hands `plan`: the execution's input and start time. */
export interface PlanEvent {
  readonly execution: unknown;
  /** `$$.Execution.StartTime`, ISO 8601. */
  readonly startedAt: string;
}

/** What the state machine reads next: where the Distributed Map finds its items and writes its results. */
export interface PlanOutput {
  readonly runId: string;
  readonly bucket: string;
  readonly planKey: string;
  readonly shardsKey: string;
  readonly resultsPrefix: string;
  readonly shards: number;
  readonly scopes: number;
}

export function scopesPerShardFrom(env: Env): number {
  const text = env[SCOPES_PER_SHARD_VARIABLE]?.trim();
  if (!text) return DEFAULT_SCOPES_PER_SHARD;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new Error(
      `${SCOPES_PER_SHARD_VARIABLE} must be a whole number from 1 to 10000; got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function planEventOf(event: unknown): { execution: ReturnType<typeof parseExecutionInput>; startedAt: Date } {
  const candidate = event as Partial<PlanEvent> | null;
  const startedAt = typeof candidate?.startedAt === 'string' ? new Date(candidate.startedAt) : undefined;
  if (startedAt === undefined || Number.isNaN(startedAt.getTime())) {
    throw new Error('the plan function takes { execution, startedAt } with startedAt an ISO 8601 time');
  }
  return { execution: parseExecutionInput(candidate?.execution), startedAt };
}

/** The `plan` function: lists the scopes, splits them into shards, writes both to the report bucket. */
export function createPlanHandler(options: FunctionOptions) {
  const logger = options.logger ?? functionLogger('plan');
  const metrics = options.metrics ?? functionMetrics('plan');
  const clock = options.clock ?? (() => new Date());
  const built = once(async () => {
    const settings = await functionSettings(options.env, clock, logger);
    return {
      settings,
      sink: await reportSink(settings, options.env),
      perShard: scopesPerShardFrom(options.env),
    };
  });
  return async (event: unknown): Promise<PlanOutput> => {
    const { execution, startedAt } = planEventOf(event);
    return invocation(
      { logger, metrics },
      { runId: execution.runId, trigger: execution.trigger },
      'cannot plan the run',
      async () => {
        const { settings, sink, perShard } = await built();
        const request = execution.request ?? {};
        const { plan } = await planRun(
          {
            runId: execution.runId,
            trigger: execution.trigger,
            startedAt,
            selection: request,
            notify: request.notify ?? true,
          },
          { config: settings.config, env: options.env, sink, scopesPerShard: perShard },
        );
        const scopes = plan.shards.reduce((sum, shard) => sum + shard.scopes.length, 0);
        for (const error of plan.errors) {
          logger.warn('a scope could not be listed', {
            scope: error.scope,
            provider: error.provider,
            reason: error.error,
          });
        }
        logger.info('planned the run', { shards: plan.shards.length, scopes, unlisted: plan.errors.length });
        metrics.addMetric('ScopesPlanned', MetricUnit.Count, scopes);
        metrics.addMetric('ShardsPlanned', MetricUnit.Count, plan.shards.length);
        metrics.addMetric('ScopesUnlisted', MetricUnit.Count, plan.errors.length);
        return {
          runId: plan.runId,
          bucket: settings.bucket,
          planKey: settings.keyOf(fanoutKeys.plan(plan.runId)),
          shardsKey: settings.keyOf(fanoutKeys.shards(plan.runId)),
          resultsPrefix: settings.keyOf(fanoutKeys.mapResults(plan.runId)),
          shards: plan.shards.length,
          scopes,
        };
      },
    );
  };
}

/** The `plan` function, the state machine's first step. */
export const handler = createPlanHandler({ env: process.env });
