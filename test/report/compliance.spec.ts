import assert from 'node:assert/strict';
import type { Benchmark } from '../../checks/frameworks/cis.js';
import type { Finding, Status } from '../../model/finding.js';
import type { ReportFramework, ReportModel } from '../../model/reportView.js';
import { buildReportModel } from '../../report/build.js';
import { CONTROL_CLUSTERS_SHOWN, compareControls, scoreOf } from '../../report/compliance.js';
import { toReportJson } from '../../report/json.js';
import { renderReports } from '../../report/render.js';
import { eksPosture } from '../fixtures/postures.js';
import { AKS_ID, CLUSTERS, EKS_ID, finding, GKE_ID, reportInput } from './fixtures.js';

const EKS_BENCHMARK: Benchmark = {
  framework: 'cis-eks',
  provider: 'eks',
  version: '1.8.0',
  title: 'CIS Amazon EKS Benchmark',
  controls: [
    {
      control: '2.1.1',
      title: 'Audit logs',
      assessment: 'Manual',
      coverage: 'automated',
      checks: ['AUD-01'],
    },
    {
      control: '3.1.1',
      title: 'Kubeconfig <mode>',
      assessment: 'Automated',
      coverage: 'manual',
      checks: [],
      verify: 'Run stat -c %a on the kubeconfig: compliant is 644 <or> stricter.',
    },
    {
      control: '4.4.1',
      title: 'Latest CNI',
      assessment: null,
      coverage: 'provider-managed',
      checks: [],
      note: 'The provider ships the CNI.',
    },
    {
      control: '5.4.2',
      title: 'Private endpoint',
      assessment: 'Manual',
      coverage: 'automated',
      checks: ['EP-01', 'EP-03'],
      note: 'Both must pass.',
    },
    {
      control: '5.10.1',
      title: 'Later item',
      assessment: 'Manual',
      coverage: 'automated',
      checks: ['NET-01'],
    },
  ],
};

const GKE_BENCHMARK: Benchmark = {
  framework: 'cis-gke',
  provider: 'gke',
  version: '1.9.0',
  title: 'CIS GKE Benchmark',
  controls: [
    {
      control: '5.6.4',
      title: 'Private endpoint',
      assessment: 'Automated',
      coverage: 'automated',
      checks: ['EP-01'],
    },
  ],
};

const AKS_BENCHMARK: Benchmark = {
  framework: 'cis-aks',
  provider: 'aks',
  version: '1.8.0',
  title: 'CIS AKS Benchmark',
  controls: [
    { control: '2.1.1', title: 'Audit logs', assessment: null, coverage: 'automated', checks: ['AUD-01'] },
  ],
};

const BENCHMARKS = [EKS_BENCHMARK, GKE_BENCHMARK, AKS_BENCHMARK];

const EKS2_ID = 'arn:aws:eks:eu-west-1:111111111111:cluster/stage';
const EKS_CLUSTERS = [
  CLUSTERS[1] ?? eksPosture({ id: EKS_ID }),
  eksPosture({ id: EKS2_ID, name: 'stage', scope: '111111111111', location: 'eu-west-1' }),
];

function eks(checkId: string, clusterId: string, status: Status, overrides: Partial<Finding> = {}): Finding {
  return finding({ checkId, clusterId, status, provider: 'eks', ...overrides });
}

function model(findings: readonly Finding[], overrides: Parameters<typeof reportInput>[0] = {}): ReportModel {
  return buildReportModel(
    reportInput({
      clusters: EKS_CLUSTERS,
      scopes: [{ provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 2 }],
      benchmarks: BENCHMARKS,
      findings,
      ...overrides,
    }),
  );
}

function framework(built: ReportModel, name: string): ReportFramework {
  const found = built.compliance.find((entry) => entry.framework === name);
  assert.ok(found, `no ${name} in ${built.compliance.map((entry) => entry.framework).join(', ')}`);
  return found;
}

/** The per-cluster statuses of one control, by cluster name. */
function cells(entry: ReportFramework, control: string): Record<string, Status | null> {
  const row = entry.controls.find((item) => item.control === control);
  return Object.fromEntries((row?.clusters ?? []).map((cell) => [cell.clusterName, cell.status]));
}

describe('compliance section', () => {
  describe('scoreOf', () => {
    it('scores passing results out of decided ones, as a fraction and a percentage', () => {
      const statuses: Status[] = ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'fail'];
      assert.deepEqual(scoreOf(statuses), {
        passed: 7,
        failed: 2,
        decided: 9,
        unknown: 0,
        error: 0,
        waived: 0,
        notApplicable: 0,
        notEvaluated: 0,
        percent: 78,
        label: '7/9 (78%)',
        asideLabel: 'none',
      });
    });

    it('says "no decided controls" rather than 0% or 100% when nothing was decided', () => {
      assert.deepEqual(
        [scoreOf([]), scoreOf(['unknown', 'unknown', 'unknown'])].map((score) => ({
          percent: score.percent,
          label: score.label,
          aside: score.asideLabel,
          decided: score.decided,
        })),
        [
          { percent: null, label: 'no decided controls', aside: 'none', decided: 0 },
          { percent: null, label: 'no decided controls', aside: '3 unknown', decided: 0 },
        ],
      );
    });

    it('keeps unknown, error, waived, not applicable and not evaluated out of the denominator, and names them', () => {
      const score = scoreOf(['pass', 'fail', 'unknown', 'error', 'waived', 'waived', 'not_applicable', null]);
      assert.deepEqual(
        { counts: [score.passed, score.failed, score.decided], label: score.label, aside: score.asideLabel },
        {
          counts: [1, 1, 2],
          label: '1/2 (50%)',
          aside: '1 unknown, 1 error, 2 waived (accepted exceptions), 1 not applicable, 1 not evaluated',
        },
      );
    });

    it('never rounds to 100% while a result fails, nor to 0% while one passes', () => {
      const many = (passing: number, failing: number): Status[] => [
        ...Array<Status>(passing).fill('pass'),
        ...Array<Status>(failing).fill('fail'),
      ];
      assert.deepEqual(
        [many(199, 1), many(1, 299), many(5, 0), many(0, 5), many(1, 2)].map(
          (statuses) => scoreOf(statuses).label,
        ),
        ['199/200 (99%)', '1/300 (1%)', '5/5 (100%)', '0/5 (0%)', '1/3 (33%)'],
      );
    });
  });

  describe('controls', () => {
    it('lists every control of the benchmark in numeric order, with coverage, assessment and what to verify', () => {
      const built = model([]);
      const eksEntry = framework(built, 'cis-eks');
      assert.deepEqual(
        eksEntry.controls.map((control) => ({
          control: control.control,
          assessment: control.assessmentLabel,
          coverage: control.coverageLabel,
          flags: [control.automated, control.manual, control.providerManaged],
          status: control.statusLabel,
          result: control.resultLabel,
          verify: control.verify,
          note: control.note,
        })),
        [
          {
            control: '2.1.1',
            assessment: 'Manual',
            coverage: 'Automated',
            flags: [true, false, false],
            status: 'Not evaluated',
            result: '2 not evaluated',
            verify: null,
            note: null,
          },
          {
            control: '3.1.1',
            assessment: 'Automated',
            coverage: 'Manual',
            flags: [false, true, false],
            status: 'Manual',
            result: 'Verify by hand',
            verify: 'Run stat -c %a on the kubeconfig: compliant is 644 <or> stricter.',
            note: null,
          },
          {
            control: '4.4.1',
            assessment: 'Not stated',
            coverage: 'Provider-managed',
            flags: [false, false, true],
            status: 'Provider-managed',
            result: 'Secured by the provider',
            verify: null,
            note: 'The provider ships the CNI.',
          },
          {
            control: '5.4.2',
            assessment: 'Manual',
            coverage: 'Automated',
            flags: [true, false, false],
            status: 'Not evaluated',
            result: '2 not evaluated',
            verify: null,
            note: 'Both must pass.',
          },
          {
            control: '5.10.1',
            assessment: 'Manual',
            coverage: 'Automated',
            flags: [true, false, false],
            status: 'Not evaluated',
            result: '2 not evaluated',
            verify: null,
            note: null,
          },
        ],
      );
      assert.equal(eksEntry.coverageLabel, '5 controls: 3 automated, 1 provider-managed, 1 manual');
    });

    it('gives an automated control the worst status of its checks on each cluster', () => {
      const built = model([
        eks('EP-01', EKS_ID, 'pass'),
        eks('EP-03', EKS_ID, 'fail'),
        eks('EP-01', EKS2_ID, 'pass'),
        eks('EP-03', EKS2_ID, 'not_applicable'),
        eks('AUD-01', EKS_ID, 'unknown'),
        eks('AUD-01', EKS2_ID, 'error'),
      ]);
      const entry = framework(built, 'cis-eks');
      const control = entry.controls.find((item) => item.control === '5.4.2');
      assert.deepEqual(
        {
          '5.4.2': cells(entry, '5.4.2'),
          '2.1.1': cells(entry, '2.1.1'),
          '5.10.1': cells(entry, '5.10.1'),
          status: control?.status,
          result: control?.resultLabel,
          evidence: control?.clusters.map((cell) =>
            cell.findings.map((item) => `${item.checkId} ${item.status}`),
          ),
        },
        {
          '5.4.2': { prod: 'fail', stage: 'pass' },
          '2.1.1': { prod: 'unknown', stage: 'error' },
          '5.10.1': { prod: null, stage: null },
          status: 'fail',
          result: '1 fail, 1 pass',
          evidence: [
            ['EP-03 fail', 'EP-01 pass'],
            ['EP-01 pass', 'EP-03 not_applicable'],
          ],
        },
      );
    });

    it('scores each cluster over its automated controls, and the benchmark over every cluster', () => {
      const built = model([
        eks('EP-01', EKS_ID, 'pass'),
        eks('EP-03', EKS_ID, 'pass'),
        eks('AUD-01', EKS_ID, 'pass'),
        eks('NET-01', EKS_ID, 'fail'),
        eks('EP-01', EKS2_ID, 'pass'),
        eks('EP-03', EKS2_ID, 'pass'),
        eks('AUD-01', EKS2_ID, 'unknown'),
      ]);
      const entry = framework(built, 'cis-eks');
      assert.deepEqual(
        {
          clusters: entry.clusters.map((cluster) => [
            cluster.clusterName,
            cluster.score.label,
            cluster.score.asideLabel,
          ]),
          estate: [entry.score.label, entry.score.asideLabel],
        },
        {
          clusters: [
            ['prod', '2/3 (67%)', 'none'],
            ['stage', '1/1 (100%)', '1 unknown, 1 not evaluated'],
          ],
          estate: ['3/4 (75%)', '1 unknown, 1 not evaluated'],
        },
      );
    });

    it('counts a waived control as an accepted exception, in neither the passes nor the denominator', () => {
      const waiver = { reason: 'VPN migration', owner: 'platform@acme.example', expires: '2026-12-31' };
      const built = model([
        eks('AUD-01', EKS_ID, 'pass'),
        eks('EP-01', EKS_ID, 'waived', { waiver: { ...waiver, originalStatus: 'fail' } }),
        eks('EP-03', EKS_ID, 'pass'),
        eks('NET-01', EKS_ID, 'fail'),
        eks('NET-01', EKS2_ID, 'waived', { waiver: { ...waiver, originalStatus: 'unknown' } }),
      ]);
      const entry = framework(built, 'cis-eks');
      assert.deepEqual(
        {
          cells: cells(entry, '5.4.2'),
          netCells: cells(entry, '5.10.1'),
          prod: entry.clusters[0]?.score.label,
          estate: [entry.score.waived, entry.score.label, entry.score.asideLabel],
        },
        {
          cells: { prod: 'waived', stage: null },
          netCells: { prod: 'fail', stage: 'waived' },
          prod: '1/2 (50%)',
          estate: [2, '1/2 (50%)', '2 waived (accepted exceptions), 2 not evaluated'],
        },
      );
    });

    it('lists the clusters that need a look first, cut for the Markdown report', () => {
      const ids = Array.from({ length: CONTROL_CLUSTERS_SHOWN + 3 }, (_, index) => `${EKS_ID}-${index}`);
      const built = model(
        ids.map((id) => eks('AUD-01', id, 'fail')),
        {
          clusters: ids.map((id, index) =>
            eksPosture({ id, name: `c${String(index).padStart(2, '0')}`, scope: '1', location: 'x' }),
          ),
        },
      );
      const control = framework(built, 'cis-eks').controls[0];
      assert.deepEqual(
        {
          shown: control?.unresolved.length,
          more: control?.unresolvedMoreLabel,
          all: control?.clusters.length,
        },
        {
          shown: CONTROL_CLUSTERS_SHOWN,
          more: '…and 3 more; report.html and report.json list every cluster.',
          all: CONTROL_CLUSTERS_SHOWN + 3,
        },
      );
    });

    it('adds a control a finding cites that the data lacks, so no citation is dropped', () => {
      const built = model([
        eks('RBAC-01', EKS_ID, 'fail', {
          compliance: [{ framework: 'cis-eks', version: '1.8.0', control: '9.9' }],
        }),
        eks('RBAC-01', EKS_ID, 'fail', {
          compliance: [{ framework: 'cis-eks', version: '1.7.0', control: '5.1' }],
        }),
      ]);
      assert.deepEqual(
        built.compliance.map((entry) => ({
          title: entry.title,
          provider: entry.provider,
          extra: entry.controls
            .filter((control) => control.title === '')
            .map((control) => [control.control, control.checks.join(','), control.status]),
        })),
        [
          { title: 'CIS EKS 1.7.0', provider: null, extra: [['5.1', 'RBAC-01', 'fail']] },
          { title: 'CIS Amazon EKS Benchmark 1.8.0', provider: 'eks', extra: [['9.9', 'RBAC-01', 'fail']] },
        ],
      );
    });
  });

  describe('benchmarks in the run', () => {
    it('lists one benchmark per provider in the run, each over its own clusters only', () => {
      const built = buildReportModel(
        reportInput({
          benchmarks: BENCHMARKS,
          findings: [
            finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'pass' }),
            finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'fail' }),
            finding({ checkId: 'AUD-01', clusterId: AKS_ID, provider: 'aks', status: 'pass' }),
          ],
        }),
      );
      assert.deepEqual(
        built.compliance.map((entry) => ({
          framework: entry.framework,
          clusters: entry.clusters.map((cluster) => cluster.clusterId),
          score: entry.score.label,
        })),
        [
          { framework: 'cis-eks', clusters: [EKS_ID], score: '1/1 (100%)' },
          { framework: 'cis-gke', clusters: [GKE_ID], score: '0/1 (0%)' },
          { framework: 'cis-aks', clusters: [AKS_ID], score: '1/1 (100%)' },
        ],
      );
      assert.equal(built.frameworkView, null);
    });

    it('lists the benchmark of a provider whose scope was listed but held no cluster, with no decided controls', () => {
      const built = model([], { clusters: [] });
      const entry = framework(built, 'cis-eks');
      assert.deepEqual(
        {
          frameworks: built.compliance.map((item) => item.framework),
          clusters: entry.clusters,
          score: entry.score.label,
          cells: entry.controls.map((control) => control.clusters.length),
          result: entry.controls[0]?.resultLabel,
        },
        {
          frameworks: ['cis-eks'],
          clusters: [],
          score: 'no decided controls',
          cells: [0, 0, 0, 0, 0],
          result: 'no cluster',
        },
      );
    });

    it('lists no benchmark for a run without providers', () => {
      assert.deepEqual(model([], { clusters: [], scopes: [] }).compliance, []);
    });

    it('leads with the viewed benchmark, listed even when no cluster of its provider was read', () => {
      const built = model([], { clusters: [], scopes: [], frameworkView: 'cis-aks' });
      assert.deepEqual(
        { frameworks: built.compliance.map((entry) => entry.framework), view: built.frameworkView },
        {
          frameworks: ['cis-aks'],
          view: {
            framework: 'cis-aks',
            version: '1.8.0',
            title: 'CIS AKS Benchmark 1.8.0',
            label: 'CIS AKS 1.8.0',
          },
        },
      );
    });
  });

  it('orders control numbers numerically', () => {
    assert.deepEqual(
      ['5.10.1', '5.4.2', '4.1', '4.1.1', '10.1', '2.1.1', '5.b', '5.a', '5.a'].sort(compareControls),
      ['2.1.1', '4.1', '4.1.1', '5.4.2', '5.10.1', '5.a', '5.a', '5.b', '10.1'],
    );
  });

  describe('report.json', () => {
    it('carries each benchmark with its scores and every control, only data', () => {
      const built = model([eks('AUD-01', EKS_ID, 'pass'), eks('AUD-01', EKS2_ID, 'fail')], {
        benchmarks: [EKS_BENCHMARK],
      });
      const json = toReportJson(built);
      const score = (passed: number, failed: number, notEvaluated: number, percent: number | null) => ({
        passed,
        failed,
        decided: passed + failed,
        unknown: 0,
        error: 0,
        waived: 0,
        notApplicable: 0,
        notEvaluated,
        percent,
      });
      assert.deepEqual(json.frameworkView, undefined);
      assert.deepEqual(json.compliance, [
        {
          framework: 'cis-eks',
          version: '1.8.0',
          title: 'CIS Amazon EKS Benchmark 1.8.0',
          provider: 'eks',
          score: score(1, 1, 4, 50),
          clusters: [
            { clusterId: EKS_ID, score: score(1, 0, 2, 100) },
            { clusterId: EKS2_ID, score: score(0, 1, 2, 0) },
          ],
          controls: [
            {
              control: '2.1.1',
              title: 'Audit logs',
              assessment: 'Manual',
              coverage: 'automated',
              checks: ['AUD-01'],
              status: 'fail',
              clusters: [
                { clusterId: EKS_ID, status: 'pass' },
                { clusterId: EKS2_ID, status: 'fail' },
              ],
            },
            {
              control: '3.1.1',
              title: 'Kubeconfig <mode>',
              assessment: 'Automated',
              coverage: 'manual',
              checks: [],
              verify: 'Run stat -c %a on the kubeconfig: compliant is 644 <or> stricter.',
              status: null,
              clusters: [],
            },
            {
              control: '4.4.1',
              title: 'Latest CNI',
              assessment: null,
              coverage: 'provider-managed',
              checks: [],
              note: 'The provider ships the CNI.',
              status: null,
              clusters: [],
            },
            {
              control: '5.4.2',
              title: 'Private endpoint',
              assessment: 'Manual',
              coverage: 'automated',
              checks: ['EP-01', 'EP-03'],
              note: 'Both must pass.',
              status: null,
              clusters: [
                { clusterId: EKS_ID, status: null },
                { clusterId: EKS2_ID, status: null },
              ],
            },
            {
              control: '5.10.1',
              title: 'Later item',
              assessment: 'Manual',
              coverage: 'automated',
              checks: ['NET-01'],
              status: null,
              clusters: [
                { clusterId: EKS_ID, status: null },
                { clusterId: EKS2_ID, status: null },
              ],
            },
          ],
        },
      ]);
    });

    it('names the viewed benchmark of a scan --framework run', () => {
      const built = model([], { frameworkView: 'cis-eks' });
      assert.deepEqual(toReportJson(built).frameworkView, { framework: 'cis-eks', version: '1.8.0' });
    });
  });

  describe('rendering', () => {
    const findings = [
      eks('AUD-01', EKS_ID, 'pass'),
      eks('EP-01', EKS_ID, 'fail', { message: 'Public <b>endpoint</b>' }),
    ];

    function render(built: ReportModel, format: 'html' | 'md'): string {
      return renderReports(built, [format])[0]?.body ?? '';
    }

    it('prints every control in HTML, escaped, with scores, per-cluster details and headings in order', () => {
      const html = render(model(findings), 'html');
      const section = html.slice(
        html.indexOf('<section id="compliance">'),
        html.indexOf('<section id="scopes">'),
      );
      assert.ok(
        section.includes('<h3 id="compliance-cis-eks-1-8-0-title">CIS Amazon EKS Benchmark 1.8.0</h3>'),
      );
      assert.ok(section.includes('<strong>Score: 1/2 (50%)</strong>'));
      assert.ok(section.includes('Kubeconfig &lt;mode&gt;'));
      assert.ok(
        section.includes(
          '<strong>Verify by hand:</strong> Run stat -c %a on the kubeconfig: compliant is 644 &lt;or&gt; stricter.',
        ),
      );
      assert.ok(section.includes('Public &lt;b&gt;endpoint&lt;/b&gt;'));
      assert.ok(section.includes('<details>'));
      assert.ok(!section.includes('<b>'));
      const headings = [...section.matchAll(/<h(\d)/g)].map((match) => Number(match[1]));
      assert.deepEqual(headings, [2, 3, 4, 4]);
      for (const header of section.matchAll(/<th(?: [^>]*)?>/g)) assert.match(header[0], /scope="(col|row)"/);
    });

    it('puts the compliance section after the estate-wide sections, or right after the summary in a framework view', () => {
      const order = (html: string) =>
        ['id="summary"', 'id="compliance"'].map((marker) => html.indexOf(marker)).map((index) => index > 0);
      const normal = render(model(findings), 'html');
      const viewed = render(model(findings, { frameworkView: 'cis-eks' }), 'html');
      assert.deepEqual(order(normal), [true, true]);
      assert.ok(normal.indexOf('<section id="compliance">') > normal.indexOf('<section id="summary">'));
      assert.ok(normal.indexOf('<section id="compliance">') > normal.indexOf('<section id="findings">'));
      // The headline stays first; a framework view's benchmark comes straight after it.
      assert.ok(viewed.indexOf('<section id="compliance">') > viewed.indexOf('<section id="summary">'));
      assert.ok(viewed.indexOf('<section id="compliance">') < viewed.indexOf('<section id="charts">'));
      assert.equal(viewed.split('<section id="compliance">').length, 2, 'printed once');
      assert.ok(viewed.includes('This run was limited to the CIS Amazon EKS Benchmark 1.8.0'));
    });

    it('prints every control in Markdown, one row per line, with the clusters not passing', () => {
      const md = render(model(findings), 'md');
      const section = md.slice(md.indexOf('## Compliance'), md.indexOf('\n---\nGenerated'));
      const rows = section
        .split('\n')
        .filter((line) => line.startsWith('| 5.4.2 |') || line.startsWith('| 3.1.1 |'));
      assert.deepEqual(rows, [
        '| 3.1.1 | Kubeconfig &lt;mode&gt; | Automated | Manual | Verify by hand: Run stat -c %a on the kubeconfig: compliant is 644 &lt;or&gt; stricter. |  |',
        '| 5.4.2 | Private endpoint | Manual | Automated <code>EP-01</code> <code>EP-03</code> | **Fail**: 1 fail, 1 not evaluated | prod (Fail), stage (Not evaluated) |',
      ]);
      assert.ok(section.includes('**Score: 1/2 \\(50%\\)**'));
      const viewed = render(model(findings, { frameworkView: 'cis-eks' }), 'md');
      assert.ok(viewed.indexOf('## Compliance') < viewed.indexOf('## Summary'));
      assert.equal(viewed.split('## Compliance').length, 2, 'printed once');
    });
  });
});
