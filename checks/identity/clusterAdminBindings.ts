import type { RbacBinding, RbacSubject } from '../../model/inCluster.js';
import { isUnknown, type Observed } from '../../model/observed.js';
import type { AksClusterPosture, ClusterPosture } from '../../model/posture.js';
import {
  bindingEvidence,
  bindingName,
  fields,
  inClusterFacts,
  listed,
  subjectKey,
} from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, SharedPosturePath, Verdict } from '../types.js';

const CLUSTER_ADMIN = 'cluster-admin';

/**
 * Subjects a provider binds to cluster-admin itself. `system:masters` is Kubernetes' own
 * (the default `cluster-admin` binding). AKS binds the Entra ID groups named in
 * `aadProfile.adminGroupObjectIDs` (counted by RBAC-02); other provider bindings are not assumed:
 * a subject kubeline does not know is shown, and the operator allows it by name.
 */
interface ProviderSubjects {
  readonly keys: readonly string[];
  readonly from: readonly Observed<unknown>[];
}

const NO_PROVIDER_SUBJECTS: ProviderSubjects = { keys: [], from: [] };

function aksAdminGroups(cluster: AksClusterPosture): ProviderSubjects {
  const groups = cluster.aks.adminGroupObjectIds;
  if (isUnknown(groups)) return NO_PROVIDER_SUBJECTS;
  return { keys: groups.value.map((group) => `Group:${group}`), from: [groups] };
}

const IN_CLUSTER_READS: readonly SharedPosturePath[] = ['inCluster', 'inCluster.clusterRoleBindings'];

/** RBAC-04: cluster-admin is bound only to allowed subjects. */
export const clusterAdminBindings: Check = {
  id: 'RBAC-04',
  title: 'cluster-admin is bound only to allowed subjects',
  rationale:
    'cluster-admin can do anything in the cluster, read every Secret included; each ClusterRoleBinding to it beyond the few that need it is one more identity whose theft hands over the cluster.',
  category: 'identity',
  severity: 'high',
  source: 'k8s',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: IN_CLUSTER_READS,
      evaluate: (cluster, ctx) => evaluateBindings(cluster, ctx, NO_PROVIDER_SUBJECTS),
    },
    gke: {
      responsibility: 'customer',
      reads: IN_CLUSTER_READS,
      evaluate: (cluster, ctx) => evaluateBindings(cluster, ctx, NO_PROVIDER_SUBJECTS),
    },
    aks: {
      responsibility: 'customer',
      reads: [...IN_CLUSTER_READS, 'aks.adminGroupObjectIds'],
      evaluate: (cluster, ctx) => evaluateBindings(cluster, ctx, aksAdminGroups(cluster)),
    },
  },
  remediation: {
    text: 'Bind the subjects that need it to a narrower role and delete their ClusterRoleBindings to cluster-admin; list break-glass subjects that must keep it in checks.settings.clusterAdminAllow.',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl delete clusterrolebinding <binding>',
      gke: 'gcloud container clusters get-credentials <cluster> --location <location> && kubectl delete clusterrolebinding <binding>',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl delete clusterrolebinding <binding>"',
    },
    links: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles',
    ],
  },
};

function bindsClusterAdmin(binding: RbacBinding): boolean {
  return binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === CLUSTER_ADMIN;
}

function judge(
  bindings: readonly RbacBinding[],
  provider: ProviderSubjects,
  ctx: EvalContext,
  list: Observed<unknown>,
): Verdict {
  const allowed = new Set(['Group:system:masters', ...provider.keys, ...ctx.settings.clusterAdminAllow]);
  const isAllowed = (subject: RbacSubject) => allowed.has(subjectKey(subject));
  const offending = bindings.filter((binding) => !binding.subjects.every(isAllowed));
  const evidence = fields(...(offending.length > 0 ? offending : bindings).flatMap(bindingEvidence));
  if (offending.length > 0) {
    const subjects = offending.flatMap((binding) =>
      binding.subjects.filter((subject) => !isAllowed(subject)),
    );
    return fail(
      `cluster-admin is bound to ${listed([...new Set(subjects.map(subjectKey))])}, not in the allow list (${listed(offending.map(bindingName))}).`,
      evidence,
      ...provider.from,
    );
  }
  return pass(
    `cluster-admin is bound only to system:masters, the provider's own subjects and the allow list (${bindings.length} binding(s)).`,
    list,
    evidence,
    ...provider.from,
  );
}

function evaluateBindings(cluster: ClusterPosture, ctx: EvalContext, provider: ProviderSubjects): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { clusterRoleBindings } = read.facts;
  if (isUnknown(clusterRoleBindings))
    return unknownVerdict('The ClusterRoleBindings of the cluster', clusterRoleBindings);
  return judge(clusterRoleBindings.value.filter(bindsClusterAdmin), provider, ctx, clusterRoleBindings);
}
