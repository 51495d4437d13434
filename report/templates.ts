import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** A compiled template: context in, text out. Throws when the template reads a field the context lacks. */
export type CompiledTemplate = (context: object) => string;

/**
 * A compiled template rendered in pieces: the text of `CompiledTemplate`, but each item of an
 * `{{#eachPiece}}` loop is rendered only when the reader gets to it.
 */
export type PieceTemplate = (context: object) => Iterable<string>;

const MARKER = join('templates', 'report.html.hbs');

/**
 * The package root: the nearest directory above this module that holds `templates/`. Walking up
 * finds it both from `report/` (source run through tsx) and from `dist/report/` (after `tsc`).
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, MARKER))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${MARKER} in ${from} or any directory above it`);
    dir = parent;
  }
}

// One instance for the report: helpers and partials registered here never leak into, or depend on,
// the global Handlebars that other code might configure.
const handlebars = Handlebars.create();

/**
 * Handlebars' strict mode checks `{{field}}` but not the arguments of helpers (`{{#if field}}`,
 * `{{md field}}`), which would silently read a misspelt field as undefined. Every helper here
 * refuses undefined instead; the model uses null for a value that is legitimately absent.
 */
function requireDefined(helper: string, value: unknown, options: Handlebars.HelperOptions): void {
  if (value !== undefined) return;
  const loc = (options as { loc?: { start?: { line?: number; column?: number } } }).loc?.start;
  const where = loc ? ` at ${loc.line}:${loc.column}` : '';
  throw new Error(`${helper}: its argument is not defined in the context${where}`);
}

for (const name of ['if', 'unless', 'each', 'with'] as const) {
  const builtin = handlebars.helpers[name];
  if (!builtin) throw new Error(`Handlebars has no built-in ${name} helper`);
  handlebars.registerHelper(
    name,
    function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
      requireDefined(`#${name}`, value, options);
      return builtin.call(this, value, options);
    },
  );
}

/** Line breaks (a run of them is one space), HTML's specials, and Markdown's punctuation. */
const MARKDOWN_SPECIAL = /[\r\n]+|[&<>"]|[\\`*_{}[\]()#+!|~]/g;
const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Markdown-escapes untrusted text for a paragraph or a table cell: line breaks become spaces
 * (a newline would end a table row), HTML is entity-encoded, and the punctuation that starts
 * emphasis, links, code, headings or cells is backslash-escaped. One pass: report.md runs to tens
 * of megabytes.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (match) => {
    const first = match[0];
    if (first === '\r' || first === '\n') return ' ';
    return MARKDOWN_ENTITIES[match] ?? `\\${match}`;
  });
}

/**
 * Untrusted text in monospace for Markdown. An HTML `<code>` element rather than a backtick span:
 * its content is ordinary inline Markdown, so the same escaping applies and no raw `<` from
 * cloud data reaches the file, whatever renderer reads it.
 */
export function markdownCode(text: string): string {
  const escaped = escapeMarkdown(text);
  return escaped === '' ? '' : `<code>${escaped}</code>`;
}

function textOf(value: unknown): string {
  return value === null ? '' : String(value);
}

/** A loop of `{{#eachPiece}}` left for later: its items and how to render one. */
interface DeferredLoop {
  readonly length: number;
  readonly render: (index: number) => string;
}

/**
 * The loops of one render in pieces. Each deferred loop leaves a marker in the text around it;
 * the marker holds a random token of this render, which no data printed by the template can know,
 * so text from a cloud can never pass for a marker.
 */
class DeferredLoops {
  private readonly token = randomUUID();
  private readonly loops = new Map<number, DeferredLoop>();
  private next = 0;
  readonly markers = new RegExp(`\u0000${this.token}:(\\d+)\u0000`, 'g');

  defer(loop: DeferredLoop): string {
    const id = this.next;
    this.next += 1;
    this.loops.set(id, loop);
    return `\u0000${this.token}:${id}\u0000`;
  }

  /** The loop of a marker, once: a marker is expanded where it stands and nowhere else. */
  take(id: number): DeferredLoop {
    const loop = this.loops.get(id);
    if (!loop) throw new Error(`no deferred loop ${id} in this render`);
    this.loops.delete(id);
    return loop;
  }
}

/** The data variable that carries a render's deferred loops into helpers and partials. */
const DEFERRED_LOOPS = 'kubelineDeferredLoops';

const builtinEach = handlebars.helpers.each;
if (!builtinEach) throw new Error('Handlebars has no built-in each helper');

/**
 * `{{#eachPiece items}}`: `{{#each}}` over an array that grows with the estate (clusters,
 * findings, scopes). A whole render prints it as `each` does; a render in pieces leaves a marker
 * and renders each item, with the same `@index`, `@first` and `@last`, when the text reaches it.
 * An item is rendered after the template around it has returned, so its body must not call an
 * inline partial (`{{#*inline}}`) of that template: such a call fails loudly; use a partial file.
 */
handlebars.registerHelper(
  'eachPiece',
  function (this: unknown, items: unknown, options: Handlebars.HelperOptions) {
    requireDefined('#eachPiece', items, options);
    const data = options.data as Record<string, unknown> | undefined;
    const loops = data?.[DEFERRED_LOOPS];
    if (!(loops instanceof DeferredLoops) || !Array.isArray(items) || items.length === 0) {
      return builtinEach.call(this, items, options);
    }
    return loops.defer({
      length: items.length,
      render: (index) => {
        const frame = handlebars.createFrame(data);
        Object.assign(frame, { key: index, index, first: index === 0, last: index === items.length - 1 });
        return options.fn(items[index], { data: frame, blockParams: [items[index], index] });
      },
    });
  },
);

/** The text of a render with its deferred loops, each item rendered (and expanded) in turn. */
function* expandLoops(text: string, loops: DeferredLoops): Generator<string, void, undefined> {
  let from = 0;
  for (const marker of text.matchAll(loops.markers)) {
    if (marker.index > from) yield text.slice(from, marker.index);
    const loop = loops.take(Number(marker[1]));
    for (let index = 0; index < loop.length; index += 1) yield* expandLoops(loop.render(index), loops);
    from = marker.index + marker[0].length;
  }
  if (from < text.length) yield text.slice(from);
}

handlebars.registerHelper('md', (value: unknown, options: Handlebars.HelperOptions) => {
  requireDefined('md', value, options);
  return new handlebars.SafeString(escapeMarkdown(textOf(value)));
});

handlebars.registerHelper('mdCode', (value: unknown, options: Handlebars.HelperOptions) => {
  requireDefined('mdCode', value, options);
  return new handlebars.SafeString(markdownCode(textOf(value)));
});

// Evidence as JSON text, made when printed: a 5,000-cluster model holding a copy per field would
// keep tens of megabytes of strings alive through every format.
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  // Only the helpers above exist: a misspelt helper fails at compile time, not as a field lookup.
  knownHelpersOnly: true,
  knownHelpers: { md: true, mdCode: true, eachPiece: true, json: true },
};

/** Compiles a template on the report's Handlebars instance: strict, with the report's helpers and partials. */
export function compileTemplate(source: string): CompiledTemplate {
  const template = handlebars.compile(source, COMPILE_OPTIONS);
  return (context) => template(context);
}

let partialsLoaded = false;

function loadPartials(root: string): void {
  if (partialsLoaded) return;
  const dir = join(root, 'templates', 'partials');
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.hbs')) continue;
    // A partial's final newline would split a Markdown table row it is used inside.
    const source = readFileSync(join(dir, file), 'utf8').replace(/\r?\n$/, '');
    handlebars.registerPartial(basename(file, '.hbs'), handlebars.compile(source, COMPILE_OPTIONS));
  }
  partialsLoaded = true;
}

const loaded = new Map<string, HandlebarsTemplateDelegate>();

/** The compiled template `templates/<name>`, read and compiled once per process. */
export function reportTemplate(name: string): CompiledTemplate {
  const template = cachedTemplate(name, COMPILE_OPTIONS);
  return (context) => template(context);
}

/**
 * The compiled template `templates/<name>`, rendered in pieces: the same text as
 * `reportTemplate(name)`, but no piece holds more than one item of an `{{#eachPiece}}` loop, so
 * a large estate's document is never whole in memory.
 */
export function reportTemplatePieces(name: string): PieceTemplate {
  return inPieces(cachedTemplate(name, COMPILE_OPTIONS));
}

/** Compiles a template to render in pieces (see `reportTemplatePieces`). */
export function compileTemplatePieces(source: string): PieceTemplate {
  return inPieces(handlebars.compile(source, COMPILE_OPTIONS));
}

/** Renders a template with its `{{#eachPiece}}` loops deferred; each iteration renders anew. */
function inPieces(template: HandlebarsTemplateDelegate): PieceTemplate {
  return (context) => ({
    *[Symbol.iterator]() {
      const loops = new DeferredLoops();
      yield* expandLoops(template(context, { data: { [DEFERRED_LOOPS]: loops } }), loops);
    },
  });
}

/**
 * The compiled plain-text template `templates/<name>` (an email's text part): the same strict
 * checks, but no HTML escaping, so a reader never sees `&amp;`. What it prints must not be HTML.
 */
export function plainTextTemplate(name: string): CompiledTemplate {
  const template = cachedTemplate(name, { ...COMPILE_OPTIONS, noEscape: true });
  return (context) => template(context);
}

function cachedTemplate(name: string, options: CompileOptions): HandlebarsTemplateDelegate {
  const cached = loaded.get(name);
  if (cached) return cached;
  const root = packageRoot();
  loadPartials(root);
  const template = handlebars.compile(readFileSync(join(root, 'templates', name), 'utf8'), options);
  loaded.set(name, template);
  return template;
}
