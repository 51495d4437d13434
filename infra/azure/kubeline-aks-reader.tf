# The custom role kubeline's AKS scanner needs: exactly the ARM actions providers/azure/permissions.ts
# declares (test/infra/azure.spec.ts compares the two), without wildcards: reads, and
# listClusterUserCredential for the in-cluster pass, which needs the API server's CA that AKS
# publishes only in the user kubeconfig (kubeline keeps the CA and drops any credential in it).
# Drop that action if inCluster stays off or every AKS cluster has a kubeconfig context.
# Assign it to kubeline's identity (workload identity or managed identity) on each subscription,
# or on a management group to cover every subscription below it. The workspace and table reads
# (audit retention, AUD-03) and scheduled query rules (AUD-04) are made where the workspaces that
# receive audit logs live: assign the role on their subscriptions too, or those fields stay unknown.

variable "kubeline_role_scope" {
  description = "Where the role can be assigned: /subscriptions/<id> or /providers/Microsoft.Management/managementGroups/<id>"
  type        = string
}

variable "kubeline_principal_id" {
  description = "Object id of kubeline's service principal or managed identity"
  type        = string
}

resource "azurerm_role_definition" "kubeline_aks_reader" {
  name        = "kubeline AKS reader"
  scope       = var.kubeline_role_scope
  description = "Access kubeline needs to scan AKS clusters: reads, and the user kubeconfig for the API server CA"

  permissions {
    actions = [
      "Microsoft.ContainerService/locations/kubernetesVersions/read",
      "Microsoft.ContainerService/managedClusters/agentPools/read",
      "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action",
      "Microsoft.ContainerService/managedClusters/read",
      "Microsoft.Insights/diagnosticSettings/read",
      "Microsoft.Insights/scheduledQueryRules/read",
      "Microsoft.Management/managementGroups/descendants/read",
      "Microsoft.OperationalInsights/workspaces/read",
      "Microsoft.OperationalInsights/workspaces/tables/read",
      "Microsoft.Resources/subscriptions/read",
      "Microsoft.Security/pricings/read",
    ]
    not_actions = []
  }

  assignable_scopes = [var.kubeline_role_scope]
}

resource "azurerm_role_assignment" "kubeline_aks_reader" {
  scope              = var.kubeline_role_scope
  role_definition_id = azurerm_role_definition.kubeline_aks_reader.role_definition_resource_id
  principal_id       = var.kubeline_principal_id
}
