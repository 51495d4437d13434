import type { RbacBinding, RbacSubject } from '../../model/inCluster.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { bindingEvidence, bindingName, fields, inClusterFacts, listed } from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedPosturePath, Verdict } from '../types.js';

/**
 * The bindings Kubernetes itself creates for these groups (rbac bootstrap policy,
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles): health, version
 * and API discovery. A binding counts as the default only under its own name, to its own
 * ClusterRole, so a binding that borrows the name for another role is still judged.
 */
const DEFAULT_BINDINGS: Readonly<Record<string, readonly string[]>> = {
  'system:unauthenticated': ['system:public-info-viewer'],
  'system:authenticated': ['system:public-info-viewer', 'system:discovery', 'system:basic-user'],
};

function isDefaultBinding(binding: RbacBinding, subject: RbacSubject): boolean {
  return (
    binding.kind === 'ClusterRoleBinding' &&
    binding.roleRef.kind === 'ClusterRole' &&
    binding.roleRef.name === binding.name &&
    (DEFAULT_BINDINGS[subject.name] ?? []).includes(binding.name)
  );
}

/** Subjects that anyone matches: without credentials, and on GKE with any Google account. */
function isOpenSubject(subject: RbacSubject, provider: ClusterPosture['provider']): boolean {
  if (subject.kind === 'User') return subject.name === 'system:anonymous';
  if (subject.kind !== 'Group') return false;
  return (
    subject.name === 'system:unauthenticated' ||
    (provider === 'gke' && subject.name === 'system:authenticated')
  );
}

const IN_CLUSTER_READS: readonly SharedPosturePath[] = [
  'inCluster',
  'inCluster.clusterRoleBindings',
  'inCluster.roleBindings',
];

/** RBAC-03: no RoleBinding grants rights to anonymous or unauthenticated users. */
export const anonymousBindings: Check = {
  id: 'RBAC-03',
  title: 'No RoleBinding grants rights to anonymous or unauthenticated users',
  rationale:
    'A binding to system:anonymous or system:unauthenticated grants its rights to anyone who can reach the API server, without any credential; on GKE system:authenticated is just as wide, since it includes every Google account.',
  category: 'identity',
  severity: 'critical',
  source: 'api/k8s',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: IN_CLUSTER_READS,
      evaluate: (cluster) => evaluateBindings(cluster),
    },
    gke: {
      responsibility: 'customer',
      reads: ['gke.insecureRbacBindings', ...IN_CLUSTER_READS],
      evaluate: (cluster) =>
        combineGke(evaluateGke(cluster.gke.insecureRbacBindings), evaluateBindings(cluster)),
    },
    aks: {
      responsibility: 'customer',
      reads: IN_CLUSTER_READS,
      evaluate: (cluster) => evaluateBindings(cluster),
    },
  },
  remediation: {
    text: 'Delete ClusterRoleBindings and RoleBindings whose subjects are system:anonymous, system:unauthenticated or (on GKE) system:authenticated, other than the defaults; on GKE also make the API server reject new ones.',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E "system:(anonymous|unauthenticated)"',
      gke: 'gcloud container clusters update <cluster> --location <location> --no-enable-insecure-binding-system-unauthenticated --no-enable-insecure-binding-system-authenticated',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl get clusterrolebindings,rolebindings -A -o wide"',
    },
    links: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings',
      'https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage',
    ],
  },
};

/** The bindings read in the cluster that grant rights to anyone. */
function evaluateBindings(cluster: ClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { clusterRoleBindings, roleBindings } = read.facts;
  if (isUnknown(clusterRoleBindings))
    return unknownVerdict('The ClusterRoleBindings of the cluster', clusterRoleBindings);
  if (isUnknown(roleBindings)) return unknownVerdict('The RoleBindings of the cluster', roleBindings);
  const open = [...clusterRoleBindings.value, ...roleBindings.value].filter((binding) =>
    binding.subjects.some(
      (subject) => isOpenSubject(subject, cluster.provider) && !isDefaultBinding(binding, subject),
    ),
  );
  if (open.length > 0) {
    return fail(
      `${listed(open.map(bindingName))} grant${open.length === 1 ? 's' : ''} rights to anonymous or unauthenticated users.`,
      fields(...open.flatMap(bindingEvidence)),
    );
  }
  return pass(
    'No ClusterRoleBinding or RoleBinding grants rights to anonymous or unauthenticated users beyond the Kubernetes defaults.',
    clusterRoleBindings,
    roleBindings,
  );
}

/**
 * GKE: the API half (rbacBindingConfig) stops new bindings; the in-cluster half finds the ones made
 * before. A fail on either side fails; both must pass to pass.
 */
function combineGke(api: Verdict, inCluster: Verdict): Verdict {
  if (api.status === 'fail') return api;
  if (inCluster.status === 'fail')
    return { ...inCluster, evidence: [...api.evidence, ...inCluster.evidence] };
  if (api.status === 'unknown') return api;
  if (inCluster.status === 'unknown') {
    return {
      status: 'unknown',
      // rbacBindingConfig only blocks new bindings; ones made before it was set stay
      // (https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage).
      message: `GKE rejects new bindings to system:anonymous, system:unauthenticated and system:authenticated, but bindings made before that stay and were not read: ${inCluster.message}`,
      evidence: [...api.evidence, ...inCluster.evidence],
    };
  }
  return {
    status: 'pass',
    message: `GKE rejects new bindings to these groups, and none exists. ${inCluster.message}`,
    evidence: [...api.evidence, ...inCluster.evidence],
  };
}

/** The API half on GKE: a pass here means only that GKE rejects new bindings. */
function evaluateGke(bindings: GkeClusterPosture['gke']['insecureRbacBindings']): Verdict {
  if (isUnknown(bindings)) return unknownVerdict('RBAC binding restrictions', bindings);
  const { unauthenticated, authenticated } = bindings.value;
  const accepted = [
    ...(unauthenticated ? ['system:anonymous and system:unauthenticated'] : []),
    ...(authenticated ? ['system:authenticated (any Google account)'] : []),
  ];
  if (accepted.length > 0) {
    return fail(`GKE accepts new bindings to ${accepted.join(' and ')} (rbacBindingConfig).`, bindings);
  }
  return pass('GKE rejects new bindings to these groups (rbacBindingConfig).', bindings);
}
