import type { Observed, SourceField } from '../../model/observed.js';
import { isUnknown, known, sourcesOf, unknown } from '../../model/observed.js';
import type {
  ApiServerAddress,
  AuditLogExport,
  AuthorizedNetworks,
  ClusterMode,
  GkeClusterPosture,
  InsecureRbacBindings,
  NetworkPolicyEnforcement,
  NodePool,
  NodeServiceAccount,
  PostureOrigin,
  RuntimeThreatDetection,
  SecretsEncryption,
  SupportPlan,
} from '../../model/posture.js';
import { compareMinor, type KubernetesVersion } from '../../model/version.js';
import type { Collected } from '../collected.js';
import { NormaliseError, originSource } from '../errors.js';
import { type CaField, IN_CLUSTER_OFF, observeApiServer } from '../kubernetes/normalise.js';
import {
  booleanOr,
  child,
  descend,
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
  readEnum,
  readObject,
  readString,
  readStringArray,
  rootNode,
  sourceOf,
  stringMap,
} from '../reader.js';
import {
  ANONYMOUS_AUTHENTICATION_MODE,
  BINARY_AUTHORIZATION_EVALUATION_MODE,
  DATABASE_ENCRYPTION_STATE,
  DATAPATH_PROVIDER,
  LOGGING_COMPONENT,
  RELEASE_CHANNEL,
  SECURITY_POSTURE_MODE,
} from './enums.js';
import { defaultLogBucketRetention, failedAuthAlerting, type GkeProjectLogging } from './projectLogging.js';
import { gkeVersionSupport } from './versionSupport.js';

/**
 * Cloud Logging keeps Admin Activity audit logs, which include every Kubernetes API write, in the
 * project's `_Required` bucket for 400 days; nobody can shorten that, turn the logs off or delete
 * the bucket (https://cloud.google.com/logging/docs/routing/overview#required-bucket). It is not
 * a field of the Cluster resource, so the evidence names the bucket instead.
 */
const REQUIRED_BUCKET_RETENTION_DAYS = 400;

/** What was collected for one GKE cluster: the v1 `Cluster` resource holds every field the checks read. */
export interface GkeCollected {
  /** A `Cluster` from clusters.get / clusters.list, REST JSON or gcloud `--format=json`. */
  readonly cluster: unknown;
  /**
   * The project the cluster was listed in, when the caller knows it. Used only when the cluster has
   * no `selfLink` (some SDK dumps drop it); the `selfLink` wins when both exist.
   */
  readonly project?: string;
  /** Live version data (fetchClusterUpgradeInfo, getServerConfig); absent in a snapshot. */
  readonly upgradeInfo?: Collected<unknown>;
  readonly serverConfig?: Collected<unknown>;
  /** The project's log buckets, log-based metrics and alert policies, read once per project; absent in a snapshot. */
  readonly projectLogging?: GkeProjectLogging;
}

/** The parts of a cluster resource name, from `selfLink` or `projects/P/locations/L/clusters/C`. */
export interface GkeClusterName {
  readonly project: string;
  readonly location: string;
  readonly cluster: string;
}

// Older selfLinks name the location `zones/…`. The cluster segment is taken whole: real names
// cannot hold a slash, but a malformed one must still identify its cluster rather than vanish.
const RESOURCE_NAME_PATTERN = /(?:^|\/)projects\/([^/]+)\/(?:locations|zones)\/([^/]+)\/clusters\/(.+)$/;

/** Parses a GKE cluster selfLink or resource name; undefined for anything else. */
export function parseGkeClusterName(link: string): GkeClusterName | undefined {
  const match = RESOURCE_NAME_PATTERN.exec(link);
  if (!match) return undefined;
  const [, project = '', location = '', cluster = ''] = match;
  return { project, location, cluster };
}

/** Redacts credential material in evidence: whether it is there matters, not what it is. */
function presence(node: RawNode): SourceField {
  return {
    path: node.path,
    value: typeof node.value === 'string' && node.value !== '' ? '[redacted]' : null,
  };
}

/** Maps a raw GKE cluster to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseGke(collected: GkeCollected, origin: PostureOrigin): GkeClusterPosture {
  const cluster = rootNode(collected.cluster, 'cluster');
  const source = originSource(origin);
  if (!isRawObject(cluster.value)) {
    throw new NormaliseError('GKE cluster is not an object', { provider: 'gke', source });
  }
  const name = nonEmptyString(readString(child(cluster, 'name')));
  if (name === undefined) {
    throw new NormaliseError('GKE cluster has no name', { provider: 'gke', source });
  }
  const link = nonEmptyString(readString(child(cluster, 'selfLink')));
  const fromLink = link === undefined ? undefined : parseGkeClusterName(link);
  const project = fromLink?.project ?? collected.project;
  const location =
    nonEmptyString(readString(child(cluster, 'location'))) ??
    nonEmptyString(readString(child(cluster, 'zone'))) ??
    fromLink?.location;
  if (project === undefined || project === '' || location === undefined) {
    throw new NormaliseError(
      `GKE cluster ${quoted(name)} has no selfLink (or no location) to derive projects/P/locations/L/clusters/C from`,
      { provider: 'gke', source, cluster: name },
    );
  }

  const autopilot = readBoolean(descend(cluster, 'autopilot', 'enabled'));
  const mode: Observed<ClusterMode> =
    autopilot.kind === 'invalid'
      ? unknown(autopilot.reason, autopilot.source)
      : known(autopilot.kind === 'value' && autopilot.value ? 'gke-autopilot' : 'standard', autopilot.source);
  const channel = readEnum(descend(cluster, 'releaseChannel', 'channel'), RELEASE_CHANNEL);
  const masterAuth = child(cluster, 'masterAuth');
  const version = observeVersion(
    child(cluster, 'currentMasterVersion'),
    'cluster.currentMasterVersion absent from the Cluster resource',
  );
  const readOnlyPortDefault = readOnlyPortDefaultOfCreationVersion(cluster, version);
  const endpoints = endpoint(cluster);

  return {
    id: `projects/${project}/locations/${location}/clusters/${name}`,
    provider: 'gke',
    scope: project,
    location,
    name,
    tags: stringMap(lookup(cluster.value, 'resourceLabels')),
    origin,
    mode,
    version,
    supportPlan: supportPlan(channel),
    endpoint: endpoints,
    // GKE always runs the RBAC authorizer; legacy ABAC can be switched on beside it.
    authorization: {
      rbac: known(true),
      legacyAbac: booleanOr(readBoolean(descend(cluster, 'legacyAbac', 'enabled')), false),
    },
    secretsEncryption: secretsEncryption(cluster),
    auditLogs: auditLogs(cluster),
    // Authentication to the API server is recorded in Cloud Audit Logs, which cannot be turned off.
    authenticatorLogs: known(true),
    networkPolicy: networkPolicy(cluster),
    nodePools: nodePools(cluster, mode, readOnlyPortDefault),
    auditLogRetentionDays: known(REQUIRED_BUCKET_RETENTION_DAYS, {
      path: 'cloudAuditLogs._Required.retentionDays',
      value: REQUIRED_BUCKET_RETENTION_DAYS,
    }),
    failedAuthAlerting: failedAuthAlerting(collected.projectLogging, { project, location, name }),
    networkFlowLogs: networkFlowLogs(cluster),
    runtimeThreatDetection: runtimeThreatDetection(cluster),
    // Support dates per cluster come from clusters.fetchClusterUpgradeInfo, which an export of the
    // Cluster resource does not hold.
    versionSupport: gkeVersionSupport(collected, collected.cluster),
    apiServer: apiServer(cluster, endpoints.publicAccess),
    inCluster: unknown(IN_CLUSTER_OFF),
    gke: {
      googleGroupsForRbac: booleanOr(
        readBoolean(descend(cluster, 'authenticatorGroupsConfig', 'enabled')),
        false,
      ),
      identityService: booleanOr(readBoolean(descend(cluster, 'identityServiceConfig', 'enabled')), false),
      basicAuth: basicAuth(masterAuth),
      clientCertificate: clientCertificate(masterAuth),
      kubeletReadOnlyPortDefault: readOnlyPortSetting(
        newPoolKubeletSettings(cluster, mode),
        readOnlyPortDefault,
      ),
      releaseChannel: releaseChannel(channel),
      anonymousAuthentication: anonymousAuthentication(cluster),
      insecureRbacBindings: insecureRbacBindings(cluster),
      workloadPool: workloadPool(cluster),
      // Plain proto3 bools: JSON drops them when false, so absent means off.
      shieldedNodes: booleanOr(readBoolean(descend(cluster, 'shieldedNodes', 'enabled')), false),
      kubernetesDashboard: kubernetesDashboard(cluster),
      kubernetesAlpha: booleanOr(readBoolean(child(cluster, 'enableKubernetesAlpha')), false),
      // The DNS endpoint always exists and is reachable from the internet; allowExternalTraffic
      // (proto3 optional, unset = no) decides whether it serves user traffic, gated by IAM:
      // https://cloud.google.com/dotnet/docs/reference/Google.Cloud.Container.V1/latest/Google.Cloud.Container.V1.ControlPlaneEndpointsConfig.Types.DNSEndpointConfig
      dnsEndpointExternalTraffic: booleanOr(
        readBoolean(
          descend(cluster, 'controlPlaneEndpointsConfig', 'dnsEndpointConfig', 'allowExternalTraffic'),
        ),
        false,
      ),
      defaultLogBucketRetentionDays: defaultLogBucketRetention(collected.projectLogging),
      binaryAuthorization: binaryAuthorization(cluster),
    },
  };
}

function anonymousAuthentication(cluster: RawNode): Observed<string> {
  const mode = readEnum(
    descend(cluster, 'anonymousAuthenticationConfig', 'mode'),
    ANONYMOUS_AUTHENTICATION_MODE,
  );
  if (mode.kind === 'invalid') return unknown(mode.reason, mode.source);
  // proto3 JSON omits the zero value: no mode is MODE_UNSPECIFIED, which GKE treats as ENABLED.
  return known(mode.kind === 'value' ? mode.value : 'MODE_UNSPECIFIED', mode.source);
}

function insecureRbacBindings(cluster: RawNode): Observed<InsecureRbacBindings> {
  const config = child(cluster, 'rbacBindingConfig');
  const unauthenticated = readBoolean(child(config, 'enableInsecureBindingSystemUnauthenticated'));
  const authenticated = readBoolean(child(config, 'enableInsecureBindingSystemAuthenticated'));
  if (unauthenticated.kind === 'invalid') return unknown(unauthenticated.reason, unauthenticated.source);
  if (authenticated.kind === 'invalid') return unknown(authenticated.reason, authenticated.source);
  // Both are proto3 `optional`: unset leaves GKE's default, which accepts these bindings.
  return known(
    {
      unauthenticated: !(unauthenticated.kind === 'value' && !unauthenticated.value),
      authenticated: !(authenticated.kind === 'value' && !authenticated.value),
    },
    unauthenticated.source,
    authenticated.source,
  );
}

function workloadPool(cluster: RawNode): Observed<string | null> {
  const pool = readString(descend(cluster, 'workloadIdentityConfig', 'workloadPool'));
  if (pool.kind === 'invalid') return unknown(pool.reason, pool.source);
  // proto3 drops an empty string: no pool means Workload Identity Federation is off.
  return known(nonEmptyString(pool) ?? null, pool.source);
}

/**
 * The Dashboard add-on is on when its config is present with `disabled` false (proto3 drops the
 * false). With no `kubernetesDashboard` block at all the add-on is not configured, which is how
 * GKE returns clusters since it removed the add-on in 1.15.
 */
function kubernetesDashboard(cluster: RawNode): Observed<boolean> {
  const config = descend(cluster, 'addonsConfig', 'kubernetesDashboard');
  const block = readObject(config);
  if (block.kind === 'invalid') return unknown(block.reason, block.source);
  const disabled = readBoolean(child(config, 'disabled'));
  if (disabled.kind === 'invalid') return unknown(disabled.reason, disabled.source);
  if (block.kind === 'absent') return known(false, block.source);
  return known(!(disabled.kind === 'value' && disabled.value), disabled.source);
}

function binaryAuthorization(cluster: RawNode): Observed<string> {
  const config = child(cluster, 'binaryAuthorization');
  const mode = readEnum(child(config, 'evaluationMode'), BINARY_AUTHORIZATION_EVALUATION_MODE);
  const enabled = readBoolean(child(config, 'enabled'));
  if (mode.kind === 'invalid') return unknown(mode.reason, mode.source);
  if (mode.kind === 'value' && mode.value !== 'EVALUATION_MODE_UNSPECIFIED')
    return known(mode.value, mode.source);
  if (enabled.kind === 'invalid') return unknown(enabled.reason, mode.source, enabled.source);
  // The deprecated `enabled` is what older clusters carry; the proto calls it the same as the singleton-policy mode.
  return enabled.kind === 'value' && enabled.value
    ? known('PROJECT_SINGLETON_POLICY_ENFORCE', mode.source, enabled.source)
    : known('DISABLED', mode.source, enabled.source);
}

function releaseChannel(channel: Read<string>): Observed<string> {
  if (channel.kind === 'invalid') return unknown(channel.reason, channel.source);
  // proto3 JSON omits the zero value: no channel field means UNSPECIFIED (not enrolled).
  return known(channel.kind === 'value' ? channel.value : 'UNSPECIFIED', channel.source);
}

function supportPlan(channel: Read<string>): Observed<SupportPlan> {
  if (channel.kind === 'invalid') return unknown(channel.reason, channel.source);
  return known(
    channel.kind === 'value' && channel.value === 'EXTENDED' ? 'extended' : 'standard',
    channel.source,
  );
}

/**
 * `endpoint` is the address gcloud writes to a kubeconfig; with the public endpoint off, the pass
 * must use the private one, as `gcloud container clusters get-credentials --internal-ip` does.
 */
function apiServer(cluster: RawNode, publicAccess: Observed<boolean>): Observed<ApiServerAddress> {
  const ca: CaField = {
    read: readString(descend(cluster, 'masterAuth', 'clusterCaCertificate')),
    absent: 'cluster.masterAuth.clusterCaCertificate absent from the Cluster resource',
  };
  if (isUnknown(publicAccess) || publicAccess.value) {
    return observeApiServer(
      readString(child(cluster, 'endpoint')),
      'cluster.endpoint absent from the Cluster resource',
      ca,
    );
  }
  const ipEndpoint = descend(cluster, 'controlPlaneEndpointsConfig', 'ipEndpointsConfig', 'privateEndpoint');
  const host = isAbsent(ipEndpoint.value)
    ? descend(cluster, 'privateClusterConfig', 'privateEndpoint')
    : ipEndpoint;
  return observeApiServer(
    readString(host),
    'the public endpoint is off and no private endpoint is in the Cluster resource (controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint, privateClusterConfig.privateEndpoint)',
    ca,
  );
}

function endpoint(cluster: RawNode): GkeClusterPosture['endpoint'] {
  const ipEndpoints = descend(cluster, 'controlPlaneEndpointsConfig', 'ipEndpointsConfig');
  const ipConfig = readObject(ipEndpoints);
  const privateCluster = child(cluster, 'privateClusterConfig');
  return {
    publicAccess:
      ipConfig.kind === 'absent' ? legacyPublicAccess(privateCluster) : publicAccess(ipConfig, ipEndpoints),
    privateAccess: privateAccess(ipEndpoints, privateCluster),
    authorizedNetworks: authorizedNetworks(
      ipConfig.kind === 'value' && lookup(ipConfig.value, 'authorizedNetworksConfig') !== undefined
        ? child(ipEndpoints, 'authorizedNetworksConfig')
        : child(cluster, 'masterAuthorizedNetworksConfig'),
    ),
  };
}

/** controlPlaneEndpointsConfig is the current model and wins over the deprecated privateClusterConfig. */
function publicAccess(ipConfig: Read<unknown>, ipEndpoints: RawNode): Observed<boolean> {
  if (ipConfig.kind === 'invalid') return unknown(ipConfig.reason, ipConfig.source);
  const enabled = readBoolean(child(ipEndpoints, 'enabled'));
  const enablePublic = readBoolean(child(ipEndpoints, 'enablePublicEndpoint'));
  if (enabled.kind === 'invalid') return unknown(enabled.reason, enabled.source);
  if (enablePublic.kind === 'invalid') return unknown(enablePublic.reason, enablePublic.source);
  // Both are proto3 `optional`: unset means the API default, which is an IP endpoint with a public address.
  if (enabled.kind === 'value' && !enabled.value) return known(false, enabled.source, enablePublic.source);
  return known(!(enablePublic.kind === 'value' && !enablePublic.value), enablePublic.source);
}

function legacyPublicAccess(privateCluster: RawNode): Observed<boolean> {
  const enablePrivateEndpoint = readBoolean(child(privateCluster, 'enablePrivateEndpoint'));
  if (enablePrivateEndpoint.kind === 'invalid') {
    return unknown(enablePrivateEndpoint.reason, enablePrivateEndpoint.source);
  }
  return known(
    !(enablePrivateEndpoint.kind === 'value' && enablePrivateEndpoint.value),
    enablePrivateEndpoint.source,
  );
}

function privateAccess(ipEndpoints: RawNode, privateCluster: RawNode): Observed<boolean> {
  const privateNodes = readBoolean(child(privateCluster, 'enablePrivateNodes'));
  if (privateNodes.kind === 'invalid') return unknown(privateNodes.reason, privateNodes.source);
  const ipPrivateEndpoint = readString(child(ipEndpoints, 'privateEndpoint'));
  const legacyPrivateEndpoint = readString(child(privateCluster, 'privateEndpoint'));
  const isPrivate =
    (privateNodes.kind === 'value' && privateNodes.value) ||
    nonEmptyString(ipPrivateEndpoint) !== undefined ||
    nonEmptyString(legacyPrivateEndpoint) !== undefined;
  return known(isPrivate, privateNodes.source, ipPrivateEndpoint.source, legacyPrivateEndpoint.source);
}

function authorizedNetworks(config: RawNode): Observed<AuthorizedNetworks> {
  const read = readObject(config);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  const enabled = readBoolean(child(config, 'enabled'));
  if (enabled.kind === 'invalid') return unknown(enabled.reason, enabled.source);
  const cloudRanges = readBoolean(child(config, 'gcpPublicCidrsAccessEnabled'));
  if (cloudRanges.kind === 'invalid') return unknown(cloudRanges.reason, cloudRanges.source);
  // The flag is proto3 `optional`: unset is not false. Authorized networks on older clusters admit
  // every Google Cloud public IP address unless it is false
  // (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks).
  if (cloudRanges.kind === 'absent' && enabled.kind === 'value' && enabled.value) {
    return unknown(
      `${cloudRanges.source.path} is absent; with authorized networks on, a cluster that leaves it unset may admit every Google Cloud public IP address, so whether this one does is not known (set it with gcloud container clusters update --no-enable-google-cloud-access)`,
      cloudRanges.source,
    );
  }
  const blocksNode = child(config, 'cidrBlocks');
  const blocks = readArray(blocksNode);
  if (blocks.kind === 'invalid') return unknown(blocks.reason, blocks.source);
  const cidrs: string[] = [];
  for (const [index, block] of (blocks.kind === 'value' ? blocks.value : []).entries()) {
    const cidr = readString(child(element(blocksNode, block, index), 'cidrBlock'));
    if (cidr.kind !== 'value') {
      return unknown(
        cidr.kind === 'invalid' ? cidr.reason : `${blocksNode.path}[${index}] has no cidrBlock`,
        read.source,
      );
    }
    cidrs.push(cidr.value);
  }
  return known(
    {
      enforced: enabled.kind === 'value' && enabled.value,
      cidrs,
      allowsCloudPublicRanges: cloudRanges.kind === 'value' && cloudRanges.value,
    },
    read.source,
  );
}

function secretsEncryption(cluster: RawNode): Observed<SecretsEncryption> {
  const state = readEnum(descend(cluster, 'databaseEncryption', 'state'), DATABASE_ENCRYPTION_STATE);
  const keyName = readString(descend(cluster, 'databaseEncryption', 'keyName'));
  if (state.kind === 'invalid') return unknown(state.reason, state.source);
  if (state.kind === 'absent' || state.value === 'DECRYPTED' || state.value === 'UNKNOWN') {
    return known({ envelope: false, keyManagedBy: 'none', keyId: null }, state.source, keyName.source);
  }
  // ALL_OBJECTS_ENCRYPTION_ENABLED encrypts secrets and every other object with the same Cloud KMS key.
  if (state.value === 'ENCRYPTED' || state.value === 'ALL_OBJECTS_ENCRYPTION_ENABLED') {
    const keyId = nonEmptyString(keyName);
    return keyId === undefined
      ? unknown(
          `cluster.databaseEncryption.state is ${state.value} but keyName is not set`,
          state.source,
          keyName.source,
        )
      : known({ envelope: true, keyManagedBy: 'customer', keyId }, state.source, keyName.source);
  }
  return unknown(
    `cluster.databaseEncryption.state ${quoted(state.value)} is not a known state`,
    state.source,
    keyName.source,
  );
}

function auditLogs(cluster: RawNode): Observed<AuditLogExport> {
  const service = readString(child(cluster, 'loggingService'));
  if (service.kind === 'invalid') return unknown(service.reason, service.source);
  const componentConfig = descend(cluster, 'loggingConfig', 'componentConfig');
  const config = readObject(componentConfig);
  if (config.kind === 'invalid') return unknown(config.reason, config.source);
  const componentsNode = child(componentConfig, 'enableComponents');
  const components = readArray(componentsNode);
  if (components.kind === 'invalid') return unknown(components.reason, components.source);
  const categories: string[] = [];
  for (const [index, component] of (components.kind === 'value' ? components.value : []).entries()) {
    const name = readEnum(element(componentsNode, component, index), LOGGING_COMPONENT);
    if (name.kind !== 'value') {
      return unknown(name.kind === 'invalid' ? name.reason : 'empty component', components.source);
    }
    categories.push(name.value);
  }
  // proto3 drops an empty list, so a componentConfig without components is the "log nothing" setting.
  // An empty loggingService is the API default, Cloud Logging, not "none".
  const emptied = config.kind === 'value' && categories.length === 0;
  const exported = !(service.kind === 'value' && service.value === 'none') && !emptied;
  return known(
    { exported, categories: exported ? categories : [], destinations: exported ? ['cloud-logging'] : [] },
    service.source,
    components.source,
  );
}

function networkPolicy(cluster: RawNode): Observed<NetworkPolicyEnforcement> {
  const calico = readBoolean(descend(cluster, 'networkPolicy', 'enabled'));
  const datapath = readEnum(descend(cluster, 'networkConfig', 'datapathProvider'), DATAPATH_PROVIDER);
  if (calico.kind === 'invalid') return unknown(calico.reason, calico.source);
  if (datapath.kind === 'invalid') return unknown(datapath.reason, datapath.source);
  // Dataplane V2 enforces NetworkPolicy itself, without the Calico add-on and without networkPolicy.enabled.
  if (datapath.kind === 'value' && datapath.value === 'ADVANCED_DATAPATH') {
    return known({ enforced: true, engine: 'dataplane-v2' }, calico.source, datapath.source);
  }
  if (calico.kind === 'value' && calico.value) {
    return known({ enforced: true, engine: 'calico' }, calico.source, datapath.source);
  }
  return known({ enforced: false, engine: null }, calico.source, datapath.source);
}

/** Intranode visibility or Advanced Datapath Observability metrics: either one records pod traffic flows. */
function networkFlowLogs(cluster: RawNode): Observed<boolean> {
  const intraNode = readBoolean(descend(cluster, 'networkConfig', 'enableIntraNodeVisibility'));
  const observability = readBoolean(
    descend(cluster, 'monitoringConfig', 'advancedDatapathObservabilityConfig', 'enableMetrics'),
  );
  const sources = [intraNode.source, observability.source];
  // One switch that is on settles it, even when the other field is malformed.
  if (
    (intraNode.kind === 'value' && intraNode.value) ||
    (observability.kind === 'value' && observability.value)
  ) {
    return known(true, ...sources);
  }
  if (intraNode.kind === 'invalid') return unknown(intraNode.reason, ...sources);
  if (observability.kind === 'invalid') return unknown(observability.reason, ...sources);
  // Both are plain proto3 bools: JSON drops them when false, so absent means off.
  return known(false, ...sources);
}

function runtimeThreatDetection(cluster: RawNode): Observed<RuntimeThreatDetection> {
  const mode = readEnum(descend(cluster, 'securityPostureConfig', 'mode'), SECURITY_POSTURE_MODE);
  if (mode.kind === 'invalid') return unknown(mode.reason, mode.source);
  if (mode.kind === 'value' && (mode.value === 'BASIC' || mode.value === 'ENTERPRISE')) {
    return known({ enabled: true, via: 'gke-security-posture' }, mode.source);
  }
  // Clusters from before security posture existed carry no securityPostureConfig: it is off there.
  if (mode.kind === 'absent' || mode.value === 'DISABLED' || mode.value === 'MODE_UNSPECIFIED') {
    return known({ enabled: false, via: null }, mode.source);
  }
  return unknown(`cluster.securityPostureConfig.mode ${quoted(mode.value)} is not a known mode`, mode.source);
}

/** The cluster-wide private-nodes default: the current field, else the deprecated one. */
function clusterPrivateNodes(cluster: RawNode): Read<boolean> {
  const current = readBoolean(descend(cluster, 'networkConfig', 'defaultEnablePrivateNodes'));
  if (current.kind !== 'absent') return current;
  return readBoolean(descend(cluster, 'privateClusterConfig', 'enablePrivateNodes'));
}

function nodePools(
  cluster: RawNode,
  mode: Observed<ClusterMode>,
  readOnlyPortDefault: Observed<boolean>,
): Observed<readonly NodePool[]> {
  const listNode = child(cluster, 'nodePools');
  const list = readArray(listNode);
  if (list.kind === 'invalid') return unknown(list.reason, list.source);
  // An export without the list must not read as a cluster without nodes: every node check would
  // turn not applicable on data that was simply not there.
  if (list.kind === 'absent') {
    return unknown(
      'cluster.nodePools absent from the Cluster resource: the export names no node pools (proto3 JSON also drops an empty list), so they cannot be checked',
      list.source,
    );
  }
  const managedBy = !isUnknown(mode) && mode.value === 'gke-autopilot' ? 'provider' : 'customer';
  const clusterDefault = clusterPrivateNodes(cluster);
  const pools: NodePool[] = [];
  for (const [index, pool] of list.value.entries()) {
    const name = nonEmptyString(readString(child(element(listNode, pool, index), 'name')));
    if (name === undefined) return unknown(`cluster.nodePools[${index}] has no name`);
    const node = element(listNode, pool, `name=${name}`);
    pools.push({
      name,
      managedBy,
      version: observeVersion(
        child(node, 'version'),
        `${node.path}.version absent from the Cluster resource`,
      ),
      publicIps: poolPublicIps(node, clusterDefault),
      kubeletReadOnlyPort: readOnlyPortSetting(
        [descend(node, 'config', 'kubeletConfig', 'insecureKubeletReadonlyPortEnabled')],
        readOnlyPortDefault,
      ),
      sshAccess: unknown('SSH to GKE nodes is allowed or denied by VPC firewall rules, which are not read'),
      // Plain proto3 bools: JSON drops them when false, so absent means off.
      secureBoot: booleanOr(
        readBoolean(descend(node, 'config', 'shieldedInstanceConfig', 'enableSecureBoot')),
        false,
      ),
      autoUpgrade: booleanOr(readBoolean(descend(node, 'management', 'autoUpgrade')), false),
      serviceAccount: poolServiceAccount(node),
    });
  }
  return known(pools);
}

/** The first minor whose new clusters have the kubelet read-only port closed by default. */
const READ_ONLY_PORT_CLOSED_FROM: KubernetesVersion = {
  raw: '1.32',
  major: 1,
  minor: 32,
  minorVersion: '1.32',
};

/**
 * Whether the kubelet read-only port is open when nothing sets it. GKE closes it by default in new
 * clusters that run 1.32 or later, Autopilot and Standard alike, and earlier clusters keep it open
 * until it is turned off (https://cloud.google.com/kubernetes-engine/docs/how-to/disable-kubelet-readonly-port),
 * so the default follows the version the cluster was created at, not the one it runs now.
 */
function readOnlyPortDefaultOfCreationVersion(
  cluster: RawNode,
  running: Observed<KubernetesVersion>,
): Observed<boolean> {
  const createdNode = child(cluster, 'initialClusterVersion');
  if (!isAbsent(createdNode.value)) {
    const created = observeVersion(
      createdNode,
      'cluster.initialClusterVersion absent from the Cluster resource',
    );
    return isUnknown(created)
      ? created
      : known(compareMinor(created.value, READ_ONLY_PORT_CLOSED_FROM) < 0, ...created.from);
  }
  const createdSource = sourceOf(createdNode);
  // Minors only go up, so a cluster that runs a minor before 1.32 was created before it as well.
  if (!isUnknown(running) && compareMinor(running.value, READ_ONLY_PORT_CLOSED_FROM) < 0) {
    return known(true, createdSource, ...running.from);
  }
  return unknown(
    'cluster.initialClusterVersion is absent from the export, so whether the cluster was created before 1.32 (port open by default) or at 1.32 or later (closed by default) cannot be told',
    createdSource,
    ...sourcesOf(running),
  );
}

/**
 * An `insecureKubeletReadonlyPortEnabled` setting, from the first of `fields` that is set: the
 * fields are proto3 `optional`, and unset means "the default for the GKE version"
 * (NodeKubeletConfig in the v1 API), not "closed".
 */
function readOnlyPortSetting(
  fields: readonly RawNode[],
  versionDefault: Observed<boolean>,
): Observed<boolean> {
  const unset: SourceField[] = [];
  for (const field of fields) {
    const setting = readBoolean(field);
    if (setting.kind === 'value') return known(setting.value, ...unset, setting.source);
    if (setting.kind === 'invalid') return unknown(setting.reason, ...unset, setting.source);
    unset.push(setting.source);
  }
  return isUnknown(versionDefault)
    ? unknown(
        `${unset.map((source) => source.path).join(' and ')} not set, so GKE's default for the version the cluster was created at applies: ${versionDefault.unknown}`,
        ...unset,
        ...sourcesOf(versionDefault),
      )
    : known(versionDefault.value, ...unset, ...versionDefault.from);
}

/**
 * Where the kubelet setting of new node pools comes from. Autopilot creates its pools from
 * `nodePoolAutoConfig`, which falls back to `nodePoolDefaults` when unset
 * (gcloud `--autoprovisioning-enable-insecure-kubelet-readonly-port`); on Standard clusters
 * `nodePoolDefaults` is the default for new pools.
 */
function newPoolKubeletSettings(cluster: RawNode, mode: Observed<ClusterMode>): readonly RawNode[] {
  const poolDefaults = descend(
    cluster,
    'nodePoolDefaults',
    'nodeConfigDefaults',
    'nodeKubeletConfig',
    'insecureKubeletReadonlyPortEnabled',
  );
  return !isUnknown(mode) && mode.value === 'gke-autopilot'
    ? [
        descend(cluster, 'nodePoolAutoConfig', 'nodeKubeletConfig', 'insecureKubeletReadonlyPortEnabled'),
        poolDefaults,
      ]
    : [poolDefaults];
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** The Compute Engine default service account: `<project-number>-compute@developer.gserviceaccount.com`. */
const COMPUTE_DEFAULT_ACCOUNT = /^\d+-compute@developer\.gserviceaccount\.com$/;

function poolServiceAccount(pool: RawNode): Observed<NodeServiceAccount> {
  const account = readString(descend(pool, 'config', 'serviceAccount'));
  const scopes = readStringArray(descend(pool, 'config', 'oauthScopes'));
  if (account.kind === 'invalid') return unknown(account.reason, account.source);
  if (scopes.kind === 'invalid') return unknown(scopes.reason, account.source, scopes.source);
  // An empty or missing serviceAccount is how the API says "default".
  const name = nonEmptyString(account) ?? 'default';
  return known(
    {
      account: name,
      providerDefault: name === 'default' || COMPUTE_DEFAULT_ACCOUNT.test(name),
      fullApiScope: scopes.kind === 'value' && scopes.value.includes(CLOUD_PLATFORM_SCOPE),
    },
    account.source,
    scopes.source,
  );
}

function poolPublicIps(pool: RawNode, clusterDefault: Read<boolean>): Observed<boolean> {
  // The pool's own setting (proto3 `optional`, so absent means "inherit") overrides the cluster default.
  const own = readBoolean(descend(pool, 'networkConfig', 'enablePrivateNodes'));
  if (own.kind === 'invalid') return unknown(own.reason, own.source);
  if (own.kind === 'value') return known(!own.value, own.source);
  if (clusterDefault.kind === 'invalid') {
    return unknown(clusterDefault.reason, own.source, clusterDefault.source);
  }
  return known(!(clusterDefault.kind === 'value' && clusterDefault.value), own.source, clusterDefault.source);
}

function basicAuth(masterAuth: RawNode): Observed<boolean> {
  const username = readString(child(masterAuth, 'username'));
  if (username.kind === 'invalid') return unknown(username.reason, username.source);
  return known(nonEmptyString(username) !== undefined, username.source);
}

function clientCertificate(masterAuth: RawNode): Observed<boolean> {
  const issue = readBoolean(descend(masterAuth, 'clientCertificateConfig', 'issueClientCertificate'));
  if (issue.kind === 'invalid') return unknown(issue.reason, issue.source);
  const certificate = child(masterAuth, 'clientCertificate');
  const key = child(masterAuth, 'clientKey');
  const issued =
    nonEmptyString(readString(certificate)) !== undefined || nonEmptyString(readString(key)) !== undefined;
  return known(
    (issue.kind === 'value' && issue.value) || issued,
    issue.source,
    presence(certificate),
    presence(key),
  );
}
