import type { ComplianceRef, Framework } from '../../model/finding.js';
import type { Provider } from '../../model/posture.js';

/** How a benchmark control is covered by kubeline. */
export type ControlCoverage =
  /** Decided by the checks listed in `checks`. */
  | 'automated'
  /** Secured by the provider on a managed control plane; listed in the report, not evaluated. */
  | 'provider-managed'
  /** Needs in-cluster or node access, or human judgement; not evaluated from the cloud APIs. */
  | 'not-automated';

export interface BenchmarkControl {
  readonly control: string;
  /** The benchmark's own title, verbatim. */
  readonly title: string;
  readonly coverage: ControlCoverage;
  /** Check ids that decide this control together: the control is met when every one of them passes. */
  readonly checks: readonly string[];
  /** What a pass does not cover, or why the control sits where it does. */
  readonly note?: string;
}

export interface Benchmark {
  readonly framework: Framework;
  readonly provider: Provider;
  readonly version: string;
  readonly title: string;
  readonly controls: readonly BenchmarkControl[];
}

// Benchmark-wide items that need node access (kubelet files) or in-cluster objects no check reads
// (secrets access, pod specs) are left out. The in-cluster checks decide their items only when
// the optional in-cluster pass runs; without it they are unknown. The managed benchmarks carry no
// items for control-plane nodes or etcd: those are in providerManaged.ts.
//
// EKS 5.2.1 (dedicated service accounts) is not mapped to IAM-01: it is about Kubernetes service
// accounts in the cluster, and IAM-01 on EKS cannot pass without reading IAM anyway.
//
// 4.1.1 (cluster-admin only where required) is not mapped to RBAC-02 on EKS or AKS: the control
// is about ClusterRoleBindings inside the cluster, and a cluster can pass RBAC-02 while binding
// cluster-admin to anyone in-cluster. It belongs to RBAC-04, which reads them in-cluster.

/** CIS Amazon EKS Benchmark 1.8.0: the controls kubeline evaluates or attributes to the provider. */
/** CIS 4.1.3, worded alike in the EKS, GKE and AKS benchmarks. */
const WILDCARD_ROLES_CONTROL: BenchmarkControl = {
  control: '4.1.3',
  title: 'Minimize wildcard use in Roles and ClusterRoles',
  coverage: 'automated',
  checks: ['RBAC-06'],
  note: 'RBAC-06 judges ClusterRoles bound to non-system subjects; namespaced Roles are not read.',
};

/** CIS 4.1.1 of the EKS and GKE benchmarks (AKS notes its Entra ID admin groups). */
const CLUSTER_ADMIN_CONTROL: BenchmarkControl = {
  control: '4.1.1',
  title: 'Ensure that the cluster-admin role is only used where required',
  coverage: 'automated',
  checks: ['RBAC-04'],
  note: 'RBAC-04 reads ClusterRoleBindings; what is "required" is the allow list in checks.settings.clusterAdminAllow.',
};

export const CIS_EKS: Benchmark = {
  framework: 'cis-eks',
  provider: 'eks',
  version: '1.8.0',
  title: 'CIS Amazon EKS Benchmark',
  controls: [
    {
      control: '2.1.1',
      title: 'Enable audit Logs',
      coverage: 'automated',
      checks: ['AUD-01', 'AUD-02'],
      note: "The benchmark's procedure turns on all five control-plane log types; kubeline checks audit and authenticator, not api, controllerManager and scheduler.",
    },
    {
      control: '2.1.2',
      title: 'Ensure audit logs are collected and managed',
      coverage: 'automated',
      checks: ['AUD-03'],
      note: 'AUD-03 fails when audit logs are not exported and checks the retention of the cluster log group; the process aspects (who reviews the logs, alerting, access to them) stay a manual review.',
    },
    {
      control: '3.2.1',
      title: 'Ensure that the Anonymous Auth is Not Enabled',
      coverage: 'automated',
      checks: ['KUBELET-02'],
      note: 'KUBELET-02 also requires Webhook authorization (3.2.2); it reads the kubelets the in-cluster pass samples, a few per node group.',
    },
    {
      control: '3.2.2',
      title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow',
      coverage: 'automated',
      checks: ['KUBELET-02'],
      note: 'KUBELET-02 requires the mode Webhook and also anonymous authentication off (3.2.1).',
    },
    {
      control: '3.2.4',
      title: 'Ensure that the --read-only-port is disabled',
      coverage: 'automated',
      checks: ['KUBELET-01'],
      note: "EKS exposes no kubelet configuration through its API: KUBELET-01 reads each sampled node's configz in-cluster, and is unknown without the in-cluster pass.",
    },
    CLUSTER_ADMIN_CONTROL,
    WILDCARD_ROLES_CONTROL,
    {
      control: '4.1.7',
      title:
        'Cluster Access Manager API to streamline and enhance the management of access controls within EKS clusters',
      coverage: 'automated',
      checks: ['AUTH-03'],
    },
    {
      control: '4.3.1',
      title: 'Ensure CNI plugin supports network policies',
      coverage: 'automated',
      checks: ['NET-01'],
    },
    {
      control: '4.3.2',
      title: 'Ensure that all Namespaces have Network Policies defined',
      coverage: 'automated',
      checks: ['NET-02'],
      note: 'NET-02 leaves out the kube-* namespaces and amazon-guardduty, which the system and AWS run.',
    },
    {
      control: '5.3.1',
      title: 'Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS',
      coverage: 'automated',
      checks: ['ENC-02'],
      note: 'Only a customer-managed KMS key meets this control; the default AWS-owned key of EKS 1.28 and later passes ENC-01, not ENC-02.',
    },
    {
      control: '5.4.1',
      title: 'Restrict Access to the Control Plane Endpoint',
      coverage: 'automated',
      checks: ['EP-02'],
      note: 'EP-02 is not applicable when the public endpoint is off, which also meets this control.',
    },
    {
      control: '5.4.2',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01', 'EP-03'],
    },
    {
      control: '5.4.3',
      title: 'Ensure clusters are created with Private Nodes',
      coverage: 'automated',
      checks: ['NODE-01'],
    },
    {
      control: '5.5.1',
      title:
        'Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater',
      coverage: 'automated',
      checks: ['AUTH-01'],
      note: 'Decided from the authentication mode and identity provider configs; the aws-auth ConfigMap contents need in-cluster access.',
    },
  ],
};

/** CIS Google Kubernetes Engine (GKE) Benchmark 1.9.0. */
export const CIS_GKE: Benchmark = {
  framework: 'cis-gke',
  provider: 'gke',
  version: '1.9.0',
  title: 'CIS Google Kubernetes Engine (GKE) Benchmark',
  // 5.8.2 (Google Groups for RBAC) is not mapped: AUTH-01 passes on GKE whether Groups is on or
  // not, so it cannot decide the control. 5.5.4 (release channels) belongs to VER-05, not to the
  // version checks: lagging behind is not the same as not being enrolled. 5.1.1 (image
  // vulnerability scanning) is not mapped to RUN-01 although both read securityPostureConfig:
  // scanning is its vulnerabilityMode, which RUN-01 does not read. 5.5.2 (node auto-repair) and
  // 5.5.6 (integrity monitoring) are not mapped: VER-05 reads auto-upgrade, not auto-repair, and
  // NODE-04 reads Secure Boot, not integrity monitoring.
  controls: [
    CLUSTER_ADMIN_CONTROL,
    WILDCARD_ROLES_CONTROL,
    {
      control: '4.1.8',
      title: 'Avoid bindings to system:anonymous',
      coverage: 'automated',
      checks: ['RBAC-03'],
      note: 'RBAC-03 reads rbacBindingConfig, which makes GKE reject new bindings, and the bindings themselves in-cluster; without the in-cluster pass it cannot pass.',
    },
    {
      control: '4.1.9',
      title: 'Avoid non-default bindings to system:unauthenticated',
      coverage: 'automated',
      checks: ['RBAC-03'],
      note: 'As 4.1.8: new bindings are rejected, existing ones are read in-cluster; the default system:public-info-viewer binding is allowed.',
    },
    {
      control: '4.1.10',
      title: 'Avoid non-default bindings to system:authenticated',
      coverage: 'automated',
      checks: ['RBAC-03'],
      note: 'RBAC-03 on GKE also requires enableInsecureBindingSystemAuthenticated to be false; the default system:basic-user, system:discovery and system:public-info-viewer bindings are allowed.',
    },
    {
      control: '4.2.1',
      title:
        'Ensure that the cluster enforces Pod Security Standard Baseline profile or stricter for all namespaces.',
      coverage: 'automated',
      checks: ['POD-01'],
      note: 'POD-01 reads the enforce label of workload namespaces; the kube-* and GKE-managed namespaces are left out.',
    },
    {
      control: '4.3.1',
      title: 'Ensure that the CNI in use supports Network Policies',
      coverage: 'automated',
      checks: ['NET-01'],
    },
    {
      control: '4.3.2',
      title: 'Ensure that all Namespaces have Network Policies defined',
      coverage: 'automated',
      checks: ['NET-02'],
      note: 'NET-02 leaves out the kube-*, gke-managed-*, gmp-system and gmp-public namespaces, which the system and GKE run.',
    },
    {
      control: '5.1.4',
      title: 'Ensure only trusted container images are used',
      coverage: 'automated',
      checks: ['RUN-02'],
      note: 'RUN-02 checks that Binary Authorization enforces the project policy; what the policy allows is Binary Authorization data, not read.',
    },
    {
      control: '5.2.1',
      title: 'Ensure GKE clusters are not running using the Compute Engine default service account',
      coverage: 'automated',
      checks: ['IAM-02'],
    },
    {
      control: '5.2.2',
      title: 'Prefer using dedicated GCP Service Accounts and Workload Identity',
      coverage: 'automated',
      checks: ['IAM-01', 'IAM-02'],
    },
    {
      control: '5.3.1',
      title: 'Ensure Kubernetes Secrets are encrypted using keys managed in Cloud KMS',
      coverage: 'automated',
      checks: ['ENC-01', 'ENC-02'],
    },
    {
      control: '5.5.3',
      title: 'Ensure Node Auto-Upgrade is enabled for GKE nodes',
      coverage: 'automated',
      checks: ['VER-05'],
      note: 'VER-05 also fails on a cluster without a release channel, which this control does not ask for.',
    },
    {
      control: '5.5.4',
      title: 'When creating New Clusters - Automate GKE version management using Release Channels',
      coverage: 'automated',
      checks: ['VER-05'],
      note: 'VER-05 also fails on a node pool without auto-upgrade, which this control does not ask for.',
    },
    {
      control: '5.5.5',
      title: 'Ensure Shielded GKE Nodes are Enabled',
      coverage: 'automated',
      checks: ['NODE-04'],
      note: 'NODE-04 also fails on a pool without Secure Boot (5.5.7).',
    },
    {
      control: '5.5.7',
      title: 'Ensure Secure Boot for Shielded GKE Nodes is Enabled',
      coverage: 'automated',
      checks: ['NODE-04'],
      note: 'NODE-04 also fails when Shielded GKE Nodes is off (5.5.5).',
    },
    {
      control: '5.6.1',
      title: 'Enable VPC Flow Logs and Intranode Visibility',
      coverage: 'automated',
      checks: ['NET-03'],
      note: 'NET-03 reads the cluster side only: VPC flow logs on the subnet are a Compute Engine setting kubeline does not read, and NET-03 also passes on Advanced Datapath Observability metrics, which the benchmark does not name.',
    },
    {
      control: '5.6.3',
      title: 'Ensure Control Plane Authorized Networks is Enabled',
      coverage: 'automated',
      checks: ['EP-02'],
      note: 'EP-02 is not applicable without a public endpoint; the benchmark also recommends authorized networks on private clusters, which kubeline does not check.',
    },
    {
      control: '5.6.4',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01', 'EP-03'],
    },
    {
      control: '5.6.5',
      title: 'Ensure clusters are created with Private Nodes',
      coverage: 'automated',
      checks: ['NODE-01'],
    },
    {
      control: '5.7.1',
      title: 'Ensure Logging and Cloud Monitoring is Enabled',
      coverage: 'automated',
      checks: ['AUD-01'],
      note: 'AUD-01 checks that Cloud Logging is on; Cloud Monitoring is not checked.',
    },
    {
      control: '5.8.1',
      title: 'Ensure authentication using Client Certificates is Disabled',
      coverage: 'automated',
      checks: ['AUTH-02'],
    },
    {
      control: '5.8.3',
      title: 'Ensure Legacy Authorization (ABAC) is Disabled',
      coverage: 'automated',
      checks: ['RBAC-01'],
    },
    {
      control: '5.10.1',
      title: 'Ensure Kubernetes Web UI is Disabled',
      coverage: 'automated',
      checks: ['HYG-01'],
      note: 'GKE removed the Kubernetes Dashboard add-on in 1.15, but clusters still carry addonsConfig.kubernetesDashboard: HYG-01 reads it, and also fails on alpha clusters (5.10.2).',
    },
    {
      control: '5.10.2',
      title: 'Ensure that Alpha clusters are not used for production workloads',
      coverage: 'automated',
      checks: ['HYG-01'],
      note: 'HYG-01 fails on every alpha cluster, production or not, and also on the Dashboard add-on (5.10.1).',
    },
    {
      control: '5.10.4',
      title: 'Enable Security Posture',
      coverage: 'automated',
      checks: ['RUN-01'],
      note: 'RUN-01 passes on GKE exactly when securityPostureConfig.mode is BASIC or ENTERPRISE, which is this control; Container Threat Detection in Security Command Center is not part of it.',
    },
  ],
};

/** CIS Azure Kubernetes Service (AKS) Benchmark 1.8.0. */
export const CIS_AKS: Benchmark = {
  framework: 'cis-aks',
  provider: 'aks',
  version: '1.8.0',
  title: 'CIS Azure Kubernetes Service (AKS) Benchmark',
  // 5.5.2 (Azure RBAC for Kubernetes authorization) is not mapped: RBAC-01 checks Kubernetes RBAC
  // (`enableRBAC`), not `aadProfile.enableAzureRBAC`. 5.1.1 (image vulnerability scanning with
  // Defender) is not mapped to RUN-01: the Defender sensor it reads detects threats at run time,
  // while image scanning is the Defender for Containers plan's registry scanning, which the managed
  // cluster resource does not show. 5.1.4 (approved registries) is not mapped to RUN-02: RUN-02 sees
  // that the Azure Policy add-on runs, not which policy assignments restrict registries. 5.2.1
  // (dedicated service accounts) is about Kubernetes service accounts in the cluster, not IAM-01's
  // workload identity switches.
  controls: [
    {
      control: '2.1.1',
      title: 'Enable audit Logs',
      coverage: 'automated',
      checks: ['AUD-01'],
    },
    {
      control: '3.2.1',
      title: 'Ensure that the --anonymous-auth argument is set to false',
      coverage: 'automated',
      checks: ['KUBELET-02'],
      note: 'KUBELET-02 also requires Webhook authorization (3.2.2); it reads the kubelets the in-cluster pass samples, a few per agent pool.',
    },
    {
      control: '3.2.2',
      title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow',
      coverage: 'automated',
      checks: ['KUBELET-02'],
      note: 'KUBELET-02 requires the mode Webhook and also anonymous authentication off (3.2.1).',
    },
    {
      control: '3.2.4',
      title: 'Ensure that the --read-only-port is secured',
      coverage: 'automated',
      checks: ['KUBELET-01'],
      note: "AKS exposes no kubelet configuration through its API: KUBELET-01 reads each sampled node's configz in-cluster, and is unknown without the in-cluster pass.",
    },
    {
      control: '4.1.1',
      title: 'Ensure that the cluster-admin role is only used where required',
      coverage: 'automated',
      checks: ['RBAC-04'],
      note: 'RBAC-04 reads ClusterRoleBindings and allows the Entra ID admin groups (aadProfile.adminGroupObjectIDs, counted by RBAC-02) and checks.settings.clusterAdminAllow.',
    },
    WILDCARD_ROLES_CONTROL,
    {
      control: '4.4.1',
      title: 'Ensure latest CNI version is used',
      coverage: 'provider-managed',
      checks: [],
      note: 'AKS ships and upgrades Azure CNI and kubenet with the cluster and node image versions; a cluster that brings its own CNI (network plugin none) owns this itself.',
    },
    {
      control: '4.4.2',
      title: 'Ensure that all Namespaces have Network Policies defined',
      coverage: 'automated',
      checks: ['NET-02'],
      note: 'NET-02 leaves out the kube-*, aks-command, calico-system and tigera-operator namespaces, which the system and AKS run.',
    },
    {
      control: '5.3.1',
      title: 'Ensure Kubernetes Secrets are encrypted',
      coverage: 'automated',
      checks: ['ENC-01'],
    },
    {
      control: '5.4.1',
      title: 'Restrict Access to the Control Plane Endpoint',
      coverage: 'automated',
      checks: ['EP-02'],
      note: 'EP-02 is not applicable to a private cluster, which also meets this control.',
    },
    {
      control: '5.4.2',
      title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
      coverage: 'automated',
      checks: ['EP-01', 'EP-03'],
    },
    {
      control: '5.4.3',
      title: 'Ensure clusters are created with Private Nodes',
      coverage: 'automated',
      checks: ['NODE-01'],
    },
    {
      control: '5.4.4',
      title: 'Ensure Network Policy is Enabled and set as appropriate',
      coverage: 'automated',
      checks: ['NET-01'],
      note: 'NET-01 checks that a network policy engine is on; whether the policies are appropriate needs in-cluster review.',
    },
    {
      control: '5.5.1',
      title: 'Manage Kubernetes RBAC users with Azure AD',
      coverage: 'automated',
      checks: ['AUTH-01'],
    },
  ],
};

export const BENCHMARKS: readonly Benchmark[] = [CIS_EKS, CIS_GKE, CIS_AKS];

/** The benchmark controls a check satisfies on one provider, from the data above. */
export function complianceFor(checkId: string, provider: Provider): ComplianceRef[] {
  return BENCHMARKS.filter((benchmark) => benchmark.provider === provider).flatMap((benchmark) =>
    benchmark.controls
      .filter((control) => control.checks.includes(checkId))
      .map((control) => ({
        framework: benchmark.framework,
        version: benchmark.version,
        control: control.control,
      })),
  );
}
