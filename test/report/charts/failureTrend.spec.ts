import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { historyEntry } from '../../../engine/history.js';
import { failureTrendSvg, type TrendRun } from '../../../report/charts/failureTrend.js';
import { assertChartFrame, descriptionOf, HOSTILE, readSvg, textsOf, withClass } from './svgShape.js';

function run(day: string, fail: number, unknown = 0, complete = true, time = '02:00:00Z'): TrendRun {
  return { runId: `run-${day}-${time}`, startedAt: `${day}T${time}`, complete, findings: { fail, unknown } };
}

/** Nightly runs from 2026-01-01, one a day, `fail` rising by one a night from 10. */
function nightly(count: number): TrendRun[] {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10);
    return run(day, 10 + index, index % 3);
  });
}

/** The counts printed over the bars, in run order. */
function valueLabels(svg: string): string[] {
  return readSvg(svg)
    .filter((node) => node.name === 'text' && node.attributes['font-weight'] === '600')
    .map((node) => node.text);
}

function byStart(a: TrendRun, b: TrendRun): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? -1 : 1;
}

function barHeights(svg: string): number[] {
  return withClass(svg, 'rect', 'run').map((bar) => Number(bar.attributes.height));
}

describe('failure trend chart', () => {
  it('says so when the history holds no run', () => {
    const svg = failureTrendSvg({ id: 'trend', title: 'Failures over the last runs', runs: [] });
    assertChartFrame(svg, 'trend');
    assert.deepEqual(textsOf(svg), ['No runs are recorded yet.']);
    assert.equal(descriptionOf(svg), 'Failures over the last runs: no runs are recorded yet.');
  });

  it('draws one run as one bar with its count and date', () => {
    const svg = failureTrendSvg({ id: 'trend', title: 'Failures', runs: [run('2026-03-01', 7, 2)] });
    assertChartFrame(svg, 'trend');
    assert.equal(withClass(svg, 'rect', 'run').length, 1);
    const texts = textsOf(svg);
    assert.ok(texts.includes('7'));
    assert.ok(texts.includes('2026-03-01'));
    assert.ok(texts.includes('? 2'));
    assert.equal(descriptionOf(svg), 'Failures: 1 run, 2026-03-01. 2026-03-01: 7 fail, 2 unknown.');
  });

  it('shows the newest runs, oldest first, whatever order the history lists them in', () => {
    const runs = nightly(40);
    const shuffled = [...runs].reverse();
    const svg = failureTrendSvg({ id: 'trend', title: 'Failures', runs: shuffled });
    assert.equal(svg, failureTrendSvg({ id: 'trend', title: 'Failures', runs }));
    const heights = barHeights(svg);
    assert.equal(heights.length, 30);
    assert.deepEqual(
      heights,
      [...heights].sort((a, b) => a - b),
      'the failures rise night by night, so the bars do',
    );
    const desc = descriptionOf(svg);
    assert.ok(
      desc.startsWith(
        'Failures: the newest 30 runs of 40, 2026-01-11 to 2026-02-09. 2026-01-11: 20 fail, 1 unknown.',
      ),
    );
    assert.equal(desc.includes('2026-01-10'), false);
  });

  it('draws a run listed twice twice, the same way whichever copy comes first', () => {
    const twice = [run('2026-01-01', 5), run('2026-01-01', 5)];
    const svg = failureTrendSvg({ id: 't', title: 'T', runs: twice });
    assert.equal(barHeights(svg).length, 2);
    assert.equal(svg, failureTrendSvg({ id: 't', title: 'T', runs: [...twice].reverse() }));
  });

  it('honours a smaller limit and rejects one that is not a positive whole number', () => {
    assert.equal(barHeights(failureTrendSvg({ id: 't', title: 'T', runs: nightly(10), limit: 3 })).length, 3);
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      assert.throws(() => failureTrendSvg({ id: 't', title: 'T', runs: nightly(2), limit }), RangeError);
    }
  });

  it('scales bars to a round axis maximum, with tick labels', () => {
    const svg = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [run('2026-01-01', 21), run('2026-01-02', 42)],
    });
    const texts = textsOf(svg);
    for (const tick of ['0', '20', '40', '60']) assert.ok(texts.includes(tick), `tick ${tick}`);
    const [low, high] = barHeights(svg);
    assert.ok(low !== undefined && high !== undefined);
    assert.ok(Math.abs(high - 2 * low) < 0.02);
    assert.ok(Math.abs(high - (180 * 42) / 60) < 0.02);
  });

  it('draws a run without failures or unknowns on an axis from 0 to 1', () => {
    const svg = failureTrendSvg({ id: 't', title: 'T', runs: [run('2026-01-01', 0)] });
    assert.deepEqual(barHeights(svg), [0]);
    assert.ok(textsOf(svg).includes('1'));
  });

  it('marks an incomplete run with a dashed outline, a ! and words', () => {
    const svg = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [run('2026-01-01', 5), run('2026-01-02', 1, 9, false), run('2026-01-03', 6)],
    });
    const incomplete = withClass(svg, 'rect', 'incomplete');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0]?.attributes['stroke-dasharray'], '3 2');
    const texts = textsOf(svg);
    assert.equal(texts.filter((value) => value === '!').length, 1);
    assert.ok(texts.includes('! Incomplete run (dashed outline)'));
    assert.ok(descriptionOf(svg).includes('2026-01-02: 1 fail, 9 unknown (incomplete run).'));
    assert.ok(descriptionOf(svg).endsWith('1 run could not read everything, so its counts may be low.'));
    const two = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [run('2026-01-01', 5, 0, false), run('2026-01-02', 1, 0, false)],
    });
    assert.ok(descriptionOf(two).endsWith('2 runs could not read everything, so their counts may be low.'));
  });

  it('marks a gap in the nightly schedule with its length, and not a run the same or next day', () => {
    const svg = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [
        run('2026-01-01', 5),
        run('2026-01-02', 5),
        run('2026-01-06', 5),
        run('2026-01-06', 4, 0, true, '14:30:00Z'),
      ],
    });
    assert.ok(textsOf(svg).includes('4d'));
    assert.ok(textsOf(svg).includes('Gap: days without a run'));
    const desc = descriptionOf(svg);
    assert.ok(desc.includes('No run for 4 days from 2026-01-02 to 2026-01-06.'));
    assert.equal(desc.match(/No run for/g)?.length, 1);
    assert.ok(desc.includes('2026-01-06 02:00 UTC: 5 fail'), 'runs on one day are told apart by time');
    assert.ok(desc.includes('2026-01-06 14:30 UTC: 4 fail'));
    const weekly = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [run('2026-01-01', 5), run('2026-01-08', 5)],
      expectedIntervalDays: 7,
    });
    assert.equal(descriptionOf(weekly).includes('No run for'), false);
  });

  it('names a run whose start does not parse by its text and leaves it out of gap counting', () => {
    const svg = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [
        run('2026-01-01', 5),
        { runId: 'odd', startedAt: 'not a time', complete: true, findings: { fail: 3, unknown: 0 } },
      ],
    });
    assert.ok(descriptionOf(svg).includes('not a time: 3 fail'));
    assert.equal(descriptionOf(svg).includes('No run for'), false);
    const farFuture = failureTrendSvg({
      id: 't',
      title: 'T',
      runs: [
        run('2026-01-01', 5),
        {
          runId: 'far',
          startedAt: '+010000-01-01T00:00:00Z',
          complete: true,
          findings: { fail: 3, unknown: 0 },
        },
      ],
    });
    assert.equal(descriptionOf(farFuture).includes('No run for'), false);
  });

  it('leaves unknowns out when asked', () => {
    const svg = failureTrendSvg({ id: 't', title: 'T', runs: nightly(3), showUnknown: false });
    assert.equal(
      readSvg(svg).some((node) => node.name === 'polyline'),
      false,
    );
    assert.equal(descriptionOf(svg).includes('unknown'), false);
    const withUnknown = failureTrendSvg({ id: 't', title: 'T', runs: nightly(3) });
    assert.equal(readSvg(withUnknown).filter((node) => node.name === 'polyline').length, 1);
  });

  it('prints every count when they fit, else the first, the highest and the last', () => {
    const small = failureTrendSvg({ id: 't', title: 'T', runs: nightly(30), showUnknown: false });
    assert.deepEqual(
      valueLabels(small),
      Array.from({ length: 30 }, (_, index) => String(10 + index)),
    );
    const big = nightly(30).map((entry, index) => ({
      ...entry,
      findings: { fail: index === 12 ? 9_999_999 : 1_000_000 + index, unknown: 0 },
    }));
    assert.deepEqual(valueLabels(failureTrendSvg({ id: 't', title: 'T', runs: big, showUnknown: false })), [
      '1,000,000',
      '9,999,999',
      '1,000,029',
    ]);
  });

  it('takes history entries as they are', () => {
    const entry = historyEntry(
      {
        runId: 'r1',
        startedAt: '2026-05-01T01:00:00Z',
        folder: 'runs/2026-05-01/r1',
        complete: true,
        clusters: 2,
      },
      [
        { status: 'fail', severity: 'high' },
        { status: 'fail', severity: 'low' },
        { status: 'unknown', severity: 'low' },
        { status: 'pass', severity: 'low' },
      ],
      { previousRun: null, unavailable: 'no previous complete run', notices: [] },
    );
    assert.equal(
      descriptionOf(failureTrendSvg({ id: 't', title: 'T', runs: [entry] })),
      'T: 1 run, 2026-05-01. 2026-05-01: 2 fail, 1 unknown.',
    );
  });

  it('rejects counts that are not whole non-negative numbers', () => {
    assert.throws(
      () => failureTrendSvg({ id: 't', title: 'T', runs: [run('2026-01-01', -1)] }),
      /fail of run/,
    );
    assert.throws(
      () => failureTrendSvg({ id: 't', title: 'T', runs: [run('2026-01-01', 1, 0.5)] }),
      /unknown of run/,
    );
  });

  it('describes exactly the runs it shows, for any history', () => {
    const runArbitrary = fc.record({
      runId: fc.string(),
      startedAt: fc
        .date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2030-12-31T23:59:59Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString()),
      complete: fc.boolean(),
      findings: fc.record({ fail: fc.nat({ max: 100_000 }), unknown: fc.nat({ max: 100_000 }) }),
    });
    fc.assert(
      fc.property(
        fc.array(runArbitrary, { maxLength: 45 }),
        fc.integer({ min: 1, max: 40 }),
        (runs, limit) => {
          const svg = failureTrendSvg({ id: 't', title: 'T', runs, limit });
          const shown = Math.min(runs.length, limit);
          assert.equal(barHeights(svg).length, shown);
          const desc = descriptionOf(svg);
          assert.equal(desc.match(/ fail,/g)?.length ?? 0, shown);
          const incomplete = [...runs]
            .sort(byStart)
            .slice(-limit)
            .filter((entry) => !entry.complete).length;
          assert.equal(desc.match(/\(incomplete run\)/g)?.length ?? 0, incomplete);
        },
      ),
    );
  });

  it('keeps hostile titles and run ids inert', () => {
    for (const hostile of HOSTILE) {
      const svg = failureTrendSvg({
        id: hostile,
        title: hostile,
        runs: [{ runId: hostile, startedAt: hostile, complete: false, findings: { fail: 1, unknown: 1 } }],
      });
      readSvg(svg);
      assert.equal(svg.toLowerCase().includes('<script'), false);
    }
  });
});
