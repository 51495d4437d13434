/*
 * What `npm run bench` measures (bench/results.json) and the table it prints: the figures, issue
 * 14's targets beside them, and whether each is met. Pure: the runner (bench/run.ts) fills it.
 */

/** One full live scan: the built CLI in a process of its own against a seeded peer. */
export interface LiveScan {
  readonly cloud: 'eks' | 'gke' | 'aks';
  readonly clusters: number;
  readonly scopes: string;
  readonly latencyMs: number;
  /** Requests the peer received. */
  readonly calls: number;
  /** Requests per cluster, by operation. */
  readonly callsPerClusterByOperation: Readonly<Record<string, number>>;
  /** Retries kubeline reported (`kubeline: N cloud API calls, R retried`). */
  readonly retries: number;
  /** Spawn to exit of the CLI. */
  readonly wallSeconds: number;
  /** From spawn to the first and to the last request the peer received. */
  readonly firstRequestSeconds: number;
  readonly lastRequestSeconds: number;
  readonly peakRssMiB: number | null;
  /** What the run itself says each stage took (`kubeline scan --debug`): reading, checks, reports, publishing. */
  readonly stageSeconds: {
    readonly collect: number;
    readonly evaluate: number;
    readonly report: number;
    readonly publish: number;
  } | null;
  /** The requests kubeline allows in flight on this estate (bench/lowerBound.ts). */
  readonly allowedConcurrency: number;
  /** Mean requests in flight the scan must have had (latency > 0 only). */
  readonly observedInFlight: number | null;
  /** The raw replay of the same requests at the same concurrency, without latency. */
  readonly serviceSeconds: number;
  readonly lowerBoundSeconds: number;
  /** wall ÷ lower bound. */
  readonly ratio: number;
}

/** The AWS CLI loop on an EKS seed, beside kubeline's scan of it at the same latency. */
export interface AwsCliRun {
  readonly clusters: number;
  readonly latencyMs: number;
  /** Commands run (a sample on large seeds), and the seconds they took. */
  readonly calls: number;
  readonly seconds: number;
  /** Every cluster's describe-cluster at the pace measured. */
  readonly projectedSeconds: number;
  readonly sampled: boolean;
  readonly kubelineWallSeconds: number;
  /** projectedSeconds ÷ kubeline's wall time. */
  readonly cliOverKubeline: number;
}

/** A `--from` scan of generated exports (bench/snapshotScale.ts). */
export interface ExportScan {
  readonly clusters: number;
  readonly wallSeconds: number;
  readonly stagesMs: Readonly<Record<string, number>>;
  readonly peakRssMiB: number | null;
}

/** Evaluate and render only (bench/evaluateRender.ts). */
export interface EvaluateRender {
  readonly clusters: number;
  readonly findings: number;
  readonly seconds: number;
  readonly loadSeconds: number;
  readonly rssAfterLoadMiB: number;
  readonly peakRssMiB: number | null;
}

/** A serverless handler's cold import (bench/bundles.ts, no source maps, median). */
export interface HandlerImport {
  readonly function: string;
  readonly coldImportMs: number;
  readonly coldProcessMs: number;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: { readonly node: string; readonly cores: number; readonly memoryMiB: number };
  readonly options: Readonly<Record<string, unknown>>;
  readonly live: readonly LiveScan[];
  readonly awsCli: readonly AwsCliRun[];
  readonly exportScans: readonly ExportScan[];
  readonly evaluateRender: readonly EvaluateRender[];
  readonly handlers: readonly HandlerImport[];
  /** Parts that could not be measured, and why; the rest of the run goes on without them. */
  readonly failures: readonly { readonly part: string; readonly reason: string }[];
  readonly targets: readonly TargetVerdict[];
}

/** Issue 14's targets. */
export const TARGETS = {
  oneRegionEstate: { cloud: 'eks', clusters: 266, latencyMs: 50, maxRatio: 1.25 },
  exportScan: { clusters: 5_000, maxSeconds: 5, maxRssMiB: 600 },
  evaluateRender: { clusters: 10_000, maxSeconds: 2, maxRssMiB: 512 },
  handlerImport: { maxMs: 300 },
} as const;

/** One target and how the run stands against it. */
export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly verdict: 'meets' | 'misses' | 'not run';
}

const seconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} s`;
const mib = (value: number | null) => (value === null ? '–' : `${value.toLocaleString('en-US')} MiB`);
const times = (value: number) => `${value.toFixed(2)}×`;

function verdict(met: boolean): TargetVerdict['verdict'] {
  return met ? 'meets' : 'misses';
}

/** Every target, met or missed by what was measured, or not run when its part was left out. */
export function targetVerdicts(
  results: Pick<BenchResults, 'live' | 'exportScans' | 'evaluateRender' | 'handlers'>,
): TargetVerdict[] {
  const { oneRegionEstate, exportScan, evaluateRender, handlerImport } = TARGETS;
  const estate = results.live.find(
    (scan) =>
      scan.cloud === oneRegionEstate.cloud &&
      scan.clusters === oneRegionEstate.clusters &&
      scan.latencyMs === oneRegionEstate.latencyMs &&
      scan.scopes === '1 account × 1 region',
  );
  const exported = results.exportScans.find((scan) => scan.clusters === exportScan.clusters);
  const rendered = results.evaluateRender.find((run) => run.clusters === evaluateRender.clusters);
  const slowest = [...results.handlers].sort((a, b) => b.coldImportMs - a.coldImportMs)[0];
  return [
    {
      target: `EKS, ${oneRegionEstate.clusters} clusters in one region at ${oneRegionEstate.latencyMs} ms: wall within ${oneRegionEstate.maxRatio}× of the lower bound`,
      measured: estate
        ? `${seconds(estate.wallSeconds)} against ${seconds(estate.lowerBoundSeconds)}: ${times(estate.ratio)}`
        : '–',
      verdict: estate ? verdict(estate.ratio <= oneRegionEstate.maxRatio) : 'not run',
    },
    {
      target: `--from scan of ${exportScan.clusters.toLocaleString('en-US')} exports under ${exportScan.maxSeconds} s and ${exportScan.maxRssMiB} MiB`,
      measured: exported ? `${seconds(exported.wallSeconds)}, ${mib(exported.peakRssMiB)}` : '–',
      verdict: exported
        ? verdict(
            exported.wallSeconds < exportScan.maxSeconds &&
              exported.peakRssMiB !== null &&
              exported.peakRssMiB < exportScan.maxRssMiB,
          )
        : 'not run',
    },
    {
      target: `evaluate + render of ${evaluateRender.clusters.toLocaleString('en-US')} clusters under ${evaluateRender.maxSeconds} s and ${evaluateRender.maxRssMiB} MiB`,
      measured: rendered ? `${seconds(rendered.seconds)}, ${mib(rendered.peakRssMiB)}` : '–',
      verdict: rendered
        ? verdict(
            rendered.seconds < evaluateRender.maxSeconds &&
              rendered.peakRssMiB !== null &&
              rendered.peakRssMiB < evaluateRender.maxRssMiB,
          )
        : 'not run',
    },
    {
      target: `cold import of each serverless handler under ${handlerImport.maxMs} ms`,
      measured: slowest ? `slowest ${slowest.function}, ${slowest.coldImportMs} ms` : '–',
      verdict: slowest ? verdict(slowest.coldImportMs < handlerImport.maxMs) : 'not run',
    },
  ];
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The table of every measurement: live scans with their lower bound and ratio, the AWS CLI loop,
 * the export scans, evaluate + render, and the handlers' cold imports.
 */
export function measurementTable(results: BenchResults): string {
  const blank = '–';
  const rows: string[][] = [
    ...results.live.map((scan) => [
      `${scan.cloud.toUpperCase()} live scan`,
      scan.clusters.toLocaleString('en-US'),
      scan.scopes,
      `${scan.latencyMs} ms`,
      `${scan.calls.toLocaleString('en-US')} (${(scan.calls / scan.clusters).toFixed(2)})`,
      seconds(scan.wallSeconds),
      `${seconds(scan.firstRequestSeconds)} / ${seconds(scan.lastRequestSeconds)}`,
      mib(scan.peakRssMiB),
      `${seconds(scan.lowerBoundSeconds)} (${scan.allowedConcurrency} in flight, service ${seconds(scan.serviceSeconds)})`,
      times(scan.ratio),
    ]),
    ...results.awsCli.map((run) => [
      `AWS CLI loop${run.sampled ? ` (${run.calls} commands, projected)` : ''}`,
      run.clusters.toLocaleString('en-US'),
      blank,
      `${run.latencyMs} ms`,
      run.calls.toLocaleString('en-US'),
      seconds(run.projectedSeconds),
      blank,
      blank,
      blank,
      `${run.cliOverKubeline.toFixed(1)}× kubeline's ${seconds(run.kubelineWallSeconds)}`,
    ]),
    ...results.exportScans.map((scan) => [
      '--from scan of exports',
      scan.clusters.toLocaleString('en-US'),
      blank,
      blank,
      blank,
      seconds(scan.wallSeconds),
      blank,
      mib(scan.peakRssMiB),
      blank,
      blank,
    ]),
    ...results.evaluateRender.map((run) => [
      'evaluate + render',
      run.clusters.toLocaleString('en-US'),
      blank,
      blank,
      blank,
      `${seconds(run.seconds)} (load ${seconds(run.loadSeconds)} before)`,
      blank,
      `${mib(run.peakRssMiB)} (${mib(run.rssAfterLoadMiB)} loaded)`,
      blank,
      blank,
    ]),
    ...results.handlers.map((handler) => [
      `cold import: ${handler.function}`,
      blank,
      blank,
      blank,
      blank,
      `${handler.coldImportMs} ms (process ${handler.coldProcessMs} ms)`,
      blank,
      blank,
      blank,
      blank,
    ]),
  ];
  return markdownTable(
    [
      'measurement',
      'clusters',
      'scopes',
      'latency',
      'API calls (per cluster)',
      'wall time',
      'first / last request',
      'peak RSS',
      'lower bound',
      'wall ÷ bound',
    ],
    rows,
  );
}

/** Calls per cluster by operation of each live scan without latency: what the seeds cost per cluster. */
export function operationsTable(results: BenchResults): string {
  const scans = results.live.filter((scan) => scan.latencyMs === 0);
  const operations = [
    ...new Set(scans.flatMap((scan) => Object.keys(scan.callsPerClusterByOperation))),
  ].sort();
  return markdownTable(
    [
      'operation',
      ...scans.map((scan) => `${scan.cloud.toUpperCase()} ${scan.clusters.toLocaleString('en-US')}`),
    ],
    operations.map((operation) => [
      operation,
      ...scans.map((scan) => {
        const perCluster = scan.callsPerClusterByOperation[operation];
        return perCluster === undefined ? '–' : perCluster.toFixed(3);
      }),
    ]),
  );
}

/** The targets with what was measured and whether each is met; the verdict in words, never a colour. */
export function targetsTable(verdicts: readonly TargetVerdict[]): string {
  return markdownTable(
    ['target (issue 14)', 'measured', 'verdict'],
    verdicts.map((entry) => [entry.target, entry.measured, entry.verdict]),
  );
}
