import assert from 'node:assert/strict';
import { CHECKS } from '../../checks/registry.js';
import { HISTORY_KEY, parseHistory } from '../../engine/history.js';
import type { ScanOutcome } from '../../engine/pipeline.js';
import { exitCodeFor, type PipelineDeps, runScan } from '../../engine/pipeline.js';
import type { Notifier, PostureSource, SourceResult } from '../../engine/ports.js';
import type { Waiver } from '../../engine/waivers.js';
import type { Finding } from '../../model/finding.js';
import { type Observed, unknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { escapeMarkdown } from '../../report/templates.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { pipelineDeps } from '../fixtures/pipelineDeps.js';
import { aksPosture, at, eksPosture, gkePosture } from '../fixtures/postures.js';

function deps(sources: readonly PostureSource[], sink: MemorySink): PipelineDeps {
  return pipelineDeps({ sources, sink });
}

const healthy: PostureSource = {
  name: 'fixture',
  collect: async () => ({
    postures: [eksPosture({ id: 'a' }), gkePosture({ id: 'b' }), aksPosture({ id: 'c' })],
    scopes: [{ provider: 'snapshot', scope: 'fixture.json', status: 'ok', clusters: 3 }],
    problems: [],
  }),
};

describe('engine: runScan pipeline', () => {
  it('writes every format under runs/<day>/<runId>/, then the manifest, latest.json and history.json', async () => {
    // Prepare
    const sink = new MemorySink();
    // Act
    const outcome = await runScan(deps([healthy], sink), {
      trigger: 'cli',
      formats: ['html', 'md', 'json', 'csv', 'junit'],
    });
    // Assess
    assert.deepEqual(sink.writes, [
      'runs/2026-11-29/run-1/report.html',
      'runs/2026-11-29/run-1/report.md',
      'runs/2026-11-29/run-1/report.json',
      'runs/2026-11-29/run-1/findings.csv',
      'runs/2026-11-29/run-1/junit.xml',
      'runs/2026-11-29/run-1/manifest.json',
      'latest.json',
      'history.json',
    ]);
    assert.equal(outcome.complete, true);
    assert.equal(outcome.findings.length, 3 * CHECKS.length);
    const manifest = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/manifest.json') ?? '{}');
    assert.deepEqual(
      manifest.files.map((file: { name: string }) => file.name),
      ['report.html', 'report.md', 'report.json', 'findings.csv', 'junit.xml'],
    );
    assert.deepEqual(JSON.parse(sink.objects.get('latest.json') ?? '{}'), {
      runId: 'run-1',
      folder: 'runs/2026-11-29/run-1',
      manifest: 'runs/2026-11-29/run-1/manifest.json',
      startedAt: '2026-11-29T02:00:01.000Z',
      finishedAt: '2026-11-29T02:00:04.000Z',
    });
    const report = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/report.json') ?? '{}');
    assert.equal(report.run.asOf, '2026-11-29');
    assert.equal(report.run.complete, true);
  });

  it('marks the run incomplete, keeps the other sources and does not move latest.json when a source fails', async () => {
    const sink = new MemorySink();
    const broken: PostureSource = {
      name: 'broken',
      collect: async () => {
        throw new Error('AccessDenied listing clusters');
      },
    };
    const outcome = await runScan(deps([healthy, broken], sink), { trigger: 'schedule', formats: ['json'] });
    assert.equal(outcome.complete, false);
    assert.equal(outcome.clusters.length, 3);
    assert.deepEqual(outcome.problems, [{ scope: 'broken', reason: 'AccessDenied listing clusters' }]);
    assert.equal(sink.objects.has('latest.json'), false);
    assert.equal(exitCodeFor(outcome, 'none'), 2);
  });

  it('adds up the cloud API calls of every source into the run and report.json', async () => {
    const sink = new MemorySink();
    const counted = (calls: number, retries: number, failures: number): PostureSource => ({
      name: `counted ${calls}`,
      collect: async () => ({
        postures: [],
        scopes: [],
        problems: [],
        apiCalls: { calls, retries, failures },
      }),
    });
    const outcome = await runScan(deps([healthy, counted(10, 2, 1), counted(5, 0, 0)], sink), {
      trigger: 'cli',
      formats: ['json'],
    });
    assert.deepEqual(outcome.apiCalls, { calls: 15, retries: 2, failures: 1 });
    const report = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/report.json') ?? '{}');
    assert.deepEqual(report.run.apiCalls, { calls: 15, retries: 2, failures: 1 });
  });

  it('evaluates dates as of --as-of instead of the run day', async () => {
    const sink = new MemorySink();
    const outcome = await runScan(deps([healthy], sink), {
      trigger: 'cli',
      asOf: '2027-09-01',
      formats: ['json'],
    });
    const report = JSON.parse(sink.objects.get(`runs/2026-11-29/run-1/report.json`) ?? '{}');
    assert.equal(report.run.asOf, '2027-09-01');
    const versionFindings = outcome.findings.filter((finding) => finding.checkId === 'VER-01');
    assert.ok(
      versionFindings.every((finding) => finding.status === 'fail'),
      '1.33 is out of standard support by 2027-09',
    );
  });
});

describe('engine: exit codes', () => {
  const failing = (severity: Finding['severity'], status: Finding['status'] = 'fail'): Finding => ({
    checkId: 'EP-01',
    clusterId: 'a',
    provider: 'eks',
    status,
    severity,
    responsibility: 'customer',
    message: '',
    evidence: [],
    compliance: [],
  });

  it('is 1 for a failure at or above the threshold and 0 below it', () => {
    assert.equal(
      exitCodeFor({ complete: true, findings: [failing('high')], publishFailures: [] }, 'high'),
      1,
    );
    assert.equal(
      exitCodeFor({ complete: true, findings: [failing('critical')], publishFailures: [] }, 'high'),
      1,
    );
    assert.equal(
      exitCodeFor({ complete: true, findings: [failing('medium')], publishFailures: [] }, 'high'),
      0,
    );
    assert.equal(exitCodeFor({ complete: true, findings: [failing('low')], publishFailures: [] }, 'none'), 0);
  });

  it('counts a check error as failing and a waived failure as not failing', () => {
    assert.equal(
      exitCodeFor({ complete: true, findings: [failing('high', 'error')], publishFailures: [] }, 'high'),
      1,
    );
    assert.equal(
      exitCodeFor({ complete: true, findings: [failing('high', 'waived')], publishFailures: [] }, 'high'),
      0,
    );
  });

  it('is 2 for an incomplete run, whatever failed', () => {
    assert.equal(
      exitCodeFor({ complete: false, findings: [failing('critical')], publishFailures: [] }, 'high'),
      2,
    );
  });

  it('is 2 for a complete run that a sink did not take whole', () => {
    const publishFailures = [
      { runId: 'run-1', sink: 's3://acme/reports', key: 'latest.json', reason: 'AccessDenied' },
    ];
    assert.equal(exitCodeFor({ complete: true, findings: [], publishFailures }, 'none'), 2);
  });
});

describe('engine: runScan, sources and publishing at the edges', () => {
  it('closes every source once collection is over, the one that failed too', async () => {
    // Prepare
    const events: string[] = [];
    const closing = (name: string, collect: () => Promise<SourceResult>): PostureSource => ({
      name,
      collect: () => {
        events.push(`collect ${name}`);
        return collect();
      },
      close: async () => {
        events.push(`close ${name}`);
      },
    });
    const sources = [
      closing('fixture', healthy.collect),
      closing('broken', async () => {
        throw new Error('AccessDenied listing clusters');
      }),
    ];
    // Act
    const outcome = await runScan(deps(sources, new MemorySink()), { trigger: 'cli', formats: ['json'] });
    // Assess
    assert.deepEqual(events, ['collect fixture', 'collect broken', 'close fixture', 'close broken']);
    assert.deepEqual(outcome.problems, [{ scope: 'broken', reason: 'AccessDenied listing clusters' }]);
  });

  it('records a source that rejects with something other than an Error by what it rejected with', async () => {
    // Prepare
    const flaky: PostureSource = {
      name: 'flaky',
      collect: () => Promise.reject('socket hang up'),
    };
    // Act
    const outcome = await runScan(deps([healthy, flaky], new MemorySink()), {
      trigger: 'schedule',
      formats: ['json'],
    });
    // Assess
    assert.deepEqual(
      { complete: outcome.complete, problems: outcome.problems },
      { complete: false, problems: [{ scope: 'flaky', reason: 'socket hang up' }] },
    );
  });

  it('names the run by its start time and a random suffix when the composition root gives no run id', async () => {
    // Prepare
    const sink = new MemorySink();
    const { newRunId: _unused, ...withoutRunId } = deps([healthy], sink);
    // Act
    const outcome = await runScan(withoutRunId, { trigger: 'cli', formats: ['json'] });
    // Assess: the clock's first tick is 2026-11-29T02:00:01Z.
    assert.match(outcome.runId, /^20261129T020001Z-[0-9a-f]{6}$/);
    assert.deepEqual(sink.writes, [
      `runs/2026-11-29/${outcome.runId}/report.json`,
      `runs/2026-11-29/${outcome.runId}/manifest.json`,
      'latest.json',
      'history.json',
    ]);
  });

  it('publishes a format asked for twice once', async () => {
    // Prepare
    const sink = new MemorySink();
    // Act
    const outcome = await runScan(deps([healthy], sink), { trigger: 'cli', formats: ['json', 'md', 'json'] });
    // Assess
    assert.deepEqual(sink.writes, [
      'runs/2026-11-29/run-1/report.json',
      'runs/2026-11-29/run-1/report.md',
      'runs/2026-11-29/run-1/manifest.json',
      'latest.json',
      'history.json',
    ]);
    assert.deepEqual(
      outcome.files.map((file) => [file.name, file.key]),
      [
        ['report.json', 'runs/2026-11-29/run-1/report.json'],
        ['report.md', 'runs/2026-11-29/run-1/report.md'],
      ],
    );
  });

  it('lists expired and soon-expiring waivers in the report, selectors in words', async () => {
    // Prepare
    const sink = new MemorySink();
    const expired: Waiver = {
      check: 'EP-01',
      clusters: { provider: 'eks', name: 'legacy-*' },
      reason: 'VPN migration',
      owner: 'platform@acme.example',
      expires: '2026-11-20',
    };
    const expiring: Waiver = {
      check: 'EP-02',
      clusters: { tag: { team: 'pay*' } },
      reason: 'allow-list rollout',
      owner: 'payments@acme.example',
      expires: '2026-12-03',
    };
    // Act
    const outcome = await runScan(
      { ...deps([healthy], sink), waivers: [expired, expiring] },
      { trigger: 'cli', formats: ['md'] },
    );
    // Assess
    const markdown = sink.objects.get('runs/2026-11-29/run-1/report.md') ?? '';
    const waiverSection = markdown.slice(
      markdown.indexOf('## Waivers'),
      markdown.indexOf('## Provider-managed controls'),
    );
    assert.equal(
      waiverSection,
      [
        '## Waivers',
        '',
        'Expired, no longer applied:',
        '',
        '| Check | Clusters | Owner | Reason | Expired |',
        '| --- | --- | --- | --- | --- |',
        '| <code>EP-01</code> The API server has no public endpoint | provider eks, name legacy-\\* | platform@acme.example | VPN migration | 2026-11-20 (expired 9 days ago) |',
        '',
        'Expiring within 14 days:',
        '',
        '| Check | Clusters | Owner | Reason | Expires |',
        '| --- | --- | --- | --- | --- |',
        '| <code>EP-02</code> A public API endpoint admits only allow-listed networks | tag team=pay\\* | payments@acme.example | allow-list rollout | 2026-12-03 (expires in 4 days) |',
        '',
        '',
      ].join('\n'),
    );
    assert.deepEqual(outcome.waiverNotices, [
      { waiver: expired, state: 'expired', daysLeft: -9, matched: 0 },
      { waiver: expiring, state: 'expiring', daysLeft: 4, matched: 0 },
    ]);
  });
});

describe('engine: runScan, the diff with the previous run and history.json', () => {
  const EP_01 = CHECKS.filter((check) => check.id === 'EP-01');
  const open = at('endpoint.publicAccess', true);
  const closed = at('endpoint.publicAccess', false);
  const unread: Observed<boolean> = unknown('AccessDenied (eks:DescribeCluster)');
  const cluster = (id: string, publicAccess: Observed<boolean>) =>
    eksPosture({ id, name: id, endpoint: { publicAccess } });

  /** One nightly run at 02:00 UTC on `day`, scanning EP-01 only, so each diff is small enough to state whole. */
  function nightly(
    sink: MemorySink,
    day: string,
    runId: string,
    postures: readonly ClusterPosture[],
    problems: SourceResult['problems'] = [],
  ): Promise<ScanOutcome> {
    let tick = Date.parse(`${day}T02:00:00Z`);
    const source: PostureSource = {
      name: 'fixture',
      collect: async () => ({
        postures,
        scopes: [{ provider: 'snapshot', scope: 'fixture.json', status: 'ok', clusters: postures.length }],
        problems,
      }),
    };
    return runScan(
      {
        ...deps([source], sink),
        checks: EP_01,
        clock: () => {
          tick += 1000;
          return new Date(tick);
        },
        newRunId: () => runId,
      },
      { trigger: 'schedule', formats: ['json', 'md', 'html'] },
    );
  }

  const stored = (sink: MemorySink, key: string) => sink.objects.get(key) ?? '';
  const historyOf = (sink: MemorySink) =>
    parseHistory(stored(sink, HISTORY_KEY)).entries.map((entry) => ({
      runId: entry.runId,
      complete: entry.complete,
      fail: entry.findings.fail,
      diff: entry.diff,
    }));

  it('compares three nightly runs, carrying the first day each failure was seen', async () => {
    // Prepare
    const sink = new MemorySink();
    // Act
    const first = await nightly(sink, '2026-11-27', 'r1', [cluster('a', open), cluster('b', closed)]);
    await nightly(sink, '2026-11-28', 'r2', [cluster('a', open), cluster('b', open), cluster('c', closed)]);
    const third = await nightly(sink, '2026-11-29', 'r3', [
      cluster('a', open),
      cluster('b', open),
      cluster('c', unread),
    ]);
    // Assess
    const persisting = (clusterId: string, firstSeenFailing: string) => ({
      checkId: 'EP-01',
      clusterId,
      severity: 'high',
      status: 'fail',
      previousStatus: 'fail',
      firstSeenFailing,
    });
    assert.deepEqual(first.diff, {
      previousRun: null,
      unavailable: 'no previous complete run: the sink has no latest.json',
      notices: [],
    });
    assert.deepEqual(third.diff, {
      previousRun: { id: 'r2', startedAt: '2026-11-28T02:00:01.000Z', folder: 'runs/2026-11-28/r2' },
      new: [],
      fixed: [],
      persisting: [persisting('a', '2026-11-27'), persisting('b', '2026-11-28')],
      newlyUnknown: [
        { checkId: 'EP-01', clusterId: 'c', severity: 'high', status: 'unknown', previousStatus: 'pass' },
      ],
      clustersAdded: [],
      clustersRemoved: [],
      clustersNotRead: [],
      scopesLost: [],
      notices: [],
    });
    assert.deepEqual(JSON.parse(stored(sink, 'runs/2026-11-29/r3/report.json')).diff, third.diff);
    assert.deepEqual(historyOf(sink), [
      { runId: 'r1', complete: true, fail: 1, diff: null },
      {
        runId: 'r2',
        complete: true,
        fail: 2,
        diff: { new: 1, fixed: 0, persisting: 1, newlyUnknown: 0, clustersAdded: 1, clustersRemoved: 0 },
      },
      {
        runId: 'r3',
        complete: true,
        fail: 2,
        diff: { new: 0, fixed: 0, persisting: 2, newlyUnknown: 1, clustersAdded: 0, clustersRemoved: 0 },
      },
    ]);
    const markdown = stored(sink, 'runs/2026-11-29/r3/report.md').split('\n');
    assert.ok(
      markdown.includes(
        '| <code>EP-01</code> The API server has no public endpoint | a | Amazon EKS | High | Fail | Fail, failing since 2026-11-27 \\(2 days\\) |',
      ),
    );
    assert.ok(
      stored(sink, 'runs/2026-11-29/r3/report.html').includes(
        '<td>Fail<br><span class="muted">failing since 2026-11-27 (2 days)</span></td>',
      ),
    );
  });

  it('records an incomplete run in the history and compares the next run with the last complete one', async () => {
    // Prepare
    const sink = new MemorySink();
    const problem = { file: 'export/b.json', reason: 'not valid JSON' };
    // Act
    await nightly(sink, '2026-11-27', 'r1', [cluster('a', open), cluster('b', open)]);
    const incomplete = await nightly(sink, '2026-11-28', 'r2', [cluster('a', closed)], [problem]);
    const third = await nightly(sink, '2026-11-29', 'r3', [cluster('a', closed), cluster('b', open)]);
    // Assess
    const fixedA = {
      checkId: 'EP-01',
      clusterId: 'a',
      severity: 'high',
      status: 'pass',
      previousStatus: 'fail',
    };
    const clusterB = {
      id: 'b',
      provider: 'eks',
      scope: 'example-scope',
      location: 'example-location',
      name: 'b',
    };
    const comparedWith = (outcome: ScanOutcome) => {
      assert.ok(outcome.diff.previousRun !== null, 'the run was compared');
      return outcome.diff;
    };
    assert.deepEqual(
      {
        complete: incomplete.complete,
        fixed: comparedWith(incomplete).fixed,
        notRead: comparedWith(incomplete).clustersNotRead,
        removed: comparedWith(incomplete).clustersRemoved,
        thirdComparedWith: comparedWith(third).previousRun.id,
      },
      { complete: false, fixed: [fixedA], notRead: [clusterB], removed: [], thirdComparedWith: 'r1' },
    );
    assert.deepEqual(historyOf(sink), [
      { runId: 'r1', complete: true, fail: 2, diff: null },
      {
        runId: 'r2',
        complete: false,
        fail: 0,
        diff: { new: 0, fixed: 1, persisting: 0, newlyUnknown: 0, clustersAdded: 0, clustersRemoved: 0 },
      },
      {
        runId: 'r3',
        complete: true,
        fail: 1,
        diff: { new: 0, fixed: 1, persisting: 1, newlyUnknown: 0, clustersAdded: 0, clustersRemoved: 0 },
      },
    ]);
  });

  it('adds the run to the history of every sink that took it, and of no other', async () => {
    // Prepare
    const taken = new MemorySink();
    const broken = new (class extends MemorySink {
      override async put(key: string, body: string): Promise<void> {
        if (key.endsWith('/report.json')) throw new Error('AccessDenied');
        return super.put(key, body);
      }
    })();
    // Act
    const outcome = await runScan(
      { ...deps([healthy], taken), sinks: [taken, broken] },
      { trigger: 'cli', formats: ['json'] },
    );
    // Assess
    assert.deepEqual(
      {
        latest: outcome.latest.map((pointer) => pointer.state),
        taken: parseHistory(stored(taken, HISTORY_KEY)).entries.map((entry) => entry.runId),
        broken: broken.writes,
        historyFailures: outcome.historyFailures,
      },
      { latest: ['moved', 'failed'], taken: ['run-1'], broken: [], historyFailures: [] },
    );
  });

  it('says in the report why there is no diff, and replaces a corrupt history, without failing the run', async () => {
    // Prepare
    const corrupt = new MemorySink();
    await nightly(corrupt, '2026-11-27', 'r1', [cluster('a', open)]);
    const report = stored(corrupt, 'runs/2026-11-27/r1/report.json');
    const half = report.slice(0, report.length / 2);
    await corrupt.put('runs/2026-11-27/r1/report.json', half);
    await corrupt.put(HISTORY_KEY, '<<<');
    const moved = new MemorySink();
    await moved.put('latest.json', JSON.stringify({ runId: 'r0', folder: 'runs/2026-11-26/r0' }));
    // Act
    const afterCorrupt = await nightly(corrupt, '2026-11-28', 'r2', [cluster('a', open)]);
    const afterMoved = await nightly(moved, '2026-11-28', 'r2', [cluster('a', open)]);
    // Assess
    const truncated = `previous run r1: runs/2026-11-27/r1/report.json is not valid JSON (${parseErrorOf(half)})`;
    assert.deepEqual(
      {
        diff: afterCorrupt.diff,
        complete: afterCorrupt.complete,
        latest: JSON.parse(stored(corrupt, 'latest.json')).runId,
        history: historyOf(corrupt).map((entry) => entry.runId),
        historyFailures: afterCorrupt.historyFailures,
        moved: afterMoved.diff,
      },
      {
        diff: {
          previousRun: null,
          unavailable: truncated,
          notices: [
            `history.json is not valid JSON (${parseErrorOf('<<<')}); a new history starts with this run`,
          ],
        },
        complete: true,
        latest: 'r2',
        history: ['r2'],
        historyFailures: [],
        moved: {
          previousRun: null,
          unavailable:
            'previous run r0: runs/2026-11-26/r0/report.json does not exist (its folder is gone, or it wrote no report.json)',
          notices: [],
        },
      },
    );
    const markdown = stored(corrupt, 'runs/2026-11-28/r2/report.md');
    assert.ok(
      markdown.includes(`> [!NOTE]\n> No comparison with a previous run: ${escapeMarkdown(truncated)}\n`),
    );
  });
});

function parseErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} parsed`);
}

describe('engine: runScan, notifiers', () => {
  /** A notifier that asks for a link and the HTML, as an email with an attachment does, then breaks its contract. */
  function breaking(thrown: unknown, seen: { link?: string; html?: number }): Notifier {
    return {
      name: 'smtp mail.example:587',
      async notify(run) {
        seen.link = await run.link('runs/2026-11-29/run-1/report.html', 3600);
        seen.html = run.renderHtml().length;
        throw thrown;
      },
    };
  }

  it('records a notifier that throws as undelivered, in the manifest and the exit code, whatever it throws', async () => {
    for (const thrown of [new Error('socket hang up'), 'connection refused']) {
      // Prepare
      const sink = new MemorySink();
      const seen: { link?: string; html?: number } = {};
      // Act
      const outcome = await runScan(
        { ...deps([healthy], sink), notifiers: [breaking(thrown, seen)] },
        { trigger: 'schedule', formats: ['html'] },
      );
      // Assess
      const expected = [
        {
          notifier: 'smtp mail.example:587',
          delivered: 0,
          failures: [
            {
              notifier: 'smtp mail.example:587',
              recipients: [],
              reason: String(thrown).replace(/^Error: /, ''),
            },
          ],
        },
      ];
      assert.deepEqual(outcome.notifications, expected);
      const manifest = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/manifest.json') ?? '{}');
      assert.deepEqual(manifest.notifications, expected);
      assert.equal(exitCodeFor(outcome, 'none'), 2);
      assert.equal(
        seen.link,
        'memory://reports/runs/2026-11-29/run-1/report.html',
        'a sink without links gives the location',
      );
      assert.ok((seen.html ?? 0) > 1000, 'the HTML report is rendered on demand');
    }
  });

  it('asks the first sink that holds the run for a link when it makes links', async () => {
    // Prepare
    const sink = new MemorySink();
    Object.assign(sink, {
      link: async (key: string, lifetime: number) => `https://signed.example/${key}?ttl=${lifetime}`,
    });
    const seen: { link?: string } = {};
    // Act
    await runScan(
      { ...deps([healthy], sink), notifiers: [breaking(new Error('x'), seen)] },
      { trigger: 'schedule', formats: ['html'] },
    );
    // Assess
    assert.equal(seen.link, 'https://signed.example/runs/2026-11-29/run-1/report.html?ttl=3600');
  });
});

describe('engine: runScan, when every sink fails', () => {
  it('points the run, and the links notifiers get, at the fallback folder', async () => {
    // Prepare
    const broken = new MemorySink();
    broken.put = async (key) => {
      throw new Error(`s3://acme/${key}: NoSuchBucket: The specified bucket does not exist`);
    };
    const fallback = new MemorySink();
    const seen: string[] = [];
    const notifier: Notifier = {
      name: 'recorder',
      async notify(run) {
        seen.push(await run.link('runs/2026-11-29/run-1/report.json', 60));
        return { notifier: 'recorder', delivered: 1, failures: [] };
      },
    };
    // Act
    const outcome = await runScan(
      { ...deps([healthy], broken), fallback, notifiers: [notifier] },
      { trigger: 'schedule', formats: ['json'] },
    );
    // Assess
    assert.deepEqual(
      {
        runLocation: outcome.runLocation,
        fallbackLocation: outcome.fallbackLocation,
        links: seen,
        failed: outcome.publishFailures.map((failure) => failure.key),
        exit: exitCodeFor(outcome, 'none'),
      },
      {
        runLocation: 'memory://reports/runs/2026-11-29/run-1',
        fallbackLocation: 'memory://reports/runs/2026-11-29/run-1',
        links: ['memory://reports/runs/2026-11-29/run-1/report.json'],
        failed: ['runs/2026-11-29/run-1/report.json'],
        exit: 2,
      },
    );
    assert.deepEqual(fallback.writes, [
      'runs/2026-11-29/run-1/report.json',
      'runs/2026-11-29/run-1/manifest.json',
    ]);
  });
});
