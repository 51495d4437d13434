import type { Responsibility, Severity } from '../model/finding.js';
import type { SourceField } from '../model/observed.js';
import type {
  AksClusterPosture,
  ClusterPosture,
  EksClusterPosture,
  GkeClusterPosture,
  Provider,
} from '../model/posture.js';
import type { PosturePath } from '../model/posturePaths.js';
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

/** The posture type of one provider: `PostureOf<'eks'>` is `EksClusterPosture`. */
export type PostureOf<P extends Provider> = Extract<ClusterPosture, { readonly provider: P }>;

/** How a check judges the clusters of one provider it applies to. */
export interface ProviderRule<C extends ClusterPosture> {
  /** The shared-responsibility side its findings are filed under (a verdict may override it). */
  readonly responsibility: Responsibility;
  /**
   * Every posture field `evaluate` reads, helpers included: the catalogue's "fields read", the API
   * calls and permissions behind them (providers/fieldApis.ts), and the property tests that prove
   * no other field is read and that missing data never passes.
   */
  readonly reads: readonly PosturePath<C>[];
  /** Pure: no clock, no I/O, no environment; an unreadable input gives `unknown`, never `pass`. */
  readonly evaluate: (cluster: C, ctx: EvalContext) => Verdict;
}

/** Why a check cannot apply to a provider: the engine files it `not_applicable` with this reason. */
export interface NotApplicable {
  readonly notApplicable: string;
}

/** How a check meets one provider: a rule, or the reason it does not apply. */
export type ProviderEntry<C extends ClusterPosture> = ProviderRule<C> | NotApplicable;

/** A field every provider's posture has (`auditLogs`, `endpoint.publicAccess`): what a shared rule may read. */
export type SharedPosturePath = PosturePath<EksClusterPosture> &
  PosturePath<GkeClusterPosture> &
  PosturePath<AksClusterPosture>;

/** A rule written once for several providers: it reads only shared fields and takes any posture. */
export interface SharedRule {
  readonly responsibility: Responsibility;
  readonly reads: readonly SharedPosturePath[];
  readonly evaluate: (cluster: ClusterPosture, ctx: EvalContext) => Verdict;
}

/** One entry per provider, each rule typed with its provider's posture. */
export type ProviderEntries = { readonly [P in Provider]: ProviderEntry<PostureOf<P>> };

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

/** One control of the catalogue (CHECKS.md): metadata, and per provider a pure `evaluate` or why it does not apply. */
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
  /** Per provider: the side, the fields read and the evaluation, or the reason it does not apply. */
  readonly providers: ProviderEntries;
  readonly remediation: {
    readonly text: string;
    /** A CLI command per provider that fixes it, with placeholders in angle brackets. */
    readonly cli: Readonly<Partial<Record<Provider, string>>>;
    readonly links: readonly string[];
  };
}
