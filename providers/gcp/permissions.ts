/**
 * Every Google Cloud API method kubeline calls, with the IAM permission Google's reference
 * requires for it. infra/gcp/ grants exactly these permissions (a test compares them), so the
 * custom role stays read-only and least-privilege as the collector changes.
 */

/** The operations kubeline calls, as its call ledger names them, and the permission each needs. */
export const GCP_OPERATION_PERMISSIONS = {
  'container:ListClusters': 'container.clusters.list',
  'container:FetchClusterUpgradeInfo': 'container.clusters.get',
  // The v1 reference for projects.locations.getServerConfig names no IAM permission: any caller
  // authorised for the Kubernetes Engine API in the project may read the version lists.
  'container:GetServerConfig': null,
  // searchProjects returns only projects the caller holds resourcemanager.projects.get on.
  'cloudresourcemanager:SearchProjects': 'resourcemanager.projects.get',
  'cloudresourcemanager:ListFolders': 'resourcemanager.folders.list',
  'logging:GetBucket': 'logging.buckets.get',
  'logging:ListLogMetrics': 'logging.logMetrics.list',
  'monitoring:ListAlertPolicies': 'monitoring.alertPolicies.list',
} as const satisfies Readonly<Record<string, string | null>>;

export type GcpOperation = keyof typeof GCP_OPERATION_PERMISSIONS;

/**
 * Needed in every scanned project (grant on the project, a folder or the organization): the
 * clusters, and the project's `_Default` log bucket, log-based metrics and alert policies (AUD-03,
 * AUD-04).
 */
export const GKE_READ_PERMISSIONS = [
  'container.clusters.get',
  'container.clusters.list',
  'logging.buckets.get',
  'logging.logMetrics.list',
  'monitoring.alertPolicies.list',
] as const;

/** Needed only to discover projects under `targets.gke.organization` / `folder` (grant there). */
export const GCP_DISCOVERY_PERMISSIONS = [
  'resourcemanager.folders.list',
  'resourcemanager.projects.get',
] as const;

/** Every permission the custom role `kubeline-read` grants, sorted. */
export const GCP_READ_PERMISSIONS = [...GKE_READ_PERMISSIONS, ...GCP_DISCOVERY_PERMISSIONS].sort();
