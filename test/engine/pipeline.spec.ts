import assert from 'node:assert/strict';
import { BENCHMARKS } from '../../checks/frameworks/cis.js';
import {
  PROVIDER_MANAGED_CONTROLS,
  SHARED_RESPONSIBILITY_PAGES,
} from '../../checks/frameworks/providerManaged.js';
import { CHECKS } from '../../checks/registry.js';
import { DEFAULT_CHECK_SETTINGS } from '../../checks/types.js';
import { exitCodeFor, type PipelineDeps, runScan } from '../../engine/pipeline.js';
import type { PostureSource, SourceResult } from '../../engine/ports.js';
import { SUPPORT_CALENDAR } from '../../engine/versions/calendar.js';
import type { Waiver } from '../../engine/waivers.js';
import type { Finding } from '../../model/finding.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';

function deps(sources: readonly PostureSource[], sink: MemorySink): PipelineDeps {
  let tick = Date.parse('2026-11-29T02:00:00Z');
  return {
    tool: { name: 'kubeline', version: '0.0.0-test' },
    sources,
    checks: CHECKS,
    settings: DEFAULT_CHECK_SETTINGS,
    disabledChecks: new Set(),
    severityOverrides: {},
    waivers: [],
    support: SUPPORT_CALENDAR,
    benchmarks: BENCHMARKS,
    providerManaged: PROVIDER_MANAGED_CONTROLS,
    sharedResponsibilityPages: SHARED_RESPONSIBILITY_PAGES,
    sinks: [sink],
    fallback: new MemorySink(),
    clock: () => {
      tick += 1000;
      return new Date(tick);
    },
    newRunId: () => 'run-1',
  };
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
  it('writes every format under runs/<day>/<runId>/, then the manifest, then latest.json', async () => {
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
