import { daysBetween } from '../../model/dates.js';
import { patternId, STATUS_LOOKS, statusPatterns } from './status.js';
import {
  boxSwatch,
  CHART_WIDTH,
  chartSvg,
  element,
  emptyChartSvg,
  formatCount,
  HALO,
  LINE,
  legend,
  MUTED,
  num,
  plural,
  SWATCH,
  safeId,
  text,
  textWidth,
} from './svg.js';

/**
 * One run of the sink's history, as the trend reads it. An `engine/history.ts` `HistoryEntry`
 * fits as it is.
 */
export interface TrendRun {
  readonly runId: string;
  /** ISO 8601 timestamp. */
  readonly startedAt: string;
  /** False when the run could not read everything: its counts may be low for that reason. */
  readonly complete: boolean;
  readonly findings: { readonly fail: number; readonly unknown: number };
}

/** The trend of failures over the last runs. */
export interface FailureTrendInput {
  /** Unique in the page; the ids inside the chart derive from it. */
  readonly id: string;
  /** `Failures over the last runs`. */
  readonly title: string;
  /** In any order: the chart sorts them by start time. */
  readonly runs: readonly TrendRun[];
  /** The newest runs shown; defaults to 30. */
  readonly limit?: number;
  /** Draws unknowns as a line beside the failure bars; defaults to true. */
  readonly showUnknown?: boolean;
  /**
   * Days between runs beyond which the chart marks a gap; defaults to 1, the nightly schedule,
   * so a missed night shows.
   */
  readonly expectedIntervalDays?: number;
}

const DEFAULT_LIMIT = 30;
const PLOT_LEFT = 56;
const PLOT_RIGHT = CHART_WIDTH - 48;
const PLOT_WIDTH = PLOT_RIGHT - PLOT_LEFT;
const PLOT_HEIGHT = 180;
const VALUE_FONT = 11;
const AXIS_FONT = 11;
const MAX_BAR = 36;
/** Room a date label needs on the axis. */
const DATE_ROOM = 84;

interface PlottedRun {
  readonly run: TrendRun;
  /** `YYYY-MM-DD` in UTC, or null when `startedAt` does not parse. */
  readonly day: string | null;
  /** How the description and axis name the run. */
  readonly name: string;
}

interface Gap {
  /** Index of the run after the gap. */
  readonly before: number;
  readonly days: number;
  readonly from: string;
  readonly to: string;
}

function compareText(a: string, b: string): number {
  // Code-unit order: the same on every machine.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function checkCount(run: TrendRun, field: 'fail' | 'unknown'): void {
  const count = run.findings[field];
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(
      `trend chart: ${field} of run ${JSON.stringify(run.runId)} is not a count: ${count}`,
    );
  }
}

function dayOfRun(startedAt: string): string | null {
  const millis = Date.parse(startedAt);
  if (Number.isNaN(millis)) return null;
  const day = new Date(millis).toISOString().slice(0, 10);
  // Years past 9999 print as `+010000-…`, which is no calendar day to count with.
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}

function timeOfRun(startedAt: string): string {
  return new Date(Date.parse(startedAt)).toISOString().slice(11, 16);
}

/** The newest `limit` runs, oldest first, each named by its day (and time where a day has several). */
function plotted(runs: readonly TrendRun[], limit: number): PlottedRun[] {
  for (const run of runs) {
    checkCount(run, 'fail');
    checkCount(run, 'unknown');
  }
  const newest = [...runs]
    .sort((a, b) => compareText(a.startedAt, b.startedAt) || compareText(a.runId, b.runId))
    .slice(-limit);
  const dated = newest.map((run) => ({ run, day: dayOfRun(run.startedAt) }));
  return dated.map(({ run, day }) => {
    if (day === null) return { run, day, name: run.startedAt };
    const shared = dated.filter((other) => other.day === day).length > 1;
    return { run, day, name: shared ? `${day} ${timeOfRun(run.startedAt)} UTC` : day };
  });
}

function gapsOf(runs: readonly PlottedRun[], expected: number): Gap[] {
  const gaps: Gap[] = [];
  for (let index = 1; index < runs.length; index += 1) {
    const from = runs[index - 1]?.day ?? null;
    const to = runs[index]?.day ?? null;
    if (from === null || to === null) continue;
    const days = daysBetween(from, to);
    if (days > expected) gaps.push({ before: index, days, from, to });
  }
  return gaps;
}

/** A round axis maximum (1, 2 or 5 times a power of ten, in four steps or fewer) and its step. */
function axisScale(largest: number): { readonly top: number; readonly step: number } {
  if (largest <= 0) return { top: 1, step: 1 };
  for (let power = 1; ; power *= 10) {
    for (const factor of [1, 2, 5]) {
      const step = factor * power;
      if (step * 4 >= largest) return { top: Math.ceil(largest / step) * step, step };
    }
  }
}

function description(
  input: FailureTrendInput,
  runs: readonly PlottedRun[],
  gaps: readonly Gap[],
  showUnknown: boolean,
): string {
  if (runs.length === 0) return `${input.title}: no runs are recorded yet.`;
  const first = runs[0]?.name;
  const last = runs[runs.length - 1]?.name;
  const shown =
    runs.length < input.runs.length
      ? `the newest ${plural(runs.length, 'run')} of ${formatCount(input.runs.length)}`
      : plural(runs.length, 'run');
  const span = runs.length === 1 ? `${shown}, ${first}` : `${shown}, ${first} to ${last}`;
  const lines = runs.map(({ run, name }) => {
    const unknown = showUnknown ? `, ${formatCount(run.findings.unknown)} unknown` : '';
    const incomplete = run.complete ? '' : ' (incomplete run)';
    return `${name}: ${formatCount(run.findings.fail)} fail${unknown}${incomplete}.`;
  });
  const incompleteCount = runs.filter(({ run }) => !run.complete).length;
  const notes = [
    ...gaps.map((gap) => `No run for ${plural(gap.days, 'day')} from ${gap.from} to ${gap.to}.`),
    ...(incompleteCount === 0
      ? []
      : [
          `${plural(incompleteCount, 'run')} could not read everything, so ${incompleteCount === 1 ? 'its' : 'their'} counts may be low.`,
        ]),
  ];
  return [`${input.title}: ${span}.`, ...lines, ...notes].join(' ');
}

/** The centre of a label of `width` near `x`, moved in so the whole label stays inside the chart. */
function withinChart(x: number, width: number): number {
  return Math.min(Math.max(x, width / 2), CHART_WIDTH - width / 2);
}

/** Which runs get their failure count printed: all when the numbers fit their slots, else the first, last and highest. */
function labelledRuns(runs: readonly PlottedRun[], slot: number): ReadonlySet<number> {
  const fits = runs.every(({ run }) => textWidth(formatCount(run.findings.fail), VALUE_FONT) + 2 <= slot);
  if (fits) return new Set(runs.map((_, index) => index));
  let highest = 0;
  let most = -1;
  runs.forEach(({ run }, index) => {
    if (run.findings.fail > most) {
      most = run.findings.fail;
      highest = index;
    }
  });
  return new Set([0, highest, runs.length - 1]);
}

function body(
  chartId: string,
  runs: readonly PlottedRun[],
  gaps: readonly Gap[],
  showUnknown: boolean,
  top: number,
): string {
  const bottom = top + PLOT_HEIGHT;
  const largest = Math.max(
    ...runs.map(({ run }) => Math.max(run.findings.fail, showUnknown ? run.findings.unknown : 0)),
  );
  const scale = axisScale(largest);
  const y = (value: number): number => bottom - (value / scale.top) * PLOT_HEIGHT;
  const slot = PLOT_WIDTH / runs.length;
  const centre = (index: number): number => PLOT_LEFT + slot * (index + 0.5);
  const barWidth = Math.min(MAX_BAR, slot * 0.6);
  const parts: string[] = [];
  for (let tick = 0; tick <= scale.top; tick += scale.step) {
    parts.push(
      element('line', { x1: PLOT_LEFT, x2: PLOT_RIGHT, y1: y(tick), y2: y(tick), stroke: LINE }),
      text(formatCount(tick), {
        x: PLOT_LEFT - 6,
        y: y(tick) + 4,
        'text-anchor': 'end',
        'font-size': AXIS_FONT,
      }),
    );
  }
  for (const gap of gaps) {
    const x = PLOT_LEFT + slot * gap.before;
    parts.push(
      element('line', { x1: x, x2: x, y1: top, y2: bottom, stroke: MUTED, 'stroke-dasharray': '2 3' }),
      text(`${gap.days}d`, { x, y: top - 2, 'text-anchor': 'middle', 'font-size': 10, fill: MUTED }),
    );
  }
  const labelled = labelledRuns(runs, slot);
  const dateEvery = Math.max(1, Math.ceil(DATE_ROOM / slot));
  const fail = STATUS_LOOKS.fail;
  runs.forEach(({ run, day, name }, index) => {
    const x = centre(index);
    parts.push(
      element('rect', {
        x: x - barWidth / 2,
        y: y(run.findings.fail),
        width: barWidth,
        height: bottom - y(run.findings.fail),
        fill: `url(#${patternId(chartId, 'fail')})`,
        stroke: fail.colour,
        ...(run.complete ? { class: 'run' } : { class: 'run incomplete', 'stroke-dasharray': '3 2' }),
      }),
    );
    if (labelled.has(index)) {
      parts.push(
        text(formatCount(run.findings.fail), {
          x,
          y: y(run.findings.fail) - 4,
          'text-anchor': 'middle',
          'font-size': VALUE_FONT,
          'font-weight': 600,
          ...HALO,
        }),
      );
    }
    if (!run.complete) {
      parts.push(
        text('!', { x, y: bottom + 14, 'text-anchor': 'middle', 'font-weight': 700, fill: fail.colour }),
      );
    }
    // Counted from the newest, so the latest run always has its date.
    if ((runs.length - 1 - index) % dateEvery === 0) {
      const label = day ?? name;
      parts.push(
        text(label, {
          x: withinChart(x, textWidth(label, AXIS_FONT)),
          y: bottom + 30,
          'text-anchor': 'middle',
          'font-size': AXIS_FONT,
          fill: MUTED,
        }),
      );
    }
  });
  if (showUnknown) {
    const look = STATUS_LOOKS.unknown;
    const points = runs.map(({ run }, index) => `${num(centre(index))},${num(y(run.findings.unknown))}`);
    parts.push(
      element('polyline', {
        points: points.join(' '),
        fill: 'none',
        stroke: look.colour,
        'stroke-width': 2,
        'stroke-dasharray': '6 3',
      }),
      ...runs.map(({ run }, index) =>
        element('rect', {
          x: centre(index) - 3.5,
          y: y(run.findings.unknown) - 3.5,
          width: 7,
          height: 7,
          fill: look.background,
          stroke: look.colour,
        }),
      ),
    );
    const newest = runs[runs.length - 1];
    if (newest !== undefined) {
      // Right of the newest point, in the margin kept for it, where no bar or value is.
      const label = `? ${formatCount(newest.run.findings.unknown)}`;
      const width = textWidth(label, VALUE_FONT);
      parts.push(
        text(label, {
          x: withinChart(centre(runs.length - 1) + barWidth / 2 + 4 + width / 2, width),
          y: y(newest.run.findings.unknown) + 4,
          'text-anchor': 'middle',
          'font-size': VALUE_FONT,
          fill: look.colour,
          ...HALO,
        }),
      );
    }
  }
  parts.push(element('line', { x1: PLOT_LEFT, x2: PLOT_RIGHT, y1: bottom, y2: bottom, stroke: MUTED }));
  return parts.join('');
}

function legendItems(chartId: string, showUnknown: boolean, anyIncomplete: boolean, anyGap: boolean) {
  const fail = STATUS_LOOKS.fail;
  const unknown = STATUS_LOOKS.unknown;
  const middle = SWATCH / 2;
  return [
    { swatch: boxSwatch(`url(#${patternId(chartId, 'fail')})`, fail.colour), label: 'Failures (bars)' },
    ...(showUnknown
      ? [
          {
            swatch: `${element('line', { x1: 0, x2: SWATCH, y1: middle, y2: middle, stroke: unknown.colour, 'stroke-width': 2, 'stroke-dasharray': '4 2' })}${element('rect', { x: middle - 3.5, y: middle - 3.5, width: 7, height: 7, fill: unknown.background, stroke: unknown.colour })}`,
            label: 'Unknowns (dashed line, squares)',
          },
        ]
      : []),
    ...(anyIncomplete
      ? [
          {
            swatch: element('rect', {
              x: 0.5,
              y: 0.5,
              width: SWATCH - 1,
              height: SWATCH - 1,
              fill: 'none',
              stroke: fail.colour,
              'stroke-dasharray': '3 2',
            }),
            label: '! Incomplete run (dashed outline)',
          },
        ]
      : []),
    ...(anyGap
      ? [
          {
            swatch: element('line', {
              x1: middle,
              x2: middle,
              y1: 0,
              y2: SWATCH,
              stroke: MUTED,
              'stroke-dasharray': '2 3',
            }),
            label: 'Gap: days without a run',
          },
        ]
      : []),
  ];
}

/**
 * Failures (and unknowns) over the newest runs of the history: a bar per run with its count, a
 * dashed outline and `!` for a run that could not read everything, a dashed rule with the days
 * for a gap in the schedule. The description lists every run's numbers.
 */
export function failureTrendSvg(input: FailureTrendInput): string {
  const chartId = safeId(input.id);
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`trend chart: limit must be a positive whole number: ${limit}`);
  const showUnknown = input.showUnknown ?? true;
  const runs = plotted(input.runs, limit);
  const gaps = gapsOf(runs, input.expectedIntervalDays ?? 1);
  const desc = description(input, runs, gaps, showUnknown);
  if (runs.length === 0) {
    return emptyChartSvg({ id: chartId, title: input.title, description: desc }, 'No runs are recorded yet.');
  }
  const key = legend(
    legendItems(
      chartId,
      showUnknown,
      runs.some(({ run }) => !run.complete),
      gaps.length > 0,
    ),
    0,
  );
  const top = key.height + 24;
  return chartSvg({
    id: chartId,
    height: top + PLOT_HEIGHT + 40,
    title: input.title,
    description: desc,
    defs: statusPatterns(chartId, ['fail']),
    body: `${key.markup}${body(chartId, runs, gaps, showUnknown, top)}`,
  });
}
