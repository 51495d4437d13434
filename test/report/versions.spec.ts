import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { ClusterVersionFacts, VersionIntelligence } from '../../model/versions.js';
import { buildReportModel } from '../../report/build.js';
import { toReportJson } from '../../report/json.js';
import { renderReports } from '../../report/render.js';
import { buildVersionsSection, formatUsd } from '../../report/versions.js';
import { EKS_ID, GKE_ID, reportInput } from './fixtures.js';

const HOSTILE = '<script>alert(1)</script>';

const PAYING: ClusterVersionFacts = {
  clusterId: EKS_ID,
  provider: 'eks',
  name: 'prod',
  version: { value: '1.29.8' },
  newestMinor: { value: '1.35' },
  minorsBehind: { value: 6 },
  supportPlan: { value: 'extended' },
  endOfStandardSupport: { value: '2025-03-23' },
  daysToEndOfStandard: { value: -616 },
  endOfExtendedSupport: { value: '2027-03-23' },
  daysToEndOfExtended: { value: 114 },
  nodeSkew: { value: 1 },
  paidExtendedSupport: { value: { state: 'now', reason: 'Billed for extended support until 2027-03-23.' } },
  yearlyExtraCostUsd: { value: 4380 },
  source: 'live',
  sourceDetail: 'eks:DescribeClusterVersions',
};

const UNREAD: ClusterVersionFacts = {
  clusterId: GKE_ID,
  provider: 'gke',
  name: HOSTILE,
  version: { unknown: `currentMasterVersion ${HOSTILE}` },
  newestMinor: { value: '1.35' },
  minorsBehind: { unknown: 'Control-plane version unknown' },
  supportPlan: { unknown: 'releaseChannel invalid' },
  endOfStandardSupport: { unknown: 'Control-plane version unknown' },
  daysToEndOfStandard: { unknown: 'Control-plane version unknown' },
  endOfExtendedSupport: { unknown: 'Control-plane version unknown' },
  daysToEndOfExtended: { unknown: 'Control-plane version unknown' },
  nodeSkew: { value: null },
  paidExtendedSupport: { unknown: 'Support plan unknown' },
  yearlyExtraCostUsd: { unknown: 'Support plan unknown' },
  source: 'calendar',
  sourceDetail: 'the support calendar dated 2026-08-22',
};

const SOON: ClusterVersionFacts = {
  ...PAYING,
  clusterId: 'arn:aws:eks:eu-west-1:111111111111:cluster/not-in-report',
  name: 'soon',
  version: { value: '1.34.2' },
  minorsBehind: { value: 0 },
  endOfStandardSupport: { value: '2026-12-06' },
  daysToEndOfStandard: { value: 0 },
  endOfExtendedSupport: { value: null },
  daysToEndOfExtended: { value: null },
  nodeSkew: { value: -2 },
  paidExtendedSupport: { value: { state: 'soon', reason: 'Billing starts after 2026-12-06.' } },
  source: 'calendar',
};

const QUIET: ClusterVersionFacts = {
  ...SOON,
  clusterId: 'quiet',
  name: 'quiet',
  supportPlan: { value: 'standard' },
  daysToEndOfStandard: { value: 1 },
  endOfStandardSupport: { value: '2026-12-07' },
  nodeSkew: { value: 0 },
  paidExtendedSupport: { value: { state: 'no', reason: 'Standard plan.' } },
  yearlyExtraCostUsd: { value: 0 },
};

const INTELLIGENCE: VersionIntelligence = {
  asOf: '2026-12-06',
  calendarDate: '2026-08-22',
  clusters: [PAYING, SOON, QUIET, UNREAD],
  leavingStandardIn30: [
    {
      clusterId: SOON.clusterId,
      provider: 'eks',
      name: 'soon',
      endOfStandardSupport: '2026-12-06',
      daysToEndOfStandard: 0,
    },
  ],
  leavingStandardIn90: [
    {
      clusterId: SOON.clusterId,
      provider: 'eks',
      name: 'soon',
      endOfStandardSupport: '2026-12-06',
      daysToEndOfStandard: 0,
    },
    {
      clusterId: 'quiet',
      provider: 'eks',
      name: 'quiet',
      endOfStandardSupport: '2026-12-07',
      daysToEndOfStandard: 1,
    },
  ],
  pastStandard: [
    {
      clusterId: 'ancient',
      provider: 'eks',
      name: 'ancient',
      endOfStandardSupport: null,
      daysToEndOfStandard: null,
    },
    {
      clusterId: EKS_ID,
      provider: 'eks',
      name: 'prod',
      endOfStandardSupport: '2025-03-23',
      daysToEndOfStandard: -616,
    },
  ],
  standardEndUnknown: [
    {
      clusterId: GKE_ID,
      provider: 'gke',
      name: HOSTILE,
      endOfStandardSupport: null,
      daysToEndOfStandard: null,
    },
  ],
  cost: {
    horizonDays: 90,
    hoursPerYear: 8760,
    perProvider: [
      { provider: 'eks', payingNow: 1, yearlyNowUsd: 4380, payingSoon: 1, yearlySoonUsd: 4380, unknown: 0 },
      { provider: 'gke', payingNow: 0, yearlyNowUsd: 0, payingSoon: 0, yearlySoonUsd: 0, unknown: 1 },
    ],
    totalYearlyUsd: 4380,
    totalYearlySoonUsd: 4380,
    unknownClusters: 1,
    prices: [
      {
        provider: 'eks',
        plan: 'EKS extended support',
        usdPerClusterHour: 0.6,
        standardUsdPerClusterHour: 0.1,
        yearlyExtraUsd: 4380,
        billed: 'From the end of standard support',
        source: 'https://aws.amazon.com/eks/pricing/',
        checked: '2026-12-06',
      },
      {
        provider: 'gke',
        plan: 'GKE extended support period',
        usdPerClusterHour: 0.6,
        standardUsdPerClusterHour: 0.1,
        yearlyExtraUsd: 4380,
        billed: 'Extended channel only',
        source: 'javascript:alert(1)',
        checked: '2026-12-06',
      },
    ],
  },
};

const ANCHORS = new Map([
  [EKS_ID, 'cluster-2'],
  [GKE_ID, 'cluster-1'],
]);
const anchorOf = (id: string) => ANCHORS.get(id) ?? null;

describe('formatUsd', () => {
  it('prints dollars with thousands separators and exactly two decimals', () => {
    const printed = [0, 0.6, 0.1, 4380, 13140, 1234567.89, 0.5 * 8760].map(formatUsd);

    assert.deepStrictEqual(printed, [
      '0.00 USD',
      '0.60 USD',
      '0.10 USD',
      '4,380.00 USD',
      '13,140.00 USD',
      '1,234,567.89 USD',
      '4,380.00 USD',
    ]);
  });
});

describe('the versions section', () => {
  const section = buildVersionsSection(INTELLIGENCE, anchorOf);

  it('labels a known row: dates with their distance, skew, plan, paid state and cost', () => {
    assert.deepStrictEqual(section.rows[0], {
      clusterName: 'prod',
      clusterAnchor: 'cluster-2',
      providerName: 'Amazon EKS',
      version: { text: '1.29.8', unknownReason: null },
      newestMinor: { text: '1.35', unknownReason: null },
      minorsBehind: { text: '6', unknownReason: null },
      supportPlan: { text: 'Extended (upgrade policy EXTENDED)', unknownReason: null },
      standardEnd: { text: '2025-03-23 (616 days ago)', unknownReason: null },
      extendedEnd: { text: '2027-03-23 (in 114 days)', unknownReason: null },
      nodeSkew: { text: '1 minor behind', unknownReason: null },
      paidExtendedSupport: { text: 'Now', unknownReason: null },
      paidReason: 'Billed for extended support until 2027-03-23.',
      yearlyExtraCost: { text: '4,380.00 USD a year', unknownReason: null },
      sourceLabel: 'Live',
      sourceDetail: 'eks:DescribeClusterVersions',
      attention: true,
    });
  });

  it('labels today, no extended support, pools ahead and a cluster the report does not list', () => {
    const row = section.rows[1];

    assert.deepStrictEqual(
      [
        row?.clusterAnchor,
        row?.standardEnd,
        row?.extendedEnd,
        row?.nodeSkew,
        row?.paidExtendedSupport,
        row?.sourceLabel,
        row?.attention,
      ],
      [
        null,
        { text: '2026-12-06 (today)', unknownReason: null },
        { text: 'None', unknownReason: null },
        { text: '2 minors ahead', unknownReason: null },
        { text: 'Within 90 days', unknownReason: null },
        'Calendar',
        false,
      ],
    );
  });

  it('labels a standard-plan cluster in step with no cost', () => {
    const row = section.rows[2];

    assert.deepStrictEqual(
      [row?.supportPlan, row?.standardEnd, row?.nodeSkew, row?.paidExtendedSupport, row?.yearlyExtraCost],
      [
        { text: 'Standard (upgrade policy STANDARD)', unknownReason: null },
        { text: '2026-12-07 (in 1 day)', unknownReason: null },
        { text: 'In step', unknownReason: null },
        { text: 'No', unknownReason: null },
        { text: 'None', unknownReason: null },
      ],
    );
  });

  it('shows every unknown fact as Unknown with its reason, never as a value', () => {
    assert.deepStrictEqual(section.rows[3], {
      clusterName: HOSTILE,
      clusterAnchor: 'cluster-1',
      providerName: 'Google GKE',
      version: { text: 'Unknown', unknownReason: `currentMasterVersion ${HOSTILE}` },
      newestMinor: { text: '1.35', unknownReason: null },
      minorsBehind: { text: 'Unknown', unknownReason: 'Control-plane version unknown' },
      supportPlan: { text: 'Unknown', unknownReason: 'releaseChannel invalid' },
      standardEnd: { text: 'Unknown', unknownReason: 'Control-plane version unknown' },
      extendedEnd: { text: 'Unknown', unknownReason: 'Control-plane version unknown' },
      nodeSkew: { text: 'No node pools', unknownReason: null },
      paidExtendedSupport: { text: 'Unknown', unknownReason: 'Support plan unknown' },
      paidReason: null,
      yearlyExtraCost: { text: 'Unknown', unknownReason: 'Support plan unknown' },
      sourceLabel: 'Calendar',
      sourceDetail: 'the support calendar dated 2026-08-22',
      attention: false,
    });
  });

  it('lists the estate-wide groups with their dates, or why there is none', () => {
    assert.deepStrictEqual(
      section.lists.map((list) => [
        list.key,
        list.title,
        list.total,
        list.rows.map((row) => row.standardEnd),
      ]),
      [
        ['leavingStandardIn30', 'Leaving standard support within 30 days', 1, ['2026-12-06 (today)']],
        [
          'leavingStandardIn90',
          'Leaving standard support within 90 days',
          2,
          ['2026-12-06 (today)', '2026-12-07 (in 1 day)'],
        ],
        ['pastStandard', 'Past standard support', 2, ['Unknown', '2025-03-23 (616 days ago)']],
        ['standardEndUnknown', 'End of standard support unknown', 1, ['Control-plane version unknown']],
      ],
    );
  });

  it('prints the money at stake per provider and in total, and says the totals are a floor', () => {
    assert.deepStrictEqual(
      [section.costRows, section.totalNow, section.totalSoon, section.horizonLabel, section.unknownCostNote],
      [
        [
          {
            providerName: 'Amazon EKS',
            payingNow: 1,
            yearlyNow: '4,380.00 USD',
            payingSoon: 1,
            yearlySoon: '4,380.00 USD',
            unknown: 0,
          },
          {
            providerName: 'Google GKE',
            payingNow: 0,
            yearlyNow: '0.00 USD',
            payingSoon: 0,
            yearlySoon: '0.00 USD',
            unknown: 1,
          },
        ],
        '4,380.00 USD',
        '4,380.00 USD',
        'within 90 days',
        '1 cluster with an unknown support plan or support dates is not counted: the totals are a floor.',
      ],
    );
  });

  it('links only https price sources', () => {
    assert.deepStrictEqual(
      section.prices.map((price) => [
        price.perClusterHour,
        price.extraPerYear,
        price.sourceHref,
        price.checked,
      ]),
      [
        ['0.60 USD', '4,380.00 USD', 'https://aws.amazon.com/eks/pricing/', '2026-12-06'],
        ['0.60 USD', '4,380.00 USD', null, '2026-12-06'],
      ],
    );
  });

  it('sums the headline from the lists and the cost', () => {
    assert.equal(
      section.headline,
      '2 clusters of 4 past standard support, 1 leaving it within 30 days, 2 within 90 days; paid extended support: 4,380.00 USD a year now (1 cluster), 4,380.00 USD a year more within 90 days unless upgraded (1 cluster).',
    );
  });

  it('leaves out empty lists and the floor note when nothing is unknown', () => {
    const calm = buildVersionsSection(
      {
        ...INTELLIGENCE,
        clusters: [QUIET],
        leavingStandardIn30: [],
        pastStandard: [],
        standardEndUnknown: [],
        cost: { ...INTELLIGENCE.cost, unknownClusters: 2 },
      },
      anchorOf,
    );
    const none = buildVersionsSection(
      { ...INTELLIGENCE, cost: { ...INTELLIGENCE.cost, unknownClusters: 0 } },
      anchorOf,
    );

    assert.deepStrictEqual(
      [calm.lists.map((list) => list.key), calm.unknownCostNote, none.unknownCostNote],
      [
        ['leavingStandardIn90'],
        '2 clusters with an unknown support plan or support dates are not counted: the totals are a floor.',
        null,
      ],
    );
  });
});

describe('the versions section in the reports', () => {
  const model = buildReportModel(reportInput({ versions: INTELLIGENCE }));
  const files = Object.fromEntries(
    renderReports(model, ['html', 'md', 'json']).map((file) => [file.name, file.body]),
  );

  it('carries the version intelligence in report.json, whole', () => {
    assert.deepStrictEqual(toReportJson(model).versions, INTELLIGENCE);
    assert.deepStrictEqual(JSON.parse(String(files['report.json'])).versions, INTELLIGENCE);
  });

  it('renders the section in HTML with cloud strings escaped and links to the cluster rows', () => {
    const html = String(files['report.html']);

    assert.ok(html.includes('<section id="versions">'));
    assert.ok(html.includes('<a href="#versions">Versions and support</a>'));
    assert.ok(html.includes('<a href="#cluster-1">prod</a>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!html.includes(HOSTILE));
    assert.ok(!html.includes('href="javascript:'));
    assert.ok(html.includes('<strong>4,380.00 USD</strong>'));
  });

  it("puts each cluster's support facts and benchmark scores in its own detail, escaped", () => {
    const prod = model.clusters.find((cluster) => cluster.id === EKS_ID);
    assert.ok(prod?.support, 'the EKS cluster has its version row');
    assert.equal(prod.support.clusterName, 'prod');
    assert.ok(prod.scores.length > 0, 'and a score per benchmark of its provider');
    const html = String(files['report.html']);
    const start = html.indexOf(`<section class="cluster" id="${prod.anchor}"`);
    const detail = html.slice(start, html.indexOf('</section>', start));
    assert.match(detail, /<dt>End of standard support<\/dt><dd>[^<]+/);
    assert.match(detail, /<dt>Minors behind the newest<\/dt>/);
    assert.match(
      detail,
      /<dt>Benchmarks<\/dt><dd><a href="#compliance-cis-eks-[^"]+">CIS Amazon EKS Benchmark [^<]+<\/a>: \d+\/\d+/,
    );
    assert.ok(!detail.includes(HOSTILE));
    const unread = model.clusters.find((cluster) => cluster.id === GKE_ID);
    assert.ok(unread?.support?.standardEnd.unknownReason, 'an unknown fact says why');
    const gkeStart = html.indexOf(`<section class="cluster" id="${unread.anchor}"`);
    const gke = html.slice(gkeStart, html.indexOf('</section>', gkeStart));
    assert.ok(gke.includes(`<span class="muted">(`), 'the reason is printed beside the fact');
    const without = buildReportModel(reportInput());
    assert.ok(without.clusters.every((cluster) => cluster.support === null));
  });

  it('renders the section in Markdown with a table row per cluster, escaped', () => {
    const md = String(files['report.md']);
    const rows = md.split('\n').filter((line) => line.startsWith('| prod | Amazon EKS | 1.29.8 |'));

    assert.ok(md.includes('## Versions and support'));
    assert.equal(rows.length, 1);
    assert.ok(!md.includes(HOSTILE));
    assert.ok(md.includes('| **Total** | | **4,380.00 USD** | | **4,380.00 USD** | |'));
  });

  it('has no section and no versions key when the run was built without version intelligence', () => {
    const without = buildReportModel(reportInput());
    const rendered = renderReports(without, ['html', 'md']).map((file) => String(file.body));

    assert.deepStrictEqual(
      [
        without.versions,
        'versions' in toReportJson(without),
        rendered.map((body) => body.includes('Versions and support')),
      ],
      [null, false, [false, false]],
    );
  });
});
