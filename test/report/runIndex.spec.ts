import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_LIMIT, type HistoryEntry, historyEntry } from '../../engine/history.js';
import type { RenderRunIndex } from '../../engine/publish.js';
import type { RunDiff } from '../../model/runDiff.js';
import {
  RUN_INDEX_LIMIT,
  type RunIndexEntry,
  readableInstant,
  renderRunIndex,
  runIndexView,
  runReportHref,
} from '../../report/runIndex.js';
import { packageRoot } from '../../report/templates.js';

/** A run that started on `day` at `time` UTC, with its folder as the pipeline names it. */
function run(
  runId: string,
  day: string,
  overrides: Partial<RunIndexEntry> = {},
  time = '02:00:00',
): RunIndexEntry {
  return {
    runId,
    startedAt: `${day}T${time}.000Z`,
    folder: `runs/${day}/${runId}`,
    complete: true,
    clusters: 15,
    findings: { fail: 12, error: 1, unknown: 4 },
    failingBySeverity: { critical: 2, high: 5, medium: 4, low: 1, info: 1 },
    diff: { new: 3, fixed: 2 },
    ...overrides,
  };
}

const pointerTo = (entry: RunIndexEntry) => ({ runId: entry.runId, folder: entry.folder });

/** The table's body rows, one string each. */
function bodyRows(html: string): string[] {
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';
  return body.split('\n').filter((line) => line.startsWith('<tr'));
}

/** The cells of a rendered row as text, tags removed. */
function cellTexts(row: string): string[] {
  return [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((match) =>
    (match[1] ?? '').replace(/<[^>]+>/g, ''),
  );
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'img', 'input', 'link', 'hr', 'col']);

/** Every element the page opens is closed, in order: the template's markup nests. */
function assertBalanced(html: string): void {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = match;
    if (VOID_ELEMENTS.has(name) || selfClosing === '/') continue;
    if (closing === '') stack.push(name);
    else assert.equal(stack.pop(), name, `</${name}> closes <${stack.at(-1) ?? 'nothing'}>`);
  }
  assert.deepEqual(stack, [], 'elements left open');
}

describe('report: the run index (index.html)', () => {
  const oldest = run('20261127T020000Z-aaaaaa', '2026-11-27', { diff: null });
  const middle = run('20261128T020000Z-bbbbbb', '2026-11-28', {
    complete: false,
    findings: { fail: 20, error: 0, unknown: 9 },
  });
  const newest = run('20261129T020000Z-cccccc', '2026-11-29', {
    findings: { fail: 5, error: 0, unknown: 1 },
  });

  describe('the view', () => {
    it('lists the runs newest first, whatever the stored order, with their headline numbers', () => {
      // Act
      const view = runIndexView([middle, newest, oldest], pointerTo(oldest));
      // Assess
      assert.deepEqual(
        view.runs.map(({ runId, complete, latest, fail, diff }) => ({ runId, complete, latest, fail, diff })),
        [
          { runId: newest.runId, complete: true, latest: false, fail: 5, diff: { new: 3, fixed: 2 } },
          { runId: middle.runId, complete: false, latest: false, fail: 20, diff: { new: 3, fixed: 2 } },
          { runId: oldest.runId, complete: true, latest: true, fail: 12, diff: null },
        ],
      );
    });

    it('gives one run every figure the page shows', () => {
      // Act
      const view = runIndexView([newest], pointerTo(newest));
      // Assess
      assert.deepEqual(view, {
        summary: '1 run, newest first.',
        latest: {
          runId: newest.runId,
          href: `runs/2026-11-29/${newest.runId}/report.html`,
          started: { iso: '2026-11-29T02:00:00.000Z', text: 'Sun 29 Nov 2026, 02:00 UTC' },
        },
        trend: null,
        severities: ['Critical', 'High', 'Medium', 'Low', 'Info'],
        runs: [
          {
            runId: newest.runId,
            href: `runs/2026-11-29/${newest.runId}/report.html`,
            started: { iso: '2026-11-29T02:00:00.000Z', text: 'Sun 29 Nov 2026, 02:00 UTC' },
            complete: true,
            latest: true,
            clusters: 15,
            fail: 5,
            error: 0,
            unknown: 1,
            failingBySeverity: [2, 5, 4, 1, 1],
            diff: { new: 3, fixed: 2 },
          },
        ],
      });
    });

    it('breaks a tie of start times by run id, newest id first', () => {
      // Prepare
      const first = run('20261129T020000Z-111111', '2026-11-29');
      const second = run('20261129T020000Z-222222', '2026-11-29');
      // Act
      const view = runIndexView([second, first], null);
      // Assess
      assert.deepEqual(
        view.runs.map(({ runId }) => runId),
        [second.runId, first.runId],
      );
    });

    it('names the latest run even when the history no longer holds it, without its start', () => {
      // Act
      const view = runIndexView([newest], { runId: 'gone', folder: 'runs/2025-01-01/gone' });
      // Assess
      assert.deepEqual(
        { latest: view.latest, marked: view.runs.filter((row) => row.latest).length },
        { latest: { runId: 'gone', href: 'runs/2025-01-01/gone/report.html', started: null }, marked: 0 },
      );
    });

    it('lists at most the history cap, the newest runs, and says how many were left out', () => {
      // Prepare: one more run than history.json keeps, in stored (oldest first) order
      const entries = Array.from({ length: HISTORY_LIMIT + 1 }, (_unused, index) => {
        const day = new Date(Date.UTC(2026, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
        return run(`run-${String(index).padStart(3, '0')}`, day);
      });
      // Act
      const view = runIndexView(entries, null);
      const few = runIndexView(entries, null, { maxRuns: 2 });
      const html = renderRunIndex(entries, pointerTo(entries.at(-1) as RunIndexEntry));
      // Assess
      assert.equal(RUN_INDEX_LIMIT, HISTORY_LIMIT, 'the page lists the whole history by default');
      assert.deepEqual(
        {
          listed: view.runs.length,
          first: view.runs[0]?.runId,
          last: view.runs.at(-1)?.runId,
          summary: view.summary,
          few: few.runs.map(({ runId }) => runId),
          fewSummary: few.summary,
          rows: bodyRows(html).length,
        },
        {
          listed: HISTORY_LIMIT,
          first: `run-${HISTORY_LIMIT}`,
          last: 'run-001',
          summary: `The newest ${HISTORY_LIMIT} runs of ${HISTORY_LIMIT + 1}, newest first.`,
          few: [`run-${HISTORY_LIMIT}`, `run-${HISTORY_LIMIT - 1}`],
          fewSummary: `The newest 2 runs of ${HISTORY_LIMIT + 1}, newest first.`,
          rows: HISTORY_LIMIT,
        },
      );
      const kib = Buffer.byteLength(html, 'utf8') / 1024;
      assert.ok(kib < 200, `a full index is ${kib.toFixed(0)} KiB`);
    });

    it('refuses a cap that is not a whole number of runs, at least one', () => {
      for (const maxRuns of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => runIndexView([newest], null, { maxRuns }), RangeError, String(maxRuns));
      }
    });

    it('draws failing findings oldest to newest, scaled to the highest, and says the figures in words', () => {
      // Act
      const trend = runIndexView([newest, oldest, middle], null).trend;
      const flat = runIndexView(
        [
          run('a', '2026-11-28', { findings: { fail: 0, error: 0, unknown: 3 } }),
          run('b', '2026-11-29', { findings: { fail: 0, error: 0, unknown: 0 } }),
        ],
        null,
      ).trend;
      // Assess: failing counts fail and error, 13, 20, 5
      assert.deepEqual(
        { trend, flat },
        {
          trend: {
            points: '0,14 150,0 300,30',
            label:
              'Failing findings (fail and error) over the 3 runs listed, oldest to newest: 13 in the oldest, 5 in the newest, 20 at most.',
          },
          flat: {
            points: '0,40 300,40',
            label:
              'Failing findings (fail and error) over the 2 runs listed, oldest to newest: 0 in the oldest, 0 in the newest, 0 at most.',
          },
        },
      );
    });
  });

  describe('dates', () => {
    it('reads an instant in UTC words, the same in any time zone, a leap day included', () => {
      // Prepare
      const zone = process.env.TZ;
      process.env.TZ = 'Pacific/Kiritimati';
      try {
        // Act
        const texts = [
          readableInstant('2028-02-29T23:57:00.000Z'),
          readableInstant('2026-01-04T00:05:59.999Z'),
          readableInstant('2026-11-29T02:00:00+05:00'),
        ];
        // Assess
        assert.deepEqual(texts, [
          'Tue 29 Feb 2028, 23:57 UTC',
          'Sun 4 Jan 2026, 00:05 UTC',
          'Sat 28 Nov 2026, 21:00 UTC',
        ]);
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });

    it('shows text that is no instant as it is', () => {
      assert.equal(readableInstant('yesterday <b>'), 'yesterday <b>');
    });

    it('puts the ISO instant in the datetime attribute and the words in the cell', () => {
      const html = renderRunIndex([newest], null);
      assert.ok(
        html.includes('<td><time datetime="2026-11-29T02:00:00.000Z">Sun 29 Nov 2026, 02:00 UTC</time></td>'),
      );
    });
  });

  describe('links', () => {
    it('links each run to its report.html relative to the index, each segment URL-encoded', () => {
      assert.deepEqual(
        [
          runReportHref('runs/2026-11-29/20261129T020000Z-cccccc'),
          runReportHref('runs/2026-11-29/a b#c?d=e&f%g'),
          runReportHref('runs/2026-11-29/javascript:alert(1)'),
          runReportHref('javascript:alert(1)'),
          runReportHref('runs/2026-11-29/集群-ü'),
        ],
        [
          'runs/2026-11-29/20261129T020000Z-cccccc/report.html',
          'runs/2026-11-29/a%20b%23c%3Fd%3De%26f%25g/report.html',
          'runs/2026-11-29/javascript%3Aalert(1)/report.html',
          'javascript%3Aalert(1)/report.html',
          'runs/2026-11-29/%E9%9B%86%E7%BE%A4-%C3%BC/report.html',
        ],
      );
    });

    it('gives no link for a folder that is not a plain relative path', () => {
      for (const folder of [
        '',
        '/etc/passwd',
        '../other-bucket/run',
        'runs/../../x',
        'runs//r1',
        './runs/r1',
        'runs/r1/',
      ]) {
        assert.equal(runReportHref(folder), null, folder);
      }
    });

    it('keeps a run with an unsafe folder listed, unlinked', () => {
      // Act
      const html = renderRunIndex([run('escape', '2026-11-29', { folder: '../../secrets' })], {
        runId: 'escape',
        folder: '../../secrets',
      });
      // Assess
      assert.deepEqual(
        { links: html.match(/href=/g), row: cellTexts(bodyRows(html)[0] ?? '').slice(0, 1) },
        { links: null, row: ['escape'] },
      );
      assert.ok(html.includes('<p>Latest complete run: escape, started'));
    });

    it('resolves each link beside index.html, in a bucket and in a file:// folder', () => {
      const href = runReportHref('runs/2026-11-29/a b#c') ?? '';
      assert.equal(
        new URL(href, 'https://acme-kubeline.s3.amazonaws.com/reports/index.html').pathname,
        '/reports/runs/2026-11-29/a%20b%23c/report.html',
      );
      assert.equal(
        decodeURIComponent(new URL(href, 'file:///srv/kubeline/reports/index.html').pathname),
        '/srv/kubeline/reports/runs/2026-11-29/a b#c/report.html',
      );
    });
  });

  describe('the page', () => {
    it('says there are no runs, with no table, for an empty history', () => {
      // Act
      const html = renderRunIndex([], null);
      // Assess
      assert.deepEqual(
        {
          summary: html.includes('<p>No runs are recorded in history.json yet.</p>'),
          latest: html.includes('<p>No complete run yet: latest.json names none.</p>'),
          table: html.includes('<table'),
          trend: html.includes('<svg'),
        },
        { summary: true, latest: true, table: false, trend: false },
      );
      assertBalanced(html);
    });

    it('is a captioned table with column and row headers, one row per run, newest first', () => {
      // Act
      const html = renderRunIndex([oldest, newest, middle], pointerTo(oldest));
      // Assess
      assertBalanced(html);
      assert.match(html, /<table>\s*<caption>Runs newest first: [^<]+<\/caption>/);
      const header = /<thead>([\s\S]*)<\/thead>/.exec(html)?.[1] ?? '';
      assert.deepEqual(
        [...header.matchAll(/<th scope="(col|colgroup)"[^>]*>([^<]+)<\/th>/g)].map(
          ([, scope, text]) => `${scope}:${text}`,
        ),
        [
          'col:Run',
          'col:Started',
          'col:State',
          'col:Clusters',
          'colgroup:Findings',
          'colgroup:Failing by severity',
          'colgroup:Since previous run',
          'col:Fail',
          'col:Error',
          'col:Unknown',
          'col:Critical',
          'col:High',
          'col:Medium',
          'col:Low',
          'col:Info',
          'col:New',
          'col:Fixed',
        ],
      );
      assert.deepEqual(bodyRows(html).map(cellTexts), [
        [
          newest.runId,
          'Sun 29 Nov 2026, 02:00 UTC',
          'Complete',
          '15',
          '5',
          '0',
          '1',
          '2',
          '5',
          '4',
          '1',
          '1',
          '3',
          '2',
        ],
        [
          middle.runId,
          'Sat 28 Nov 2026, 02:00 UTC',
          'Incomplete',
          '15',
          '20',
          '0',
          '9',
          '2',
          '5',
          '4',
          '1',
          '1',
          '3',
          '2',
        ],
        [
          oldest.runId,
          'Fri 27 Nov 2026, 02:00 UTC',
          'Complete Latest',
          '15',
          '12',
          '1',
          '4',
          '2',
          '5',
          '4',
          '1',
          '1',
          'no comparison',
        ],
      ]);
      assert.deepEqual(
        bodyRows(html).map((row) => /^<tr(?: class="([a-z]+)")?><th scope="row">/.exec(row)?.[1] ?? 'plain'),
        ['plain', 'incomplete', 'latest'],
      );
    });

    it('marks the latest and incomplete runs in words, not only by colour', () => {
      const html = renderRunIndex([middle, newest], pointerTo(newest));
      assert.deepEqual(
        bodyRows(html).map((row) => cellTexts(row)[2]),
        ['Complete Latest', 'Incomplete'],
      );
      assert.ok(
        html.includes(
          `<p>Latest complete run: <a href="runs/2026-11-29/${newest.runId}/report.html">${newest.runId}</a>, started <time datetime="2026-11-29T02:00:00.000Z">Sun 29 Nov 2026, 02:00 UTC</time>.</p>`,
        ),
      );
    });

    it('escapes every string from the sink: run ids, folders, start times', () => {
      // Prepare
      const hostileId = '<script>alert(1)</script>"\'`=&';
      const hostile = run(hostileId, '2026-11-29', {
        folder: 'runs/2026-11-29/"><img src=x onerror=alert(1)>',
        startedAt: '<b>soon</b>',
      });
      // Act
      const html = renderRunIndex([hostile], { runId: hostileId, folder: '" onmouseover="alert(1)' });
      // Assess
      for (const raw of ['<script', '<img', '<b>', 'onerror=', 'onmouseover=']) {
        assert.ok(!html.includes(raw), `raw ${raw} in the page`);
      }
      for (const escaped of [
        '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&#x60;&#x3D;&amp;',
        'href="runs/2026-11-29/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/report.html"',
        'href="%22%20onmouseover%3D%22alert(1)/report.html"',
        '<time datetime="&lt;b&gt;soon&lt;/b&gt;">&lt;b&gt;soon&lt;/b&gt;</time>',
      ]) {
        assert.ok(html.includes(escaped), `escaped ${escaped} missing from the page`);
      }
      assertBalanced(html);
    });

    it('is self-contained: no script, no external asset, nothing fetched', () => {
      const html = renderRunIndex([oldest, middle, newest], pointerTo(newest));
      assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|@import|url\(|https?:/i);
      assert.match(html, /<style>/);
    });

    it('hides the trend drawing from screen readers and says its figures in a caption', () => {
      const html = renderRunIndex([oldest, middle, newest], null);
      assert.match(
        html,
        /<svg aria-hidden="true"[^>]*><polyline points="0,14 150,0 300,30"[^>]*\/><\/svg>\s*<figcaption>Failing findings \(fail and error\) over the 3 runs listed/,
      );
    });

    it('renders history.json entries as they are: the engine port takes this renderer', () => {
      // Prepare: an entry as the pipeline records it
      const diff: RunDiff = {
        previousRun: null,
        unavailable: 'no previous complete run: the sink has no latest.json',
        notices: [],
      };
      const recorded: HistoryEntry = historyEntry(
        {
          runId: 'r1',
          startedAt: '2026-11-29T02:00:00.000Z',
          folder: 'runs/2026-11-29/r1',
          complete: true,
          clusters: 3,
        },
        [
          { status: 'fail', severity: 'critical' },
          { status: 'error', severity: 'low' },
          { status: 'unknown', severity: 'high' },
          { status: 'pass', severity: 'high' },
        ],
        diff,
      );
      const port: RenderRunIndex = renderRunIndex;
      // Act
      const html = port([recorded], { runId: 'r1', folder: 'runs/2026-11-29/r1' });
      // Assess
      assert.deepEqual(bodyRows(html).map(cellTexts), [
        [
          'r1',
          'Sun 29 Nov 2026, 02:00 UTC',
          'Complete Latest',
          '3',
          '1',
          '1',
          '1',
          '1',
          '0',
          '0',
          '1',
          '0',
          'no comparison',
        ],
      ]);
    });

    it('writes no unescaped output in its template', () => {
      const source = readFileSync(join(packageRoot(), 'templates', 'index.html.hbs'), 'utf8');
      assert.doesNotMatch(source, /\{\{\{|\{\{~?\s*&/);
    });
  });
});
