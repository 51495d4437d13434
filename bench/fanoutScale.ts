import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { fanoutKeys, type ShardItem } from '../engine/fanout.js';
import { defaultRunId } from '../engine/pipeline.js';
import type { FinalizeOutput } from '../functions/finalize.js';
import type { PlanOutput } from '../functions/plan.js';
import type { ShardOutput } from '../functions/scanShard.js';
import type { Provider } from '../model/posture.js';
import { type AwsPeer, startAwsPeer } from '../test/peers/aws/awsPeer.js';
import { type ArmPeer, startArmPeer } from '../test/peers/azure/armPeer.js';
import { type GkePeer, startGkePeer } from '../test/peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../test/peers/gcp/seed.js';
import { sandboxConfig } from '../test/peers/sandbox.js';
import type { StageMeasure } from './fanoutStage.js';
import { seedAksBenchFleet } from './seedAks.js';
import { seedEksBenchFleet } from './seedEks.js';

/**
 * The fan-out at scale over the local peers of all three clouds: N generated clusters, about a
 * third per cloud, over several accounts × regions, projects and subscriptions; then the real
 * handlers as the state machine runs them: plan once, every shard one after another, finalize.
 * Each step runs in a child process of its own (bench/fanoutStage.ts), so its wall time and peak
 * RSS are that step's alone. Prints JSON, and from it the largest shard per cloud that fits half
 * of scanShard's timeout and the largest estate finalize can hold in its memory.
 *   npm run bench:fanout -- --clusters 1000 [--scopes-per-shard 4]
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '300' },
    'scopes-per-shard': { type: 'string', default: '4' },
  },
});
const count = Number(values.clusters);
const scopesPerShard = Number(values['scopes-per-shard']);
if (!Number.isSafeInteger(count) || count < 3) throw new Error('--clusters takes a whole number ≥ 3');
if (!Number.isSafeInteger(scopesPerShard) || scopesPerShard < 1)
  throw new Error('--scopes-per-shard takes a whole number ≥ 1');

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const PROJECTS = Array.from({ length: 8 }, (_, index) => `bench-${String(index + 1).padStart(3, '0')}`);
const SUBSCRIPTIONS = [
  '00000000-0000-4000-8000-0000000000b1',
  '00000000-0000-4000-8000-0000000000b2',
  '00000000-0000-4000-8000-0000000000b3',
  '00000000-0000-4000-8000-0000000000b4',
];
const LOCATIONS = ['westeurope', 'northeurope', 'eastus'];
const BUCKET = 'kubeline-reports';
const PREFIX = 'kubeline';
const STAGE_SCRIPT = fileURLToPath(new URL('./fanoutStage.ts', import.meta.url));
const SERVERLESS_YML = fileURLToPath(new URL('../serverless.yml', import.meta.url));
const MIB = 1024 * 1024;
const STAGE_TIMEOUT_MS = 900_000;

/** The memory and timeout a function is deployed with (serverless.yml); Lambda's "MB" are MiB. */
interface FunctionLimits {
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
}

async function deployedLimits(name: string): Promise<FunctionLimits> {
  // CloudFormation's short tags (!Ref, !Sub …) are not YAML the parser knows; only plain numbers are read here.
  const template = parse(await readFile(SERVERLESS_YML, 'utf8'), { logLevel: 'error' }) as {
    functions?: Record<string, { memorySize?: unknown; timeout?: unknown }>;
  };
  const { memorySize, timeout } = template.functions?.[name] ?? {};
  if (typeof memorySize !== 'number' || typeof timeout !== 'number')
    throw new Error(`serverless.yml: functions.${name} has no numeric memorySize and timeout`);
  return { memoryMiB: memorySize, timeoutSeconds: timeout };
}

interface Peers {
  readonly aws: AwsPeer;
  readonly gke: GkePeer;
  readonly arm: ArmPeer;
}

/** API calls the peers saw since they were last cleared: the clouds' calls apart from the bucket's. */
function takeCalls(peers: Peers): { cloudApiCalls: number; bucketRequests: number } {
  const aws = peers.aws.calls();
  const bucketRequests = aws.filter((call) => call.service === 's3').length;
  const cloudApiCalls = aws.length - bucketRequests + peers.gke.calls().length + peers.arm.calls().length;
  peers.aws.clearCalls();
  peers.gke.clearCalls();
  peers.arm.clearCalls();
  return { cloudApiCalls, bucketRequests };
}

/** Runs one step in a process of its own and returns what it measured; a failed step fails the bench. */
async function runStage(
  stage: 'plan' | 'scanShard' | 'finalize',
  label: string,
  event: unknown,
  context: { readonly env: Record<string, string>; readonly folder: string },
): Promise<StageMeasure> {
  const eventFile = join(context.folder, `${label}.event.json`);
  const measureFile = join(context.folder, `${label}.measure.json`);
  await writeFile(eventFile, JSON.stringify(event), 'utf8');
  // The handlers' JSON logs and EMF metrics go to stdout, as on Lambda; here nobody reads them.
  const child = spawn(process.execPath, ['--import', 'tsx', STAGE_SCRIPT, stage, eventFile, measureFile], {
    env: context.env,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Lambda stops a function at its timeout; a step that hangs here is stopped at the longest one.
    timeout: STAGE_TIMEOUT_MS,
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${label}: the ${stage} process exited with ${code ?? child.signalCode}`);
  const measure = JSON.parse(await readFile(measureFile, 'utf8')) as StageMeasure;
  if (measure.error !== undefined) throw new Error(`${label}: ${measure.error}`);
  return measure;
}

function mib(bytes: number): number {
  return Number((bytes / MIB).toFixed(1));
}

function seconds(value: number): number {
  return Number(value.toFixed(2));
}

/** What one step's process used: its peak, and how far the invocation took it above the loaded module. */
function memoryOf(measure: StageMeasure) {
  return {
    peakRssMiB: mib(measure.peakRssBytes),
    rssLoadedMiB: mib(measure.rssLoadedBytes),
    rssGrowthMiB: mib(measure.peakRssBytes - measure.rssLoadedBytes),
  };
}

/**
 * The size of a stored object as the bucket lists it. (HeadObject is not used: through the AWS
 * peer's front proxy it answers a Content-Length of 0.)
 */
async function objectBytes(s3: S3Client, key: string): Promise<number> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key, MaxKeys: 1 }));
  const object = listed.Contents?.find((entry) => entry.Key === key);
  if (object?.Size === undefined) throw new Error(`s3://${BUCKET}/${key} was not stored`);
  return object.Size;
}

/** Objects and bytes stored under the report prefix outside the fan-out's working files: what the run published. */
async function publishedObjects(s3: S3Client, runId: string): Promise<{ objects: number; bytes: number }> {
  const working = `${PREFIX}/${fanoutKeys.folder(runId)}/`;
  let objects = 0;
  let bytes = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET, Prefix: `${PREFIX}/` })) {
    for (const object of page.Contents ?? []) {
      if (object.Key?.startsWith(working)) continue;
      objects += 1;
      bytes += object.Size ?? 0;
    }
  }
  return { objects, bytes };
}

interface ShardFigures {
  readonly shard: number;
  readonly providers: readonly Provider[];
  readonly scopes: number;
  readonly clusters: number;
  readonly wallSeconds: number;
  readonly clustersPerSecond: number;
  readonly cloudApiCalls: number;
  readonly bucketRequests: number;
  readonly peakRssMiB: number;
  readonly rssLoadedMiB: number;
  readonly rssGrowthMiB: number;
  readonly resultBytes: number;
  readonly resultBytesPerCluster: number;
}

async function scanEveryShard(
  items: readonly ShardItem[],
  context: { readonly env: Record<string, string>; readonly folder: string; readonly peers: Peers },
  s3: S3Client,
): Promise<ShardFigures[]> {
  const figures: ShardFigures[] = [];
  for (const item of items) {
    const measure = await runStage('scanShard', `shard-${item.shard}`, item, context);
    const calls = takeCalls(context.peers);
    const output = measure.output as ShardOutput;
    if (output.failedScopes > 0) throw new Error(`shard ${item.shard}: ${output.failedScopes} scopes unread`);
    const resultBytes = await objectBytes(s3, `${PREFIX}/${fanoutKeys.shardResult(item.runId, item.shard)}`);
    figures.push({
      shard: item.shard,
      providers: [...new Set(item.scopes.map((scope) => scope.provider))].sort(),
      scopes: item.scopes.length,
      clusters: output.clusters,
      wallSeconds: seconds(measure.wallSeconds),
      clustersPerSecond: Number((output.clusters / measure.wallSeconds).toFixed(1)),
      ...calls,
      ...memoryOf(measure),
      resultBytes,
      resultBytesPerCluster: output.clusters === 0 ? 0 : Math.round(resultBytes / output.clusters),
    });
  }
  return figures;
}

/**
 * Per cloud, from the shards that read that cloud alone: clusters per second of one shard, and
 * how many clusters one shard reads in the time budget at that rate, extrapolated linearly. The
 * shard's fixed cost (a cold start: loading the SDK, entering the account) counts against its
 * rate, so small shards give low estimates. Memory is reported, not extrapolated: between runs
 * of different sizes it barely grows (see bench/README.md).
 */
function shardLimitsPerCloud(shards: readonly ShardFigures[], budgetSeconds: number) {
  const clouds: Provider[] = ['eks', 'gke', 'aks'];
  return Object.fromEntries(
    clouds.map((cloud) => {
      const alone = shards.filter((shard) => shard.providers.length === 1 && shard.providers[0] === cloud);
      const clusters = alone.reduce((sum, shard) => sum + shard.clusters, 0);
      const wall = alone.reduce((sum, shard) => sum + shard.wallSeconds, 0);
      if (alone.length === 0 || clusters === 0)
        return [cloud, { shardsMeasured: 0, note: 'no shard read this cloud alone' }];
      const rate = clusters / wall;
      return [
        cloud,
        {
          shardsMeasured: alone.length,
          clustersPerSecondPerShard: Number(rate.toFixed(1)),
          largestShardClustersInBudget: Math.floor(rate * budgetSeconds),
          largestPeakRssMiB: Math.max(...alone.map((shard) => shard.peakRssMiB)),
        },
      ];
    }),
  );
}

const startedAt = new Date();
const runId = defaultRunId(startedAt);
const folder = await mkdtemp(join(tmpdir(), 'kubeline-bench-fanout-'));
const [shardLimits, finalizeLimits] = await Promise.all([
  deployedLimits('scanShard'),
  deployedLimits('finalize'),
]);
let gke: GkePeer | undefined;
let arm: ArmPeer | undefined;
let aws: AwsPeer | undefined;
let s3: S3Client | undefined;
try {
  gke = await startGkePeer();
  arm = await startArmPeer();
  aws = await startAwsPeer();
  const peers: Peers = { aws, gke, arm };
  const eksCount = Math.round(count / 3);
  const gkeCount = Math.round(count / 3);
  const aksCount = count - eksCount - gkeCount;

  const seedStart = performance.now();
  const eksSeeded = await seedEksBenchFleet(aws, { count: eksCount, accounts: ACCOUNTS, regions: REGIONS });
  seedGkeFleet(gke, { count: gkeCount, projects: PROJECTS, prefix: 'bench' });
  seedAksBenchFleet(arm, { count: aksCount, subscriptions: SUBSCRIPTIONS, locations: LOCATIONS });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const configPath = join(folder, 'kubeline.config.yaml');
  await writeFile(
    configPath,
    sandboxConfig(
      eksSeeded,
      { endpoint: arm.endpoint, caFile: arm.caFile, subscriptions: SUBSCRIPTIONS },
      { endpoint: gke.endpoint, projects: PROJECTS },
    ),
    'utf8',
  );
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: aws.endpoint,
    credentials: aws.credentials,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  takeCalls(peers);

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    KUBELINE_CONFIG: configPath,
    KUBELINE_REPORT_URI: `s3://${BUCKET}/${PREFIX}`,
    KUBELINE_SCOPES_PER_SHARD: String(scopesPerShard),
    POWERTOOLS_SERVICE_NAME: 'kubeline',
    POWERTOOLS_METRICS_NAMESPACE: 'kubeline',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const context = { env, folder, peers };

  const planMeasure = await runStage(
    'plan',
    'plan',
    { execution: { runId, trigger: 'schedule' }, startedAt: startedAt.toISOString() },
    context,
  );
  const planCalls = takeCalls(peers);
  const plan = planMeasure.output as PlanOutput;
  const items = JSON.parse(
    (await (
      await s3.send(new GetObjectCommand({ Bucket: plan.bucket, Key: plan.shardsKey }))
    ).Body?.transformToString('utf8')) ?? '[]',
  ) as ShardItem[];

  const shards = await scanEveryShard(items, context, s3);

  const finalizeMeasure = await runStage('finalize', 'finalize', { runId, planKey: plan.planKey }, context);
  const finalizeCalls = takeCalls(peers);
  const finalized = finalizeMeasure.output as FinalizeOutput;
  if (!finalized.complete || finalized.clusters !== count)
    throw new Error(
      `finalize read ${finalized.clusters} of ${count} clusters (complete: ${finalized.complete})`,
    );
  const published = await publishedObjects(s3, runId);

  const finalizeMemory = memoryOf(finalizeMeasure);
  const finalizeGrowthPerCluster = finalizeMemory.rssGrowthMiB / count;
  const budgetSeconds = shardLimits.timeoutSeconds / 2;
  const report = {
    clusters: count,
    perCloud: { eks: eksCount, gke: gkeCount, aks: aksCount },
    scopes: `EKS ${ACCOUNTS.length} accounts × ${REGIONS.length} regions, GKE ${PROJECTS.length} projects, AKS ${SUBSCRIPTIONS.length} subscriptions`,
    scopesPerShard,
    seedSeconds: seconds(seedSeconds),
    measured:
      'each step in a child process of its own (node --import tsx), one after another; peak RSS is its maxRSS, growth is over its RSS with the handler module loaded, before the invocation',
    plan: {
      wallSeconds: seconds(planMeasure.wallSeconds),
      shards: plan.shards,
      scopes: plan.scopes,
      ...planCalls,
      ...memoryOf(planMeasure),
    },
    shards,
    finalize: {
      wallSeconds: seconds(finalizeMeasure.wallSeconds),
      clusters: finalized.clusters,
      ...finalizeCalls,
      ...finalizeMemory,
      objectsPublished: published.objects,
      bytesPublished: published.bytes,
    },
    limits: {
      shardBudgetSeconds: budgetSeconds,
      shardMemoryMiB: shardLimits.memoryMiB,
      perCloud: shardLimitsPerCloud(shards, budgetSeconds),
      finalize: {
        memoryMiB: finalizeLimits.memoryMiB,
        rssGrowthKiBPerCluster: Math.round(finalizeGrowthPerCluster * 1024),
        largestEstate: Math.floor(
          (finalizeLimits.memoryMiB - finalizeMemory.rssLoadedMiB) / finalizeGrowthPerCluster,
        ),
      },
      model:
        'linear extrapolation from this one run: a shard reads clusters per second × budget; finalize holds (memory − RSS with the module loaded) ÷ RSS growth per cluster',
    },
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  s3?.destroy();
  await aws?.close();
  await arm?.close();
  await gke?.close();
  await rm(folder, { recursive: true, force: true });
}
