# AKS from AWS Lambda: an Entra application and service principal for kubeline, holding only the
# "kubeline AKS reader" role of kubeline-aks-reader.tf, whose client secret lives in AWS Secrets
# Manager where kubeline's Lambda functions read it (never in the deployment configuration).
# This file and kubeline-aks-reader.tf are one Terraform module (same folder): the role is
# assigned at the same kubeline_role_scope (a subscription, or a management group to cover every
# subscription below it). kubeline_principal_id there is for a second identity, e.g. a managed
# identity that runs kubeline in Azure.
# Needs the azuread, azurerm, aws and time providers, the aws one in the stack's account and region.
# Then: targets.aks.servicePrincipal { tenantId, clientId, clientSecretArn } from the outputs,
# and the secret's ARN in the serverless stage parameter secretArns.
# test/infra/federation.spec.ts checks the role assignment and the secret's shape.
#
# The secret value also lands in the Terraform state: keep the state encrypted and access to it
# narrow. Federation without a secret is the alternative: Entra trusts a federated identity
# credential only from an OpenID Connect issuer, and a Lambda role has none of its own (Amazon
# Cognito identity pools can issue such tokens); kubeline signs in with this secret instead,
# rotated every secret_rotation_days.

variable "secret_rotation_days" {
  description = "Days after which the next terraform apply replaces the client secret"
  type        = number
  default     = 90
}

variable "secret_grace_days" {
  description = "Days a client secret stays valid after its rotation is due, so a late apply does not stop the scans"
  type        = number
  default     = 30
}

variable "kubeline_secret_name" {
  description = "Name of the Secrets Manager secret that holds the client secret"
  type        = string
  default     = "kubeline/azure-service-principal"
}

variable "kubeline_secret_kms_key_id" {
  description = "KMS key (id or ARN) that encrypts the secret; empty: the account's aws/secretsmanager key"
  type        = string
  default     = ""
}

data "azuread_client_config" "current" {}

resource "azuread_application" "kubeline" {
  display_name = "kubeline scanner (from AWS)"
  owners       = [data.azuread_client_config.current.object_id]
}

resource "azuread_service_principal" "kubeline" {
  client_id = azuread_application.kubeline.client_id
  owners    = [data.azuread_client_config.current.object_id]
}

resource "time_rotating" "kubeline_client_secret" {
  rotation_days = var.secret_rotation_days
}

resource "azuread_application_password" "kubeline" {
  application_id = azuread_application.kubeline.id
  display_name   = "kubeline on AWS Lambda"
  # Valid past the rotation date by the grace period; the apply that rotates replaces it.
  end_date = timeadd(time_rotating.kubeline_client_secret.rotation_rfc3339, "${var.secret_grace_days * 24}h")
  rotate_when_changed = {
    rotation = time_rotating.kubeline_client_secret.id
  }
}

resource "azurerm_role_assignment" "kubeline_service_principal" {
  scope              = var.kubeline_role_scope
  role_definition_id = azurerm_role_definition.kubeline_aks_reader.role_definition_resource_id
  principal_id       = azuread_service_principal.kubeline.object_id
  principal_type     = "ServicePrincipal"
}

resource "aws_secretsmanager_secret" "kubeline_azure" {
  name        = var.kubeline_secret_name
  description = "Client secret of kubeline's Entra service principal (targets.aks.servicePrincipal)"
  kms_key_id  = var.kubeline_secret_kms_key_id == "" ? null : var.kubeline_secret_kms_key_id
}

resource "aws_secretsmanager_secret_version" "kubeline_azure" {
  secret_id = aws_secretsmanager_secret.kubeline_azure.id
  # The shape providers/azure/credential.ts reads: a JSON object with a clientSecret key.
  secret_string = jsonencode({ clientSecret = azuread_application_password.kubeline.value })
}

output "tenant_id" {
  description = "targets.aks.servicePrincipal.tenantId"
  value       = data.azuread_client_config.current.tenant_id
}

output "client_id" {
  description = "targets.aks.servicePrincipal.clientId"
  value       = azuread_application.kubeline.client_id
}

output "client_secret_arn" {
  description = "targets.aks.servicePrincipal.clientSecretArn, and an entry of the stage parameter secretArns"
  value       = aws_secretsmanager_secret.kubeline_azure.arn
}
