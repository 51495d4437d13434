/**
 * Every Azure Resource Manager action kubeline performs, as Azure RBAC names it. infra/azure/
 * grants exactly these (a test compares them), so the custom role stays read-only and
 * least-privilege as the collector changes. The operations the collector records are these names.
 */
export const AKS_READ_ACTIONS = [
  'Microsoft.ContainerService/locations/kubernetesVersions/read',
  'Microsoft.ContainerService/managedClusters/agentPools/read',
  'Microsoft.ContainerService/managedClusters/read',
  'Microsoft.Insights/diagnosticSettings/read',
  'Microsoft.Management/managementGroups/descendants/read',
  'Microsoft.Resources/subscriptions/read',
] as const;

export type AzureAction = (typeof AKS_READ_ACTIONS)[number];
