import { PROVIDER_NAMES, type Provider, type SupportPlan } from '../model/posture.js';
import type {
  ClusterVersionFacts,
  PaidExtendedSupportState,
  ReportVersionCell,
  ReportVersionList,
  ReportVersionListRow,
  ReportVersionRow,
  ReportVersions,
  VersionClusterRef,
  VersionFact,
  VersionIntelligence,
} from '../model/versions.js';

const PLAN_LABELS: Readonly<Record<Provider, Readonly<Record<SupportPlan, string>>>> = {
  eks: { standard: 'Standard (upgrade policy STANDARD)', extended: 'Extended (upgrade policy EXTENDED)' },
  gke: { standard: 'Standard (not the Extended channel)', extended: 'Extended channel' },
  aks: { standard: 'Community (KubernetesOfficial)', extended: 'Long-term support (Premium tier)' },
};

const SOURCE_LABELS = { live: 'Live', calendar: 'Calendar' } as const;

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `4,380.00 USD`: from cents, so no float digits leak into the text. */
export function formatUsd(usd: number): string {
  const cents = Math.round(usd * 100);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(cents % 100).padStart(2, '0')} USD`;
}

/** `today`, `in 14 days`, `258 days ago`. */
function daysLabel(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

function cell<T>(fact: VersionFact<T>, text: (value: T) => string): ReportVersionCell {
  return 'unknown' in fact
    ? { text: 'Unknown', unknownReason: fact.unknown }
    : { text: text(fact.value), unknownReason: null };
}

function endCell(end: VersionFact<string | null>, days: VersionFact<number | null>): ReportVersionCell {
  if ('unknown' in end) return { text: 'Unknown', unknownReason: end.unknown };
  if (end.value === null || !('value' in days) || days.value === null)
    return { text: 'None', unknownReason: null };
  return { text: `${end.value} (${daysLabel(days.value)})`, unknownReason: null };
}

function skewLabel(skew: number | null): string {
  if (skew === null) return 'No node pools';
  if (skew === 0) return 'In step';
  return skew > 0 ? `${plural(skew, 'minor')} behind` : `${plural(-skew, 'minor')} ahead`;
}

function paidLabel(state: PaidExtendedSupportState, horizonDays: number): string {
  if (state === 'now') return 'Now';
  return state === 'soon' ? `Within ${horizonDays} days` : 'No';
}

function row(facts: ClusterVersionFacts, horizonDays: number, anchorOf: AnchorLookup): ReportVersionRow {
  const days = facts.daysToEndOfStandard;
  const paid = facts.paidExtendedSupport;
  return {
    clusterName: facts.name,
    clusterAnchor: anchorOf(facts.clusterId),
    providerName: PROVIDER_NAMES[facts.provider],
    version: cell(facts.version, (version) => version),
    newestMinor: cell(facts.newestMinor, (minor) => minor),
    minorsBehind: cell(facts.minorsBehind, String),
    supportPlan: cell(facts.supportPlan, (plan) => PLAN_LABELS[facts.provider][plan]),
    standardEnd: endCell(facts.endOfStandardSupport, facts.daysToEndOfStandard),
    extendedEnd: endCell(facts.endOfExtendedSupport, facts.daysToEndOfExtended),
    nodeSkew: cell(facts.nodeSkew, skewLabel),
    paidExtendedSupport: cell(paid, (value) => paidLabel(value.state, horizonDays)),
    paidReason: 'value' in paid ? paid.value.reason : null,
    yearlyExtraCost: cell(facts.yearlyExtraCostUsd, (usd) =>
      usd === 0 ? 'None' : `${formatUsd(usd)} a year`,
    ),
    sourceLabel: SOURCE_LABELS[facts.source],
    sourceDetail: facts.sourceDetail,
    attention: ('value' in days && days.value < 0) || ('value' in paid && paid.value.state === 'now'),
  };
}

/** The report's fragment id of a cluster's row, or null when it lists no such cluster. */
export type AnchorLookup = (clusterId: string) => string | null;

function listRow(
  entry: VersionClusterRef,
  reasons: ReadonlyMap<string, string>,
  anchorOf: AnchorLookup,
): ReportVersionListRow {
  let standardEnd: string;
  if (entry.endOfStandardSupport !== null && entry.daysToEndOfStandard !== null) {
    standardEnd = `${entry.endOfStandardSupport} (${daysLabel(entry.daysToEndOfStandard)})`;
  } else {
    standardEnd = reasons.get(entry.clusterId) ?? 'Unknown';
  }
  return {
    clusterName: entry.name,
    clusterAnchor: anchorOf(entry.clusterId),
    providerName: PROVIDER_NAMES[entry.provider],
    standardEnd,
  };
}

function headline(data: VersionIntelligence): string {
  const { cost } = data;
  const parts = [
    `${plural(data.pastStandard.length, 'cluster')} of ${data.clusters.length} past standard support`,
    `${data.leavingStandardIn30.length} leaving it within 30 days`,
    `${data.leavingStandardIn90.length} within 90 days`,
  ];
  const payingNow = cost.perProvider.reduce((sum, entry) => sum + entry.payingNow, 0);
  const payingSoon = cost.perProvider.reduce((sum, entry) => sum + entry.payingSoon, 0);
  const money = `paid extended support: ${formatUsd(cost.totalYearlyUsd)} a year now (${plural(payingNow, 'cluster')}), ${formatUsd(cost.totalYearlySoonUsd)} a year more within ${cost.horizonDays} days unless upgraded (${plural(payingSoon, 'cluster')})`;
  return `${parts.join(', ')}; ${money}.`;
}

/**
 * The "Versions and support" section from a run's version intelligence: every cluster's row,
 * the estate-wide lists, and the money at stake with the dated prices it rests on.
 */
export function buildVersionsSection(data: VersionIntelligence, anchorOf: AnchorLookup): ReportVersions {
  const { cost } = data;
  const reasons = new Map(
    data.clusters.flatMap((facts) =>
      'unknown' in facts.endOfStandardSupport
        ? [[facts.clusterId, facts.endOfStandardSupport.unknown] as const]
        : [],
    ),
  );
  const candidates: readonly {
    readonly key: ReportVersionList['key'];
    readonly title: string;
    readonly entries: readonly VersionClusterRef[];
  }[] = [
    {
      key: 'leavingStandardIn30',
      title: 'Leaving standard support within 30 days',
      entries: data.leavingStandardIn30,
    },
    {
      key: 'leavingStandardIn90',
      title: 'Leaving standard support within 90 days',
      entries: data.leavingStandardIn90,
    },
    { key: 'pastStandard', title: 'Past standard support', entries: data.pastStandard },
    { key: 'standardEndUnknown', title: 'End of standard support unknown', entries: data.standardEndUnknown },
  ];
  const lists: ReportVersionList[] = candidates
    .filter((list) => list.entries.length > 0)
    .map(({ key, title, entries }) => ({
      key,
      title,
      total: entries.length,
      rows: entries.map((entry) => listRow(entry, reasons, anchorOf)),
    }));
  return {
    data,
    headline: headline(data),
    rows: data.clusters.map((facts) => row(facts, cost.horizonDays, anchorOf)),
    lists,
    costRows: cost.perProvider.map((entry) => ({
      providerName: PROVIDER_NAMES[entry.provider],
      payingNow: entry.payingNow,
      yearlyNow: formatUsd(entry.yearlyNowUsd),
      payingSoon: entry.payingSoon,
      yearlySoon: formatUsd(entry.yearlySoonUsd),
      unknown: entry.unknown,
    })),
    totalNow: formatUsd(cost.totalYearlyUsd),
    totalSoon: formatUsd(cost.totalYearlySoonUsd),
    horizonLabel: `within ${cost.horizonDays} days`,
    unknownCostNote:
      cost.unknownClusters === 0
        ? null
        : `${plural(cost.unknownClusters, 'cluster')} with an unknown support plan or support dates ${cost.unknownClusters === 1 ? 'is' : 'are'} not counted: the totals are a floor.`,
    prices: cost.prices.map((price) => ({
      providerName: PROVIDER_NAMES[price.provider],
      plan: price.plan,
      perClusterHour: formatUsd(price.usdPerClusterHour),
      standardPerClusterHour: formatUsd(price.standardUsdPerClusterHour),
      extraPerYear: formatUsd(price.yearlyExtraUsd),
      billed: price.billed,
      sourceUrl: price.source,
      sourceHref: httpsHref(price.source),
      checked: price.checked,
    })),
  };
}

function httpsHref(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' ? parsed.href : null;
}
