import type { SourceField } from './observed.js';
import type { Provider } from './posture.js';

export const STATUSES = ['fail', 'error', 'unknown', 'waived', 'pass', 'not_applicable'] as const;
/** The outcome of one check on one cluster. Order above is the report's display order. */
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank of a severity, 0 for critical; lower is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const RESPONSIBILITIES = ['customer', 'shared', 'provider'] as const;
/**
 * The side of the shared-responsibility line that owns a control: the customer must configure it,
 * the provider supplies it and the customer must enable or choose it (shared), or the provider
 * enforces it.
 */
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const FRAMEWORKS = ['cis-eks', 'cis-gke', 'cis-aks'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** A control of a compliance benchmark that a check satisfies. */
export interface ComplianceRef {
  readonly framework: Framework;
  readonly version: string;
  readonly control: string;
}

/** A waiver that matched a finding. */
export interface AppliedWaiver {
  readonly reason: string;
  readonly owner: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /** The status the check returned before the waiver applied. */
  readonly originalStatus: Status;
}

export interface Finding {
  readonly checkId: string;
  readonly clusterId: string;
  readonly provider: Provider;
  readonly status: Status;
  readonly severity: Severity;
  readonly responsibility: Responsibility;
  readonly message: string;
  /** The exact fields and values the verdict rests on, with their API paths. */
  readonly evidence: readonly SourceField[];
  readonly compliance: readonly ComplianceRef[];
  readonly waiver?: AppliedWaiver;
}
