import assert from 'node:assert/strict';
import {
  CHAOS_KINDS,
  drawFault,
  seededRandom,
  truncated,
  typeConfusedBody,
  typeConfusedJson,
  typeConfusedXml,
} from './chaos.js';

/** The JSON type of every leaf, by path, to compare outlines. */
function leafTypes(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) {
    return value.length === 0
      ? [`${path}:array`]
      : value.flatMap((item, index) => leafTypes(item, `${path}[${index}]`));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0
      ? [`${path}:object`]
      : entries.flatMap(([key, item]) => leafTypes(item, `${path}.${key}`));
  }
  return [`${path}:${value === null ? 'null' : typeof value}`];
}

describe('test/peers/chaos: seeded faults for the fault suite', () => {
  it('draws the same sequence from the same seed and another from another seed', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    assert.deepEqual(take(7), take(7));
    assert.notDeepEqual(take(7), take(8));
    for (const value of take(9)) assert.ok(value >= 0 && value < 1);
  });

  it('draws each fault at about its rate, and none beyond them', () => {
    const random = seededRandom(1);
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index += 1) {
      const fault = drawFault({ throttle: 0.3, 'server-error': 0.05 }, random) ?? 'none';
      counts.set(fault, (counts.get(fault) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), ['none', 'server-error', 'throttle']);
    assert.ok(Math.abs((counts.get('throttle') ?? 0) - 3000) < 250, `${counts.get('throttle')} throttles`);
    assert.ok(
      Math.abs((counts.get('server-error') ?? 0) - 500) < 120,
      `${counts.get('server-error')} server errors`,
    );
  });

  it('refuses rates that add up to more than every request', () => {
    assert.throws(() => drawFault({ throttle: 0.8, reset: 0.3 }, Math.random), /add up to 1\.1/);
    assert.equal(CHAOS_KINDS.length, 6);
  });

  it('cuts a body in half', () => {
    assert.equal(truncated(Buffer.from('{"a": [1, 2]}')).toString(), '{"a": ');
  });

  it('keeps the outline of a JSON document and changes the type of some of its values', () => {
    const document = {
      cluster: { name: 'prod', endpoint: 'https://x', version: 1.3, private: true, tags: {}, ids: [] },
    };
    for (let seed = 0; seed < 20; seed += 1) {
      const confused = typeConfusedJson(document, seededRandom(seed));
      // A draw that swaps no value swaps the whole document instead (tested below).
      if (Array.isArray(confused)) continue;
      const before = leafTypes(document);
      const after = leafTypes(confused);
      assert.equal(after.length, before.length, JSON.stringify(confused));
      assert.ok(
        after.some((type, index) => type !== before[index]),
        `seed ${seed}: nothing changed`,
      );
      for (const [index, type] of after.entries()) {
        assert.equal(type.split(':')[0], before[index]?.split(':')[0]);
      }
    }
  });

  it('swaps a whole document when the draw swaps none of its values', () => {
    assert.deepEqual(
      typeConfusedJson({ a: 'x' }, () => 0.9),
      [],
    );
    assert.deepEqual(
      typeConfusedJson({ a: 'x' }, () => 0.1),
      { a: 5 },
    );
  });

  it('leaves a body that is not JSON as it is', () => {
    const body = Buffer.from('<xml/>');
    assert.deepEqual(typeConfusedBody(body, Math.random), { body, changed: false });
    assert.equal(
      typeConfusedBody(Buffer.from('{"n": 1}'), () => 0.1).body.toString(),
      '{"n":"not-a-number"}',
    );
  });

  it('gives XML values the wrong types: a list for a name, a flag for a number, a list for a flag', () => {
    const body = Buffer.from('<r><name>prod</name><count>3</count><on>true</on></r>');
    const all = typeConfusedXml(body, () => 0.1);
    assert.equal(
      all.body.toString(),
      '<r><name><member><item>5</item></member></name><count>true</count><on><member>5</member></on></r>',
    );
    const first = typeConfusedXml(body, () => 0.9);
    assert.equal(
      first.body.toString(),
      '<r><name><member><item>5</item></member></name><count>3</count><on>true</on></r>',
    );
    assert.equal(first.changed, true);
  });
});
