import type { JsonObject } from '../../../model/json.js';

/** Where a generated cluster lives. */
export interface GeneratedClusterSpec {
  readonly subscription: string;
  readonly name: string;
  readonly location?: string;
  readonly resourceGroup?: string;
  /** Laid over `properties` (shallow). */
  readonly properties?: JsonObject;
  /** Laid over the top level (sku, identity, tags …). */
  readonly top?: JsonObject;
}

/** The resource id of a managed cluster. */
export function managedClusterId(subscription: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscription}/resourcegroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

/**
 * A managed cluster in ARM wire JSON (api-version 2026-04-01 shape), hardened by default: private,
 * Entra ID with Azure RBAC, no local accounts, KMS, Defender, workload identity, Cilium policy.
 */
export function generatedManagedCluster(spec: GeneratedClusterSpec): JsonObject {
  const resourceGroup = spec.resourceGroup ?? `rg-${spec.name}`;
  const location = spec.location ?? 'westeurope';
  return {
    id: managedClusterId(spec.subscription, resourceGroup, spec.name),
    name: spec.name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location,
    tags: { team: 'platform' },
    sku: { name: 'Base', tier: 'Standard' },
    identity: {
      type: 'SystemAssigned',
      principalId: '00000000-0000-4000-8000-0000000000a1',
      tenantId: '00000000-0000-4000-8000-00000000aaaa',
    },
    ...spec.top,
    properties: {
      provisioningState: 'Succeeded',
      kubernetesVersion: '1.34',
      currentKubernetesVersion: '1.34.6',
      dnsPrefix: spec.name,
      enableRBAC: true,
      disableLocalAccounts: true,
      supportPlan: 'KubernetesOfficial',
      aadProfile: {
        managed: true,
        enableAzureRBAC: true,
        adminGroupObjectIDs: ['5d2b7c41-0e93-4a6f-b8d1-2c4e6f8a0b13'],
        tenantID: '00000000-0000-4000-8000-00000000aaaa',
      },
      apiServerAccessProfile: { enablePrivateCluster: true },
      agentPoolProfiles: [
        {
          name: 'system',
          count: 3,
          vmSize: 'Standard_D4ds_v5',
          mode: 'System',
          osType: 'Linux',
          orchestratorVersion: '1.34.6',
          currentOrchestratorVersion: '1.34.6',
          enableNodePublicIP: false,
          securityProfile: { sshAccess: 'Disabled', enableSecureBoot: true, enableVTPM: true },
        },
      ],
      networkProfile: { networkPlugin: 'azure', networkPolicy: 'cilium', networkDataplane: 'cilium' },
      securityProfile: {
        defender: {
          logAnalyticsWorkspaceResourceId: `/subscriptions/${spec.subscription}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law`,
          securityMonitoring: { enabled: true },
        },
        azureKeyVaultKms: {
          enabled: true,
          keyId: `https://kv-${spec.name}.vault.azure.net/keys/etcd/0123456789abcdef`,
          keyVaultNetworkAccess: 'Public',
        },
        workloadIdentity: { enabled: true },
      },
      oidcIssuerProfile: {
        enabled: true,
        issuerURL: `https://${location}.oic.prod-aks.azure.com/tenant/${spec.name}/`,
      },
      addonProfiles: { azurepolicy: { enabled: true, config: { version: 'v2' } } },
      autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
      ...spec.properties,
    },
  };
}

/** A diagnostic setting in ARM wire JSON sending the given log categories to a workspace. */
export function generatedDiagnosticSetting(
  resourceId: string,
  name: string,
  categories: readonly string[],
  options: { readonly categoryGroups?: readonly string[]; readonly destination?: JsonObject } = {},
): JsonObject {
  return {
    id: `${resourceId}/providers/microsoft.insights/diagnosticSettings/${name}`,
    name,
    type: 'Microsoft.Insights/diagnosticSettings',
    properties: {
      ...(options.destination ?? {
        workspaceId:
          '/subscriptions/00000000-0000-0000-0000-00000000000f/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-security',
      }),
      logAnalyticsDestinationType: 'Dedicated',
      logs: [
        ...categories.map((category) => ({
          category,
          enabled: true,
          retentionPolicy: { enabled: false, days: 0 },
        })),
        ...(options.categoryGroups ?? []).map((categoryGroup) => ({ categoryGroup, enabled: true })),
      ],
      metrics: [{ category: 'AllMetrics', enabled: false }],
    },
  };
}
