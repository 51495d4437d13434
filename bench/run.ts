import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { type ConfiguredConcurrency, liveConcurrency } from '../providers/limit.js';
import { writeGeneratedFleet } from '../test/fixtures/generatedFleet.js';
import { startAwsPeer } from '../test/peers/aws/awsPeer.js';
import { startArmPeer } from '../test/peers/azure/armPeer.js';
import { startGkePeer } from '../test/peers/gcp/gkePeer.js';
import { addLatency, type RequestMeter, removeLatency } from '../test/peers/latency.js';
import { timeAwsCliLoop } from './awsCli.js';
import type { EvaluateRenderResult } from './evaluateRender.js';
import {
  clearPeerLogs,
  type EstateLayout,
  LIVE_CLOUDS,
  type LiveCloud,
  type LivePeers,
  ONE_REGION_LAYOUT,
  recordedCalls,
  type SeededEstate,
  SPREAD_LAYOUTS,
  seedEstate,
} from './liveEstates.js';
import { allowedConcurrency, lowerBoundSeconds, observedInFlight, scopeSlots } from './lowerBound.js';
import { lastJsonLine, runMeasuredChild } from './measuredChild.js';
import type { ReplayCall, ReplayPlan, ReplayResult } from './replay.js';
import {
  type AwsCliRun,
  type BenchResults,
  type EvaluateRender,
  type ExportScan,
  type HandlerImport,
  type LiveScan,
  measurementTable,
  operationsTable,
  targetsTable,
  targetVerdicts,
} from './results.js';
import { assumeReadRole } from './seedEks.js';

const USAGE = `Usage: npm run bench -- [--quick] [--sizes 100,1000,5000] [--latencies 0,50]
  [--clouds eks,gke,aks] [--one-region 266] [--export-sizes 5000] [--render-sizes 10000,50000]
  [--handler-runs 3] [--parts live,cli,export,render,handlers] [--cli-sample 50]
  [--per-scope N] [--max-per-scope N] [--scopes N] [--no-build] [--json bench/results.json]

Every benchmark of issue 14, each measured step in a process of its own: full live scans (the
built CLI) of EKS, GKE and AKS estates seeded in the local peers at each latency, with the lower
bound of their API work and wall ÷ bound; the AWS CLI loop on the EKS seeds; the --from scan of
generated exports; evaluate + render only; each serverless handler's cold import. Prints one
table with issue 14's targets beside it and writes bench/results.json.
  --quick          100 clusters per cloud, no one-region estate, 1,000 exports and postures, 1 import
                   run, 10 AWS CLI commands
  --one-region N   EKS estate of N clusters in one account and region (0: none)
  --cli-sample N   AWS CLI commands timed on seeds above 300 clusters (smaller seeds: every cluster)
  --per-scope, --max-per-scope, --scopes   targets.*.concurrency of the scans (default: kubeline's)
  --no-build       scan with dist/ as it is instead of running npm run build first`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = fileURLToPath(new URL('.', import.meta.url));
const PARTS = ['live', 'cli', 'export', 'render', 'handlers'] as const;
type Part = (typeof PARTS)[number];
/** Seeds up to this size get the AWS CLI loop over every cluster (except with --quick); larger ones a sample. */
const CLI_FULL_UP_TO = 300;

/** A comma-separated list of whole numbers of at least `least` (`1_000` and `1000` alike); empty for none. */
function numbers(text: string, flag: string, least = 0): number[] {
  if (text.trim() === '') return [];
  const list = text.split(',').map((item) => Number(item.replaceAll('_', '').trim()));
  if (list.some((value) => !Number.isSafeInteger(value) || value < least))
    throw new Error(`${flag} takes whole numbers of at least ${least}, separated by commas; got "${text}"`);
  return list;
}

function listOf<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const list = text.split(',').map((item) => item.trim());
  const unknown = list.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new Error(`${flag} takes ${allowed.join(', ')}; got ${unknown.join(', ')}`);
  return list as T[];
}

/** What the command line asks for; --quick changes the defaults, explicit flags still win. */
export interface RunOptions {
  readonly sizes: readonly number[];
  readonly latencies: readonly number[];
  readonly clouds: readonly LiveCloud[];
  readonly oneRegion: number;
  readonly exportSizes: readonly number[];
  readonly renderSizes: readonly number[];
  readonly handlerRuns: number;
  readonly parts: readonly Part[];
  readonly cliSample: number;
  /** Seeds up to this size get the AWS CLI loop over every cluster; larger ones `cliSample` commands. */
  readonly cliFullUpTo: number;
  /** targets.<cloud>.concurrency of the scans; undefined: kubeline's defaults. */
  readonly concurrency: ConfiguredConcurrency | undefined;
  readonly build: boolean;
  readonly json: string;
  /** --help: print the usage and measure nothing. */
  readonly help: boolean;
}

export function runOptions(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      sizes: { type: 'string' },
      latencies: { type: 'string' },
      clouds: { type: 'string' },
      'one-region': { type: 'string' },
      'export-sizes': { type: 'string' },
      'render-sizes': { type: 'string' },
      'handler-runs': { type: 'string' },
      parts: { type: 'string' },
      'cli-sample': { type: 'string' },
      'per-scope': { type: 'string' },
      'max-per-scope': { type: 'string' },
      scopes: { type: 'string' },
      'no-build': { type: 'boolean' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const quick = values.quick === true;
  const concurrency = {
    perScope: numbers(values['per-scope'] ?? '', '--per-scope', 1)[0],
    maxPerScope: numbers(values['max-per-scope'] ?? '', '--max-per-scope', 1)[0],
    scopes: numbers(values.scopes ?? '', '--scopes', 1)[0],
  };
  const [handlerRuns = 1] = numbers(values['handler-runs'] ?? (quick ? '1' : '3'), '--handler-runs', 1);
  const [cliSample = 1] = numbers(values['cli-sample'] ?? (quick ? '10' : '50'), '--cli-sample', 1);
  return {
    sizes: numbers(values.sizes ?? (quick ? '100' : '100,1000,5000'), '--sizes', 1),
    latencies: numbers(values.latencies ?? '0,50', '--latencies'),
    clouds: listOf(values.clouds ?? LIVE_CLOUDS.join(','), LIVE_CLOUDS, '--clouds'),
    oneRegion: numbers(values['one-region'] ?? (quick ? '0' : '266'), '--one-region')[0] ?? 0,
    exportSizes: numbers(values['export-sizes'] ?? (quick ? '1000' : '5000'), '--export-sizes', 1),
    renderSizes: numbers(values['render-sizes'] ?? (quick ? '1000' : '10000,50000'), '--render-sizes', 1),
    handlerRuns,
    parts: listOf(values.parts ?? PARTS.join(','), PARTS, '--parts'),
    cliSample,
    cliFullUpTo: quick ? 0 : CLI_FULL_UP_TO,
    concurrency: Object.values(concurrency).some((value) => value !== undefined)
      ? Object.fromEntries(Object.entries(concurrency).filter(([, value]) => value !== undefined))
      : undefined,
    build: values['no-build'] !== true,
    json: values.json ?? join(BENCH, 'results.json'),
    help: values.help === true,
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The CLI's own summary lines: clusters read, retries, and (`--debug`) the seconds each stage took. */
function cliSummary(stderr: string): {
  clusters: number | undefined;
  retries: number;
  stages: LiveScan['stageSeconds'];
} {
  const clusters = /kubeline: (\d+) clusters, \d+ findings/.exec(stderr)?.[1];
  const retries = /kubeline: \d+ cloud API calls, (\d+) retried/.exec(stderr)?.[1];
  const timings =
    /kubeline: timings: collect (\d+) ms, evaluate (\d+) ms, report (\d+) ms, publish (\d+) ms/.exec(stderr);
  const stages = timings
    ? {
        collect: Number(timings[1]) / 1000,
        evaluate: Number(timings[2]) / 1000,
        report: Number(timings[3]) / 1000,
        publish: Number(timings[4]) / 1000,
      }
    : null;
  return {
    clusters: clusters === undefined ? undefined : Number(clusters),
    retries: Number(retries ?? 0),
    stages,
  };
}

/** What a live scan child measured, before the lower bound is set beside it. */
interface ScanMeasure {
  readonly wallSeconds: number;
  readonly firstRequestSeconds: number;
  readonly lastRequestSeconds: number;
  readonly peakRssMiB: number | null;
  readonly calls: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly stageSeconds: LiveScan['stageSeconds'];
}

/** `kubeline scan` of the estate with the built CLI, in a process of its own; the meter counts its requests. */
async function liveScan(estate: SeededEstate, meter: RequestMeter, work: string): Promise<ScanMeasure> {
  const folder = await mkdtemp(join(work, `scan-${estate.cloud}-`));
  try {
    const config = join(folder, 'kubeline.config.yaml');
    await writeFile(config, stringify(estate.config), 'utf8');
    meter.reset();
    const run = await runMeasuredChild(
      [
        join(ROOT, 'dist/cli/main.js'),
        'scan',
        '--config',
        config,
        '--out',
        join(folder, 'reports'),
        '--no-notify',
        '--fail-on',
        'none',
        '--debug',
      ],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...estate.env },
        cwd: folder,
      },
    );
    const summary = cliSummary(run.stderr);
    if (run.code !== 0 || summary.clusters !== estate.clusters) {
      const tail = run.stderr.trim().split('\n').slice(-6).join('\n');
      throw new Error(
        `kubeline scan exited ${run.code} having read ${summary.clusters ?? 'no'} of ${estate.clusters} clusters:\n${tail}`,
      );
    }
    const first = meter.firstAt() ?? run.exitedAt;
    const last = meter.lastAt() ?? run.exitedAt;
    return {
      wallSeconds: (run.exitedAt - run.spawnedAt) / 1000,
      firstRequestSeconds: (first - run.spawnedAt) / 1000,
      lastRequestSeconds: (last - run.spawnedAt) / 1000,
      peakRssMiB: run.peakRssMiB ?? null,
      calls: meter.calls(),
      byOperation: meter.byOperation(),
      retries: summary.retries,
      stageSeconds: summary.stages,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The peer's service time for a scan's requests: the raw replay (bench/replay.ts) of what the
 * peer logged, in a process of its own, each scope with the calls in flight kubeline allows it,
 * without latency.
 */
async function serviceTime(
  peers: LivePeers,
  estate: SeededEstate,
  calls: readonly ReplayCall[],
  slotsPerScope: Readonly<Record<string, number>>,
  options: RunOptions,
  work: string,
): Promise<ReplayResult> {
  // The read role's keys per account, issued by the peer's STS before the clock starts.
  const accessKeys: Record<string, string> = {};
  if (estate.cloud === 'eks') {
    for (const account of new Set(estate.eksClusters.map((cluster) => cluster.account))) {
      accessKeys[account] = (await assumeReadRole(peers.aws, account)).accessKeyId;
    }
  }
  const endpoint = { eks: peers.aws.endpoint, gke: peers.gke.endpoint, aks: peers.arm.endpoint }[
    estate.cloud
  ];
  const plan: ReplayPlan = {
    endpoint,
    ...(estate.cloud === 'aks' ? { ca: peers.arm.ca } : {}),
    slotsPerScope,
    defaultSlots: scopeSlots(options.concurrency, Number.POSITIVE_INFINITY),
    scopesAtOnce: liveConcurrency(options.concurrency).scopes,
    accessKeys,
    baseAccessKeyId: peers.aws.credentials.accessKeyId,
    calls,
  };
  const file = join(work, `replay-${estate.cloud}.json`);
  await writeFile(file, JSON.stringify(plan), 'utf8');
  const meter = addLatency(peers, 0);
  try {
    const result = lastJsonLine<ReplayResult>(
      await runMeasuredChild(['--import', 'tsx', join(BENCH, 'replay.ts'), file], { cwd: ROOT }),
      'the raw replay',
    );
    if (result.failed > 0 || meter.calls() !== calls.length) {
      throw new Error(
        `the replay of ${calls.length} requests reached the peer ${meter.calls()} times, ${result.failed} failed${result.firstFailure ? ` (first: ${result.firstFailure})` : ''}`,
      );
    }
    return result;
  } finally {
    removeLatency(peers);
    await rm(file, { force: true });
  }
}

/** Every scan of one estate (each latency), its lower bounds, and the AWS CLI loop on an EKS seed. */
async function measureEstate(
  peers: LivePeers,
  layout: EstateLayout,
  count: number,
  options: RunOptions,
  work: string,
): Promise<{ scans: LiveScan[]; cli: AwsCliRun[] }> {
  const seedStart = performance.now();
  const estate = await seedEstate(peers, layout, count, options.concurrency);
  log(
    `${estate.cloud.toUpperCase()} ${count} clusters over ${estate.scopes} seeded in ${round((performance.now() - seedStart) / 1000, 1)} s`,
  );
  const measured: { latencyMs: number; scan: ScanMeasure }[] = [];
  let bounds: { concurrency: number; service: ReplayResult } | undefined;
  for (const latencyMs of options.latencies) {
    clearPeerLogs(peers);
    const meter = addLatency(peers, latencyMs);
    let scan: ScanMeasure;
    try {
      scan = await liveScan(estate, meter, work);
    } finally {
      removeLatency(peers);
    }
    const stages = scan.stageSeconds
      ? ` (collect ${scan.stageSeconds.collect}, evaluate ${scan.stageSeconds.evaluate}, report ${scan.stageSeconds.report}, publish ${scan.stageSeconds.publish})`
      : '';
    log(`  scan at ${latencyMs} ms: ${round(scan.wallSeconds)} s${stages}, ${scan.calls} requests`);
    measured.push({ latencyMs, scan });
    // The peer's log now holds this scan's requests: how they spread over scopes sets the
    // concurrency kubeline could use, and the replay sends them again, once per estate.
    if (bounds === undefined) {
      const calls = recordedCalls(peers, estate.cloud);
      const callsPerScope: Record<string, number> = {};
      for (const call of calls) callsPerScope[call.scope] = (callsPerScope[call.scope] ?? 0) + 1;
      const slotsPerScope = Object.fromEntries(
        Object.entries(callsPerScope).map(([scope, count]) => [
          scope,
          scopeSlots(options.concurrency, count),
        ]),
      );
      bounds = {
        concurrency: allowedConcurrency(options.concurrency, Object.values(callsPerScope)),
        service: await serviceTime(peers, estate, calls, slotsPerScope, options, work),
      };
    }
  }
  const { concurrency, service } = bounds ?? { concurrency: 1, service: undefined };
  const scans = measured.map(({ latencyMs, scan }): LiveScan => {
    const serviceSeconds = service?.seconds ?? 0;
    const bound = lowerBoundSeconds({ calls: scan.calls, latencyMs, concurrency, serviceSeconds });
    const apiSeconds = scan.lastRequestSeconds - scan.firstRequestSeconds + latencyMs / 1000;
    const inFlight = observedInFlight(scan.calls, latencyMs, apiSeconds);
    if (inFlight !== undefined && inFlight > concurrency * 1.05) {
      log(
        `  ${round(inFlight, 1)} requests in flight on average, above the ${concurrency} the bound assumes: kubeline's concurrency is not what bench/lowerBound.ts says`,
      );
    }
    return {
      cloud: estate.cloud,
      clusters: estate.clusters,
      scopes: estate.scopes,
      latencyMs,
      calls: scan.calls,
      callsPerClusterByOperation: Object.fromEntries(
        Object.entries(scan.byOperation).map(([operation, calls]) => [
          operation,
          round(calls / estate.clusters, 3),
        ]),
      ),
      retries: scan.retries,
      wallSeconds: round(scan.wallSeconds),
      firstRequestSeconds: round(scan.firstRequestSeconds),
      lastRequestSeconds: round(scan.lastRequestSeconds),
      peakRssMiB: scan.peakRssMiB,
      stageSeconds: scan.stageSeconds,
      allowedConcurrency: concurrency,
      observedInFlight: inFlight === undefined ? null : round(inFlight, 1),
      serviceSeconds: round(serviceSeconds),
      lowerBoundSeconds: round(bound),
      ratio: round(scan.wallSeconds / bound),
    };
  });
  const cli: AwsCliRun[] = [];
  if (estate.cloud === 'eks' && options.parts.includes('cli')) {
    const sample = count <= options.cliFullUpTo ? count : Math.min(count, options.cliSample);
    for (const scan of scans) {
      addLatency(peers, scan.latencyMs);
      try {
        const timing = await timeAwsCliLoop(peers.aws, estate.eksClusters, sample);
        log(
          `  AWS CLI loop at ${scan.latencyMs} ms: ${timing.calls} commands in ${round(timing.seconds, 1)} s`,
        );
        cli.push({
          clusters: count,
          latencyMs: scan.latencyMs,
          calls: timing.calls,
          seconds: round(timing.seconds),
          projectedSeconds: round(timing.projectedSeconds, 1),
          sampled: sample < count,
          kubelineWallSeconds: scan.wallSeconds,
          cliOverKubeline: round(timing.projectedSeconds / scan.wallSeconds, 1),
        });
      } finally {
        removeLatency(peers);
      }
    }
  }
  return { scans, cli };
}

/** Starts the three peers; when one cannot start, the live part is left out with the reason. */
async function startPeers(
  clouds: readonly LiveCloud[],
  failures: { part: string; reason: string }[],
): Promise<LivePeers | undefined> {
  try {
    const [aws, gke, arm] = await Promise.all([startAwsPeer(), startGkePeer(), startArmPeer()]);
    return { aws, gke, arm };
  } catch (error) {
    failures.push({ part: `live ${clouds.join(', ')}`, reason: `the peers did not start: ${String(error)}` });
    return undefined;
  }
}

async function stopPeers(peers: LivePeers): Promise<void> {
  await Promise.allSettled([peers.aws.close(), peers.gke.close(), peers.arm.close()]);
}

async function liveParts(
  options: RunOptions,
  work: string,
  failures: { part: string; reason: string }[],
): Promise<{ live: LiveScan[]; awsCli: AwsCliRun[] }> {
  const live: LiveScan[] = [];
  const awsCli: AwsCliRun[] = [];
  const estates: { layout: EstateLayout; count: number }[] = options.clouds.flatMap((cloud) => [
    ...options.sizes.map((count) => ({ layout: SPREAD_LAYOUTS[cloud], count })),
    ...(cloud === 'eks' && options.oneRegion > 0
      ? [{ layout: ONE_REGION_LAYOUT, count: options.oneRegion }]
      : []),
  ]);
  if (estates.length === 0 || options.latencies.length === 0) return { live, awsCli };
  const peers = await startPeers(options.clouds, failures);
  if (peers === undefined) return { live, awsCli };
  try {
    for (const { layout, count } of estates) {
      try {
        const measured = await measureEstate(peers, layout, count, options, work);
        live.push(...measured.scans);
        awsCli.push(...measured.cli);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`  failed: ${reason}`);
        failures.push({ part: `live ${layout.cloud} ${count}`, reason });
      }
    }
  } finally {
    await stopPeers(peers);
  }
  return { live, awsCli };
}

/** The --from scan of generated exports: bench/snapshotScale.ts as it is, in a child. */
async function exportScan(clusters: number): Promise<ExportScan> {
  const run = await runMeasuredChild(
    ['--import', 'tsx', join(BENCH, 'snapshotScale.ts'), '--clusters', String(clusters)],
    { cwd: ROOT },
  );
  if (run.code !== 0) throw new Error(`snapshotScale exited ${run.code}: ${run.stderr.trim().slice(-600)}`);
  const printed = JSON.parse(run.stdout) as { wallSeconds: number; stagesMs: Record<string, number> };
  return {
    clusters,
    wallSeconds: printed.wallSeconds,
    stagesMs: printed.stagesMs,
    peakRssMiB: run.peakRssMiB ?? null,
  };
}

/** Evaluate + render of N generated postures, the exports written here first, the pipeline in a child. */
async function evaluateRender(clusters: number, work: string): Promise<EvaluateRender> {
  const fleet = await writeGeneratedFleet(join(work, `fleet-${clusters}`), clusters);
  try {
    // A heap limit above Node's default, so a large estate is measured rather than stopped at it.
    const heapMiB = Math.floor((totalmem() / 1024 / 1024) * 0.75);
    const run = await runMeasuredChild(
      ['--import', 'tsx', join(BENCH, 'evaluateRender.ts'), '--fleet', fleet],
      {
        cwd: ROOT,
        nodeOptions: [`--max-old-space-size=${heapMiB}`],
      },
    );
    const result = lastJsonLine<EvaluateRenderResult>(run, 'evaluate + render');
    return {
      clusters: result.clusters,
      findings: result.findings,
      seconds: round(result.seconds),
      loadSeconds: round(result.loadSeconds),
      rssAfterLoadMiB: result.rssAfterLoadMiB,
      peakRssMiB: run.peakRssMiB ?? null,
    };
  } finally {
    await rm(fleet, { recursive: true, force: true });
  }
}

/** Each serverless handler's cold import: bench/bundles.ts as it is, in a child; the bundles without source maps. */
async function handlerImports(runs: number): Promise<HandlerImport[]> {
  const run = await runMeasuredChild(['--import', 'tsx', join(BENCH, 'bundles.ts'), '--runs', String(runs)], {
    cwd: ROOT,
  });
  if (run.code !== 0) throw new Error(`bundles.ts exited ${run.code}: ${run.stderr.trim().slice(-600)}`);
  // It prints its JSON, a blank line, then its own table.
  const printed = JSON.parse(run.stdout.slice(0, run.stdout.indexOf('\n\n'))) as {
    rows: { sourcemap: string; function: string; coldImportMs: number; coldProcessMs: number }[];
  };
  return printed.rows
    .filter((row) => row.sourcemap === 'none')
    .map((row) => ({
      function: row.function,
      coldImportMs: row.coldImportMs,
      coldProcessMs: row.coldProcessMs,
    }));
}

/** Runs one part, recording a failure instead of ending the benchmark. */
async function attempt<T>(
  part: string,
  failures: { part: string; reason: string }[],
  measure: () => Promise<T>,
): Promise<T | undefined> {
  const started = performance.now();
  log(`${part}…`);
  try {
    const result = await measure();
    log(`${part}: done in ${round((performance.now() - started) / 1000, 1)} s`);
    return result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`${part}: failed: ${reason}`);
    failures.push({ part, reason });
    return undefined;
  }
}

/** npm run build, so the scans run the CLI as users do: compiled, not through tsx. */
function build(): void {
  log('npm run build…');
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(
      `npm run build failed (use --no-build to scan with dist/ as it is):\n${`${built.stdout}${built.stderr}`.trim().slice(-2000)}`,
    );
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const options = runOptions(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const startedAt = new Date();
  const failures: { part: string; reason: string }[] = [];
  const live = options.parts.includes('live');
  if (live && options.build) build();
  const work = await mkdtemp(join(tmpdir(), 'kubeline-bench-run-'));
  try {
    const measured = live ? await liveParts(options, work, failures) : { live: [], awsCli: [] };
    const exportScans: ExportScan[] = [];
    if (options.parts.includes('export')) {
      for (const clusters of options.exportSizes) {
        const scan = await attempt(`--from scan of ${clusters} exports`, failures, () =>
          exportScan(clusters),
        );
        if (scan) exportScans.push(scan);
      }
    }
    const rendered: EvaluateRender[] = [];
    if (options.parts.includes('render')) {
      for (const clusters of options.renderSizes) {
        const run = await attempt(`evaluate + render of ${clusters} clusters`, failures, () =>
          evaluateRender(clusters, work),
        );
        if (run) rendered.push(run);
      }
    }
    const handlers = options.parts.includes('handlers')
      ? ((await attempt('cold imports of the handlers', failures, () =>
          handlerImports(options.handlerRuns),
        )) ?? [])
      : [];
    const partial = { live: measured.live, exportScans, evaluateRender: rendered, handlers };
    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        node: process.version,
        cores: availableParallelism(),
        memoryMiB: Math.round(totalmem() / 1024 / 1024),
      },
      options: { ...options },
      ...partial,
      awsCli: measured.awsCli,
      failures,
      targets: targetVerdicts(partial),
    };
    await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
    process.stdout.write(
      [
        measurementTable(results),
        '',
        ...(results.live.some((scan) => scan.latencyMs === 0)
          ? ['Calls per cluster by operation, without latency:', '', operationsTable(results), '']
          : []),
        targetsTable(results.targets),
        '',
        ...failures.map((failure) => `Not measured: ${failure.part}: ${failure.reason}`),
        `Wrote ${options.json} (${round((Date.now() - startedAt.getTime()) / 1000, 0)} s in all).`,
        '',
      ].join('\n'),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
