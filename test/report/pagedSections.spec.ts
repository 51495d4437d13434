import assert from 'node:assert/strict';
import type { Finding } from '../../model/finding.js';
import type { ReportModel } from '../../model/reportView.js';
import type { VersionClusterRef, VersionIntelligence } from '../../model/versions.js';
import { buildReportModel } from '../../report/build.js';
import { renderHtml } from '../../report/render.js';
import { buildPagedSections, PAGED_LIST_MAX } from '../../report/sections/pagedSections.js';
import { eksPosture } from '../fixtures/postures.js';
import { finding, reportInput } from './fixtures.js';

const SCOPE = '111111111111';
/** More clusters than a collapsed list names, so every list has a rest to count. */
const COUNT = PAGED_LIST_MAX + 5;

const CLUSTERS = Array.from({ length: COUNT }, (_, index) =>
  eksPosture({
    id: `arn:aws:eks:eu-west-1:${SCOPE}:cluster/c${String(index).padStart(2, '0')}`,
    name: `c${String(index).padStart(2, '0')}`,
    scope: SCOPE,
  }),
);

/** EP-01 fails on every cluster (CIS EKS 5.4.2); AUD-01 is unknown on the first and passes elsewhere. */
const FINDINGS: readonly Finding[] = CLUSTERS.flatMap((cluster, index) => [
  finding({
    checkId: 'EP-01',
    clusterId: cluster.id,
    status: 'fail',
    message: `public endpoint on ${cluster.name}`,
    evidence: [
      { path: 'cluster.resourcesVpcConfig.endpointPublicAccess', value: `evidence-of-${cluster.name}` },
    ],
    compliance: [{ framework: 'cis-eks', version: '1.8.0', control: '5.4.2' }],
  }),
  finding({ checkId: 'AUD-01', clusterId: cluster.id, status: index === 0 ? 'unknown' : 'pass' }),
]);

function refs(): VersionClusterRef[] {
  return CLUSTERS.map((cluster) => ({
    clusterId: cluster.id,
    provider: 'eks',
    name: cluster.name,
    endOfStandardSupport: '2025-03-23',
    daysToEndOfStandard: -616,
  }));
}

/** Every cluster past standard support: the list is longer than a collapsed list names. */
const VERSIONS: VersionIntelligence = {
  asOf: '2026-12-06',
  calendarDate: '2026-08-22',
  clusters: [],
  leavingStandardIn30: [],
  leavingStandardIn90: [],
  pastStandard: refs(),
  standardEndUnknown: [],
  cost: {
    horizonDays: 90,
    hoursPerYear: 8760,
    perProvider: [],
    totalYearlyUsd: 0,
    totalYearlySoonUsd: 0,
    unknownClusters: 0,
    prices: [],
  },
};

function estate(clusterPagesAbove: number): ReportModel {
  return buildReportModel(
    reportInput({
      clusters: CLUSTERS,
      findings: FINDINGS,
      scopes: [{ provider: 'eks', scope: SCOPE, status: 'ok', clusters: COUNT }],
      versions: VERSIONS,
      clusterPagesAbove,
    }),
  );
}

function reportHtml(model: ReportModel): string {
  const [first] = renderHtml(model);
  return first?.body ?? '';
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `section ${id}`);
  return html.slice(start, html.indexOf('\n</section>', start));
}

function pageOf(model: ReportModel, name: string): string {
  const cluster = model.clusters.find((candidate) => candidate.name === name);
  assert.ok(cluster);
  return `clusters/${cluster.slug}.html`;
}

describe('HTML report: sections collapsed when each cluster has its own page', () => {
  const paged = estate(5);
  const inline = estate(COUNT);

  it('builds nothing below the threshold, so a small estate renders as before', () => {
    assert.equal(inline.layout.clusterPages, false);
    assert.equal(buildPagedSections(inline), null);
  });

  it('names the first clusters that need attention per check, linked to their pages, and counts the rest', () => {
    const sections = buildPagedSections(paged);
    assert.ok(sections);
    const ep01 = sections.checks['EP-01'];
    assert.equal(ep01?.total, COUNT);
    assert.equal(ep01?.clusters.length, PAGED_LIST_MAX);
    assert.deepEqual(ep01?.clusters[0], {
      name: 'c00',
      href: pageOf(paged, 'c00'),
      status: 'fail',
      statusLabel: 'Fail',
    });
    assert.equal(ep01?.moreLabel, "…and 5 more; each cluster's page and report.json have them all.");
    assert.deepEqual(sections.checks['AUD-01'], {
      total: 1,
      label:
        '1 cluster where it fails, errored, is unknown or waived; each links to its page, which has the evidence.',
      clusters: [{ name: 'c00', href: pageOf(paged, 'c00'), status: 'unknown', statusLabel: 'Unknown' }],
      moreLabel: null,
    });
    assert.deepEqual(sections.checks['NET-02']?.clusters, []);
  });

  it('lists the lowest compliance scores first and the version lists capped, linked to the pages', () => {
    const sections = buildPagedSections(paged);
    assert.ok(sections);
    const eks = paged.compliance.find((framework) => framework.framework === 'cis-eks');
    assert.ok(eks);
    const scores = sections.frameworks[eks.anchor];
    assert.equal(scores?.total, COUNT);
    assert.equal(scores?.lowest.length, PAGED_LIST_MAX);
    // c00 fails 5.4.2 and is unknown on 2.1.1: the worst score; the others tie and keep report order.
    assert.deepEqual(
      scores?.lowest.slice(0, 3).map((entry) => [entry.clusterName, entry.href]),
      ['c00', 'c01', 'c02'].map((name) => [name, pageOf(paged, name)]),
    );
    assert.equal(scores?.moreLabel, "…and 5 more; each cluster's page and report.json have them all.");
    assert.deepEqual(
      sections.versionLists.map((list) => [list.key, list.total, list.rows.length, list.moreLabel]),
      [
        [
          'pastStandard',
          COUNT,
          PAGED_LIST_MAX,
          "…and 5 more; each cluster's page and report.json have them all.",
        ],
      ],
    );
    assert.equal(sections.versionLists[0]?.rows[0]?.href, pageOf(paged, 'c00'));
  });

  it('prints counts and capped, linked lists in report.html instead of a row or finding per cluster', () => {
    const html = reportHtml(paged);
    assert.doesNotMatch(html, /<section id="clusters"/, 'the matrix is the list of clusters');
    assert.doesNotMatch(html, /href="#clusters"/);
    // 5,000 × 40 cells: each is compact, its row and column headers name its cluster and check.
    assert.match(html, /<td data-status="fail">✗<\/td><td data-status="unknown">\?<\/td>/);
    assert.doesNotMatch(section(html, 'matrix'), /<td[^>]* title=/);
    const findings = section(html, 'findings');
    assert.doesNotMatch(findings, /evidence-of-/, 'evidence is on the cluster pages');
    assert.match(findings, /25 clusters where it fails, errored, is unknown or waived/);
    assert.equal(findings.match(/<li><a href="clusters\/[a-z0-9-]+\.html">/g)?.length, PAGED_LIST_MAX + 1);
    assert.ok(
      findings.includes(
        `<li><a href="${pageOf(paged, 'c00')}">c00</a> <span class="badge status-fail">Fail</span></li>`,
      ),
    );
    assert.match(findings, /…and 5 more; each cluster&#x27;s page and report\.json have them all\./);
    const compliance = section(html, 'compliance');
    assert.doesNotMatch(compliance, /<details>/, 'no list of clusters per control');
    assert.match(compliance, /Lowest scores: the clusters with the most failing controls/);
    assert.match(compliance, /25 fail/, 'each control counts its clusters per status');
    const versions = section(html, 'versions');
    assert.doesNotMatch(versions, /Minors behind/, 'no row per cluster');
    assert.match(versions, /<h3>Past standard support \(25\)<\/h3>/);
    assert.equal(versions.match(/<tr><td><a href="clusters\//g)?.length, PAGED_LIST_MAX);
  });

  it('keeps every finding with its evidence in report.html below the threshold', () => {
    const html = reportHtml(inline);
    assert.match(html, /<section id="clusters"/);
    assert.match(html, /<td data-status="fail" title="EP-01 on c00: fail">✗<\/td>/);
    for (const cluster of CLUSTERS)
      assert.ok(section(html, 'findings').includes(`evidence-of-${cluster.name}`));
    assert.match(section(html, 'compliance'), /<details>/);
    assert.equal(section(html, 'versions').match(/<tr><td><a href="#cluster-\d+">/g)?.length, COUNT);
    assert.doesNotMatch(html, /…and \d+ more; each cluster/);
  });
});
