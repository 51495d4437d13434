import { createHash } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  StepFunctionsLauncher,
  stateMachineArnFrom,
  stepFunctionsClientFor,
} from '../api/stepFunctionsLauncher.js';
import { type FunctionOptions, functionLogger, functionMetrics, invocation, once } from './runtime.js';

/** An EventBridge scheduled event, as a `schedule` rule delivers it. */
export interface ScheduledEvent {
  readonly id: string;
  readonly 'detail-type': 'Scheduled Event';
  readonly source: 'aws.events';
  /** ISO 8601: the time the rule fired. */
  readonly time: string;
  readonly resources?: readonly string[];
}

export type NightlyResult =
  | { readonly state: 'started'; readonly runId: string }
  | { readonly state: 'busy'; readonly runningRunId: string };

function scheduledEventOf(event: unknown): ScheduledEvent {
  const candidate = event as Partial<ScheduledEvent> | null;
  const time = typeof candidate?.time === 'string' ? new Date(candidate.time) : undefined;
  if (
    candidate?.['detail-type'] !== 'Scheduled Event' ||
    candidate.source !== 'aws.events' ||
    typeof candidate.id !== 'string' ||
    time === undefined ||
    Number.isNaN(time.getTime())
  ) {
    throw new Error('the nightly function takes an EventBridge scheduled event (source aws.events)');
  }
  return candidate as ScheduledEvent;
}

/**
 * `20261206T020000Z-3f9a1c`: the time the rule fired and a digest of the event's id. EventBridge
 * delivers at least once; a second delivery names the same execution, which Step Functions does
 * not start twice.
 */
export function runIdOfScheduledEvent(event: ScheduledEvent): string {
  const stamp = new Date(event.time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${createHash('sha256').update(event.id).digest('hex').slice(0, 6)}`;
}

/** The `nightly` function: starts tonight's full scan, unless one is still running. */
export function createNightlyHandler(options: FunctionOptions) {
  const logger = options.logger ?? functionLogger('nightly');
  const metrics = options.metrics ?? functionMetrics('nightly');
  const stateMachine = once(async () => {
    const stateMachineArn = stateMachineArnFrom(options.env);
    return { stateMachineArn, client: stepFunctionsClientFor(stateMachineArn, options.env) };
  });
  return async (event: unknown): Promise<NightlyResult> => {
    const scheduled = scheduledEventOf(event);
    const runId = runIdOfScheduledEvent(scheduled);
    return invocation(
      { logger, metrics },
      { runId, scheduledAt: scheduled.time },
      'cannot start the nightly scan',
      async () => {
        const { stateMachineArn, client } = await stateMachine();
        const launcher = new StepFunctionsLauncher({
          client,
          stateMachineArn,
          trigger: 'schedule',
          clock: () => new Date(scheduled.time),
          newRunId: () => runId,
        });
        const launched = await launcher.start({});
        if (launched.state === 'busy') {
          // The same event delivered twice finds its own execution running: that is no skip.
          if (launched.runningRunId === runId) return { state: 'started', runId };
          logger.warn("a full scan is still running, so tonight's scan is not started", {
            runningRunId: launched.runningRunId,
          });
          metrics.addMetric('ScheduledScansSkipped', MetricUnit.Count, 1);
          return launched;
        }
        logger.info('started the nightly scan', { stateMachineArn });
        metrics.addMetric('ScheduledScansStarted', MetricUnit.Count, 1);
        return launched;
      },
    );
  };
}

/** The `nightly` function, run by the EventBridge schedule. */
export const handler = createNightlyHandler({ env: process.env });
