# GKE from AWS Lambda without a key: kubeline's plan and scanShard functions exchange their own
# AWS role credentials for a Google token through Workload Identity Federation, then impersonate
# a service account that holds only the kubelineRead role of kubeline-read-role.tf.
# This file and kubeline-read-role.tf are one Terraform module (same folder): set org_id or
# project_id there, and the service account below gets that role at the same level. Its
# scanner_member is for a second identity, e.g. the team that runs kubeline on its own machines.
# Then write the credential configuration (it holds no secret) into the deployment config folder:
#   gcloud iam workload-identity-pools create-cred-config <provider_name> \
#     --service-account=<service_account_email> --aws --output-file=deploy/aws/config/gcp-federation.json
# and set targets.gke.credentialsFile: config/gcp-federation.json (the output create_cred_config says it all).
# test/infra/federation.spec.ts checks the grants and the condition.

variable "federation_project_id" {
  type        = string
  description = "Project that holds the workload identity pool and kubeline's service account, e.g. acme-ops."
}

variable "aws_account_id" {
  type        = string
  description = "The AWS account kubeline's serverless stack is deployed in (12 digits)."
}

variable "aws_plan_role_name" {
  type        = string
  description = "Name of the stack's PlanRole, e.g. kubeline-prod-PlanRole-1A2B3C4D5E6F (aws cloudformation describe-stack-resource --stack-name kubeline-prod --logical-resource-id PlanRole)."
}

variable "aws_scan_shard_role_name" {
  type        = string
  description = "Name of the stack's ScanShardRole (logical id ScanShardRole), found the same way."
}

variable "workload_identity_pool_id" {
  type        = string
  description = "Id of the workload identity pool to create."
  default     = "kubeline-aws"
}

variable "kubeline_service_account_id" {
  type        = string
  description = "Account id (the part before @) of the service account kubeline impersonates."
  default     = "kubeline-scanner"
}

locals {
  # attribute.aws_role as the AWS provider maps it: the assumed-role ARN without the session name.
  kubeline_lambda_roles = [
    "arn:aws:sts::${var.aws_account_id}:assumed-role/${var.aws_plan_role_name}",
    "arn:aws:sts::${var.aws_account_id}:assumed-role/${var.aws_scan_shard_role_name}",
  ]
}

resource "google_iam_workload_identity_pool" "kubeline_aws" {
  project                   = var.federation_project_id
  workload_identity_pool_id = var.workload_identity_pool_id
  display_name              = "kubeline on AWS"
  description               = "kubeline's Lambda functions, signing in with their AWS roles."
}

resource "google_iam_workload_identity_pool_provider" "kubeline_aws" {
  project                            = var.federation_project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.kubeline_aws.workload_identity_pool_id
  workload_identity_pool_provider_id = "aws"
  display_name                       = "kubeline AWS account"
  description                        = "Only kubeline's plan and scanShard Lambda roles of one AWS account."

  aws {
    account_id = var.aws_account_id
  }

  # Google's default mapping for AWS, written out so the condition below reads against it.
  attribute_mapping = {
    "google.subject"     = "assertion.arn"
    "attribute.aws_role" = "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
  }

  # Any other role of the account, or any user, is refused at the token exchange.
  attribute_condition = "attribute.aws_role in ['${join("', '", local.kubeline_lambda_roles)}']"
}

resource "google_service_account" "kubeline" {
  project      = var.federation_project_id
  account_id   = var.kubeline_service_account_id
  display_name = "kubeline scanner (from AWS)"
  description  = "Impersonated by kubeline's Lambda functions through Workload Identity Federation; read-only."
}

# Each Lambda role may impersonate the service account, and nothing else may.
resource "google_service_account_iam_member" "kubeline_lambda_impersonation" {
  for_each           = toset(local.kubeline_lambda_roles)
  service_account_id = google_service_account.kubeline.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.kubeline_aws.name}/attribute.aws_role/${each.value}"
}

# The kubelineRead role of kubeline-read-role.tf, at the organization or the project given there.
resource "google_organization_iam_member" "kubeline_federated_read" {
  count  = var.org_id == "" ? 0 : 1
  org_id = var.org_id
  role   = google_organization_iam_custom_role.kubeline_read[0].name
  member = "serviceAccount:${google_service_account.kubeline.email}"
}

resource "google_project_iam_member" "kubeline_federated_read" {
  count   = var.project_id == "" ? 0 : 1
  project = var.project_id
  role    = google_project_iam_custom_role.kubeline_read[0].name
  member  = "serviceAccount:${google_service_account.kubeline.email}"
}

output "workload_identity_provider_name" {
  description = "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/aws: the first argument of create-cred-config."
  value       = google_iam_workload_identity_pool_provider.kubeline_aws.name
}

output "service_account_email" {
  description = "The service account kubeline impersonates (--service-account of create-cred-config)."
  value       = google_service_account.kubeline.email
}

output "create_cred_config" {
  description = "Writes the credential configuration targets.gke.credentialsFile names; it holds no secret."
  value       = "gcloud iam workload-identity-pools create-cred-config ${google_iam_workload_identity_pool_provider.kubeline_aws.name} --service-account=${google_service_account.kubeline.email} --aws --output-file=deploy/aws/config/gcp-federation.json"
}
