import { z } from 'zod';
import { SEVERITIES, type Severity, STATUSES, type Status } from '../model/finding.js';
import type { RunDiff } from '../model/runDiff.js';
import { type PreviousRunRead, parseLatestPointer, parsePreviousReport } from './diff.js';
import type { ReportSink } from './ports.js';
import type { SinkFailure } from './publish.js';

/** The run history in the sink's root: one entry of headline counts per run. */
export const HISTORY_KEY = 'history.json';
/** Entries kept: over a year of nightly runs, a few hundred kilobytes. */
export const HISTORY_LIMIT = 400;
const LATEST_KEY = 'latest.json';
/** Conditional writes that lose to a concurrent run re-read the history; this bounds the races. */
const HISTORY_ATTEMPTS = 5;

/** The sizes of a run's diff lists. */
export interface HistoryDiffCounts {
  readonly new: number;
  readonly fixed: number;
  readonly persisting: number;
  readonly newlyUnknown: number;
  readonly clustersAdded: number;
  readonly clustersRemoved: number;
}

/** One run in `history.json`: its headline counts, so trends never need every old report read back. */
export interface HistoryEntry {
  readonly runId: string;
  readonly startedAt: string;
  /** The run's folder in the sink, `runs/<YYYY-MM-DD>/<runId>`. */
  readonly folder: string;
  /** Incomplete runs are recorded too, so a night that could not read everything shows in the trend. */
  readonly complete: boolean;
  readonly clusters: number;
  /** Findings per status, with their total. */
  readonly findings: Readonly<Record<Status, number>> & { readonly total: number };
  /** Findings that are `fail` or `error` per severity, as `--fail-on` judges them (waived ones are not). */
  readonly failingBySeverity: Readonly<Record<Severity, number>>;
  /** Null when the run had no previous run to compare with. */
  readonly diff: HistoryDiffCounts | null;
}

/**
 * `history.json` as read before the run publishes. `readable: false` means the sink could not
 * be read (not that the file is corrupt): the history is then left alone rather than replaced.
 */
export type HistoryRead =
  | {
      readonly readable: true;
      readonly entries: readonly HistoryEntry[];
      /** The object's version for a conditional write; null when there is no history yet. */
      readonly version: string | null;
      readonly notice: string | null;
    }
  | { readonly readable: false; readonly notice: string };

/** What the sink holds of earlier runs, read once before the report is rendered. */
export interface PastRuns {
  /** The sink both were read from. */
  readonly sink: ReportSink;
  readonly previous: PreviousRunRead;
  readonly history: HistoryRead;
  /** Sentences for the report about the history (a corrupt `history.json` that will be replaced). */
  readonly notices: readonly string[];
}

const COUNT = z.number().int().nonnegative();

const historyEntrySchema = z.object({
  runId: z.string().min(1),
  startedAt: z.iso.datetime(),
  folder: z.string(),
  complete: z.boolean(),
  clusters: COUNT,
  findings: z.object({
    fail: COUNT,
    error: COUNT,
    unknown: COUNT,
    waived: COUNT,
    pass: COUNT,
    not_applicable: COUNT,
    total: COUNT,
  }),
  failingBySeverity: z.object({ critical: COUNT, high: COUNT, medium: COUNT, low: COUNT, info: COUNT }),
  diff: z
    .object({
      new: COUNT,
      fixed: COUNT,
      persisting: COUNT,
      newlyUnknown: COUNT,
      clustersAdded: COUNT,
      clustersRemoved: COUNT,
    })
    .nullable(),
});

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare: ISO timestamps and run ids sort the same on every machine.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The history entry of a run. */
export function historyEntry(
  run: Pick<HistoryEntry, 'runId' | 'startedAt' | 'folder' | 'complete' | 'clusters'>,
  findings: readonly { readonly status: Status; readonly severity: Severity }[],
  diff: RunDiff,
): HistoryEntry {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  const failing = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) {
    byStatus[finding.status] += 1;
    if (finding.status === 'fail' || finding.status === 'error') failing[finding.severity] += 1;
  }
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    folder: run.folder,
    complete: run.complete,
    clusters: run.clusters,
    findings: { ...byStatus, total: findings.length },
    failingBySeverity: failing,
    diff:
      diff.previousRun === null
        ? null
        : {
            new: diff.new.length,
            fixed: diff.fixed.length,
            persisting: diff.persisting.length,
            newlyUnknown: diff.newlyUnknown.length,
            clustersAdded: diff.clustersAdded.length,
            clustersRemoved: diff.clustersRemoved.length,
          },
  };
}

/**
 * Reads the text of `history.json`. A file that is not a JSON list is replaced by a fresh history;
 * entries that do not parse are dropped and the others kept. Either way the notice says so.
 */
export function parseHistory(text: string): {
  readonly entries: HistoryEntry[];
  readonly notice: string | null;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      entries: [],
      notice: `${HISTORY_KEY} is not valid JSON (${describe(error)}); a new history starts with this run`,
    };
  }
  if (!Array.isArray(value)) {
    return {
      entries: [],
      notice: `${HISTORY_KEY} is not a list of runs; a new history starts with this run`,
    };
  }
  const entries = value.flatMap((item) => {
    const entry = historyEntrySchema.safeParse(item);
    return entry.success ? [entry.data] : [];
  });
  const dropped = value.length - entries.length;
  return {
    entries,
    notice:
      dropped === 0
        ? null
        : `${dropped} of the ${value.length} entries of ${HISTORY_KEY} could not be read and are dropped`,
  };
}

/** Adds a run (replacing an entry of the same run id), in start order, keeping the newest `limit`. */
export function appendHistory(
  entries: readonly HistoryEntry[],
  entry: HistoryEntry,
  limit: number = HISTORY_LIMIT,
): HistoryEntry[] {
  return [...entries.filter((earlier) => earlier.runId !== entry.runId), entry]
    .sort((a, b) => compareText(a.startedAt, b.startedAt) || compareText(a.runId, b.runId))
    .slice(-limit);
}

/** A JSON list with one run per line, so a person can read and diff it. */
export function serialiseHistory(entries: readonly HistoryEntry[]): string {
  return `[\n${entries.map((entry) => JSON.stringify(entry)).join(',\n')}\n]\n`;
}

/** Reads `history.json` with its version; never throws. */
export async function readHistory(sink: ReportSink): Promise<HistoryRead> {
  try {
    const object = await sink.getVersioned(HISTORY_KEY);
    if (object === undefined) return { readable: true, entries: [], version: null, notice: null };
    return { readable: true, ...parseHistory(object.body), version: object.version };
  } catch (error) {
    return {
      readable: false,
      notice: `${HISTORY_KEY} could not be read (${describe(error)}); this run is not added to it`,
    };
  }
}

/** Follows `latest.json` to the previous complete run's `report.json`; never throws. */
export async function readPreviousRun(sink: ReportSink): Promise<PreviousRunRead> {
  const latest = await getText(sink, LATEST_KEY);
  if ('unavailable' in latest) return latest;
  if (latest.text === undefined)
    return { unavailable: 'no previous complete run: the sink has no latest.json' };
  const pointer = parseLatestPointer(latest.text);
  if ('unavailable' in pointer) return pointer;
  const key = `${pointer.folder}/report.json`;
  const report = await getText(sink, key);
  if ('unavailable' in report) return { unavailable: `previous run ${pointer.runId}: ${report.unavailable}` };
  if (report.text === undefined) {
    return {
      unavailable: `previous run ${pointer.runId}: ${key} does not exist (its folder is gone, or it wrote no report.json)`,
    };
  }
  return parsePreviousReport(report.text, pointer);
}

async function getText(
  sink: ReportSink,
  key: string,
): Promise<{ readonly text: string | undefined } | { readonly unavailable: string }> {
  try {
    return { text: await sink.get(key) };
  } catch (error) {
    return { unavailable: `${key} could not be read (${describe(error)})` };
  }
}

/** Reads the previous complete run and the history from the first sink, before the report is rendered. */
export async function readPastRuns(sink: ReportSink): Promise<PastRuns> {
  const [previous, history] = await Promise.all([readPreviousRun(sink), readHistory(sink)]);
  return { sink, previous, history, notices: history.notice === null ? [] : [history.notice] };
}

async function recordInSink(
  sink: ReportSink,
  entry: HistoryEntry,
  known: HistoryRead | undefined,
): Promise<SinkFailure | null> {
  const failure = (reason: string): SinkFailure => ({
    runId: entry.runId,
    sink: sink.location,
    key: HISTORY_KEY,
    reason,
  });
  let history = known ?? (await readHistory(sink));
  try {
    for (let attempt = 0; attempt < HISTORY_ATTEMPTS; attempt += 1) {
      // A history that could not be read is left as it is: writing now would erase it.
      if (!history.readable) return failure(history.notice);
      const body = serialiseHistory(appendHistory(history.entries, entry));
      if (await sink.putIfMatch(HISTORY_KEY, body, 'application/json', history.version)) return null;
      // Another run wrote it first: add this run to theirs.
      history = await readHistory(sink);
    }
    return failure(`${HISTORY_KEY} changed under each of ${HISTORY_ATTEMPTS} conditional writes`);
  } catch (error) {
    return failure(describe(error));
  }
}

/**
 * Adds the run to `history.json` in each sink, after `latest.json`: the history read before
 * rendering is reused for the sink it came from. Never throws: a history that cannot be written
 * loses nothing of the run, so it is returned as a failure for the caller to report.
 */
export async function recordRunInHistory(
  sinks: readonly ReportSink[],
  entry: HistoryEntry,
  past: Pick<PastRuns, 'sink' | 'history'>,
): Promise<SinkFailure[]> {
  const failures: SinkFailure[] = [];
  for (const sink of sinks) {
    const failure = await recordInSink(sink, entry, sink === past.sink ? past.history : undefined);
    if (failure) failures.push(failure);
  }
  return failures;
}
