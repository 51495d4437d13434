import type { Status } from '../../model/finding.js';
import { element } from './svg.js';

/** Strokes of diagonal hatching in an 8×8 tile: the `fail` pattern, and extended support's. */
export const HATCH = 'M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6';

/** How a status looks: the report stylesheet's colours, plus a symbol and a fill pattern for print. */
export interface StatusLook {
  /** `Fail`. */
  readonly label: string;
  /** One character that tells the status apart without colour. */
  readonly symbol: string;
  /** The text and outline colour (`--fail` in the stylesheet). */
  readonly colour: string;
  /** The light background (`--fail-bg`), dark enough to see and light enough to print text on. */
  readonly background: string;
  /** The pattern's strokes in a 8×8 tile; empty: a plain fill. */
  readonly pattern: string;
}

/**
 * Every status's look. The shapes differ as much as the colours do, so a black-and-white print or
 * a reader who cannot tell red from green still tells `fail` from `pass`.
 */
export const STATUS_LOOKS: Readonly<Record<Status, StatusLook>> = {
  fail: {
    label: 'Fail',
    symbol: '✗',
    colour: '#b42318',
    background: '#fde8e6',
    pattern: HATCH,
  },
  error: {
    label: 'Error',
    symbol: '!',
    colour: '#8a2be2',
    background: '#f1e6fd',
    pattern: 'M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2 M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6',
  },
  unknown: {
    label: 'Unknown',
    symbol: '?',
    colour: '#9a5b00',
    background: '#fff1d6',
    pattern: 'M3,4 a1,1 0 1,0 2,0 a1,1 0 1,0 -2,0',
  },
  waived: {
    label: 'Waived',
    symbol: '⊘',
    colour: '#45617d',
    background: '#e4ecf4',
    pattern: 'M0,4 H8',
  },
  pass: { label: 'Pass', symbol: '✓', colour: '#1e7b34', background: '#e3f4e7', pattern: '' },
  not_applicable: {
    label: 'Not applicable',
    symbol: '–',
    colour: '#5b6470',
    background: '#eceff3',
    pattern: 'M4,0 V8',
  },
};

/** The id of a status's fill pattern inside the chart `chartId`. */
export function patternId(chartId: string, status: Status): string {
  return `${chartId}-fill-${status}`;
}

/** A fill pattern: `strokes` (8×8 tile path data; empty for none) in `colour` over `background`. */
export function fillPattern(id: string, background: string, colour: string, strokes: string): string {
  const lines =
    strokes === '' ? '' : element('path', { d: strokes, stroke: colour, 'stroke-width': 1.2, fill: 'none' });
  return element(
    'pattern',
    { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse' },
    `${element('rect', { width: 8, height: 8, fill: background })}${lines}`,
  );
}

/** The fill pattern of each of `statuses`, for a chart's `<defs>`. */
export function statusPatterns(chartId: string, statuses: readonly Status[]): string {
  return statuses
    .map((status) => {
      const look = STATUS_LOOKS[status];
      return fillPattern(patternId(chartId, status), look.background, look.colour, look.pattern);
    })
    .join('');
}
