/**
 * Enough of the Cloud Logging query language to tell what a log-based metric's filter selects:
 * a parser, and an evaluator that runs a parsed query against a sample log entry.
 *
 * What it follows (https://cloud.google.com/logging/docs/view/logging-query-language):
 * - Boolean operators are upper-case `AND`, `OR`, `NOT`; a leading `-` is `NOT`; terms side by
 *   side are ANDed; `NOT` binds tightest, then `OR`, then `AND` (`a OR b c` is `(a OR b) AND c`).
 * - Comparisons `field OP value` with `=`, `!=`, `:` (has: substring; `field:*` is presence),
 *   `<`, `<=`, `>`, `>=`, `=~` and `!~` (regular expressions); value groups
 *   (`resource.type = ("k8s_cluster" OR "gce_instance")`); bare values (global restrictions:
 *   any field has the text); `log_id("…")`; `--` comments.
 * - Text comparisons ignore case, regular expressions do not; a field path matches through
 *   repeated fields (any element); a comparison on a missing field is false.
 *
 * What it refuses, so that a metric it cannot read is never taken as read: other functions
 * (`sample`, `ip_in_net`, `SEARCH`…), regular expressions JavaScript cannot run safely (a
 * repeated group, or a syntax RE2 has and JavaScript lacks), nesting deeper than 64, and queries
 * longer than the 20,000 characters Cloud Logging accepts.
 */

/** Three-valued truth: a sample entry can leave a field open (its severity, its method). */
export type Truth = boolean | 'unknown';

type Operator = '=' | '!=' | ':' | '<' | '<=' | '>' | '>=' | '=~' | '!~';

/** A parsed query. */
export type LoggingQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'and' | 'or'; readonly terms: readonly LoggingQuery[] }
  | { readonly kind: 'not'; readonly term: LoggingQuery }
  | {
      readonly kind: 'compare';
      readonly field: readonly string[];
      readonly operator: Operator;
      readonly value: string;
      readonly pattern?: RegExp;
    }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'logId'; readonly value: string };

/** A query kubeline cannot evaluate, and why. */
export class UnsupportedQuery extends Error {
  override readonly name = 'UnsupportedQuery';
}

/** Cloud Logging's own limit on the length of a query. */
export const MAX_QUERY_LENGTH = 20_000;
const MAX_DEPTH = 64;
const MAX_PATTERN_LENGTH = 1_000;

type Token =
  | { readonly kind: 'open'; readonly adjacent: boolean }
  | { readonly kind: 'close' }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'operator'; readonly text: Operator }
  | { readonly kind: 'minus' };

const OPERATORS: readonly Operator[] = ['!=', '<=', '>=', '=~', '!~', '=', ':', '<', '>'];
const WORD_END = /[\s()"=!:<>~]/;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
    } else if (query.startsWith('--', index)) {
      const end = query.indexOf('\n', index);
      index = end < 0 ? query.length : end + 1;
    } else if (char === '(') {
      const before = query[index - 1];
      tokens.push({ kind: 'open', adjacent: before !== undefined && !WORD_END.test(before) });
      index += 1;
    } else if (char === ')') {
      tokens.push({ kind: 'close' });
      index += 1;
    } else if (char === '"') {
      let text = '';
      let cursor = index + 1;
      for (;;) {
        const next = query[cursor];
        if (next === undefined) throw new UnsupportedQuery('a quoted string is not closed');
        if (next === '"') break;
        if (next === '\\') {
          const escaped = query[cursor + 1];
          if (escaped === undefined) throw new UnsupportedQuery('a quoted string is not closed');
          text += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
          cursor += 2;
        } else {
          text += next;
          cursor += 1;
        }
      }
      tokens.push({ kind: 'string', text });
      index = cursor + 1;
    } else if (char === '-' && tokens.at(-1)?.kind !== 'operator') {
      tokens.push({ kind: 'minus' });
      index += 1;
    } else {
      const operator = OPERATORS.find((candidate) => query.startsWith(candidate, index));
      if (operator !== undefined) {
        tokens.push({ kind: 'operator', text: operator });
        index += operator.length;
      } else if (char === '~' || char === '!') {
        throw new UnsupportedQuery(`unexpected ${JSON.stringify(char)}`);
      } else {
        let end = index;
        while (end < query.length && !WORD_END.test(query[end] ?? '')) end += 1;
        tokens.push({ kind: 'word', text: query.slice(index, end) });
        index = end;
      }
    }
  }
  return tokens;
}

/**
 * A regular expression that is safe to run: JavaScript backtracks, RE2 does not, so a repeated
 * group (`(a+)+`, `(x|y)*`) could take exponential time on a hostile pattern and is refused.
 */
function compilePattern(source: string): RegExp {
  if (source.length > MAX_PATTERN_LENGTH) throw new UnsupportedQuery('a regular expression is too long');
  if (/\)[*+?{]/.test(source)) {
    throw new UnsupportedQuery(`the regular expression ${JSON.stringify(source)} repeats a group`);
  }
  try {
    return new RegExp(source, 'u');
  } catch {
    throw new UnsupportedQuery(`the regular expression ${JSON.stringify(source)} is not understood`);
  }
}

class Parser {
  #position = 0;
  readonly #tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  get done(): boolean {
    return this.#position >= this.#tokens.length;
  }

  #peek(offset = 0): Token | undefined {
    return this.#tokens[this.#position + offset];
  }

  #take(): Token {
    const token = this.#tokens[this.#position];
    if (token === undefined) throw new UnsupportedQuery('the query ends too early');
    this.#position += 1;
    return token;
  }

  #isKeyword(token: Token | undefined, keyword: 'AND' | 'OR' | 'NOT'): boolean {
    return token?.kind === 'word' && token.text === keyword;
  }

  /** Terms until a closing parenthesis or the end, ANDed; `atom` reads one operand. */
  sequence(depth: number, atom: (depth: number) => LoggingQuery): LoggingQuery {
    if (depth > MAX_DEPTH) throw new UnsupportedQuery(`the query nests deeper than ${MAX_DEPTH}`);
    const terms: LoggingQuery[] = [];
    while (!this.done && this.#peek()?.kind !== 'close') {
      if (this.#isKeyword(this.#peek(), 'AND')) {
        if (terms.length === 0) throw new UnsupportedQuery('AND has nothing on its left');
        this.#take();
        if (this.done || this.#peek()?.kind === 'close')
          throw new UnsupportedQuery('AND has nothing on its right');
      }
      terms.push(this.#disjunction(depth, atom));
    }
    if (terms.length === 0) return { kind: 'all' };
    return terms.length === 1 ? (terms[0] as LoggingQuery) : { kind: 'and', terms };
  }

  #disjunction(depth: number, atom: (depth: number) => LoggingQuery): LoggingQuery {
    const terms = [this.#unary(depth, atom)];
    while (this.#isKeyword(this.#peek(), 'OR')) {
      this.#take();
      terms.push(this.#unary(depth, atom));
    }
    return terms.length === 1 ? (terms[0] as LoggingQuery) : { kind: 'or', terms };
  }

  #unary(depth: number, atom: (depth: number) => LoggingQuery): LoggingQuery {
    const token = this.#peek();
    if (this.#isKeyword(token, 'NOT') || token?.kind === 'minus') {
      this.#take();
      if (depth > MAX_DEPTH) throw new UnsupportedQuery(`the query nests deeper than ${MAX_DEPTH}`);
      return { kind: 'not', term: this.#unary(depth + 1, atom) };
    }
    if (this.#isKeyword(token, 'AND') || this.#isKeyword(token, 'OR')) {
      throw new UnsupportedQuery(`${(token as { text: string }).text} has nothing on its left`);
    }
    return atom(depth);
  }

  #group(inside: () => LoggingQuery): LoggingQuery {
    this.#take();
    const result = inside();
    if (this.#peek()?.kind !== 'close') throw new UnsupportedQuery('a parenthesis is not closed');
    this.#take();
    if (result.kind === 'all') throw new UnsupportedQuery('empty parentheses');
    return result;
  }

  /** One operand of the query: a group, a comparison, a function or a bare value. */
  readonly term = (depth: number): LoggingQuery => {
    const token = this.#peek();
    if (token?.kind === 'open') return this.#group(() => this.sequence(depth + 1, this.term));
    if (token?.kind === 'close' || token === undefined) throw new UnsupportedQuery('a term is missing');
    if (token.kind === 'operator') throw new UnsupportedQuery(`${token.text} has no field on its left`);
    if (token.kind === 'minus') throw new UnsupportedQuery('unexpected -');
    const field = this.#fieldPath();
    const next = this.#peek();
    if (next?.kind === 'operator') {
      this.#take();
      if (field === undefined) throw new UnsupportedQuery('a comparison has no field on its left');
      return this.#values(depth, field, next.text);
    }
    if (next?.kind === 'open' && next.adjacent && field !== undefined) {
      return this.#call(field.join('.'));
    }
    return { kind: 'text', value: this.#lastText };
  };

  #lastText = '';

  /** A field path (`protoPayload.status.code`, `labels."k8s-pod/app"`), or a bare value. */
  #fieldPath(): readonly string[] | undefined {
    const first = this.#take();
    if (first.kind === 'string') {
      this.#lastText = first.text;
      return undefined;
    }
    if (first.kind !== 'word') throw new UnsupportedQuery('a term is missing');
    const segments = first.text.split('.');
    let display = first.text;
    // `labels."k8s-pod/app"`: a path segment in quotes follows a word that ends with a dot.
    while (segments.at(-1) === '' && this.#peek()?.kind === 'string') {
      const quoted = (this.#take() as { readonly text: string }).text;
      segments[segments.length - 1] = quoted;
      display += JSON.stringify(quoted);
      const after = this.#peek();
      if (after?.kind === 'word' && after.text.startsWith('.')) {
        this.#take();
        segments.push(...after.text.slice(1).split('.'));
        display += after.text;
      }
    }
    this.#lastText = display;
    return segments;
  }

  #call(name: string): LoggingQuery {
    if (name.toLowerCase() !== 'log_id')
      throw new UnsupportedQuery(`the function ${name}() is not evaluated`);
    this.#take();
    const argument = this.#take();
    if (argument.kind !== 'string' || this.#peek()?.kind !== 'close') {
      throw new UnsupportedQuery('log_id() takes one quoted log id');
    }
    this.#take();
    return { kind: 'logId', value: argument.text };
  }

  /** The right side of a comparison: one value, or a group of values joined by AND, OR and NOT. */
  #values(depth: number, field: readonly string[], operator: Operator): LoggingQuery {
    const value = (valueDepth: number): LoggingQuery => {
      const token = this.#peek();
      if (token?.kind === 'open') {
        return this.#group(() => this.sequence(valueDepth + 1, value));
      }
      const taken = this.#take();
      if (taken.kind !== 'string' && taken.kind !== 'word') {
        throw new UnsupportedQuery(`the comparison on ${field.join('.')} has no value`);
      }
      const regex = operator === '=~' || operator === '!~';
      return {
        kind: 'compare',
        field,
        operator,
        value: taken.text,
        ...(regex ? { pattern: compilePattern(taken.text) } : {}),
      };
    };
    return value(depth);
  }
}

/** Parses a Logging query; throws UnsupportedQuery for what kubeline does not evaluate. */
export function parseLoggingQuery(query: string): LoggingQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new UnsupportedQuery(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  const parser = new Parser(tokenize(query));
  const parsed = parser.sequence(0, parser.term);
  if (!parser.done) throw new UnsupportedQuery('a closing parenthesis has no opening one');
  return parsed;
}

/**
 * A sample log entry: the fields it holds, and the paths it leaves open (an entry of this kind
 * has them, but their values vary, as severity and the method name do). A comparison on an open
 * path is unknown; on any other path the entry lacks, false.
 */
export interface SampleEntry {
  readonly fields: { readonly [key: string]: unknown };
  readonly open: readonly (readonly string[])[];
}

function fold(segment: string): string {
  return segment.replaceAll('_', '').toLowerCase();
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value at `path` (repeated fields fan out), or none when the entry lacks it. */
function valuesAt(root: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path) {
    const folded = fold(segment);
    const next: unknown[] = [];
    for (const value of current.flatMap((item) => (Array.isArray(item) ? item : [item]))) {
      if (!isObject(value)) continue;
      const key = Object.keys(value).find((candidate) => fold(candidate) === folded);
      if (key !== undefined && value[key] !== undefined && value[key] !== null) next.push(value[key]);
    }
    current = next;
  }
  return current.flatMap((item) => (Array.isArray(item) ? item : [item]));
}

function scalarsBelow(value: unknown, depth = 0): (string | number | boolean)[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [value];
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((item) => scalarsBelow(item, depth + 1));
  if (isObject(value)) return Object.values(value).flatMap((item) => scalarsBelow(item, depth + 1));
  return [];
}

/** The path lies in an open part of the entry (at or below an open path). */
function isOpen(entry: SampleEntry, path: readonly string[]): boolean {
  const folded = path.map(fold);
  return entry.open.some(
    (open) => open.length <= folded.length && open.every((segment, index) => fold(segment) === folded[index]),
  );
}

/** An open path lies below the path: what the path holds is only partly known. */
function hasOpenBelow(entry: SampleEntry, path: readonly string[]): boolean {
  const folded = path.map(fold);
  return entry.open.some(
    (open) =>
      open.length > folded.length && folded.every((segment, index) => fold(open[index] ?? '') === segment),
  );
}

/** Severity names in their order, as Logging compares them. */
const SEVERITIES = [
  'DEFAULT',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'ALERT',
  'EMERGENCY',
];

function asNumber(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  if (Number.isFinite(number)) return number;
  const severity = SEVERITIES.indexOf(value.toUpperCase());
  return severity < 0 ? undefined : severity * 100;
}

function compareScalar(
  actual: string | number | boolean,
  operator: Operator,
  expected: string,
  pattern?: RegExp,
): boolean {
  const text = String(actual);
  switch (operator) {
    case '=':
    case '!=': {
      const left = asNumber(actual);
      const right = asNumber(expected);
      const equal =
        typeof actual !== 'string' && left !== undefined && right !== undefined
          ? left === right
          : text.toLowerCase() === expected.toLowerCase();
      return operator === '=' ? equal : !equal;
    }
    case ':':
      return expected === '*' || text.toLowerCase().includes(expected.toLowerCase());
    case '=~':
    case '!~':
      return (pattern?.test(text) ?? false) === (operator === '=~');
    default: {
      const left = asNumber(actual);
      const right = asNumber(expected);
      const [a, b] =
        left !== undefined && right !== undefined
          ? [left, right]
          : [text.toLowerCase(), expected.toLowerCase()];
      if (operator === '<') return a < b;
      if (operator === '<=') return a <= b;
      if (operator === '>') return a > b;
      return a >= b;
    }
  }
}

function not(value: Truth): Truth {
  return value === 'unknown' ? 'unknown' : !value;
}

/** Whether the entry matches the query: true, false, or unknown when it hinges on an open field. */
export function matchesEntry(query: LoggingQuery, entry: SampleEntry): Truth {
  switch (query.kind) {
    case 'all':
      return true;
    case 'not':
      return not(matchesEntry(query.term, entry));
    case 'and': {
      let result: Truth = true;
      for (const term of query.terms) {
        const value = matchesEntry(term, entry);
        if (value === false) return false;
        if (value === 'unknown') result = 'unknown';
      }
      return result;
    }
    case 'or': {
      let result: Truth = false;
      for (const term of query.terms) {
        const value = matchesEntry(term, entry);
        if (value === true) return true;
        if (value === 'unknown') result = 'unknown';
      }
      return result;
    }
    case 'logId': {
      const logName = valuesAt(entry.fields, ['logName']).find((value) => typeof value === 'string');
      if (typeof logName !== 'string') return false;
      return logName.toLowerCase().endsWith(`/logs/${encodeURIComponent(query.value)}`.toLowerCase());
    }
    case 'text': {
      const needle = query.value.toLowerCase();
      if (scalarsBelow(entry.fields).some((value) => String(value).toLowerCase().includes(needle)))
        return true;
      return entry.open.length > 0 ? 'unknown' : false;
    }
    case 'compare': {
      if (isOpen(entry, query.field)) return 'unknown';
      const found = valuesAt(entry.fields, query.field);
      if (found.length === 0) return hasOpenBelow(entry, query.field) ? 'unknown' : false;
      const scalars =
        query.operator === ':' || query.operator === '=~' || query.operator === '!~'
          ? found.flatMap((value) => scalarsBelow(value))
          : found.filter(
              (value): value is string | number | boolean =>
                typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
            );
      if (query.operator === ':' && query.value === '*') return true;
      const holds = (value: string | number | boolean) =>
        compareScalar(value, query.operator, query.value, query.pattern);
      if (query.operator === '!=' || query.operator === '!~') {
        if (scalars.length === 0 || !scalars.every(holds)) return false;
        return hasOpenBelow(entry, query.field) ? 'unknown' : true;
      }
      if (scalars.some(holds)) return true;
      return hasOpenBelow(entry, query.field) ? 'unknown' : false;
    }
  }
}
