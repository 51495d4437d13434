import type { AppliedWaiver, ComplianceRef, Framework, Responsibility, Severity, Status } from './finding.js';
import type { JsonValue } from './json.js';
import type { SourceField } from './observed.js';
import type { ClusterMode, Provider } from './posture.js';
import type { ApiCallTotals, RunInfo, ScopeResult, Trigger } from './run.js';

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

/** One benchmark control with the worst status of the findings mapped to it. */
export interface ReportControl {
  readonly control: string;
  readonly title: string;
  /** `automated`, `provider-managed` or `not-automated`; `automated` for a control only findings name. */
  readonly coverage: string;
  readonly coverageLabel: string;
  readonly checks: readonly string[];
  /** Null when no finding maps to the control in this run. */
  readonly worstStatus: Status | null;
  /** The status, or `Provider-managed` / `Not evaluated` when no finding maps to the control. */
  readonly worstStatusLabel: string;
  readonly tally: StatusTally;
}

/** One compliance framework in this run. */
export interface ReportFramework {
  readonly framework: Framework;
  readonly title: string;
  readonly version: string;
  /** Controls by their worst status; controls no finding maps to are not counted. */
  readonly controlTally: StatusTally;
  /** Controls no finding maps to that the benchmark attributes to the provider. */
  readonly providerManaged: number;
  /** Other controls no finding maps to. */
  readonly notEvaluated: number;
  /** Sorted by control number (`5.4.2` before `5.10.1`). */
  readonly controls: readonly ReportControl[];
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
  readonly compliance: readonly ReportFramework[];
  readonly waiverNotices: ReportWaiverNotices;
  readonly providerManaged: readonly ReportProviderManaged[];
  readonly problems: readonly ReportProblem[];
  /** Sorted by cluster, then files. */
  readonly notices: readonly RunNotice[];
  /** Changes since the previous complete run; null when the run was built without looking for one. */
  readonly diff: ReportDiff | null;
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
  /**
   * Changes since the previous complete run, or why there is no comparison (see `RunDiff`).
   * Present in every report the pipeline writes; additive to schemaVersion 1.
   */
  readonly diff?: RunDiff;
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
    ...(model.diff === null ? {} : { diff: model.diff.data }),
  };
}
