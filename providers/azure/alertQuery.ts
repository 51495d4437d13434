/**
 * Whether a Log Analytics (KQL) query of a scheduled query rule looks for failed API
 * authentications in an AKS cluster's audit logs (AUD-04). kubeline does not run the query; it
 * reads it, with a matcher that is deliberately narrow, so that a rule it counts as an alert
 * really filters failures, at the price of missing some unusual spellings.
 *
 * A query matches when, with `//` comments removed:
 * 1. it reads an audit table: `AKSAudit` or `AKSAuditAdmin` (resource-specific mode; `AKSAudit*`
 *    reads both), or `AzureDiagnostics` with a positive test of a string holding `kube-audit`
 *    (`Category == "kube-audit"`, `Category in ("kube-audit-admin")`, `Category startswith …`);
 *    table names are case-sensitive in KQL, as here;
 * 2. it has a positive test of the response status for a failure: a comparison (`==`, `=~`, `in`,
 *    `in~`, `has`, `has_any`, `contains`, `startswith`, `endswith`, `between`, and their `_cs`
 *    forms) of 401 or 403, or of a string holding 401, 403, `Unauthorized` or `Forbidden`, whose
 *    left operand refers to the response status: it names `ResponseStatus` / `responseStatus`
 *    (`ResponseStatus.code`, `toint(ResponseStatus["code"])`, `responseStatus_code_d`,
 *    `parse_json(log_s).responseStatus.code`) or a column computed from it earlier in the query
 *    (`extend Code = toint(ResponseStatus.code) | where Code == 401`).
 *
 * Not counted: negated tests (`!=`, `!in`, `!has`, `not(…)`), ranges written with `<`, `>`,
 * `<=`, `>=` (`code >= 400` takes in every client error, and `>= 401` every later status), codes
 * held in `let` variables, and matches on the raw `log_s` text without naming the response status.
 * 403 (Forbidden) is a failed authorization, not authentication; alert rules for failed logins
 * routinely watch both, and the check's wording follows them.
 */

/** The Log Analytics tables AKS writes `kube-audit` and `kube-audit-admin` logs to. */
export const AKS_AUDIT_TABLES = ['AKSAudit', 'AKSAuditAdmin', 'AzureDiagnostics'] as const;
export type AksAuditTable = (typeof AKS_AUDIT_TABLES)[number];

type TokenKind = 'word' | 'number' | 'string' | 'symbol';

interface Token {
  readonly kind: TokenKind;
  /** The word, number or symbol as written; for a string, its content without quotes. */
  readonly text: string;
}

const FAILURE_CODES = new Set(['401', '403']);
const FAILURE_TEXT = /(?:^|[^0-9])40[13](?:$|[^0-9])|unauthorized|forbidden/i;
const RESPONSE_STATUS = /responsestatus/i;

/** Comparison operators that keep the rows a literal matches (KQL's string and equality operators). */
const POSITIVE_OPERATORS = new Set([
  '==',
  '=~',
  'in',
  'in~',
  'has',
  'has_cs',
  'has_any',
  'has_all',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
  'between',
]);

/** Words that wrap a literal without comparing it: `dynamic([401, 403])`, `toint("401")`. */
const LITERAL_WRAPPERS = new Set([
  'dynamic',
  'toint',
  'tolong',
  'tostring',
  'todouble',
  'toreal',
  'int',
  'long',
  'real',
  'double',
  'string',
]);

/** Symbols that sit between a comparison operator and its literals: list brackets, separators, ranges. */
const LITERAL_PUNCTUATION = new Set(['(', '[', ',', '..', ']', ')']);

const TWO_CHAR_SYMBOLS = new Set(['==', '!=', '=~', '!~', '<>', '<=', '>=', '..']);

/** Reads a quoted string starting at `start` (at its opening quote); returns its content and the index after it. */
function readQuoted(
  query: string,
  start: number,
  verbatim: boolean,
): { content: string; end: number; closed: boolean } {
  const quote = query[start];
  let content = '';
  let index = start + 1;
  while (index < query.length) {
    const char = query[index];
    if (!verbatim && char === '\\' && index + 1 < query.length) {
      content += query[index + 1];
      index += 2;
      continue;
    }
    if (char === quote) {
      // In a verbatim string a doubled quote stands for one.
      if (verbatim && query[index + 1] === quote) {
        content += quote;
        index += 2;
        continue;
      }
      return { content, end: index + 1, closed: true };
    }
    content += char;
    index += 1;
  }
  return { content, end: index, closed: false };
}

/**
 * Splits a query into statements' pipe segments of tokens, outside strings: a new segment at
 * every `|` and `;`. Comments (`//` to the end of the line) are dropped.
 */
function segments(query: string): Token[][] {
  const result: Token[][] = [[]];
  const push = (token: Token) => result[result.length - 1]?.push(token);
  let index = 0;
  while (index < query.length) {
    const char = query[index] ?? '';
    const next = query[index + 1] ?? '';
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '/' && next === '/') {
      const end = query.indexOf('\n', index);
      index = end === -1 ? query.length : end + 1;
    } else if (char === '`' && query.startsWith('```', index)) {
      const end = query.indexOf('```', index + 3);
      const stop = end === -1 ? query.length : end;
      push({ kind: 'string', text: query.slice(index + 3, stop) });
      index = end === -1 ? query.length : end + 3;
    } else if (char === '"' || char === "'") {
      const read = readQuoted(query, index, false);
      // An unterminated string is a syntax error that Azure Monitor rejects: it compares nothing.
      if (read.closed) push({ kind: 'string', text: read.content });
      index = read.end;
    } else if ((char === '@' || char === 'h' || char === 'H') && (next === '"' || next === "'")) {
      // Verbatim (@"…") and obfuscated (h"…") strings.
      const read = readQuoted(query, index + 1, char === '@');
      if (read.closed) push({ kind: 'string', text: read.content });
      index = read.end;
    } else if (char === '|' || char === ';') {
      result.push([]);
      index += 1;
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9][0-9.]*?(?=\.\.|[^0-9.]|$)/.exec(query.slice(index, index + 64)) ?? [char];
      push({ kind: 'number', text: match[0] });
      index += match[0].length;
    } else if (/[A-Za-z_$]/.test(char) || (char === '!' && /[A-Za-z_]/.test(next))) {
      // Names, keywords and operators written as words, negated ones (`!in~`, `!has`) included.
      const match = /^!?[A-Za-z_$][A-Za-z0-9_$]*~?/.exec(query.slice(index, index + 256)) ?? [char];
      push({ kind: 'word', text: match[0] });
      index += match[0].length;
    } else {
      const pair = `${char}${next}`;
      const symbol = TWO_CHAR_SYMBOLS.has(pair) ? pair : char;
      push({ kind: 'symbol', text: symbol });
      index += symbol.length;
    }
  }
  return result.filter((segment) => segment.length > 0);
}

function isFailureLiteral(token: Token): boolean {
  if (token.kind === 'number') return FAILURE_CODES.has(token.text);
  return token.kind === 'string' && FAILURE_TEXT.test(token.text);
}

function isLiteral(token: Token): boolean {
  return (
    token.kind === 'number' ||
    token.kind === 'string' ||
    (token.kind === 'word' && LITERAL_WRAPPERS.has(token.text.toLowerCase())) ||
    (token.kind === 'symbol' && LITERAL_PUNCTUATION.has(token.text))
  );
}

/** The comparison operator a literal at `index` belongs to, walking back over the literal list it sits in. */
function operatorBefore(segment: readonly Token[], index: number): number | undefined {
  for (let position = index - 1; position >= 0; position -= 1) {
    const token = segment[position];
    if (token === undefined) return undefined;
    if (isLiteral(token)) continue;
    return position;
  }
  return undefined;
}

/** Whether the token at `index` sits inside a `not( … )` call. */
function insideNot(segment: readonly Token[], index: number): boolean {
  let depth = 0;
  for (let position = index - 1; position >= 0; position -= 1) {
    const text = segment[position]?.text;
    if (text === ')') depth += 1;
    else if (text === '(') {
      if (depth === 0) {
        if (segment[position - 1]?.text.toLowerCase() === 'not') return true;
      } else depth -= 1;
    }
  }
  return false;
}

/**
 * The tokens of the left operand of the operator at `index`: back over names, member access,
 * indexers and balanced calls, up to a keyword, a separator or an unmatched parenthesis.
 */
function leftOperand(segment: readonly Token[], index: number): Token[] {
  const operand: Token[] = [];
  let depth = 0;
  for (let position = index - 1; position >= 0; position -= 1) {
    const token = segment[position];
    if (token === undefined) break;
    if (token.text === ')' || token.text === ']') depth += 1;
    else if (token.text === '(' || token.text === '[') {
      if (depth === 0) break;
      depth -= 1;
    } else if (depth === 0 && (token.text === ',' || (token.kind === 'word' && isKeyword(token.text)))) break;
    operand.unshift(token);
  }
  return operand;
}

const KEYWORDS = new Set(['where', 'and', 'or', 'filter', 'not', 'by', 'on', 'extend', 'project']);

function isKeyword(word: string): boolean {
  const lower = word.toLowerCase();
  return KEYWORDS.has(lower) || POSITIVE_OPERATORS.has(lower.replace(/^!/, '')) || lower.startsWith('!');
}

/** Whether an operand refers to the response status, directly or through a column computed from it. */
function refersToStatus(operand: readonly Token[], aliases: ReadonlySet<string>): boolean {
  return operand.some(
    (token) =>
      ((token.kind === 'word' || token.kind === 'string') && RESPONSE_STATUS.test(token.text)) ||
      (token.kind === 'word' && aliases.has(token.text)),
  );
}

/** Columns computed from the response status: `Name = <expression naming ResponseStatus>`, up to the next top-level comma. */
function statusAliases(all: readonly (readonly Token[])[]): Set<string> {
  const aliases = new Set<string>();
  for (const segment of all) {
    for (let index = 0; index + 1 < segment.length; index += 1) {
      const name = segment[index];
      if (name?.kind !== 'word' || segment[index + 1]?.text !== '=') continue;
      let depth = 0;
      for (let position = index + 2; position < segment.length; position += 1) {
        const token = segment[position];
        if (token === undefined) break;
        if (token.text === '(' || token.text === '[') depth += 1;
        else if (token.text === ')' || token.text === ']') depth -= 1;
        else if (depth === 0 && token.text === ',') break;
        if (refersToStatus([token], aliases)) {
          aliases.add(name.text);
          break;
        }
      }
    }
  }
  return aliases;
}

/** Whether a literal at `index` is kept by a positive, not negated, comparison; and the operand it is compared with. */
function positiveComparison(segment: readonly Token[], index: number): readonly Token[] | undefined {
  const at = operatorBefore(segment, index);
  if (at === undefined) return undefined;
  const operator = segment[at]?.text.toLowerCase() ?? '';
  if (!POSITIVE_OPERATORS.has(operator) || insideNot(segment, at)) return undefined;
  return leftOperand(segment, at);
}

/** The audit tables a query names: `AKSAudit`, `AKSAuditAdmin` (both for `AKSAudit*`), `AzureDiagnostics`. */
function namedTables(all: readonly (readonly Token[])[]): Set<AksAuditTable> {
  const tables = new Set<AksAuditTable>();
  for (const segment of all) {
    for (const [index, token] of segment.entries()) {
      if (token.kind !== 'word' && token.kind !== 'string') continue;
      const wildcard = segment[index + 1]?.text === '*';
      if (token.text === 'AKSAudit' && wildcard) {
        tables.add('AKSAudit');
        tables.add('AKSAuditAdmin');
      } else if (
        token.text === 'AKSAudit' ||
        token.text === 'AKSAuditAdmin' ||
        token.text === 'AzureDiagnostics'
      ) {
        tables.add(token.text);
      }
    }
  }
  return tables;
}

/** Whether the query keeps `kube-audit` rows of AzureDiagnostics: a positive test of a string holding `kube-audit`. */
function selectsKubeAudit(all: readonly (readonly Token[])[]): boolean {
  return all.some((segment) =>
    segment.some(
      (token, index) =>
        token.kind === 'string' &&
        /kube-audit/i.test(token.text) &&
        positiveComparison(segment, index) !== undefined,
    ),
  );
}

/**
 * The audit tables in which a scheduled query rule's query looks for failed authentications;
 * empty when it reads no audit table, or does not filter failed authentications.
 */
export function failedAuthenticationTables(query: string): readonly AksAuditTable[] {
  const all = segments(query);
  const aliases = statusAliases(all);
  const filtersFailures = all.some((segment) =>
    segment.some((token, index) => {
      if (!isFailureLiteral(token)) return false;
      const operand = positiveComparison(segment, index);
      return operand !== undefined && refersToStatus(operand, aliases);
    }),
  );
  if (!filtersFailures) return [];
  const tables = namedTables(all);
  if (tables.has('AzureDiagnostics') && !selectsKubeAudit(all)) tables.delete('AzureDiagnostics');
  return AKS_AUDIT_TABLES.filter((table) => tables.has(table));
}
