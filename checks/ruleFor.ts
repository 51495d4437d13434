import type { Responsibility } from '../model/finding.js';
import type { ClusterPosture } from '../model/posture.js';
import type { PosturePath } from '../model/posturePaths.js';
import type { Check, EvalContext, NotApplicable, ProviderEntry, Verdict } from './types.js';

/** A check's rule for one cluster, bound to it: the posture type is already narrowed to the rule's. */
export interface BoundRule {
  readonly responsibility: Responsibility;
  readonly reads: readonly PosturePath[];
  readonly evaluate: (ctx: EvalContext) => Verdict;
}

function bind<C extends ClusterPosture>(entry: ProviderEntry<C>, cluster: C): BoundRule | NotApplicable {
  if ('notApplicable' in entry) return entry;
  return {
    responsibility: entry.responsibility,
    reads: entry.reads,
    evaluate: (ctx) => entry.evaluate(cluster, ctx),
  };
}

/** The rule a check has for the cluster's provider, bound to the cluster, or why it does not apply. */
export function ruleFor(check: Check, cluster: ClusterPosture): BoundRule | NotApplicable {
  switch (cluster.provider) {
    case 'eks':
      return bind(check.providers.eks, cluster);
    case 'gke':
      return bind(check.providers.gke, cluster);
    case 'aks':
      return bind(check.providers.aks, cluster);
  }
}
