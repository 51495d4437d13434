/**
 * Whether a CloudWatch Logs metric filter on an EKS cluster's log group counts failed API
 * authentications (AUD-04). The decision is made on the `filterPattern` text alone, the way
 * CloudWatch applies it to the two EKS log streams where failures show:
 *
 * - the audit log (`kube-apiserver-audit-*`), JSON events whose `responseStatus.code` is 401
 *   (authentication failed) or 403 (authorization denied), with `responseStatus.reason`
 *   `Unauthorized` / `Forbidden`: a JSON pattern (`{ … }`) matches when one of its
 *   `$.responseStatus.code` comparisons admits 401 or 403 (`= 401`, `= "403"`, `= 40*`, `>= 400`,
 *   `IN [401, 403]`, `NOT IN [200]`, `!= 200`…), or a `$.responseStatus.reason` comparison admits
 *   `Unauthorized` or `Forbidden`;
 * - the authenticator log (`authenticator-*`), text lines where aws-iam-authenticator writes
 *   `msg="access denied"`: a text pattern matches when one of its terms, not excluded with `-`,
 *   contains `access denied`, `Unauthorized`, `Forbidden`, `"code":401` or `"code":403`; a
 *   `%regex%` term when its expression names one of those or the codes 401 / 403.
 *
 * CloudWatch matches selectors and terms case-sensitively, so the matcher does too: a filter on
 * `"Access Denied"` or `$.responsestatus.code` never fires on these logs and does not count. An
 * empty pattern (every event) and space-delimited patterns (`[ip, user, …]`) do not count either:
 * they are not about failed authentications, even if they would also fire on one.
 */

/** The HTTP statuses of a failed authentication (401) and of a denied request (403). */
const FAILURE_CODES = [401, 403] as const;
const FAILURE_REASONS = ['Unauthorized', 'Forbidden'] as const;

/** Text the EKS logs hold on a failed authentication or a denied request, as CloudWatch sees it. */
const FAILURE_PHRASES = ['access denied', 'Unauthorized', 'Forbidden', '"code":401', '"code":403'] as const;

/** What a regular expression term must name to count. */
const FAILURE_REGEX_WORDS = [...FAILURE_PHRASES, '401', '403'] as const;

const CODE_SELECTOR = '$.responseStatus.code';
const REASON_SELECTOR = '$.responseStatus.reason';

/** A quoted string (with `\"` escapes), a bare number or word, or a `*` wildcard word. */
const VALUE = String.raw`"(?:[^"\\]|\\.)*"|[^\s&|(){}\[\],]+`;
const COMPARISON = new RegExp(String.raw`(\$\.[A-Za-z0-9_.\-\[\]]+)\s*(!=|>=|<=|=|>|<)\s*(${VALUE})`, 'g');
const MEMBERSHIP = /(\$\.[A-Za-z0-9_.\-[\]]+)\s+(NOT\s+IN|IN)\s*\[([^\]]*)\]/g;

/** One value of a JSON pattern: quoted text (possibly with `*`), or a bare number or word. */
interface PatternValue {
  readonly text: string;
  readonly quoted: boolean;
}

function parseValue(raw: string): PatternValue {
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return { text: trimmed.slice(1, -1).replace(/\\(.)/g, '$1'), quoted: true };
  }
  return { text: trimmed, quoted: false };
}

/** `*` in a pattern value matches any run of characters; everything else matches itself. */
function wildcardMatches(pattern: string, candidate: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(candidate);
}

function equalsValue(value: PatternValue, candidate: string | number): boolean {
  const text = String(candidate);
  if (value.text.includes('*')) return wildcardMatches(value.text, text);
  if (typeof candidate === 'number' && !value.quoted) {
    const number = Number(value.text);
    return value.text !== '' && Number.isFinite(number) && number === candidate;
  }
  return value.text === text;
}

function admits(operator: string, value: PatternValue, candidate: string | number): boolean {
  switch (operator) {
    case '=':
      return equalsValue(value, candidate);
    case '!=':
      return !equalsValue(value, candidate);
    default: {
      // Numeric comparisons take bare numbers only; CloudWatch compares nothing else with them.
      const number = Number(value.text);
      if (value.quoted || typeof candidate !== 'number' || value.text === '' || !Number.isFinite(number)) {
        return false;
      }
      if (operator === '>') return candidate > number;
      if (operator === '>=') return candidate >= number;
      if (operator === '<') return candidate < number;
      return candidate <= number;
    }
  }
}

function listValues(list: string): PatternValue[] {
  return [...list.matchAll(new RegExp(VALUE, 'g'))].map((match) => parseValue(match[0]));
}

function candidatesFor(selector: string): readonly (string | number)[] {
  if (selector === CODE_SELECTOR) return FAILURE_CODES;
  if (selector === REASON_SELECTOR) return FAILURE_REASONS;
  return [];
}

function jsonPatternMatches(pattern: string): boolean {
  for (const [, selector = '', operator = '', raw = ''] of pattern.matchAll(COMPARISON)) {
    const value = parseValue(raw);
    if (candidatesFor(selector).some((candidate) => admits(operator, value, candidate))) return true;
  }
  for (const [, selector = '', operator = '', list = ''] of pattern.matchAll(MEMBERSHIP)) {
    const values = listValues(list);
    const negated = operator !== 'IN';
    const found = candidatesFor(selector).some((candidate) => {
      const member = values.some((value) => equalsValue(value, candidate));
      return negated ? !member : member;
    });
    if (found) return true;
  }
  return false;
}

/** The terms of a text pattern: quoted phrases, `%regex%` and bare words, with their `?` / `-` prefix. */
function textTerms(
  pattern: string,
): { readonly text: string; readonly excluded: boolean; readonly regex: boolean }[] {
  const terms = [...pattern.matchAll(/([?-]?)("(?:[^"\\]|\\.)*"|%(?:[^%\\]|\\.)*%|\S+)/g)];
  return terms.map(([, prefix = '', body = '']) => {
    if (body.length >= 2 && body.startsWith('%') && body.endsWith('%')) {
      return { text: body.slice(1, -1), excluded: prefix === '-', regex: true };
    }
    const text = body.length >= 2 && body.startsWith('"') && body.endsWith('"') ? body.slice(1, -1) : body;
    return { text: text.replace(/\\(.)/g, '$1'), excluded: prefix === '-', regex: false };
  });
}

function textPatternMatches(pattern: string): boolean {
  return textTerms(pattern).some((term) => {
    if (term.excluded) return false;
    const words: readonly string[] = term.regex ? FAILURE_REGEX_WORDS : FAILURE_PHRASES;
    return words.some((word) => term.text.includes(word));
  });
}

/** True when a metric filter with this `filterPattern` counts failed authentications in EKS logs. */
export function matchesFailedAuthentication(filterPattern: string): boolean {
  const pattern = filterPattern.trim();
  if (pattern === '') return false;
  if (pattern.startsWith('{')) return jsonPatternMatches(pattern);
  if (pattern.startsWith('[')) return false;
  return textPatternMatches(pattern);
}
