import type { Provider, SupportPlan } from './posture.js';

/**
 * One fact of the version report: its value, or why it could not be known. An unknown fact is
 * never shown as 0, `none` or a date it might have been.
 */
export type VersionFact<T> = { readonly value: T } | { readonly unknown: string };

/**
 * Where a cluster's version facts came from: the provider's live version API (the posture's
 * `versionSupport` was read), or only the bundled support calendar.
 */
export type VersionDataSource = 'live' | 'calendar';

/** Whether a cluster pays for extended support: now, within the report's horizon unless upgraded, or neither. */
export type PaidExtendedSupportState = 'now' | 'soon' | 'no';

/** Paid extended support of one cluster, and why. */
export interface PaidExtendedSupport {
  readonly state: PaidExtendedSupportState;
  /** Why, in one sentence an owner can act on. */
  readonly reason: string;
}

/** Version and support facts of one cluster, as of the run's `asOf` day. */
export interface ClusterVersionFacts {
  readonly clusterId: string;
  readonly provider: Provider;
  readonly name: string;
  /** The control-plane version as the provider reports it. */
  readonly version: VersionFact<string>;
  /** The newest minor version available (`1.35`). */
  readonly newestMinor: VersionFact<string>;
  /** Minor versions between the control plane and the newest available. */
  readonly minorsBehind: VersionFact<number>;
  readonly supportPlan: VersionFact<SupportPlan>;
  /** `YYYY-MM-DD`. */
  readonly endOfStandardSupport: VersionFact<string>;
  /** Days from `asOf` to the end of standard support: negative once past it. */
  readonly daysToEndOfStandard: VersionFact<number>;
  /** `YYYY-MM-DD`; null when the provider offers no extended or long-term support for the minor. */
  readonly endOfExtendedSupport: VersionFact<string | null>;
  /** Days from `asOf` to the end of extended support; null when there is none. */
  readonly daysToEndOfExtended: VersionFact<number | null>;
  /** The most minors a node pool trails the control plane (negative: every pool is ahead); null when the cluster has no node pools. */
  readonly nodeSkew: VersionFact<number | null>;
  readonly paidExtendedSupport: VersionFact<PaidExtendedSupport>;
  /** The yearly extra cost of paid extended support in USD, now or once it starts within the horizon; 0 when neither. */
  readonly yearlyExtraCostUsd: VersionFact<number>;
  readonly source: VersionDataSource;
  /** The API or the dated calendar the facts came from, and which parts the calendar filled in. */
  readonly sourceDetail: string;
}

/** A cluster in one of the estate-wide lists. */
export interface VersionClusterRef {
  readonly clusterId: string;
  readonly provider: Provider;
  readonly name: string;
  /** Null for a minor older than every minor in the support data: past every support window. */
  readonly endOfStandardSupport: string | null;
  readonly daysToEndOfStandard: number | null;
}

/** The published price of one provider's paid extended support, dated. */
export interface ExtendedSupportPrice {
  readonly provider: Provider;
  /** `EKS extended support`. */
  readonly plan: string;
  /** USD per cluster-hour while billed for extended support. */
  readonly usdPerClusterHour: number;
  /** USD per cluster-hour in standard support, what the cluster pays anyway. */
  readonly standardUsdPerClusterHour: number;
  /** The extra over standard support for a year of extended support, computed in cents. */
  readonly yearlyExtraUsd: number;
  /** When the provider bills it, in words. */
  readonly billed: string;
  /** The provider's pricing page. */
  readonly source: string;
  /** The day the price was read from it, `YYYY-MM-DD`. */
  readonly checked: string;
}

/** Paid extended support of one provider's clusters. */
export interface ProviderVersionCost {
  readonly provider: Provider;
  /** Clusters billed for extended support now, and their extra cost per year. */
  readonly payingNow: number;
  readonly yearlyNowUsd: number;
  /** Clusters that start paying within the horizon unless upgraded, and their extra cost per year then. */
  readonly payingSoon: number;
  readonly yearlySoonUsd: number;
  /** Clusters whose plan or support dates are unknown: not counted in either sum. */
  readonly unknown: number;
}

/** The money at stake in paid extended support, estate-wide. */
export interface VersionCost {
  /** Days ahead that `payingSoon` looks. */
  readonly horizonDays: number;
  readonly hoursPerYear: number;
  /** Providers with clusters in the run, in provider order. */
  readonly perProvider: readonly ProviderVersionCost[];
  /** Yearly extra cost of the clusters paying now. */
  readonly totalYearlyUsd: number;
  /** Yearly extra cost of the clusters that start paying within the horizon. */
  readonly totalYearlySoonUsd: number;
  /** Clusters left out of both totals because their plan or dates are unknown. */
  readonly unknownClusters: number;
  readonly prices: readonly ExtendedSupportPrice[];
}

/**
 * Version intelligence of a run: per cluster and estate-wide, as of `asOf`. `versions` in
 * `report.json`, additive to schemaVersion 1.
 */
export interface VersionIntelligence {
  readonly asOf: string;
  /** The date of the bundled support calendar the `calendar` facts come from. */
  readonly calendarDate: string;
  /** Sorted by provider, name, id. */
  readonly clusters: readonly ClusterVersionFacts[];
  /** Clusters whose standard support ends within 30 days (0 to 30 days from `asOf`, both included). */
  readonly leavingStandardIn30: readonly VersionClusterRef[];
  /** Clusters whose standard support ends within 90 days, those within 30 included. */
  readonly leavingStandardIn90: readonly VersionClusterRef[];
  /** Clusters already past the end of standard support. */
  readonly pastStandard: readonly VersionClusterRef[];
  /** Clusters whose end of standard support is unknown, so none of the lists can hold them. */
  readonly standardEndUnknown: readonly VersionClusterRef[];
  readonly cost: VersionCost;
}

/** A version fact as printed: its text, and the reason when unknown. */
export interface ReportVersionCell {
  readonly text: string;
  /** Why the fact is unknown; null when known. */
  readonly unknownReason: string | null;
}

/** One cluster's row of the version table. */
export interface ReportVersionRow {
  readonly clusterName: string;
  /** The cluster's row in the report's cluster table; null when the report does not list it. */
  readonly clusterAnchor: string | null;
  readonly providerName: string;
  readonly version: ReportVersionCell;
  readonly newestMinor: ReportVersionCell;
  readonly minorsBehind: ReportVersionCell;
  readonly supportPlan: ReportVersionCell;
  /** `2026-03-23 (258 days ago)`. */
  readonly standardEnd: ReportVersionCell;
  readonly extendedEnd: ReportVersionCell;
  readonly nodeSkew: ReportVersionCell;
  /** `Now`, `Within 90 days`, `No`. */
  readonly paidExtendedSupport: ReportVersionCell;
  /** Why it pays or not; null when that is unknown (the cell says why). */
  readonly paidReason: string | null;
  /** `4,380.00 USD a year`. */
  readonly yearlyExtraCost: ReportVersionCell;
  /** `Live` or `Calendar`. */
  readonly sourceLabel: string;
  readonly sourceDetail: string;
  /** Past standard support, or paying for extended support now. */
  readonly attention: boolean;
}

/** A cluster in one of the estate-wide lists, as printed. */
export interface ReportVersionListRow {
  readonly clusterName: string;
  readonly clusterAnchor: string | null;
  readonly providerName: string;
  /** `2026-12-20 (in 14 days)`, or why there is no date. */
  readonly standardEnd: string;
}

/** An estate-wide list of clusters. */
export interface ReportVersionList {
  readonly key: 'leavingStandardIn30' | 'leavingStandardIn90' | 'pastStandard' | 'standardEndUnknown';
  readonly title: string;
  readonly total: number;
  readonly rows: readonly ReportVersionListRow[];
}

/** One provider's money at stake, as printed. */
export interface ReportVersionCostRow {
  readonly providerName: string;
  readonly payingNow: number;
  readonly yearlyNow: string;
  readonly payingSoon: number;
  readonly yearlySoon: string;
  readonly unknown: number;
}

/** A price as printed, with its dated source. */
export interface ReportVersionPrice {
  readonly providerName: string;
  readonly plan: string;
  /** `0.60 USD`. */
  readonly perClusterHour: string;
  readonly standardPerClusterHour: string;
  /** `4,380.00 USD`. */
  readonly extraPerYear: string;
  readonly billed: string;
  readonly sourceUrl: string;
  /** Null unless the URL is `https:`. */
  readonly sourceHref: string | null;
  readonly checked: string;
}

/** The "Versions and support" section of the HTML and Markdown reports. */
export interface ReportVersions {
  /** The data, complete, as `report.json` carries it. */
  readonly data: VersionIntelligence;
  /** `2 clusters past standard support, 1 leaving it within 30 days, …`. */
  readonly headline: string;
  readonly rows: readonly ReportVersionRow[];
  /** Leaving within 30 and within 90 days, past standard support, end unknown: only the non-empty ones. */
  readonly lists: readonly ReportVersionList[];
  readonly costRows: readonly ReportVersionCostRow[];
  readonly totalNow: string;
  readonly totalSoon: string;
  /** `within 90 days`. */
  readonly horizonLabel: string;
  /** Why the totals are a floor: clusters with an unknown plan or dates; null when none. */
  readonly unknownCostNote: string | null;
  readonly prices: readonly ReportVersionPrice[];
}
