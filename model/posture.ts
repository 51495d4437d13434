import type { InClusterPosture } from './inCluster.js';
import type { Observed } from './observed.js';
import type { VersionSupportWindow } from './support.js';
import type { KubernetesVersion } from './version.js';

/** The managed Kubernetes services kubeline scans. */
export const PROVIDERS = ['eks', 'gke', 'aks'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PROVIDER_NAMES: Readonly<Record<Provider, string>> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
};

/**
 * How much of the data plane the provider runs. In the managed modes node checks file a pass
 * read from the provider's pools on the provider's side; without data they stay unknown.
 */
export const CLUSTER_MODES = ['standard', 'gke-autopilot', 'eks-auto-mode', 'aks-automatic'] as const;
export type ClusterMode = (typeof CLUSTER_MODES)[number];

/** Where a posture came from. */
export type PostureOrigin =
  | { readonly kind: 'snapshot'; readonly file: string; readonly format: string }
  | { readonly kind: 'api'; readonly api: string };

/** The support plan the control plane is enrolled in. */
export type SupportPlan = 'standard' | 'extended';

/** Networks allowed to reach the public API endpoint. */
export interface AuthorizedNetworks {
  /** Whether an allow-list is enforced at all (EKS always enforces `publicAccessCidrs`). */
  readonly enforced: boolean;
  readonly cidrs: readonly string[];
  /** GKE `gcpPublicCidrsAccessEnabled`: any Google Cloud public IP may connect. */
  readonly allowsCloudPublicRanges: boolean;
}

/** Application-layer envelope encryption of Kubernetes Secrets. */
export interface SecretsEncryption {
  readonly envelope: boolean;
  /** Who holds the key: a customer KMS / Key Vault key, a provider-owned key, or no envelope at all. */
  readonly keyManagedBy: 'customer' | 'provider' | 'none';
  readonly keyId: string | null;
}

/** Export of Kubernetes audit logs off the control plane. */
export interface AuditLogExport {
  readonly exported: boolean;
  /** Provider log categories that carry audit events and are enabled (`audit`, `kube-audit`, `APISERVER`…). */
  readonly categories: readonly string[];
  /** Where they go, when the API says (`cloudwatch-logs`, `cloud-logging`, a workspace id…). */
  readonly destinations: readonly string[];
}

/** Network policy enforcement in the cluster's data plane. */
export interface NetworkPolicyEnforcement {
  readonly enforced: boolean;
  /** `calico`, `cilium`, `azure`, `dataplane-v2`, `vpc-cni`, or null when none. */
  readonly engine: string | null;
}

/** One node pool / node group / agent pool. */
export interface NodePool {
  readonly name: string;
  /** Who runs the nodes: the customer, or the provider (GKE Autopilot and AKS Automatic pools). */
  readonly managedBy: 'customer' | 'provider';
  readonly version: Observed<KubernetesVersion>;
  readonly publicIps: Observed<boolean>;
  readonly kubeletReadOnlyPort: Observed<boolean>;
  /** Who may SSH to the nodes (EKS `remoteAccess`, AKS `securityProfile.sshAccess`); GKE decides it in firewall rules. */
  readonly sshAccess: Observed<NodeSshAccess>;
  /** Nodes boot with UEFI Secure Boot (GKE shielded instances, AKS Trusted Launch). */
  readonly secureBoot: Observed<boolean>;
  /** The provider upgrades the pool's nodes on its own (GKE `management.autoUpgrade`). */
  readonly autoUpgrade: Observed<boolean>;
  /** The cloud identity the nodes run as (GKE `config.serviceAccount` and `oauthScopes`). */
  readonly serviceAccount: Observed<NodeServiceAccount>;
}

/**
 * SSH to a pool's nodes: turned off, open only to named sources (EKS `sourceSecurityGroups`), or
 * open to any address that can route to the nodes.
 */
export type NodeSshAccess = 'disabled' | 'restricted' | 'open';

/** The cloud identity a node pool runs as. */
export interface NodeServiceAccount {
  /** The account as the API names it: an email, or `default`. */
  readonly account: string;
  /** The provider's default identity (the Compute Engine default service account), shared by every workload of the project. */
  readonly providerDefault: boolean;
  /** The access scopes let the identity call every cloud API its IAM roles allow (`cloud-platform`). */
  readonly fullApiScope: boolean;
}

/** GKE `rbacBindingConfig`: bindings GKE still accepts to groups that include unauthenticated or any signed-in user. */
export interface InsecureRbacBindings {
  /** Bindings to `system:anonymous` / `system:unauthenticated` are accepted. */
  readonly unauthenticated: boolean;
  /** Bindings to `system:authenticated` (any Google account on GKE) are accepted. */
  readonly authenticated: boolean;
}

/** Facts every provider exposes, in provider-neutral terms. */
export interface ClusterPostureBase {
  /** The provider's own id: EKS ARN, GKE `projects/P/locations/L/clusters/C`, AKS resource id. */
  readonly id: string;
  readonly provider: Provider;
  /** AWS account id, GCP project id, Azure subscription id. */
  readonly scope: string;
  /** Region or zone. */
  readonly location: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly origin: PostureOrigin;
  readonly mode: Observed<ClusterMode>;
  readonly version: Observed<KubernetesVersion>;
  readonly supportPlan: Observed<SupportPlan>;
  readonly endpoint: {
    readonly publicAccess: Observed<boolean>;
    /** Nodes and in-network clients reach the API server over a private address. */
    readonly privateAccess: Observed<boolean>;
    readonly authorizedNetworks: Observed<AuthorizedNetworks>;
  };
  readonly authorization: {
    readonly rbac: Observed<boolean>;
    readonly legacyAbac: Observed<boolean>;
  };
  readonly secretsEncryption: Observed<SecretsEncryption>;
  readonly auditLogs: Observed<AuditLogExport>;
  /** Authentication (authenticator / guard) logs are exported. */
  readonly authenticatorLogs: Observed<boolean>;
  readonly networkPolicy: Observed<NetworkPolicyEnforcement>;
  readonly nodePools: Observed<readonly NodePool[]>;
  /** Days exported audit logs are kept; `null` when they never expire. */
  readonly auditLogRetentionDays: Observed<number | null>;
  /**
   * Failed API authentications raise an alert (AUD-04): a log-based metric or query over the
   * cluster's audit/authenticator logs with an alert on it, or a threat-detection service that
   * alerts on them (Defender for Containers).
   */
  readonly failedAuthAlerting: Observed<FailedAuthAlerting>;
  /** Network flows of the cluster's network are recorded (VPC flow logs, intranode visibility…). */
  readonly networkFlowLogs: Observed<boolean>;
  readonly runtimeThreatDetection: Observed<RuntimeThreatDetection>;
  /**
   * Support dates from the provider's live version API (EKS DescribeClusterVersions, GKE
   * fetchClusterUpgradeInfo, AKS listKubernetesVersions). Unknown when not read, as in a snapshot:
   * the version checks then use the bundled calendar.
   */
  readonly versionSupport: Observed<LiveVersionSupport>;
  /** Where the in-cluster pass reaches the cluster's API server, from the cluster description. */
  readonly apiServer: Observed<ApiServerAddress>;
  /**
   * What the optional in-cluster pass read through the Kubernetes API. Unknown, with the reason,
   * when the pass is off, skipped for the cluster, or could not reach or authenticate to it.
   */
  readonly inCluster: Observed<InClusterPosture>;
}

/** The API server's address and the CA that signs its certificate. */
export interface ApiServerAddress {
  /** `https://…` URL of the API server. */
  readonly url: string;
  /** Base64 PEM CA bundle; null where the description does not carry it (AKS: read from the user credential). */
  readonly caData: string | null;
}

/** What watches the cluster's logs for failed API authentications (AUD-04). */
export interface FailedAuthAlerting {
  /**
   * Alerts that fire on failed authentications, each named by how it was found:
   * `cloudwatch-alarm:<alarm>`, `monitoring-alert-policy:<name>`, `scheduled-query-rule:<name>`,
   * `defender-for-containers`. Empty when none.
   */
  readonly alerts: readonly string[];
  /**
   * Metrics or queries that match failed authentications but have no alert on them
   * (`metric-filter:<name>`, `log-metric:<name>`, `scheduled-query-rule:<name> (disabled)`), named in a fail.
   */
  readonly unalerted: readonly string[];
}

/** Runtime threat detection watching the cluster. */
export interface RuntimeThreatDetection {
  readonly enabled: boolean;
  /** What provides it: `guardduty-runtime-monitoring`, `aws-guardduty-agent`, `defender`, `gke-security-posture`… */
  readonly via: string | null;
}

/** Version support as the provider's own API states it for the cluster's location. */
export interface LiveVersionSupport {
  /** The support window of the cluster's minor version; null when the API does not list it. */
  readonly window: VersionSupportWindow | null;
  /** The newest minor version the provider offers there now (`1.34`). */
  readonly newestMinorVersion: string;
  /** The API that said so, for the report (`eks:DescribeClusterVersions`). */
  readonly source: string;
}

/** One EKS access entry and the access policies associated with it. */
export interface EksAccessEntry {
  readonly principalArn: string;
  readonly policies: readonly { readonly policyArn: string; readonly scope: 'cluster' | 'namespace' }[];
}

/** EKS `accessConfig.authenticationMode`. */
export type EksAuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';

export interface EksClusterPosture extends ClusterPostureBase {
  readonly provider: 'eks';
  readonly eks: {
    readonly authenticationMode: Observed<EksAuthenticationMode>;
    /** Names of OIDC identity provider configs associated with the cluster. */
    readonly oidcIdentityProviders: Observed<readonly string[]>;
    /** Access entries with their associated access policies (`ListAccessEntries`, `ListAssociatedAccessPolicies`). */
    readonly accessEntries: Observed<readonly EksAccessEntry[]>;
    /** `accessConfig.bootstrapClusterCreatorAdminPermissions`. */
    readonly bootstrapClusterCreatorAdmin: Observed<boolean>;
    /** Names of installed EKS add-ons (`ListAddons`). */
    readonly addons: Observed<readonly string[]>;
    /** `identity.oidc.issuer`, the issuer IAM roles for service accounts trust. */
    readonly oidcIssuer: Observed<string>;
    /**
     * An IAM OIDC identity provider exists in the account for `oidcIssuer` (IAM
     * `ListOpenIDConnectProviders`): IAM roles for service accounts can be used (IAM-01).
     */
    readonly iamOidcProvider: Observed<boolean>;
  };
}

export interface GkeClusterPosture extends ClusterPostureBase {
  readonly provider: 'gke';
  readonly gke: {
    /** Google Groups for RBAC (`authenticatorGroupsConfig.enabled`). */
    readonly googleGroupsForRbac: Observed<boolean>;
    /** GKE Identity Service (`identityServiceConfig.enabled`). */
    readonly identityService: Observed<boolean>;
    /** HTTP basic auth configured (`masterAuth.username` non-empty). */
    readonly basicAuth: Observed<boolean>;
    /** A static client certificate is or will be issued. */
    readonly clientCertificate: Observed<boolean>;
    /**
     * Default for new pools: `nodePoolDefaults.nodeConfigDefaults.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled`
     * (on Autopilot `nodePoolAutoConfig.nodeKubeletConfig` first); unset, the default of the version the cluster was created at.
     */
    readonly kubeletReadOnlyPortDefault: Observed<boolean>;
    /** `releaseChannel.channel`, `UNSPECIFIED` when not enrolled. */
    readonly releaseChannel: Observed<string>;
    /** `anonymousAuthenticationConfig.mode`: `LIMITED`, `ENABLED`, or `MODE_UNSPECIFIED` when not set. */
    readonly anonymousAuthentication: Observed<string>;
    /** `rbacBindingConfig`. */
    readonly insecureRbacBindings: Observed<InsecureRbacBindings>;
    /** `workloadIdentityConfig.workloadPool`; null when Workload Identity Federation is off. */
    readonly workloadPool: Observed<string | null>;
    /** Shielded GKE Nodes (`shieldedNodes.enabled`). */
    readonly shieldedNodes: Observed<boolean>;
    /** The deprecated Kubernetes Dashboard add-on is on (`addonsConfig.kubernetesDashboard.disabled` false). */
    readonly kubernetesDashboard: Observed<boolean>;
    /** Alpha cluster (`enableKubernetesAlpha`). */
    readonly kubernetesAlpha: Observed<boolean>;
    /**
     * The DNS-based control-plane endpoint accepts traffic from the internet
     * (`controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic`); IAM authenticates every request.
     */
    readonly dnsEndpointExternalTraffic: Observed<boolean>;
    /** `binaryAuthorization.evaluationMode`, `DISABLED` when not set. */
    readonly binaryAuthorization: Observed<string>;
    /**
     * Days the project's `_Default` log bucket keeps entries (Cloud Logging `GetBucket`
     * `retentionDays`), where Data Access audit logs of the cluster go; `auditLogRetentionDays`
     * stays the `_Required` bucket's 400 days for Admin Activity (AUD-03).
     */
    readonly defaultLogBucketRetentionDays: Observed<number>;
  };
}

export interface AksClusterPosture extends ClusterPostureBase {
  readonly provider: 'aks';
  readonly aks: {
    /** Managed Entra ID integration (`aadProfile.managed`). */
    readonly entraIdManaged: Observed<boolean>;
    /** `disableLocalAccounts`. */
    readonly localAccountsDisabled: Observed<boolean>;
    /** Entra ID groups granted cluster-admin (`aadProfile.adminGroupObjectIDs`); empty without Entra ID. */
    readonly adminGroupObjectIds: Observed<readonly string[]>;
    /** Microsoft Entra Workload ID (`securityProfile.workloadIdentity.enabled`). */
    readonly workloadIdentity: Observed<boolean>;
    /** The cluster's OIDC issuer (`oidcIssuerProfile.enabled`), which Workload ID federates with. */
    readonly oidcIssuer: Observed<boolean>;
    /** How the cluster authenticates to Azure: a managed identity, or a service principal with a secret. */
    readonly clusterIdentity: Observed<'managed-identity' | 'service-principal'>;
    /** `autoUpgradeProfile.upgradeChannel`, `none` when not set. */
    readonly upgradeChannel: Observed<string>;
    /** The Azure Policy add-on (`addonProfiles.azurepolicy.enabled`). */
    readonly azurePolicy: Observed<boolean>;
    /** The deprecated Kubernetes Dashboard add-on (`addonProfiles.kubeDashboard.enabled`). */
    readonly kubeDashboard: Observed<boolean>;
  };
}

/** One cluster, normalised: what every check reads. */
export type ClusterPosture = EksClusterPosture | GkeClusterPosture | AksClusterPosture;
