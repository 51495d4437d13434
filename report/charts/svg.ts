import { xmlAttribute, xmlText } from '../junit.js';

/** The charts' user units: every chart is this wide, and scales with the CSS width of its box. */
export const CHART_WIDTH = 800;

/** Ink colours of the report's stylesheet, so a chart reads like the tables around it. */
export const INK = '#1b1f24';
export const MUTED = '#5b6470';
export const LINE = '#d5dae1';

/** A white outline drawn under text, so text stays legible on a patterned fill. */
export const HALO = {
  stroke: '#ffffff',
  'stroke-width': 3,
  'stroke-linejoin': 'round',
  'paint-order': 'stroke',
} as const;

const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif';
/**
 * An average glyph width of Latin text in the system sans-serif, as a share of the font size. Wider
 * scripts can overflow a cut label; the chart's description still carries the whole text.
 */
const GLYPH_WIDTH = 0.62;

/** A coordinate or length with at most two decimals: the same text on every machine. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** `12,345`: thousands separators without depending on the runtime's locale data. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 run`, `3 runs`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** The width text of `fontSize` takes at most, estimated from its length in code points. */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * GLYPH_WIDTH;
}

/** Text cut to fit `width` at `fontSize`, ending in `…` when cut; whole code points only. */
export function fitText(text: string, width: number, fontSize: number): string {
  const points = [...text];
  const room = Math.max(1, Math.floor(width / (fontSize * GLYPH_WIDTH)));
  return points.length <= room ? text : `${points.slice(0, room - 1).join('')}…`;
}

/** A chart's id reduced to characters safe in an XML id and a URL fragment. */
export function safeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '-');
  // An id must not start with a digit or hyphen to be usable as a CSS selector too.
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `chart-${cleaned}`;
}

/** An element with escaped attribute values; `body` must already be markup. */
export function element(
  name: string,
  attributes: Readonly<Record<string, string | number>>,
  body: string | null = null,
): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xmlAttribute(typeof value === 'number' ? num(value) : value)}"`)
    .join('');
  return body === null ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${body}</${name}>`;
}

/** A text element; `content` is escaped. */
export function text(
  content: string,
  attributes: Readonly<Record<string, string | number>> & { readonly x: number; readonly y: number },
): string {
  return element('text', attributes, xmlText(content));
}

/** What every chart frame needs. */
export interface ChartFrame {
  /** Unique in the page: ids inside the chart (title, description, patterns) derive from it. */
  readonly id: string;
  readonly height: number;
  /** The chart's name, read first by assistive technology and shown as a tooltip. */
  readonly title: string;
  /** Every number the chart shows, in sentences: the chart's text alternative. */
  readonly description: string;
  /** Pattern and marker definitions. */
  readonly defs: string;
  readonly body: string;
}

/**
 * The outer `<svg>`: an image to assistive technology, named by its title and described by its
 * description, with a fixed viewBox and a width of 100% so it scales with its box and prints.
 */
export function chartSvg(frame: ChartFrame): string {
  const id = safeId(frame.id);
  const defs = frame.defs === '' ? '' : `<defs>${frame.defs}</defs>`;
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'chart',
      id,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      viewBox: `0 0 ${CHART_WIDTH} ${num(frame.height)}`,
      width: '100%',
      'font-family': FONT_FAMILY,
      'font-size': 12,
      fill: INK,
    },
    `${element('title', { id: `${id}-title` }, xmlText(frame.title))}${element(
      'desc',
      { id: `${id}-desc` },
      xmlText(frame.description),
    )}${defs}${frame.body}`,
  );
}

/** A chart with nothing to plot: the frame, its title and description, and one line saying why. */
export function emptyChartSvg(
  frame: Pick<ChartFrame, 'id' | 'title' | 'description'>,
  message: string,
): string {
  return chartSvg({ ...frame, height: 40, defs: '', body: text(message, { x: 0, y: 24, fill: MUTED }) });
}

/** One entry of a legend: a swatch and the words it stands for. */
export interface LegendItem {
  /** Markup drawn in a 14×14 box at the origin. */
  readonly swatch: string;
  readonly label: string;
}

/** Size of a legend swatch. */
export const SWATCH = 14;
const LEGEND_FONT = 12;
const LEGEND_LINE = 22;

/** A plain swatch: a filled, outlined square. */
export function boxSwatch(fill: string, stroke: string): string {
  return element('rect', { x: 0.5, y: 0.5, width: SWATCH - 1, height: SWATCH - 1, fill, stroke });
}

/** A legend that wraps onto further lines at the chart's width; returns its markup and height. */
export function legend(
  items: readonly LegendItem[],
  top: number,
): { readonly markup: string; readonly height: number } {
  let x = 0;
  let y = top;
  const parts: string[] = [];
  for (const item of items) {
    const width = SWATCH + 6 + textWidth(item.label, LEGEND_FONT) + 18;
    if (x > 0 && x + width > CHART_WIDTH) {
      x = 0;
      y += LEGEND_LINE;
    }
    parts.push(
      element('g', { transform: `translate(${num(x)},${num(y)})` }, item.swatch),
      text(item.label, { x: x + SWATCH + 6, y: y + SWATCH - 2, 'font-size': LEGEND_FONT }),
    );
    x += width;
  }
  return { markup: element('g', { class: 'legend' }, parts.join('')), height: y - top + LEGEND_LINE };
}
