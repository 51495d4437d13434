import type { Observed, SourceField } from '../../model/observed.js';
import { isUnknown, known, sourcesOf, unknown } from '../../model/observed.js';
import type {
  AksClusterPosture,
  ApiServerAddress,
  AuditLogExport,
  AuthorizedNetworks,
  ClusterMode,
  NetworkPolicyEnforcement,
  NodePool,
  NodeSshAccess,
  PostureOrigin,
  RuntimeThreatDetection,
  SecretsEncryption,
  SupportPlan,
} from '../../model/posture.js';
import type { KubernetesVersion } from '../../model/version.js';
import type { Collected } from '../collected.js';
import { NormaliseError, originSource } from '../errors.js';
import { IN_CLUSTER_OFF, observeApiServer } from '../kubernetes/normalise.js';
import {
  booleanOr,
  child,
  descend,
  describeValue,
  element,
  isAbsent,
  isRawObject,
  lookup,
  nonEmptyString,
  observeVersion,
  quoted,
  type RawNode,
  type Read,
  readArray,
  readBoolean,
  readString,
  readStringArray,
  requiredBoolean,
  rootNode,
  sourceOf,
  stringMap,
} from '../reader.js';
import type { AksAuditTable } from './alertQuery.js';
import { auditLogRetention, failedAuthAlerting } from './auditMonitoring.js';
import { aksVersionSupport } from './versionSupport.js';

/** What was collected for one AKS cluster. */
export interface AksCollected {
  /** A managed cluster: flattened (SDK, `az aks show`) or ARM wire JSON with a `properties` envelope. */
  readonly managedCluster: unknown;
  /** Diagnostic settings on the cluster resource (Azure Monitor), when read. */
  readonly diagnosticSettings: Collected<readonly unknown[]>;
  /** managedClusters listKubernetesVersions of the cluster's location; absent in a snapshot. */
  readonly kubernetesVersions?: Collected<unknown>;
  /**
   * agentPools.list, made only when the cluster's own copy of its pools lacks what the checks
   * read; when it failed, the pools are unknown with its reason. Its result, when read, is
   * already merged into `managedCluster`.
   */
  readonly agentPools?: Collected<readonly unknown[]>;
  /**
   * The Log Analytics workspaces the diagnostic settings send audit logs to, each read once per
   * run; absent in a snapshot and when the settings could not be read.
   */
  readonly logAnalytics?: readonly LogAnalyticsReading[];
  /** Defender for Cloud's `Containers` plan (pricings get) of the cluster's subscription; absent in a snapshot. */
  readonly defenderForContainers?: Collected<unknown>;
  /**
   * Scheduled query rules listed in the cluster's subscription and in the subscriptions of its
   * audit workspaces; absent in a snapshot.
   */
  readonly scheduledQueryRules?: readonly ScheduledQueryRuleList[];
}

/** What Log Analytics answered about one workspace that receives a cluster's audit logs. */
export interface LogAnalyticsReading {
  /** The workspace's resource id, as the diagnostic setting names it. */
  readonly workspaceId: string;
  /** workspaces get: `retentionInDays`, the default of its tables. */
  readonly workspace: Collected<unknown>;
  /** tables get of each audit table the cluster's logs land in, by table name. */
  readonly tables: Readonly<Partial<Record<AksAuditTable, Collected<unknown>>>>;
}

/** The scheduled query rules of one subscription (listBySubscription, every page). */
export interface ScheduledQueryRuleList {
  readonly subscriptionId: string;
  readonly rules: Collected<readonly unknown[]>;
}

/** The parts of a managed cluster resource id. */
export interface AksResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
}

// ARM ids are case-insensitive; `az` prints `resourcegroups` in lower case for some API versions.
const RESOURCE_ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;

const WORKSPACE_ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.operationalinsights\/workspaces\/([^/]+)$/i;

/** The parts of a Log Analytics workspace resource id; undefined for any other resource. */
export function parseWorkspaceId(
  id: string,
):
  | { readonly subscriptionId: string; readonly resourceGroup: string; readonly workspaceName: string }
  | undefined {
  const match = WORKSPACE_ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, subscriptionId = '', resourceGroup = '', workspaceName = ''] = match;
  return { subscriptionId, resourceGroup, workspaceName };
}

/** Parses a managed cluster resource id; undefined for any other resource. */
export function parseAksResourceId(id: string): AksResourceId | undefined {
  const match = RESOURCE_ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, subscriptionId = '', resourceGroup = '', clusterName = ''] = match;
  return { subscriptionId, resourceGroup, clusterName };
}

const NETWORK_POLICY_ENGINES = ['azure', 'calico', 'cilium'];

const AUDIT_CATEGORIES = ['kube-audit', 'kube-audit-admin'];
const AUDIT_CATEGORY_GROUPS = ['audit', 'alllogs'];
const AUTHENTICATOR_CATEGORIES = ['guard'];
const AUTHENTICATOR_CATEGORY_GROUPS = ['alllogs'];
/** The places a diagnostic setting can send logs; one of them must be set for logs to leave the cluster. */
const DESTINATION_FIELDS = [
  'workspaceId',
  'storageAccountId',
  'eventHubAuthorizationRuleId',
  'marketplacePartnerId',
] as const;
/** A field of a diagnostic setting that names a destination. */
export type DestinationField = (typeof DESTINATION_FIELDS)[number];

/** Maps a raw AKS managed cluster to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseAks(collected: AksCollected, origin: PostureOrigin): AksClusterPosture {
  const root = rootNode(collected.managedCluster, '');
  const source = originSource(origin);
  if (!isRawObject(root.value)) {
    throw new NormaliseError('AKS managed cluster is not an object', { provider: 'aks', source });
  }
  const name = nonEmptyString(readString(child(root, 'name')));
  if (name === undefined) {
    throw new NormaliseError('AKS managed cluster has no name', { provider: 'aks', source });
  }
  const id = nonEmptyString(readString(child(root, 'id')));
  const parsedId = id === undefined ? undefined : parseAksResourceId(id);
  if (id === undefined || parsedId === undefined) {
    throw new NormaliseError(`AKS managed cluster ${quoted(name)} has no managed cluster resource id`, {
      provider: 'aks',
      source,
      cluster: name,
    });
  }
  // ARM wire JSON nests settings under `properties`; the SDKs and `az` flatten them. Evidence always
  // names the ARM path, which is what the REST reference and Resource Graph show.
  const props: RawNode = isRawObject(lookup(root.value, 'properties'))
    ? child(root, 'properties')
    : { value: root.value, path: 'properties' };

  const mode = clusterMode(root);
  const accessProfile = child(props, 'apiServerAccessProfile');
  const currentVersion = child(props, 'currentKubernetesVersion');
  const version = observeVersion(
    isAbsent(currentVersion.value) ? child(props, 'kubernetesVersion') : currentVersion,
    'properties.currentKubernetesVersion and properties.kubernetesVersion absent from the managed cluster',
  );

  return {
    id,
    provider: 'aks',
    scope: parsedId.subscriptionId,
    // Every ARM resource has a location; an export that lost it still identifies the cluster by id.
    location: nonEmptyString(readString(child(root, 'location'))) ?? '',
    name,
    tags: stringMap(lookup(root.value, 'tags')),
    origin,
    mode,
    version,
    supportPlan: supportPlan(props),
    endpoint: {
      // No apiServerAccessProfile is the API default: a public endpoint with no allow-list.
      publicAccess: negate(booleanOr(readBoolean(child(accessProfile, 'enablePrivateCluster')), false)),
      privateAccess: privateAccess(accessProfile),
      authorizedNetworks: authorizedNetworks(accessProfile),
    },
    authorization: {
      rbac: requiredBoolean(
        readBoolean(child(props, 'enableRBAC')),
        'properties.enableRBAC absent from the managed cluster',
      ),
      // AKS has no ABAC authorizer.
      legacyAbac: known(false),
    },
    secretsEncryption: secretsEncryption(props),
    auditLogs: auditLogs(collected.diagnosticSettings),
    authenticatorLogs: authenticatorLogs(collected.diagnosticSettings),
    networkPolicy: networkPolicy(props),
    nodePools: nodePools(props, mode, collected.agentPools),
    auditLogRetentionDays: auditLogRetentionDays(collected),
    failedAuthAlerting: failedAuthAlerting(collected, { id, ...parsedId }, auditWorkspaces(collected)),
    // Advanced Container Networking Services observability (flow logs and metrics) is opt-in: absent is off.
    networkFlowLogs: booleanOr(
      readBoolean(descend(props, 'networkProfile', 'advancedNetworking', 'observability', 'enabled')),
      false,
    ),
    runtimeThreatDetection: runtimeThreatDetection(props),
    versionSupport: aksVersionSupport(collected),
    apiServer: apiServer(props, accessProfile),
    inCluster: unknown(IN_CLUSTER_OFF),
    aks: {
      // No aadProfile means the cluster authenticates with its own certificates, not Entra ID.
      entraIdManaged: booleanOr(readBoolean(descend(props, 'aadProfile', 'managed')), false),
      localAccountsDisabled: booleanOr(readBoolean(child(props, 'disableLocalAccounts')), false),
      adminGroupObjectIds: adminGroupObjectIds(props),
      // Workload ID, the OIDC issuer and both add-ons are opt-in: ARM omits them when off.
      workloadIdentity: booleanOr(
        readBoolean(descend(props, 'securityProfile', 'workloadIdentity', 'enabled')),
        false,
      ),
      oidcIssuer: booleanOr(readBoolean(descend(props, 'oidcIssuerProfile', 'enabled')), false),
      clusterIdentity: clusterIdentity(root, props),
      upgradeChannel: upgradeChannel(props),
      azurePolicy: booleanOr(readBoolean(descend(props, 'addonProfiles', 'azurepolicy', 'enabled')), false),
      kubeDashboard: kubeDashboard(props, version),
    },
  };
}

/**
 * A private cluster's API server is reached at `privateFQDN`; the CA is not in the managed cluster
 * resource: the collector reads it from the user credential (listClusterUserCredential).
 */
function apiServer(props: RawNode, accessProfile: RawNode): Observed<ApiServerAddress> {
  const privateCluster = readBoolean(child(accessProfile, 'enablePrivateCluster'));
  if (privateCluster.kind === 'invalid') return unknown(privateCluster.reason, privateCluster.source);
  const field = privateCluster.kind === 'value' && privateCluster.value ? 'privateFQDN' : 'fqdn';
  return observeApiServer(
    readString(child(props, field)),
    `properties.${field} absent from the managed cluster`,
  );
}

/**
 * An absent kubeDashboard entry means the default of the version the cluster was created at: AKS
 * turned the add-on on for clusters created before Kubernetes 1.18, off from 1.18, and removed it
 * in 1.19 (https://learn.microsoft.com/azure/aks/kubernetes-dashboard; the Azure CLI reads a
 * missing entry as 1.19 or later: https://github.com/Azure/azure-cli/pull/15267). The API gives the
 * current version only, which bounds the creation version from above.
 */
function kubeDashboard(props: RawNode, version: Observed<KubernetesVersion>): Observed<boolean> {
  const read = readBoolean(descend(props, 'addonProfiles', 'kubeDashboard', 'enabled'));
  if (read.kind === 'value') return known(read.value, read.source);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  if (isUnknown(version)) {
    return unknown(
      `properties.addonProfiles has no kubeDashboard entry, which means the default of the cluster version, and the version could not be read: ${version.unknown}`,
      read.source,
      ...sourcesOf(version),
    );
  }
  const sources = [read.source, ...version.from];
  if (atLeast(version.value, DASHBOARD_REMOVED_IN)) return known(false, ...sources);
  if (!atLeast(version.value, DASHBOARD_OFF_BY_DEFAULT_FROM)) return known(true, ...sources);
  return unknown(
    'properties.addonProfiles has no kubeDashboard entry, which means the default of the version the cluster was created at: on for clusters created before Kubernetes 1.18, off from 1.18; the API does not say which',
    ...sources,
  );
}

const DASHBOARD_OFF_BY_DEFAULT_FROM = { major: 1, minor: 18 };
const DASHBOARD_REMOVED_IN = { major: 1, minor: 19 };

function atLeast(version: KubernetesVersion, floor: { major: number; minor: number }): boolean {
  return version.major > floor.major || (version.major === floor.major && version.minor >= floor.minor);
}

const MANAGED_IDENTITY_TYPES = ['systemassigned', 'userassigned'];

/**
 * A managed identity shows as `identity.type`; a cluster on a service principal has no identity and
 * a real client id in `servicePrincipalProfile`, where managed-identity clusters put `msi`.
 */
function clusterIdentity(root: RawNode, props: RawNode): Observed<'managed-identity' | 'service-principal'> {
  const type = readString(descend(root, 'identity', 'type'));
  const clientId = readString(descend(props, 'servicePrincipalProfile', 'clientId'));
  if (type.kind === 'invalid') return unknown(type.reason, type.source);
  if (type.kind === 'value' && MANAGED_IDENTITY_TYPES.includes(type.value.toLowerCase())) {
    return known('managed-identity', type.source);
  }
  if (clientId.kind === 'invalid') return unknown(clientId.reason, type.source, clientId.source);
  const id = nonEmptyString(clientId);
  if (id === undefined) {
    return unknown(
      'neither identity.type nor properties.servicePrincipalProfile.clientId says how the cluster authenticates to Azure',
      type.source,
      clientId.source,
    );
  }
  return known(id.toLowerCase() === 'msi' ? 'managed-identity' : 'service-principal', type.source, {
    path: clientId.source.path,
    // A client id is not a secret, but the evidence only needs to show whether it is `msi`.
    value: id.toLowerCase() === 'msi' ? id : '[service principal client id]',
  });
}

function upgradeChannel(props: RawNode): Observed<string> {
  const channel = readString(descend(props, 'autoUpgradeProfile', 'upgradeChannel'));
  if (channel.kind === 'invalid') return unknown(channel.reason, channel.source);
  // Absent is the API default, `none`: no automatic upgrades.
  return known(nonEmptyString(channel) ?? 'none', channel.source);
}

function negate(observed: Observed<boolean>): Observed<boolean> {
  return isUnknown(observed) ? observed : known(!observed.value, ...observed.from);
}

function runtimeThreatDetection(props: RawNode): Observed<RuntimeThreatDetection> {
  // The Defender sensor is off unless securityProfile.defender says otherwise; ARM omits it then.
  const monitoring = booleanOr(
    readBoolean(descend(props, 'securityProfile', 'defender', 'securityMonitoring', 'enabled')),
    false,
  );
  if (isUnknown(monitoring)) return monitoring;
  return known({ enabled: monitoring.value, via: monitoring.value ? 'defender' : null }, ...monitoring.from);
}

function adminGroupObjectIds(props: RawNode): Observed<readonly string[]> {
  const groups = readStringArray(descend(props, 'aadProfile', 'adminGroupObjectIDs'));
  if (groups.kind === 'invalid') return unknown(groups.reason, groups.source);
  // Without Entra ID (no aadProfile) or with no admin groups named, the list is null or absent.
  return known(groups.kind === 'value' ? groups.value : [], groups.source);
}

function clusterMode(root: RawNode): Observed<ClusterMode> {
  const sku = readString(descend(root, 'sku', 'name'));
  if (sku.kind === 'invalid') return unknown(sku.reason, sku.source);
  return known(
    sku.kind === 'value' && sku.value.toLowerCase() === 'automatic' ? 'aks-automatic' : 'standard',
    sku.source,
  );
}

function supportPlan(props: RawNode): Observed<SupportPlan> {
  const plan = readString(child(props, 'supportPlan'));
  if (plan.kind === 'invalid') return unknown(plan.reason, plan.source);
  // Absent means the API default, KubernetesOfficial (community support window).
  return known(
    plan.kind === 'value' && plan.value === 'AKSLongTermSupport' ? 'extended' : 'standard',
    plan.source,
  );
}

function privateAccess(accessProfile: RawNode): Observed<boolean> {
  const privateCluster = readBoolean(child(accessProfile, 'enablePrivateCluster'));
  const vnetIntegration = readBoolean(child(accessProfile, 'enableVnetIntegration'));
  if (privateCluster.kind === 'invalid') return unknown(privateCluster.reason, privateCluster.source);
  if (vnetIntegration.kind === 'invalid') return unknown(vnetIntegration.reason, vnetIntegration.source);
  const isPrivate =
    (privateCluster.kind === 'value' && privateCluster.value) ||
    (vnetIntegration.kind === 'value' && vnetIntegration.value);
  return known(isPrivate, privateCluster.source, vnetIntegration.source);
}

function authorizedNetworks(accessProfile: RawNode): Observed<AuthorizedNetworks> {
  const ranges = readStringArray(child(accessProfile, 'authorizedIPRanges'));
  if (ranges.kind === 'invalid') return unknown(ranges.reason, ranges.source);
  const cidrs = ranges.kind === 'value' ? ranges.value : [];
  return known({ enforced: cidrs.length > 0, cidrs, allowsCloudPublicRanges: false }, ranges.source);
}

function secretsEncryption(props: RawNode): Observed<SecretsEncryption> {
  const kms = descend(props, 'securityProfile', 'azureKeyVaultKms');
  const enabled = readBoolean(child(kms, 'enabled'));
  const keyId = readString(child(kms, 'keyId'));
  if (enabled.kind === 'invalid') return unknown(enabled.reason, enabled.source);
  if (!(enabled.kind === 'value' && enabled.value)) {
    return known({ envelope: false, keyManagedBy: 'none', keyId: null }, enabled.source, keyId.source);
  }
  const key = nonEmptyString(keyId);
  return key === undefined
    ? unknown(
        'properties.securityProfile.azureKeyVaultKms is enabled but has no keyId',
        enabled.source,
        keyId.source,
      )
    : known({ envelope: true, keyManagedBy: 'customer', keyId: key }, enabled.source, keyId.source);
}

function networkPolicy(props: RawNode): Observed<NetworkPolicyEnforcement> {
  const policy = readString(descend(props, 'networkProfile', 'networkPolicy'));
  const dataplane = readString(descend(props, 'networkProfile', 'networkDataplane'));
  if (policy.kind === 'invalid') return unknown(policy.reason, policy.source);
  if (dataplane.kind === 'invalid') return unknown(dataplane.reason, dataplane.source);
  const engine = policy.kind === 'value' ? policy.value.toLowerCase() : undefined;
  if (engine !== undefined && NETWORK_POLICY_ENGINES.includes(engine)) {
    return known({ enforced: true, engine }, policy.source, dataplane.source);
  }
  // Azure CNI powered by Cilium enforces network policy through its dataplane.
  if (dataplane.kind === 'value' && dataplane.value.toLowerCase() === 'cilium') {
    return known({ enforced: true, engine: 'cilium' }, policy.source, dataplane.source);
  }
  if (policy.kind !== 'value' || engine === 'none' || engine === '') {
    return known({ enforced: false, engine: null }, policy.source, dataplane.source);
  }
  return unknown(
    `properties.networkProfile.networkPolicy ${quoted(policy.value)} is not a known engine`,
    policy.source,
    dataplane.source,
  );
}

function nodePools(
  props: RawNode,
  mode: Observed<ClusterMode>,
  agentPools: Collected<readonly unknown[]> | undefined,
): Observed<readonly NodePool[]> {
  if (agentPools !== undefined && 'missing' in agentPools) return unknown(agentPools.missing);
  const listNode = child(props, 'agentPoolProfiles');
  const list = readArray(listNode);
  if (list.kind === 'absent') {
    return unknown('properties.agentPoolProfiles absent from the managed cluster', list.source);
  }
  if (list.kind === 'invalid') return unknown(list.reason, list.source);
  const managedBy = !isUnknown(mode) && mode.value === 'aks-automatic' ? 'provider' : 'customer';
  const pools: NodePool[] = [];
  for (const [index, profile] of list.value.entries()) {
    const name = nonEmptyString(readString(child(element(listNode, profile, index), 'name')));
    if (name === undefined) return unknown(`properties.agentPoolProfiles[${index}] has no name`);
    const node = element(listNode, profile, `name=${name}`);
    const current = child(node, 'currentOrchestratorVersion');
    pools.push({
      name,
      managedBy,
      version: observeVersion(
        isAbsent(current.value) ? child(node, 'orchestratorVersion') : current,
        `${node.path}.currentOrchestratorVersion and orchestratorVersion absent from the managed cluster`,
      ),
      // enableNodePublicIP defaults to false: nodes get public IPs only when asked for.
      publicIps: booleanOr(readBoolean(child(node, 'enableNodePublicIP')), false),
      kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
      sshAccess: poolSshAccess(node),
      // Trusted Launch is opt-in per pool: absent means secure boot is off.
      secureBoot: booleanOr(readBoolean(descend(node, 'securityProfile', 'enableSecureBoot')), false),
      autoUpgrade: unknown('AKS upgrades node pools through the cluster autoUpgradeProfile, not per pool'),
      serviceAccount: unknown('AKS nodes run as the cluster kubelet identity, which is not read per pool'),
    });
  }
  return known(pools);
}

/**
 * Only `Disabled` settles it: with the default `LocalUser` (or `EntraId`) SSH is on, and whether a
 * network security group limits port 22 is not read.
 */
function poolSshAccess(pool: RawNode): Observed<NodeSshAccess> {
  const access = readString(descend(pool, 'securityProfile', 'sshAccess'));
  if (access.kind === 'invalid') return unknown(access.reason, access.source);
  if (access.kind === 'value' && access.value.toLowerCase() === 'disabled') {
    return known('disabled', access.source);
  }
  const mode = access.kind === 'value' ? quoted(access.value) : 'LocalUser (the default)';
  return unknown(
    `SSH is on (${mode}); whether network security groups limit port 22 is not read`,
    access.source,
  );
}

/** A diagnostic setting's log switches and destinations, flattened (`az`) or in a `properties` envelope. */
interface SettingReading {
  /** How evidence names the setting: `diagnosticSettings[name=…]`, or its position. */
  readonly label: string;
  readonly enabledCategories: readonly string[];
  readonly enabledGroups: readonly string[];
  readonly destinations: readonly string[];
  /** The destination fields that are set, in DESTINATION_FIELDS order. */
  readonly destinationFields: readonly DestinationField[];
  /** The Log Analytics workspace it sends to, when it sends to one. */
  readonly workspaceId: string | undefined;
  /** `logAnalyticsDestinationType`: `Dedicated` puts logs in resource-specific tables. */
  readonly destinationType: Read<string>;
  readonly from: readonly SourceField[];
}

function readSetting(setting: unknown, index: number): SettingReading | { readonly invalid: string } {
  const label = nonEmptyString(readString(child(rootNode(setting, ''), 'name')));
  const root = rootNode(setting, `diagnosticSettings[${label === undefined ? index : `name=${label}`}]`);
  // A listed setting that is no object may be the one that exports audit logs.
  if (!isRawObject(setting)) return { invalid: `${root.path} is not an object` };
  const envelope = lookup(setting, 'properties');
  if (!isAbsent(envelope) && !isRawObject(envelope)) {
    return { invalid: `${root.path}.properties is ${describeValue(envelope)}, expected an object` };
  }
  const props = isRawObject(envelope)
    ? child(root, 'properties')
    : { value: setting, path: `${root.path}.properties` };
  const logsNode = child(props, 'logs');
  const logs = readArray(logsNode);
  if (logs.kind === 'invalid') return { invalid: logs.reason };
  const enabledCategories: string[] = [];
  const enabledGroups: string[] = [];
  for (const [position, log] of (logs.kind === 'value' ? logs.value : []).entries()) {
    const logNode = element(logsNode, log, position);
    const enabled = readBoolean(child(logNode, 'enabled'));
    if (enabled.kind === 'invalid') return { invalid: enabled.reason };
    // ARM always states `enabled`: a switch without it may be on.
    if (enabled.kind === 'absent') return { invalid: `${enabled.source.path} is absent` };
    if (!enabled.value) continue;
    const category = nonEmptyString(readString(child(logNode, 'category')));
    const group = nonEmptyString(readString(child(logNode, 'categoryGroup')));
    // An enabled switch whose category cannot be read may be the audit one: it proves no absence.
    if (category === undefined && group === undefined) {
      return { invalid: `${logNode.path} is enabled but has no readable category or categoryGroup` };
    }
    if (category !== undefined) enabledCategories.push(category);
    if (group !== undefined) enabledGroups.push(group);
  }
  const destinationNodes: RawNode[] = [];
  const destinations: string[] = [];
  const destinationFields: DestinationField[] = [];
  for (const field of DESTINATION_FIELDS) {
    const node = child(props, field);
    destinationNodes.push(node);
    const read = readString(node);
    // A destination that cannot be read may be where the logs go: the setting is then unreadable.
    if (read.kind === 'invalid') return { invalid: read.reason };
    const destination = nonEmptyString(read);
    if (destination === undefined) continue;
    destinations.push(destination);
    destinationFields.push(field);
  }
  const destinationTypeNode = child(props, 'logAnalyticsDestinationType');
  return {
    label: root.path,
    enabledCategories,
    enabledGroups,
    destinations,
    destinationFields,
    workspaceId: nonEmptyString(readString(child(props, 'workspaceId'))),
    destinationType: readString(destinationTypeNode),
    from: [sourceOf(logsNode), ...destinationNodes.filter((node) => node.value !== undefined).map(sourceOf)],
  };
}

/** Settings that send any of the wanted categories (or category groups) to a destination. */
function exportingSettings(
  settings: Collected<readonly unknown[]>,
  categories: readonly string[],
  groups: readonly string[],
): Observed<{
  readonly categories: readonly string[];
  readonly destinations: readonly string[];
  readonly destinationFields: readonly DestinationField[];
}> {
  if ('missing' in settings) return unknown(settings.missing);
  const found = new Set<string>();
  const destinations = new Set<string>();
  const destinationFields = new Set<DestinationField>();
  const from: SourceField[] = [];
  for (const [index, setting] of settings.ok.entries()) {
    const reading = readSetting(setting, index);
    if ('invalid' in reading) return unknown(reading.invalid);
    from.push(...reading.from);
    if (reading.destinations.length === 0) continue;
    // Category names are case-insensitive in Azure Monitor.
    const matched = [
      ...reading.enabledCategories.filter((category) => categories.includes(category.toLowerCase())),
      ...reading.enabledGroups.filter((group) => groups.includes(group.toLowerCase())),
    ];
    if (matched.length === 0) continue;
    for (const category of matched) found.add(category);
    for (const destination of reading.destinations) destinations.add(destination);
    for (const field of reading.destinationFields) destinationFields.add(field);
  }
  if (from.length === 0) from.push({ path: 'diagnosticSettings', value: [] });
  return known(
    {
      categories: [...found].sort(),
      destinations: [...destinations].sort(),
      destinationFields: DESTINATION_FIELDS.filter((field) => destinationFields.has(field)),
    },
    ...from,
  );
}

function auditLogs(settings: Collected<readonly unknown[]>): Observed<AuditLogExport> {
  const exporting = exportingSettings(settings, AUDIT_CATEGORIES, AUDIT_CATEGORY_GROUPS);
  if (isUnknown(exporting)) return exporting;
  const { categories, destinations } = exporting.value;
  return known({ exported: categories.length > 0, categories, destinations }, ...exporting.from);
}

function authenticatorLogs(settings: Collected<readonly unknown[]>): Observed<boolean> {
  const exporting = exportingSettings(settings, AUTHENTICATOR_CATEGORIES, AUTHENTICATOR_CATEGORY_GROUPS);
  if (isUnknown(exporting)) return exporting;
  return known(exporting.value.categories.length > 0, ...exporting.from);
}

/** Where one diagnostic setting sends the cluster's audit logs. */
export interface AuditDestination {
  /** How evidence names the setting. */
  readonly setting: string;
  /** The Log Analytics workspace it sends them to, and the tables they land in there. */
  readonly workspace: { readonly id: string; readonly tables: readonly AksAuditTable[] } | undefined;
  /** Its other destinations (storage account, event hub, partner solution), by field. */
  readonly elsewhere: readonly Exclude<DestinationField, 'workspaceId'>[];
  readonly from: readonly SourceField[];
}

/**
 * The resource-specific tables of each audit category and category group (`Dedicated`). In the
 * default (legacy) mode every category lands in AzureDiagnostics, told apart by `Category`.
 */
const RESOURCE_SPECIFIC_TABLES: Readonly<
  Record<'kube-audit' | 'kube-audit-admin' | 'audit' | 'alllogs', readonly AksAuditTable[]>
> = {
  'kube-audit': ['AKSAudit'],
  'kube-audit-admin': ['AKSAuditAdmin'],
  audit: ['AKSAudit', 'AKSAuditAdmin'],
  alllogs: ['AKSAudit', 'AKSAuditAdmin'],
};
const TABLE_ORDER: readonly AksAuditTable[] = ['AKSAudit', 'AKSAuditAdmin', 'AzureDiagnostics'];

/**
 * The diagnostic settings that send audit logs to a destination, with where they go: what the
 * collector reads workspaces and tables for, and what retention and alerting are judged on.
 */
export function auditDestinations(
  settings: readonly unknown[],
): readonly AuditDestination[] | { readonly invalid: string } {
  const found: AuditDestination[] = [];
  for (const [index, setting] of settings.entries()) {
    const reading = readSetting(setting, index);
    if ('invalid' in reading) return reading;
    const matched = [
      ...reading.enabledCategories.filter((category) => AUDIT_CATEGORIES.includes(category.toLowerCase())),
      ...reading.enabledGroups.filter((group) => AUDIT_CATEGORY_GROUPS.includes(group.toLowerCase())),
    ].map((name) => name.toLowerCase());
    if (matched.length === 0 || reading.destinations.length === 0) continue;
    const type = reading.destinationType;
    if (type.kind === 'invalid') return { invalid: type.reason };
    const dedicated = type.kind === 'value' && type.value.toLowerCase() === 'dedicated';
    const tables = new Set<AksAuditTable>(
      // `matched` holds only AUDIT_CATEGORIES and AUDIT_CATEGORY_GROUPS, the record's keys.
      dedicated
        ? matched.flatMap((name) => RESOURCE_SPECIFIC_TABLES[name as keyof typeof RESOURCE_SPECIFIC_TABLES])
        : ['AzureDiagnostics'],
    );
    found.push({
      setting: reading.label,
      workspace:
        reading.workspaceId === undefined
          ? undefined
          : { id: reading.workspaceId, tables: TABLE_ORDER.filter((table) => tables.has(table)) },
      elsewhere: reading.destinationFields.filter(
        (field): field is Exclude<DestinationField, 'workspaceId'> => field !== 'workspaceId',
      ),
      from: [...reading.from, type.source],
    });
  }
  return found;
}

/** The audit destinations of a cluster, or why they are not known. */
function auditWorkspaces(collected: AksCollected): Collected<readonly AuditDestination[]> {
  const settings = collected.diagnosticSettings;
  if ('missing' in settings) return settings;
  const destinations = auditDestinations(settings.ok);
  return 'invalid' in destinations ? { missing: destinations.invalid } : { ok: destinations };
}

/**
 * How long exported audit logs are kept is a property of where they go, not of the diagnostic
 * setting: Azure retired the settings' own `retentionPolicy` (storage accounts only) on
 * 2025-09-30, so whatever it still says no longer deletes or keeps anything
 * (https://learn.microsoft.com/azure/azure-monitor/essentials/migrate-to-azure-storage-lifecycle-policy).
 * Reading it as the retention would report a number nothing enforces. Log Analytics workspaces
 * are read live (auditMonitoring.ts); storage accounts, event hubs and partner solutions keep
 * their retention where kubeline does not look.
 */
function auditLogRetentionDays(collected: AksCollected): Observed<number | null> {
  const exporting = exportingSettings(collected.diagnosticSettings, AUDIT_CATEGORIES, AUDIT_CATEGORY_GROUPS);
  if (isUnknown(exporting)) return exporting;
  if (exporting.value.categories.length === 0) {
    return unknown('no diagnostic setting exports audit logs', ...exporting.from);
  }
  const destinations = auditWorkspaces(collected);
  if ('missing' in destinations) return unknown(destinations.missing, ...exporting.from);
  return auditLogRetention(destinations.ok, collected.logAnalytics, exporting.from);
}
