import type { AppliedWaiver, ComplianceRef, Framework, Responsibility, Severity, Status } from './finding.js';
import type { JsonValue } from './json.js';
import type { SourceField } from './observed.js';
import type { ClusterMode, Provider } from './posture.js';
import type { ApiCallTotals, RunInfo, ScopeResult, Trigger } from './run.js';
import type { ReportVersions, VersionIntelligence } from './versions.js';

/** The formats a run can publish. */
export const REPORT_FORMATS = ['html', 'md', 'json', 'csv', 'junit', 'ocsf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * What a run publishes when neither `--format` nor `output.formats` says: the reports people and
 * CI read. OCSF events are for a SIEM or a security lake, so they are written only when asked for.
 */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv', 'junit'];

/** The tool that wrote a report. */
export interface ToolInfo {
  readonly name: string;
  readonly version: string;
}

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
 * Something the operator should know that took nothing away from the run, which stays complete:
 * a cluster exported in two files, of which one copy was read.
 */
export interface RunNotice {
  /** The files concerned, the one read first. */
  readonly files: readonly string[];
  readonly cluster: string;
  /** A plain sentence that names the files and what was done. */
  readonly message: string;
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
  readonly tally: StatusTally;
  /** Ids of the checks that fail on this cluster, in report order. */
  readonly failingChecks: readonly string[];
  /** This cluster's findings, in report order. */
  readonly findings: readonly ReportFinding[];
}

/** One evidence field: the API path and the raw value, plus the value as JSON text for display. */
export interface ReportEvidence {
  readonly path: string;
  readonly value: JsonValue;
  readonly display: string;
}

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
  /** `fail`, `error` or `unknown`. */
  readonly needsAttention: boolean;
}

/** A remediation command for one provider. */
export interface ReportCommand {
  readonly provider: Provider;
  readonly providerName: string;
  readonly command: string;
}

/** An entry of the check catalogue, as shipped. */
export interface ReportCatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The check's category (`endpoint`, `identity`…). */
  readonly category: string;
  /** `api`, `k8s` or `api/k8s`. */
  readonly source: string;
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
 * A compliance score: automated control results that pass, out of those decided (pass or fail).
 * Per cluster a result is one control on that cluster; per benchmark and estate-wide the score
 * adds up every cluster's results, so each control counts once per cluster. Results that decide
 * nothing are left out of the denominator and counted beside it: unknown, error, not applicable,
 * not evaluated (no finding: its check was disabled or not run), and waived. A waived result is
 * an accepted exception, counted on its own whatever its original status, as CIS auditors count
 * exceptions apart from passes and failures.
 */
export interface ComplianceScore {
  readonly passed: number;
  readonly failed: number;
  /** `passed + failed`: the denominator. */
  readonly decided: number;
  readonly unknown: number;
  readonly error: number;
  readonly waived: number;
  readonly notApplicable: number;
  readonly notEvaluated: number;
  /**
   * `passed / decided` as a whole percentage, rounded to the nearest but never to 100 while a
   * result fails nor to 0 while one passes; null when nothing was decided.
   */
  readonly percent: number | null;
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

/** A cluster as the run-to-run diff names it. */
export interface RunDiffCluster {
  readonly id: string;
  readonly provider: Provider;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
}

/**
 * One check on one cluster in the run-to-run diff. The diff compares the statuses the checks
 * returned before waivers (a `waived` finding counts as its original status), so applying a
 * waiver never reads as a fix and its expiry never as a new failure; `status` and
 * `previousStatus` are the statuses as reported, `waived` included.
 */
export interface RunDiffFinding {
  readonly checkId: string;
  readonly clusterId: string;
  /** This run's severity of the finding. */
  readonly severity: Severity;
  readonly status: Status;
  /** Null when the previous run did not evaluate this check on this cluster (a new cluster or check). */
  readonly previousStatus: Status | null;
}

/** A finding failing in this run and in the previous one. */
export interface RunDiffPersisting extends RunDiffFinding {
  /**
   * `YYYY-MM-DD`: the day of the earliest run seen failing it, carried from report to report
   * through each one's `diff`; a report that could not be compared with its own predecessor
   * restarts the count at its own day.
   */
  readonly firstSeenFailing: string;
}

/** A scope this run could not read that the previous run did not fail on. */
export interface RunDiffScope {
  readonly provider: Provider | 'snapshot';
  readonly scope: string;
  readonly region?: string;
  readonly error?: string;
  /** Clusters the previous run read from it (0 when it did not list the scope): now unseen. */
  readonly previousClusters: number;
}

/** The previous complete run the diff compares with, as `latest.json` named it before this run. */
export interface RunDiffPreviousRun {
  readonly id: string;
  readonly startedAt: string;
  /** Its folder in the sink, `runs/<YYYY-MM-DD>/<runId>`. */
  readonly folder: string;
}

/**
 * `diff` in `report.json` when a previous complete run was read: what changed per (cluster,
 * check). "Failing" is `fail` or `error` (before waivers, see `RunDiffFinding`). Every list is
 * complete and sorted: findings by severity, check id, cluster id (persisting ones by
 * first-seen day after severity), clusters by provider, scope, location, name, scopes by
 * provider, scope, region.
 */
export interface RunDiffCompared {
  readonly previousRun: RunDiffPreviousRun;
  /** Failing now; not failing in the previous run, or not evaluated there (a new cluster or check). */
  readonly new: readonly RunDiffFinding[];
  /** Failing in the previous run; `pass` or `not_applicable` now. Failing then `unknown` now is `newlyUnknown`. */
  readonly fixed: readonly RunDiffFinding[];
  /** Failing in both runs, with the first day it was seen failing. */
  readonly persisting: readonly RunDiffPersisting[];
  /** `unknown` now; known in the previous run, or not evaluated there. */
  readonly newlyUnknown: readonly RunDiffFinding[];
  /** Clusters read now that the previous run did not have. */
  readonly clustersAdded: readonly RunDiffCluster[];
  /** Clusters of the previous run that this complete run did not find. Their findings are not called fixed. */
  readonly clustersRemoved: readonly RunDiffCluster[];
  /**
   * Clusters of the previous run missing from this incomplete run, which cannot tell a deleted
   * cluster from one it failed to read: not called removed, and their failures not called fixed.
   */
  readonly clustersNotRead: readonly RunDiffCluster[];
  /** Scopes this run could not read (`status: error`) that the previous run did not fail on. */
  readonly scopesLost: readonly RunDiffScope[];
  /** Plain sentences about the run history the diff rests on (a `history.json` that was replaced). */
  readonly notices: readonly string[];
}

/** `diff` in `report.json` when there is nothing to compare with: the reason, and no lists. */
export interface RunDiffUnavailable {
  readonly previousRun: null;
  /**
   * Why: no previous complete run (no `latest.json`), or its `report.json` is missing, unreadable,
   * not valid JSON or of another `schemaVersion`.
   */
  readonly unavailable: string;
  readonly notices: readonly string[];
}

/** The run-to-run diff of `report.json`: compared with the previous complete run, or why not. */
export type RunDiff = RunDiffCompared | RunDiffUnavailable;

/** A finding of the diff as printed. */
export interface ReportDiffFindingRow {
  readonly checkId: string;
  readonly checkTitle: string;
  readonly checkAnchor: string;
  readonly clusterId: string;
  readonly clusterName: string;
  /** The cluster's row in the report; null for a cluster the report does not list. */
  readonly clusterAnchor: string | null;
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
}

/** `report.json`: the machine-readable report, schema version 1. */
export interface ReportJson {
  readonly schemaVersion: 1;
  readonly tool: ToolInfo;
  readonly run: {
    readonly id: string;
    readonly trigger: Trigger;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly complete: boolean;
    readonly calendarDate: string;
    readonly asOf: string;
    readonly apiCalls: ApiCallTotals;
  };
  readonly scopes: readonly ScopeResult[];
  readonly clusters: readonly ReportJsonCluster[];
  readonly findings: readonly ReportJsonFinding[];
  readonly summary: ReportJsonSummary;
  /** The check catalogue; additive to the ARCHITECTURE.md schema. */
  readonly checks: readonly ReportCatalogueEntry[];
  /** What could not be read (the run is then incomplete); additive to the ARCHITECTURE.md schema. */
  readonly problems: readonly ReportJsonProblem[];
  /** What the operator should know about a complete read; additive to the ARCHITECTURE.md schema. */
  readonly notices: readonly RunNotice[];
  /** Per benchmark of a provider in the run, every control and the scores; additive to schemaVersion 1. */
  readonly compliance: readonly ReportJsonFramework[];
  /** The benchmark a `scan --framework` run was limited to; absent otherwise. Additive to schemaVersion 1. */
  readonly frameworkView?: { readonly framework: Framework; readonly version: string };
  /**
   * Changes since the previous complete run, or why there is no comparison (see `RunDiff`).
   * Present in every report the pipeline writes; additive to schemaVersion 1.
   */
  readonly diff?: RunDiff;
  /**
   * Per-cluster version and support facts, the clusters leaving standard support and the cost of
   * paid extended support. Present in every report the pipeline writes; additive to schemaVersion 1.
   */
  readonly versions?: VersionIntelligence;
}

/** A score in `report.json`: the counts of `ComplianceScore`, and the percentage (null: nothing decided). */
export type ReportJsonScore = Omit<ComplianceScore, 'label' | 'asideLabel'>;

/** A benchmark control in `report.json`; `status` and `clusters` are null and empty unless it is automated. */
export interface ReportJsonControl {
  readonly control: string;
  readonly title: string;
  readonly assessment: 'Automated' | 'Manual' | null;
  readonly coverage: 'automated' | 'provider-managed' | 'manual';
  readonly checks: readonly string[];
  readonly verify?: string;
  readonly note?: string;
  readonly status: Status | null;
  readonly clusters: readonly { readonly clusterId: string; readonly status: Status | null }[];
}

/** A benchmark in `report.json`. */
export interface ReportJsonFramework {
  readonly framework: Framework;
  readonly version: string;
  readonly title: string;
  readonly provider: Provider | null;
  readonly score: ReportJsonScore;
  readonly clusters: readonly { readonly clusterId: string; readonly score: ReportJsonScore }[];
  readonly controls: readonly ReportJsonControl[];
}

function jsonScore(score: ComplianceScore): ReportJsonScore {
  const { label: _label, asideLabel: _asideLabel, ...counts } = score;
  return counts;
}

function jsonFramework(framework: ReportFramework): ReportJsonFramework {
  return {
    framework: framework.framework,
    version: framework.version,
    title: framework.title,
    provider: framework.provider,
    score: jsonScore(framework.score),
    clusters: framework.clusters.map((cluster) => ({
      clusterId: cluster.clusterId,
      score: jsonScore(cluster.score),
    })),
    controls: framework.controls.map((control) => ({
      control: control.control,
      title: control.title,
      assessment: control.assessment,
      coverage: control.coverage,
      checks: [...control.checks],
      ...(control.verify === null ? {} : { verify: control.verify }),
      ...(control.note === null ? {} : { note: control.note }),
      status: control.status,
      clusters: control.clusters.map((cluster) => ({ clusterId: cluster.clusterId, status: cluster.status })),
    })),
  };
}

/** A problem in `report.json`: absent fields are left out, as in `scopes`. */
export interface ReportJsonProblem {
  readonly file?: string;
  readonly scope?: string;
  readonly cluster?: string;
  readonly reason: string;
}

/** A cluster in `report.json`. */
export interface ReportJsonCluster {
  readonly id: string;
  readonly provider: Provider;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
  /** As reported by the provider, or `unknown`. */
  readonly version: string;
  readonly mode: ClusterMode | 'unknown';
  readonly tags: Readonly<Record<string, string>>;
}

/** A finding in `report.json`. */
export interface ReportJsonFinding {
  readonly checkId: string;
  readonly clusterId: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly responsibility: Responsibility;
  readonly message: string;
  readonly evidence: readonly SourceField[];
  readonly compliance: readonly ComplianceRef[];
  readonly waiver?: AppliedWaiver;
}

/** Per-status counts in `report.json`, with their total. */
export type ReportJsonCounts = Readonly<Record<Status, number>> & { readonly total: number };

/** The `summary` of `report.json`. */
export interface ReportJsonSummary {
  readonly clusters: number;
  readonly findings: ReportJsonCounts;
  readonly failuresBySeverity: Readonly<Record<Severity, number>>;
  readonly byProvider: readonly {
    readonly provider: Provider;
    readonly clusters: number;
    readonly scopes: number;
    readonly scopeErrors: number;
    readonly findings: ReportJsonCounts;
  }[];
  readonly byResponsibility: readonly {
    readonly responsibility: Responsibility;
    readonly findings: ReportJsonCounts;
  }[];
  readonly byCheck: readonly {
    readonly checkId: string;
    readonly severity: Severity;
    readonly worstStatus: Status | null;
    readonly findings: ReportJsonCounts;
    readonly failingClusters: readonly string[];
  }[];
}

function jsonCounts(tally: StatusTally): ReportJsonCounts {
  return { ...tally.byStatus, total: tally.total };
}

/** The `report.json` document of a report model: only data, no labels. */
export function toReportJson(model: ReportModel): ReportJson {
  const { summary } = model;
  return {
    schemaVersion: 1,
    tool: { name: model.tool.name, version: model.tool.version },
    run: {
      id: model.run.id,
      trigger: model.run.trigger,
      startedAt: model.run.startedAt,
      finishedAt: model.run.finishedAt,
      complete: model.header.complete,
      calendarDate: model.run.calendarDate,
      asOf: model.run.asOf,
      apiCalls: model.run.apiCalls,
    },
    scopes: model.scopes.map((scope) => ({
      provider: scope.provider,
      scope: scope.scope,
      ...(scope.region === null ? {} : { region: scope.region }),
      status: scope.status,
      ...(scope.error === null ? {} : { error: scope.error }),
      clusters: scope.clusters,
    })),
    clusters: model.clusters.map((cluster) => ({
      id: cluster.id,
      provider: cluster.provider,
      scope: cluster.scope,
      location: cluster.location,
      name: cluster.name,
      version: cluster.version,
      mode: cluster.mode,
      tags: Object.fromEntries(cluster.tags.map((tag) => [tag.key, tag.value])),
    })),
    findings: model.findings.map((finding) => ({
      checkId: finding.checkId,
      clusterId: finding.clusterId,
      status: finding.status,
      severity: finding.severity,
      responsibility: finding.responsibility,
      message: finding.message,
      evidence: finding.evidence.map((field) => ({ path: field.path, value: field.value })),
      compliance: finding.compliance.map((ref) => ({
        framework: ref.framework,
        version: ref.version,
        control: ref.control,
      })),
      ...(finding.waiver === null
        ? {}
        : {
            waiver: {
              reason: finding.waiver.reason,
              owner: finding.waiver.owner,
              expires: finding.waiver.expires,
              originalStatus: finding.waiver.originalStatus,
            },
          }),
    })),
    summary: {
      clusters: summary.clusters,
      findings: jsonCounts(summary.totals),
      failuresBySeverity: summary.failuresBySeverity.bySeverity,
      byProvider: summary.byProvider.map((entry) => ({
        provider: entry.provider,
        clusters: entry.clusters,
        scopes: entry.scopes,
        scopeErrors: entry.scopeErrors,
        findings: jsonCounts(entry.tally),
      })),
      byResponsibility: summary.byResponsibility.map((entry) => ({
        responsibility: entry.responsibility,
        findings: jsonCounts(entry.tally),
      })),
      byCheck: summary.byCheck.map((check) => ({
        checkId: check.id,
        severity: check.severity,
        worstStatus: check.worstStatus,
        findings: jsonCounts(check.tally),
        failingClusters: check.failingClusters.map((cluster) => cluster.id),
      })),
    },
    checks: model.catalogue.map((entry) => ({
      id: entry.id,
      title: entry.title,
      severity: entry.severity,
      category: entry.category,
      source: entry.source,
    })),
    problems: model.problems.map((problem) => ({
      ...(problem.file === null ? {} : { file: problem.file }),
      ...(problem.scope === null ? {} : { scope: problem.scope }),
      ...(problem.cluster === null ? {} : { cluster: problem.cluster }),
      reason: problem.reason,
    })),
    notices: model.notices.map((notice) => ({
      files: [...notice.files],
      cluster: notice.cluster,
      message: notice.message,
    })),
    compliance: model.compliance.map(jsonFramework),
    ...(model.frameworkView === null
      ? {}
      : {
          frameworkView: { framework: model.frameworkView.framework, version: model.frameworkView.version },
        }),
    ...(model.diff === null ? {} : { diff: model.diff.data }),
    ...(model.versions === null ? {} : { versions: model.versions.data }),
  };
}
