import { STATUSES, type Status } from '../../model/finding.js';
import { patternId, STATUS_LOOKS, statusPatterns } from './status.js';
import {
  boxSwatch,
  CHART_WIDTH,
  chartSvg,
  element,
  emptyChartSvg,
  fitText,
  formatCount,
  HALO,
  legend,
  MUTED,
  plural,
  safeId,
  text,
  textWidth,
} from './svg.js';

/** One bar: a group of findings (a provider, a side of the responsibility line, a check area). */
export interface OutcomeGroup {
  readonly label: string;
  /** Findings per status; a missing status counts 0. A `StatusTally.byStatus` fits as it is. */
  readonly counts: Readonly<Partial<Record<Status, number>>>;
}

/**
 * How bar lengths compare: `count` draws each bar in proportion to its group's findings (the
 * largest spans the plot), `share` draws every bar full length, so only the mix of outcomes shows.
 */
export type OutcomeScale = 'count' | 'share';

/** A stacked bar chart of outcomes per group. */
export interface OutcomeBarsInput {
  /** Unique in the page; the ids inside the chart derive from it. */
  readonly id: string;
  /** `Outcome by provider`. */
  readonly title: string;
  /** In the order to draw them, top to bottom. */
  readonly groups: readonly OutcomeGroup[];
  /** Defaults to `count`. */
  readonly scale?: OutcomeScale;
}

const LABEL_WIDTH = 170;
const PLOT_LEFT = 180;
/** Room kept right of the longest bar for its total. */
const TOTAL_ROOM = 64;
const PLOT_WIDTH = CHART_WIDTH - PLOT_LEFT - TOTAL_ROOM;
const BAR_HEIGHT = 22;
const ROW_HEIGHT = 56;
const SEGMENT_FONT = 11;
const SUMMARY_FONT = 11;

interface GroupCounts {
  readonly label: string;
  readonly counts: readonly { readonly status: Status; readonly count: number }[];
  readonly total: number;
}

function checkedCounts(group: OutcomeGroup): GroupCounts {
  const counts = STATUSES.map((status) => {
    const count = group.counts[status] ?? 0;
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(
        `outcome chart: ${status} of ${JSON.stringify(group.label)} is not a count: ${count}`,
      );
    }
    return { status, count };
  });
  return { label: group.label, counts, total: counts.reduce((sum, entry) => sum + entry.count, 0) };
}

/** `3 fail, 1 unknown`, with lower-case labels; `no findings` when all are zero. */
function countsInWords(group: GroupCounts): string {
  const parts = group.counts
    .filter((entry) => entry.count > 0)
    .map((entry) => `${formatCount(entry.count)} ${STATUS_LOOKS[entry.status].label.toLowerCase()}`);
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/** The same with each status's symbol, for the line under a bar. */
function countsWithSymbols(group: GroupCounts): string {
  const parts = group.counts
    .filter((entry) => entry.count > 0)
    .map((entry) => {
      const look = STATUS_LOOKS[entry.status];
      return `${look.symbol} ${formatCount(entry.count)} ${look.label.toLowerCase()}`;
    });
  return parts.length === 0 ? 'No findings' : parts.join(' · ');
}

function description(title: string, groups: readonly GroupCounts[]): string {
  if (groups.length === 0) return `${title}: no groups to show.`;
  const total = groups.reduce((sum, group) => sum + group.total, 0);
  const lines = groups.map(
    (group) => `${group.label}: ${countsInWords(group)} (${plural(group.total, 'finding')}).`,
  );
  return `${title}. ${lines.join(' ')} In all ${plural(total, 'finding')}.`;
}

/** The in-bar text that fits a segment: symbol and count, the symbol alone, or nothing. */
function segmentLabel(symbol: string, count: number, width: number): string | null {
  const full = `${symbol} ${formatCount(count)}`;
  if (textWidth(full, SEGMENT_FONT) + 6 <= width) return full;
  return textWidth(symbol, SEGMENT_FONT) + 4 <= width ? symbol : null;
}

function bar(chartId: string, group: GroupCounts, top: number, length: number): string {
  const parts: string[] = [];
  let before = 0;
  for (const { status, count } of group.counts) {
    if (count === 0) continue;
    // Edges from cumulative counts, so rounding never opens a gap or overlaps two segments.
    const start = PLOT_LEFT + (before / group.total) * length;
    before += count;
    const end = PLOT_LEFT + (before / group.total) * length;
    const look = STATUS_LOOKS[status];
    parts.push(
      element('rect', {
        x: start,
        y: top,
        width: end - start,
        height: BAR_HEIGHT,
        fill: `url(#${patternId(chartId, status)})`,
        stroke: look.colour,
        class: `segment segment-${status}`,
      }),
    );
    const label = segmentLabel(look.symbol, count, end - start);
    if (label !== null) {
      parts.push(
        text(label, {
          x: (start + end) / 2,
          y: top + BAR_HEIGHT / 2 + 4,
          'text-anchor': 'middle',
          'font-size': SEGMENT_FONT,
          'font-weight': 600,
          ...HALO,
        }),
      );
    }
  }
  return parts.join('');
}

function barLength(total: number, largest: number, scale: OutcomeScale): number {
  if (total === 0) return 0;
  return scale === 'share' ? PLOT_WIDTH : (total / largest) * PLOT_WIDTH;
}

function row(chartId: string, group: GroupCounts, top: number, length: number): string {
  const labelY = top + BAR_HEIGHT / 2 + 4;
  const totalText = text(formatCount(group.total), {
    x: PLOT_LEFT + length + 6,
    y: labelY,
    'font-weight': 600,
  });
  return element(
    'g',
    { class: 'row' },
    [
      text(fitText(group.label, LABEL_WIDTH, 12), { x: 0, y: labelY }),
      group.total === 0
        ? element('rect', {
            x: PLOT_LEFT,
            y: top,
            width: 1,
            height: BAR_HEIGHT,
            fill: MUTED,
          })
        : bar(chartId, group, top, length),
      totalText,
      text(fitText(countsWithSymbols(group), CHART_WIDTH - PLOT_LEFT, SUMMARY_FONT), {
        x: PLOT_LEFT,
        y: top + BAR_HEIGHT + 15,
        'font-size': SUMMARY_FONT,
        fill: MUTED,
      }),
    ].join(''),
  );
}

/**
 * Groups with one label merged into one, counts added, in the order labels first appear: the
 * check areas from per-check counts (`byCheck` as `{ label: categoryLabel, counts: tally.byStatus }`).
 */
export function mergeOutcomeGroups(groups: readonly OutcomeGroup[]): OutcomeGroup[] {
  const merged = new Map<string, Partial<Record<Status, number>>>();
  for (const group of groups) {
    const counts = merged.get(group.label) ?? {};
    for (const status of STATUSES) counts[status] = (counts[status] ?? 0) + (group.counts[status] ?? 0);
    merged.set(group.label, counts);
  }
  return [...merged].map(([label, counts]) => ({ label, counts }));
}

/**
 * Stacked horizontal bars of outcome counts, one bar per group. Each segment has its status's
 * pattern, and its symbol and count when they fit; the line under each bar and the description
 * carry every count, so nothing rests on colour.
 */
export function outcomeBarsSvg(input: OutcomeBarsInput): string {
  const chartId = safeId(input.id);
  const groups = input.groups.map(checkedCounts);
  const scale = input.scale ?? 'count';
  const present = STATUSES.filter((status) =>
    groups.some((group) => group.counts.some((entry) => entry.status === status && entry.count > 0)),
  );
  const largest = Math.max(0, ...groups.map((group) => group.total));
  const desc = description(input.title, groups);
  if (largest === 0) {
    const message = groups.length === 0 ? 'No groups to show.' : 'No findings to show.';
    return emptyChartSvg({ id: chartId, title: input.title, description: desc }, message);
  }
  const key = legend(
    present.map((status) => ({
      swatch: boxSwatch(`url(#${patternId(chartId, status)})`, STATUS_LOOKS[status].colour),
      label: `${STATUS_LOOKS[status].symbol} ${STATUS_LOOKS[status].label}`,
    })),
    0,
  );
  const rows = groups.map((group, index) =>
    row(chartId, group, key.height + 8 + index * ROW_HEIGHT, barLength(group.total, largest, scale)),
  );
  return chartSvg({
    id: chartId,
    height: key.height + 8 + groups.length * ROW_HEIGHT,
    title: input.title,
    description: desc,
    defs: statusPatterns(chartId, present),
    body: `${key.markup}${rows.join('')}`,
  });
}
