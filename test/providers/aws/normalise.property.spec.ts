import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PostureOrigin } from '../../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../../providers/aws/normalise.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { isRawObject, lookup } from '../../../providers/reader.js';
import { rawFixture, rawFixtureList } from '../rawFixture.js';
import { camelCase, describeNormaliserProperties, pascalCase, recased } from '../wireProperties.js';

// Issue 14: arbitrary, truncated and type-confused DescribeCluster output (and, for a live scan,
// the other calls' responses) never throws out of normaliseEks, and a field it cannot read never
// lets a check pass.

const origin: PostureOrigin = { kind: 'api', api: 'eks:DescribeCluster' };
const FLEET = fileURLToPath(new URL('../../../examples/fleet/eks/', import.meta.url));
const NOT_READ = 'deleted by the property test';

/** The `cluster` object of a describe-cluster export, in either casing. */
function clusterOf(document: unknown): unknown {
  return lookup(document, 'cluster');
}

/** Every describe-cluster export of the raw fixtures and the example fleet. */
function describedClusters(): { name: string; cluster: unknown }[] {
  const raw = [
    'describe-cluster-auto-mode.json',
    'describe-cluster-hostile.json',
    'describe-cluster-old-export.json',
    'describe-cluster-private.json',
    'describe-cluster-public-go-sdk.json',
  ].map((file) => ({ name: file, cluster: clusterOf(rawFixture(`eks/${file}`)) }));
  const fleet = readdirSync(FLEET)
    .filter((file) => file.includes('.describe-cluster'))
    .map((file) => ({ name: file, cluster: clusterOf(JSON.parse(readFileSync(`${FLEET}${file}`, 'utf8'))) }));
  return [...raw, ...fleet];
}

/** The responses a live scan adds to DescribeCluster, in their SDKs' own shapes. */
function liveCalls(): Record<string, unknown> {
  return {
    nodegroups: rawFixtureList('eks/nodegroups.json'),
    accessEntries: [],
    addons: rawFixtureList('eks/addons.json'),
    identityProviderConfigs: rawFixtureList('eks/identity-provider-configs.json'),
    auditLogGroup: { logGroupName: '/aws/eks/x/cluster', retentionInDays: 30 },
    subnets: [
      { SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: false },
    ],
    flowLogs: [{ FlowLogId: 'fl-1', ResourceId: 'vpc-0aaaaaaaaaaaaaaa1', FlowLogStatus: 'ACTIVE' }],
    guardDutyDetector: { Status: 'ENABLED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] },
    // Windows for every minor the fixtures run, so both a matched and an unlisted minor occur.
    clusterVersions: [29, 30, 31, 32, 33].map((minor) => ({
      clusterVersion: `1.${minor}`,
      releaseDate: `${2023 + Math.floor((minor - 27) / 3)}-0${1 + (minor % 3) * 3}-15T00:00:00Z`,
      endOfStandardSupportDate: `${2025 + Math.floor((minor - 27) / 3)}-0${1 + (minor % 3) * 3}-15T00:00:00Z`,
      endOfExtendedSupportDate: `${2026 + Math.floor((minor - 27) / 3)}-0${1 + (minor % 3) * 3}-15T00:00:00Z`,
    })),
  };
}

/** A response list as the collector hands it over: a list, or missing when the property deleted it. */
function listCall(document: unknown, key: string): Collected<readonly unknown[]> {
  const value = lookup(document, key);
  return Array.isArray(value) ? collected(value) : missing(NOT_READ);
}

function objectCall(document: unknown, key: string): Collected<unknown> {
  return isRawObject(document) && lookup(document, key) !== undefined
    ? collected(lookup(document, key))
    : missing(NOT_READ);
}

/** What the collector passes for a document of `{cluster, nodegroups, …}`: a call it lacks was not made. */
function collectedFrom(document: unknown): EksCollected {
  return {
    cluster: lookup(document, 'cluster'),
    nodegroups: listCall(document, 'nodegroups'),
    addons: listCall(document, 'addons'),
    identityProviderConfigs: listCall(document, 'identityProviderConfigs'),
    // Access entries come paired with their policies from two calls, not as one wire list: present or not.
    accessEntries: Array.isArray(lookup(document, 'accessEntries')) ? collected([]) : missing(NOT_READ),
    clusterVersions: listCall(document, 'clusterVersions'),
    auditLogGroup: objectCall(document, 'auditLogGroup'),
    subnets: listCall(document, 'subnets'),
    flowLogs: listCall(document, 'flowLogs'),
    guardDutyDetector: objectCall(document, 'guardDutyDetector'),
  };
}

/** Every field name in the document, recased; the top-level call names stay the collector's. */
function recaseCalls(rename: (key: string) => string) {
  return (document: unknown): unknown =>
    isRawObject(document)
      ? Object.fromEntries(Object.entries(document).map(([key, value]) => [key, recased(value, rename)]))
      : document;
}

describeNormaliserProperties(
  {
    provider: 'eks',
    documents: () =>
      describedClusters().flatMap(({ name, cluster }) => [
        { name: `${name} (snapshot)`, document: { cluster } },
        { name: `${name} (live)`, document: { cluster, ...liveCalls() } },
      ]),
    // The Go SDK dumps PascalCase; the JS SDK and the CLI camelCase.
    casings: { 'Go SDK PascalCase': recaseCalls(pascalCase), camelCase: recaseCalls(camelCase) },
    withIdentity: (fields) => ({
      cluster: { ...fields, name: 'props', arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/props' },
    }),
    fieldNames: [
      'version',
      'resourcesVpcConfig',
      'logging',
      'encryptionConfig',
      'accessConfig',
      'upgradePolicy',
      'identity',
      'computeConfig',
      'endpoint',
      'certificateAuthority',
      'tags',
    ],
    normalise: (document) => normaliseEks(collectedFrom(document), origin),
    // DescribeCluster fields with no documented default: absent, nothing about them is known.
    sources: {
      'endpoint.publicAccess': ['cluster.resourcesVpcConfig.endpointPublicAccess'],
      'endpoint.privateAccess': ['cluster.resourcesVpcConfig.endpointPrivateAccess'],
      'endpoint.authorizedNetworks': ['cluster.resourcesVpcConfig.publicAccessCidrs'],
      auditLogs: ['cluster.logging.clusterLogging'],
      authenticatorLogs: ['cluster.logging.clusterLogging'],
      version: ['cluster.version'],
      supportPlan: ['cluster.upgradePolicy.supportType'],
      // Without a customer key the default depends on the version: both gone, nothing is known.
      secretsEncryption: ['cluster.encryptionConfig', 'cluster.version'],
      networkFlowLogs: ['cluster.resourcesVpcConfig.vpcId'],
      'eks.authenticationMode': ['cluster.accessConfig.authenticationMode'],
      'eks.bootstrapClusterCreatorAdmin': ['cluster.accessConfig.bootstrapClusterCreatorAdminPermissions'],
      'eks.oidcIssuer': ['cluster.identity.oidc.issuer'],
      'nodePools[].version': ['nodegroups.*.version'],
      // No launch template and no subnets: nothing says whether nodes get public IPs.
      'nodePools[].publicIps': ['nodegroups.*.subnets', 'nodegroups.*.launchTemplate'],
    },
  },
  'property: normaliseEks on arbitrary, truncated and type-confused API objects',
);
