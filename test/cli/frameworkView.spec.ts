import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS, CIS_AKS, CIS_GKE, checksOf } from '../../checks/frameworks/cis.js';
import { limitToProvider } from '../../cli/frameworkView.js';
import type { PostureSource, SourceResult } from '../../engine/ports.js';
import type { ReportJson } from '../../model/reportJson.js';
import { kubeline } from '../fixtures/cli.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';

async function scan(
  extra: readonly string[],
): Promise<{ code: number; stderr: string; report: ReportJson; html: string }> {
  const out = await mkdtemp(join(tmpdir(), 'kubeline-framework-'));
  const result = await kubeline([
    'scan',
    '--from',
    'examples/fleet',
    '--out',
    out,
    '--as-of',
    '2026-11-29',
    '--fail-on',
    'none',
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const folder = result.stdout.trim();
  return {
    code: result.code,
    stderr: result.stderr,
    report: JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as ReportJson,
    html: await readFile(join(folder, 'report.html'), 'utf8'),
  };
}

const STATUS_ORDER = ['fail', 'error', 'unknown', 'waived', 'pass', 'not_applicable'];

describe('cli: kubeline scan --framework', () => {
  it('limits the report to the benchmark: its provider, the checks its controls map, every control first', async () => {
    // Act
    const { report, html } = await scan(['--framework', 'cis-gke']);

    // Assess
    assert.deepEqual(report.frameworkView, { framework: 'cis-gke', version: '1.9.0' });
    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.provider, cluster.name]),
      [
        ['gke', 'legacy-reporting'],
        ['gke', 'data-autopilot'],
        ['gke', 'batch-public'],
        ['gke', 'ml-training'],
        ['gke', 'payments-core'],
      ],
    );
    assert.deepEqual(report.scopes, [
      {
        provider: 'snapshot',
        scope: 'examples/fleet/gke/acme-corp-legacy.legacy-reporting.describe.json',
        status: 'ok',
        clusters: 1,
      },
      {
        provider: 'snapshot',
        scope: 'examples/fleet/gke/acme-data-prod.clusters-list.json',
        status: 'ok',
        clusters: 2,
      },
      {
        provider: 'snapshot',
        scope: 'examples/fleet/gke/acme-ml-dev.ml-training.describe.json',
        status: 'ok',
        clusters: 1,
      },
      {
        provider: 'snapshot',
        scope: 'examples/fleet/gke/acme-payments-prod.payments-core.describe.json',
        status: 'ok',
        clusters: 1,
      },
    ]);
    assert.deepEqual(
      [...new Set(report.findings.map((finding) => finding.checkId))].sort(),
      checksOf(CIS_GKE).sort(),
    );
    assert.deepEqual(report.checks.map((check) => check.id).sort(), checksOf(CIS_GKE).sort());
    assert.equal(report.findings.length, report.clusters.length * checksOf(CIS_GKE).length);
    assert.deepEqual(
      report.compliance.map((framework) => [
        framework.framework,
        framework.controls.map((control) => control.control),
      ]),
      [['cis-gke', CIS_GKE.controls.map((control) => control.control)]],
    );
    // The headline stays first; the benchmark comes straight after it, before the charts.
    assert.ok(html.indexOf('<section id="compliance">') > html.indexOf('<section id="summary">'));
    assert.ok(html.indexOf('<section id="compliance">') < html.indexOf('<section id="charts">'));
  });

  it("gives each automated control on each cluster the worst status of its checks' findings, and scores them", async () => {
    // Act
    const { report } = await scan(['--framework', 'cis-gke']);

    // Assess
    const [gke] = report.compliance;
    assert.ok(gke);
    const statusOf = (clusterId: string, checks: readonly string[]) =>
      report.findings
        .filter((finding) => finding.clusterId === clusterId && checks.includes(finding.checkId))
        .map((finding) => finding.status)
        .sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0] ?? null;
    for (const control of gke.controls) {
      assert.deepEqual(
        control.clusters,
        control.coverage === 'automated'
          ? report.clusters.map((cluster) => ({
              clusterId: cluster.id,
              status: statusOf(cluster.id, control.checks),
            }))
          : [],
        control.control,
      );
    }
    const estate = gke.clusters.reduce(
      (sum, cluster) => ({
        passed: sum.passed + cluster.score.passed,
        decided: sum.decided + cluster.score.decided,
        unknown: sum.unknown + cluster.score.unknown,
      }),
      { passed: 0, decided: 0, unknown: 0 },
    );
    assert.deepEqual(
      { passed: gke.score.passed, decided: gke.score.decided, unknown: gke.score.unknown },
      estate,
    );
    assert.ok(gke.score.decided > 0);
  });

  it('puts every benchmark of the fleet in an ordinary scan, each control listed, without a framework view', async () => {
    // Act
    const { report, html } = await scan([]);

    // Assess
    assert.equal(report.frameworkView, undefined);
    assert.deepEqual(
      report.compliance.map((framework) => [
        framework.framework,
        framework.version,
        framework.controls.length,
      ]),
      BENCHMARKS.map((benchmark) => [benchmark.framework, benchmark.version, benchmark.controls.length]),
    );
    assert.deepEqual(
      report.compliance.map(
        (framework) => new Set(framework.clusters.map((cluster) => cluster.clusterId)).size,
      ),
      ['eks', 'gke', 'aks'].map(
        (provider) => report.clusters.filter((cluster) => cluster.provider === provider).length,
      ),
    );
    assert.ok(html.indexOf('<section id="compliance">') > html.indexOf('<section id="summary">'));
  });

  for (const [argv, expected] of [
    [
      ['scan', '--from', 'examples/fleet', '--framework', 'cis-k8s'],
      'kubeline: --framework takes one of cis-eks, cis-gke, cis-aks; got "cis-k8s"\n',
    ],
    [
      ['scan', '--from', 'examples/fleet', '--provider', 'eks', '--framework', 'cis-gke'],
      'kubeline: --framework cis-gke covers Google GKE clusters only; --provider eks leaves nothing to scan\n',
    ],
    [
      ['scan', '--framework', 'cis-aks'],
      'kubeline: nothing to scan for --framework cis-aks: give --from PATH, --provider aks, or targets.aks in the configuration\n',
    ],
  ] as const) {
    it(`exits 64 for: kubeline ${argv.join(' ')}`, async () => {
      assert.deepEqual(await kubeline(argv), { code: 64, stdout: '', stderr: expected });
    });
  }
});

describe('cli: kubeline checks --framework', () => {
  it('prints every control of the benchmark, what to verify by hand and what the provider secures', async () => {
    // Act
    const result = await kubeline(['checks', '--framework', 'cis-aks']);

    // Assess
    const lines = result.stdout.trimEnd().split('\n');
    const manual = CIS_AKS.controls.filter((control) => control.coverage === 'manual');
    assert.equal(result.code, 0);
    assert.deepEqual(lines.slice(0, 4), [
      'CIS Azure Kubernetes Service (AKS) Benchmark 1.8.0',
      '51 controls: 17 automated, 1 provider-managed, 33 manual',
      '',
      'CONTROL  CIS        COVERAGE         CHECKS                 TITLE',
    ]);
    assert.equal(lines[4], `2.1.1    -          automated        AUD-01                 Enable audit Logs`);
    assert.deepEqual(
      lines.slice(4, 4 + CIS_AKS.controls.length).map((line) => line.split(/ +/)[0]),
      CIS_AKS.controls.map((control) => control.control),
    );
    const byHand = lines.indexOf('Verify by hand (manual controls):');
    assert.deepEqual(
      lines.slice(byHand + 1, byHand + 1 + manual.length),
      manual.map((control) => `${control.control.padEnd(8)} ${control.verify}`),
    );
    assert.deepEqual(lines.slice(-2), [
      'Secured by the provider (provider-managed controls):',
      '4.4.1    AKS ships and upgrades Azure CNI and kubenet with the cluster and node image versions; a cluster that brings its own CNI (network plugin none) owns this itself.',
    ]);
  });
});

describe('limitToProvider', () => {
  const eks = eksPosture({ id: 'eks-1', origin: { kind: 'snapshot', file: 'mixed.json', format: 'x' } });
  const gke = gkePosture({ id: 'gke-1', origin: { kind: 'snapshot', file: 'mixed.json', format: 'x' } });
  const aks = aksPosture({ id: 'aks-1', origin: { kind: 'snapshot', file: 'aks.json', format: 'x' } });
  const live = gkePosture({ id: 'gke-live', origin: { kind: 'api', api: 'container.googleapis.com' } });

  function source(result: SourceResult, closed: string[]): PostureSource {
    return {
      name: 'test source',
      collect: async () => result,
      close: async () => {
        closed.push('closed');
      },
    };
  }

  it("keeps the provider's clusters, its scopes, the files that held them and the files not read", async () => {
    // Prepare
    const closed: string[] = [];
    const inner = source(
      {
        postures: [eks, gke, aks, live],
        scopes: [
          { provider: 'snapshot', scope: 'mixed.json', status: 'ok', clusters: 2 },
          { provider: 'snapshot', scope: 'aks.json', status: 'ok', clusters: 1 },
          { provider: 'snapshot', scope: 'broken.json', status: 'error', error: 'not JSON', clusters: 0 },
          { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
          { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 0 },
        ],
        problems: [{ file: 'broken.json', reason: 'not JSON' }],
        notices: [
          { files: ['a.json', 'b.json'], cluster: 'aks-1', message: 'exported twice' },
          { files: ['c.json', 'd.json'], cluster: 'gke-1', message: 'exported twice' },
          { files: ['e.json'], cluster: 'unknown-resource', message: 'settings without a cluster' },
        ],
      },
      closed,
    );

    // Act
    const limited = limitToProvider(inner, 'gke');
    const result = await limited.collect();
    await limited.close?.();

    // Assess
    assert.deepEqual(
      {
        name: limited.name,
        postures: result.postures.map((posture) => posture.id),
        scopes: result.scopes,
        problems: result.problems,
        notices: result.notices?.map((notice) => notice.cluster),
        closed,
      },
      {
        name: 'test source',
        postures: ['gke-1', 'gke-live'],
        scopes: [
          { provider: 'snapshot', scope: 'mixed.json', status: 'ok', clusters: 1 },
          { provider: 'snapshot', scope: 'broken.json', status: 'error', error: 'not JSON', clusters: 0 },
          { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
        ],
        problems: [{ file: 'broken.json', reason: 'not JSON' }],
        notices: ['gke-1', 'unknown-resource'],
        closed: ['closed'],
      },
    );
  });

  it('adds no notices or close the source does not have', async () => {
    const limited = limitToProvider(
      { name: 'bare', collect: async () => ({ postures: [aks], scopes: [], problems: [] }) },
      'aks',
    );
    assert.deepEqual(
      { keys: Object.keys(await limited.collect()).sort(), close: limited.close },
      { keys: ['postures', 'problems', 'scopes'], close: undefined },
    );
  });
});
