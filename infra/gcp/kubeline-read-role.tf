# kubeline read-only custom role for GKE, in Terraform. Use the organization role to scan every
# project below an organization (and to discover them), or the project role for a single project.
# The permissions are exactly those of providers/gcp/permissions.ts and kubeline-read-role.yaml;
# a test keeps the three equal.

variable "org_id" {
  type        = string
  description = "Organization id (digits) to create the role in; empty to skip."
  default     = ""
}

variable "project_id" {
  type        = string
  description = "Project id to create the role in; empty to skip."
  default     = ""
}

variable "scanner_member" {
  type        = string
  description = "The identity kubeline runs as, e.g. serviceAccount:kubeline@acme-ops.iam.gserviceaccount.com."
}

locals {
  kubeline_read_permissions = [
    "container.clusters.get",
    "container.clusters.list",
    "logging.buckets.get",
    "logging.logMetrics.list",
    "monitoring.alertPolicies.list",
    "resourcemanager.folders.list",
    "resourcemanager.projects.get",
  ]
}

resource "google_organization_iam_custom_role" "kubeline_read" {
  count       = var.org_id == "" ? 0 : 1
  org_id      = var.org_id
  role_id     = "kubelineRead"
  title       = "kubeline read"
  description = "Read-only access for kubeline to GKE cluster settings, log buckets, log-based metrics, alert policies and project discovery."
  stage       = "GA"
  permissions = local.kubeline_read_permissions
}

resource "google_organization_iam_member" "kubeline_read" {
  count  = var.org_id == "" ? 0 : 1
  org_id = var.org_id
  role   = google_organization_iam_custom_role.kubeline_read[0].name
  member = var.scanner_member
}

resource "google_project_iam_custom_role" "kubeline_read" {
  count       = var.project_id == "" ? 0 : 1
  project     = var.project_id
  role_id     = "kubelineRead"
  title       = "kubeline read"
  description = "Read-only access for kubeline to GKE cluster settings, log buckets, log-based metrics and alert policies."
  stage       = "GA"
  permissions = local.kubeline_read_permissions
}

resource "google_project_iam_member" "kubeline_read" {
  count   = var.project_id == "" ? 0 : 1
  project = var.project_id
  role    = google_project_iam_custom_role.kubeline_read[0].name
  member  = var.scanner_member
}
