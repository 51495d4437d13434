import type { Provider } from '../../model/posture.js';

/** The controls every managed provider secures on its side of the line, by topic. */
export const PROVIDER_MANAGED_TOPICS = [
  'control-plane-patching',
  'etcd-encryption-at-rest',
  'control-plane-isolation-and-ha',
  'api-server-flags',
  'etcd-backups',
] as const;
export type ProviderManagedTopic = (typeof PROVIDER_MANAGED_TOPICS)[number];

/** A control the provider secures and the customer cannot change: listed in the report, never evaluated. */
export interface ProviderManagedControl {
  readonly topic: ProviderManagedTopic;
  readonly title: string;
  /** What the provider does, in one or two sentences an auditor can check against the reference. */
  readonly description: string;
  /** The provider's page that states it. */
  readonly reference: string;
}

/** Each provider's shared-responsibility page: where the line between provider and customer is drawn. */
export const SHARED_RESPONSIBILITY_PAGES: Readonly<Record<Provider, string>> = {
  eks: 'https://docs.aws.amazon.com/eks/latest/best-practices/security.html',
  gke: 'https://cloud.google.com/kubernetes-engine/docs/concepts/shared-responsibility',
  aks: 'https://learn.microsoft.com/azure/aks/support-policies',
};

const EKS_CONTROLS: readonly ProviderManagedControl[] = [
  {
    topic: 'control-plane-patching',
    title: 'Control-plane components are patched by AWS',
    description:
      'AWS applies Kubernetes patch releases and EKS platform versions to the API server, controller manager, scheduler and etcd; the customer chooses only when to move to a new minor version.',
    reference: 'https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html',
  },
  {
    topic: 'etcd-encryption-at-rest',
    title: 'etcd storage is encrypted at rest',
    description:
      'The EBS volumes behind etcd are encrypted by AWS, and on Kubernetes 1.28 and later all Kubernetes API data is envelope-encrypted with an AWS-owned key by default.',
    reference: 'https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html',
  },
  {
    topic: 'control-plane-isolation-and-ha',
    title: 'The control plane is single-tenant and spread across Availability Zones',
    description:
      'Each cluster gets its own control plane in an AWS-managed account, with API server and etcd instances across three Availability Zones, replaced automatically when unhealthy.',
    reference: 'https://docs.aws.amazon.com/eks/latest/userguide/disaster-recovery-resiliency.html',
  },
  {
    topic: 'api-server-flags',
    title: 'API server flags are set by AWS',
    description:
      'Anonymous authentication, TLS settings, admission plugins and authorization modes of the API server are configured by EKS and cannot be changed by the customer.',
    reference: 'https://docs.aws.amazon.com/eks/latest/userguide/security.html',
  },
  {
    topic: 'etcd-backups',
    title: 'etcd is backed up by AWS',
    description:
      'AWS operates, backs up and restores the etcd database; the customer has no access to it and backs up workloads and their data separately.',
    reference: SHARED_RESPONSIBILITY_PAGES.eks,
  },
];

const GKE_CONTROLS: readonly ProviderManagedControl[] = [
  {
    topic: 'control-plane-patching',
    title: 'Control-plane components are patched by Google',
    description:
      'Google upgrades and patches the control plane automatically, within the maintenance windows and exclusions the customer sets.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-upgrades',
  },
  {
    topic: 'etcd-encryption-at-rest',
    title: 'Control-plane storage is encrypted at rest',
    description:
      'Google encrypts the storage of etcd and the control-plane disks at rest by default; application-layer Secrets encryption with a Cloud KMS key is the customer choice checked by ENC-01 and ENC-02.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/concepts/control-plane-security',
  },
  {
    topic: 'control-plane-isolation-and-ha',
    title: 'The control plane runs in a Google-managed project, replicated in regional clusters',
    description:
      "Each cluster's control plane runs on Google-managed VMs in a Google-owned project; regional clusters replicate it across three zones.",
    reference: 'https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-architecture',
  },
  {
    topic: 'api-server-flags',
    title: 'API server flags are set by Google',
    description:
      'Google sets the API server flags (anonymous authentication, TLS, admission plugins, authorization modes); the customer reaches only the options GKE exposes as cluster settings.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/concepts/control-plane-security',
  },
  {
    topic: 'etcd-backups',
    title: 'etcd is backed up by Google',
    description:
      'Google operates and backs up the cluster state store; the customer backs up workloads and volumes separately, for example with Backup for GKE.',
    reference: SHARED_RESPONSIBILITY_PAGES.gke,
  },
];

const AKS_CONTROLS: readonly ProviderManagedControl[] = [
  {
    topic: 'control-plane-patching',
    title: 'Control-plane components are patched by Microsoft',
    description:
      'Microsoft applies security patches to the managed control plane; the customer chooses when to upgrade the Kubernetes version and node images.',
    reference: SHARED_RESPONSIBILITY_PAGES.aks,
  },
  {
    topic: 'etcd-encryption-at-rest',
    title: 'etcd storage is encrypted at rest',
    description:
      'Microsoft encrypts the etcd store at rest with platform-managed keys; Key Vault KMS envelope encryption of Secrets is the customer choice checked by ENC-01 and ENC-02.',
    reference: 'https://learn.microsoft.com/azure/aks/concepts-security',
  },
  {
    topic: 'control-plane-isolation-and-ha',
    title: 'The control plane is managed and isolated by Microsoft',
    description:
      'The control plane runs in a Microsoft-managed subscription, separate from the customer nodes; the Standard tier adds an uptime SLA and zone redundancy.',
    reference: 'https://learn.microsoft.com/azure/aks/core-aks-concepts',
  },
  {
    topic: 'api-server-flags',
    title: 'API server flags are set by Microsoft',
    description:
      'The API server configuration (anonymous authentication, TLS, admission plugins) is managed by AKS and cannot be changed by the customer.',
    reference: 'https://learn.microsoft.com/azure/aks/concepts-security',
  },
  {
    topic: 'etcd-backups',
    title: 'etcd is backed up by Microsoft',
    description:
      'Microsoft operates and backs up etcd for the managed control plane; the customer backs up workloads and volumes separately, for example with Azure Backup for AKS.',
    reference: SHARED_RESPONSIBILITY_PAGES.aks,
  },
];

/** Per provider, the controls the provider secures on a managed control plane. */
export const PROVIDER_MANAGED_CONTROLS: Readonly<Record<Provider, readonly ProviderManagedControl[]>> = {
  eks: EKS_CONTROLS,
  gke: GKE_CONTROLS,
  aks: AKS_CONTROLS,
};
