import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { packageInfo } from '../cli/packageInfo.js';
import { fanoutKeys } from '../engine/fanout.js';
import { exitCodeFor } from '../engine/pipeline.js';
import { finalizeRun } from '../fanout/finalize.js';
import { DEFAULT_REPORT_FORMATS } from '../model/reportFormats.js';
import {
  type FunctionOptions,
  functionLogger,
  functionMetrics,
  functionSettings,
  invocation,
  once,
} from './runtime.js';

/** What the state machine hands `finalize`: the run, and the plan key `plan` returned. */
export interface FinalizeEvent {
  readonly runId: string;
  readonly planKey?: string;
}

/** The execution's output: what became of the run. */
export interface FinalizeOutput {
  readonly runId: string;
  readonly complete: boolean;
  /** What `kubeline scan --fail-on none` would exit with: 0 complete, 2 incomplete or undelivered. */
  readonly exitCode: 0 | 1 | 2;
  readonly clusters: number;
  readonly location: string;
}

function finalizeEventOf(event: unknown): FinalizeEvent {
  const candidate = event as Partial<FinalizeEvent> | null;
  if (typeof candidate?.runId !== 'string' || !/^[\w-]{1,80}$/.test(candidate.runId)) {
    throw new Error('the finalize function takes { runId, planKey } with the run id the plan returned');
  }
  return {
    runId: candidate.runId,
    ...(typeof candidate.planKey === 'string' ? { planKey: candidate.planKey } : {}),
  };
}

/**
 * The `finalize` function: merges the shards, then evaluates, diffs, renders, publishes and
 * notifies as one in-process scan would. It fails, so the execution shows it, only when the run
 * could not be published; an incomplete run is a published run.
 */
export function createFinalizeHandler(options: FunctionOptions) {
  const logger = options.logger ?? functionLogger('finalize');
  const metrics = options.metrics ?? functionMetrics('finalize');
  const clock = options.clock ?? (() => new Date());
  const built = once(() => functionSettings(options.env, clock, logger));
  return async (event: unknown): Promise<FinalizeOutput> => {
    const { runId, planKey } = finalizeEventOf(event);
    return invocation({ logger, metrics }, { runId }, 'cannot finish the run', async () => {
      const settings = await built();
      if (planKey !== undefined && planKey !== settings.keyOf(fanoutKeys.plan(runId))) {
        throw new Error(`plan key ${planKey} is not where run ${runId} keeps its plan`);
      }
      const { plan, outcome } = await finalizeRun(runId, {
        config: settings.config,
        env: options.env,
        reportUri: settings.reportUri,
        tool: packageInfo(),
        formats: settings.config.output?.formats ?? DEFAULT_REPORT_FORMATS,
        clock,
      });
      logger.appendKeys({ trigger: plan.trigger });
      for (const scope of outcome.scopes.filter((entry) => entry.status !== 'ok')) {
        logger.warn('a scope was not read', {
          provider: scope.provider,
          scope: scope.scope,
          ...(scope.region ? { region: scope.region } : {}),
          reason: scope.error ?? 'unknown',
        });
      }
      const failing = outcome.findings.filter(
        (finding) => finding.status === 'fail' || finding.status === 'error',
      );
      metrics.addMetric('ClustersScanned', MetricUnit.Count, outcome.clusters.length);
      metrics.addMetric('FailingFindings', MetricUnit.Count, failing.length);
      metrics.addMetric(
        'ScopesFailed',
        MetricUnit.Count,
        outcome.scopes.filter((s) => s.status !== 'ok').length,
      );
      metrics.addMetric('RunsIncomplete', MetricUnit.Count, outcome.complete ? 0 : 1);
      metrics.addMetric('PublishFailures', MetricUnit.Count, outcome.publishFailures.length);
      metrics.addMetric(
        'RunDuration',
        MetricUnit.Seconds,
        Math.round((clock().getTime() - new Date(plan.startedAt).getTime()) / 1000),
      );
      for (const failure of outcome.publishFailures) {
        logger.error('a report file was not published', {
          key: failure.key,
          sink: failure.sink,
          reason: failure.reason,
        });
      }
      for (const result of outcome.notifications) {
        for (const failure of result.failures) {
          logger.error('a notification was not delivered', {
            notifier: failure.notifier,
            reason: failure.reason,
          });
        }
      }
      if (outcome.publishFailures.length > 0) {
        throw new Error(
          `run ${runId}: ${outcome.publishFailures.length} report files were not published to ${settings.reportUri}`,
        );
      }
      logger.info('published the run', {
        complete: outcome.complete,
        clusters: outcome.clusters.length,
        findings: outcome.findings.length,
        failing: failing.length,
        location: outcome.runLocation,
      });
      return {
        runId,
        complete: outcome.complete,
        exitCode: exitCodeFor(outcome, 'none'),
        clusters: outcome.clusters.length,
        location: outcome.runLocation,
      };
    });
  };
}

/** The `finalize` function, the state machine's last step. */
export const handler = createFinalizeHandler({ env: process.env });
