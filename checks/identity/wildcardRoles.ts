import type { ClusterRoleFacts, RbacBinding, RbacRule, RbacSubject } from '../../model/inCluster.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { bindingEvidence, bindingName, fields, inClusterFacts, listed } from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, SharedRule, Verdict } from '../types.js';

/** RBAC-04 judges cluster-admin, with its own allow list; flagging it here too would contradict that list. */
const JUDGED_BY_RBAC_04 = 'cluster-admin';

/**
 * A subject Kubernetes or the provider defines: a User or Group named `system:…` (system:masters,
 * system:nodes, system:kube-scheduler…). ServiceAccounts are never system subjects here: a workload's
 * identity holding wildcards is what this check is for.
 */
function isSystemSubject(subject: RbacSubject): boolean {
  return subject.kind !== 'ServiceAccount' && subject.name.startsWith('system:');
}

function hasWildcard(rule: RbacRule): boolean {
  return [rule.verbs, rule.resources, rule.apiGroups].some((list) => list.includes('*'));
}

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['inCluster', 'inCluster.clusterRoles', 'inCluster.clusterRoleBindings', 'inCluster.roleBindings'],
  evaluate: evaluateWildcards,
};

/** RBAC-06: no ClusterRole bound to non-system subjects uses wildcards. */
export const wildcardRoles: Check = {
  id: 'RBAC-06',
  title: 'No ClusterRole bound to non-system subjects uses wildcards',
  rationale:
    'A wildcard grants every verb, resource or API group, including those added later by CRDs and upgrades: the holder silently gains rights nobody reviewed, often enough to escalate to cluster-admin.',
  category: 'identity',
  severity: 'medium',
  source: 'k8s',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Replace the wildcards with the verbs, resources and API groups the subject needs; list ClusterRoles that must keep them in checks.settings.wildcardRoleAllow.',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl edit clusterrole <role>',
      gke: 'gcloud container clusters get-credentials <cluster> --location <location> && kubectl edit clusterrole <role>',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl get clusterrole <role> -o yaml"',
    },
    links: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-use-in-roles-and-clusterroles',
    ],
  },
};

function evaluateWildcards(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { clusterRoles, clusterRoleBindings, roleBindings } = read.facts;
  if (isUnknown(clusterRoles)) return unknownVerdict('The ClusterRoles of the cluster', clusterRoles);
  if (isUnknown(clusterRoleBindings))
    return unknownVerdict('The ClusterRoleBindings of the cluster', clusterRoleBindings);
  if (isUnknown(roleBindings)) return unknownVerdict('The RoleBindings of the cluster', roleBindings);
  const allowed = new Set([JUDGED_BY_RBAC_04, ...ctx.settings.wildcardRoleAllow]);
  const wildcard = new Map(
    clusterRoles.value
      .filter((role) => !allowed.has(role.name) && role.rules.some(hasWildcard))
      .map((role): [string, ClusterRoleFacts] => [role.name, role]),
  );
  const offending = [...clusterRoleBindings.value, ...roleBindings.value].filter(
    (binding: RbacBinding) =>
      binding.roleRef.kind === 'ClusterRole' &&
      wildcard.has(binding.roleRef.name) &&
      binding.subjects.some((subject) => !isSystemSubject(subject)),
  );
  if (offending.length > 0) {
    const roles = [...wildcard.values()].filter((role) =>
      offending.some((binding) => binding.roleRef.name === role.name),
    );
    return fail(
      `ClusterRole(s) ${listed(roles.map((role) => role.name))} use wildcards and are bound to non-system subjects (${listed(offending.map(bindingName))}).`,
      fields(
        ...roles.map((role) => ({
          path: `clusterroles[name=${role.name}].rules`,
          value: role.rules.map((rule) => ({
            verbs: [...rule.verbs],
            apiGroups: [...rule.apiGroups],
            resources: [...rule.resources],
          })),
        })),
        ...offending.flatMap(bindingEvidence),
      ),
    );
  }
  return pass(
    `No ClusterRole with wildcards is bound to a non-system subject (${clusterRoles.value.length} ClusterRoles read).`,
    clusterRoles,
    clusterRoleBindings,
    roleBindings,
  );
}
