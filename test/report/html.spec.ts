import assert from 'node:assert/strict';
import type { ReportModel } from '../../model/reportView.js';
import type { RunDiffCompared } from '../../model/runDiff.js';
import { buildReportModel, DEFAULT_CLUSTER_PAGES_ABOVE } from '../../report/build.js';
import { MATRIX_SCRIPT } from '../../report/matrixScript.js';
import { renderHtml } from '../../report/render.js';
import { buildHeadline } from '../../report/sections/headline.js';
import { clusterSlugs, SLUG_MAX_LENGTH, slugText } from '../../report/sections/slugs.js';
import { eksPosture } from '../fixtures/postures.js';
import { EKS_ID, finding, reportInput } from './fixtures.js';

const SCRIPT = '<script>alert(1)</script>';

function hostileModel(clusterPagesAbove?: number): ReportModel {
  const cluster = eksPosture({ id: EKS_ID, name: SCRIPT, scope: '111111111111', tags: { owner: '"><b>x' } });
  const other = eksPosture({ id: `${EKS_ID}-2`, name: 'calm', scope: '111111111111' });
  return buildReportModel(
    reportInput({
      clusters: [cluster, other],
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail', message: `bad ${SCRIPT}` }),
        finding({ checkId: 'EP-01', clusterId: `${EKS_ID}-2`, status: 'pass' }),
      ],
      scopes: [{ provider: 'eks', scope: '111111111111', status: 'ok', clusters: 2 }],
      ...(clusterPagesAbove === undefined ? {} : { clusterPagesAbove }),
    }),
  );
}

describe('HTML report: slugs of cluster pages', () => {
  it('reduces names to lower-case [a-z0-9-] with single dashes and none at either end', () => {
    assert.equal(slugText(' Prod__Payments/../<script>É '), 'prod-payments-script-e');
    assert.equal(slugText('日本語'), '');
  });

  it('names pages provider-scope-name, unique, bounded, safe and stable whatever the names hold', () => {
    const hostile = [
      { id: 'a', provider: 'eks', scope: '111', name: '../../etc/passwd' },
      { id: 'b', provider: 'eks', scope: '111', name: '..//etc passwd' },
      { id: 'c', provider: 'gke', scope: 'p', name: '日本語' },
      { id: 'd', provider: 'aks', scope: 's', name: 'x'.repeat(500) },
      { id: 'e', provider: 'aks', scope: 's', name: 'x'.repeat(400) },
    ];
    const slugs = clusterSlugs(hostile);
    assert.equal(slugs.get('a'), 'eks-111-etc-passwd');
    assert.match(slugs.get('b') ?? '', /^eks-111-etc-passwd-[0-9a-f]{8}$/);
    assert.equal(slugs.get('c'), 'gke-p');
    assert.equal(new Set(slugs.values()).size, hostile.length);
    for (const slug of slugs.values()) {
      assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(slug.length <= SLUG_MAX_LENGTH, slug);
    }
    // The suffix comes from the cluster's own id: the same run gives the same names.
    assert.deepEqual(clusterSlugs(hostile), slugs);
  });

  it('settles a collision of digests too, with the attempt number', () => {
    // Two clusters with one id cannot occur in a run; they are the only way to make digests collide.
    const seen: string[] = [];
    const twins = [1, 2, 3].map(() => ({ id: 'same', provider: 'eks', scope: 's', name: 'n' }));
    for (let count = 1; count <= twins.length; count += 1)
      seen.push(clusterSlugs(twins.slice(0, count)).get('same') ?? '');
    assert.equal(seen[0], 'eks-s-n');
    assert.match(seen[1] ?? '', /^eks-s-n-[0-9a-f]{8}$/);
    assert.equal(seen[2], `${seen[1]}-2`);
  });
});

describe('HTML report: the headline', () => {
  const base = { clusters: 2, problems: [], findings: [], diff: null };

  it('says how much of the estate was read, and what was not with its reason', () => {
    const scopes = [
      {
        provider: 'eks',
        providerName: 'Amazon EKS',
        scope: '1',
        region: 'eu-west-1',
        status: 'error',
        statusLabel: 'Error',
        error: 'denied',
        clusters: 0,
      },
      {
        provider: 'gke',
        providerName: 'Google GKE',
        scope: 'p',
        region: null,
        status: 'ok',
        statusLabel: 'OK',
        error: null,
        clusters: 2,
      },
    ] as const;
    const headline = buildHeadline({
      ...base,
      scopes,
      problems: [{ file: 'a.json', scope: null, cluster: null, reason: 'not JSON', subject: 'File a.json' }],
    });
    assert.equal(headline.coverageLabel, '1 of 2 scopes not read');
    assert.deepEqual(headline.notRead, ['Amazon EKS scope 1 (eu-west-1): denied', 'File a.json: not JSON']);
    assert.equal(
      buildHeadline({ ...base, scopes: [] }).coverageLabel,
      'No scope was listed: exported files only',
    );
    assert.equal(buildHeadline({ ...base, scopes: [scopes[1]] }).coverageLabel, 'The one scope was read');
  });

  it('counts failing checks once, at the worst severity of their failing findings', () => {
    const model = buildReportModel(
      reportInput({
        findings: [
          finding({ checkId: 'A', clusterId: EKS_ID, status: 'fail', severity: 'low' }),
          finding({ checkId: 'A', clusterId: 'x', status: 'fail', severity: 'critical' }),
          finding({ checkId: 'B', clusterId: EKS_ID, status: 'fail', severity: 'low' }),
          finding({ checkId: 'C', clusterId: EKS_ID, status: 'unknown', severity: 'high' }),
        ],
      }),
    );
    assert.equal(model.headline.failingChecks, 2);
    assert.deepEqual(
      model.headline.failingChecksBySeverity.map((entry) => [entry.severity, entry.count]),
      [
        ['critical', 1],
        ['high', 0],
        ['medium', 0],
        ['low', 1],
        ['info', 0],
      ],
    );
  });

  it('gives new and fixed failures when the run was compared, else why not', () => {
    const compared: RunDiffCompared = {
      previousRun: { runId: 'r0', startedAt: '2026-11-28T02:00:00.000Z', folder: 'runs/2026-11-28/r0' },
      new: [],
      fixed: [],
      persisting: [],
      newlyUnknown: [],
      clustersAdded: [],
      clustersRemoved: [],
      clustersNotRead: [],
      scopesLost: [],
      notices: [],
    } as unknown as RunDiffCompared;
    assert.deepEqual(buildReportModel(reportInput({ diff: compared })).headline.changes, {
      new: 0,
      fixed: 0,
    });
    const unavailable = buildReportModel(
      reportInput({ diff: { previousRun: null, unavailable: 'no latest.json', notices: [] } }),
    );
    assert.equal(unavailable.headline.changes, null);
    assert.match(unavailable.headline.changesLabel, /no latest\.json/);
    assert.equal(buildReportModel(reportInput()).headline.changesLabel, 'No comparison with a previous run.');
  });
});

describe('HTML report: charts and matrix in the model', () => {
  it('draws the outcome charts always, the trend only with history, the timeline only with versions', () => {
    const plain = buildReportModel(reportInput());
    for (const svg of [plain.charts.byProvider, plain.charts.byResponsibility, plain.charts.byArea]) {
      assert.match(svg, /^<svg [^>]*role="img"/);
    }
    assert.equal(plain.charts.trend, null);
    assert.equal(plain.charts.supportTimeline, null);
    const withHistory = buildReportModel(
      reportInput({
        history: [
          {
            runId: 'r1',
            startedAt: '2026-11-28T02:00:00.000Z',
            complete: true,
            findings: { fail: 3, unknown: 1 },
          },
          {
            runId: 'r2',
            startedAt: '2026-11-29T02:00:00.000Z',
            complete: false,
            findings: { fail: 5, unknown: 0 },
          },
        ],
      }),
    );
    assert.match(withHistory.charts.trend ?? '', /<svg[^>]*id="chart-trend"/);
  });

  it('links each matrix row to its section below the threshold and to its page above it', () => {
    const inline = hostileModel();
    assert.equal(inline.layout.clusterPages, false);
    assert.equal(inline.layout.clusterPagesAbove, DEFAULT_CLUSTER_PAGES_ABOVE);
    assert.deepEqual(
      inline.matrix.rows.map((row) => row.href),
      inline.clusters.map((cluster) => `#${cluster.anchor}`),
    );
    const paged = hostileModel(1);
    assert.equal(paged.layout.clusterPages, true);
    assert.match(paged.layout.note ?? '', /2 clusters is more than the 1/);
    // Above the threshold the matrix holds the clusters needing attention, each linked to its page.
    assert.ok(paged.matrix.rows.length > 0);
    for (const row of paged.matrix.rows) {
      const cluster = paged.clusters.find((candidate) => candidate.id === row.clusterId);
      assert.equal(row.href, `clusters/${cluster?.slug}.html`);
    }
  });
});

describe('HTML report: rendering', () => {
  it('puts everything in report.html below the threshold, escaped, with the matrix markup the script reads', () => {
    const files = [...renderHtml(hostileModel())];
    assert.deepEqual(
      files.map((file) => file.name),
      ['report.html'],
    );
    const html = files[0]?.body ?? '';
    assert.ok(!html.includes(SCRIPT));
    assert.ok(!html.includes('"><b>x'));
    const order = ['summary', 'charts', 'matrix', 'clusters', 'findings', 'scopes', 'legend'].map((id) =>
      html.indexOf(`<section id="${id}"`),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'headline, charts, matrix, clusters, then the rest',
    );
    assert.ok(order.every((index) => index > 0));
    assert.match(html, /<div data-matrix>/);
    assert.match(
      html,
      /<th scope="col" data-severity="high" title="[^"]*"><span class="matrix-col">EP-01<\/span><\/th>/,
    );
    assert.match(html, /<tr data-provider="eks" data-provider-name="Amazon EKS" data-scope="111111111111">/);
    assert.match(
      html,
      /<td data-status="fail" title="EP-01 on &lt;script&gt;alert\(1\)&lt;\/script&gt;: fail">✗<\/td>/,
    );
    assert.ok(html.includes(`<script>${MATRIX_SCRIPT}</script>`));
    // The cluster's section: its findings with evidence, remediation and the provider CLI fix.
    const section = html.slice(
      html.indexOf('<section class="cluster" id="cluster-1"'),
      html.indexOf('<section id="findings">'),
    );
    assert.match(section, /<span class="badge status-fail">Fail<\/span>/);
    assert.match(section, /bad &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(section, /<pre><code>aws eks fix-EP-01 --name &lt;cluster&gt;<\/code><\/pre>/);
    assert.match(section, /<a href="#check-EP-01" class="check-id">EP-01<\/a>/);
  });

  it('above the threshold, renders report.html first and then one page per cluster, lazily', () => {
    const model = hostileModel(1);
    const files = renderHtml(model)[Symbol.iterator]();
    const first = files.next();
    assert.equal(first.done, false);
    const html = first.value?.body ?? '';
    assert.ok(!html.includes('<section class="cluster"'), 'no cluster detail in report.html');
    // The matrix holds the clusters needing attention, each row linked to its cluster's page.
    const needing = model.clusters.filter((cluster) => cluster.tally.needsAttention > 0);
    assert.ok(needing.length > 0);
    for (const cluster of needing) {
      assert.ok(
        html.includes(`<th scope="row" id="${cluster.anchor}"><a href="clusters/${cluster.slug}.html">`),
      );
    }
    assert.match(html, /Also: 1 pass\./, 'passing findings collapse to counts');
    const pages = [...{ [Symbol.iterator]: () => files }];
    assert.deepEqual(
      pages.map((page) => page.name),
      [...model.clusters.map((cluster) => `clusters/${cluster.slug}.html`), 'matrix/1.html'],
    );
    const page = pages.find((candidate) => candidate.body.includes('bad &lt;script'))?.body ?? '';
    assert.ok(!page.includes(SCRIPT));
    assert.match(page, /<a href="\.\.\/report\.html#matrix">← Back to the report<\/a>/);
    assert.match(page, /<a href="\.\.\/report\.html#check-EP-01" class="check-id">/);
    assert.match(page, /<style>/);
    assert.doesNotMatch(page, /<script|<link|<img|src=|@import/);
  });
});
