import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { STATUSES, type Status } from '../../../model/finding.js';
import { mergeOutcomeGroups, type OutcomeGroup, outcomeBarsSvg } from '../../../report/charts/outcomeBars.js';
import { STATUS_LOOKS } from '../../../report/charts/status.js';
import {
  assertChartFrame,
  descriptionOf,
  HOSTILE,
  readSvg,
  textsOf,
  titleOf,
  withClass,
} from './svgShape.js';

/** The plot's width in the chart: 800 less the label column (180) and the room for totals (64). */
const PLOT_WIDTH = 556;

const PROVIDERS: readonly OutcomeGroup[] = [
  {
    label: 'Amazon EKS',
    counts: { fail: 12, error: 1, unknown: 4, waived: 2, pass: 80, not_applicable: 10 },
  },
  { label: 'Google GKE', counts: { fail: 3, pass: 40, not_applicable: 3 } },
];

function widthOf(rects: readonly { readonly attributes: Readonly<Record<string, string>> }[]): number {
  return rects.reduce((sum, rect) => sum + Number(rect.attributes.width), 0);
}

const countsArbitrary = fc.record(
  Object.fromEntries(STATUSES.map((status) => [status, fc.nat({ max: 5_000_000 })])) as Record<
    Status,
    fc.Arbitrary<number>
  >,
  { requiredKeys: [] },
);

describe('outcome bars chart', () => {
  it('draws a stacked bar per group with a patterned, outlined segment per non-zero status', () => {
    const svg = outcomeBarsSvg({ id: 'by-provider', title: 'Outcome by provider', groups: PROVIDERS });
    assertChartFrame(svg, 'by-provider');
    assert.equal(titleOf(svg), 'Outcome by provider');
    const segments = withClass(svg, 'rect', 'segment');
    assert.deepEqual(
      segments.map((segment) => segment.attributes.class),
      [
        ...['fail', 'error', 'unknown', 'waived', 'pass', 'not_applicable'].map(
          (status) => `segment segment-${status}`,
        ),
        ...['fail', 'pass', 'not_applicable'].map((status) => `segment segment-${status}`),
      ],
    );
    for (const segment of segments) {
      const status = (segment.attributes.class ?? '').replace('segment segment-', '') as Status;
      assert.equal(segment.attributes.fill, `url(#by-provider-fill-${status})`);
      assert.equal(segment.attributes.stroke, STATUS_LOOKS[status].colour);
    }
    const patterns = readSvg(svg).filter((node) => node.name === 'pattern');
    assert.deepEqual(
      patterns.map((pattern) => pattern.attributes.id),
      STATUSES.map((status) => `by-provider-fill-${status}`),
    );
  });

  it('writes the counts as text: symbol and count on wide segments, every count under each bar, totals beside', () => {
    const texts = textsOf(outcomeBarsSvg({ id: 'c', title: 'T', groups: PROVIDERS }));
    assert.ok(texts.includes('✓ 80'), 'the pass segment carries its symbol and count');
    assert.ok(
      texts.includes('✗ 12 fail · ! 1 error · ? 4 unknown · ⊘ 2 waived · ✓ 80 pass · – 10 not applicable'),
    );
    assert.ok(texts.includes('✗ 3 fail · ✓ 40 pass · – 3 not applicable'));
    assert.ok(texts.includes('109'));
    assert.ok(texts.includes('46'));
    assert.deepEqual(
      texts.slice(0, 6),
      ['✗ Fail', '! Error', '? Unknown', '⊘ Waived', '✓ Pass', '– Not applicable'],
      'the legend names each status with its symbol',
    );
  });

  it('describes every group and the total in words', () => {
    assert.equal(
      descriptionOf(outcomeBarsSvg({ id: 'c', title: 'Outcome by provider', groups: PROVIDERS })),
      'Outcome by provider. Amazon EKS: 12 fail, 1 error, 4 unknown, 2 waived, 80 pass, 10 not applicable (109 findings). ' +
        'Google GKE: 3 fail, 40 pass, 3 not applicable (46 findings). In all 155 findings.',
    );
  });

  it('scales bars by count, the largest spanning the plot, or every bar full length by share', () => {
    const counted = outcomeBarsSvg({ id: 'c', title: 'T', groups: PROVIDERS });
    const segments = withClass(counted, 'rect', 'segment');
    assert.ok(Math.abs(widthOf(segments.slice(0, 6)) - PLOT_WIDTH) < 0.05);
    assert.ok(Math.abs(widthOf(segments.slice(6)) - (PLOT_WIDTH * 46) / 109) < 0.05);
    const shared = withClass(
      outcomeBarsSvg({ id: 'c', title: 'T', groups: PROVIDERS, scale: 'share' }),
      'rect',
      'segment',
    );
    assert.ok(Math.abs(widthOf(shared.slice(6)) - PLOT_WIDTH) < 0.05);
  });

  it('shows one group, and a group with no findings as an empty bar that says so', () => {
    const svg = outcomeBarsSvg({
      id: 'c',
      title: 'T',
      groups: [
        { label: 'Customer', counts: { pass: 1 } },
        { label: 'Provider-enforced', counts: {} },
      ],
    });
    assert.equal(withClass(svg, 'rect', 'segment').length, 1);
    const texts = textsOf(svg);
    assert.ok(texts.includes('No findings'));
    assert.ok(texts.includes('0'));
    assert.match(descriptionOf(svg), /Provider-enforced: no findings \(0 findings\)\. In all 1 finding\.$/);
    assert.deepEqual(
      readSvg(svg)
        .filter((node) => node.name === 'pattern')
        .map((node) => node.attributes.id),
      ['c-fill-pass'],
      'only the statuses drawn get a pattern and a legend entry',
    );
  });

  it('says so when there is nothing to draw', () => {
    const none = outcomeBarsSvg({ id: 'c', title: 'By area', groups: [] });
    assertChartFrame(none, 'c');
    assert.deepEqual(textsOf(none), ['No groups to show.']);
    assert.equal(descriptionOf(none), 'By area: no groups to show.');
    const zero = outcomeBarsSvg({
      id: 'c',
      title: 'By area',
      groups: [{ label: 'Nodes', counts: { fail: 0 } }],
    });
    assert.deepEqual(textsOf(zero), ['No findings to show.']);
    assert.equal(descriptionOf(zero), 'By area. Nodes: no findings (0 findings). In all 0 findings.');
  });

  it('prints large counts with separators, the symbol alone where the count does not fit', () => {
    const svg = outcomeBarsSvg({
      id: 'c',
      title: 'T',
      groups: [{ label: 'Big', counts: { fail: 2_500_000, pass: 98_765_432, unknown: 150_000 } }],
    });
    const texts = textsOf(svg);
    assert.ok(texts.includes('✓ 98,765,432'));
    assert.ok(texts.includes('✗'), 'a narrow segment keeps its symbol');
    assert.equal(texts.includes('✗ 2,500,000'), false);
    assert.match(
      descriptionOf(svg),
      /2,500,000 fail, 150,000 unknown, 98,765,432 pass \(101,415,432 findings\)/,
    );
  });

  it('rejects counts that are not whole non-negative numbers', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => outcomeBarsSvg({ id: 'c', title: 'T', groups: [{ label: 'EKS', counts: { fail: bad } }] }),
        (error: unknown) => error instanceof RangeError && error.message.includes('fail of "EKS"'),
      );
    }
  });

  it('describes exactly the counts it was given, for any groups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: fc.string(), counts: countsArbitrary }), { maxLength: 8 }),
        (groups) => {
          const desc = descriptionOf(outcomeBarsSvg({ id: 'p', title: 'T', groups }));
          const total = groups.reduce(
            (sum, group) => sum + Object.values(group.counts).reduce((inner, count) => inner + count, 0),
            0,
          );
          if (groups.length === 0) return;
          assert.ok(
            desc.endsWith(`In all ${total.toLocaleString('en-US')} ${total === 1 ? 'finding' : 'findings'}.`),
          );
          for (const group of groups) {
            const groupTotal = Object.values(group.counts).reduce((sum, count) => sum + count, 0);
            assert.ok(desc.includes(`${group.label}: `));
            assert.ok(
              desc.includes(
                `(${groupTotal.toLocaleString('en-US')} ${groupTotal === 1 ? 'finding' : 'findings'})`,
              ),
            );
          }
        },
      ),
    );
  });

  it('keeps hostile labels and titles inert and in its description', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE), fc.string(), (hostile, other) => {
        const svg = outcomeBarsSvg({
          id: hostile,
          title: hostile,
          groups: [
            { label: hostile, counts: { fail: 1 } },
            { label: other, counts: { pass: 2 } },
          ],
        });
        readSvg(svg);
        assert.equal(svg.toLowerCase().includes('<script'), false);
        assert.equal(svg.includes('<foreignObject'), false);
        assert.ok(descriptionOf(svg).includes(`${other}: 2 pass`));
      }),
    );
  });

  it('merges per-check counts into check areas, in the order areas first appear', () => {
    assert.deepEqual(
      mergeOutcomeGroups([
        { label: 'Identity and access', counts: { fail: 1, pass: 2 } },
        { label: 'API endpoint', counts: { unknown: 3 } },
        { label: 'Identity and access', counts: { fail: 4, waived: 1 } },
      ]),
      [
        {
          label: 'Identity and access',
          counts: { fail: 5, error: 0, unknown: 0, waived: 1, pass: 2, not_applicable: 0 },
        },
        {
          label: 'API endpoint',
          counts: { fail: 0, error: 0, unknown: 3, waived: 0, pass: 0, not_applicable: 0 },
        },
      ],
    );
    assert.deepEqual(mergeOutcomeGroups([]), []);
  });

  it('gives the same markup for the same input', () => {
    const a = outcomeBarsSvg({ id: 'c', title: 'T', groups: PROVIDERS });
    const b = outcomeBarsSvg({ id: 'c', title: 'T', groups: structuredClone(PROVIDERS) });
    assert.equal(a, b);
  });
});
