import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';
import type { EksExtras } from './awsPeer.js';
import {
  type ClusterVersionEntry,
  type ClusterVersionInformation,
  recordedClusterVersions,
  versionsAsOf,
} from './clusterVersions.js';
import { eksClusterMembers } from './restRoutes.js';
import { type AwsRequest, errorResponse, jsonResponse, type PeerResponse } from './wire.js';

/** Finds the VPC of subnets in moto's EC2 (undefined when moto does not know them). */
export type SubnetVpcLookup = (
  request: AwsRequest,
  account: string,
  subnetIds: readonly string[],
) => Promise<string | undefined>;

/** A request body after the peer applied AWS's defaults, and what it derived on the way. */
export interface PreparedRequest {
  readonly body: Buffer;
  readonly derived: JsonObject;
}

interface ClusterRecord {
  readonly version: string;
  /** The CreateCluster request after AWS's defaults: it restores the fields moto drops. */
  readonly requested: JsonObject;
  /** Response-only fields AWS computes and moto does not (`resourcesVpcConfig.vpcId`). */
  readonly derived: JsonObject;
}

interface StoredAddon {
  readonly addonName: string;
  readonly addonVersion?: string;
  readonly configurationValues?: string;
  readonly serviceAccountRoleArn?: string;
  readonly id: string;
}

interface StoredIdentityProvider {
  readonly name: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly usernameClaim?: string;
  readonly groupsClaim?: string;
  readonly usernamePrefix?: string;
  readonly groupsPrefix?: string;
  readonly id: string;
}

interface StoredAccessEntry {
  readonly principalArn: string;
  readonly type: string;
  readonly policies: readonly {
    readonly policyArn: string;
    readonly accessScope: { readonly type: 'cluster' | 'namespace'; readonly namespaces?: readonly string[] };
  }[];
  readonly id: string;
}

interface StoredExtras {
  /** When the extras were set: the creation and modification time the API reports for them. */
  readonly setAt: number;
  readonly addons: readonly StoredAddon[];
  readonly identityProviderConfigs: readonly StoredIdentityProvider[];
  readonly accessEntries: readonly StoredAccessEntry[];
  readonly clusterFields: JsonObject;
}

/** AWS caps every EKS page at 100 and rejects larger requests (moto accepts anything). */
const MAX_PAGE = 100;

/** Fields moto keeps up to date itself (TagResource, UntagResource): never restored from the request. */
const MOTO_OWNED_FIELDS = new Set(['tags']);

const CLUSTER_MEMBERS = eksClusterMembers();

/** The per-cluster read routes moto 5.2.1 answers with a 404 HTML page. */
const CLUSTER_ROUTES_SERVED = new Set([
  'ListAddons',
  'DescribeAddon',
  'ListIdentityProviderConfigs',
  'DescribeIdentityProviderConfig',
  'ListAccessEntries',
  'DescribeAccessEntry',
  'ListAssociatedAccessPolicies',
]);

/** The access entry API, which EKS serves only on clusters whose authentication mode includes API. */
const ACCESS_ENTRY_ROUTES = new Set([
  'ListAccessEntries',
  'DescribeAccessEntry',
  'ListAssociatedAccessPolicies',
]);

function keyOf(account: string, region: string, name: string): string {
  return `${account}/${region}/${name}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function parseObject(body: Buffer | string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `base` with what it lacks taken from `extra`, recursively; `base` wins wherever it has a value. */
function fillMissing(base: JsonObject, extra: JsonObject): JsonObject {
  const merged: Record<string, JsonValue> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    if (current === undefined || current === null) merged[key] = value;
    else if (isJsonObject(current) && isJsonObject(value)) merged[key] = fillMissing(current, value);
  }
  return merged;
}

/** `base` with `top` laid over it, recursively; `top` wins. */
function overlay(base: JsonObject, top: JsonObject): JsonObject {
  const merged: Record<string, JsonValue> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const current = merged[key];
    merged[key] = isJsonObject(current) && isJsonObject(value) ? overlay(current, value) : value;
  }
  return merged;
}

function objectAt(container: JsonObject, key: string): JsonObject {
  const value = container[key];
  return isJsonObject(value) ? value : {};
}

function invalidParameter(message: string): PeerResponse {
  return errorResponse('rest-json', 'InvalidParameterException', 400, message);
}

/** The page size asked for, or the error EKS answers a size outside 1 to 100 with. */
function pageLimit(query: URLSearchParams): number | PeerResponse {
  const limit = query.has('maxResults') ? Number(query.get('maxResults')) : MAX_PAGE;
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE
    ? limit
    : invalidParameter(`maxResults must be between 1 and ${MAX_PAGE}`);
}

function clusterNotFound(clusterName: string): PeerResponse {
  const message = `No cluster found for name: ${clusterName}.`;
  return errorResponse('rest-json', 'ResourceNotFoundException', 404, message, { clusterName });
}

type Page<T> =
  | { readonly items: readonly T[]; readonly nextToken?: string }
  | { readonly error: PeerResponse };

/** One page the way EKS pages: `maxResults` 1 to 100 (default 100) and an opaque `nextToken`. */
function paginate<T>(items: readonly T[], query: URLSearchParams): Page<T> {
  const limit = pageLimit(query);
  if (typeof limit !== 'number') return { error: limit };
  const token = query.get('nextToken');
  const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    return { error: invalidParameter('The nextToken is not valid') };
  }
  const end = start + limit;
  const page = items.slice(start, end);
  return end < items.length
    ? { items: page, nextToken: Buffer.from(String(end), 'utf8').toString('base64url') }
    : { items: page };
}

function pageBody(key: string, page: { readonly items: readonly JsonValue[]; readonly nextToken?: string }) {
  return page.nextToken === undefined
    ? { [key]: page.items }
    : { [key]: page.items, nextToken: page.nextToken };
}

function withoutUndefined(fields: Readonly<Record<string, JsonValue | undefined>>): JsonObject {
  const defined: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) defined[key] = value;
  return defined;
}

/**
 * What moto 5.2.1 lacks of EKS, kept beside it: the read routes it 404s on (add-ons, identity
 * provider configs, access entries, DescribeClusterVersions), the CreateCluster fields it drops,
 * and the defaults AWS applies that moto does not (cluster and node group versions, endpoint
 * flags, access config, upgrade policy). Everything is keyed by account, region and cluster.
 */
export class EksExtensions {
  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly extras = new Map<string, StoredExtras>();
  private readonly versionOverrides = new Map<string, readonly ClusterVersionEntry[]>();

  constructor(
    private readonly asOfDay: () => string,
    private readonly subnetVpc: SubnetVpcLookup,
  ) {}

  reset(): void {
    this.clusters.clear();
    this.extras.clear();
    this.versionOverrides.clear();
  }

  setExtras(account: string, region: string, cluster: string, extras: EksExtras): void {
    const key = keyOf(account, region, cluster);
    const previous = this.extras.get(key);
    this.extras.set(key, {
      setAt: nowSeconds(),
      addons: extras.addons?.map((addon) => ({ ...addon, id: randomUUID() })) ?? previous?.addons ?? [],
      identityProviderConfigs:
        extras.identityProviderConfigs?.map((config) => ({ ...config, id: randomUUID() })) ??
        previous?.identityProviderConfigs ??
        [],
      accessEntries:
        extras.accessEntries?.map((entry) => ({
          principalArn: entry.principalArn,
          type: entry.type ?? 'STANDARD',
          policies: entry.policies ?? [],
          id: randomUUID(),
        })) ??
        previous?.accessEntries ??
        [],
      clusterFields: extras.clusterFields ?? previous?.clusterFields ?? {},
    });
  }

  setClusterVersions(region: string, versions: readonly ClusterVersionEntry[]): void {
    this.versionOverrides.set(region, [...versions]);
  }

  private versions(region: string): readonly ClusterVersionInformation[] {
    return versionsAsOf(this.versionOverrides.get(region) ?? recordedClusterVersions(), this.asOfDay());
  }

  /** Answers the EKS requests moto cannot; undefined for those moto should get. */
  serve(request: AwsRequest, account: string): PeerResponse | undefined {
    if (request.service !== 'eks') return undefined;
    // moto pages whatever size it is asked for; EKS refuses sizes over 100, for every list call.
    const limit = pageLimit(request.query);
    if (typeof limit !== 'number') return limit;
    if (request.operation === 'DescribeClusterVersions') return this.describeClusterVersions(request);
    if (!CLUSTER_ROUTES_SERVED.has(request.operation)) return undefined;
    const clusterName = request.params.clusterName ?? '';
    const key = keyOf(account, request.region, clusterName);
    if (!this.clusters.has(key)) return clusterNotFound(clusterName);
    const extras = this.extras.get(key) ?? {
      setAt: nowSeconds(),
      addons: [],
      identityProviderConfigs: [],
      accessEntries: [],
      clusterFields: {},
    };
    const scope = { account, region: request.region, clusterName, extras };
    if (ACCESS_ENTRY_ROUTES.has(request.operation) && this.authenticationMode(key, extras) === 'CONFIG_MAP') {
      return errorResponse(
        'rest-json',
        'InvalidRequestException',
        400,
        "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        { clusterName },
      );
    }
    switch (request.operation) {
      case 'ListAddons':
        return this.listed('addons', extras.addons.map((addon) => addon.addonName).sort(), request.query);
      case 'DescribeAddon':
        return this.describeAddon(scope, request.params.addonName ?? '');
      case 'ListIdentityProviderConfigs':
        return this.listed(
          'identityProviderConfigs',
          extras.identityProviderConfigs.map((config) => ({ type: 'oidc', name: config.name })),
          request.query,
        );
      case 'DescribeIdentityProviderConfig':
        return this.describeIdentityProvider(scope, request.body);
      case 'ListAccessEntries': {
        const policy = request.query.get('associatedPolicyArn');
        const entries = extras.accessEntries.filter(
          (entry) => policy === null || entry.policies.some((associated) => associated.policyArn === policy),
        );
        return this.listed(
          'accessEntries',
          entries.map((entry) => entry.principalArn),
          request.query,
        );
      }
      case 'DescribeAccessEntry':
        return this.describeAccessEntry(scope, request.params.principalArn ?? '');
      default:
        return this.listAssociatedPolicies(scope, request.params.principalArn ?? '', request.query);
    }
  }

  /** The mode DescribeCluster reports: the created one (AWS's default applied), under any seeded override. */
  private authenticationMode(key: string, extras: StoredExtras): JsonValue | undefined {
    const created = objectAt(this.clusters.get(key)?.requested ?? {}, 'accessConfig');
    return overlay(created, objectAt(extras.clusterFields, 'accessConfig')).authenticationMode;
  }

  private listed(key: string, items: readonly JsonValue[], query: URLSearchParams): PeerResponse {
    const page = paginate(items, query);
    return 'error' in page ? page.error : jsonResponse(pageBody(key, page));
  }

  private describeClusterVersions(request: AwsRequest): PeerResponse {
    const query = request.query;
    const includeAll = query.get('includeAll') === 'true';
    const wanted = query.getAll('clusterVersions');
    const versionStatus = query.get('versionStatus');
    const status = query.get('status');
    const clusterType = query.get('clusterType');
    const selected = this.versions(request.region).filter(
      (version) =>
        (includeAll || version.versionStatus !== 'UNSUPPORTED') &&
        (wanted.length === 0 || wanted.includes(version.clusterVersion)) &&
        (versionStatus === null || version.versionStatus === versionStatus) &&
        (status === null || version.status === status) &&
        (clusterType === null || version.clusterType === clusterType) &&
        (query.get('defaultOnly') !== 'true' || version.defaultVersion),
    );
    const page = paginate(selected, query);
    if ('error' in page) return page.error;
    return jsonResponse(pageBody('clusterVersions', page));
  }

  private describeAddon(scope: ExtrasScope, addonName: string): PeerResponse {
    const addon = scope.extras.addons.find((candidate) => candidate.addonName === addonName);
    if (addon === undefined) {
      return errorResponse(
        'rest-json',
        'ResourceNotFoundException',
        404,
        `No addon: ${addonName} found in cluster: ${scope.clusterName}`,
        { clusterName: scope.clusterName, addonName },
      );
    }
    const arn = `${arnPrefix(scope)}:addon/${scope.clusterName}/${addon.addonName}/${addon.id}`;
    return jsonResponse({
      addon: withoutUndefined({
        addonName: addon.addonName,
        clusterName: scope.clusterName,
        status: 'ACTIVE',
        addonVersion: addon.addonVersion,
        health: { issues: [] },
        addonArn: arn,
        createdAt: scope.extras.setAt,
        modifiedAt: scope.extras.setAt,
        serviceAccountRoleArn: addon.serviceAccountRoleArn,
        tags: {},
        configurationValues: addon.configurationValues,
        podIdentityAssociations: [],
      }),
    });
  }

  private describeIdentityProvider(scope: ExtrasScope, body: Buffer): PeerResponse {
    const requested = objectAt(parseObject(body) ?? {}, 'identityProviderConfig');
    const { type, name } = requested;
    if (typeof type !== 'string' || typeof name !== 'string') {
      return invalidParameter('identityProviderConfig with type and name is required');
    }
    const config = scope.extras.identityProviderConfigs.find((candidate) => candidate.name === name);
    if (type !== 'oidc' || config === undefined) {
      return errorResponse(
        'rest-json',
        'ResourceNotFoundException',
        404,
        `Identity provider config ${name} of type ${type} not found in cluster ${scope.clusterName}`,
        { clusterName: scope.clusterName },
      );
    }
    const arn = `${arnPrefix(scope)}:identityproviderconfig/${scope.clusterName}/oidc/${config.name}/${config.id}`;
    return jsonResponse({
      identityProviderConfig: {
        oidc: withoutUndefined({
          identityProviderConfigName: config.name,
          identityProviderConfigArn: arn,
          clusterName: scope.clusterName,
          issuerUrl: config.issuerUrl,
          clientId: config.clientId,
          usernameClaim: config.usernameClaim,
          usernamePrefix: config.usernamePrefix,
          groupsClaim: config.groupsClaim,
          groupsPrefix: config.groupsPrefix,
          requiredClaims: {},
          tags: {},
          status: 'ACTIVE',
        }),
      },
    });
  }

  private accessEntry(scope: ExtrasScope, principalArn: string): StoredAccessEntry | PeerResponse {
    const entry = scope.extras.accessEntries.find((candidate) => candidate.principalArn === principalArn);
    return (
      entry ??
      errorResponse(
        'rest-json',
        'ResourceNotFoundException',
        404,
        "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
        { clusterName: scope.clusterName },
      )
    );
  }

  private describeAccessEntry(scope: ExtrasScope, principalArn: string): PeerResponse {
    const entry = this.accessEntry(scope, principalArn);
    if ('status' in entry) return entry;
    // Access entry ARNs name the principal's kind, account and name: role/111122223333/admin/<id>.
    const [, , , , principalAccount = '', resource = ''] = principalArn.split(':');
    const [kind = 'role', ...nameParts] = resource.split('/');
    const principalName = nameParts.at(-1) ?? '';
    const arn = `${arnPrefix(scope)}:access-entry/${scope.clusterName}/${kind}/${principalAccount}/${principalName}/${entry.id}`;
    const username =
      kind === 'role'
        ? `arn:${partitionOf(scope.region)}:sts::${principalAccount}:assumed-role/${principalName}/{{SessionName}}`
        : principalArn;
    return jsonResponse({
      accessEntry: {
        clusterName: scope.clusterName,
        principalArn,
        kubernetesGroups: [],
        accessEntryArn: arn,
        createdAt: scope.extras.setAt,
        modifiedAt: scope.extras.setAt,
        tags: {},
        username,
        type: entry.type,
      },
    });
  }

  private listAssociatedPolicies(
    scope: ExtrasScope,
    principalArn: string,
    query: URLSearchParams,
  ): PeerResponse {
    const entry = this.accessEntry(scope, principalArn);
    if ('status' in entry) return entry;
    const page = paginate(
      entry.policies.map((policy) => ({
        policyArn: policy.policyArn,
        accessScope: withoutUndefined({
          type: policy.accessScope.type,
          namespaces:
            policy.accessScope.namespaces === undefined ? undefined : [...policy.accessScope.namespaces],
        }),
        associatedAt: scope.extras.setAt,
        modifiedAt: scope.extras.setAt,
      })),
      query,
    );
    if ('error' in page) return page.error;
    return jsonResponse({
      clusterName: scope.clusterName,
      principalArn,
      ...pageBody('associatedAccessPolicies', page),
    });
  }

  /**
   * Applies AWS's defaults to a request moto would otherwise default wrongly or not at all, and
   * derives what AWS computes from the request (the VPC of the cluster's subnets).
   */
  async prepare(request: AwsRequest, account: string): Promise<PreparedRequest> {
    const unchanged = { body: request.body, derived: {} };
    if (request.service !== 'eks') return unchanged;
    if (request.operation === 'CreateCluster') {
      const body = parseObject(request.body);
      if (body === undefined) return unchanged;
      const withDefaults = this.clusterDefaults(body, request.region);
      const subnets = objectAt(withDefaults, 'resourcesVpcConfig').subnetIds;
      const subnetIds = Array.isArray(subnets) ? subnets.filter((id) => typeof id === 'string') : [];
      const vpcId = subnetIds.length > 0 ? await this.subnetVpc(request, account, subnetIds) : undefined;
      return {
        body: Buffer.from(JSON.stringify(withDefaults)),
        derived: vpcId === undefined ? {} : { resourcesVpcConfig: { vpcId } },
      };
    }
    if (request.operation === 'CreateNodegroup') {
      const body = parseObject(request.body);
      const cluster = this.clusters.get(keyOf(account, request.region, request.params.clusterName ?? ''));
      // AWS gives a node group the cluster's version; moto gives it 1.19.
      if (body === undefined || cluster === undefined || body.version !== undefined) return unchanged;
      return { body: Buffer.from(JSON.stringify({ ...body, version: cluster.version })), derived: {} };
    }
    return unchanged;
  }

  private clusterDefaults(body: JsonObject, region: string): JsonObject {
    const defaultVersion = this.versions(region).find((version) => version.defaultVersion)?.clusterVersion;
    const vpc = objectAt(body, 'resourcesVpcConfig');
    const network = objectAt(body, 'kubernetesNetworkConfig');
    return {
      ...body,
      ...(body.version === undefined && defaultVersion !== undefined ? { version: defaultVersion } : {}),
      resourcesVpcConfig: {
        ...vpc,
        endpointPublicAccess: vpc.endpointPublicAccess ?? true,
        endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
        publicAccessCidrs: vpc.publicAccessCidrs ?? ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: {
        ...network,
        ipFamily: network.ipFamily ?? 'ipv4',
        ...(network.ipFamily === 'ipv6' || network.serviceIpv4Cidr !== undefined
          ? {}
          : { serviceIpv4Cidr: '172.20.0.0/16' }),
      },
      accessConfig: {
        authenticationMode: 'CONFIG_MAP',
        bootstrapClusterCreatorAdminPermissions: true,
        ...objectAt(body, 'accessConfig'),
      },
      upgradePolicy: { supportType: 'EXTENDED', ...objectAt(body, 'upgradePolicy') },
    };
  }

  /** moto's response with what moto dropped or never computed put back, for the cluster calls. */
  complete(
    request: AwsRequest,
    account: string,
    prepared: PreparedRequest,
    status: number,
    body: Buffer,
  ): Buffer {
    if (request.service !== 'eks' || status !== 200) return body;
    const isCreate = request.operation === 'CreateCluster';
    if (!isCreate && request.operation !== 'DescribeCluster' && request.operation !== 'DeleteCluster') {
      return body;
    }
    const response = parseObject(body);
    const cluster = response === undefined ? undefined : objectAt(response, 'cluster');
    const name = cluster?.name;
    if (response === undefined || cluster === undefined || typeof name !== 'string') return body;
    const key = keyOf(account, request.region, name);
    if (isCreate) {
      const sent = parseObject(prepared.body) ?? {};
      const requested: Record<string, JsonValue> = {};
      for (const [field, value] of Object.entries(sent)) {
        if (CLUSTER_MEMBERS.has(field) && !MOTO_OWNED_FIELDS.has(field)) requested[field] = value;
      }
      this.clusters.set(key, {
        version: typeof cluster.version === 'string' ? cluster.version : '',
        requested,
        derived: prepared.derived,
      });
    }
    const record = this.clusters.get(key);
    if (record === undefined) return body;
    const extras = this.extras.get(key);
    const merged = overlay(
      fillMissing(fillMissing(cluster, record.requested), record.derived),
      extras?.clusterFields ?? {},
    );
    if (request.operation === 'DeleteCluster') {
      this.clusters.delete(key);
      this.extras.delete(key);
    }
    return Buffer.from(JSON.stringify({ ...response, cluster: merged }));
  }
}

interface ExtrasScope {
  readonly account: string;
  readonly region: string;
  readonly clusterName: string;
  readonly extras: StoredExtras;
}

function arnPrefix(scope: ExtrasScope): string {
  return `arn:${partitionOf(scope.region)}:eks:${scope.region}:${scope.account}`;
}
