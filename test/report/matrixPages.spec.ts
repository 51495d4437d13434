import assert from 'node:assert/strict';
import type { Finding, Severity, Status } from '../../model/finding.js';
import type { ScopeResult } from '../../model/run.js';
import { buildReportModel } from '../../report/build.js';
import { renderHtml } from '../../report/render.js';
import { buildAttentionMatrix, matrixPages } from '../../report/sections/matrix.js';
import { buildPagedSections, PAGED_LIST_MAX } from '../../report/sections/pagedSections.js';
import { eksPosture } from '../fixtures/postures.js';
import { finding, reportInput } from './fixtures.js';

const SCOPE = '111111111111';

function clusterId(index: number): string {
  return `arn:aws:eks:eu-west-1:${SCOPE}:cluster/c${String(index).padStart(2, '0')}`;
}

const CLUSTERS = Array.from({ length: 12 }, (_, index) =>
  eksPosture({ id: clusterId(index), name: `c${String(index).padStart(2, '0')}`, scope: SCOPE }),
);

/** What each cluster's two findings are: EP-01 at a severity and AUD-01, by index. */
const PLAN: readonly (readonly [Status, Severity, Status])[] = [
  ['pass', 'high', 'pass'], // c00: nothing to do
  ['fail', 'medium', 'pass'], // c01: one medium failure
  ['fail', 'critical', 'pass'], // c02: a critical failure
  ['pass', 'high', 'unknown'], // c03: unknown only
  ['fail', 'critical', 'unknown'], // c04: critical and unknown: ahead of c02
  ['error', 'low', 'pass'], // c05: an error counts as failing, at its severity
  ['pass', 'high', 'pass'],
  ['pass', 'high', 'pass'],
  ['pass', 'high', 'pass'],
  ['pass', 'high', 'pass'],
  ['pass', 'high', 'pass'],
  ['pass', 'high', 'waived'], // c11: waived needs no attention
];

const FINDINGS: readonly Finding[] = CLUSTERS.flatMap((cluster, index) => {
  const [ep01, severity, aud01] = PLAN[index] ?? ['pass', 'high', 'pass'];
  return [
    finding({ checkId: 'EP-01', clusterId: cluster.id, status: ep01, severity }),
    finding({ checkId: 'AUD-01', clusterId: cluster.id, status: aud01 }),
  ];
});

function model(clusterPagesAbove: number, scopes?: readonly ScopeResult[]) {
  return buildReportModel(
    reportInput({
      clusters: CLUSTERS,
      findings: FINDINGS,
      scopes: scopes ?? [{ provider: 'eks', scope: SCOPE, status: 'ok', clusters: CLUSTERS.length }],
      clusterPagesAbove,
    }),
  );
}

describe('HTML report: the matrix of a large estate', () => {
  const paged = model(5);
  const inline = model(100);

  it('holds every cluster below the threshold, with no pages and no selection', () => {
    assert.equal(inline.matrix.rows.length, CLUSTERS.length);
    assert.equal(inline.matrix.selection, null);
    assert.deepEqual(inline.matrixPages, []);
  });

  it('holds the clusters needing attention above it, most urgent first', () => {
    // Critical failures first (c04 has an unknown too), then medium, then low (an error), then unknown only.
    assert.deepEqual(
      paged.matrix.rows.map((row) => row.name),
      ['c04', 'c02', 'c01', 'c05', 'c03'],
    );
    assert.equal(paged.matrix.layout, 'cells');
    assert.match(paged.matrix.selection ?? '', /^The 5 clusters of 12 needing attention/);
    assert.match(paged.matrix.selection ?? '', /all 12 clusters in report order, is on 1 page/);
    assert.equal(paged.matrix.rows[0]?.href, `clusters/${paged.clusters[4]?.slug}.html`);
  });

  it('caps the rows at the limit and says how many more need attention', () => {
    const matrix = buildAttentionMatrix(paged.clusters, paged.catalogue, paged.matrixPages, 2);
    assert.deepEqual(
      matrix.rows.map((row) => row.name),
      ['c04', 'c02'],
    );
    assert.match(matrix.selection ?? '', /^The 2 clusters needing attention most, of 5 that need it/);
  });

  it('is empty, and says so, when no cluster needs attention', () => {
    const calm = CLUSTERS.map((cluster) => ({ ...cluster }));
    const built = buildReportModel(
      reportInput({
        clusters: calm,
        findings: calm.map((cluster) => finding({ checkId: 'EP-01', clusterId: cluster.id, status: 'pass' })),
        scopes: [{ provider: 'eks', scope: SCOPE, status: 'ok', clusters: calm.length }],
        clusterPagesAbove: 5,
      }),
    );
    assert.deepEqual(built.matrix.rows, []);
    assert.match(built.matrix.selection ?? '', /^No cluster of 12 has a finding that fails/);
    const html = renderHtml(built).next().value?.body ?? '';
    assert.match(html, /No cluster of 12 has a finding that fails/);
    assert.doesNotMatch(html, /No cluster was read/);
  });

  it('splits every cluster into pages in report order, with labels naming the first and last', () => {
    const pages = matrixPages(paged.clusters, 5);
    assert.deepEqual(
      pages.map((page) => [page.number, page.href, page.start, page.count, page.label]),
      [
        [1, 'matrix/1.html', 0, 5, 'Clusters 1–5: c00 to c04'],
        [2, 'matrix/2.html', 5, 5, 'Clusters 6–10: c05 to c09'],
        [3, 'matrix/3.html', 10, 2, 'Clusters 11–12: c10 to c11'],
      ],
    );
    assert.deepEqual(matrixPages([], 5), []);
  });

  it('renders report.html, the cluster pages, then each matrix page linking up to the cluster pages', () => {
    const files = [...renderHtml(paged)];
    assert.deepEqual(
      files.map((file) => file.name).filter((name) => !name.startsWith('clusters/')),
      ['report.html', 'matrix/1.html'],
    );
    assert.equal(files.filter((file) => file.name.startsWith('clusters/')).length, CLUSTERS.length);
    const report = files[0]?.body ?? '';
    assert.match(report, /<a href="matrix\/1\.html">Clusters 1–12: c00 to c11<\/a>/);
    const page = files.at(-1)?.body ?? '';
    assert.equal(page.match(/<tr data-provider="eks"/g)?.length, CLUSTERS.length);
    assert.ok(page.includes(`<a href="../clusters/${paged.clusters[0]?.slug}.html">c00</a>`));
    assert.ok(page.includes('<a href="../report.html#matrix">'));
    assert.match(page, /<td data-status="fail">✗<\/td>/);
    assert.match(page, /<script>/, 'the filters work on every page');
  });

  it('links neighbouring matrix pages to each other', () => {
    const built = buildReportModel(
      reportInput({
        clusters: CLUSTERS,
        findings: FINDINGS,
        scopes: [{ provider: 'eks', scope: SCOPE, status: 'ok', clusters: CLUSTERS.length }],
        clusterPagesAbove: 5,
      }),
    );
    const withPages = { ...built, matrixPages: matrixPages(built.clusters, 5) };
    const pages = [...renderHtml(withPages)].filter((file) => file.name.startsWith('matrix/'));
    assert.deepEqual(
      pages.map((file) => file.name),
      ['matrix/1.html', 'matrix/2.html', 'matrix/3.html'],
    );
    assert.match(pages[0]?.body ?? '', /<a href="2\.html" rel="next">/);
    assert.doesNotMatch(pages[0]?.body ?? '', /rel="prev"/);
    assert.match(pages[1]?.body ?? '', /<a href="1\.html" rel="prev">.*<a href="3\.html" rel="next">/);
    assert.doesNotMatch(pages[2]?.body ?? '', /rel="next"/);
  });
});

describe('HTML report: the scopes of a large estate', () => {
  const scopes: ScopeResult[] = [
    ...Array.from({ length: PAGED_LIST_MAX + 3 }, (_, index) => ({
      provider: 'eks' as const,
      scope: `1111111111${String(index).padStart(2, '0')}`,
      status: 'ok' as const,
      clusters: 1,
    })),
    { provider: 'eks', scope: '999999999999', status: 'error', error: 'AccessDenied', clusters: 0 },
  ];

  it('lists every scope not read and the first read completely, and counts the rest', () => {
    const sections = buildPagedSections(model(5, scopes));
    assert.ok(sections);
    assert.equal(sections.scopes.rows.length, PAGED_LIST_MAX + 1);
    assert.ok(sections.scopes.rows.some((scope) => scope.status === 'error'));
    assert.equal(
      sections.scopes.moreLabel,
      '…and 3 more scopes read completely; report.json lists every scope.',
    );
    const html = renderHtml(model(5, scopes)).next().value?.body ?? '';
    assert.match(html, /AccessDenied/);
    assert.match(html, /…and 3 more scopes read completely/);
  });

  it('lists every scope below the threshold', () => {
    const html = renderHtml(model(100, scopes)).next().value?.body ?? '';
    assert.equal(html.match(/<td><code>1111111111\d\d<\/code><\/td>/g)?.length, PAGED_LIST_MAX + 3);
    assert.doesNotMatch(html, /more scopes? read completely/);
  });
});
