import { complianceFor } from '../checks/frameworks/cis.js';
import { ruleFor } from '../checks/ruleFor.js';
import type { Check, EvalContext, Verdict } from '../checks/types.js';
import {
  type ComplianceRef,
  type Finding,
  type Responsibility,
  type Severity,
  severityRank,
} from '../model/finding.js';
import type { ClusterPosture } from '../model/posture.js';

/** Which checks run and at what severity, from `checks.disable` and `checks.severity`. */
export interface EvaluationOptions {
  readonly disabled?: ReadonlySet<string>;
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
}

function describeThrow(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The side a check is filed under for a provider it does not apply to: the side it has elsewhere. */
function fallbackResponsibility(check: Check): Responsibility {
  for (const entry of Object.values(check.providers)) {
    if ('responsibility' in entry) return entry.responsibility;
  }
  return 'customer';
}

/**
 * The user's `checks.severity` replaces the check's default. A verdict may set its own severity only
 * to escalate one finding (VER-01 is critical once a version is past the end of all support): that
 * stands when it is more severe than the user's choice, and otherwise the user's choice wins.
 */
function findingSeverity(check: Check, options: EvaluationOptions, verdict?: Verdict): Severity {
  const chosen = options.severityOverrides?.[check.id];
  const escalation = verdict?.severity;
  if (chosen === undefined) return escalation ?? check.severity;
  return escalation !== undefined && severityRank(escalation) < severityRank(chosen) ? escalation : chosen;
}

/** What a not-applicable or errored finding holds: one frozen empty list, shared by all of them. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * The benchmark controls of each (check, provider), looked up once per run and shared by every
 * finding of the pair: a 5,000-cluster run has 200,000 findings but a few hundred pairs.
 */
type ComplianceLookup = (check: Check, cluster: ClusterPosture) => readonly ComplianceRef[];

function complianceLookup(): ComplianceLookup {
  const known = new Map<string, readonly ComplianceRef[]>();
  return (check, cluster) => {
    const key = `${check.id} ${cluster.provider}`;
    let refs = known.get(key);
    if (refs === undefined) {
      refs = Object.freeze(complianceFor(check.id, cluster.provider));
      known.set(key, refs);
    }
    return refs;
  };
}

function evaluateOne(
  check: Check,
  cluster: ClusterPosture,
  ctx: EvalContext,
  options: EvaluationOptions,
  complianceOf: ComplianceLookup,
): Finding {
  const rule = ruleFor(check, cluster);
  const severity = findingSeverity(check, options);
  const common = { checkId: check.id, clusterId: cluster.id, provider: cluster.provider };
  if ('notApplicable' in rule) {
    return {
      ...common,
      status: 'not_applicable',
      severity,
      responsibility: fallbackResponsibility(check),
      message: rule.notApplicable,
      evidence: NONE,
      compliance: NONE,
    };
  }
  const compliance = complianceOf(check, cluster);
  let verdict: Verdict;
  try {
    verdict = rule.evaluate(ctx);
  } catch (error) {
    // A check that throws is a defect in kubeline, never a pass: record it and keep scanning.
    return {
      ...common,
      status: 'error',
      severity,
      responsibility: rule.responsibility,
      message: `The check failed to evaluate: ${describeThrow(error)}`,
      evidence: NONE,
      compliance,
    };
  }
  return {
    ...common,
    status: verdict.status,
    severity: findingSeverity(check, options, verdict),
    responsibility: verdict.responsibility ?? rule.responsibility,
    message: verdict.message,
    evidence: verdict.evidence,
    compliance,
  };
}

/**
 * Runs every enabled check on every cluster. Every pair yields exactly one finding, in a
 * deterministic order: clusters by id, then checks in catalogue order.
 */
export function evaluateChecks(
  clusters: readonly ClusterPosture[],
  checks: readonly Check[],
  ctx: EvalContext,
  options: EvaluationOptions = {},
): Finding[] {
  const enabled = checks.filter((check) => !options.disabled?.has(check.id));
  const ordered = [...clusters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const complianceOf = complianceLookup();
  return ordered.flatMap((cluster) =>
    enabled.map((check) => evaluateOne(check, cluster, ctx, options, complianceOf)),
  );
}
