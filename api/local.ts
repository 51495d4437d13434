import { z } from 'zod';
import { type HistoryEntry, historyEntry, readHistory } from '../engine/history.js';
import { defaultRunId, type PipelineDeps, runScan, type ScanOutcome } from '../engine/pipeline.js';
import type { ReportSink } from '../engine/ports.js';
import type { ReportFormat } from '../model/reportFormats.js';
import type { LogLine } from './middleware.js';
import { narrowSources } from './narrow.js';
import {
  isFullScan,
  type LaunchResult,
  type ReportLink,
  type RunCatalogue,
  type RunCounts,
  type RunStatus,
  type RunSummary,
  type RunView,
  type ScanLauncher,
  type ScanLaunchRequest,
} from './ports.js';

/** Report links handed to clients stay valid this long. */
const LINK_LIFETIME_SECONDS = 3600;
/** Finished runs kept in memory; older ones are read back from the sink. */
const LOCAL_RUNS_KEPT = 100;

export interface InProcessScansOptions {
  /** The pipeline's dependencies for one run; its sources are narrowed to the request here. */
  readonly compose: (request: ScanLaunchRequest) => Promise<PipelineDeps>;
  readonly formats: readonly ReportFormat[];
  readonly clock: () => Date;
  readonly log: (line: LogLine) => void;
  readonly newRunId?: (startedAt: Date) => string;
}

/** A run this process started: what the API shows, and where its files are for links. */
interface LocalRun {
  readonly runId: string;
  readonly startedAt: string;
  status: RunStatus;
  finishedAt: string | null;
  counts: RunCounts | null;
  error?: string;
  sink?: ReportSink;
  files: readonly { readonly name: string; readonly key: string }[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A link a client can open: signed where the sink signs, else the object's location. */
async function linkTo(sink: ReportSink, name: string, key: string): Promise<ReportLink> {
  return { name, href: sink.link ? await sink.link(key, LINK_LIFETIME_SECONDS) : sink.locate(key) };
}

/** The same counts `history.json` records for the run, so a run reads the same before and after a restart. */
function countsOf(outcome: ScanOutcome): RunCounts {
  // Only the counts are used; the entry's run fields play no part in them.
  const entry = historyEntry(
    {
      runId: outcome.runId,
      startedAt: '',
      folder: '',
      complete: outcome.complete,
      clusters: outcome.clusters.length,
    },
    outcome.findings,
    outcome.diff,
  );
  return { clusters: entry.clusters, findings: entry.findings, failingBySeverity: entry.failingBySeverity };
}

/** Scans run in this process, in the background, for `kubeline serve`; at most one full scan at a time. */
export class InProcessScans implements ScanLauncher {
  readonly #options: InProcessScansOptions;
  readonly #runs = new Map<string, LocalRun>();
  readonly #inFlight = new Set<Promise<void>>();
  #runningFullScan: string | undefined;

  constructor(options: InProcessScansOptions) {
    this.#options = options;
  }

  async start(request: ScanLaunchRequest): Promise<LaunchResult> {
    const full = isFullScan(request);
    // No await before the check and the claim: two requests cannot both pass it.
    if (full && this.#runningFullScan !== undefined) {
      return { state: 'busy', runningRunId: this.#runningFullScan };
    }
    const startedAt = this.#options.clock();
    const runId = (this.#options.newRunId ?? defaultRunId)(startedAt);
    if (full) this.#runningFullScan = runId;
    const run: LocalRun = {
      runId,
      startedAt: startedAt.toISOString(),
      status: 'running',
      finishedAt: null,
      counts: null,
      files: [],
    };
    this.#remember(run);
    this.#options.log({ event: 'run', runId, status: 'running', fullScan: full });
    const done = this.#execute(run, request).finally(() => {
      if (this.#runningFullScan === runId) this.#runningFullScan = undefined;
      this.#inFlight.delete(done);
    });
    this.#inFlight.add(done);
    return { state: 'started', runId };
  }

  /** Resolves once every run started so far has finished, so a shutdown never cuts a run short. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** A run of this process, with links to its files. */
  async view(runId: string): Promise<RunView | undefined> {
    const run = this.#runs.get(runId);
    if (!run) return undefined;
    const { sink } = run;
    const reports = sink ? await Promise.all(run.files.map((file) => linkTo(sink, file.name, file.key))) : [];
    return { ...this.#summaryOf(run), reports };
  }

  /** The runs of this process, in start order. */
  summaries(): RunSummary[] {
    return [...this.#runs.values()].map((run) => this.#summaryOf(run));
  }

  #summaryOf(run: LocalRun): RunSummary {
    return {
      runId: run.runId,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      counts: run.counts,
      ...(run.error === undefined ? {} : { error: run.error }),
    };
  }

  #remember(run: LocalRun): void {
    this.#runs.set(run.runId, run);
    for (const old of this.#runs.values()) {
      if (this.#runs.size <= LOCAL_RUNS_KEPT) break;
      if (old.status !== 'running') this.#runs.delete(old.runId);
    }
  }

  async #execute(run: LocalRun, request: ScanLaunchRequest): Promise<void> {
    try {
      const deps = await this.#options.compose(request);
      const outcome = await runScan(
        {
          ...deps,
          sources: narrowSources(deps.sources, request),
          clock: this.#options.clock,
          newRunId: () => run.runId,
        },
        {
          trigger: 'http',
          formats: this.#options.formats,
          ...(request.notify === false ? { notify: false } : {}),
        },
      );
      run.status = outcome.complete && outcome.publishFailures.length === 0 ? 'complete' : 'incomplete';
      run.counts = countsOf(outcome);
      run.sink = deps.sinks[0];
      run.files = outcome.files.map((file) => ({ name: file.name, key: file.key }));
      this.#options.log({
        event: 'run',
        runId: run.runId,
        status: run.status,
        clusters: outcome.clusters.length,
        findings: outcome.findings.length,
        location: outcome.runLocation,
      });
    } catch (error) {
      run.status = 'failed';
      run.error = describe(error);
      this.#options.log({ event: 'run', runId: run.runId, status: 'failed', error: run.error });
    } finally {
      run.finishedAt = this.#options.clock().toISOString();
    }
  }
}

const manifestSchema = z.object({
  finishedAt: z.string(),
  files: z.array(z.object({ name: z.string().min(1) })),
});

/** The names of a run's files and its end, from its `manifest.json`; null when it is missing or corrupt. */
async function readManifest(sink: ReportSink, folder: string) {
  const text = await sink.get(`${folder}/manifest.json`);
  if (text === undefined) return null;
  try {
    return manifestSchema.parse(JSON.parse(text));
  } catch {
    // A corrupt manifest loses only the links and the end time; the history still has the counts.
    return null;
  }
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  // Code-unit order, not localeCompare: ISO timestamps and run ids sort the same on every machine.
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}

function summaryOf(entry: HistoryEntry): RunSummary {
  return {
    runId: entry.runId,
    status: entry.complete ? 'complete' : 'incomplete',
    startedAt: entry.startedAt,
    finishedAt: null,
    counts: {
      clusters: entry.clusters,
      findings: entry.findings,
      failingBySeverity: entry.failingBySeverity,
    },
  };
}

/**
 * The runs of `kubeline serve`: those this process started, then those in the first sink's
 * `history.json` (earlier processes, the CLI, the scheduled job), with links from their manifests.
 */
export class SinkRunCatalogue implements RunCatalogue {
  readonly #sink: ReportSink;
  readonly #local: InProcessScans | undefined;

  /** `local`: the runs this process starts, if it starts any (the Lambda HTTP function does not). */
  constructor(sink: ReportSink, local?: InProcessScans) {
    this.#sink = sink;
    this.#local = local;
  }

  async get(runId: string): Promise<RunView | undefined> {
    const local = await this.#local?.view(runId);
    if (local) return local;
    const entry = (await this.#history()).find((item) => item.runId === runId);
    if (!entry) return undefined;
    const manifest = await readManifest(this.#sink, entry.folder);
    const names = manifest ? [...manifest.files.map((file) => file.name), 'manifest.json'] : [];
    const reports = await Promise.all(
      names.map((name) => linkTo(this.#sink, name, `${entry.folder}/${name}`)),
    );
    return { ...summaryOf(entry), finishedAt: manifest?.finishedAt ?? null, reports };
  }

  async recent(limit: number): Promise<readonly RunSummary[]> {
    const local = this.#local?.summaries() ?? [];
    const known = new Set(local.map((run) => run.runId));
    const stored = (await this.#history()).filter((entry) => !known.has(entry.runId)).map(summaryOf);
    return [...local, ...stored].sort(newestFirst).slice(0, limit);
  }

  async #history(): Promise<readonly HistoryEntry[]> {
    const history = await readHistory(this.#sink);
    if (!history.readable) throw new Error(`run catalogue ${this.#sink.location}: ${history.notice}`);
    return history.entries;
  }
}
