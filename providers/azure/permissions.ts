/**
 * Every Azure Resource Manager action kubeline performs, as Azure RBAC names it. infra/azure/
 * grants exactly these (a test compares them), so the custom role stays least-privilege as the
 * collector changes. The operations the collector records are these names.
 */
export const AKS_READ_ACTIONS = [
  'Microsoft.ContainerService/locations/kubernetesVersions/read',
  'Microsoft.ContainerService/managedClusters/agentPools/read',
  'Microsoft.ContainerService/managedClusters/read',
  'Microsoft.Insights/diagnosticSettings/read',
  'Microsoft.Insights/scheduledQueryRules/read',
  'Microsoft.Management/managementGroups/descendants/read',
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/tables/read',
  'Microsoft.Resources/subscriptions/read',
  'Microsoft.Security/pricings/read',
] as const;

/** The action that returns a cluster's user kubeconfig, the only place AKS publishes the API server's CA. */
export const AKS_USER_CREDENTIAL_ACTION =
  'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';

/**
 * Actions of the in-cluster pass. listClusterUserCredential is a POST, not a read: on a cluster
 * with local accounts the kubeconfig it returns holds a credential. kubeline keeps only the CA and
 * the server from it (providers/azure/clusterCa.ts); never the admin variant.
 */
export const AKS_IN_CLUSTER_ACTIONS = [AKS_USER_CREDENTIAL_ACTION] as const;

/** Every action of kubeline's AKS role. */
export const AKS_ACTIONS = [...AKS_READ_ACTIONS, ...AKS_IN_CLUSTER_ACTIONS] as const;

export type AzureAction = (typeof AKS_ACTIONS)[number];
