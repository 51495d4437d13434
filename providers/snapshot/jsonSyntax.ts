/** Where and why a text is not JSON. */
export interface JsonSyntaxError {
  /** 0-based character offset of the problem. */
  readonly offset: number;
  /** 1-based line and column of the problem. */
  readonly line: number;
  readonly column: number;
  /** True when the text ends before the document is complete (an interrupted export). */
  readonly truncated: boolean;
  readonly message: string;
}

type Expectation = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function shown(char: string): string {
  return JSON.stringify(char);
}

/** Scans a string literal starting at the opening quote; returns the offset after it, or an error. */
function scanString(text: string, start: number): number | { offset: number; message: string } {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') return index + 1;
    if (char === '\\') {
      const escaped = text[index + 1];
      if (escaped === undefined) return { offset: text.length, message: '' };
      if (escaped === 'u') {
        const digits = text.slice(index + 2, index + 6);
        if (index + 6 > text.length && /^[0-9a-fA-F]*$/.test(digits)) {
          return { offset: text.length, message: '' };
        }
        if (!HEX.test(digits)) return { offset: index, message: 'invalid \\u escape in a string' };
        index += 6;
        continue;
      }
      if (!ESCAPES.has(escaped)) {
        return { offset: index, message: `invalid escape \\${escaped} in a string` };
      }
      index += 2;
      continue;
    }
    if (char < ' ') return { offset: index, message: 'unescaped control character in a string' };
    index += 1;
  }
  return { offset: text.length, message: '' };
}

/**
 * Finds the first syntax error of a text that `JSON.parse` rejected. V8's own messages quote the
 * input (a 50 MiB file would end up in the report) and do not always give a position, so the
 * loader reports this instead. Undefined when the text is valid JSON.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: ('object' | 'array')[] = [];
  let expect: Expectation = 'value';
  let index = 0;

  const fail = (offset: number, message: string): JsonSyntaxError => {
    const truncated = offset >= text.length;
    return {
      offset,
      ...position(text, offset),
      truncated,
      message: truncated ? 'the text ends before the JSON document is complete' : message,
    };
  };
  const afterValue = (): Expectation => (stack.length === 0 ? 'end' : 'comma-or-close');

  while (true) {
    while (index < text.length && isWhitespace(text[index] ?? '')) index += 1;
    if (index >= text.length) return expect === 'end' ? undefined : fail(index, '');
    const char = text[index] ?? '';
    switch (expect) {
      case 'end':
        return fail(index, `unexpected ${shown(char)} after the end of the JSON document`);
      case 'colon':
        if (char !== ':') return fail(index, `expected ':' after a property name, found ${shown(char)}`);
        expect = 'value';
        index += 1;
        break;
      case 'key':
      case 'key-or-close':
        if (expect === 'key-or-close' && char === '}') {
          stack.pop();
          expect = afterValue();
          index += 1;
          break;
        }
        if (char !== '"') {
          return fail(index, `expected a property name in double quotes, found ${shown(char)}`);
        }
        {
          const end = scanString(text, index);
          if (typeof end !== 'number') return fail(end.offset, end.message);
          index = end;
        }
        expect = 'colon';
        break;
      case 'comma-or-close': {
        const container = stack.at(-1);
        const close = container === 'object' ? '}' : ']';
        if (char === ',') {
          expect = container === 'object' ? 'key' : 'value';
          index += 1;
        } else if (char === close) {
          stack.pop();
          expect = afterValue();
          index += 1;
        } else {
          return fail(index, `expected ',' or '${close}', found ${shown(char)}`);
        }
        break;
      }
      case 'value':
      case 'value-or-close': {
        if (expect === 'value-or-close' && char === ']') {
          stack.pop();
          expect = afterValue();
          index += 1;
          break;
        }
        if (char === '{' || char === '[') {
          stack.push(char === '{' ? 'object' : 'array');
          expect = char === '{' ? 'key-or-close' : 'value-or-close';
          index += 1;
          break;
        }
        if (char === '"') {
          const end = scanString(text, index);
          if (typeof end !== 'number') return fail(end.offset, end.message);
          index = end;
          expect = afterValue();
          break;
        }
        if (char === '-' || (char >= '0' && char <= '9')) {
          NUMBER.lastIndex = index;
          const match = NUMBER.exec(text);
          if (!match) return fail(index + 1, `invalid number`);
          index += match[0].length;
          expect = afterValue();
          break;
        }
        const rest = text.slice(index, index + 5);
        const literal = LITERALS.find((word) => rest.startsWith(word));
        if (literal !== undefined) {
          index += literal.length;
          expect = afterValue();
          break;
        }
        if (LITERALS.some((word) => word.startsWith(rest)) && index + rest.length >= text.length) {
          return fail(text.length, '');
        }
        return fail(index, `expected a value, found ${shown(char)}`);
      }
    }
  }
}
