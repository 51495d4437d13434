import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import {
  chartSvg,
  element,
  fitText,
  formatCount,
  legend,
  num,
  plural,
  safeId,
  text,
  textWidth,
} from '../../../report/charts/svg.js';
import { assertChartFrame, descriptionOf, HOSTILE, readSvg, textsOf, titleOf } from './svgShape.js';

describe('chart SVG helpers', () => {
  it('prints coordinates with at most two decimals and never -0', () => {
    assert.deepEqual(
      [num(1 / 3), num(2), num(-0.001), num(12.345), num(-7.5)],
      ['0.33', '2', '0', '12.35', '-7.5'],
    );
  });

  it('groups thousands without the runtime locale', () => {
    assert.deepEqual([0, 999, 1000, 12_345, 1_234_567].map(formatCount), [
      '0',
      '999',
      '1,000',
      '12,345',
      '1,234,567',
    ]);
    assert.equal(plural(1, 'run'), '1 run');
    assert.equal(plural(1200, 'run'), '1,200 runs');
    assert.equal(plural(2, 'day', 'days'), '2 days');
  });

  it('cuts text to the room it has, on whole code points, with an ellipsis', () => {
    assert.equal(fitText('Amazon EKS', 200, 12), 'Amazon EKS');
    const cut = fitText('x'.repeat(100), 60, 10);
    assert.equal(cut.endsWith('…'), true);
    assert.ok(textWidth(cut, 10) <= 60);
    assert.equal(fitText('😀😀😀😀😀', 13, 10), '😀…');
    assert.equal(fitText('abc', 0, 12), '…');
  });

  it('reduces ids to characters safe in an id, a fragment and a selector', () => {
    assert.equal(safeId('by-provider'), 'by-provider');
    assert.equal(safeId('a b"c<d>'), 'a-b-c-d-');
    assert.equal(safeId('1st'), 'chart-1st');
    assert.equal(safeId(''), 'chart-');
  });

  it('escapes attribute values and text, and writes empty elements self-closed', () => {
    assert.equal(element('rect', { x: 1.006, class: 'a"b' }), '<rect x="1.01" class="a&quot;b"/>');
    assert.equal(text('<b>&', { x: 0, y: 1 }), '<text x="0" y="1">&lt;b&gt;&amp;</text>');
  });

  it('frames a chart as an image named by its title and described by its description', () => {
    const svg = chartSvg({ id: 'c', height: 40, title: 'T', description: 'D 1, 2', defs: '', body: '' });
    assertChartFrame(svg, 'c');
    assert.equal(titleOf(svg), 'T');
    assert.equal(descriptionOf(svg), 'D 1, 2');
    assert.equal(
      readSvg(svg).some((node) => node.name === 'defs'),
      false,
    );
  });

  it('wraps a long legend onto further lines and reports its height', () => {
    const items = Array.from({ length: 12 }, (_, index) => ({ swatch: '', label: `Status number ${index}` }));
    const one = legend(items.slice(0, 1), 0);
    const many = legend(items, 0);
    assert.equal(one.height, 22);
    assert.ok(many.height > 22 * 2);
    const svg = chartSvg({
      id: 'l',
      height: many.height,
      title: 'L',
      description: 'L',
      defs: '',
      body: many.markup,
    });
    assert.deepEqual(
      textsOf(svg),
      items.map((item) => item.label),
    );
  });

  it('keeps hostile titles, descriptions and ids inert', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...HOSTILE), fc.string()),
        fc.oneof(fc.constantFrom(...HOSTILE), fc.string()),
        (hostile, id) => {
          const svg = chartSvg({
            id,
            height: 10,
            title: hostile,
            description: hostile,
            defs: '',
            body: text(hostile, { x: 0, y: 0 }),
          });
          const nodes = readSvg(svg);
          assert.equal(nodes.filter((node) => node.name === 'svg').length, 1);
          assert.match(nodes[0]?.attributes.id ?? '', /^[A-Za-z][A-Za-z0-9_-]*$/);
        },
      ),
    );
  });

  it('drops characters XML cannot carry and keeps the rest of the text', () => {
    const svg = chartSvg({
      id: 'x',
      height: 10,
      title: 'nul\u0000 and bell\u0007 and lone \ud800 surrogate 😀',
      description: 'd',
      defs: '',
      body: '',
    });
    assert.equal(titleOf(svg), 'nul and bell and lone  surrogate 😀');
  });
});
