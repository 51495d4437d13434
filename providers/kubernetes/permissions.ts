import type { InClusterResource } from '../../model/inCluster.js';

/**
 * Every Kubernetes API request the in-cluster pass makes, as RBAC names it. The ClusterRole in
 * infra/k8s/ grants exactly these (a test compares them, and compares them with the requests a
 * full pass made against the test peer), so the role stays read-only and never reaches Secrets.
 */

/** One RBAC rule's worth of access: a verb on a resource of an API group. */
export interface KubernetesPermission {
  /** `''` for the core group. */
  readonly apiGroup: string;
  readonly resource: string;
  readonly verb: 'get' | 'list';
  /** Set when only named objects are read (the `aws-auth` ConfigMap). */
  readonly resourceNames?: readonly string[];
  /** The bundle entry this request fills. */
  readonly reads: InClusterResource;
}

export const IN_CLUSTER_PERMISSIONS = [
  {
    apiGroup: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    verb: 'list',
    reads: 'clusterrolebindings',
  },
  { apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'list', reads: 'rolebindings' },
  { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'list', reads: 'clusterroles' },
  // EKS only; named, so the role reads no other ConfigMap.
  { apiGroup: '', resource: 'configmaps', verb: 'get', resourceNames: ['aws-auth'], reads: 'awsAuth' },
  { apiGroup: '', resource: 'namespaces', verb: 'list', reads: 'namespaces' },
  { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verb: 'list', reads: 'networkpolicies' },
  { apiGroup: '', resource: 'nodes', verb: 'list', reads: 'nodes' },
  // The kubelet's configz, through the API server; only GET, and only when nodesPerPool > 0.
  { apiGroup: '', resource: 'nodes/proxy', verb: 'get', reads: 'configz' },
  { apiGroup: 'apps', resource: 'daemonsets', verb: 'list', reads: 'daemonsets' },
] as const satisfies readonly KubernetesPermission[];
