import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthenticationMode,
  type Cluster,
  CreateClusterCommand,
  type CreateClusterCommandInput,
  DescribeClusterCommand,
  EKSClient,
  IpFamily,
  LogType,
  ProvisionedControlPlaneTier,
  SupportType,
} from '@aws-sdk/client-eks';
import { CreateOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { InClusterRaw } from '../../../model/inCluster.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';
import { detectShape } from '../../../providers/snapshot/shapes.js';
import type { AwsPeer } from './awsPeer.js';
import { recordedClusterVersions } from './clusterVersions.js';
import { DEFAULT_ACCOUNT } from './frontProxy.js';

/** A cluster created in the peer. */
export interface SeededCluster {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

/** One cluster read from an `aws eks describe-cluster` export, ready to create. */
export interface EksExport extends SeededCluster {
  readonly file: string;
  readonly partition: string;
  readonly input: CreateClusterCommandInput;
  /** Response-only fields of the export (vpcId, createdAt, endpoint, …) for AwsPeer.setEksExtras. */
  readonly clusterFields: JsonObject;
}

/** A file, or an entry in one, that is not seeded, and why. */
export interface ExportNote {
  readonly file: string;
  readonly reason: string;
}

/** What a folder of exports holds for the AWS peer. */
export interface EksExports {
  readonly clusters: readonly EksExport[];
  /** Clusters of other clouds: their peers are not part of the sandbox yet. */
  readonly skipped: readonly ExportNote[];
  /** Files or entries that could not be read as a cluster at all. */
  readonly problems: readonly ExportNote[];
  /** In-cluster exports (any cloud), which the sandbox serves from its Kubernetes peer. */
  readonly inCluster: readonly InClusterExportEntry[];
}

/** One usable in-cluster export: the id of the cluster it is for, and its raw bundle. */
export interface InClusterExportEntry {
  readonly file: string;
  readonly cluster: string;
  readonly raw: InClusterRaw;
}

/** The role kubeline's config names in every account; the seeder enters accounts the same way. */
export const READ_ROLE_NAME = 'kubeline-read';

const SEED_CONCURRENCY = 8;
const FLEET_CONCURRENCY = 16;

/** Maps whose keys are user data, not API member names: never re-cased. */
const USER_MAPS = new Set(['tags', 'requiredClaims', 'labels']);

/**
 * The export with the API's camelCase member names and without nulls: the AWS Go SDK (and tools
 * built on it) writes PascalCase names and null for every absent member.
 */
function camelize(value: unknown, userMap = false): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.map((item: unknown) => camelize(item)).filter((item) => item !== undefined);
  }
  if (isJsonObject(value)) {
    const result: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(value)) {
      const name = userMap ? key : key.charAt(0).toLowerCase() + key.slice(1);
      const converted = camelize(child, !userMap && USER_MAPS.has(name));
      if (converted !== undefined) result[name] = converted;
    }
    return result;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : undefined;
}

function text(container: JsonObject | undefined, key: string): string | undefined {
  const value = container?.[key];
  return typeof value === 'string' ? value : undefined;
}

function flag(container: JsonObject | undefined, key: string): boolean | undefined {
  const value = container?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

function texts(container: JsonObject | undefined, key: string): string[] | undefined {
  const value = container?.[key];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : undefined;
}

function object(container: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = container?.[key];
  return isJsonObject(value) ? value : undefined;
}

function objects(container: JsonObject | undefined, key: string): JsonObject[] | undefined {
  const value = container?.[key];
  return Array.isArray(value) ? value.filter(isJsonObject) : undefined;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: Readonly<Record<string, T>>,
): T | undefined {
  return Object.values(allowed).find((candidate) => candidate === value);
}

/** Builds a nested request member only when the export has it: an empty object is not an absent one. */
function when<T>(source: JsonObject | undefined, build: (present: JsonObject) => T): T | undefined {
  return source === undefined ? undefined : build(source);
}

function cidrNetworks(list: JsonObject[] | undefined) {
  return list?.map((network) => ({ cidrs: texts(network, 'cidrs') }));
}

/** The CreateCluster request that makes a cluster like the exported one. */
function createClusterInput(cluster: JsonObject, name: string, roleArn: string): CreateClusterCommandInput {
  const vpc = object(cluster, 'resourcesVpcConfig');
  return {
    name,
    version: text(cluster, 'version'),
    roleArn,
    resourcesVpcConfig: {
      subnetIds: texts(vpc, 'subnetIds') ?? [],
      securityGroupIds: texts(vpc, 'securityGroupIds'),
      endpointPublicAccess: flag(vpc, 'endpointPublicAccess'),
      endpointPrivateAccess: flag(vpc, 'endpointPrivateAccess'),
      publicAccessCidrs: texts(vpc, 'publicAccessCidrs'),
    },
    kubernetesNetworkConfig: when(object(cluster, 'kubernetesNetworkConfig'), (network) => ({
      serviceIpv4Cidr: text(network, 'serviceIpv4Cidr'),
      ipFamily: oneOf(text(network, 'ipFamily'), IpFamily),
      elasticLoadBalancing: when(object(network, 'elasticLoadBalancing'), (balancing) => ({
        enabled: flag(balancing, 'enabled'),
      })),
    })),
    logging: when(object(cluster, 'logging'), (logging) => ({
      clusterLogging: objects(logging, 'clusterLogging')?.map((setup) => ({
        types: texts(setup, 'types')?.flatMap((type) => oneOf(type, LogType) ?? []),
        enabled: flag(setup, 'enabled'),
      })),
    })),
    encryptionConfig: objects(cluster, 'encryptionConfig')?.map((encryption) => ({
      resources: texts(encryption, 'resources'),
      provider: when(object(encryption, 'provider'), (provider) => ({ keyArn: text(provider, 'keyArn') })),
    })),
    accessConfig: when(object(cluster, 'accessConfig'), (access) => ({
      authenticationMode: oneOf(text(access, 'authenticationMode'), AuthenticationMode),
      bootstrapClusterCreatorAdminPermissions: flag(access, 'bootstrapClusterCreatorAdminPermissions'),
    })),
    upgradePolicy: when(object(cluster, 'upgradePolicy'), (policy) => ({
      supportType: oneOf(text(policy, 'supportType'), SupportType),
    })),
    zonalShiftConfig: when(object(cluster, 'zonalShiftConfig'), (shift) => ({
      enabled: flag(shift, 'enabled'),
    })),
    computeConfig: when(object(cluster, 'computeConfig'), (compute) => ({
      enabled: flag(compute, 'enabled'),
      nodePools: texts(compute, 'nodePools'),
      nodeRoleArn: text(compute, 'nodeRoleArn'),
    })),
    storageConfig: when(object(cluster, 'storageConfig'), (storage) => ({
      blockStorage: when(object(storage, 'blockStorage'), (block) => ({ enabled: flag(block, 'enabled') })),
    })),
    remoteNetworkConfig: when(object(cluster, 'remoteNetworkConfig'), (remote) => ({
      remoteNodeNetworks: cidrNetworks(objects(remote, 'remoteNodeNetworks')),
      remotePodNetworks: cidrNetworks(objects(remote, 'remotePodNetworks')),
    })),
    controlPlaneScalingConfig: when(object(cluster, 'controlPlaneScalingConfig'), (scaling) => ({
      tier: oneOf(text(scaling, 'tier'), ProvisionedControlPlaneTier),
    })),
    deletionProtection: flag(cluster, 'deletionProtection'),
    tags: when(object(cluster, 'tags'), (tags) =>
      Object.fromEntries(
        Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
    ),
  };
}

/** Fields CreateCluster cannot carry but DescribeCluster reports, in the wire format. */
function responseOnlyFields(cluster: JsonObject): JsonObject {
  const fields: Record<string, JsonValue> = {};
  for (const key of [
    'endpoint',
    'platformVersion',
    'status',
    'identity',
    'certificateAuthority',
    'health',
    'id',
  ]) {
    const value = cluster[key];
    if (value !== undefined) fields[key] = value;
  }
  const createdAt = cluster.createdAt;
  const createdMillis = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  if (typeof createdAt === 'number') fields.createdAt = createdAt;
  else if (!Number.isNaN(createdMillis)) fields.createdAt = createdMillis / 1000;
  const vpc = object(cluster, 'resourcesVpcConfig');
  const vpcFields: Record<string, JsonValue> = {};
  for (const key of ['vpcId', 'clusterSecurityGroupId']) {
    const value = vpc?.[key];
    if (typeof value === 'string') vpcFields[key] = value;
  }
  if (Object.keys(vpcFields).length > 0) fields.resourcesVpcConfig = vpcFields;
  const ipv6 = text(object(cluster, 'kubernetesNetworkConfig'), 'serviceIpv6Cidr');
  if (ipv6 !== undefined) fields.kubernetesNetworkConfig = { serviceIpv6Cidr: ipv6 };
  return fields;
}

const CLUSTER_ARN = /^arn:([^:]+):eks:([^:]+):(\d{12}):cluster\/(.+)$/;
const ROLE_ACCOUNT = /^arn:[^:]+:iam::(\d{12}):role\//;
const HOST_REGION = /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:eks\.)?amazonaws\.com/;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The cluster of one export, or why it cannot be created. */
function fromExport(file: string, raw: unknown): EksExport | { readonly problem: string } {
  const cluster = camelize(raw);
  if (!isJsonObject(cluster)) return { problem: 'the cluster is not an object' };
  const name = text(cluster, 'name');
  if (name === undefined || name === '') return { problem: 'the cluster has no name' };
  const arn = CLUSTER_ARN.exec(text(cluster, 'arn') ?? '');
  const givenRole = text(cluster, 'roleArn');
  // Without an ARN, the region is in the endpoint or OIDC issuer host and the account in the role.
  const region =
    arn?.[2] ??
    HOST_REGION.exec(text(cluster, 'endpoint') ?? '')?.[1] ??
    HOST_REGION.exec(text(object(object(cluster, 'identity'), 'oidc'), 'issuer') ?? '')?.[1];
  const account = arn?.[3] ?? ROLE_ACCOUNT.exec(givenRole ?? '')?.[1];
  if (region === undefined || account === undefined) {
    return { problem: `cluster ${name}: no arn, so its account and region are unknown` };
  }
  const partition = arn?.[1] ?? partitionOf(region);
  const roleArn =
    givenRole !== undefined && ROLE_ACCOUNT.test(givenRole)
      ? givenRole
      : `arn:${partition}:iam::${account}:role/${name}-eks-cluster-role`;
  return {
    file,
    account,
    region,
    name,
    partition,
    input: createClusterInput(cluster, name, roleArn),
    clusterFields: responseOnlyFields(cluster),
  };
}

async function jsonFiles(paths: readonly string[]): Promise<{ files: string[]; problems: ExportNote[] }> {
  const files: string[] = [];
  const problems: ExportNote[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (info?.isDirectory()) {
      const below = await readdir(given, { recursive: true });
      files.push(
        ...below
          .filter((entry) => entry.toLowerCase().endsWith('.json'))
          .sort()
          .map((entry) => path.join(given, entry)),
      );
    } else if (info?.isFile()) {
      files.push(given);
    } else {
      problems.push({ file: given, reason: 'no such file or folder' });
    }
  }
  return { files, problems };
}

const OTHER_CLOUDS: Readonly<Record<string, string>> = {
  gke: 'a GKE cluster: the GKE peer is not part of the sandbox yet',
  aks: 'an AKS cluster: the AKS peer is not part of the sandbox yet',
  'diagnostic-setting': 'AKS diagnostic settings: the AKS peer is not part of the sandbox yet',
};

/**
 * Reads `aws eks describe-cluster` exports (camelCase or the Go SDK's PascalCase), with kubeline's
 * own shape detection, from files and folders (searched for `.json` files).
 */
export async function readEksExports(paths: string | readonly string[]): Promise<EksExports> {
  const { files, problems } = await jsonFiles(typeof paths === 'string' ? [paths] : paths);
  const clusters: EksExport[] = [];
  const skipped: ExportNote[] = [];
  const inCluster: InClusterExportEntry[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    } catch (error) {
      problems.push({ file, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const shape = detectShape(document);
    if ('error' in shape) {
      problems.push({ file, reason: shape.error });
      continue;
    }
    for (const entry of shape.entries) {
      if (entry.kind === 'in-cluster') {
        if ('raw' in entry.export)
          inCluster.push({ file, cluster: entry.export.cluster, raw: entry.export.raw });
        else problems.push({ file, reason: entry.export.rejected });
        continue;
      }
      if (entry.kind !== 'eks') {
        if (entry.kind === 'unrecognised' || entry.kind === 'incomplete')
          problems.push({ file, reason: entry.reason });
        else {
          const reason = OTHER_CLOUDS[entry.kind] ?? entry.kind;
          // One note per file and kind: a list export of twenty clusters is one thing skipped.
          if (!skipped.some((note) => note.file === file && note.reason === reason))
            skipped.push({ file, reason });
        }
        continue;
      }
      const found = fromExport(file, entry.cluster);
      if ('problem' in found) {
        problems.push({ file, reason: found.problem });
        continue;
      }
      const key = `${found.account}/${found.region}/${found.name}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.push({ file, reason: `cluster ${key} is already in ${earlier}` });
        continue;
      }
      seen.set(key, file);
      clusters.push(found);
    }
  }
  return { clusters, skipped, problems, inCluster };
}

/** Runs `work` on every item, at most `limit` at a time, keeping the order of the results. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index];
      if (item !== undefined) results[index] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Enters each account as kubeline does: AssumeRole on its kubeline-read role (moto maps the keys). */
async function accountCredentials(
  peer: AwsPeer,
  accounts: readonly { readonly account: string; readonly partition: string }[],
): Promise<Map<string, AwsCredentialIdentity>> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: peer.endpoint, credentials: peer.credentials });
  const unique = [...new Map(accounts.map((entry) => [entry.account, entry])).values()];
  const entries = await Promise.all(
    unique.map(async ({ account, partition }) => {
      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:${partition}:iam::${account}:role/${READ_ROLE_NAME}`,
          RoleSessionName: 'kubeline-peer-seed',
        }),
      );
      const credentials = assumed.Credentials;
      if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
        throw new Error(`AssumeRole into ${account} returned no credentials`);
      }
      const identity: AwsCredentialIdentity = {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      };
      return [account, identity] as const;
    }),
  );
  sts.destroy();
  return new Map(entries);
}

/** EKS clients per account and region, destroyed together when seeding is done. */
class EksClients {
  private readonly clients = new Map<string, EKSClient>();

  constructor(
    private readonly peer: AwsPeer,
    private readonly credentials: ReadonlyMap<string, AwsCredentialIdentity>,
  ) {}

  for(account: string, region: string): EKSClient {
    const key = `${account}/${region}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const credentials = this.credentials.get(account);
      if (credentials === undefined) throw new Error(`no credentials for account ${account}`);
      client = new EKSClient({ region, endpoint: this.peer.endpoint, credentials });
      this.clients.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}

async function createAll(
  peer: AwsPeer,
  clusters: readonly (SeededCluster & {
    readonly partition: string;
    readonly input: CreateClusterCommandInput;
  })[],
  concurrency: number,
): Promise<Cluster[]> {
  const clients = new EksClients(peer, await accountCredentials(peer, clusters));
  try {
    return await mapLimit(clusters, concurrency, async (cluster) => {
      const created = await clients
        .for(cluster.account, cluster.region)
        .send(new CreateClusterCommand(cluster.input));
      if (created.cluster === undefined) throw new Error(`CreateCluster ${cluster.name} returned no cluster`);
      return created.cluster;
    });
  } finally {
    clients.destroy();
  }
}

/**
 * Creates every EKS cluster of the exports in the peer, each in the account and region of its
 * ARN, entered through STS AssumeRole of `kubeline-read` as kubeline would. Fields CreateCluster
 * cannot carry (vpcId, endpoint, createdAt, …) are set with setEksExtras. Clusters of other
 * clouds are left out; unreadable files fail the call, listing every problem.
 */
export async function seedEksFromExports(
  peer: AwsPeer,
  paths: string | readonly string[],
): Promise<SeededCluster[]> {
  const exports = await readEksExports(paths);
  if (exports.problems.length > 0) {
    const listed = exports.problems.map((problem) => `  ${problem.file}: ${problem.reason}`).join('\n');
    throw new Error(`cannot seed the AWS peer from these exports:\n${listed}`);
  }
  return seedEksExports(peer, exports.clusters);
}

/** Creates clusters already read with readEksExports. */
export async function seedEksExports(
  peer: AwsPeer,
  clusters: readonly EksExport[],
): Promise<SeededCluster[]> {
  for (const cluster of clusters) {
    if (Object.keys(cluster.clusterFields).length > 0) {
      peer.setEksExtras(cluster.account, cluster.region, cluster.name, {
        clusterFields: cluster.clusterFields,
      });
    }
  }
  await createAll(peer, clusters, SEED_CONCURRENCY);
  return clusters.map(({ account, region, name }) => ({ account, region, name }));
}

/** One cluster to create: CreateCluster's input, where roleArn and subnets may be left to defaults. */
export type SeedClusterSpec = Omit<CreateClusterCommandInput, 'roleArn' | 'resourcesVpcConfig'> &
  Partial<Pick<CreateClusterCommandInput, 'roleArn' | 'resourcesVpcConfig'>> & {
    /** Default: the peer's default account, 123456789012. */
    readonly account?: string;
    readonly region: string;
  };

/** Creates one cluster with the real SDK, as the given account (entered through AssumeRole). */
export async function seedEksCluster(peer: AwsPeer, spec: SeedClusterSpec): Promise<Cluster> {
  const { account = DEFAULT_ACCOUNT, region, ...input } = spec;
  const partition = partitionOf(region);
  const [created] = await createAll(
    peer,
    [
      {
        account,
        region,
        name: input.name ?? '',
        partition,
        input: {
          ...input,
          name: input.name,
          roleArn: input.roleArn ?? `arn:${partition}:iam::${account}:role/${input.name}-eks-cluster-role`,
          resourcesVpcConfig: input.resourcesVpcConfig ?? { subnetIds: ['subnet-0a1b2c3d4e5f60001'] },
        },
      },
    ],
    1,
  );
  if (created === undefined) throw new Error(`CreateCluster ${input.name} returned no cluster`);
  return created;
}

/** A scope clusters are created in. */
export interface SeedScope {
  readonly account: string;
  readonly region: string;
}

/** Options of seedEksFleet. */
export interface FleetOptions {
  readonly count: number;
  /** Clusters are dealt round-robin over these. Default: the default account in us-east-1. */
  readonly scopes?: readonly SeedScope[];
  /** Names are `<prefix>-0001`, … Default `cluster`. */
  readonly prefix?: string;
  /** CreateCluster calls in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Changes to the generated CreateCluster input of cluster `index` (from 0). */
  readonly customise?: (index: number) => Partial<CreateClusterCommandInput>;
}

/**
 * A varied but reproducible cluster: versions, endpoint exposure, audit logging, secrets
 * encryption and authentication mode rotate with the index, so checks see passes and failures.
 */
function fleetInput(index: number, name: string, scope: SeedScope): CreateClusterCommandInput {
  const versions = recordedClusterVersions().slice(0, 6);
  const version = versions[index % versions.length]?.clusterVersion;
  const partition = partitionOf(scope.region);
  const exposure = index % 3;
  return {
    name,
    version,
    roleArn: `arn:${partition}:iam::${scope.account}:role/${name}-eks-cluster-role`,
    resourcesVpcConfig: {
      subnetIds: [`subnet-${String(index).padStart(17, '0')}`],
      endpointPublicAccess: exposure !== 2,
      endpointPrivateAccess: exposure !== 0,
      publicAccessCidrs: exposure === 1 ? ['203.0.113.0/24'] : ['0.0.0.0/0'],
    },
    logging: {
      clusterLogging:
        index % 2 === 0
          ? [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }]
          : [
              { types: ['api', 'audit'], enabled: true },
              { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
            ],
    },
    encryptionConfig:
      index % 4 === 0
        ? []
        : [
            {
              resources: ['secrets'],
              provider: { keyArn: `arn:${partition}:kms:${scope.region}:${scope.account}:key/${name}` },
            },
          ],
    accessConfig: { authenticationMode: (['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'] as const)[index % 3] },
    tags: { fleet: name.slice(0, name.lastIndexOf('-')), index: String(index) },
  };
}

/** Creates `count` generated clusters with bounded concurrency (pagination tests, the benchmark). */
export async function seedEksFleet(peer: AwsPeer, options: FleetOptions): Promise<SeededCluster[]> {
  const scopes = options.scopes ?? [{ account: DEFAULT_ACCOUNT, region: 'us-east-1' }];
  if (scopes.length === 0) throw new Error('seedEksFleet needs at least one scope');
  const prefix = options.prefix ?? 'cluster';
  const width = Math.max(4, String(options.count).length);
  const clusters = Array.from({ length: options.count }, (_, index) => {
    const scope = scopes[index % scopes.length] ?? { account: DEFAULT_ACCOUNT, region: 'us-east-1' };
    const name = `${prefix}-${String(index + 1).padStart(width, '0')}`;
    const input = { ...fleetInput(index, name, scope), ...options.customise?.(index), name };
    return { ...scope, name, partition: partitionOf(scope.region), input };
  });
  await createAll(peer, clusters, options.concurrency ?? FLEET_CONCURRENCY);
  return clusters.map(({ account, region, name }) => ({ account, region, name }));
}

/** What seedEksAccountResources created around the clusters. */
export interface SeededAccountResources {
  /** `/aws/eks/<name>/cluster` log groups, with their retention in days (null: never expire). */
  readonly logGroups: readonly { readonly name: string; readonly retentionInDays: number | null }[];
  /** Metric filters counting failed authentications, and whether an alarm with an action watches each. */
  readonly failedAuthFilters: readonly { readonly cluster: string; readonly alarmed: boolean }[];
  /** Clusters whose OIDC issuer has an IAM OIDC provider in their account. */
  readonly oidcProviders: readonly string[];
}

/** Retentions given to the log groups in turn, EKS's own default (null: never expire) among them. */
const LOG_RETENTIONS: readonly (number | null)[] = [365, 30, null, 90];

/**
 * Metric filters in turn: on the audit log (401/403) with an alarm, on the authenticator's denials
 * without one, and none.
 */
const FAILED_AUTH_FILTERS = [
  { pattern: '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }', alarmed: true },
  { pattern: '"access denied"', alarmed: false },
  undefined,
] as const;

/**
 * What an account holds around its EKS clusters, which a cluster export does not carry: the log
 * group EKS creates for a cluster that exports any control-plane log type, with a retention;
 * metric filters on failed authentications, with and without an alarm; an IAM OIDC provider for
 * every other cluster's issuer. Each is dealt in turn over the clusters sorted by name, so a scan
 * of the sandbox sees passes, failures and every shape of AUD-03, AUD-04 and IAM-01 decided.
 */
export async function seedEksAccountResources(
  peer: AwsPeer,
  clusters: readonly SeededCluster[],
): Promise<SeededAccountResources> {
  const sorted = [...clusters].sort(
    (a, b) => a.name.localeCompare(b.name) || a.account.localeCompare(b.account),
  );
  const credentials = await accountCredentials(
    peer,
    sorted.map(({ account, region }) => ({ account, partition: partitionOf(region) })),
  );
  const logGroups: { name: string; retentionInDays: number | null }[] = [];
  const failedAuthFilters: { cluster: string; alarmed: boolean }[] = [];
  const oidcProviders: string[] = [];
  const providerIssuers = new Set<string>();
  const clients: { destroy(): void }[] = [];
  const forScope = <T extends { destroy(): void }>(
    Client: new (config: object) => T,
    account: string,
    region: string,
  ): T => {
    const client = new Client({ region, endpoint: peer.endpoint, credentials: credentials.get(account) });
    clients.push(client);
    return client;
  };
  try {
    for (const [index, cluster] of sorted.entries()) {
      const { account, region, name } = cluster;
      const described = await forScope(EKSClient, account, region).send(new DescribeClusterCommand({ name }));
      const issuer = described.cluster?.identity?.oidc?.issuer;
      if (index % 2 === 0 && issuer !== undefined) {
        // moto gives every cluster of a region one issuer; an export keeps its own.
        if (!providerIssuers.has(`${account} ${issuer}`)) {
          await forScope(IAMClient, account, region).send(
            new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'] }),
          );
          providerIssuers.add(`${account} ${issuer}`);
        }
        oidcProviders.push(name);
      }
      const exportsLogs = (described.cluster?.logging?.clusterLogging ?? []).some(
        (setup) => setup.enabled === true && (setup.types?.length ?? 0) > 0,
      );
      if (!exportsLogs) continue;
      const logGroupName = `/aws/eks/${name}/cluster`;
      const position = logGroups.length;
      const retentionInDays = LOG_RETENTIONS[position % LOG_RETENTIONS.length] ?? null;
      const logs = forScope(CloudWatchLogsClient, account, region);
      await logs.send(new CreateLogGroupCommand({ logGroupName }));
      if (retentionInDays !== null) {
        await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays }));
      }
      logGroups.push({ name: logGroupName, retentionInDays });
      const filter = FAILED_AUTH_FILTERS[position % FAILED_AUTH_FILTERS.length];
      if (filter === undefined) continue;
      const metricName = `${name}-failed-authentications`;
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName,
          filterName: 'failed-authentications',
          filterPattern: filter.pattern,
          metricTransformations: [{ metricName, metricNamespace: 'EKS/Security', metricValue: '1' }],
        }),
      );
      if (filter.alarmed) {
        await forScope(CloudWatchClient, account, region).send(
          new PutMetricAlarmCommand({
            AlarmName: `${name}-failed-authentications`,
            Namespace: 'EKS/Security',
            MetricName: metricName,
            Statistic: 'Sum',
            Period: 300,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            AlarmActions: [`arn:${partitionOf(region)}:sns:${region}:${account}:security-alerts`],
          }),
        );
      }
      failedAuthFilters.push({ cluster: name, alarmed: filter.alarmed });
    }
  } finally {
    for (const client of clients) client.destroy();
  }
  return { logGroups, failedAuthFilters, oidcProviders };
}
