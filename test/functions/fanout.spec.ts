import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { composeScan } from '../../cli/compose.js';
import { parseConfig } from '../../config/load.js';
import { type ShardItem, scopeIdOf } from '../../engine/fanout.js';
import { runScan, type ScanOutcome } from '../../engine/pipeline.js';
import { createFinalizeHandler, type FinalizeOutput } from '../../functions/finalize.js';
import { createPlanHandler, type PlanOutput } from '../../functions/plan.js';
import { createScanShardHandler } from '../../functions/scanShard.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { ReportJson } from '../../model/reportJson.js';
import type { ScopeResult } from '../../model/run.js';
import { RUN_STARTED } from '../fixtures/cli.js';
import { type Sandbox, startSandbox } from '../peers/sandbox.js';
import { type Captured, captureOutput, logLines, metricValues } from './telemetry.js';

const FLEET = 'examples/fleet';
const BUCKET = 'kubeline-reports';
const PREFIX = 'kubeline';
/** Small shards, so the example fleet's scopes make several and one can fail alone. */
const SCOPES_PER_SHARD = 2;
/** Step Functions' limit on one Distributed Map item read from S3. */
const MAP_ITEM_LIMIT_BYTES = 256 * 1024;
const TOOL = { name: 'kubeline', version: 'test' };

type ReportFinding = ReportJson['findings'][number];

/** Findings in one order, whatever order the clusters were read in. */
function byClusterAndCheck(findings: readonly ReportFinding[]): ReportFinding[] {
  const key = (finding: ReportFinding) => `${finding.clusterId.toLowerCase()} ${finding.checkId}`;
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function scopeLines(scopes: readonly ScopeResult[]): string[] {
  return scopes
    .map((scope) => `${scope.provider} ${scope.scope} ${scope.region ?? '-'} ${scope.status}`)
    .sort();
}

interface Drive {
  readonly plan: Captured<PlanOutput>;
  readonly items: readonly ShardItem[];
  readonly shards: readonly Captured<unknown>[];
  readonly finalize: Captured<FinalizeOutput>;
  readonly report: ReportJson;
}

describe('functions: plan → every shard → finalize over the local peers of all three clouds', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let s3: S3Client;
  let env: Record<string, string>;
  let inProcess: ScanOutcome;
  let inProcessReport: ReportJson;

  async function objectText(bucket: string, key: string): Promise<string> {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf8')) ?? '';
  }

  /**
   * What the state machine does, step by step, with the real handlers: the plan's input as
   * `Parameters` builds it, the Map's items read from the key the plan returned (as ItemReader
   * does), each item handed to scanShard as its whole payload, then finalize with `$.plan`.
   */
  async function driveStateMachine(runId: string): Promise<Drive> {
    const handlers = {
      plan: createPlanHandler({ env, clock: () => RUN_STARTED }),
      scanShard: createScanShardHandler({ env, clock: () => RUN_STARTED }),
      finalize: createFinalizeHandler({ env, clock: () => RUN_STARTED }),
    };
    const plan = await captureOutput(() =>
      handlers.plan({ execution: { runId, trigger: 'schedule' }, startedAt: RUN_STARTED.toISOString() }),
    );
    if (plan.result === undefined) throw plan.error;
    const itemsText = await objectText(plan.result.bucket, plan.result.shardsKey);
    const items = JSON.parse(itemsText) as ShardItem[];
    const shards: Captured<unknown>[] = [];
    for (const item of items) shards.push(await captureOutput(() => handlers.scanShard(item)));
    const finalize = await captureOutput(() =>
      handlers.finalize({ runId: plan.result?.runId, planKey: plan.result?.planKey }),
    );
    if (finalize.result === undefined) throw finalize.error;
    const report = JSON.parse(
      await objectText(BUCKET, `${PREFIX}/runs/2027-03-15/${runId}/report.json`),
    ) as ReportJson;
    return { plan, items, shards, finalize, report };
  }

  before(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-fanout-'));
    sandbox = await startSandbox({ seed: FLEET, writeConfig: join(folder, 'kubeline.yaml') });
    const configPath = sandbox.configPath ?? '';
    s3 = new S3Client({
      region: sandbox.env.AWS_REGION,
      endpoint: sandbox.peer.endpoint,
      credentials: sandbox.peer.credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    env = {
      ...sandbox.env,
      KUBELINE_CONFIG: configPath,
      KUBELINE_REPORT_URI: `s3://${BUCKET}/${PREFIX}`,
      KUBELINE_SCOPES_PER_SHARD: String(SCOPES_PER_SHARD),
    };
    const config = parseConfig(await readFile(configPath, 'utf8'), configPath);
    const deps = await composeScan(config, {
      from: [],
      providers: [],
      out: join(folder, 'in-process'),
      tool: TOOL,
      env: sandbox.env,
    });
    inProcess = await runScan(
      { ...deps, clock: () => RUN_STARTED },
      { trigger: 'schedule', formats: ['json'] },
    );
    inProcessReport = JSON.parse(
      await readFile(join(inProcess.runLocation, 'report.json'), 'utf8'),
    ) as ReportJson;
  });

  after(async () => {
    s3?.destroy();
    await sandbox?.stop();
  });

  afterEach(() => sandbox.peer.clearFaults());

  it('gets the same clusters, scopes and findings as one in-process scan of the same estate', async () => {
    // Prepare
    assert.equal(inProcess.complete, true, 'the in-process scan of the sandbox reads every scope');
    const providers = new Set(inProcess.clusters.map((cluster) => cluster.provider));
    assert.deepEqual([...providers].sort(), ['aks', 'eks', 'gke']);

    // Act
    const drive = await driveStateMachine('20270315T102030Z-fan001');

    // Assess
    const scopes = drive.items.reduce((sum, item) => sum + item.scopes.length, 0);
    assert.deepEqual(drive.plan.result, {
      runId: '20270315T102030Z-fan001',
      bucket: BUCKET,
      planKey: `${PREFIX}/work/20270315T102030Z-fan001/plan.json`,
      shardsKey: `${PREFIX}/work/20270315T102030Z-fan001/shards.json`,
      resultsPrefix: `${PREFIX}/work/20270315T102030Z-fan001/map`,
      shards: Math.ceil(scopes / SCOPES_PER_SHARD),
      scopes,
    });
    assert.ok(drive.items.length > 2, `the estate makes several shards (${drive.items.length})`);
    for (const shard of drive.shards) assert.equal(shard.error, undefined);
    assert.deepEqual(drive.finalize.result, {
      runId: '20270315T102030Z-fan001',
      complete: true,
      exitCode: 0,
      clusters: inProcess.clusters.length,
      location: `s3://${BUCKET}/${PREFIX}/runs/2027-03-15/20270315T102030Z-fan001`,
    });
    assert.deepEqual(scopeLines(drive.report.scopes), scopeLines(inProcess.scopes));
    assert.deepEqual(
      drive.report.clusters.map((cluster) => cluster.id).sort(),
      inProcess.clusters.map((cluster) => cluster.id).sort(),
    );
    assert.deepEqual(byClusterAndCheck(drive.report.findings), byClusterAndCheck(inProcessReport.findings));
    assert.deepEqual(drive.report.summary, inProcessReport.summary);
    assert.equal(drive.report.run.trigger, 'schedule');
    assert.equal(drive.report.run.startedAt, RUN_STARTED.toISOString());
  });

  it('hands the Map items it can read (a JSON array of small items) and keeps every shard in the bucket', async () => {
    // Act
    const drive = await driveStateMachine('20270315T102030Z-fan002');

    // Assess
    for (const item of drive.items) {
      assert.ok(Buffer.byteLength(JSON.stringify(item)) < MAP_ITEM_LIMIT_BYTES);
      assert.equal(item.runId, '20270315T102030Z-fan002');
      assert.equal(item.shards, drive.items.length);
    }
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}/work/20270315T102030Z-fan002/shards/` }),
    );
    assert.equal(listed.KeyCount, drive.items.length);
  });

  it('logs structured JSON with the run id on every line, the scope on every scope line, and metrics as EMF', async () => {
    // Act
    const drive = await driveStateMachine('20270315T102030Z-fan003');

    // Assess
    const shardLogs = drive.shards.flatMap(logLines);
    assert.ok(shardLogs.length > 0);
    for (const line of [...logLines(drive.plan), ...shardLogs, ...logLines(drive.finalize)]) {
      assert.equal(line.runId, '20270315T102030Z-fan003', JSON.stringify(line));
      assert.equal(line.service, 'kubeline');
    }
    const scopeLogs = shardLogs.filter((line) => line.message === 'read the scope');
    assert.equal(
      scopeLogs.length,
      drive.items.reduce((sum, item) => sum + item.scopes.length, 0),
    );
    for (const line of scopeLogs) assert.equal(typeof line.scope, 'string');
    const clustersPerShard = drive.shards.map((shard) => metricValues(shard).ClustersScanned);
    assert.equal(
      clustersPerShard.reduce<number>((sum, value) => sum + Number(value), 0),
      inProcess.clusters.length,
    );
    assert.deepEqual(metricValues(drive.finalize).RunsIncomplete, 0);
    const everything = [drive.plan, ...drive.shards, drive.finalize].map((captured) => captured.raw).join('');
    assert.doesNotMatch(everything, /SecretAccessKey|secretAccessKey|SessionToken|sessionToken/);
  });

  it('fails finalize naming where the plan should be when the run was never planned', async () => {
    // Prepare
    const handler = createFinalizeHandler({ env, clock: () => RUN_STARTED });

    // Act
    const captured = await captureOutput(() => handler({ runId: '20270315T102030Z-nopln0' }));

    // Assess
    assert.equal(
      (captured.error as Error).message,
      `run 20270315T102030Z-nopln0: no plan at s3://${BUCKET}/${PREFIX}/work/20270315T102030Z-nopln0/plan.json; the run was never planned`,
    );
  });

  it('records a shard whose function fails as unread scopes, and publishes the run as incomplete', async () => {
    // Prepare: the second shard's result cannot be stored, so its function fails on every attempt.
    const runId = '20270315T102030Z-fan004';
    sandbox.peer.addFault({
      service: 's3',
      operation: 'PutObject',
      key: `${PREFIX}/work/${runId}/shards/0001.json`,
      kind: 'server-error',
    });

    // Act
    const drive = await driveStateMachine(runId);

    // Assess
    const [, failed] = drive.shards;
    assert.ok(failed?.error instanceof Error, 'the second shard fails');
    const failedItem = drive.items[1];
    assert.ok(failedItem);
    assert.deepEqual(drive.finalize.result, {
      runId,
      complete: false,
      exitCode: 2,
      clusters: drive.report.clusters.length,
      location: `s3://${BUCKET}/${PREFIX}/runs/2027-03-15/${runId}`,
    });
    assert.equal(drive.report.run.complete, false);
    const unread = drive.report.scopes.filter((scope) => scope.status === 'error');
    assert.equal(unread.length, failedItem.scopes.length);
    for (const scope of unread) {
      assert.equal(
        scope.error,
        `shard 2 of ${drive.items.length} stored no result (${'work'}/${runId}/shards/0001.json): its scan failed after every retry or timed out`,
      );
    }
    // Every other shard's clusters are there.
    const inFailedShard = (cluster: Pick<ClusterPosture, 'scope' | 'location'>) =>
      failedItem.scopes.some((scope) =>
        scope.provider === 'eks'
          ? cluster.scope === scope.account && cluster.location === scope.region
          : cluster.scope === scopeIdOf(scope),
      );
    const expected = inProcess.clusters.filter((cluster) => !inFailedShard(cluster));
    assert.ok(expected.length < inProcess.clusters.length, 'the failed shard held clusters');
    assert.deepEqual(
      drive.report.clusters.map((cluster) => cluster.id).sort(),
      expected.map((cluster) => cluster.id).sort(),
    );
    assert.ok(logLines(failed).some((line) => line.level === 'ERROR' && line.runId === runId));
  });
});
