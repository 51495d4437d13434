import { daysBetween, parseDay } from '../../model/dates.js';
import { PROVIDER_NAMES, PROVIDERS, type Provider } from '../../model/posture.js';
import type { VersionFact, VersionIntelligence } from '../../model/versions.js';
import { fillPattern, HATCH, STATUS_LOOKS } from './status.js';
import {
  boxSwatch,
  CHART_WIDTH,
  chartSvg,
  element,
  emptyChartSvg,
  fitText,
  HALO,
  INK,
  LINE,
  legend,
  MUTED,
  plural,
  SWATCH,
  safeId,
  text,
} from './svg.js';

/** One minor version in use on one provider, with its support dates. */
export interface SupportTimelineRow {
  readonly provider: Provider;
  /** `1.29`; `unknown` for clusters whose version could not be read. */
  readonly minor: string;
  readonly clusters: number;
  /** `YYYY-MM-DD`, or why it is unknown. */
  readonly endOfStandardSupport: VersionFact<string>;
  /** `YYYY-MM-DD`; null when the minor has no extended or long-term support; or why it is unknown. */
  readonly endOfExtendedSupport: VersionFact<string | null>;
}

/** The version timeline: each minor in use against the end of its standard and extended support. */
export interface SupportTimelineInput {
  /** Unique in the page; the ids inside the chart derive from it. */
  readonly id: string;
  /** `Support timeline of the minors in use`. */
  readonly title: string;
  /** The run's `asOf` day, `YYYY-MM-DD`: the chart's today. */
  readonly asOf: string;
  /** In the order to draw them, top to bottom; `supportTimelineRows` gives them in provider and minor order. */
  readonly rows: readonly SupportTimelineRow[];
}

const LABEL_WIDTH = 190;
const PLOT_LEFT = 200;
const PLOT_RIGHT = CHART_WIDTH - 16;
const PLOT_WIDTH = PLOT_RIGHT - PLOT_LEFT;
const BAR_HEIGHT = 16;
const ROW_HEIGHT = 62;
const NOTE_FONT = 11;
/** The shortest span the axis shows, so a near end is not stretched across the whole width. */
const MIN_SPAN_DAYS = 365;
const MAX_TICKS = 8;
const DAYS_PER_MONTH = 30.4375;
const STANDARD = STATUS_LOOKS.pass;
const EXTENDED = STATUS_LOOKS.unknown;
const PAST_DUE = STATUS_LOOKS.fail;

/** A support end as the chart uses it: a day and the days to it, or unknown with the reason. */
type DatedEnd =
  | { readonly kind: 'day'; readonly day: string; readonly days: number }
  | { readonly kind: 'unknown'; readonly reason: string };

/** An end of extended support, which a minor may not have at all. */
type SupportEnd = DatedEnd | { readonly kind: 'none' };

interface PlacedRow {
  /** `Amazon EKS 1.29`. */
  readonly name: string;
  /** `3 clusters`. */
  readonly clusters: string;
  readonly standard: DatedEnd;
  readonly extended: SupportEnd;
}

function extendedFill(chartId: string): string {
  return `${chartId}-fill-extended`;
}

function datedEnd(day: string, asOf: string): DatedEnd {
  if (parseDay(day) === undefined) {
    return { kind: 'unknown', reason: `not a YYYY-MM-DD day: ${JSON.stringify(day)}` };
  }
  return { kind: 'day', day, days: daysBetween(asOf, day) };
}

function standardEnd(fact: VersionFact<string>, asOf: string): DatedEnd {
  return 'unknown' in fact ? { kind: 'unknown', reason: fact.unknown } : datedEnd(fact.value, asOf);
}

function extendedEnd(fact: VersionFact<string | null>, asOf: string): SupportEnd {
  if ('unknown' in fact) return { kind: 'unknown', reason: fact.unknown };
  return fact.value === null ? { kind: 'none' } : datedEnd(fact.value, asOf);
}

function relative(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

function standardWords(end: DatedEnd): string {
  if (end.kind === 'unknown') return `End of standard support unknown: ${end.reason}`;
  return end.days < 0
    ? `Past due: standard support ended ${end.day} (${relative(end.days)})`
    : `Standard support ends ${end.day} (${relative(end.days)})`;
}

function extendedWords(end: SupportEnd, standard: DatedEnd): string {
  if (end.kind === 'none') return 'No extended support';
  if (end.kind === 'unknown') {
    // One unreadable version makes both dates unknown for one reason: say it once.
    return standard.kind === 'unknown' && standard.reason === end.reason
      ? 'End of extended support unknown for the same reason'
      : `End of extended support unknown: ${end.reason}`;
  }
  return `Extended support ${end.days < 0 ? 'ended' : 'ends'} ${end.day} (${relative(end.days)})`;
}

/** What a row says in words: the two lines under its bar, and its sentences in the description. */
function rowWords(placed: PlacedRow): readonly [string, string] {
  return [standardWords(placed.standard), extendedWords(placed.extended, placed.standard)];
}

function checkRow(row: SupportTimelineRow): void {
  if (!Number.isSafeInteger(row.clusters) || row.clusters < 0) {
    throw new RangeError(
      `timeline chart: clusters of ${row.provider} ${JSON.stringify(row.minor)} is not a count: ${row.clusters}`,
    );
  }
}

/** The axis: from today to the latest end still ahead, at least a year. */
function spanDays(rows: readonly PlacedRow[]): number {
  const ahead = rows.flatMap(({ standard, extended }) =>
    [standard, extended].flatMap((end) => (end.kind === 'day' && end.days > 0 ? [end.days] : [])),
  );
  return Math.max(MIN_SPAN_DAYS, ...ahead);
}

/** The smallest of 1, 2 and 5 times a power of ten that is at least `value`. */
function roundUp(value: number): number {
  for (let power = 1; ; power *= 10) {
    for (const factor of [1, 2, 5]) if (factor * power >= value) return factor * power;
  }
}

/**
 * Months between ticks: 3 or 6 months, or a round number of years, for at most `MAX_TICKS` ticks
 * (the axis spans at least a year, so monthly ticks would never be few enough).
 */
function tickStep(span: number): number {
  const needed = span / DAYS_PER_MONTH / MAX_TICKS;
  const months = [3, 6].find((step) => step >= needed);
  return months ?? 12 * roundUp(needed / 12);
}

/** First days of months on the axis, every `tickStep` months, with their labels. */
function ticks(asOf: string, span: number): { readonly day: string; readonly label: string }[] {
  const start = parseDay(asOf) as Date;
  const step = tickStep(span);
  const result: { day: string; label: string }[] = [];
  // Months counted from year 0, so a step of 12 lands on January and 24 on even years.
  for (let index = start.getUTCFullYear() * 12 + start.getUTCMonth() + 1; ; index += 1) {
    if (index % step !== 0) continue;
    const year = Math.floor(index / 12);
    if (year > 9999) return result;
    const day = `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
    if (daysBetween(asOf, day) > span) return result;
    result.push({ day, label: step >= 12 ? String(year) : day.slice(0, 7) });
  }
}

function description(input: SupportTimelineInput, rows: readonly PlacedRow[]): string {
  if (rows.length === 0) return `${input.title} as of ${input.asOf}: no minor versions in use.`;
  const lines = rows.map((placed) => {
    const [standard, extended] = rowWords(placed);
    return `${placed.name}, ${placed.clusters}: ${standard}; ${extended}.`;
  });
  return `${input.title} as of ${input.asOf}. ${lines.join(' ')}`;
}

function bars(chartId: string, placed: PlacedRow, top: number, x: (days: number) => number): string {
  const { standard, extended } = placed;
  if (standard.kind !== 'day') return '';
  const parts: string[] = [];
  if (standard.days > 0) {
    parts.push(
      element('rect', {
        x: x(0),
        y: top,
        width: x(standard.days) - x(0),
        height: BAR_HEIGHT,
        fill: STANDARD.background,
        stroke: STANDARD.colour,
        class: 'standard',
      }),
    );
  }
  const from = Math.max(0, standard.days);
  if (extended.kind === 'day' && extended.days > from) {
    parts.push(
      element('rect', {
        x: x(from),
        y: top,
        width: x(extended.days) - x(from),
        height: BAR_HEIGHT,
        fill: `url(#${extendedFill(chartId)})`,
        stroke: EXTENDED.colour,
        class: 'extended',
      }),
    );
  }
  if (standard.days < 0) {
    // Past due: a bold mark on today's line, beside the words that say so.
    parts.push(
      text(PAST_DUE.symbol, {
        x: x(0) + 4,
        y: top + BAR_HEIGHT - 3,
        'font-weight': 700,
        ...HALO,
        fill: PAST_DUE.colour,
      }),
    );
  }
  return parts.join('');
}

function rowMarkup(chartId: string, placed: PlacedRow, top: number, x: (days: number) => number): string {
  const [standard, extended] = rowWords(placed);
  const pastDue = placed.standard.kind === 'day' && placed.standard.days < 0;
  const line = (words: string, y: number, attention: boolean): string =>
    text(fitText(words, CHART_WIDTH - PLOT_LEFT - 6, NOTE_FONT), {
      x: PLOT_LEFT + 6,
      y,
      'font-size': NOTE_FONT,
      ...(attention ? { fill: PAST_DUE.colour, 'font-weight': 600 } : { fill: MUTED }),
    });
  const baseline = top + BAR_HEIGHT - 3;
  return element(
    'g',
    { class: pastDue ? 'row past-due' : 'row' },
    [
      text(fitText(placed.name, LABEL_WIDTH, 12), { x: 0, y: baseline, 'font-weight': 600 }),
      text(fitText(placed.clusters, LABEL_WIDTH, NOTE_FONT), {
        x: 0,
        y: baseline + 16,
        'font-size': NOTE_FONT,
        fill: MUTED,
      }),
      bars(chartId, placed, top, x),
      line(standard, top + BAR_HEIGHT + 14, pastDue),
      line(extended, top + BAR_HEIGHT + 28, false),
    ].join(''),
  );
}

/**
 * The support timeline: one row per minor in use, a plain bar from today to the end of standard
 * support and a hatched one on to the end of extended support, with today's line. The line under
 * each bar says the dates in words, `Past due` once standard support has ended, and why a date is
 * unknown; the description repeats every row.
 */
export function supportTimelineSvg(input: SupportTimelineInput): string {
  const chartId = safeId(input.id);
  if (parseDay(input.asOf) === undefined) {
    throw new RangeError(`timeline chart: asOf is not a YYYY-MM-DD day: ${JSON.stringify(input.asOf)}`);
  }
  const rows: PlacedRow[] = input.rows.map((row) => {
    checkRow(row);
    return {
      name: `${PROVIDER_NAMES[row.provider]} ${row.minor}`,
      clusters: plural(row.clusters, 'cluster'),
      standard: standardEnd(row.endOfStandardSupport, input.asOf),
      extended: extendedEnd(row.endOfExtendedSupport, input.asOf),
    };
  });
  const desc = description(input, rows);
  if (rows.length === 0) {
    return emptyChartSvg({ id: chartId, title: input.title, description: desc }, 'No minor versions in use.');
  }
  const key = legend(
    [
      { swatch: boxSwatch(STANDARD.background, STANDARD.colour), label: 'Standard support (plain)' },
      {
        swatch: boxSwatch(`url(#${extendedFill(chartId)})`, EXTENDED.colour),
        label: 'Extended support (hatched)',
      },
      {
        swatch: element('line', {
          x1: SWATCH / 2,
          x2: SWATCH / 2,
          y1: 0,
          y2: SWATCH,
          stroke: INK,
          'stroke-width': 2,
        }),
        label: `Today, ${input.asOf}`,
      },
      {
        swatch: text(PAST_DUE.symbol, { x: 2, y: SWATCH - 2, 'font-weight': 700, fill: PAST_DUE.colour }),
        label: 'Past due: standard support ended',
      },
    ],
    0,
  );
  const span = spanDays(rows);
  const x = (days: number): number => PLOT_LEFT + (days / span) * PLOT_WIDTH;
  const axisY = key.height + 18;
  const top = axisY + 10;
  const bottom = top + rows.length * ROW_HEIGHT;
  const axis = ticks(input.asOf, span).flatMap(({ day, label }) => {
    const tickX = x(daysBetween(input.asOf, day));
    return [
      element('line', { x1: tickX, x2: tickX, y1: axisY + 4, y2: bottom, stroke: LINE }),
      text(label, { x: tickX, y: axisY, 'text-anchor': 'middle', 'font-size': NOTE_FONT, fill: MUTED }),
    ];
  });
  const today = element('line', {
    x1: x(0),
    x2: x(0),
    y1: axisY - 10,
    y2: bottom,
    stroke: INK,
    'stroke-width': 2,
    class: 'today',
  });
  return chartSvg({
    id: chartId,
    height: bottom + 4,
    title: input.title,
    description: desc,
    defs: fillPattern(extendedFill(chartId), EXTENDED.background, EXTENDED.colour, HATCH),
    body: [
      key.markup,
      ...axis,
      ...rows.map((placed, index) => rowMarkup(chartId, placed, top + index * ROW_HEIGHT, x)),
      today,
    ].join(''),
  });
}

const UNKNOWN_MINOR = 'unknown';

/** `1.29` from `1.29.8-eks-…`, `v1.30.5-gke.100` or `1.30.4`; null when the text has no minor. */
export function minorOf(version: string): string | null {
  const match = /^v?(\d+)\.(\d+)(?:\D|$)/.exec(version);
  return match ? `${Number(match[1])}.${Number(match[2])}` : null;
}

function compareMinors(a: string, b: string): number {
  const parse = (minor: string): readonly number[] =>
    minor === UNKNOWN_MINOR ? [Number.POSITIVE_INFINITY, 0] : minor.split('.').map(Number);
  const [aMajor = 0, aMinor = 0] = parse(a);
  const [bMajor = 0, bMinor = 0] = parse(b);
  return aMajor - bMajor || aMinor - bMinor;
}

function factKey(fact: VersionFact<string | null>): string {
  return 'unknown' in fact ? `unknown:${fact.unknown}` : `value:${fact.value}`;
}

/**
 * The timeline's rows from the run's version intelligence: clusters grouped by provider and minor,
 * oldest minor first, a version that could not be read as minor `unknown` last. Clusters of one
 * minor whose dates differ (live data beside the calendar) get a row per set of dates, so no date
 * is hidden behind another.
 */
export function supportTimelineRows(data: Pick<VersionIntelligence, 'clusters'>): SupportTimelineRow[] {
  const groups = new Map<string, { row: Omit<SupportTimelineRow, 'clusters'>; clusters: number }>();
  for (const facts of data.clusters) {
    const minor = ('value' in facts.version ? minorOf(facts.version.value) : null) ?? UNKNOWN_MINOR;
    const key = [
      facts.provider,
      minor,
      factKey(facts.endOfStandardSupport),
      factKey(facts.endOfExtendedSupport),
    ].join('\u0000');
    const group = groups.get(key);
    if (group) {
      group.clusters += 1;
    } else {
      groups.set(key, {
        clusters: 1,
        row: {
          provider: facts.provider,
          minor,
          endOfStandardSupport: facts.endOfStandardSupport,
          endOfExtendedSupport: facts.endOfExtendedSupport,
        },
      });
    }
  }
  return [...groups.values()]
    .map(({ row, clusters }) => ({ ...row, clusters }))
    .sort(
      (a, b) =>
        PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider) ||
        compareMinors(a.minor, b.minor) ||
        compareText(factKey(a.endOfStandardSupport), factKey(b.endOfStandardSupport)) ||
        compareText(factKey(a.endOfExtendedSupport), factKey(b.endOfExtendedSupport)),
    );
}

function compareText(a: string, b: string): number {
  // Code-unit order: the same on every machine.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
