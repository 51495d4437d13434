import type { JsonObject, JsonValue } from './json.js';
import type { Observed } from './observed.js';

/*
 * What kubeline reads from inside a cluster, through the Kubernetes API, when the optional
 * in-cluster pass runs: RBAC, the aws-auth mappings, namespaces and their network policies,
 * kubelet configuration, DaemonSets. Every part is Observed on its own, so a 403 on one resource
 * type leaves only the checks that need it unknown.
 */

/** A subject of a (Cluster)RoleBinding. */
export interface RbacSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace?: string;
}

/** A ClusterRoleBinding (no namespace) or a RoleBinding. */
export interface RbacBinding {
  readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
  readonly name: string;
  readonly namespace?: string;
  readonly roleRef: { readonly kind: 'ClusterRole' | 'Role'; readonly name: string };
  readonly subjects: readonly RbacSubject[];
}

/** One rule of a ClusterRole; absent lists are empty. */
export interface RbacRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export interface ClusterRoleFacts {
  readonly name: string;
  readonly rules: readonly RbacRule[];
}

/** One entry of `kube-system/aws-auth` `mapRoles` or `mapUsers`. */
export interface AwsAuthMapping {
  readonly kind: 'role' | 'user';
  /** `rolearn` or `userarn`. */
  readonly arn: string;
  readonly username: string | null;
  readonly groups: readonly string[];
}

export interface NamespaceFacts {
  readonly name: string;
  /** `pod-security.kubernetes.io/enforce`; null when the label is absent. */
  readonly podSecurityEnforce: string | null;
}

export interface NetworkPolicyFacts {
  readonly namespace: string;
  readonly name: string;
}

/** A node's kubelet, from its `configz` through the API server's node proxy. */
export interface KubeletFacts {
  readonly node: string;
  /** The node pool / node group label of the node; null when none of the known labels is set. */
  readonly pool: string | null;
  /** `kubeletconfig.readOnlyPort`; 0 when disabled (absent means the kubelet default, 0). */
  readonly readOnlyPort: Observed<number>;
  /** `kubeletconfig.authentication.anonymous.enabled`. */
  readonly anonymousAuth: Observed<boolean>;
  /** `kubeletconfig.authorization.mode`: `Webhook` or `AlwaysAllow`. */
  readonly authorizationMode: Observed<string>;
}

export interface DaemonSetFacts {
  readonly namespace: string;
  readonly name: string;
  /** Images of the pod template's containers. */
  readonly images: readonly string[];
  /** `status.desiredNumberScheduled` and `status.numberReady`. */
  readonly desired: number;
  readonly ready: number;
}

/** The in-cluster facts of one cluster. */
export interface InClusterPosture {
  readonly clusterRoleBindings: Observed<readonly RbacBinding[]>;
  readonly roleBindings: Observed<readonly RbacBinding[]>;
  readonly clusterRoles: Observed<readonly ClusterRoleFacts[]>;
  /** EKS only: the mappings of `kube-system/aws-auth`; null when the ConfigMap does not exist. */
  readonly awsAuth: Observed<readonly AwsAuthMapping[] | null>;
  readonly namespaces: Observed<readonly NamespaceFacts[]>;
  readonly networkPolicies: Observed<readonly NetworkPolicyFacts[]>;
  /** The nodes in the cluster (all of them, not only those sampled). */
  readonly nodeCount: Observed<number>;
  /** The kubelets sampled: at most N nodes per pool. */
  readonly kubelets: Observed<readonly KubeletFacts[]>;
  readonly daemonSets: Observed<readonly DaemonSetFacts[]>;
}

/**
 * The resource types of the in-cluster pass, as the raw bundle and the exports name them. Each
 * is one list (or one object) read from the Kubernetes API.
 */
export const IN_CLUSTER_RESOURCES = [
  'clusterrolebindings',
  'rolebindings',
  'clusterroles',
  'awsAuth',
  'namespaces',
  'networkpolicies',
  'nodes',
  'configz',
  'daemonsets',
] as const;
export type InClusterResource = (typeof IN_CLUSTER_RESOURCES)[number];

/**
 * What the in-cluster pass read, in the Kubernetes API's own JSON, before normalising: the live
 * collector produces it and `--from` reads it from an export (`kind: KubelineInClusterExport`).
 * A resource that could not be read is in `errors` instead, with the reason.
 */
export interface InClusterRaw {
  /** `List` objects (`{ items, metadata }`) as the API returned them, pages merged. */
  readonly clusterrolebindings?: JsonObject;
  readonly rolebindings?: JsonObject;
  readonly clusterroles?: JsonObject;
  /** The `kube-system/aws-auth` ConfigMap; null when it does not exist (404). */
  readonly awsAuth?: JsonObject | null;
  readonly namespaces?: JsonObject;
  readonly networkpolicies?: JsonObject;
  readonly nodes?: JsonObject;
  /** The `configz` body of each sampled node, by node name; a node whose read failed has a string reason. */
  readonly configz?: Readonly<Record<string, JsonValue>>;
  readonly daemonsets?: JsonObject;
  /** Resources not read, and why (`403 Forbidden: …`, `timed out after 30 s`). */
  readonly errors?: Readonly<Partial<Record<InClusterResource, string>>>;
}
