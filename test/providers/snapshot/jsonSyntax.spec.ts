import assert from 'node:assert/strict';
import { locateJsonSyntaxError } from '../../../providers/snapshot/jsonSyntax.js';

describe('locateJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON', () => {
    // Act
    const results = ['{}', '[1, -2.5e3, "a\\u00e9\\n", true, false, null]', ' {"a": {"b": []}} \n'].map(
      locateJsonSyntaxError,
    );
    // Assess
    assert.deepEqual(results, [undefined, undefined, undefined]);
  });

  it('reports a text cut off mid-document as truncated, at its end', () => {
    // Act
    const results = [
      '{"cluster": {"name": "a"',
      '[1, 2',
      '{"a": "unterminated',
      '{"a": tr',
      '{"a": "\\u00',
    ].map(locateJsonSyntaxError);
    // Assess
    assert.deepEqual(
      results.map((result) => [result?.truncated, result?.offset]),
      [
        [true, 24],
        [true, 5],
        [true, 19],
        [true, 8],
        [true, 11],
      ],
    );
  });

  it('reports the line and column of the first syntax error', () => {
    // Act
    const result = locateJsonSyntaxError('{\n  "a": 1,\n  "b": }\n');
    // Assess
    assert.deepEqual(result, {
      offset: 19,
      line: 3,
      column: 8,
      truncated: false,
      message: 'expected a value, found "}"',
    });
  });

  it('names the problem for trailing commas, single quotes, text after the document and bad escapes', () => {
    // Act
    const messages = ['[1,]', "{'a': 1}", '{} x', '"\\x"', '{"a" 1}', '[1 2]'].map(
      (text) => locateJsonSyntaxError(text)?.message,
    );
    // Assess
    assert.deepEqual(messages, [
      'expected a value, found "]"',
      'expected a property name in double quotes, found "\'"',
      'unexpected "x" after the end of the JSON document',
      'invalid escape \\x in a string',
      'expected \':\' after a property name, found "1"',
      "expected ',' or ']', found \"2\"",
    ]);
  });
});
