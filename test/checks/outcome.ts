import type { Verdict } from '../../checks/types.js';

/** The parts of a verdict tests compare whole: status and evidence, not the prose. */
export function outcome(verdict: Verdict): Pick<Verdict, 'status' | 'evidence'> {
  return { status: verdict.status, evidence: verdict.evidence };
}
