import { parse as parseYaml } from 'yaml';
import type { Observed, SourceField } from '../../model/observed.js';
import { isUnknown, known, unknown } from '../../model/observed.js';
import type {
  AuditLogExport,
  AuthorizedNetworks,
  ClusterMode,
  EksAccessEntry,
  EksAuthenticationMode,
  EksClusterPosture,
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
import type { Collected } from '../collected.js';
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

/** What was collected for one EKS cluster. A snapshot holds only DescribeCluster; the rest is `missing`. */
export interface EksCollected {
  /** The `cluster` object of a DescribeCluster response. */
  readonly cluster: unknown;
  /** The `nodegroup` objects of DescribeNodegroup, one per ListNodegroups entry. */
  readonly nodegroups: Collected<readonly unknown[]>;
  /** The `identityProviderConfigs` entries of ListIdentityProviderConfigs. */
  readonly identityProviderConfigs: Collected<readonly unknown[]>;
  /**
   * Installed add-ons: the `addon` objects of DescribeAddon for the add-ons the checks read
   * (vpc-cni, eks-pod-identity-agent, aws-guardduty-agent), `{addonName}` for the others.
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
}

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
    nodePools: nodePools(collected.nodegroups, collected.subnets),
    auditLogRetentionDays: auditLogRetention(collected.auditLogGroup, name),
    failedAuthAlerting: unknown('failed-authentication alerting is not read yet (CloudWatch Logs metric filters and alarms)'),
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
      oidcIssuer: oidcIssuer(cluster),
      iamOidcProvider: unknown('IAM OIDC identity providers are not read yet (iam:ListOpenIDConnectProviders)'),
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
    if (resources.kind !== 'value' || !resources.value.includes('secrets')) continue;
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
      publicIps: nodegroupPublicIps(node, subnets),
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

/** Nodes get a public IP when any of their subnets maps one on launch (EC2 `MapPublicIpOnLaunch`). */
function nodegroupPublicIps(nodegroup: RawNode, subnets: Collected<readonly unknown[]>): Observed<boolean> {
  const subnetIds = readStringArray(child(nodegroup, 'subnets'));
  if (subnetIds.kind !== 'value') {
    return unknown(
      subnetIds.kind === 'invalid'
        ? subnetIds.reason
        : `${nodegroup.path}.subnets absent from DescribeNodegroup output`,
      subnetIds.source,
    );
  }
  if ('missing' in subnets) return unknown(subnets.missing, subnetIds.source);
  const sources: SourceField[] = [subnetIds.source];
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

function addonNames(addons: Collected<readonly unknown[]>): Observed<readonly string[]> {
  if ('missing' in addons) return unknown(addons.missing);
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
  // A flow log whose status was not returned may or may not be delivering: it is not evidence either way.
  const unread = onVpc.find((flowLog) => isAbsent(lookup(flowLog, 'FlowLogStatus')));
  if (unread !== undefined) {
    const id = lookup(unread, 'FlowLogId');
    return unknown(
      `flow log ${typeof id === 'string' ? id : '(no FlowLogId)'} on ${vpcId.value} has no FlowLogStatus, and no flow log on the VPC is ACTIVE`,
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
  if (detector.ok === null) {
    return 'missing' in addons
      ? unknown(`no GuardDuty detector in the region, and ${addons.missing}`)
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
  const unread = runtime.find((feature) => isAbsent(lookup(feature, 'Status')));
  if (status === 'ENABLED' && !enabled && unread !== undefined) {
    return unknown(
      `the GuardDuty feature ${String(lookup(unread, 'Name'))} has no Status, so whether it runs is not known`,
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
