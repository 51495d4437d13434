import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** A compiled template: context in, text out. Throws when the template reads a field the context lacks. */
export type CompiledTemplate = (context: object) => string;

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

const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+!|~]/g;

/**
 * Markdown-escapes untrusted text for a paragraph or a table cell: line breaks become spaces
 * (a newline would end a table row), HTML is entity-encoded, and the punctuation that starts
 * emphasis, links, code, headings or cells is backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(MARKDOWN_PUNCTUATION, '\\$&');
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

handlebars.registerHelper('md', (value: unknown, options: Handlebars.HelperOptions) => {
  requireDefined('md', value, options);
  return new handlebars.SafeString(escapeMarkdown(textOf(value)));
});

handlebars.registerHelper('mdCode', (value: unknown, options: Handlebars.HelperOptions) => {
  requireDefined('mdCode', value, options);
  return new handlebars.SafeString(markdownCode(textOf(value)));
});

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  // Only the helpers above exist: a misspelt helper fails at compile time, not as a field lookup.
  knownHelpersOnly: true,
  knownHelpers: { md: true, mdCode: true },
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

const loaded = new Map<string, CompiledTemplate>();

/** The compiled template `templates/<name>`, read and compiled once per process. */
export function reportTemplate(name: string): CompiledTemplate {
  return cachedTemplate(name, COMPILE_OPTIONS);
}

/**
 * The compiled plain-text template `templates/<name>` (an email's text part): the same strict
 * checks, but no HTML escaping, so a reader never sees `&amp;`. What it prints must not be HTML.
 */
export function plainTextTemplate(name: string): CompiledTemplate {
  return cachedTemplate(name, { ...COMPILE_OPTIONS, noEscape: true });
}

function cachedTemplate(name: string, options: CompileOptions): CompiledTemplate {
  const cached = loaded.get(name);
  if (cached) return cached;
  const root = packageRoot();
  loadPartials(root);
  const template = handlebars.compile(readFileSync(join(root, 'templates', name), 'utf8'), options);
  const compiled: CompiledTemplate = (context) => template(context);
  loaded.set(name, compiled);
  return compiled;
}
