import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { runScan } from '../../engine/pipeline.js';
import type { PostureSource } from '../../engine/ports.js';
import { versionIntelligence } from '../../engine/versions/intelligence.js';
import { extendedSupportPricing, HOURS_PER_YEAR, yearlyExtraCents } from '../../engine/versions/pricing.js';
import { known, unknown } from '../../model/observed.js';
import type { ClusterPosture, LiveVersionSupport, SupportPlan } from '../../model/posture.js';
import type { ReportJson } from '../../model/reportJson.js';
import type { SupportCalendar, VersionSupportWindow } from '../../model/support.js';
import type { ClusterVersionFacts, VersionIntelligence } from '../../model/versions.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { pipelineDeps } from '../fixtures/pipelineDeps.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool, version } from '../fixtures/postures.js';

const ASOF = '2026-12-06';

function window(
  minorVersion: string,
  releaseDate: string,
  endOfStandardSupport: string,
  endOfExtendedSupport: string | null,
): VersionSupportWindow {
  return { minorVersion, releaseDate, endOfStandardSupport, endOfExtendedSupport };
}

/** A small calendar for these tests, not the bundled one: each minor is one situation. */
const CALENDAR: SupportCalendar = {
  calendarDate: '2026-08-22',
  sources: { eks: 'EKS calendar', gke: 'GKE calendar', aks: 'AKS calendar' },
  windows: {
    eks: [
      window('1.36', '2027-06-01', '2028-08-01', '2029-08-01'),
      window('1.35', '2026-01-28', '2027-06-01', '2028-06-01'),
      window('1.34', '2025-10-06', '2027-03-06', '2028-03-06'),
      window('1.30', '2024-05-23', '2025-07-23', '2026-07-23'),
      window('1.29', '2024-01-23', '2025-03-23', '2027-03-23'),
      window('1.20', '2021-05-18', '2022-11-01', null),
      window('not-a-version', '2021-01-01', '2022-01-01', null),
    ],
    gke: [
      window('1.35', '2026-02-11', '2027-04-11', '2028-02-11'),
      window('1.33', '2025-06-03', '2026-08-03', '2027-06-03'),
    ],
    // Oldest first, unlike the others: order must not matter.
    aks: [
      window('1.33', '2025-06-17', '2026-07-31', '2027-07-31'),
      window('1.35', '2026-03-05', '2027-03-31', '2028-03-31'),
    ],
  },
};

const CALENDAR_DETAIL = 'the support calendar dated 2026-08-22';

function run(clusters: readonly ClusterPosture[], asOf = ASOF, support = CALENDAR): VersionIntelligence {
  return versionIntelligence({ clusters, asOf, support });
}

function only(clusters: readonly ClusterPosture[], asOf = ASOF, support = CALENDAR): ClusterVersionFacts {
  const [facts] = run(clusters, asOf, support).clusters;
  if (!facts) throw new Error('no facts');
  return facts;
}

function eks(raw: string, plan: SupportPlan = 'extended', overrides: Parameters<typeof eksPosture>[0] = {}) {
  return eksPosture({
    id: `arn:aws:eks:eu-west-1:111111111111:cluster/c-${raw}`,
    name: `c-${raw}`,
    version: at('cluster.version', version(raw), raw),
    supportPlan: at('cluster.upgradePolicy.supportType', plan),
    nodePools: known([nodePool(0, { version: at('nodegroup.version', version(raw), raw) })]),
    ...overrides,
  });
}

function live(support: LiveVersionSupport) {
  return known(support, { path: 'eks:DescribeClusterVersions', value: support.newestMinorVersion });
}

const NOT_READ = `${CALENDAR_DETAIL} (EKS calendar); the live version API was not read: not collected`;

describe('version intelligence: one cluster', () => {
  it('reads an EKS cluster from the calendar: 90 days left of standard support starts paying within the horizon', () => {
    const facts = only([eks('1.34.2')]);

    assert.deepStrictEqual(facts, {
      clusterId: 'arn:aws:eks:eu-west-1:111111111111:cluster/c-1.34.2',
      provider: 'eks',
      name: 'c-1.34.2',
      version: { value: '1.34.2' },
      newestMinor: { value: '1.35' },
      minorsBehind: { value: 1 },
      supportPlan: { value: 'extended' },
      endOfStandardSupport: { value: '2027-03-06' },
      daysToEndOfStandard: { value: 90 },
      endOfExtendedSupport: { value: '2028-03-06' },
      daysToEndOfExtended: { value: 456 },
      nodeSkew: { value: 0 },
      paidExtendedSupport: {
        value: {
          state: 'soon',
          reason:
            'The EXTENDED upgrade policy bills past standard support, which for Kubernetes 1.34 ends on 2027-03-06, in 90 days: billing starts then unless the cluster is upgraded.',
        },
      },
      yearlyExtraCostUsd: { value: 4380 },
      source: 'calendar',
      sourceDetail: NOT_READ,
    });
  });

  it('does not count a cluster 91 days from the end of standard support as paying within the horizon', () => {
    const facts = only([eks('1.34.2')], '2026-12-05');

    assert.deepStrictEqual(
      [facts.daysToEndOfStandard, facts.paidExtendedSupport, facts.yearlyExtraCostUsd],
      [
        { value: 91 },
        {
          value: {
            state: 'no',
            reason:
              'The EXTENDED upgrade policy bills only past standard support, which for Kubernetes 1.34 ends on 2027-03-06, 91 days away.',
          },
        },
        { value: 0 },
      ],
    );
  });

  it('counts the last day of standard support as standard, and the day after as paying', () => {
    const lastDay = only([eks('1.34.2')], '2027-03-06');
    const dayAfter = only([eks('1.34.2')], '2027-03-07');

    assert.deepStrictEqual(
      [
        lastDay.daysToEndOfStandard,
        'value' in lastDay.paidExtendedSupport && lastDay.paidExtendedSupport.value.state,
      ],
      [{ value: 0 }, 'soon'],
    );
    assert.deepStrictEqual(dayAfter.paidExtendedSupport, {
      value: {
        state: 'now',
        reason:
          'The EXTENDED upgrade policy keeps Kubernetes 1.34, which left standard support on 2027-03-06: billed for extended support until 2028-03-06.',
      },
    });
  });

  it('pays nothing once extended support has ended too', () => {
    const facts = only([eks('1.30.14')]);

    assert.deepStrictEqual(
      [
        facts.daysToEndOfStandard,
        facts.daysToEndOfExtended,
        facts.paidExtendedSupport,
        facts.yearlyExtraCostUsd,
      ],
      [
        { value: -501 },
        { value: -136 },
        {
          value: {
            state: 'no',
            reason:
              'Kubernetes 1.30 left extended support on 2026-07-23: unsupported, and no longer billed for it.',
          },
        },
        { value: 0 },
      ],
    );
  });

  it('pays nothing for a minor the provider never offered extended support for', () => {
    const facts = only([eks('1.20.15')]);

    assert.deepStrictEqual(
      [facts.endOfExtendedSupport, facts.daysToEndOfExtended, facts.paidExtendedSupport],
      [
        { value: null },
        { value: null },
        {
          value: {
            state: 'no',
            reason:
              'Kubernetes 1.20 left standard support on 2022-11-01 and has no extended support: unsupported, and not billed for it.',
          },
        },
      ],
    );
  });

  it('treats a minor older than the whole calendar as past every window, with no invented date', () => {
    const facts = only([eks('1.10.3')]);
    const reason = `Kubernetes 1.10 is older than 1.20, the oldest minor in ${CALENDAR_DETAIL}: it is past every support window, on a day the data does not give`;

    assert.deepStrictEqual(
      [facts.minorsBehind, facts.endOfStandardSupport, facts.daysToEndOfExtended, facts.paidExtendedSupport],
      [
        { value: 25 },
        { unknown: reason },
        { unknown: reason },
        { value: { state: 'no', reason: `${reason}; no extended support is left to bill.` } },
      ],
    );
  });

  it('finds the oldest and newest minors whatever the calendar order', () => {
    const facts = only([aksPosture({ version: at('kubernetesVersion', version('1.31.2'), '1.31.2') })]);

    assert.deepStrictEqual(
      [facts.newestMinor, facts.minorsBehind, facts.endOfStandardSupport],
      [
        { value: '1.35' },
        { value: 4 },
        {
          unknown: `Kubernetes 1.31 is older than 1.33, the oldest minor in ${CALENDAR_DETAIL}: it is past every support window, on a day the data does not give`,
        },
      ],
    );
  });

  it('keeps a minor newer than the calendar unknown: behind, dates and paid support', () => {
    const facts = only([eks('1.40.0')]);

    assert.deepStrictEqual(
      [facts.minorsBehind, facts.endOfStandardSupport, facts.paidExtendedSupport, facts.yearlyExtraCostUsd],
      [
        { unknown: `Kubernetes 1.40 is newer than 1.35, the newest minor ${CALENDAR_DETAIL} names` },
        { unknown: `Kubernetes 1.40 is not in ${CALENDAR_DETAIL}` },
        {
          unknown: `The EXTENDED upgrade policy bills past standard support: Kubernetes 1.40 is not in ${CALENDAR_DETAIL}`,
        },
        {
          unknown: `The EXTENDED upgrade policy bills past standard support: Kubernetes 1.40 is not in ${CALENDAR_DETAIL}`,
        },
      ],
    );
  });

  it('keeps every version fact unknown, with the reason, when the control-plane version is unknown', () => {
    const facts = only([eks('1.34.2', 'extended', { version: unknown('cluster.version absent') })]);
    const reason = 'Control-plane version unknown: cluster.version absent';

    assert.deepStrictEqual(facts, {
      clusterId: 'arn:aws:eks:eu-west-1:111111111111:cluster/c-1.34.2',
      provider: 'eks',
      name: 'c-1.34.2',
      version: { unknown: 'cluster.version absent' },
      newestMinor: { value: '1.35' },
      minorsBehind: { unknown: reason },
      supportPlan: { value: 'extended' },
      endOfStandardSupport: { unknown: reason },
      daysToEndOfStandard: { unknown: reason },
      endOfExtendedSupport: { unknown: reason },
      daysToEndOfExtended: { unknown: reason },
      nodeSkew: { unknown: reason },
      paidExtendedSupport: { unknown: `The EXTENDED upgrade policy bills past standard support: ${reason}` },
      yearlyExtraCostUsd: { unknown: `The EXTENDED upgrade policy bills past standard support: ${reason}` },
      source: 'calendar',
      sourceDetail: NOT_READ,
    });
  });

  it('keeps paid support unknown when the support plan is unknown', () => {
    const facts = only([eks('1.29.8', 'extended', { supportPlan: unknown('upgradePolicy absent') })]);

    assert.deepStrictEqual(
      [facts.supportPlan, facts.paidExtendedSupport, facts.yearlyExtraCostUsd],
      [
        { unknown: 'upgradePolicy absent' },
        { unknown: 'Support plan unknown: upgradePolicy absent' },
        { unknown: 'Support plan unknown: upgradePolicy absent' },
      ],
    );
  });

  it('uses the live version API over the calendar, and says so', () => {
    const liveWindow = window('1.34', '2025-10-06', '2027-01-15', '2028-01-15');
    const facts = only([
      eks('1.34.2', 'extended', {
        versionSupport: live({
          window: liveWindow,
          newestMinorVersion: '1.36',
          source: 'eks:DescribeClusterVersions',
        }),
      }),
    ]);

    assert.deepStrictEqual(
      [
        facts.newestMinor,
        facts.minorsBehind,
        facts.endOfStandardSupport,
        facts.daysToEndOfStandard,
        facts.source,
        facts.sourceDetail,
      ],
      [
        { value: '1.36' },
        { value: 2 },
        { value: '2027-01-15' },
        { value: 40 },
        'live',
        'eks:DescribeClusterVersions',
      ],
    );
  });

  it('fills in from the calendar what the live API does not give, and names what it filled in', () => {
    const facts = only([
      eks('1.34.2', 'extended', {
        versionSupport: live({
          window: null,
          newestMinorVersion: 'latest',
          source: 'eks:DescribeClusterVersions',
        }),
      }),
    ]);

    assert.deepStrictEqual(
      [facts.newestMinor, facts.endOfStandardSupport, facts.source, facts.sourceDetail],
      [
        { value: '1.35' },
        { value: '2027-03-06' },
        'live',
        `eks:DescribeClusterVersions; newest minor from ${CALENDAR_DETAIL}, as the API names none that parses ("latest"); support dates from ${CALENDAR_DETAIL}, as the API lists none for this minor`,
      ],
    );
  });

  it('ignores a live window of another minor, and names a minor older than the calendar as filled in', () => {
    const other = window('1.35', '2026-01-28', '2027-06-01', '2028-06-01');
    const versionSupport = live({
      window: other,
      newestMinorVersion: '1.35',
      source: 'eks:DescribeClusterVersions',
    });
    const stale = only([eks('1.34.2', 'extended', { versionSupport })]);
    const ancient = only([eks('1.10.3', 'extended', { versionSupport })]);

    assert.deepStrictEqual(
      [stale.endOfStandardSupport, stale.sourceDetail, ancient.sourceDetail],
      [
        { value: '2027-03-06' },
        `eks:DescribeClusterVersions; support dates from ${CALENDAR_DETAIL}, as the API lists none for this minor`,
        `eks:DescribeClusterVersions; support dates from ${CALENDAR_DETAIL}, as the API lists none for this minor`,
      ],
    );
  });

  it('names both the live API and the calendar when neither lists the minor', () => {
    const versionSupport = live({
      window: null,
      newestMinorVersion: '1.36',
      source: 'eks:DescribeClusterVersions',
    });
    const facts = only([eks('1.37.0', 'standard', { versionSupport })]);

    assert.deepStrictEqual(
      [facts.minorsBehind, facts.endOfStandardSupport, facts.sourceDetail],
      [
        { unknown: 'Kubernetes 1.37 is newer than 1.36, the newest minor eks:DescribeClusterVersions names' },
        {
          unknown: `Kubernetes 1.37 is listed neither by eks:DescribeClusterVersions nor in ${CALENDAR_DETAIL}`,
        },
        'eks:DescribeClusterVersions',
      ],
    );
  });

  it('keeps minors behind unknown across major versions', () => {
    const versionSupport = live({
      window: null,
      newestMinorVersion: '2.0',
      source: 'eks:DescribeClusterVersions',
    });
    const facts = only([eks('1.34.2', 'extended', { versionSupport })]);

    assert.deepStrictEqual(facts.minorsBehind, {
      unknown: 'Kubernetes 1.34 and the newest available version, 2.0, are on different major versions',
    });
  });

  it('keeps the newest minor unknown when the calendar lists nothing released yet', () => {
    const facts = only([eks('1.34.2')], '2020-01-01');

    assert.deepStrictEqual(
      [facts.newestMinor, facts.minorsBehind],
      [
        { unknown: `${CALENDAR_DETAIL} lists no version released by 2020-01-01` },
        { unknown: `${CALENDAR_DETAIL} lists no version released by 2020-01-01` },
      ],
    );
  });

  it('calls a minor missing, not older, when the calendar has no windows for the provider', () => {
    const empty: SupportCalendar = { ...CALENDAR, windows: { ...CALENDAR.windows, eks: [] } };
    const facts = only([eks('1.34.2')], ASOF, empty);

    assert.deepStrictEqual(facts.endOfStandardSupport, {
      unknown: `Kubernetes 1.34 is not in ${CALENDAR_DETAIL}`,
    });
  });
});

describe('version intelligence: support plans', () => {
  it('never bills a cluster on its provider standard plan', () => {
    const clusters = [
      eks('1.29.8', 'standard'),
      gkePosture({ version: at('currentMasterVersion', version('1.33.5-gke.1'), '1.33.5-gke.1') }),
      aksPosture({ version: at('kubernetesVersion', version('1.33.2'), '1.33.2') }),
    ];

    const paid = run(clusters).clusters.map((facts) => [facts.paidExtendedSupport, facts.yearlyExtraCostUsd]);

    assert.deepStrictEqual(paid, [
      [
        {
          value: {
            state: 'no',
            reason:
              'The upgrade policy is STANDARD: EKS upgrades the cluster at the end of standard support instead of billing extended support.',
          },
        },
        { value: 0 },
      ],
      [
        {
          value: {
            state: 'no',
            reason:
              'Not on the Extended release channel, the only one GKE bills extended support on: GKE upgrades the cluster at the end of standard support.',
          },
        },
        { value: 0 },
      ],
      [
        { value: { state: 'no', reason: 'On the KubernetesOfficial support plan, not long-term support.' } },
        { value: 0 },
      ],
    ]);
  });

  it('bills GKE on the Extended channel once the minor is past standard support', () => {
    const facts = only([
      gkePosture({
        version: at('currentMasterVersion', version('1.33.5-gke.1'), '1.33.5-gke.1'),
        supportPlan: at('releaseChannel.channel', 'extended', 'EXTENDED'),
      }),
    ]);

    assert.deepStrictEqual(facts.paidExtendedSupport, {
      value: {
        state: 'now',
        reason:
          'The Extended release channel keeps Kubernetes 1.33, which left standard support on 2026-08-03: billed for extended support until 2027-06-03.',
      },
    });
  });

  it('bills AKS long-term support from enrolment, whatever the version, even an unknown one', () => {
    const facts = only([
      aksPosture({ version: unknown('absent'), supportPlan: at('supportPlan', 'extended') }),
    ]);

    assert.deepStrictEqual(
      [facts.paidExtendedSupport, facts.yearlyExtraCostUsd],
      [
        {
          value: {
            state: 'now',
            reason:
              'On long-term support (AKSLongTermSupport), which needs the Premium tier and is billed from enrolment, whatever the version.',
          },
        },
        { value: 4380 },
      ],
    );
  });
});

describe('version intelligence: node skew', () => {
  const controlPlane = { version: at('cluster.version', version('1.34.2'), '1.34.2') };

  it('reports the most minors any pool trails the control plane', () => {
    const facts = only([
      eksPosture({
        ...controlPlane,
        nodePools: known([
          nodePool(0, { version: at('a', version('1.34.1'), '1.34.1') }),
          nodePool(1, { version: at('b', version('1.32.9'), '1.32.9') }),
          nodePool(2, { version: at('c', version('1.33.0'), '1.33.0') }),
        ]),
      }),
    ]);

    assert.deepStrictEqual(facts.nodeSkew, { value: 2 });
  });

  it('reports a negative skew when every pool is ahead, and null without pools', () => {
    const ahead = only([
      eksPosture({
        ...controlPlane,
        nodePools: known([nodePool(0, { version: at('a', version('1.35.0'), '1.35.0') })]),
      }),
    ]);
    const none = only([eksPosture({ ...controlPlane, nodePools: known([]) })]);

    assert.deepStrictEqual([ahead.nodeSkew, none.nodeSkew], [{ value: -1 }, { value: null }]);
  });

  it('keeps the skew unknown when the pools, a pool version or a comparable major is unknown', () => {
    const cases = [
      eksPosture({ ...controlPlane, nodePools: unknown('ListNodegroups denied') }),
      eksPosture({
        ...controlPlane,
        nodePools: known([nodePool(0), nodePool(1, { version: unknown('version absent') })]),
      }),
      eksPosture({
        ...controlPlane,
        nodePools: known([nodePool(0, { version: at('a', version('2.0.1'), '2.0.1') })]),
      }),
    ];

    const skews = cases.map((cluster) => only([cluster]).nodeSkew);

    assert.deepStrictEqual(skews, [
      { unknown: 'Node pools unknown: ListNodegroups denied' },
      { unknown: 'Version of node pool pool-1 unknown: version absent' },
      {
        unknown: "Node pool pool-0 runs 2.0.1, a different major version from the control plane's 1.34.2",
      },
    ]);
  });
});

describe('version intelligence: the estate', () => {
  it('is empty for a run without clusters, prices included', () => {
    const intelligence = run([]);

    assert.deepStrictEqual(intelligence, {
      asOf: ASOF,
      calendarDate: '2026-08-22',
      clusters: [],
      leavingStandardIn30: [],
      leavingStandardIn90: [],
      pastStandard: [],
      standardEndUnknown: [],
      cost: {
        horizonDays: 90,
        hoursPerYear: 8760,
        perProvider: [],
        totalYearlyUsd: 0,
        totalYearlySoonUsd: 0,
        unknownClusters: 0,
        prices: [
          {
            provider: 'eks',
            plan: 'EKS extended support',
            usdPerClusterHour: 0.6,
            standardUsdPerClusterHour: 0.1,
            yearlyExtraUsd: 4380,
            billed: 'From the end of standard support, when the upgrade policy is EXTENDED (the default)',
            source: 'https://aws.amazon.com/eks/pricing/',
            checked: '2026-12-06',
          },
          {
            provider: 'gke',
            plan: 'GKE extended support period (Extended channel)',
            usdPerClusterHour: 0.6,
            standardUsdPerClusterHour: 0.1,
            yearlyExtraUsd: 4380,
            billed: 'From the end of standard support, on the Extended release channel only',
            source: 'https://cloud.google.com/kubernetes-engine/pricing',
            checked: '2026-12-06',
          },
          {
            provider: 'aks',
            plan: 'AKS long-term support (Premium tier)',
            usdPerClusterHour: 0.6,
            standardUsdPerClusterHour: 0.1,
            yearlyExtraUsd: 4380,
            billed:
              'From enrolment in long-term support, which needs the Premium tier; the extra is against the Standard tier',
            source: 'https://azure.microsoft.com/pricing/details/kubernetes-service/',
            checked: '2026-12-06',
          },
        ],
      },
    });
  });

  it('lists clusters leaving standard support within 30 and 90 days, boundaries included', () => {
    // End of standard support for 1.34: 2027-03-06. From 2027-02-04 that is 30 days; 1.35 ends 2027-06-01, 117 days.
    const asOf = '2027-02-04';
    const clusters = [
      eks('1.34.2', 'extended', { id: 'a', name: 'thirty' }),
      gkePosture({
        id: 'g',
        name: 'gke-ninety',
        version: at('v', version('1.35.1-gke.1'), '1.35.1-gke.1'),
      }),
      eks('1.35.0', 'extended', { id: 'b', name: 'far' }),
    ];

    const intelligence = run(clusters, asOf);

    assert.deepStrictEqual(
      [intelligence.leavingStandardIn30, intelligence.leavingStandardIn90],
      [
        [
          {
            clusterId: 'a',
            provider: 'eks',
            name: 'thirty',
            endOfStandardSupport: '2027-03-06',
            daysToEndOfStandard: 30,
          },
        ],
        [
          {
            clusterId: 'a',
            provider: 'eks',
            name: 'thirty',
            endOfStandardSupport: '2027-03-06',
            daysToEndOfStandard: 30,
          },
          {
            clusterId: 'g',
            provider: 'gke',
            name: 'gke-ninety',
            endOfStandardSupport: '2027-04-11',
            daysToEndOfStandard: 66,
          },
        ],
      ],
    );
  });

  it('leaves a cluster 31 days out off the 30-day list, and one 91 days out off the 90-day list', () => {
    const thirtyOne = run([eks('1.34.2')], '2027-02-03');
    const ninetyOne = run([eks('1.34.2')], '2026-12-05');

    assert.deepStrictEqual(
      [
        thirtyOne.leavingStandardIn30.length,
        thirtyOne.leavingStandardIn90.length,
        ninetyOne.leavingStandardIn90.length,
      ],
      [0, 1, 0],
    );
  });

  it('lists clusters past standard support, the oldest first, and those whose end is unknown', () => {
    const clusters = [
      eks('1.29.8', 'extended', { id: 'p1', name: 'past-1' }),
      eks('1.10.1', 'extended', { id: 'p0', name: 'ancient' }),
      eks('1.30.1', 'extended', { id: 'p2', name: 'past-2' }),
      eks('1.34.2', 'extended', { id: 'u1', name: 'unknown-version', version: unknown('absent') }),
      eks('1.41.0', 'extended', { id: 'u2', name: 'too-new' }),
    ];

    const intelligence = run(clusters);

    assert.deepStrictEqual(
      [intelligence.pastStandard, intelligence.standardEndUnknown],
      [
        [
          {
            clusterId: 'p0',
            provider: 'eks',
            name: 'ancient',
            endOfStandardSupport: null,
            daysToEndOfStandard: null,
          },
          {
            clusterId: 'p1',
            provider: 'eks',
            name: 'past-1',
            endOfStandardSupport: '2025-03-23',
            daysToEndOfStandard: -623,
          },
          {
            clusterId: 'p2',
            provider: 'eks',
            name: 'past-2',
            endOfStandardSupport: '2025-07-23',
            daysToEndOfStandard: -501,
          },
        ],
        [
          {
            clusterId: 'u2',
            provider: 'eks',
            name: 'too-new',
            endOfStandardSupport: null,
            daysToEndOfStandard: null,
          },
          {
            clusterId: 'u1',
            provider: 'eks',
            name: 'unknown-version',
            endOfStandardSupport: null,
            daysToEndOfStandard: null,
          },
        ],
      ],
    );
  });

  it('totals the yearly cost per provider and overall, paying now and within 90 days, unknown apart', () => {
    const clusters = [
      eks('1.29.8', 'extended', { id: 'e1', name: 'eks-now-1' }),
      eks('1.29.8', 'extended', { id: 'e2', name: 'eks-now-2' }),
      eks('1.34.2', 'extended', { id: 'e3', name: 'eks-soon' }),
      eks('1.34.2', 'standard', { id: 'e4', name: 'eks-standard' }),
      eks('1.34.2', 'extended', { id: 'e5', name: 'eks-plan-unknown', supportPlan: unknown('absent') }),
      gkePosture({
        id: 'g1',
        name: 'gke-now',
        version: at('v', version('1.33.5-gke.1'), '1.33.5-gke.1'),
        supportPlan: at('releaseChannel.channel', 'extended', 'EXTENDED'),
      }),
      aksPosture({
        id: 'a1',
        name: 'aks-lts',
        supportPlan: at('supportPlan', 'extended', 'AKSLongTermSupport'),
      }),
    ];

    const { cost } = run(clusters);

    assert.deepStrictEqual(
      [cost.perProvider, cost.totalYearlyUsd, cost.totalYearlySoonUsd, cost.unknownClusters],
      [
        [
          {
            provider: 'eks',
            payingNow: 2,
            yearlyNowUsd: 8760,
            payingSoon: 1,
            yearlySoonUsd: 4380,
            unknown: 1,
          },
          { provider: 'gke', payingNow: 1, yearlyNowUsd: 4380, payingSoon: 0, yearlySoonUsd: 0, unknown: 0 },
          { provider: 'aks', payingNow: 1, yearlyNowUsd: 4380, payingSoon: 0, yearlySoonUsd: 0, unknown: 0 },
        ],
        17520,
        4380,
        1,
      ],
    );
  });

  it('sorts clusters by provider, then name, then id, whatever the input order', () => {
    const clusters = [
      aksPosture({ id: 'z', name: 'alpha' }),
      eks('1.34.2', 'extended', { id: 'b', name: 'same' }),
      eks('1.34.2', 'extended', { id: 'a', name: 'same' }),
      eks('1.34.2', 'extended', { id: 'c', name: 'first' }),
      gkePosture({ id: 'y', name: 'alpha' }),
    ];

    const order = run(clusters).clusters.map((facts) => facts.clusterId);

    assert.deepStrictEqual(order, ['c', 'a', 'b', 'y', 'z']);
  });

  it('counts days from asOf, never from the clock: the same input on another asOf moves every count', () => {
    const early = only([eks('1.34.2')], '2026-01-01');
    const late = only([eks('1.34.2')], '2027-01-01');

    assert.deepStrictEqual(
      [early.daysToEndOfStandard, late.daysToEndOfStandard],
      [{ value: 429 }, { value: 64 }],
    );
  });
});

describe('extended support prices', () => {
  it('computes the yearly extra in integer cents: 0.50 USD an hour for 8,760 hours', () => {
    const cents = (['eks', 'gke', 'aks'] as const).map((provider) =>
      yearlyExtraCents(extendedSupportPricing(provider)),
    );

    assert.deepStrictEqual([HOURS_PER_YEAR, cents], [8760, [438000, 438000, 438000]]);
  });
});

describe('version intelligence on the run paths', () => {
  const versionSupport = live({
    window: window('1.34', '2025-10-06', '2027-01-15', '2028-01-15'),
    newestMinorVersion: '1.36',
    source: 'eks:DescribeClusterVersions',
  });
  const clusters = [
    eks('1.34.2', 'extended', { id: 'live', name: 'live', versionSupport }),
    eks('1.29.8', 'extended', { id: 'paying', name: 'paying' }),
    aksPosture({ id: 'aks', name: 'aks', version: unknown('absent') }),
  ];

  it('gives the same facts from postures stored as JSON, as fan-out shards store them for finalize', () => {
    const stored = JSON.parse(JSON.stringify(clusters)) as ClusterPosture[];

    assert.deepStrictEqual(run(stored), run(clusters));
  });

  it('writes the facts of the run, as of its asOf day and with the bundled calendar, into report.json', async () => {
    const sink = new MemorySink();
    const source: PostureSource = {
      name: 'fixture',
      collect: async () => ({
        postures: clusters,
        scopes: [{ provider: 'snapshot', scope: 'fixture.json', status: 'ok', clusters: clusters.length }],
        problems: [],
      }),
    };
    // No checks: version intelligence needs none, and the report is built all the same.
    const deps = { ...pipelineDeps({ sources: [source], sink }), checks: [] };

    await runScan(deps, { trigger: 'cli', formats: ['json'], asOf: ASOF });

    const report = JSON.parse(sink.objects.get('runs/2026-11-29/run-1/report.json') ?? '{}') as ReportJson;
    assert.deepStrictEqual(
      report.versions,
      versionIntelligence({ clusters, asOf: ASOF, support: deps.support }),
    );
  });
});
