import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createFinalizeHandler } from '../../functions/finalize.js';
import { createNightlyHandler, runIdOfScheduledEvent, type ScheduledEvent } from '../../functions/nightly.js';
import { createPlanHandler, scopesPerShardFrom } from '../../functions/plan.js';
import { createScanShardHandler } from '../../functions/scanShard.js';
import { type StepFunctionsPeer, startStepFunctionsPeer } from './stepFunctionsPeer.js';
import { captureOutput, logLines, metricValues } from './telemetry.js';

/** An EventBridge scheduled event, as the `schedule` rule delivers it to the function. */
function scheduledEvent(id: string, time = '2027-03-15T02:00:00Z'): ScheduledEvent {
  return {
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    time,
    resources: ['arn:aws:events:us-east-1:123456789012:rule/kubeline-prod-nightly'],
  };
}

describe('functions/nightly: the EventBridge schedule starts the state machine, over moto Step Functions', function () {
  this.timeout(60_000);
  let peer: StepFunctionsPeer;
  let sfn: SFNClient;
  let stateMachineArn: string;
  let env: Record<string, string>;

  before(async () => {
    peer = await startStepFunctionsPeer();
    sfn = peer.sfn;
  });
  after(async () => {
    await peer?.stop();
  });
  beforeEach(async () => {
    stateMachineArn = await peer.freshStateMachine();
    env = { KUBELINE_STATE_MACHINE_ARN: stateMachineArn, AWS_ENDPOINT_URL: peer.endpoint };
  });

  async function inputOf(runId: string): Promise<unknown> {
    const execution = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`,
      }),
    );
    return JSON.parse(execution.input ?? 'null');
  }

  it('starts a full scan named after the time the rule fired, with the schedule as its trigger', async () => {
    // Prepare
    const handler = createNightlyHandler({ env });
    const event = scheduledEvent('a1b2c3d4-0000-4000-8000-000000000001');
    const runId = runIdOfScheduledEvent(event);

    // Act
    const captured = await captureOutput(() => handler(event));

    // Assess
    assert.match(runId, /^20270315T020000Z-[0-9a-f]{6}$/);
    assert.deepEqual(captured.result, { state: 'started', runId });
    assert.deepEqual(await inputOf(runId), { runId, trigger: 'schedule' });
    assert.deepEqual(
      logLines(captured).map((line) => [line.level, line.message, line.runId, line.function]),
      [['INFO', 'started the nightly scan', runId, 'nightly']],
    );
    assert.equal(metricValues(captured).ScheduledScansStarted, 1);
  });

  it('takes a second delivery of the same event as the scan it already started', async () => {
    // Prepare
    const handler = createNightlyHandler({ env });
    const event = scheduledEvent('a1b2c3d4-0000-4000-8000-000000000002');
    await captureOutput(() => handler(event));

    // Act
    const again = await captureOutput(() => handler(event));

    // Assess
    assert.deepEqual(again.result, { state: 'started', runId: runIdOfScheduledEvent(event) });
  });

  it('does not start tonight while a full scan is still running, and says which', async () => {
    // Prepare
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: '20270314T020000Z-aaaaaa',
        input: JSON.stringify({ runId: '20270314T020000Z-aaaaaa', trigger: 'schedule' }),
      }),
    );
    const handler = createNightlyHandler({ env });

    // Act
    const captured = await captureOutput(() =>
      handler(scheduledEvent('a1b2c3d4-0000-4000-8000-000000000003')),
    );

    // Assess
    assert.deepEqual(captured.result, { state: 'busy', runningRunId: '20270314T020000Z-aaaaaa' });
    const [line] = logLines(captured);
    assert.equal(line?.level, 'WARN');
    assert.equal(line?.runningRunId, '20270314T020000Z-aaaaaa');
    assert.equal(metricValues(captured).ScheduledScansSkipped, 1);
  });

  it('fails with a clear error on an event that is not a scheduled event, or without a state machine', async () => {
    // Prepare
    const handler = createNightlyHandler({ env });
    const unconfigured = createNightlyHandler({ env: {} });

    // Act
    const wrong = await captureOutput(() =>
      handler({ source: 'aws.s3', id: 'x', time: '2027-03-15T02:00:00Z' }),
    );
    const noArn = await captureOutput(() =>
      unconfigured(scheduledEvent('a1b2c3d4-0000-4000-8000-000000000004')),
    );

    // Assess
    assert.equal(
      (wrong.error as Error).message,
      'the nightly function takes an EventBridge scheduled event (source aws.events)',
    );
    assert.equal(
      (noArn.error as Error).message,
      'KUBELINE_STATE_MACHINE_ARN is not set; it names the state machine a scan starts',
    );
    assert.ok(logLines(noArn).some((line) => line.level === 'ERROR'));
  });
});

describe('functions: plan, scanShard and finalize refuse what the state machine never sends', () => {
  const env = { KUBELINE_REPORT_URI: 's3://kubeline-reports/kubeline', KUBELINE_CONFIG: '{}' };

  it('plan: needs the execution input and its start time', async () => {
    // Prepare
    const handler = createPlanHandler({ env });

    // Act, Assess
    await assert.rejects(handler({ execution: { runId: 'r1' } }), {
      message: 'the plan function takes { execution, startedAt } with startedAt an ISO 8601 time',
    });
    await assert.rejects(handler({ execution: { runId: 'r 1' }, startedAt: '2027-03-15T02:00:00Z' }), {
      message: 'not a kubeline execution input: runId: expected an execution name',
    });
    await assert.rejects(handler(null), /startedAt an ISO 8601 time/);
  });

  it('scanShard: needs a shard item of the plan', async () => {
    await assert.rejects(createScanShardHandler({ env })({ runId: 'r1', shard: -1, shards: 1, scopes: [] }), {
      message: /^not a kubeline shard item: shard: /,
    });
  });

  it('finalize: needs the run id, and a plan key where that run keeps its plan', async () => {
    // Prepare
    const handler = createFinalizeHandler({ env });

    // Act
    const wrongKey = await captureOutput(() =>
      handler({ runId: 'r1', planKey: 'kubeline/work/r2/plan.json' }),
    );

    // Assess
    await assert.rejects(handler({ planKey: 'x' }), {
      message: 'the finalize function takes { runId, planKey } with the run id the plan returned',
    });
    assert.equal(
      (wrongKey.error as Error).message,
      'plan key kubeline/work/r2/plan.json is not where run r1 keeps its plan',
    );
  });

  it('names the missing report bucket and the malformed shard size', async () => {
    // Prepare
    const handler = createPlanHandler({ env: { KUBELINE_CONFIG: '{}' } });

    // Act
    const captured = await captureOutput(() =>
      handler({ execution: { runId: 'r1', trigger: 'schedule' }, startedAt: '2027-03-15T02:00:00Z' }),
    );

    // Assess
    assert.equal(
      (captured.error as Error).message,
      'KUBELINE_REPORT_URI is not set; it names the report bucket (s3://bucket/prefix)',
    );
    assert.equal(scopesPerShardFrom({}), 50);
    assert.equal(scopesPerShardFrom({ KUBELINE_SCOPES_PER_SHARD: ' 25 ' }), 25);
    for (const text of ['0', '1.5', 'many', '10001']) {
      assert.throws(() => scopesPerShardFrom({ KUBELINE_SCOPES_PER_SHARD: text }), {
        message: `KUBELINE_SCOPES_PER_SHARD must be a whole number from 1 to 10000; got ${JSON.stringify(text)}`,
      });
    }
  });

  it('refuses a report location that is not an S3 bucket: the functions publish to S3 only', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-finalize-'));
    const handler = createFinalizeHandler({ env: { KUBELINE_REPORT_URI: folder, KUBELINE_CONFIG: '{}' } });

    // Act
    const captured = await captureOutput(() => handler({ runId: 'r1' }));

    // Assess
    assert.equal((captured.error as Error).message, `${folder}: not an S3 URI; expected s3://bucket/prefix`);
  });
});
