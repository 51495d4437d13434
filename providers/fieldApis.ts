import type { AksClusterPosture, EksClusterPosture, GkeClusterPosture, Provider } from '../model/posture.js';
import type { PostureField, PosturePath } from '../model/posturePaths.js';

/*
 * Which API calls each posture field is read from, per provider, named as the provider's
 * permissions list names them (providers/<cloud>/permissions.ts), so a check's declared reads lead
 * to the calls and the permissions behind its verdict (docs/checks.md, kubeline explain). Every
 * top-level field has an entry (the compiler requires it); a sub-field has one where other calls
 * feed it, and adds to its parents' calls. An empty list is a fact the provider fixes, read from
 * no call (EKS always authorizes with RBAC).
 */

/** The in-cluster pass's Kubernetes API requests, as `kubernetes:<verb> <resource>[.<group>]`. */
const K8S = {
  clusterRoleBindings: 'kubernetes:list clusterrolebindings.rbac.authorization.k8s.io',
  roleBindings: 'kubernetes:list rolebindings.rbac.authorization.k8s.io',
  clusterRoles: 'kubernetes:list clusterroles.rbac.authorization.k8s.io',
  awsAuth: 'kubernetes:get configmaps',
  namespaces: 'kubernetes:list namespaces',
  networkPolicies: 'kubernetes:list networkpolicies.networking.k8s.io',
  nodes: 'kubernetes:list nodes',
  configz: 'kubernetes:get nodes/proxy',
  daemonSets: 'kubernetes:list daemonsets.apps',
} as const;

/** The in-cluster facts every provider reads the same way, once connected. */
const IN_CLUSTER_PARTS = {
  'inCluster.clusterRoleBindings': [K8S.clusterRoleBindings],
  'inCluster.roleBindings': [K8S.roleBindings],
  'inCluster.clusterRoles': [K8S.clusterRoles],
  'inCluster.namespaces': [K8S.namespaces],
  'inCluster.networkPolicies': [K8S.networkPolicies],
  'inCluster.nodeCount': [K8S.nodes],
  'inCluster.kubelets': [K8S.nodes, K8S.configz],
  'inCluster.daemonSets': [K8S.daemonSets],
} as const;

/** The calls behind each field of one provider's posture. */
export type FieldApis<C extends EksClusterPosture | GkeClusterPosture | AksClusterPosture> = Readonly<
  Record<PostureField<C>, readonly string[]>
> &
  Readonly<Partial<Record<PosturePath<C>, readonly string[]>>>;

const DESCRIBE_CLUSTER = ['eks:DescribeCluster'];
const ADDONS = ['eks:ListAddons', 'eks:DescribeAddon'];

export const EKS_FIELD_APIS: FieldApis<EksClusterPosture> = {
  mode: DESCRIBE_CLUSTER,
  version: DESCRIBE_CLUSTER,
  supportPlan: DESCRIBE_CLUSTER,
  'endpoint.publicAccess': DESCRIBE_CLUSTER,
  'endpoint.privateAccess': DESCRIBE_CLUSTER,
  'endpoint.authorizedNetworks': DESCRIBE_CLUSTER,
  'authorization.rbac': [],
  'authorization.legacyAbac': [],
  secretsEncryption: DESCRIBE_CLUSTER,
  auditLogs: DESCRIBE_CLUSTER,
  authenticatorLogs: DESCRIBE_CLUSTER,
  networkPolicy: ADDONS,
  nodePools: ['eks:ListNodegroups', 'eks:DescribeNodegroup'],
  'nodePools[].publicIps': ['ec2:DescribeSubnets', 'ec2:DescribeLaunchTemplateVersions'],
  auditLogRetentionDays: ['logs:DescribeLogGroups'],
  failedAuthAlerting: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarmsForMetric'],
  networkFlowLogs: ['eks:DescribeCluster', 'ec2:DescribeFlowLogs'],
  // The GuardDuty agent is read by name: ListAddons is enough.
  runtimeThreatDetection: ['eks:ListAddons', 'guardduty:ListDetectors', 'guardduty:GetDetector'],
  versionSupport: ['eks:DescribeClusterVersions'],
  apiServer: DESCRIBE_CLUSTER,
  inCluster: DESCRIBE_CLUSTER,
  ...IN_CLUSTER_PARTS,
  'inCluster.awsAuth': [K8S.awsAuth],
  'eks.authenticationMode': DESCRIBE_CLUSTER,
  'eks.oidcIdentityProviders': ['eks:ListIdentityProviderConfigs'],
  'eks.accessEntries': ['eks:ListAccessEntries', 'eks:ListAssociatedAccessPolicies'],
  'eks.bootstrapClusterCreatorAdmin': DESCRIBE_CLUSTER,
  'eks.addons': ['eks:ListAddons'],
  'eks.oidcIssuer': DESCRIBE_CLUSTER,
  'eks.iamOidcProvider': ['eks:DescribeCluster', 'iam:ListOpenIDConnectProviders'],
};

/** GKE's `locations/-` list returns whole Cluster resources: one call feeds most fields. */
const LIST_CLUSTERS = ['container.clusters.list'];

export const GKE_FIELD_APIS: FieldApis<GkeClusterPosture> = {
  mode: LIST_CLUSTERS,
  version: LIST_CLUSTERS,
  supportPlan: LIST_CLUSTERS,
  'endpoint.publicAccess': LIST_CLUSTERS,
  'endpoint.privateAccess': LIST_CLUSTERS,
  'endpoint.authorizedNetworks': LIST_CLUSTERS,
  'authorization.rbac': [],
  'authorization.legacyAbac': LIST_CLUSTERS,
  secretsEncryption: LIST_CLUSTERS,
  auditLogs: LIST_CLUSTERS,
  // Cloud Audit Logs record authentication whatever the cluster's settings.
  authenticatorLogs: [],
  networkPolicy: LIST_CLUSTERS,
  nodePools: LIST_CLUSTERS,
  // The _Required bucket's 400 days are fixed by Cloud Logging.
  auditLogRetentionDays: [],
  failedAuthAlerting: ['logging.logMetrics.list', 'monitoring.alertPolicies.list'],
  networkFlowLogs: LIST_CLUSTERS,
  runtimeThreatDetection: LIST_CLUSTERS,
  versionSupport: ['container.clusters.get'],
  apiServer: LIST_CLUSTERS,
  inCluster: LIST_CLUSTERS,
  ...IN_CLUSTER_PARTS,
  'gke.googleGroupsForRbac': LIST_CLUSTERS,
  'gke.identityService': LIST_CLUSTERS,
  'gke.basicAuth': LIST_CLUSTERS,
  'gke.clientCertificate': LIST_CLUSTERS,
  'gke.kubeletReadOnlyPortDefault': LIST_CLUSTERS,
  'gke.releaseChannel': LIST_CLUSTERS,
  'gke.anonymousAuthentication': LIST_CLUSTERS,
  'gke.insecureRbacBindings': LIST_CLUSTERS,
  'gke.workloadPool': LIST_CLUSTERS,
  'gke.shieldedNodes': LIST_CLUSTERS,
  'gke.kubernetesDashboard': LIST_CLUSTERS,
  'gke.kubernetesAlpha': LIST_CLUSTERS,
  'gke.dnsEndpointExternalTraffic': LIST_CLUSTERS,
  'gke.binaryAuthorization': LIST_CLUSTERS,
  'gke.defaultLogBucketRetentionDays': ['logging.buckets.get'],
};

const MANAGED_CLUSTER = ['Microsoft.ContainerService/managedClusters/read'];
const DIAGNOSTIC_SETTINGS = ['Microsoft.Insights/diagnosticSettings/read'];

export const AKS_FIELD_APIS: FieldApis<AksClusterPosture> = {
  mode: MANAGED_CLUSTER,
  version: MANAGED_CLUSTER,
  supportPlan: MANAGED_CLUSTER,
  'endpoint.publicAccess': MANAGED_CLUSTER,
  'endpoint.privateAccess': MANAGED_CLUSTER,
  'endpoint.authorizedNetworks': MANAGED_CLUSTER,
  'authorization.rbac': MANAGED_CLUSTER,
  'authorization.legacyAbac': [],
  secretsEncryption: MANAGED_CLUSTER,
  auditLogs: DIAGNOSTIC_SETTINGS,
  authenticatorLogs: DIAGNOSTIC_SETTINGS,
  networkPolicy: MANAGED_CLUSTER,
  nodePools: [
    'Microsoft.ContainerService/managedClusters/read',
    'Microsoft.ContainerService/managedClusters/agentPools/read',
  ],
  auditLogRetentionDays: [
    ...DIAGNOSTIC_SETTINGS,
    'Microsoft.OperationalInsights/workspaces/read',
    'Microsoft.OperationalInsights/workspaces/tables/read',
  ],
  failedAuthAlerting: ['Microsoft.Insights/scheduledQueryRules/read', 'Microsoft.Security/pricings/read'],
  networkFlowLogs: MANAGED_CLUSTER,
  runtimeThreatDetection: MANAGED_CLUSTER,
  versionSupport: ['Microsoft.ContainerService/locations/kubernetesVersions/read'],
  apiServer: MANAGED_CLUSTER,
  // The API server's CA is published only in the user kubeconfig.
  inCluster: [
    'Microsoft.ContainerService/managedClusters/read',
    'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
  ],
  ...IN_CLUSTER_PARTS,
  'aks.entraIdManaged': MANAGED_CLUSTER,
  'aks.localAccountsDisabled': MANAGED_CLUSTER,
  'aks.adminGroupObjectIds': MANAGED_CLUSTER,
  'aks.workloadIdentity': MANAGED_CLUSTER,
  'aks.oidcIssuer': MANAGED_CLUSTER,
  'aks.clusterIdentity': MANAGED_CLUSTER,
  'aks.upgradeChannel': MANAGED_CLUSTER,
  'aks.azurePolicy': MANAGED_CLUSTER,
  'aks.kubeDashboard': MANAGED_CLUSTER,
};

/** Every provider's field-to-call table. */
export const FIELD_APIS: {
  readonly eks: FieldApis<EksClusterPosture>;
  readonly gke: FieldApis<GkeClusterPosture>;
  readonly aks: FieldApis<AksClusterPosture>;
} = { eks: EKS_FIELD_APIS, gke: GKE_FIELD_APIS, aks: AKS_FIELD_APIS };

/** The path and every path it lies inside: `nodePools[].publicIps` → itself and `nodePools`. */
function enclosingPaths(path: string): string[] {
  const paths = [path];
  for (let end = path.length - 1; end > 0; end -= 1) {
    if (path[end] === '.' || path.startsWith('[]', end)) paths.push(path.slice(0, end));
  }
  return paths;
}

/**
 * The API calls a field is read from on a provider: those of its own entry and of every field it
 * lies inside, in table order, each once. Unknown paths read from nothing.
 */
export function apiCallsFor(provider: Provider, paths: readonly string[]): string[] {
  const table: Readonly<Record<string, readonly string[] | undefined>> = FIELD_APIS[provider];
  const calls = new Set<string>();
  for (const path of paths) {
    for (const enclosing of enclosingPaths(path).reverse()) {
      for (const call of table[enclosing] ?? []) calls.add(call);
    }
  }
  return [...calls];
}
