import { ruleFor } from '../../checks/ruleFor.js';
import { notApplicable } from '../../checks/support/verdict.js';
import type { Check, EvalContext, Verdict } from '../../checks/types.js';
import type { ClusterPosture } from '../../model/posture.js';

/** The parts of a verdict tests compare whole: status and evidence, not the prose. */
export function outcome(verdict: Verdict): Pick<Verdict, 'status' | 'evidence'> {
  return { status: verdict.status, evidence: verdict.evidence };
}

/**
 * A check's verdict on one cluster through the rule for its provider, as the engine runs it;
 * where the check does not apply, the not_applicable verdict the engine files, with no evidence.
 */
export function evaluateCheck(check: Check, cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const rule = ruleFor(check, cluster);
  return 'notApplicable' in rule ? notApplicable(rule.notApplicable) : rule.evaluate(ctx);
}
