import assert from 'node:assert/strict';

/** One element of a chart, with its attributes decoded. */
export interface SvgElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The decoded text directly inside it. */
  readonly text: string;
}

/** The elements a chart may contain: anything else (a `<script>`, a `<foreignObject>`) is an injection. */
const ALLOWED = new Set([
  'svg',
  'title',
  'desc',
  'defs',
  'pattern',
  'rect',
  'path',
  'line',
  'polyline',
  'text',
  'g',
]);
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const TOKEN = /<(\/?)([A-Za-z]+)((?:\s+[A-Za-z][A-Za-z0-9:-]*="[^"<>]*")*)\s*(\/?)>|([^<>]+)/y;
const ATTRIBUTE = /([A-Za-z][A-Za-z0-9:-]*)="([^"<>]*)"/g;

/** Decodes the entities an escaped chart uses. */
export function decode(escaped: string): string {
  return escaped.replace(ENTITY, (entity) => {
    const named: Record<string, string> = {
      '&amp;': '&',
      '&lt;': '<',
      '&gt;': '>',
      '&quot;': '"',
      '&apos;': "'",
    };
    if (entity in named) return named[entity] as string;
    const code = entity.startsWith('&#x')
      ? Number.parseInt(entity.slice(3), 16)
      : Number(entity.slice(2, -1));
    return String.fromCodePoint(code);
  });
}

function assertEscaped(raw: string): void {
  assert.equal(raw.replace(ENTITY, '').includes('&'), false, `a bare & in ${JSON.stringify(raw)}`);
}

/**
 * Reads a chart strictly: one `<svg>` root, balanced tags, only chart elements, quoted attributes
 * free of `<`, `>` and `"`, every `&` an entity. Throws on anything else, so a hostile string that
 * broke out of its text or attribute fails the test.
 */
export function readSvg(svg: string): SvgElement[] {
  const elements: { name: string; attributes: Record<string, string>; text: string }[] = [];
  const open: { name: string; attributes: Record<string, string>; text: string }[] = [];
  let roots = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < svg.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(svg);
    assert.ok(match, `malformed markup at ${at}: ${JSON.stringify(svg.slice(at, at + 60))}`);
    const [, closing, name, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      assertEscaped(text);
      const parent = open.at(-1);
      assert.ok(parent, 'text outside the root element');
      parent.text += decode(text);
      continue;
    }
    assert.ok(name !== undefined && ALLOWED.has(name), `element <${name}> is not a chart element`);
    if (closing === '/') {
      assert.equal(open.pop()?.name, name, `</${name}> closes another element`);
      continue;
    }
    if (open.length === 0) roots += 1;
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
      assertEscaped(value as string);
      attributes[key as string] = decode(value as string);
    }
    const element = { name, attributes, text: '' };
    elements.push(element);
    if (selfClosing !== '/') open.push(element);
  }
  assert.equal(open.length, 0, 'unclosed elements');
  assert.equal(roots, 1, 'more than one root element');
  assert.equal(elements[0]?.name, 'svg');
  return elements;
}

/** The decoded `<desc>` of a chart. */
export function descriptionOf(svg: string): string {
  const desc = readSvg(svg).find((element) => element.name === 'desc');
  assert.ok(desc, 'the chart has no <desc>');
  return desc.text;
}

/** The decoded `<title>` of a chart. */
export function titleOf(svg: string): string {
  const title = readSvg(svg).find((element) => element.name === 'title');
  assert.ok(title, 'the chart has no <title>');
  return title.text;
}

/** The decoded contents of every `<text>` element, in document order. */
export function textsOf(svg: string): string[] {
  return readSvg(svg)
    .filter((element) => element.name === 'text')
    .map((element) => element.text);
}

/** Elements of a name whose `class` includes `className`. */
export function withClass(svg: string, name: string, className: string): SvgElement[] {
  return readSvg(svg).filter(
    (element) => element.name === name && (element.attributes.class ?? '').split(' ').includes(className),
  );
}

/**
 * Strings that try to break out of a text node or an attribute, and characters XML cannot carry.
 */
export const HOSTILE = [
  '</svg><script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "' onload='alert(1)",
  '<![CDATA[x]]>',
  '&lt;already escaped&gt; & bare &',
  '<foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject>',
  'nul\u0000 and bell\u0007 and lone \ud800 surrogate',
  '',
] as const;

/** The common checks on every chart: its frame, and that it reads as an image with a name and description. */
export function assertChartFrame(svg: string, id: string): void {
  const [root] = readSvg(svg);
  assert.ok(root);
  assert.equal(root.attributes.role, 'img');
  assert.equal(root.attributes.id, id);
  assert.equal(root.attributes['aria-labelledby'], `${id}-title ${id}-desc`);
  assert.match(root.attributes.viewBox ?? '', /^0 0 800 \d+(\.\d+)?$/);
  assert.equal(root.attributes.width, '100%');
  assert.equal(svg.endsWith('</svg>'), true);
  assert.equal(svg.indexOf('</svg>'), svg.length - '</svg>'.length, 'the root closes only at the end');
}
