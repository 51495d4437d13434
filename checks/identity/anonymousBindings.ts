import { isUnknown } from '../../model/observed.js';
import type { GkeClusterPosture } from '../../model/posture.js';
import type { Check, Verdict } from '../types.js';
import { evidenceOf, fail, unknownVerdict } from '../verdict.js';

const NEEDS_IN_CLUSTER = 'needs in-cluster read of ClusterRoleBindings and RoleBindings, which is not read';

/** RBAC-03: no RoleBinding grants rights to anonymous or unauthenticated users. */
export const anonymousBindings: Check = {
  id: 'RBAC-03',
  title: 'No RoleBinding grants rights to anonymous or unauthenticated users',
  rationale:
    'A binding to system:anonymous or system:unauthenticated grants its rights to anyone who can reach the API server, without any credential; on GKE system:authenticated is just as wide, since it includes every Google account.',
  category: 'identity',
  severity: 'critical',
  source: 'api/k8s',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
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
  evaluate(cluster) {
    switch (cluster.provider) {
      case 'eks':
      case 'aks':
        return {
          status: 'unknown',
          message: `The bindings of the cluster: ${NEEDS_IN_CLUSTER}.`,
          evidence: [],
        };
      case 'gke':
        return evaluateGke(cluster.gke.insecureRbacBindings);
    }
  },
};

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
  // rbacBindingConfig only blocks new bindings; ones made before it was set stay, so the API alone
  // cannot show that no binding grants these groups rights
  // (https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage).
  return {
    status: 'unknown',
    message:
      'GKE rejects new bindings to system:anonymous, system:unauthenticated and system:authenticated, but bindings made before that stay: they need an in-cluster read of ClusterRoleBindings and RoleBindings, which is not made.',
    evidence: evidenceOf(bindings),
  };
}
