import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import type { ClusterVersionFacts } from '../../../model/versions.js';
import {
  minorOf,
  type SupportTimelineRow,
  supportTimelineRows,
  supportTimelineSvg,
} from '../../../report/charts/supportTimeline.js';
import { assertChartFrame, descriptionOf, HOSTILE, readSvg, textsOf, withClass } from './svgShape.js';

const AS_OF = '2026-08-22';
/** The plot spans 584 user units (200 to 784). */
const PLOT_WIDTH = 584;

function row(overrides: Partial<SupportTimelineRow>): SupportTimelineRow {
  return {
    provider: 'eks',
    minor: '1.31',
    clusters: 1,
    endOfStandardSupport: { value: '2026-11-26' },
    endOfExtendedSupport: { value: '2027-11-26' },
    ...overrides,
  };
}

function chart(rows: readonly SupportTimelineRow[], asOf = AS_OF): string {
  return supportTimelineSvg({ id: 'versions', title: 'Support timeline', asOf, rows });
}

function widths(svg: string, className: string): number[] {
  return withClass(svg, 'rect', className).map((rect) => Number(rect.attributes.width));
}

describe('support timeline chart', () => {
  it('draws standard support from today and extended support on from its end, with the dates in words', () => {
    const svg = chart([row({ clusters: 3 })]);
    assertChartFrame(svg, 'versions');
    const [standard] = widths(svg, 'standard');
    const [extended] = widths(svg, 'extended');
    // 96 days of standard and 365 of extended support on an axis of 461 days.
    assert.ok(standard !== undefined && Math.abs(standard - (PLOT_WIDTH * 96) / 461) < 0.02);
    assert.ok(extended !== undefined && Math.abs(extended - (PLOT_WIDTH * 365) / 461) < 0.02);
    const texts = textsOf(svg);
    assert.ok(texts.includes('Amazon EKS 1.31'));
    assert.ok(texts.includes('3 clusters'));
    assert.ok(texts.includes('Standard support ends 2026-11-26 (in 96 days)'));
    assert.ok(texts.includes('Extended support ends 2027-11-26 (in 461 days)'));
    assert.ok(texts.includes(`Today, ${AS_OF}`));
    assert.equal(withClass(svg, 'line', 'today').length, 1);
    assert.equal(
      descriptionOf(svg),
      'Support timeline as of 2026-08-22. Amazon EKS 1.31, 3 clusters: Standard support ends 2026-11-26 (in 96 days); Extended support ends 2027-11-26 (in 461 days).',
    );
  });

  it('says past due in words, in bold, with a mark on today’s line, once standard support has ended', () => {
    const svg = chart([
      row({
        minor: '1.29',
        endOfStandardSupport: { value: '2025-03-23' },
        endOfExtendedSupport: { value: '2027-03-23' },
      }),
    ]);
    assert.equal(withClass(svg, 'g', 'past-due').length, 1);
    assert.equal(widths(svg, 'standard').length, 0);
    const [extended] = widths(svg, 'extended');
    assert.ok(extended !== undefined && Math.abs(extended - (PLOT_WIDTH * 213) / 365) < 0.02);
    const texts = textsOf(svg);
    assert.ok(texts.includes('Past due: standard support ended 2025-03-23 (517 days ago)'));
    assert.ok(texts.includes('✗'));
    const pastDue = readSvg(svg).find((node) =>
      node.text.startsWith('Past due: standard support ended 2025'),
    );
    assert.equal(pastDue?.attributes['font-weight'], '600');
  });

  it('draws no bar once both supports have ended, and says when each did', () => {
    const svg = chart([
      row({
        provider: 'gke',
        minor: '1.27',
        endOfStandardSupport: { value: '2024-03-23' },
        endOfExtendedSupport: { value: '2025-03-23' },
      }),
    ]);
    assert.equal(widths(svg, 'standard').length + widths(svg, 'extended').length, 0);
    assert.ok(textsOf(svg).includes('Extended support ended 2025-03-23 (517 days ago)'));
  });

  it('says when a minor has no extended support, and when standard support ends today', () => {
    const svg = chart([
      row({
        provider: 'aks',
        minor: '1.30',
        clusters: 5,
        endOfStandardSupport: { value: AS_OF },
        endOfExtendedSupport: { value: null },
      }),
    ]);
    assert.equal(widths(svg, 'standard').length, 0);
    assert.deepEqual(textsOf(svg).slice(-2), [
      'Standard support ends 2026-08-22 (today)',
      'No extended support',
    ]);
    assert.equal(withClass(svg, 'g', 'past-due').length, 0);
  });

  it('says why a date is unknown, once when both share the reason, and draws no bar for it', () => {
    const svg = chart([
      row({
        minor: 'unknown',
        endOfStandardSupport: { unknown: 'Control-plane version unknown' },
        endOfExtendedSupport: { unknown: 'Control-plane version unknown' },
      }),
      row({
        provider: 'gke',
        minor: '1.32',
        endOfExtendedSupport: { unknown: 'Extended channel dates not published' },
      }),
      row({ minor: '1.33', endOfStandardSupport: { value: '2027-02-30' } }),
    ]);
    const texts = textsOf(svg);
    assert.ok(texts.includes('End of standard support unknown: Control-plane version unknown'));
    assert.ok(texts.includes('End of extended support unknown for the same reason'));
    assert.ok(texts.includes('End of extended support unknown: Extended channel dates not published'));
    assert.ok(texts.includes('End of standard support unknown: not a YYYY-MM-DD day: "2027-02-30"'));
    assert.equal(widths(svg, 'standard').length, 1, 'only the GKE row has a standard end to draw to');
    assert.equal(widths(svg, 'extended').length, 0);
  });

  it('spans at least a year, ticking quarters, and years on a long axis', () => {
    const near = textsOf(
      chart([
        row({ endOfStandardSupport: { value: '2026-09-26' }, endOfExtendedSupport: { value: '2026-11-26' } }),
      ]),
    );
    assert.deepEqual(
      near.filter((value) => /^\d{4}-\d{2}$/.test(value)),
      ['2026-10', '2027-01', '2027-04', '2027-07'],
    );
    const far = textsOf(
      chart([
        row({ endOfStandardSupport: { value: '2036-09-26' }, endOfExtendedSupport: { value: '2046-11-26' } }),
      ]),
    );
    assert.deepEqual(
      far.filter((value) => /^\d{4}$/.test(value)),
      ['2030', '2035', '2040', '2045'],
    );
    const veryFar = textsOf(
      chart([row({ endOfStandardSupport: { value: '9999-12-31' }, endOfExtendedSupport: { value: null } })]),
    );
    assert.ok(veryFar.includes('5000'));
    assert.equal(
      veryFar.some((value) => value.length > 4 && /^\d+$/.test(value)),
      false,
    );
  });

  it('says so when no minor is in use', () => {
    const svg = chart([]);
    assertChartFrame(svg, 'versions');
    assert.deepEqual(textsOf(svg), ['No minor versions in use.']);
    assert.equal(descriptionOf(svg), 'Support timeline as of 2026-08-22: no minor versions in use.');
  });

  it('rejects a today that is no day, and cluster counts that are not counts', () => {
    assert.throws(() => chart([], '2026-02-30'), RangeError);
    assert.throws(() => chart([row({ clusters: -1 })]), /clusters of eks "1.31"/);
  });

  it('keeps hostile minors and reasons inert, in its description', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE), (hostile) => {
        const svg = supportTimelineSvg({
          id: hostile,
          title: hostile,
          asOf: AS_OF,
          rows: [
            row({
              minor: hostile,
              endOfStandardSupport: { unknown: hostile },
              endOfExtendedSupport: { value: hostile },
            }),
          ],
        });
        readSvg(svg);
        assert.equal(svg.toLowerCase().includes('<script'), false);
      }),
    );
    const svg = chart([row({ minor: '</svg><script>', endOfStandardSupport: { unknown: '<b>why</b>' } })]);
    assert.ok(
      descriptionOf(svg).includes(
        'Amazon EKS </svg><script>, 1 cluster: End of standard support unknown: <b>why</b>;',
      ),
    );
  });

  it('describes one sentence per row, in the order given, with its cluster count', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            provider: fc.constantFrom('eks', 'gke', 'aks'),
            minor: fc.string({ maxLength: 6 }),
            clusters: fc.nat({ max: 10_000 }),
            days: fc.integer({ min: -2000, max: 4000 }),
          }),
          { maxLength: 12 },
        ),
        (specs) => {
          const rows = specs.map((spec) =>
            row({
              provider: spec.provider,
              minor: spec.minor,
              clusters: spec.clusters,
              endOfStandardSupport: {
                value: new Date(Date.UTC(2026, 7, 22 + spec.days)).toISOString().slice(0, 10),
              },
            }),
          );
          const desc = descriptionOf(chart(rows));
          let from = 0;
          for (const spec of specs) {
            const count = `${spec.clusters.toLocaleString('en-US')} ${spec.clusters === 1 ? 'cluster' : 'clusters'}:`;
            const at = desc.indexOf(count, from);
            assert.ok(at >= from, `${count} in order`);
            from = at + count.length;
          }
        },
      ),
    );
  });
});

function facts(
  overrides: Partial<ClusterVersionFacts> & Pick<ClusterVersionFacts, 'clusterId'>,
): ClusterVersionFacts {
  return {
    provider: 'eks',
    name: overrides.clusterId,
    version: { value: '1.31.4-eks-abc' },
    newestMinor: { value: '1.35' },
    minorsBehind: { value: 4 },
    supportPlan: { value: 'standard' },
    endOfStandardSupport: { value: '2026-11-26' },
    daysToEndOfStandard: { value: 96 },
    endOfExtendedSupport: { value: '2027-11-26' },
    daysToEndOfExtended: { value: 461 },
    nodeSkew: { value: 0 },
    paidExtendedSupport: { value: { state: 'no', reason: 'Standard plan.' } },
    yearlyExtraCostUsd: { value: 0 },
    source: 'calendar',
    sourceDetail: 'calendar',
    ...overrides,
  };
}

describe('support timeline rows', () => {
  it('reads the minor of each provider’s version text', () => {
    assert.deepEqual(
      ['1.29.8-eks-a1b2', 'v1.30.5-gke.1000', '1.30.4', '1.9', '01.031.2', 'latest', '1', '1.x'].map(minorOf),
      ['1.29', '1.30', '1.30', '1.9', '1.31', null, null, null],
    );
  });

  it('counts clusters per provider and minor, oldest minor first, unknown versions last', () => {
    const rows = supportTimelineRows({
      clusters: [
        facts({ clusterId: 'a', provider: 'gke', version: { value: '1.30.5-gke.1' } }),
        facts({ clusterId: 'b' }),
        facts({ clusterId: 'c', version: { value: '1.31.9' } }),
        facts({ clusterId: 'd', version: { value: '1.9.0' } }),
        facts({ clusterId: 'e', version: { unknown: 'unreadable' } }),
        facts({ clusterId: 'f', version: { value: '1.10.1' } }),
        facts({ clusterId: 'g', provider: 'aks', version: { value: 'rolling' } }),
      ],
    });
    assert.deepEqual(
      rows.map((entry) => `${entry.provider} ${entry.minor} ${entry.clusters}`),
      ['eks 1.9 1', 'eks 1.10 1', 'eks 1.31 2', 'eks unknown 1', 'gke 1.30 1', 'aks unknown 1'],
    );
  });

  it('gives clusters of one minor with different dates a row each, so no date hides another', () => {
    const rows = supportTimelineRows({
      clusters: [
        facts({ clusterId: 'a' }),
        facts({ clusterId: 'b', endOfExtendedSupport: { value: null } }),
        facts({ clusterId: 'c', endOfStandardSupport: { unknown: 'not listed' } }),
        facts({ clusterId: 'd' }),
      ],
    });
    assert.deepEqual(
      rows.map((entry) => [entry.clusters, entry.endOfStandardSupport, entry.endOfExtendedSupport]),
      [
        [1, { unknown: 'not listed' }, { value: '2027-11-26' }],
        [2, { value: '2026-11-26' }, { value: '2027-11-26' }],
        [1, { value: '2026-11-26' }, { value: null }],
      ],
    );
    assert.deepEqual(supportTimelineRows({ clusters: [] }), []);
  });
});
