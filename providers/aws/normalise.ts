import { parse as parseYaml } from 'yaml';
import type { Observed, SourceField } from '../../model/observed.js';
import { isUnknown, known, sourcesOf, unknown } from '../../model/observed.js';
import type {
  AuditLogExport,
  AuthorizedNetworks,
  ClusterMode,
  EksAccessEntry,
  EksAuthenticationMode,
  EksClusterPosture,
  FailedAuthAlerting,
  LiveVersionSupport,
  NetworkPolicyEnforcement,
  NodePool,
  NodeSshAccess,
  PostureOrigin,
  RuntimeThreatDetection,
  SecretsEncryption,
  SupportPlan,
} from '../../model/posture.js';
import type { VersionSupportWindow } from '../../model/support.js';
import { compareMinor, type KubernetesVersion, parseKubernetesVersion } from '../../model/version.js';
import { type Collected, missing } from '../collected.js';
import { NormaliseError, originSource } from '../errors.js';
import { IN_CLUSTER_OFF, observeApiServer } from '../kubernetes/normalise.js';
import {
  child,
  dayOfTimestamp,
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
  readArray,
  readBoolean,
  readObject,
  readString,
  readStringArray,
  requiredBoolean,
  rootNode,
  sourceOf,
  stringMap,
  toJson,
} from '../reader.js';
import { REDACTED_ACCOUNT_SCOPE, readClusterArn } from './clusterArn.js';
import { matchesFailedAuthentication } from './failedAuthPattern.js';

/** What was collected for one EKS cluster. A snapshot holds only DescribeCluster; the rest is `missing`. */
export interface EksCollected {
  /** The `cluster` object of a DescribeCluster response. */
  readonly cluster: unknown;
  /** The `nodegroup` objects of DescribeNodegroup, one per ListNodegroups entry. */
  readonly nodegroups: Collected<readonly unknown[]>;
  /**
   * The `identityProviderConfigs` entries of ListIdentityProviderConfigs; not read (missing, with
   * the reason) for a cluster whose authentication mode makes access entries decide AUTH-01.
   */
  readonly identityProviderConfigs: Collected<readonly unknown[]>;
  /**
   * Installed add-ons: the `addon` object of DescribeAddon for the one whose configuration a check
   * reads (vpc-cni), `{addonName}` from ListAddons for the others, which the checks read by name.
   */
  readonly addons: Collected<readonly unknown[]>;
  /** Access entries (ListAccessEntries), each with ListAssociatedAccessPolicies' `associatedAccessPolicies`. */
  readonly accessEntries: Collected<readonly EksAccessEntryCollected[]>;
  /** `clusterVersions` of DescribeClusterVersions in the cluster's region (`includeAll`). */
  readonly clusterVersions: Collected<readonly unknown[]>;
  /** The CloudWatch Logs group `/aws/eks/<name>/cluster` (DescribeLogGroups); null when it does not exist. */
  readonly auditLogGroup: Collected<unknown>;
  /** EC2 subnets (DescribeSubnets) of the region: the node groups' subnets are looked up here. */
  readonly subnets: Collected<readonly unknown[]>;
  /** EC2 flow logs (DescribeFlowLogs) of the region: those on the cluster's VPC count. */
  readonly flowLogs: Collected<readonly unknown[]>;
  /** The region's GuardDuty detector (GetDetector); null when GuardDuty has no detector there. */
  readonly guardDutyDetector: Collected<unknown>;
  /**
   * The metric filters of the log group `/aws/eks/<name>/cluster` (DescribeMetricFilters) with the
   * alarms on their metrics; null when the log group does not exist. Absent where not read (a snapshot).
   */
  readonly auditMetricFilters?: Collected<readonly EksMetricFilterCollected[] | null>;
  /**
   * The launch template version of each node group that uses one (the `LaunchTemplateVersions`
   * entry of EC2 DescribeLaunchTemplateVersions; null when none was returned), by node group name.
   * Absent where not read (a snapshot).
   */
  readonly launchTemplates?: ReadonlyMap<string, Collected<unknown>>;
  /**
   * The account's IAM OIDC identity providers (`OpenIDConnectProviderList` of IAM
   * ListOpenIDConnectProviders). Absent where not read (a snapshot).
   */
  readonly iamOidcProviders?: Collected<readonly unknown[]>;
}

/** One metric filter of a cluster's log group, with the alarms on its metrics. */
export interface EksMetricFilterCollected {
  /** A `metricFilters` entry of DescribeMetricFilters. */
  readonly filter: unknown;
  /**
   * For a filter that counts failed authentications, the `MetricAlarms` of DescribeAlarmsForMetric
   * for each of its `metricTransformations`, in the same order (missing when not looked up, with
   * why); empty for the other filters, whose alarms are not looked up.
   */
  readonly alarms: readonly Collected<readonly unknown[]>[];
}

/** Why a field fed by a call beyond DescribeCluster is unknown when that call was not made. */
export const NOT_IN_DESCRIBE_CLUSTER = {
  metricFilters:
    'CloudWatch Logs metric filters and alarms are not part of `aws eks describe-cluster` output; a live scan reads them with DescribeMetricFilters and DescribeAlarmsForMetric',
  launchTemplate:
    'launch templates are not part of `aws eks describe-nodegroup` output; a live scan reads them with EC2 DescribeLaunchTemplateVersions',
  oidcProviders:
    'IAM OIDC identity providers are not part of `aws eks describe-cluster` output; a live scan reads them with IAM ListOpenIDConnectProviders',
} as const;

/** One access entry and the policies associated with it. */
export interface EksAccessEntryCollected {
  readonly principalArn: string;
  readonly associatedAccessPolicies: Collected<readonly unknown[]>;
}

const AUTHENTICATION_MODES: readonly EksAuthenticationMode[] = ['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'];

/** EKS has encrypted all Kubernetes API data with an AWS-owned KMS key by default since 1.28. */
const DEFAULT_ENVELOPE_SINCE = { major: 1, minor: 28 };

function absentFromDescribe(path: string): string {
  return `${path} absent from DescribeCluster output`;
}

/** Maps raw EKS responses to a posture. Throws NormaliseError only when the cluster has no usable identity. */
export function normaliseEks(collected: EksCollected, origin: PostureOrigin): EksClusterPosture {
  const cluster = rootNode(collected.cluster, 'cluster');
  const source = originSource(origin);
  if (!isRawObject(cluster.value)) {
    throw new NormaliseError('EKS DescribeCluster output has no cluster object', { provider: 'eks', source });
  }
  const name = nonEmptyString(readString(child(cluster, 'name')));
  if (name === undefined) {
    throw new NormaliseError('EKS cluster has no name', { provider: 'eks', source });
  }
  const arn = readClusterArn(child(cluster, 'arn'), { cluster: name, source });

  const mode = clusterMode(cluster);
  const version = observeVersion(child(cluster, 'version'), absentFromDescribe('cluster.version'));
  const authentication = authenticationMode(cluster);
  const vpc = child(cluster, 'resourcesVpcConfig');
  const issuer = oidcIssuer(cluster);

  return {
    id: arn.text,
    provider: 'eks',
    scope: arn.parts.accountId ?? REDACTED_ACCOUNT_SCOPE,
    location: arn.parts.region,
    name,
    tags: stringMap(lookup(cluster.value, 'tags')),
    origin,
    mode,
    version,
    supportPlan: supportPlan(cluster),
    endpoint: {
      publicAccess: requiredBoolean(
        readBoolean(child(vpc, 'endpointPublicAccess')),
        absentFromDescribe('cluster.resourcesVpcConfig.endpointPublicAccess'),
      ),
      privateAccess: requiredBoolean(
        readBoolean(child(vpc, 'endpointPrivateAccess')),
        absentFromDescribe('cluster.resourcesVpcConfig.endpointPrivateAccess'),
      ),
      authorizedNetworks: authorizedNetworks(vpc),
    },
    // EKS always authorizes with RBAC (plus Node and webhook authorizers); ABAC cannot be turned on.
    authorization: { rbac: known(true), legacyAbac: known(false) },
    secretsEncryption: secretsEncryption(cluster, version),
    auditLogs: auditLogs(cluster),
    authenticatorLogs: logTypeEnabled(cluster, 'authenticator'),
    networkPolicy: networkPolicy(collected.addons),
    nodePools: nodePools(collected.nodegroups, collected.subnets, collected.launchTemplates),
    auditLogRetentionDays: auditLogRetention(collected.auditLogGroup, name),
    failedAuthAlerting: failedAuthAlerting(collected.auditMetricFilters, name),
    networkFlowLogs: networkFlowLogs(collected.flowLogs, vpc),
    runtimeThreatDetection: runtimeThreatDetection(collected.addons, collected.guardDutyDetector),
    versionSupport: versionSupport(collected.clusterVersions, version),
    apiServer: observeApiServer(
      readString(child(cluster, 'endpoint')),
      absentFromDescribe('cluster.endpoint'),
      {
        read: readString(descend(cluster, 'certificateAuthority', 'data')),
        absent: absentFromDescribe('cluster.certificateAuthority.data'),
      },
    ),
    inCluster: unknown(IN_CLUSTER_OFF),
    eks: {
      authenticationMode: authentication,
      oidcIdentityProviders: oidcIdentityProviders(collected.identityProviderConfigs),
      accessEntries: accessEntries(collected.accessEntries, authentication),
      bootstrapClusterCreatorAdmin: requiredBoolean(
        readBoolean(descend(cluster, 'accessConfig', 'bootstrapClusterCreatorAdminPermissions')),
        absentFromDescribe('cluster.accessConfig.bootstrapClusterCreatorAdminPermissions'),
      ),
      addons: addonNames(collected.addons),
      oidcIssuer: issuer,
      iamOidcProvider: iamOidcProvider(collected.iamOidcProviders, issuer),
    },
  };
}

function oidcIssuer(cluster: RawNode): Observed<string> {
  const read = readString(descend(cluster, 'identity', 'oidc', 'issuer'));
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  const issuer = nonEmptyString(read);
  return issuer === undefined
    ? unknown(absentFromDescribe('cluster.identity.oidc.issuer'), read.source)
    : known(issuer, read.source);
}

function clusterMode(cluster: RawNode): Observed<ClusterMode> {
  // Clusters created before Auto Mode have no computeConfig at all: they are standard clusters.
  const read = readBoolean(descend(cluster, 'computeConfig', 'enabled'));
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  return known(read.kind === 'value' && read.value ? 'eks-auto-mode' : 'standard', read.source);
}

function supportPlan(cluster: RawNode): Observed<SupportPlan> {
  const read = readString(descend(cluster, 'upgradePolicy', 'supportType'));
  if (read.kind === 'absent') {
    return unknown(absentFromDescribe('cluster.upgradePolicy.supportType'), read.source);
  }
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  if (read.value === 'EXTENDED') return known('extended', read.source);
  if (read.value === 'STANDARD') return known('standard', read.source);
  return unknown(
    `cluster.upgradePolicy.supportType ${quoted(read.value)} is not a known support type`,
    read.source,
  );
}

function authorizedNetworks(vpc: RawNode): Observed<AuthorizedNetworks> {
  const read = readStringArray(child(vpc, 'publicAccessCidrs'));
  if (read.kind === 'absent') {
    return unknown(absentFromDescribe('cluster.resourcesVpcConfig.publicAccessCidrs'), read.source);
  }
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  // The public endpoint always filters by publicAccessCidrs; 0.0.0.0/0 is how "open" is spelled.
  return known({ enforced: true, cidrs: read.value, allowsCloudPublicRanges: false }, read.source);
}

function secretsEncryption(
  cluster: RawNode,
  version: Observed<KubernetesVersion>,
): Observed<SecretsEncryption> {
  const node = child(cluster, 'encryptionConfig');
  const read = readArray(node);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  const entries = read.kind === 'value' ? read.value : [];
  for (const [index, entry] of entries.entries()) {
    const entryNode = element(node, entry, index);
    const resources = readStringArray(child(entryNode, 'resources'));
    if (resources.kind === 'invalid') return unknown(resources.reason, resources.source);
    // An entry without its resources may be the one that covers secrets.
    if (resources.kind === 'absent') return unknown(`${resources.source.path} is absent`, resources.source);
    if (!resources.value.includes('secrets')) continue;
    const keyArn = readString(descend(entryNode, 'provider', 'keyArn'));
    const keyId = nonEmptyString(keyArn);
    if (keyId === undefined) {
      return unknown(`${entryNode.path} covers secrets but has no provider.keyArn`, keyArn.source);
    }
    return known({ envelope: true, keyManagedBy: 'customer', keyId }, keyArn.source);
  }
  // No customer key: whether secrets are still envelope-encrypted depends on the version.
  if (isUnknown(version)) {
    return unknown(
      `no encryptionConfig covers secrets and the default depends on the version: ${version.unknown}`,
      read.source,
    );
  }
  const versionSource: SourceField = { path: 'cluster.version', value: version.value.raw };
  const byDefault =
    version.value.major > DEFAULT_ENVELOPE_SINCE.major ||
    (version.value.major === DEFAULT_ENVELOPE_SINCE.major &&
      version.value.minor >= DEFAULT_ENVELOPE_SINCE.minor);
  return byDefault
    ? known({ envelope: true, keyManagedBy: 'provider', keyId: null }, read.source, versionSource)
    : known({ envelope: false, keyManagedBy: 'none', keyId: null }, read.source, versionSource);
}

/** Which control-plane log types are exported: every `clusterLogging` entry counts, enabled or not. */
function enabledLogTypes(cluster: RawNode): Observed<ReadonlySet<string>> {
  const logging = readObject(child(cluster, 'logging'));
  if (logging.kind === 'absent') return unknown(absentFromDescribe('cluster.logging'), logging.source);
  if (logging.kind === 'invalid') return unknown(logging.reason, logging.source);
  const node = descend(cluster, 'logging', 'clusterLogging');
  const list = readArray(node);
  if (list.kind === 'absent') {
    return unknown(absentFromDescribe('cluster.logging.clusterLogging'), list.source);
  }
  if (list.kind === 'invalid') return unknown(list.reason, list.source);
  const types = new Set<string>();
  for (const [index, entry] of list.value.entries()) {
    const entryNode = element(node, entry, index);
    const enabled = readBoolean(child(entryNode, 'enabled'));
    const entryTypes = readStringArray(child(entryNode, 'types'));
    if (enabled.kind !== 'value') {
      return unknown(
        enabled.kind === 'invalid' ? enabled.reason : `${entryNode.path}.enabled is absent`,
        list.source,
      );
    }
    if (entryTypes.kind === 'invalid') return unknown(entryTypes.reason, list.source);
    if (enabled.value && entryTypes.kind === 'value') for (const type of entryTypes.value) types.add(type);
  }
  return known(types, list.source);
}

function auditLogs(cluster: RawNode): Observed<AuditLogExport> {
  const logTypes = enabledLogTypes(cluster);
  if (isUnknown(logTypes)) return logTypes;
  const exported = logTypes.value.has('audit');
  return known(
    { exported, categories: exported ? ['audit'] : [], destinations: exported ? ['cloudwatch-logs'] : [] },
    ...logTypes.from,
  );
}

function logTypeEnabled(cluster: RawNode, type: string): Observed<boolean> {
  const logTypes = enabledLogTypes(cluster);
  if (isUnknown(logTypes)) return logTypes;
  return known(logTypes.value.has(type), ...logTypes.from);
}

function authenticationMode(cluster: RawNode): Observed<EksAuthenticationMode> {
  const read = readString(descend(cluster, 'accessConfig', 'authenticationMode'));
  if (read.kind === 'absent') {
    // Exports from before access entries (2023) have no accessConfig: the mode is not knowable from them.
    return unknown(absentFromDescribe('cluster.accessConfig.authenticationMode'), read.source);
  }
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  const mode = AUTHENTICATION_MODES.find((candidate) => candidate === read.value);
  return mode === undefined
    ? unknown(
        `cluster.accessConfig.authenticationMode ${quoted(read.value)} is not a known mode`,
        read.source,
      )
    : known(mode, read.source);
}

function oidcIdentityProviders(configs: Collected<readonly unknown[]>): Observed<readonly string[]> {
  if ('missing' in configs) return unknown(configs.missing);
  const node = rootNode(configs.ok, 'identityProviderConfigs');
  const names: string[] = [];
  for (const [index, config] of configs.ok.entries()) {
    const configNode = element(node, config, index);
    // ListIdentityProviderConfigs gives {type, name}; DescribeIdentityProviderConfig nests it under oidc.
    const name =
      nonEmptyString(readString(child(configNode, 'name'))) ??
      nonEmptyString(readString(descend(configNode, 'oidc', 'identityProviderConfigName')));
    if (name === undefined) return unknown(`${configNode.path} has no name`, sourceOf(node));
    names.push(name);
  }
  return known(names, sourceOf(node));
}

function networkPolicy(addons: Collected<readonly unknown[]>): Observed<NetworkPolicyEnforcement> {
  if ('missing' in addons) return unknown(addons.missing);
  const list = rootNode(addons.ok, 'addons');
  const vpcCni = addons.ok.find((addon) => lookup(addon, 'addonName') === 'vpc-cni');
  if (vpcCni === undefined) {
    // A self-managed VPC CNI (or another CNI) is configured inside the cluster, out of the EKS API's sight.
    return unknown(
      'the vpc-cni add-on is not installed as an EKS add-on, so its network policy setting is not readable',
      {
        path: 'addons[name=vpc-cni]',
        value: null,
      },
    );
  }
  const node = child({ value: vpcCni, path: `${list.path}[name=vpc-cni]` }, 'configurationValues');
  const read = readString(node);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  if (read.kind === 'absent' || read.value.trim() === '') {
    // The add-on's default configuration leaves network policy enforcement off.
    return known({ enforced: false, engine: null }, read.source);
  }
  let values: unknown;
  try {
    // DescribeAddon returns the configuration as given: JSON or YAML (a superset of JSON).
    values = parseYaml(read.value);
  } catch {
    return unknown(`${node.path} is neither JSON nor YAML`, read.source);
  }
  const setting = lookup(values, 'enableNetworkPolicy');
  if (setting === undefined || setting === null) return known({ enforced: false, engine: null }, read.source);
  if (setting === 'true' || setting === true) {
    return known({ enforced: true, engine: 'vpc-cni' }, read.source);
  }
  if (setting === 'false' || setting === false) return known({ enforced: false, engine: null }, read.source);
  return unknown(
    `${node.path} has enableNetworkPolicy set to ${describeValue(setting)}, expected "true" or "false"`,
    read.source,
  );
}

function nodePools(
  nodegroups: Collected<readonly unknown[]>,
  subnets: Collected<readonly unknown[]>,
  launchTemplates: ReadonlyMap<string, Collected<unknown>> | undefined,
): Observed<readonly NodePool[]> {
  if ('missing' in nodegroups) return unknown(nodegroups.missing);
  const list = rootNode(nodegroups.ok, 'nodegroups');
  const pools: NodePool[] = [];
  for (const [index, nodegroup] of nodegroups.ok.entries()) {
    const name = nonEmptyString(readString(child(element(list, nodegroup, index), 'nodegroupName')));
    if (name === undefined) return unknown(`nodegroups[${index}] has no nodegroupName`, sourceOf(list));
    const node = element(list, nodegroup, `name=${name}`);
    pools.push({
      name,
      // Managed node groups run customer-chosen AMIs, subnets and SSH settings, in Auto Mode clusters
      // too; the nodes Auto Mode itself runs are not node groups and do not appear here.
      managedBy: 'customer',
      version: observeVersion(
        child(node, 'version'),
        `${node.path}.version absent from DescribeNodegroup output`,
      ),
      publicIps: nodegroupPublicIps(
        node,
        subnets,
        launchTemplates?.get(name) ?? launchTemplateNotRead(launchTemplates),
      ),
      kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
      sshAccess: nodegroupSshAccess(node),
      secureBoot: unknown('EKS node groups have no secure boot setting'),
      // EKS upgrades node groups only when asked (UpdateNodegroupVersion); there is no switch to read.
      autoUpgrade: unknown('EKS node groups have no automatic upgrade setting'),
      serviceAccount: unknown('the node role and its IAM policies are not read'),
    });
  }
  return known(pools);
}

/**
 * SSH to a node group: `remoteAccess` with an `ec2SshKey` and no `sourceSecurityGroups` opens port 22
 * to 0.0.0.0/0. DescribeNodegroup leaves `remoteAccess` out when a launch template is used, and the
 * template's key pair and security groups are not read, so that case stays unknown.
 */
function nodegroupSshAccess(nodegroup: RawNode): Observed<NodeSshAccess> {
  const remoteAccess = child(nodegroup, 'remoteAccess');
  const access = readObject(remoteAccess);
  if (access.kind === 'invalid') return unknown(access.reason, access.source);
  if (access.kind === 'absent') {
    const template = readObject(child(nodegroup, 'launchTemplate'));
    if (template.kind === 'absent') return known('disabled', access.source);
    return unknown(
      `${nodegroup.path} uses a launch template, whose key pair and security groups are not read`,
      access.source,
      template.source,
    );
  }
  const key = readString(child(remoteAccess, 'ec2SshKey'));
  const groups = readStringArray(child(remoteAccess, 'sourceSecurityGroups'));
  if (key.kind === 'invalid') return unknown(key.reason, access.source);
  if (groups.kind === 'invalid') return unknown(groups.reason, access.source);
  if (nonEmptyString(key) === undefined) return known('disabled', access.source);
  return known(groups.kind === 'value' && groups.value.length > 0 ? 'restricted' : 'open', access.source);
}

function launchTemplateNotRead(
  launchTemplates: ReadonlyMap<string, Collected<unknown>> | undefined,
): Collected<unknown> {
  return missing(
    launchTemplates === undefined
      ? NOT_IN_DESCRIBE_CLUSTER.launchTemplate
      : 'its launch template version was not read (DescribeLaunchTemplateVersions)',
  );
}

/**
 * Whether a node group's nodes get public IPs. A launch template decides it where its network
 * interfaces set `AssociatePublicIpAddress`: true gives public IPs whatever the subnet, false
 * none even on a subnet that maps them. Otherwise each subnet's `MapPublicIpOnLaunch` decides,
 * and any public subnet is enough. A template that could not be read leaves it unknown: it can
 * turn public IPs on as well as off, so the subnets alone decide nothing.
 */
function nodegroupPublicIps(
  nodegroup: RawNode,
  subnets: Collected<readonly unknown[]>,
  launchTemplate: Collected<unknown>,
): Observed<boolean> {
  const templateRef = child(nodegroup, 'launchTemplate');
  const reference = readObject(templateRef);
  if (reference.kind === 'invalid') return unknown(reference.reason, reference.source);
  const templateSources: SourceField[] = [];
  if (reference.kind === 'value') {
    const decided = templatePublicIps(templateRef, launchTemplate);
    if ('observed' in decided) return decided.observed;
    templateSources.push(...decided.sources);
  }
  return subnetPublicIps(nodegroup, subnets, templateSources);
}

/** How a launch template's network interfaces set public IPs: decided, or the sources of "not set". */
function templatePublicIps(
  templateRef: RawNode,
  launchTemplate: Collected<unknown>,
): { readonly observed: Observed<boolean> } | { readonly sources: readonly SourceField[] } {
  const referenceSource = sourceOf(templateRef);
  if ('missing' in launchTemplate) {
    return {
      observed: unknown(
        `${templateRef.path} names a launch template that decides public IPs, and ${launchTemplate.missing}`,
        referenceSource,
      ),
    };
  }
  const version = launchTemplate.ok;
  const label =
    nonEmptyString(readString(child(templateRef, 'id'))) ??
    nonEmptyString(readString(child(templateRef, 'name'))) ??
    'unnamed';
  const versionLabel = nonEmptyString(readString(child(templateRef, 'version'))) ?? '$Default';
  const path = `launchTemplates[id=${label},version=${versionLabel}]`;
  if (version === null) {
    return {
      observed: unknown(
        `DescribeLaunchTemplateVersions returned no version ${quoted(versionLabel)} of launch template ${quoted(label)}`,
        referenceSource,
        { path, value: null },
      ),
    };
  }
  const interfacesNode = descend({ value: version, path }, 'LaunchTemplateData', 'NetworkInterfaces');
  const interfaces = readArray(interfacesNode);
  if (interfaces.kind === 'invalid')
    return { observed: unknown(interfaces.reason, referenceSource, interfaces.source) };
  const settings: SourceField[] = [];
  let anyOn = false;
  let anyOff = false;
  for (const [index, networkInterface] of (interfaces.kind === 'value' ? interfaces.value : []).entries()) {
    const read = readBoolean(
      child(element(interfacesNode, networkInterface, index), 'AssociatePublicIpAddress'),
    );
    if (read.kind === 'invalid') return { observed: unknown(read.reason, referenceSource, read.source) };
    if (read.kind === 'absent') continue;
    settings.push(read.source);
    anyOn ||= read.value;
    anyOff ||= !read.value;
  }
  if (anyOn || anyOff) return { observed: known(anyOn, referenceSource, ...settings) };
  return { sources: [referenceSource, sourceOf(interfacesNode)] };
}

/** Nodes get a public IP when any of their subnets maps one on launch (EC2 `MapPublicIpOnLaunch`). */
function subnetPublicIps(
  nodegroup: RawNode,
  subnets: Collected<readonly unknown[]>,
  templateSources: readonly SourceField[],
): Observed<boolean> {
  const subnetIds = readStringArray(child(nodegroup, 'subnets'));
  if (subnetIds.kind !== 'value') {
    return unknown(
      subnetIds.kind === 'invalid'
        ? subnetIds.reason
        : `${nodegroup.path}.subnets absent from DescribeNodegroup output`,
      ...templateSources,
      subnetIds.source,
    );
  }
  if ('missing' in subnets) return unknown(subnets.missing, ...templateSources, subnetIds.source);
  const sources: SourceField[] = [...templateSources, subnetIds.source];
  let anyPublic = false;
  for (const subnetId of subnetIds.value) {
    const subnet = subnets.ok.find((candidate) => lookup(candidate, 'SubnetId') === subnetId);
    if (subnet === undefined) {
      return unknown(
        `subnet ${quoted(subnetId)} of ${nodegroup.path} was not returned by DescribeSubnets`,
        ...sources,
      );
    }
    const read = readBoolean(
      child({ value: subnet, path: `subnets[id=${subnetId}]` }, 'MapPublicIpOnLaunch'),
    );
    if (read.kind !== 'value') {
      return unknown(
        read.kind === 'invalid' ? read.reason : `${read.source.path} absent`,
        ...sources,
        read.source,
      );
    }
    sources.push(read.source);
    anyPublic ||= read.value;
  }
  return known(anyPublic, ...sources);
}

/** How many listed add-ons have no readable name: any of them may be the one a check looks for. */
function unnamedAddons(addons: readonly unknown[]): number {
  return addons.filter((addon) => typeof lookup(addon, 'addonName') !== 'string').length;
}

function addonNames(addons: Collected<readonly unknown[]>): Observed<readonly string[]> {
  if ('missing' in addons) return unknown(addons.missing);
  const unnamed = unnamedAddons(addons.ok);
  // A name that cannot be read may be the add-on IAM-01 looks for, so the names prove no absence.
  if (unnamed > 0) {
    return unknown(`eks:ListAddons listed ${unnamed} add-on(s) without a readable addonName`, {
      path: 'addons[].addonName',
      value: addons.ok.map((addon) => toJson(lookup(addon, 'addonName'))),
    });
  }
  const names = addons.ok
    .map((addon) => lookup(addon, 'addonName'))
    .filter((name): name is string => typeof name === 'string');
  return known(names, { path: 'addons[].addonName', value: names });
}

const ACCESS_SCOPE_TYPES = new Set(['cluster', 'namespace']);

function accessEntries(
  entries: Collected<readonly EksAccessEntryCollected[]>,
  authentication: Observed<EksAuthenticationMode>,
): Observed<readonly EksAccessEntry[]> {
  // EKS refuses the access entry API on a CONFIG_MAP cluster: "none listed" would read as "no admins".
  if (!isUnknown(authentication) && authentication.value === 'CONFIG_MAP') {
    return unknown(
      'the cluster authenticates through the aws-auth ConfigMap only (authenticationMode CONFIG_MAP), so it has no access entries; who aws-auth maps to cluster-admin needs in-cluster read access',
      ...authentication.from,
    );
  }
  if ('missing' in entries) return unknown(entries.missing);
  const result: EksAccessEntry[] = [];
  const sources: SourceField[] = [];
  for (const entry of entries.ok) {
    const path = `accessEntries[principalArn=${entry.principalArn}].associatedAccessPolicies`;
    if ('missing' in entry.associatedAccessPolicies) {
      return unknown(`${path}: ${entry.associatedAccessPolicies.missing}`);
    }
    const policies: EksAccessEntry['policies'][number][] = [];
    for (const [index, policy] of entry.associatedAccessPolicies.ok.entries()) {
      const node = element({ value: entry.associatedAccessPolicies.ok, path }, policy, index);
      const policyArn = nonEmptyString(readString(child(node, 'policyArn')));
      const scope = readString(descend(node, 'accessScope', 'type'));
      if (policyArn === undefined || scope.kind !== 'value' || !ACCESS_SCOPE_TYPES.has(scope.value)) {
        return unknown(
          `${node.path} has no policyArn or no accessScope.type of cluster or namespace`,
          sourceOf(node),
        );
      }
      policies.push({ policyArn, scope: scope.value === 'cluster' ? 'cluster' : 'namespace' });
    }
    sources.push({ path, value: toJson(entry.associatedAccessPolicies.ok) });
    result.push({ principalArn: entry.principalArn, policies });
  }
  return known(result, ...sources);
}

function auditLogRetention(group: Collected<unknown>, clusterName: string): Observed<number | null> {
  const path = `logGroups[name=/aws/eks/${clusterName}/cluster]`;
  if ('missing' in group) return unknown(group.missing);
  if (group.ok === null) {
    return unknown(`the log group /aws/eks/${clusterName}/cluster does not exist`, { path, value: null });
  }
  const read = child({ value: group.ok, path }, 'retentionInDays');
  if (isAbsent(read.value)) return known(null, sourceOf(read));
  return typeof read.value === 'number' && Number.isInteger(read.value) && read.value > 0
    ? known(read.value, sourceOf(read))
    : unknown(`${read.path} is ${describeValue(read.value)}, expected a number of days`, sourceOf(read));
}

/** One metric a failed-authentication filter feeds, and what the alarms on it say. */
interface MetricAlerting {
  readonly alerts: readonly string[];
  readonly unalerted: readonly string[];
  /** Why whether it alerts is not known; undefined when it is. */
  readonly undecided?: string;
  readonly source: SourceField;
}

/** A metric alarm alerts someone when its actions are enabled and it has at least one alarm action. */
function metricAlerting(metric: RawNode, alarms: Collected<readonly unknown[]> | undefined): MetricAlerting {
  const namespace = nonEmptyString(readString(child(metric, 'metricNamespace')));
  const metricName = nonEmptyString(readString(child(metric, 'metricName')));
  const label = `alarms[metric=${namespace ?? '?'}/${metricName ?? '?'}]`;
  if (namespace === undefined || metricName === undefined) {
    return {
      alerts: [],
      unalerted: [],
      undecided: `${metric.path} has no metricNamespace or metricName`,
      source: sourceOf(metric),
    };
  }
  const dimensions = readObject(child(metric, 'dimensions'));
  if (
    dimensions.kind !== 'absent' &&
    !(dimensions.kind === 'value' && Object.keys(dimensions.value).length === 0)
  ) {
    // Alarms on a dimensioned metric name each dimension value, which only the log events hold.
    return {
      alerts: [],
      unalerted: [],
      undecided: `the metric ${namespace}/${metricName} has dimensions, so alarms on it cannot be looked up by metric`,
      source: sourceOf(child(metric, 'dimensions')),
    };
  }
  if (alarms === undefined || 'missing' in alarms) {
    return {
      alerts: [],
      unalerted: [],
      undecided: alarms?.missing ?? `the alarms on ${namespace}/${metricName} were not looked up`,
      source: { path: label, value: null },
    };
  }
  const list = rootNode(alarms.ok, label);
  const alerts: string[] = [];
  const unalerted: string[] = [];
  for (const [index, alarm] of alarms.ok.entries()) {
    const node = element(list, alarm, index);
    const alarmName = nonEmptyString(readString(child(node, 'AlarmName')));
    const enabled = readBoolean(child(node, 'ActionsEnabled'));
    const actions = readStringArray(child(node, 'AlarmActions'));
    if (alarmName === undefined || enabled.kind !== 'value' || actions.kind === 'invalid') {
      return {
        alerts: [],
        unalerted: [],
        undecided: `${node.path} has no AlarmName, ActionsEnabled or readable AlarmActions`,
        source: sourceOf(list),
      };
    }
    const actionCount = actions.kind === 'value' ? actions.value.length : 0;
    if (enabled.value && actionCount > 0) alerts.push(`cloudwatch-alarm:${alarmName}`);
    else
      unalerted.push(
        `cloudwatch-alarm:${alarmName} (${enabled.value ? 'no alarm actions' : 'actions disabled'})`,
      );
  }
  const names = alarms.ok.map((alarm) => toJson(lookup(alarm, 'AlarmName')));
  return { alerts, unalerted, source: { path: label, value: names } };
}

/**
 * AUD-04 on EKS: the metric filters of the cluster's log group that count failed authentications
 * (matchesFailedAuthentication), and the CloudWatch alarms on their metrics that notify someone.
 * An alert found is enough; without one, any metric whose alarms could not be read leaves it unknown.
 */
function failedAuthAlerting(
  filters: Collected<readonly EksMetricFilterCollected[] | null> | undefined,
  clusterName: string,
): Observed<FailedAuthAlerting> {
  const logGroup = `/aws/eks/${clusterName}/cluster`;
  if (filters === undefined) return unknown(NOT_IN_DESCRIBE_CLUSTER.metricFilters);
  if ('missing' in filters) return unknown(filters.missing);
  if (filters.ok === null) {
    // No log group, so no metric filter and nothing that can alert.
    return known({ alerts: [], unalerted: [] }, { path: `logGroups[name=${logGroup}]`, value: null });
  }
  const listPath = `metricFilters[logGroup=${logGroup}]`;
  const summary: SourceField = {
    path: listPath,
    value: filters.ok.map(({ filter }) => ({
      filterName: toJson(lookup(filter, 'filterName')),
      filterPattern: toJson(lookup(filter, 'filterPattern')),
    })),
  };
  const alerts = new Set<string>();
  const unalerted = new Set<string>();
  const sources: SourceField[] = [summary];
  let undecided: string | undefined;
  for (const [index, { filter, alarms }] of filters.ok.entries()) {
    const node = element(rootNode(filters.ok, listPath), filter, index);
    const filterName = nonEmptyString(readString(child(node, 'filterName')));
    const pattern = readString(child(node, 'filterPattern'));
    if (filterName === undefined || pattern.kind === 'invalid') {
      return unknown(`${node.path} has no filterName or a filterPattern that is not a string`, summary);
    }
    // An absent pattern is the empty one, which matches every event: not a failed-authentication filter.
    if (!matchesFailedAuthentication(pattern.kind === 'value' ? pattern.value : '')) continue;
    const transformationsNode = child(
      { value: filter, path: `metricFilters[name=${filterName}]` },
      'metricTransformations',
    );
    const transformations = readArray(transformationsNode);
    if (transformations.kind === 'invalid')
      return unknown(transformations.reason, summary, transformations.source);
    // The API always names a filter's metric: without it, an alarm on the metric cannot be ruled out.
    if (transformations.kind === 'absent') undecided ??= `${transformationsNode.path} is absent`;
    let filterAlerts = 0;
    for (const [position, metric] of (transformations.kind === 'value'
      ? transformations.value
      : []
    ).entries()) {
      const result = metricAlerting(element(transformationsNode, metric, position), alarms[position]);
      sources.push(result.source);
      undecided ??= result.undecided;
      filterAlerts += result.alerts.length;
      for (const alert of result.alerts) alerts.add(alert);
      for (const name of result.unalerted) unalerted.add(name);
    }
    if (filterAlerts === 0) unalerted.add(`metric-filter:${filterName}`);
  }
  if (alerts.size === 0 && undecided !== undefined) return unknown(undecided, ...sources);
  return known({ alerts: [...alerts], unalerted: [...unalerted] }, ...sources);
}

/** The IAM OIDC provider name of an issuer: its host (lower case) and path, without a trailing slash. */
function oidcProviderName(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '') return undefined;
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * IAM-01 on EKS: an IAM OIDC provider for the cluster's issuer exists in the account, named
 * `arn:aws:iam::<account>:oidc-provider/<issuer host and path>`, so IAM roles for service
 * accounts can trust it.
 */
function iamOidcProvider(
  providers: Collected<readonly unknown[]> | undefined,
  issuer: Observed<string>,
): Observed<boolean> {
  if (providers === undefined) return unknown(NOT_IN_DESCRIBE_CLUSTER.oidcProviders);
  if ('missing' in providers) return unknown(providers.missing);
  if (isUnknown(issuer))
    return unknown(`the cluster's OIDC issuer is not known: ${issuer.unknown}`, ...sourcesOf(issuer));
  const wanted = oidcProviderName(issuer.value);
  if (wanted === undefined) {
    return unknown(`the OIDC issuer ${quoted(issuer.value)} is not an https URL`, ...issuer.from);
  }
  const list = rootNode(providers.ok, 'iam.openIDConnectProviders');
  const path = `iam.openIDConnectProviders[url=${wanted}]`;
  for (const [index, provider] of providers.ok.entries()) {
    const arn = readString(child(element(list, provider, index), 'Arn'));
    if (arn.kind !== 'value') {
      return unknown(
        arn.kind === 'invalid' ? arn.reason : `${arn.source.path} is absent`,
        ...issuer.from,
        arn.source,
      );
    }
    const marker = ':oidc-provider/';
    const at = arn.value.indexOf(marker);
    const name = at < 0 ? undefined : oidcProviderName(`https://${arn.value.slice(at + marker.length)}`);
    if (name === wanted) return known(true, ...issuer.from, { path, value: arn.value });
  }
  return known(false, ...issuer.from, { path, value: null });
}

function networkFlowLogs(flowLogs: Collected<readonly unknown[]>, vpc: RawNode): Observed<boolean> {
  const vpcId = readString(child(vpc, 'vpcId'));
  if (vpcId.kind !== 'value') {
    return unknown(
      vpcId.kind === 'invalid' ? vpcId.reason : absentFromDescribe('cluster.resourcesVpcConfig.vpcId'),
      vpcId.source,
    );
  }
  if ('missing' in flowLogs) return unknown(flowLogs.missing, vpcId.source);
  const onVpc = flowLogs.ok.filter((flowLog) => lookup(flowLog, 'ResourceId') === vpcId.value);
  const sources: SourceField[] = [
    vpcId.source,
    { path: `flowLogs[resourceId=${vpcId.value}]`, value: toJson(onVpc) },
  ];
  if (onVpc.some((flowLog) => lookup(flowLog, 'FlowLogStatus') === 'ACTIVE')) return known(true, ...sources);
  // A flow log whose resource id cannot be read may be this VPC's: the list proves no absence.
  const unnamed = flowLogs.ok.filter((flowLog) => typeof lookup(flowLog, 'ResourceId') !== 'string');
  if (unnamed.length > 0) {
    return unknown(
      `ec2:DescribeFlowLogs listed ${unnamed.length === 1 ? 'a flow log' : `${unnamed.length} flow logs`} without a readable ResourceId, and none on ${vpcId.value} is ACTIVE`,
      ...sources,
    );
  }
  // A flow log whose status was not returned (or not as a string) may or may not be delivering: it is not evidence either way.
  const unread = onVpc.find((flowLog) => typeof lookup(flowLog, 'FlowLogStatus') !== 'string');
  if (unread !== undefined) {
    const id = lookup(unread, 'FlowLogId');
    return unknown(
      `flow log ${typeof id === 'string' ? id : '(no FlowLogId)'} on ${vpcId.value} has no readable FlowLogStatus, and no flow log on the VPC is ACTIVE`,
      ...sources,
    );
  }
  return known(false, ...sources);
}

const RUNTIME_FEATURES = new Set(['EKS_RUNTIME_MONITORING', 'RUNTIME_MONITORING']);

function runtimeThreatDetection(
  addons: Collected<readonly unknown[]>,
  detector: Collected<unknown>,
): Observed<RuntimeThreatDetection> {
  if ('ok' in addons && addons.ok.some((addon) => lookup(addon, 'addonName') === 'aws-guardduty-agent')) {
    return known(
      { enabled: true, via: 'aws-guardduty-agent' },
      { path: 'addons[name=aws-guardduty-agent]', value: 'installed' },
    );
  }
  if ('missing' in detector) return unknown(detector.missing);
  // An add-on whose name cannot be read may be the GuardDuty agent: it leaves "not enabled" unproven.
  const unnamed = 'ok' in addons ? unnamedAddons(addons.ok) : 0;
  const agentUnread =
    'missing' in addons
      ? addons.missing
      : unnamed > 0
        ? `eks:ListAddons listed ${unnamed} add-on(s) without a readable addonName`
        : undefined;
  if (detector.ok === null) {
    return agentUnread !== undefined
      ? unknown(`no GuardDuty detector in the region, and ${agentUnread}`)
      : known({ enabled: false, via: null }, { path: 'guardDuty.detectorId', value: null });
  }
  const node = child({ value: detector.ok, path: 'guardDuty.detector' }, 'Features');
  const features = readArray(node);
  if (features.kind === 'invalid') return unknown(features.reason, features.source);
  const status = lookup(detector.ok, 'Status');
  const statusSource: SourceField = { path: 'guardDuty.detector.Status', value: toJson(status) };
  // GetDetector's Status is ENABLED or DISABLED; without it a detector is not evidence of monitoring.
  if (isAbsent(status)) {
    return unknown(
      'the GuardDuty detector of the region has no Status, so whether it runs is not known',
      statusSource,
    );
  }
  if (status !== 'ENABLED' && status !== 'DISABLED') {
    return unknown(
      `the GuardDuty detector has Status ${describeValue(status)}, expected ENABLED or DISABLED`,
      statusSource,
    );
  }
  const runtime = (features.kind === 'value' ? features.value : []).filter((feature) =>
    RUNTIME_FEATURES.has(String(lookup(feature, 'Name'))),
  );
  const runtimeSource: SourceField = {
    path: 'guardDuty.detector.Features[RUNTIME_MONITORING]',
    value: toJson(runtime),
  };
  const enabled = status === 'ENABLED' && runtime.some((feature) => lookup(feature, 'Status') === 'ENABLED');
  // A runtime feature whose Status cannot be read, or a feature without a readable Name, may be the one that runs.
  const unread = runtime.find((feature) => typeof lookup(feature, 'Status') !== 'string');
  if (status === 'ENABLED' && !enabled && unread !== undefined) {
    return unknown(
      `the GuardDuty feature ${String(lookup(unread, 'Name'))} has no readable Status, so whether it runs is not known`,
      runtimeSource,
    );
  }
  const unnamedFeature = (features.kind === 'value' ? features.value : []).some(
    (feature) => typeof lookup(feature, 'Name') !== 'string',
  );
  if (status === 'ENABLED' && !enabled && unnamedFeature) {
    return unknown(
      'the GuardDuty detector lists a feature without a readable Name, and no runtime monitoring feature is ENABLED',
      statusSource,
      sourceOf(node),
    );
  }
  if (!enabled && agentUnread !== undefined) {
    return unknown(
      `the GuardDuty detector does not monitor the runtime, and ${agentUnread}`,
      statusSource,
      runtimeSource,
    );
  }
  return known(
    { enabled, via: enabled ? 'guardduty-runtime-monitoring' : null },
    statusSource,
    runtimeSource,
  );
}

function versionSupport(
  clusterVersions: Collected<readonly unknown[]>,
  version: Observed<KubernetesVersion>,
): Observed<LiveVersionSupport> {
  if ('missing' in clusterVersions) return unknown(clusterVersions.missing);
  const list = rootNode(clusterVersions.ok, 'clusterVersions');
  const windows: VersionSupportWindow[] = [];
  for (const [index, entry] of clusterVersions.ok.entries()) {
    const node = element(list, entry, index);
    const minorVersion = nonEmptyString(readString(child(node, 'clusterVersion')));
    const releaseDate = dayOfTimestamp(lookup(entry, 'releaseDate'));
    const endOfStandardSupport = dayOfTimestamp(lookup(entry, 'endOfStandardSupportDate'));
    // Every EKS minor gets extended support after standard support, so a missing end date is
    // missing data, never "none" (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
    const endOfExtendedSupport = dayOfTimestamp(lookup(entry, 'endOfExtendedSupportDate'));
    if (
      minorVersion === undefined ||
      releaseDate === undefined ||
      endOfStandardSupport === undefined ||
      endOfExtendedSupport === undefined
    ) {
      return unknown(
        `${node.path} lacks clusterVersion, releaseDate, endOfStandardSupportDate or endOfExtendedSupportDate`,
        sourceOf(node),
      );
    }
    windows.push({ minorVersion, releaseDate, endOfStandardSupport, endOfExtendedSupport });
  }
  const newest = windows
    .map((window) => ({ window, parsed: parseKubernetesVersion(window.minorVersion) }))
    .filter(
      (item): item is { window: VersionSupportWindow; parsed: KubernetesVersion } =>
        item.parsed !== undefined,
    )
    .sort((a, b) => compareMinor(b.parsed, a.parsed))[0];
  if (newest === undefined) return unknown('DescribeClusterVersions listed no versions', sourceOf(list));
  const minor = isUnknown(version) ? undefined : version.value.minorVersion;
  const window = windows.find((candidate) => candidate.minorVersion === minor) ?? null;
  return known(
    { window, newestMinorVersion: newest.window.minorVersion, source: 'eks:DescribeClusterVersions' },
    { path: `clusterVersions[clusterVersion=${minor ?? 'unknown'}]`, value: toJson(window) },
    { path: 'clusterVersions[newest].clusterVersion', value: newest.window.minorVersion },
  );
}
