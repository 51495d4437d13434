import { SEVERITIES, type Severity } from '../model/finding.js';
import { reportTemplate } from './templates.js';

/**
 * What the run index reads of one run. An entry of `history.json` (engine/history.ts
 * `HistoryEntry`) fits as it is; the type is restated here because report/ imports only model/.
 */
export interface RunIndexEntry {
  readonly runId: string;
  /** ISO 8601 instant. */
  readonly startedAt: string;
  /** The run's folder in the sink, `runs/<YYYY-MM-DD>/<runId>`. */
  readonly folder: string;
  readonly complete: boolean;
  readonly clusters: number;
  readonly findings: { readonly fail: number; readonly error: number; readonly unknown: number };
  readonly failingBySeverity: Readonly<Record<Severity, number>>;
  /** The sizes of the run's diff lists; null when it had no previous run to compare with. */
  readonly diff: { readonly new: number; readonly fixed: number } | null;
}

/** The run `latest.json` points at: the newest complete run. */
export interface RunIndexLatest {
  readonly runId: string;
  readonly folder: string;
}

export interface RunIndexOptions {
  /** Runs listed at most, newest first. @default RUN_INDEX_LIMIT */
  readonly maxRuns?: number;
}

/**
 * The runs listed by default: `history.json` keeps this many (engine/history.ts HISTORY_LIMIT,
 * held equal by a test), so the page lists the whole history and stays near 150 KB.
 */
export const RUN_INDEX_LIMIT = 400;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const TREND_WIDTH = 300;
const TREND_HEIGHT = 40;

interface InstantView {
  readonly iso: string;
  readonly text: string;
}

interface RunRowView {
  readonly runId: string;
  readonly href: string | null;
  readonly started: InstantView;
  readonly complete: boolean;
  readonly latest: boolean;
  readonly clusters: number;
  readonly fail: number;
  readonly error: number;
  readonly unknown: number;
  readonly failingBySeverity: readonly number[];
  readonly diff: { readonly new: number; readonly fixed: number } | null;
}

/** Everything `templates/index.html.hbs` shows, precomputed: the template only presents. */
interface RunIndexView {
  readonly summary: string;
  readonly latest: {
    readonly runId: string;
    readonly href: string | null;
    readonly started: InstantView | null;
  } | null;
  readonly trend: { readonly points: string; readonly label: string } | null;
  readonly severities: readonly string[];
  readonly runs: readonly RunRowView[];
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * `Sun 29 Nov 2026, 02:00 UTC`: in UTC and spelt out here, so the page reads the same whatever
 * the locale and time zone of the machine that wrote it. Text that is no instant is shown as it is.
 */
export function readableInstant(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const day = `${WEEKDAYS[instant.getUTCDay()]} ${instant.getUTCDate()} ${MONTHS[instant.getUTCMonth()]} ${instant.getUTCFullYear()}`;
  return `${day}, ${twoDigits(instant.getUTCHours())}:${twoDigits(instant.getUTCMinutes())} UTC`;
}

/**
 * The relative link to a run's `report.html`, each folder segment URL-encoded, so it resolves
 * beside `index.html` in a bucket, a website endpoint and a `file://` folder alike. A folder that
 * is not a plain relative path (empty, absolute, `.` or `..` segments) gets no link rather than
 * one that leaves the sink's prefix.
 */
export function runReportHref(folder: string): string | null {
  const segments = folder.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  return `${segments.map(encodeURIComponent).join('/')}/report.html`;
}

function compareText(a: string, b: string): number {
  // Code-unit order, as engine/history.ts sorts: ISO instants and run ids sort alike everywhere.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function newestFirst(a: RunIndexEntry, b: RunIndexEntry): number {
  return compareText(b.startedAt, a.startedAt) || compareText(b.runId, a.runId);
}

function instantView(iso: string): InstantView {
  return { iso, text: readableInstant(iso) };
}

function failing(entry: RunIndexEntry): number {
  return entry.findings.fail + entry.findings.error;
}

function rowView(entry: RunIndexEntry, latest: RunIndexLatest | null): RunRowView {
  return {
    runId: entry.runId,
    href: runReportHref(entry.folder),
    started: instantView(entry.startedAt),
    complete: entry.complete,
    latest: entry.runId === latest?.runId,
    clusters: entry.clusters,
    fail: entry.findings.fail,
    error: entry.findings.error,
    unknown: entry.findings.unknown,
    failingBySeverity: SEVERITIES.map((severity) => entry.failingBySeverity[severity]),
    diff: entry.diff === null ? null : { new: entry.diff.new, fixed: entry.diff.fixed },
  };
}

function runCount(count: number): string {
  return `${count} ${count === 1 ? 'run' : 'runs'}`;
}

/**
 * A line of failing findings per listed run, oldest on the left, with the figures it shows in
 * words beside it (the drawing itself is hidden from screen readers). None below two runs.
 */
function trendView(listed: readonly RunIndexEntry[]): RunIndexView['trend'] {
  if (listed.length < 2) return null;
  const values = [...listed].reverse().map(failing);
  const highest = Math.max(...values);
  const step = TREND_WIDTH / (values.length - 1);
  const points = values
    .map((value, index) => {
      const y = highest === 0 ? TREND_HEIGHT : TREND_HEIGHT - (value / highest) * TREND_HEIGHT;
      return `${Number((index * step).toFixed(1))},${Number(y.toFixed(1))}`;
    })
    .join(' ');
  const first = values[0];
  const last = values[values.length - 1];
  return {
    points,
    label: `Failing findings (fail and error) over the ${values.length} runs listed, oldest to newest: ${first} in the oldest, ${last} in the newest, ${highest} at most.`,
  };
}

function summaryOf(total: number, listed: number): string {
  if (total === 0) return 'No runs are recorded in history.json yet.';
  if (listed === total) return `${runCount(total)}, newest first.`;
  return `The newest ${runCount(listed)} of ${total}, newest first.`;
}

/** The view the template presents: runs newest first, at most `maxRuns`, the latest one marked. */
export function runIndexView(
  entries: readonly RunIndexEntry[],
  latest: RunIndexLatest | null,
  options: RunIndexOptions = {},
): RunIndexView {
  const maxRuns = options.maxRuns ?? RUN_INDEX_LIMIT;
  if (!Number.isInteger(maxRuns) || maxRuns < 1) {
    throw new RangeError(`maxRuns must be a whole number of runs, at least 1; got ${maxRuns}`);
  }
  const listed = [...entries].sort(newestFirst).slice(0, maxRuns);
  const latestEntry = latest === null ? undefined : entries.find((entry) => entry.runId === latest.runId);
  return {
    summary: summaryOf(entries.length, listed.length),
    latest:
      latest === null
        ? null
        : {
            runId: latest.runId,
            href: runReportHref(latest.folder),
            started: latestEntry === undefined ? null : instantView(latestEntry.startedAt),
          },
    trend: trendView(listed),
    severities: SEVERITIES.map((severity) => severity.charAt(0).toUpperCase() + severity.slice(1)),
    runs: listed.map((entry) => rowView(entry, latest)),
  };
}

/**
 * `index.html` for the sink's root: the runs in `history.json`, newest first, each linking to its
 * `report.html`, with its headline numbers; the run `latest.json` names is marked, and so are
 * incomplete runs. Self-contained (inline CSS, no script, nothing fetched) and every string from
 * the sink escaped.
 */
export function renderRunIndex(
  entries: readonly RunIndexEntry[],
  latest: RunIndexLatest | null,
  options: RunIndexOptions = {},
): string {
  return reportTemplate('index.html.hbs')(runIndexView(entries, latest, options));
}
