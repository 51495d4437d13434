import type { Responsibility, Severity } from '../model/finding.js';
import type { SourceField } from '../model/observed.js';
import type { ClusterPosture, Provider } from '../model/posture.js';
import type { SupportCalendar } from '../model/support.js';

/** Thresholds a user may tune in `checks.settings`. */
export interface CheckSettings {
  /** VER-03: minors a control plane may trail the newest available version. @default 1 */
  readonly maxMinorLag: number;
  /** VER-02: warn this many days before end of standard support. @default 90 */
  readonly eosWarningDays: number;
  /** AUD-03: days audit logs must be kept. @default 90 */
  readonly minAuditRetentionDays: number;
  /** RBAC-02: cluster-admin principals granted through cloud IAM. @default 2 */
  readonly maxClusterAdmins: number;
  /** NODE-03: minors a node pool may trail its control plane. @default 1 */
  readonly maxNodeSkew: number;
  /** EP-02: shortest IPv4 prefix an allow-list entry may have (`/8`); IPv6 uses four times this. @default 8 */
  readonly minPublicPrefix: number;
  /**
   * RBAC-04: subjects allowed a cluster-admin binding besides `system:masters` and the provider's
   * own system subjects: `User:<name>`, `Group:<name>`, `ServiceAccount:<namespace>/<name>`. @default []
   */
  readonly clusterAdminAllow: readonly string[];
  /** RBAC-06: ClusterRoles that may use wildcards although bound to non-system subjects. @default [] */
  readonly wildcardRoleAllow: readonly string[];
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  maxMinorLag: 1,
  eosWarningDays: 90,
  minAuditRetentionDays: 90,
  maxClusterAdmins: 2,
  maxNodeSkew: 1,
  minPublicPrefix: 8,
  clusterAdminAllow: [],
  wildcardRoleAllow: [],
};

/** Everything a check may know besides the cluster: no clock, no I/O, no environment. */
export interface EvalContext {
  /** The day dates are evaluated against, `YYYY-MM-DD` (`--as-of`, or the run's start day). */
  readonly asOf: string;
  readonly settings: CheckSettings;
  readonly support: SupportCalendar;
}

/** What a check returns. `error` is the engine's to assign (a throw); `waived` is the waivers'. */
export interface Verdict {
  readonly status: 'pass' | 'fail' | 'unknown' | 'not_applicable';
  readonly message: string;
  readonly evidence: readonly SourceField[];
  /** Overrides the check's severity for this finding (VER-01 past end of extended support). */
  readonly severity?: Severity;
  /** Overrides the side for this finding (node settings the provider runs in Autopilot). */
  readonly responsibility?: Responsibility;
}

/** How a check applies to one provider: the side it is filed under, or why it cannot apply. */
export type Applicability = { readonly responsibility: Responsibility } | { readonly notApplicable: string };

export const CHECK_CATEGORIES = [
  'identity',
  'endpoint',
  'nodes',
  'network',
  'audit',
  'versions',
  'data-protection',
  'runtime',
] as const;
export type CheckCategory = (typeof CHECK_CATEGORIES)[number];

/** One control of the catalogue (CHECKS.md): metadata and a pure `evaluate`. */
export interface Check {
  /** Opaque, stable, never reused (`EP-01`). */
  readonly id: string;
  /** States the compliant condition. */
  readonly title: string;
  /** Why it matters: the risk when it fails. */
  readonly rationale: string;
  readonly category: CheckCategory;
  readonly severity: Severity;
  /** `api`: cloud management API; `k8s`: in-cluster read access; `api/k8s`: either, by provider. */
  readonly source: 'api' | 'k8s' | 'api/k8s';
  readonly applies: Readonly<Record<Provider, Applicability>>;
  readonly remediation: {
    readonly text: string;
    /** A CLI command per provider that fixes it, with placeholders in angle brackets. */
    readonly cli: Readonly<Partial<Record<Provider, string>>>;
    readonly links: readonly string[];
  };
  readonly evaluate: (cluster: ClusterPosture, ctx: EvalContext) => Verdict;
}
