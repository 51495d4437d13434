import type { AutomatedControl, CisAssessment } from './benchmark.js';

// Items worded alike in the CIS EKS, GKE and AKS benchmarks, which the three number differently
// or class differently (Automated in one, Manual in another).

/** CIS 4.1.3 of the three benchmarks. */
export function wildcardRolesControl(assessment: CisAssessment): AutomatedControl {
  return {
    control: '4.1.3',
    title: 'Minimize wildcard use in Roles and ClusterRoles',
    assessment,
    coverage: 'automated',
    checks: ['RBAC-06'],
    note: 'RBAC-06 judges ClusterRoles bound to non-system subjects; namespaced Roles are not read.',
  };
}

/** The note on 4.1.1 of the EKS and GKE benchmarks (AKS also names its Entra ID admin groups). */
export const CLUSTER_ADMIN_NOTE =
  'RBAC-04 reads ClusterRoleBindings; what is "required" is the allow list in checks.settings.clusterAdminAllow.';

/**
 * CIS 4.1.1 of the three benchmarks. It is not mapped to RBAC-02: the control is about
 * ClusterRoleBindings inside the cluster, and a cluster can pass RBAC-02 (cloud IAM) while binding
 * cluster-admin to anyone in-cluster. RBAC-04 reads the bindings in-cluster.
 */
export function clusterAdminControl(assessment: CisAssessment, note: string): AutomatedControl {
  return {
    control: '4.1.1',
    title: 'Ensure that the cluster-admin role is only used where required',
    assessment,
    coverage: 'automated',
    checks: ['RBAC-04'],
    note,
  };
}

/**
 * EKS and AKS 4.2.1 to 4.2.4: the Baseline Pod Security Standard rejects privileged containers
 * and host PID, IPC and network namespaces, so POD-01 (baseline or restricted enforced) decides
 * them. allowPrivilegeEscalation (4.2.5) is rejected only by Restricted: it stays manual.
 */
export const POD_SECURITY_NOTE =
  'POD-01 passes when every workload namespace enforces the baseline or restricted Pod Security level, both of which reject this; a cluster that enforces it with another admission controller (Gatekeeper, Kyverno) instead fails POD-01 and needs a manual review.';

export const PRIVILEGE_ESCALATION_VERIFY =
  'Run kubectl get namespaces -L pod-security.kubernetes.io/enforce: compliant when every workload namespace enforces restricted, or an admission policy (Gatekeeper, Kyverno) rejects containers with allowPrivilegeEscalation true. POD-01 also accepts baseline, which allows it.';

export const DEFAULT_SERVICE_ACCOUNT_VERIFY =
  'Run kubectl get serviceaccount default -o yaml in every namespace and kubectl get rolebindings,clusterrolebindings -A -o wide: compliant when every default service account sets automountServiceAccountToken: false and no binding names one as a subject.';

export const TOKEN_MOUNT_VERIFY =
  'Run kubectl get pods,serviceaccounts -A -o yaml: compliant when the pods and service accounts of workloads that never call the Kubernetes API set automountServiceAccountToken: false.';

export const SECRETS_AS_FILES_VERIFY =
  'Search the pod specs (kubectl get pods -A -o yaml) for env[].valueFrom.secretKeyRef and envFrom[].secretRef: compliant when none is found, Secrets being mounted as volumes instead, or each use is a recorded exception.';

export const EXTERNAL_SECRETS_VERIFY =
  'Ask where application secrets are kept and rotated: compliant when they live in an external secret store that Kubernetes reads from, or a recorded decision explains why Kubernetes Secrets suffice.';

export const ADMIN_BOUNDARIES_VERIFY =
  'Run kubectl get namespaces and compare with the teams and applications on the cluster: compliant when workloads of different teams or trust levels run in namespaces of their own, with RBAC and NetworkPolicies scoped to them.';

export const DEFAULT_NAMESPACE_VERIFY =
  'Run kubectl get all,configmaps,secrets -n default: compliant when it lists only the kubernetes Service and the kube-root-ca.crt ConfigMap, no workloads.';
