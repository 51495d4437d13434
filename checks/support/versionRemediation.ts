/** The control-plane upgrade commands per provider, shared by the version checks. */
const UPGRADE_CLI = {
  eks: 'aws eks update-cluster-version --name <cluster> --kubernetes-version <next-minor>',
  gke: 'gcloud container clusters upgrade <cluster> --location <location> --master --cluster-version <next-minor>',
  aks: 'az aks upgrade --resource-group <group> --name <cluster> --kubernetes-version <next-version> --control-plane-only',
} as const;

/** The providers' version calendars. */
const VERSION_LINKS = [
  'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
  'https://cloud.google.com/kubernetes-engine/docs/release-schedule',
  'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions',
] as const;

/** The control-plane upgrade commands and calendars, shared by the version checks. */
export const VERSION_REMEDIATION = { cli: UPGRADE_CLI, links: VERSION_LINKS } as const;
