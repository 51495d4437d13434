import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xmlAttribute, xmlText } from '../../report/junit.js';
import { escapeMarkdown } from '../../report/templates.js';

/*
 * The one-pass escapers against the plain definitions they replaced, which walked every code
 * point and chained a replace per special: the same output on any string, lone surrogates, C0 and
 * C1 controls and Markdown punctuation included.
 */

function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return code !== 0xfffe && code !== 0xffff;
}

function referenceXmlText(text: string): string {
  let kept = '';
  for (const char of text) if (isXmlChar(char.codePointAt(0) ?? 0)) kept += char;
  return kept.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function referenceXmlAttribute(text: string): string {
  return referenceXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function referenceMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');
}

/** Strings rich in what the escapers touch: specials, controls, lone and paired surrogates. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        '&',
        '<',
        '>',
        '"',
        "'",
        '\t',
        '\n',
        '\r',
        '\r\n',
        '\u0000',
        '\u0007',
        '\u000b',
        '\u007f',
        '\u0085',
        '\u009f',
        '\ud800',
        '\udfff',
        '😀',
        '\ufffe',
        '\uffff',
        '\\',
        '`',
        '*',
        '_',
        '[',
        ']',
        '(',
        ')',
        '#',
        '+',
        '!',
        '|',
        '~',
        '{',
        '}',
        'a',
        ' ',
        'é',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join('')),
);

describe('report: the one-pass escapers give what the plain definitions give (property)', () => {
  it('xmlText and xmlAttribute', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        assert.equal(xmlText(text), referenceXmlText(text));
        assert.equal(xmlAttribute(text), referenceXmlAttribute(text));
      }),
      { numRuns: 500 },
    );
  });

  it('escapeMarkdown', () => {
    fc.assert(
      fc.property(hostile, (text) => assert.equal(escapeMarkdown(text), referenceMarkdown(text))),
      { numRuns: 500 },
    );
  });
});
