import type { AppliedWaiver, ComplianceRef, Framework, Responsibility, Severity, Status } from './finding.js';
import type { SourceField } from './observed.js';
import type { ClusterMode, Provider } from './posture.js';
import type { ReportCatalogueEntry, ReportJsonScore, ToolInfo } from './reportJson.js';
import type { RunInfo, RunNotice } from './run.js';
import type { RunDiff, RunDiffPreviousRun } from './runDiff.js';
import type { ReportVersionRow, ReportVersions } from './versions.js';

/** A waiver the report must point out: one that expired and stopped applying, or one about to. */
export interface WaiverNotice {
  /** The check id the waiver is for. */
  readonly check: string;
  /** The waiver's cluster selector in words (`provider eks, name legacy-*`). */
  readonly selector: string;
  readonly owner: string;
  readonly reason: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
}

/** Waivers worth a notice in this run, as the waiver stage found them. */
export interface WaiverNotices {
  /** Expired waivers: they no longer apply, so their findings show their real status. */
  readonly expired: readonly WaiverNotice[];
  /** Live waivers that expire within 14 days of the run's `asOf` day. */
  readonly expiringSoon: readonly WaiverNotice[];
}

/**
 * One control a provider secures on its managed control plane, which the customer cannot change.
 * `checks/frameworks/providerManaged.ts` holds the data; extra fields there (a topic) are ignored.
 */
export interface ProviderManagedControl {
  /** `Control-plane components are patched by AWS`. */
  readonly title: string;
  /** What the provider does, in words an auditor can check against the reference. */
  readonly description: string;
  /** The provider's page that states it. */
  readonly reference: string;
  /** Benchmark controls this covers, where the data names them. */
  readonly compliance?: readonly ComplianceRef[];
}

/** Per provider, the controls the provider secures on its managed control plane. */
export type ProviderManagedControls = Readonly<Partial<Record<Provider, readonly ProviderManagedControl[]>>>;

/** Something the run could not read: a file, a scope, a cluster, or none in particular. */
export interface RunProblem {
  readonly file?: string;
  readonly scope?: string;
  readonly cluster?: string;
  readonly reason: string;
}

/**
 * Counts of findings per status. Templates read `byStatus` for single numbers and `cells` for a
 * row of a table, so the column order lives in one place.
 */
export interface StatusTally {
  readonly byStatus: Readonly<Record<Status, number>>;
  readonly total: number;
  /** Findings that are `fail`, `error` or `unknown`: someone has to act on them. */
  readonly needsAttention: number;
  /** The counts in display order (`fail` first). */
  readonly cells: readonly StatusCount[];
  /** The non-zero counts in words: `2 fail, 1 pass`; `none` when empty. */
  readonly label: string;
}

/** One status with its label and count. */
export interface StatusCount {
  readonly status: Status;
  readonly label: string;
  readonly count: number;
}

/** Counts of failing findings per severity. */
export interface SeverityTally {
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly total: number;
  /** The counts in display order (`critical` first). */
  readonly cells: readonly SeverityCount[];
}

/** One severity with its label and count. */
export interface SeverityCount {
  readonly severity: Severity;
  readonly label: string;
  readonly count: number;
}

/** A column of a status table: the templates print these as headers, in the order of `StatusTally.cells`. */
export interface StatusColumn {
  readonly status: Status;
  readonly label: string;
}

/** A link; `href` is null unless the URL is `https:`, so a template never writes another scheme into `href`. */
export interface ReportLink {
  readonly url: string;
  readonly href: string | null;
}

/** The top of the report: what ran, when, and whether it saw everything. */
export interface ReportHeader {
  readonly title: string;
  readonly triggerLabel: string;
  /** `4 min 12 s`; `unknown` when the timestamps do not parse. */
  readonly durationLabel: string;
  /**
   * True only when the run says it is complete and no scope errors or problems were recorded:
   * a report never claims completeness that its own contents contradict.
   */
  readonly complete: boolean;
  readonly completenessLabel: string;
  readonly scopeErrors: readonly ReportScope[];
  /** `6,034 (12 retried, 0 failed)`, or a note that the run read exported files only. */
  readonly apiCallsLabel: string;
}

/** One listed scope, as in `ScopeResult`, with absent fields as null so strict templates can test them. */
export interface ReportScope {
  readonly provider: Provider | 'snapshot';
  readonly providerName: string;
  readonly scope: string;
  readonly region: string | null;
  readonly status: 'ok' | 'error';
  readonly statusLabel: string;
  readonly error: string | null;
  readonly clusters: number;
}

/** A cluster tag. */
export interface ReportTag {
  readonly key: string;
  readonly value: string;
}

/** A reference to a cluster from another part of the report. */
export interface ReportClusterRef {
  readonly id: string;
  readonly name: string;
  /** Fragment id of the cluster's row in the report. */
  readonly anchor: string;
}

/** One scanned cluster with its findings. */
export interface ReportCluster {
  readonly id: string;
  readonly provider: Provider;
  readonly providerName: string;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
  /** The version exactly as the provider reported it, or `unknown`. */
  readonly version: string;
  readonly mode: ClusterMode | 'unknown';
  readonly modeLabel: string;
  /** Sorted by key. */
  readonly tags: readonly ReportTag[];
  readonly anchor: string;
  /** The name of its own page, `clusters/<slug>.html`: unique in the run, `[a-z0-9-]`, stable across runs. */
  readonly slug: string;
  /** Where its detail is: `#cluster-3` in report.html, or `clusters/<slug>.html` when clusters have pages. */
  readonly href: string;
  readonly tally: StatusTally;
  /** Ids of the checks that fail on this cluster, in report order. */
  readonly failingChecks: readonly string[];
  /** This cluster's findings, in report order. */
  readonly findings: readonly ReportFinding[];
  /** Its row of the version and support table; null without version intelligence. */
  readonly support: ReportVersionRow | null;
  /** Its score against each benchmark of its provider, in the compliance section's order. */
  readonly scores: readonly ReportClusterScore[];
}

/** A cluster's score against one benchmark, as its detail prints it. */
export interface ReportClusterScore {
  /** `CIS Amazon EKS Benchmark 1.8.0`. */
  readonly title: string;
  /** The benchmark's section in report.html. */
  readonly anchor: string;
  readonly score: ComplianceScore;
}

/**
 * One evidence field: the API path and the raw value, the engine's own object (templates print the
 * value as JSON with the `json` helper, so the model holds no second copy).
 */
export type ReportEvidence = SourceField;

/** A benchmark control reference with its display label (`CIS EKS 1.8.0 5.4.2`). */
export interface ReportComplianceRef extends ComplianceRef {
  readonly label: string;
}

/** A waiver that applied to a finding. */
export interface ReportWaiver extends AppliedWaiver {
  readonly originalStatusLabel: string;
}

/** One check on one cluster, with everything the formats print. */
export interface ReportFinding {
  readonly checkId: string;
  readonly checkTitle: string;
  readonly checkAnchor: string;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly clusterAnchor: string;
  readonly provider: Provider;
  readonly providerName: string;
  readonly scope: string;
  readonly location: string;
  readonly status: Status;
  readonly statusLabel: string;
  readonly severity: Severity;
  readonly severityLabel: string;
  readonly responsibility: Responsibility;
  readonly responsibilityLabel: string;
  readonly message: string;
  readonly evidence: readonly ReportEvidence[];
  readonly compliance: readonly ReportComplianceRef[];
  readonly waiver: ReportWaiver | null;
  /** The check's CLI fix for this finding's provider; null when the check has none or the finding does not fail. */
  readonly fixCommand: string | null;
  /** The check's advice and links, shared by its findings; null unless the finding fails. */
  readonly remediation: ReportRemediation | null;
  /** `fail`, `error` or `unknown`. */
  readonly needsAttention: boolean;
}

/** A remediation command for one provider. */
export interface ReportCommand {
  readonly provider: Provider;
  readonly providerName: string;
  readonly command: string;
}

/** One check across the fleet: its metadata, remediation, counts and findings. */
export interface ReportCheck {
  readonly id: string;
  readonly title: string;
  readonly anchor: string;
  readonly rationale: string;
  readonly category: string;
  readonly categoryLabel: string;
  /** The worst severity among its findings (config may raise it), else the check's default. */
  readonly severity: Severity;
  readonly severityLabel: string;
  readonly worstStatus: Status | null;
  readonly worstStatusLabel: string;
  readonly needsAttention: boolean;
  /** At least one finding is `fail`: the remediation is worth printing. */
  readonly failing: boolean;
  readonly tally: StatusTally;
  readonly remediationText: string;
  /** CLI fixes for the providers that have a failing finding of this check. */
  readonly commands: readonly ReportCommand[];
  readonly links: readonly ReportLink[];
  readonly failingClusters: readonly ReportClusterRef[];
  readonly findings: readonly ReportFinding[];
  /** Findings that are `fail`, `error`, `unknown` or `waived`: the short list for summaries. */
  readonly unresolved: readonly ReportFinding[];
  /** The other findings (pass, not applicable) in words, `12 pass, 3 not applicable`; null when none. */
  readonly settledLabel: string | null;
}

/** Counts for one provider. */
export interface ProviderSummary {
  readonly provider: Provider;
  readonly providerName: string;
  readonly clusters: number;
  /** Accounts, projects or subscriptions seen for this provider: listed ones and those of read clusters. */
  readonly scopes: number;
  readonly scopeErrors: number;
  readonly tally: StatusTally;
}

/** Counts for one side of the shared-responsibility line. */
export interface ResponsibilitySummary {
  readonly responsibility: Responsibility;
  readonly label: string;
  readonly description: string;
  readonly tally: StatusTally;
}

/** Every number the report prints, precomputed. */
export interface ReportSummary {
  readonly clusters: number;
  readonly totals: StatusTally;
  /** Findings that are `fail`, `error`, `unknown` or `waived`. */
  readonly unresolved: number;
  /** Findings with status `fail`, per severity. */
  readonly failuresBySeverity: SeverityTally;
  readonly byProvider: readonly ProviderSummary[];
  readonly byResponsibility: readonly ResponsibilitySummary[];
  /** Checks, those needing attention first (worst status, then severity, then id). */
  readonly byCheck: readonly ReportCheck[];
}

/**
 * A compliance score as the report prints it: the counts of `ReportJsonScore` (which says how they
 * add up) and their labels.
 */
export interface ComplianceScore extends ReportJsonScore {
  /** `7/9 (78%)`, or `no decided controls`. */
  readonly label: string;
  /** The results left out of the denominator in words (`2 unknown, 1 waived`); `none` when there are none. */
  readonly asideLabel: string;
}

/** One automated control on one cluster: the worst status of its checks' findings there. */
export interface ReportControlCluster {
  readonly clusterId: string;
  readonly clusterName: string;
  readonly clusterAnchor: string;
  /** Null when no finding of its checks exists for the cluster (not evaluated). */
  readonly status: Status | null;
  readonly statusLabel: string;
  /** The findings the status rests on, in report order. */
  readonly findings: readonly ReportFinding[];
}

/** One control of a benchmark, as the compliance section prints it. */
export interface ReportControl {
  readonly control: string;
  /** The benchmark's own title; empty for a control only findings cite, which the data lacks. */
  readonly title: string;
  /** How the benchmark classes the item; null where it states neither. */
  readonly assessment: 'Automated' | 'Manual' | null;
  /** `Automated`, `Manual` or `Not stated`. */
  readonly assessmentLabel: string;
  readonly coverage: 'automated' | 'provider-managed' | 'manual';
  readonly coverageLabel: string;
  /** Coverage as flags, for templates. */
  readonly automated: boolean;
  readonly providerManaged: boolean;
  readonly manual: boolean;
  /** The checks that decide it (automated only). */
  readonly checks: readonly string[];
  /** What to verify by hand (manual only), else null. */
  readonly verify: string | null;
  /** What a pass does not cover, or what the provider does; null when the data says nothing. */
  readonly note: string | null;
  /** The worst status over the benchmark's clusters; null when not automated or not evaluated anywhere. */
  readonly status: Status | null;
  /** The status, or `Manual`, `Provider-managed`, `Not evaluated`. */
  readonly statusLabel: string;
  /** Clusters per status (automated only; zero elsewhere). */
  readonly clusterTally: StatusTally;
  /** `3 pass, 1 fail`, or what stands for a result when the control is not automated. */
  readonly resultLabel: string;
  /** Every cluster of the benchmark, in report order (automated only; empty elsewhere). */
  readonly clusters: readonly ReportControlCluster[];
  /**
   * The first clusters whose status is fail, error, unknown or waived, then those not evaluated:
   * the short list of the Markdown report.
   */
  readonly unresolved: readonly ReportControlCluster[];
  /** `…and 12 more; report.html and report.json list every cluster.`; null when all are shown. */
  readonly unresolvedMoreLabel: string | null;
}

/** One cluster's score against one benchmark. */
export interface ReportFrameworkCluster {
  readonly clusterId: string;
  readonly clusterName: string;
  readonly clusterAnchor: string;
  readonly score: ComplianceScore;
}

/** One benchmark in the compliance section: every control of it, scored per cluster and estate-wide. */
export interface ReportFramework {
  readonly framework: Framework;
  readonly version: string;
  /** `CIS Amazon EKS Benchmark 1.8.0`. */
  readonly title: string;
  /** `CIS EKS 1.8.0`. */
  readonly label: string;
  /** Fragment id of the benchmark's part of the report. */
  readonly anchor: string;
  /** The provider the benchmark is for; null for a framework only findings cite. */
  readonly provider: Provider | null;
  /** Every cluster's automated results added up (see `ComplianceScore`). */
  readonly score: ComplianceScore;
  /** The benchmark's clusters (its provider's), in report order. */
  readonly clusters: readonly ReportFrameworkCluster[];
  /** `50 controls: 20 automated, 1 provider-managed, 29 manual`. */
  readonly coverageLabel: string;
  /** Sorted by control number (`5.4.2` before `5.10.1`). */
  readonly controls: readonly ReportControl[];
}

/** The benchmark a `scan --framework` run was limited to. */
export interface ReportFrameworkView {
  readonly framework: Framework;
  readonly version: string;
  readonly title: string;
  readonly label: string;
}

/** A waiver notice with its distance from the run's `asOf` day. */
export interface ReportWaiverNotice extends WaiverNotice {
  readonly checkTitle: string;
  /** Days from `asOf` to `expires`: negative once expired. */
  readonly days: number;
  /** `expired 3 days ago`, `expires today`, `expires in 5 days`. */
  readonly daysLabel: string;
}

/** Waiver notices for the report. */
export interface ReportWaiverNotices {
  readonly any: boolean;
  readonly expired: readonly ReportWaiverNotice[];
  readonly expiringSoon: readonly ReportWaiverNotice[];
}

/** A provider-managed control as printed. */
export interface ReportProviderManagedControl {
  readonly title: string;
  readonly description: string;
  readonly compliance: readonly ReportComplianceRef[];
  readonly reference: ReportLink;
}

/** A benchmark control a benchmark attributes to the provider on a managed service. */
export interface ReportProviderBenchmarkControl {
  readonly label: string;
  readonly title: string;
}

/** The provider-managed side of the line for one provider in this run. */
export interface ReportProviderManaged {
  readonly provider: Provider;
  readonly providerName: string;
  /** The provider's shared-responsibility page; null when the data names none. */
  readonly sharedResponsibility: ReportLink | null;
  readonly controls: readonly ReportProviderManagedControl[];
  /** Benchmark controls marked provider-managed, listed so none is silently dropped. */
  readonly benchmarkControls: readonly ReportProviderBenchmarkControl[];
  /** No control data for this provider: the report says so rather than leave the provider out. */
  readonly empty: boolean;
}

/** A problem as printed. */
export interface ReportProblem {
  readonly file: string | null;
  readonly scope: string | null;
  readonly cluster: string | null;
  readonly reason: string;
  /** `File x`, `Scope s, cluster y` or `Run`. */
  readonly subject: string;
}

/** A finding of the diff as printed. */
export interface ReportDiffFindingRow {
  readonly checkId: string;
  readonly checkTitle: string;
  readonly checkAnchor: string;
  readonly clusterId: string;
  readonly clusterName: string;
  /** The cluster's row in the report; null for a cluster the report does not list. */
  readonly clusterAnchor: string | null;
  /** Where the cluster's detail is (`#cluster-3` or `clusters/<slug>.html`); null when it is not in this run. */
  readonly clusterHref: string | null;
  readonly providerName: string;
  readonly severity: Severity;
  readonly severityLabel: string;
  readonly status: Status;
  readonly statusLabel: string;
  /** The previous run's status, or `Not evaluated`. */
  readonly previousStatusLabel: string;
  /** `since 2026-11-27 (2 days)`: persisting findings only, else null. */
  readonly sinceLabel: string | null;
}

/** A cluster of the diff as printed. */
export interface ReportDiffClusterRow {
  readonly id: string;
  readonly name: string;
  readonly providerName: string;
  readonly scope: string;
  readonly location: string;
}

/** A lost scope as printed. */
export interface ReportDiffScopeRow {
  readonly providerName: string;
  readonly scope: string;
  readonly region: string | null;
  readonly error: string | null;
  readonly previousClusters: number;
}

/** One list of the diff, cut to its first rows so a large estate's report stays readable. */
export interface ReportDiffList<Row> {
  /** `new`, `fixed`, `persisting`, `newlyUnknown`, `clustersAdded`… as in `RunDiffCompared`. */
  readonly key: string;
  readonly title: string;
  /** What belongs in the list, in a sentence. */
  readonly description: string;
  readonly total: number;
  readonly rows: readonly Row[];
  /** `…and 12 more (report.json lists them all).`; null when every row is shown. */
  readonly moreLabel: string | null;
}

/** The diff at the top of the HTML and Markdown reports. */
export interface ReportDiff {
  /** The data, complete, as `report.json` carries it. */
  readonly data: RunDiff;
  /** A previous run was read and compared. */
  readonly compared: boolean;
  readonly previousRun: RunDiffPreviousRun | null;
  /** `No comparison with a previous run: …`; null when compared. */
  readonly unavailableLabel: string | null;
  /** `3 new failures, 1 fixed, …`; the reason when not compared. */
  readonly headline: string;
  /** Lists of findings: new, fixed, persisting, newly unknown. Empty when not compared. */
  readonly findingLists: readonly ReportDiffList<ReportDiffFindingRow>[];
  /** Clusters added, removed, and not read. Empty when not compared. */
  readonly clusterLists: readonly ReportDiffList<ReportDiffClusterRow>[];
  /** Scopes newly not read; null when not compared. */
  readonly scopesLost: ReportDiffList<ReportDiffScopeRow> | null;
  readonly notices: readonly string[];
}

/**
 * Everything a report format prints, computed once from the run's findings. Templates only
 * present it: no counting, sorting or labelling happens in a template.
 */
export interface ReportModel {
  readonly tool: ToolInfo;
  readonly run: RunInfo;
  readonly header: ReportHeader;
  readonly statusColumns: readonly StatusColumn[];
  /** Sorted by provider, scope, region. */
  readonly scopes: readonly ReportScope[];
  /** Sorted by provider, scope, location, name, id. */
  readonly clusters: readonly ReportCluster[];
  /** The check catalogue, in catalogue order. */
  readonly catalogue: readonly ReportCatalogueEntry[];
  /** Sorted: status (fail, error, unknown, waived, pass, not_applicable), severity, check id, cluster id. */
  readonly findings: readonly ReportFinding[];
  readonly summary: ReportSummary;
  /** Per benchmark of a provider in the run, every control with its status and scores. */
  readonly compliance: readonly ReportFramework[];
  /** The benchmark a `scan --framework` run was limited to: the report leads with it; null otherwise. */
  readonly frameworkView: ReportFrameworkView | null;
  readonly waiverNotices: ReportWaiverNotices;
  readonly providerManaged: readonly ReportProviderManaged[];
  readonly problems: readonly ReportProblem[];
  /** Sorted by cluster, then files. */
  readonly notices: readonly RunNotice[];
  /** Changes since the previous complete run; null when the run was built without looking for one. */
  readonly diff: ReportDiff | null;
  /** The "Versions and support" section; null when the run was built without version intelligence. */
  readonly versions: ReportVersions | null;
  /** Whether cluster detail is in report.html or on a page per cluster. */
  readonly layout: ReportLayout;
  readonly headline: ReportHeadline;
  readonly charts: ReportCharts;
  /**
   * The matrix report.html prints: every cluster below the cluster-page threshold; above it, the
   * clusters needing attention most (`ReportMatrix.selection` says which), with `matrixPages`
   * holding the whole matrix.
   */
  readonly matrix: ReportMatrix;
  /** Above the cluster-page threshold, the whole matrix as pages beside report.html; empty below it. */
  readonly matrixPages: readonly ReportMatrixPage[];
}

/**
 * One page of the whole matrix of a large estate (`matrix/<n>.html`): a run of clusters in report
 * order. The page's rows are built only when it is rendered, from `clusters[start, start + count)`.
 */
export interface ReportMatrixPage {
  /** 1-based. */
  readonly number: number;
  /** `matrix/3.html`, relative to report.html. */
  readonly href: string;
  /** Index in `ReportModel.clusters` of the page's first cluster. */
  readonly start: number;
  readonly count: number;
  /** `Clusters 1,001–1,500: eks-2 to gke-17`. */
  readonly label: string;
}

/** What a failing finding's reader needs to fix it: the check's advice and links, shared by its findings. */
export interface ReportRemediation {
  readonly text: string;
  readonly links: readonly ReportLink[];
}

/**
 * How the HTML report is laid out. Above `clusterPagesAbove` clusters each cluster's detail moves
 * to its own page (`clusters/<slug>.html`) and report.html keeps the estate-wide sections, so it
 * grows with the estate's problems rather than its size.
 */
export interface ReportLayout {
  readonly clusterPages: boolean;
  readonly clusterPagesAbove: number;
  /** Says where the cluster detail is, in a sentence; null when report.html holds it. */
  readonly note: string | null;
}

/** The first thing the HTML report shows: the estate in a few numbers. */
export interface ReportHeadline {
  readonly clusters: number;
  /** Scopes listed (accounts, projects, subscriptions) and those that could not be read. */
  readonly scopes: number;
  readonly scopesNotRead: number;
  /** `All 6 scopes read`, `2 of 6 scopes not read`, `No scope was listed (exported files only)`. */
  readonly coverageLabel: string;
  /** Scopes, files and clusters not read, each with its reason, as in the header's banner. */
  readonly notRead: readonly string[];
  /** Checks with at least one `fail` finding. */
  readonly failingChecks: number;
  /** The numbers of failing checks per severity, worst first (a check counts once, at its worst failing severity). */
  readonly failingChecksBySeverity: readonly SeverityCount[];
  /** New and fixed failures since the previous complete run; null when there was none to compare with. */
  readonly changes: { readonly new: number; readonly fixed: number } | null;
  /** `3 new failures and 1 fixed since run …`, or why there is no comparison. */
  readonly changesLabel: string;
}

/** The report's charts, as inline SVG markup built by report/charts/ (every label already escaped). */
export interface ReportCharts {
  readonly byProvider: string;
  readonly byResponsibility: string;
  readonly byArea: string;
  /** Failures over the last runs of the sink's history, this run last; null when the run was built without history. */
  readonly trend: string | null;
  /** Each minor in use against the end of its support; null without version intelligence. */
  readonly supportTimeline: string | null;
}

/** A matrix column (a check), as report/matrix.ts builds it. */
export interface ReportMatrixColumn {
  readonly checkId: string;
  readonly title: string;
  /** The worst severity among its findings, else the check's default: what the severity filter matches. */
  readonly severity: Severity;
  readonly severityLabel: string;
}

/** A cell's state: a finding's status, or `not_evaluated` when the check has no finding on the cluster. */
export type ReportMatrixStatus = Status | 'not_evaluated';

/** How a cell state looks: the words for it and the symbol printed in the cell. */
export interface ReportMatrixStatusLook {
  readonly status: ReportMatrixStatus;
  /** `Not applicable`. */
  readonly label: string;
  readonly symbol: string;
}

/** One cluster × check cell: `label` is `EP-01 on prod-payments: fail`, and a waived cell adds what it was (`waived, was fail`). */
export type ReportMatrixCell = ReportMatrixStatusLook;

/** A count of cells in one state. */
export interface ReportMatrixCount extends ReportMatrixStatusLook {
  readonly count: number;
}

/** One cluster's row of the matrix, with where its detail is. */
export interface ReportMatrixRow {
  readonly clusterId: string;
  readonly name: string;
  readonly provider: Provider;
  readonly providerName: string;
  readonly scope: string;
  readonly anchor: string;
  /** `#cluster-3` below the cluster-page threshold, `clusters/<slug>.html` above it. */
  readonly href: string;
  /** One per column, in column order; empty when the layout is `counts`. */
  readonly cells: readonly ReportMatrixCell[];
  /** Cells per state, in `MATRIX_STATUSES` order, zeros included so columns line up. */
  readonly counts: readonly ReportMatrixCount[];
  /** The non-zero counts in words: `2 fail, 1 unknown, 40 pass`. */
  readonly countsLabel: string;
}

/**
 * The cluster × check matrix (report/matrix.ts), its rows linked to each cluster's detail: clusters
 * as rows, checks as columns. A large estate's matrix keeps every row but prints counts per status
 * instead of a cell per check (`layout: 'counts'`).
 */
export interface ReportMatrix {
  readonly layout: 'cells' | 'counts';
  /** True for `counts`, for templates. */
  readonly countsLayout: boolean;
  /** Why the layout is `counts`, in a sentence for the report; null for `cells`. */
  readonly layoutNote: string | null;
  readonly columns: readonly ReportMatrixColumn[];
  readonly rows: readonly ReportMatrixRow[];
  /** Cells per state over the whole matrix, in `MATRIX_STATUSES` order. */
  readonly totals: readonly ReportMatrixCount[];
  /** The states that occur, for the legend. */
  readonly legend: readonly ReportMatrixStatusLook[];
  /** `3 clusters × 45 checks`. */
  readonly caption: string;
  /**
   * When the matrix holds some clusters only (report.html of a large estate): which and why, in
   * words; null when it holds every cluster it was given.
   */
  readonly selection: string | null;
}
