import type { AppliedWaiver, ComplianceRef, Framework, Responsibility, Severity, Status } from './finding.js';
import type { SourceField } from './observed.js';
import type { ClusterMode, Provider } from './posture.js';
import type { ApiCallTotals, RunNotice, ScopeResult, Trigger } from './run.js';
import type { RunDiff } from './runDiff.js';
import type { VersionIntelligence } from './versions.js';

/** The tool that wrote a report. */
export interface ToolInfo {
  readonly name: string;
  readonly version: string;
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

/**
 * A compliance score in `report.json`: automated control results that pass, out of those decided
 * (pass or fail). Per cluster a result is one control on that cluster; per benchmark and
 * estate-wide the score adds up every cluster's results, so each control counts once per cluster.
 * Results that decide nothing are left out of the denominator and counted beside it: unknown,
 * error, not applicable, not evaluated (no finding: its check was disabled or not run), and
 * waived. A waived result is an accepted exception, counted on its own whatever its original
 * status, as CIS auditors count exceptions apart from passes and failures.
 */
export interface ReportJsonScore {
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
}

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
