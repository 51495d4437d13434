import assert from 'node:assert/strict';
import { known, unknown } from '../../../model/observed.js';
import type { EksClusterPosture, PostureOrigin } from '../../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../../providers/aws/normalise.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { IN_CLUSTER_OFF } from '../../../providers/kubernetes/normalise.js';
import { toJson } from '../../../providers/reader.js';
import { version } from '../../fixtures/postures.js';
import { normaliseError, rawFixture, rawFixtureList, withField } from '../rawFixture.js';

const origin: PostureOrigin = {
  kind: 'snapshot',
  file: 'clusters/eks.json',
  format: 'aws eks describe-cluster',
};
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-00000000abcd';

/** The `cluster` object of a describe-cluster fixture. */
function describedCluster(file: string): unknown {
  const document = rawFixture(`eks/${file}`);
  if (typeof document !== 'object' || document === null) throw new Error(`${file} is not an object`);
  return Reflect.get(document, 'cluster') ?? Reflect.get(document, 'Cluster');
}

/** What a snapshot holds: DescribeCluster only. */
function snapshotOf(cluster: unknown): EksCollected {
  return {
    cluster,
    nodegroups: missing('node groups not exported'),
    identityProviderConfigs: missing('identity providers not exported'),
    addons: missing('add-ons not exported'),
    accessEntries: missing('access entries not exported'),
    clusterVersions: missing('cluster versions not read'),
    auditLogGroup: missing('log group not read'),
    subnets: missing('subnets not read'),
    flowLogs: missing('flow logs not read'),
    guardDutyDetector: missing('detector not read'),
  };
}

const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const OIDC_ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000';

/** Node group settings DescribeNodegroup does not show, the same on every group. */
const EKS_POOL_UNREAD = {
  secureBoot: unknown('EKS node groups have no secure boot setting'),
  autoUpgrade: unknown('EKS node groups have no automatic upgrade setting'),
  serviceAccount: unknown('the node role and its IAM policies are not read'),
};
const VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const SUBNETS = [
  { SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: false },
  { SubnetId: 'subnet-0aaaaaaaaaaaaaaa2', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: false },
  { SubnetId: 'subnet-0aaaaaaaaaaaaaaa3', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: true },
];
const FLOW_LOG = { FlowLogId: 'fl-0abc', ResourceId: 'vpc-0aaaaaaaaaaaaaaa1', FlowLogStatus: 'ACTIVE' };
const CLUSTER_VERSIONS = [
  {
    clusterVersion: '1.31',
    releaseDate: new Date('2024-09-26T00:00:00Z'),
    endOfStandardSupportDate: new Date('2025-11-26T00:00:00Z'),
    endOfExtendedSupportDate: new Date('2026-11-26T00:00:00Z'),
    versionStatus: 'EXTENDED_SUPPORT',
  },
  {
    clusterVersion: '1.34',
    releaseDate: new Date('2025-10-06T00:00:00Z'),
    endOfStandardSupportDate: new Date('2026-12-02T00:00:00Z'),
    endOfExtendedSupportDate: new Date('2027-12-02T00:00:00Z'),
    versionStatus: 'STANDARD_SUPPORT',
  },
];
const AUTH_FILTER = {
  filterName: 'failed-auth',
  filterPattern: '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }',
  metricTransformations: [
    { metricName: 'FailedAuthentications', metricNamespace: 'EKS/Security', metricValue: '1' },
  ],
  logGroupName: '/aws/eks/payments-prod/cluster',
};
const AUTH_ALARM = {
  AlarmName: 'eks-failed-auth',
  ActionsEnabled: true,
  AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:security'],
  MetricName: 'FailedAuthentications',
  Namespace: 'EKS/Security',
};
const OIDC_PROVIDER_ARN =
  'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000';
const DETECTOR = {
  Status: 'ENABLED',
  Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [] }],
};

function normalise(cluster: unknown): EksClusterPosture {
  return normaliseEks(snapshotOf(cluster), origin);
}

describe('normaliseEks', () => {
  describe('a private cluster read live (DescribeCluster, DescribeNodegroup, DescribeAddon, ListIdentityProviderConfigs)', () => {
    it('maps every posture field with its evidence', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-private.json');
      const nodegroups = rawFixtureList('eks/nodegroups.json');
      const addons = rawFixtureList('eks/addons.json');
      const identityProviderConfigs = rawFixtureList('eks/identity-provider-configs.json');
      const logging = [
        { types: ['api', 'audit', 'authenticator'], enabled: true },
        { types: ['controllerManager', 'scheduler'], enabled: false },
      ];
      const vpcCniValues = '{"enableNetworkPolicy":"true","env":{"ENABLE_PREFIX_DELEGATION":"true"}}';
      // Act
      const accessEntries = [
        {
          principalArn: 'arn:aws:iam::111111111111:role/platform-admin',
          associatedAccessPolicies: collected([
            { policyArn: ADMIN_POLICY, accessScope: { type: 'cluster', namespaces: [] } },
          ]),
        },
        {
          principalArn: 'arn:aws:iam::111111111111:role/dev',
          associatedAccessPolicies: collected([
            { policyArn: VIEW_POLICY, accessScope: { type: 'namespace', namespaces: ['dev'] } },
          ]),
        },
      ];
      const posture = normaliseEks(
        {
          cluster,
          nodegroups: collected(nodegroups),
          addons: collected(addons),
          identityProviderConfigs: collected(identityProviderConfigs),
          accessEntries: collected(accessEntries),
          clusterVersions: collected(CLUSTER_VERSIONS),
          auditLogGroup: collected({ logGroupName: '/aws/eks/payments-prod/cluster', retentionInDays: 365 }),
          subnets: collected(SUBNETS),
          flowLogs: collected([FLOW_LOG]),
          guardDutyDetector: collected(DETECTOR),
          auditMetricFilters: collected([{ filter: AUTH_FILTER, alarms: [collected([AUTH_ALARM])] }]),
          launchTemplates: new Map(),
          iamOidcProviders: collected([{ Arn: OIDC_PROVIDER_ARN }]),
        },
        origin,
      );
      // Assess
      const expected: EksClusterPosture = {
        id: 'arn:aws:eks:eu-west-1:111111111111:cluster/payments-prod',
        provider: 'eks',
        scope: '111111111111',
        location: 'eu-west-1',
        name: 'payments-prod',
        tags: { team: 'payments', 'cost-centre': 'cc-0042' },
        origin,
        mode: known('standard', { path: 'cluster.computeConfig.enabled', value: null }),
        version: known(version('1.31'), { path: 'cluster.version', value: '1.31' }),
        supportPlan: known('standard', { path: 'cluster.upgradePolicy.supportType', value: 'STANDARD' }),
        endpoint: {
          publicAccess: known(false, {
            path: 'cluster.resourcesVpcConfig.endpointPublicAccess',
            value: false,
          }),
          privateAccess: known(true, {
            path: 'cluster.resourcesVpcConfig.endpointPrivateAccess',
            value: true,
          }),
          authorizedNetworks: known(
            { enforced: true, cidrs: ['0.0.0.0/0'], allowsCloudPublicRanges: false },
            { path: 'cluster.resourcesVpcConfig.publicAccessCidrs', value: ['0.0.0.0/0'] },
          ),
        },
        authorization: { rbac: known(true), legacyAbac: known(false) },
        secretsEncryption: known(
          { envelope: true, keyManagedBy: 'customer', keyId: KEY_ARN },
          { path: 'cluster.encryptionConfig[0].provider.keyArn', value: KEY_ARN },
        ),
        auditLogs: known(
          { exported: true, categories: ['audit'], destinations: ['cloudwatch-logs'] },
          { path: 'cluster.logging.clusterLogging', value: logging },
        ),
        authenticatorLogs: known(true, { path: 'cluster.logging.clusterLogging', value: logging }),
        networkPolicy: known(
          { enforced: true, engine: 'vpc-cni' },
          { path: 'addons[name=vpc-cni].configurationValues', value: vpcCniValues },
        ),
        nodePools: known([
          {
            name: 'ng-1',
            managedBy: 'customer',
            version: known(version('1.30'), { path: 'nodegroups[name=ng-1].version', value: '1.30' }),
            publicIps: known(
              false,
              {
                path: 'nodegroups[name=ng-1].subnets',
                value: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
              },
              { path: 'subnets[id=subnet-0aaaaaaaaaaaaaaa1].MapPublicIpOnLaunch', value: false },
              { path: 'subnets[id=subnet-0aaaaaaaaaaaaaaa2].MapPublicIpOnLaunch', value: false },
            ),
            kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
            sshAccess: known('restricted', {
              path: 'nodegroups[name=ng-1].remoteAccess',
              value: { ec2SshKey: 'ops-key', sourceSecurityGroups: ['sg-0aaaaaaaaaaaaaaa3'] },
            }),
            ...EKS_POOL_UNREAD,
          },
          {
            name: 'ng-gpu',
            managedBy: 'customer',
            version: known(version('1.31'), { path: 'nodegroups[name=ng-gpu].version', value: '1.31' }),
            publicIps: known(
              true,
              { path: 'nodegroups[name=ng-gpu].subnets', value: ['subnet-0aaaaaaaaaaaaaaa3'] },
              { path: 'subnets[id=subnet-0aaaaaaaaaaaaaaa3].MapPublicIpOnLaunch', value: true },
            ),
            kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
            sshAccess: known('disabled', { path: 'nodegroups[name=ng-gpu].remoteAccess', value: null }),
            ...EKS_POOL_UNREAD,
          },
        ]),
        eks: {
          authenticationMode: known('API', { path: 'cluster.accessConfig.authenticationMode', value: 'API' }),
          oidcIdentityProviders: known(['corporate-sso', 'break-glass'], {
            path: 'identityProviderConfigs',
            value: [
              { type: 'oidc', name: 'corporate-sso' },
              { type: 'oidc', name: 'break-glass' },
            ],
          }),
          accessEntries: known(
            [
              {
                principalArn: 'arn:aws:iam::111111111111:role/platform-admin',
                policies: [{ policyArn: ADMIN_POLICY, scope: 'cluster' }],
              },
              {
                principalArn: 'arn:aws:iam::111111111111:role/dev',
                policies: [{ policyArn: VIEW_POLICY, scope: 'namespace' }],
              },
            ],
            {
              path: 'accessEntries[principalArn=arn:aws:iam::111111111111:role/platform-admin].associatedAccessPolicies',
              value: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster', namespaces: [] } }],
            },
            {
              path: 'accessEntries[principalArn=arn:aws:iam::111111111111:role/dev].associatedAccessPolicies',
              value: [{ policyArn: VIEW_POLICY, accessScope: { type: 'namespace', namespaces: ['dev'] } }],
            },
          ),
          bootstrapClusterCreatorAdmin: known(false, {
            path: 'cluster.accessConfig.bootstrapClusterCreatorAdminPermissions',
            value: false,
          }),
          addons: known(['coredns', 'vpc-cni'], {
            path: 'addons[].addonName',
            value: ['coredns', 'vpc-cni'],
          }),
          oidcIssuer: known(OIDC_ISSUER, { path: 'cluster.identity.oidc.issuer', value: OIDC_ISSUER }),
          iamOidcProvider: known(
            true,
            { path: 'cluster.identity.oidc.issuer', value: OIDC_ISSUER },
            {
              path: 'iam.openIDConnectProviders[url=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000]',
              value: OIDC_PROVIDER_ARN,
            },
          ),
        },
        auditLogRetentionDays: known(365, {
          path: 'logGroups[name=/aws/eks/payments-prod/cluster].retentionInDays',
          value: 365,
        }),
        failedAuthAlerting: known(
          { alerts: ['cloudwatch-alarm:eks-failed-auth'], unalerted: [] },
          {
            path: 'metricFilters[logGroup=/aws/eks/payments-prod/cluster]',
            value: [{ filterName: 'failed-auth', filterPattern: AUTH_FILTER.filterPattern }],
          },
          { path: 'alarms[metric=EKS/Security/FailedAuthentications]', value: ['eks-failed-auth'] },
        ),
        networkFlowLogs: known(
          true,
          { path: 'cluster.resourcesVpcConfig.vpcId', value: 'vpc-0aaaaaaaaaaaaaaa1' },
          { path: 'flowLogs[resourceId=vpc-0aaaaaaaaaaaaaaa1]', value: [FLOW_LOG] },
        ),
        runtimeThreatDetection: known(
          { enabled: true, via: 'guardduty-runtime-monitoring' },
          { path: 'guardDuty.detector.Status', value: 'ENABLED' },
          {
            path: 'guardDuty.detector.Features[RUNTIME_MONITORING]',
            value: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [] }],
          },
        ),
        versionSupport: known(
          {
            window: {
              minorVersion: '1.31',
              releaseDate: '2024-09-26',
              endOfStandardSupport: '2025-11-26',
              endOfExtendedSupport: '2026-11-26',
            },
            newestMinorVersion: '1.34',
            source: 'eks:DescribeClusterVersions',
          },
          {
            path: 'clusterVersions[clusterVersion=1.31]',
            value: {
              minorVersion: '1.31',
              releaseDate: '2024-09-26',
              endOfStandardSupport: '2025-11-26',
              endOfExtendedSupport: '2026-11-26',
            },
          },
          { path: 'clusterVersions[newest].clusterVersion', value: '1.34' },
        ),
        apiServer: known(
          {
            url: 'https://example0000000000000000000000000.gr7.eu-west-1.eks.amazonaws.com',
            caData: 'LS0tLS1CRUdJTi1FWEFNUExFLS0tLS0=',
          },
          {
            path: 'cluster.endpoint',
            value: 'https://EXAMPLE0000000000000000000000000.gr7.eu-west-1.eks.amazonaws.com',
          },
          { path: 'cluster.certificateAuthority.data', value: 'LS0tLS1CRUdJTi1FWEFNUExFLS0tLS0=' },
        ),
        inCluster: unknown(IN_CLUSTER_OFF),
      };
      assert.deepEqual(posture, expected);
    });

    it('gives the same posture for the SDK v3 shape, with Date timestamps', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-private.json');
      const fromSdk = withField(cluster, 'createdAt', new Date('2026-01-01T00:00:00Z'));
      // Act
      const posture = normalise(fromSdk);
      // Assess
      assert.deepEqual(posture, normalise(cluster));
    });
  });

  describe('key casing', () => {
    it('reads a PascalCase Go SDK export like camelCase, keeping tag keys as they are', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-public-go-sdk.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      const logging = [
        { Enabled: false, Types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] },
      ];
      assert.deepEqual(
        {
          identity: [posture.id, posture.scope, posture.location, posture.name],
          tags: posture.tags,
          supportPlan: posture.supportPlan,
          endpoint: posture.endpoint,
          secretsEncryption: posture.secretsEncryption,
          auditLogs: posture.auditLogs,
          authenticationMode: posture.eks.authenticationMode,
        },
        {
          identity: [
            'arn:aws:eks:us-east-1:111111111111:cluster/legacy-batch',
            '111111111111',
            'us-east-1',
            'legacy-batch',
          ],
          tags: { Team: 'data', CostCentre: 'cc-0007' },
          supportPlan: known('extended', { path: 'cluster.upgradePolicy.supportType', value: 'EXTENDED' }),
          endpoint: {
            publicAccess: known(true, {
              path: 'cluster.resourcesVpcConfig.endpointPublicAccess',
              value: true,
            }),
            privateAccess: known(true, {
              path: 'cluster.resourcesVpcConfig.endpointPrivateAccess',
              value: true,
            }),
            authorizedNetworks: known(
              { enforced: true, cidrs: ['0.0.0.0/0'], allowsCloudPublicRanges: false },
              { path: 'cluster.resourcesVpcConfig.publicAccessCidrs', value: ['0.0.0.0/0'] },
            ),
          },
          secretsEncryption: known(
            { envelope: false, keyManagedBy: 'none', keyId: null },
            { path: 'cluster.encryptionConfig', value: null },
            { path: 'cluster.version', value: '1.27' },
          ),
          auditLogs: known(
            { exported: false, categories: [], destinations: [] },
            { path: 'cluster.logging.clusterLogging', value: logging },
          ),
          authenticationMode: known('CONFIG_MAP', {
            path: 'cluster.accessConfig.authenticationMode',
            value: 'CONFIG_MAP',
          }),
        },
      );
    });
  });

  describe('missing data', () => {
    it('marks fields absent from an old DescribeCluster export as unknown, naming the field', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-old-export.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      const absent = (path: string) =>
        unknown(`${path} absent from DescribeCluster output`, { path, value: null });
      assert.deepEqual(
        {
          endpoint: posture.endpoint,
          supportPlan: posture.supportPlan,
          auditLogs: posture.auditLogs,
          authenticatorLogs: posture.authenticatorLogs,
          authenticationMode: posture.eks.authenticationMode,
        },
        {
          endpoint: {
            publicAccess: absent('cluster.resourcesVpcConfig.endpointPublicAccess'),
            privateAccess: absent('cluster.resourcesVpcConfig.endpointPrivateAccess'),
            authorizedNetworks: absent('cluster.resourcesVpcConfig.publicAccessCidrs'),
          },
          supportPlan: absent('cluster.upgradePolicy.supportType'),
          auditLogs: absent('cluster.logging'),
          authenticatorLogs: absent('cluster.logging'),
          authenticationMode: absent('cluster.accessConfig.authenticationMode'),
        },
      );
    });

    it('marks node pools, network policy and OIDC providers unknown with the collection reason when not collected', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-private.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [posture.nodePools, posture.networkPolicy, posture.eks.oidcIdentityProviders],
        [
          unknown('node groups not exported'),
          unknown('add-ons not exported'),
          unknown('identity providers not exported'),
        ],
      );
    });

    it('marks the version unknown when it is absent', () => {
      // Prepare
      const cluster = withField(describedCluster('describe-cluster-private.json'), 'version', undefined);
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.version,
        unknown('cluster.version absent from DescribeCluster output', {
          path: 'cluster.version',
          value: null,
        }),
      );
    });
  });

  describe('mode', () => {
    it('detects Auto Mode from computeConfig.enabled', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-auto-mode.json');
      // Act
      const posture = normaliseEks({ ...snapshotOf(cluster), nodegroups: collected([]) }, origin);
      // Assess
      assert.deepEqual(
        [posture.mode, posture.nodePools],
        [known('eks-auto-mode', { path: 'cluster.computeConfig.enabled', value: true }), known([])],
      );
    });

    it('keeps managed node groups of an Auto Mode cluster on the customer side', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-auto-mode.json');
      const nodegroups = rawFixtureList('eks/nodegroups.json');
      // Act
      const posture = normaliseEks({ ...snapshotOf(cluster), nodegroups: collected(nodegroups) }, origin);
      // Assess
      assert.ok('value' in posture.nodePools);
      assert.deepEqual(
        posture.nodePools.value.map((pool) => [pool.name, pool.managedBy]),
        [
          ['ng-1', 'customer'],
          ['ng-gpu', 'customer'],
        ],
      );
    });

    it('is unknown when computeConfig.enabled has the wrong type', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-auto-mode.json'),
        'computeConfig.enabled',
        'yes',
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.mode,
        unknown('cluster.computeConfig.enabled is the string "yes", expected a boolean', {
          path: 'cluster.computeConfig.enabled',
          value: 'yes',
        }),
      );
    });
  });

  describe('control-plane logs', () => {
    it('reads every clusterLogging entry, not only the first', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-auto-mode.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [posture.auditLogs, posture.authenticatorLogs].map((observed) =>
          'value' in observed ? observed.value : observed,
        ),
        [{ exported: true, categories: ['audit'], destinations: ['cloudwatch-logs'] }, true],
      );
    });

    it('is unknown when an entry has no enabled flag', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-private.json'),
        'logging.clusterLogging.1.enabled',
        undefined,
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.equal(
        'unknown' in posture.auditLogs && posture.auditLogs.unknown,
        'cluster.logging.clusterLogging[1].enabled is absent',
      );
    });
  });

  describe('secrets encryption', () => {
    it('counts the AWS-owned default envelope key from 1.28 on', () => {
      // Prepare
      const cluster = withField(describedCluster('describe-cluster-public-go-sdk.json'), 'Version', '1.28');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.secretsEncryption,
        known(
          { envelope: true, keyManagedBy: 'provider', keyId: null },
          { path: 'cluster.encryptionConfig', value: null },
          { path: 'cluster.version', value: '1.28' },
        ),
      );
    });

    it('is unknown when no customer key is set and the version cannot be read', () => {
      // Prepare
      const cluster = withField(describedCluster('describe-cluster-auto-mode.json'), 'version', 'latest');
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        [posture.version, posture.secretsEncryption],
        [
          unknown('cluster.version "latest" is not a Kubernetes version', {
            path: 'cluster.version',
            value: 'latest',
          }),
          unknown(
            'no encryptionConfig covers secrets and the default depends on the version: cluster.version "latest" is not a Kubernetes version',
            { path: 'cluster.encryptionConfig', value: null },
          ),
        ],
      );
    });

    it('is unknown when an entry covers secrets without a key ARN', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-private.json'),
        'encryptionConfig.0.provider',
        {},
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.secretsEncryption,
        unknown('cluster.encryptionConfig[0] covers secrets but has no provider.keyArn', {
          path: 'cluster.encryptionConfig[0].provider.keyArn',
          value: null,
        }),
      );
    });
  });

  describe('malformed fields', () => {
    it('marks a wrong-typed endpoint flag unknown instead of guessing', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-private.json'),
        'resourcesVpcConfig.endpointPublicAccess',
        'false',
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.endpoint.publicAccess,
        unknown('cluster.resourcesVpcConfig.endpointPublicAccess is the string "false", expected a boolean', {
          path: 'cluster.resourcesVpcConfig.endpointPublicAccess',
          value: 'false',
        }),
      );
    });

    it('marks every field below a container that is not an object unknown', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-private.json'),
        'resourcesVpcConfig',
        'private',
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      const broken = unknown('cluster.resourcesVpcConfig is the string "private", expected an object', {
        path: 'cluster.resourcesVpcConfig',
        value: 'private',
      });
      assert.deepEqual(posture.endpoint, {
        publicAccess: broken,
        privateAccess: broken,
        authorizedNetworks: broken,
      });
    });

    it('marks an authentication mode it does not know unknown', () => {
      // Prepare
      const cluster = withField(
        describedCluster('describe-cluster-private.json'),
        'accessConfig.authenticationMode',
        'OIDC',
      );
      // Act
      const posture = normalise(cluster);
      // Assess
      assert.deepEqual(
        posture.eks.authenticationMode,
        unknown('cluster.accessConfig.authenticationMode "OIDC" is not a known mode', {
          path: 'cluster.accessConfig.authenticationMode',
          value: 'OIDC',
        }),
      );
    });

    it('marks node pools unknown when a node group has no name', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-private.json');
      // Act
      const posture = normaliseEks(
        { ...snapshotOf(cluster), nodegroups: collected([{ version: '1.31' }]) },
        origin,
      );
      // Assess
      assert.deepEqual(
        posture.nodePools,
        unknown('nodegroups[0] has no nodegroupName', { path: 'nodegroups', value: [{ version: '1.31' }] }),
      );
    });
  });

  describe('network policy (vpc-cni add-on)', () => {
    const cluster = describedCluster('describe-cluster-private.json');
    const withVpcCni = (configurationValues: string | undefined) =>
      normaliseEks(
        { ...snapshotOf(cluster), addons: collected([{ addonName: 'vpc-cni', configurationValues }]) },
        origin,
      ).networkPolicy;

    it('is enforced when the YAML configuration enables network policy', () => {
      // Act
      const policy = withVpcCni('enableNetworkPolicy: "true"\n');
      // Assess
      assert.deepEqual(
        policy,
        known(
          { enforced: true, engine: 'vpc-cni' },
          { path: 'addons[name=vpc-cni].configurationValues', value: 'enableNetworkPolicy: "true"\n' },
        ),
      );
    });

    it('is not enforced with the default configuration or an explicit "false"', () => {
      // Act
      const results = [withVpcCni(undefined), withVpcCni('{"enableNetworkPolicy":"false"}')];
      // Assess
      assert.deepEqual(
        results.map((result) => ('value' in result ? result.value : result)),
        [
          { enforced: false, engine: null },
          { enforced: false, engine: null },
        ],
      );
    });

    it('is unknown when the configuration does not parse or vpc-cni is not an EKS add-on', () => {
      // Act
      const unparseable = withVpcCni('{"enableNetworkPolicy": ');
      const selfManaged = normaliseEks(
        { ...snapshotOf(cluster), addons: collected([{ addonName: 'coredns' }]) },
        origin,
      ).networkPolicy;
      // Assess
      assert.deepEqual(
        [unparseable, selfManaged],
        [
          unknown('addons[name=vpc-cni].configurationValues is neither JSON nor YAML', {
            path: 'addons[name=vpc-cni].configurationValues',
            value: '{"enableNetworkPolicy": ',
          }),
          unknown(
            'the vpc-cni add-on is not installed as an EKS add-on, so its network policy setting is not readable',
            {
              path: 'addons[name=vpc-cni]',
              value: null,
            },
          ),
        ],
      );
    });
  });

  describe('identity', () => {
    it('throws a NormaliseError with context when the cluster has no name', () => {
      // Prepare
      const cluster = withField(describedCluster('describe-cluster-private.json'), 'name', undefined);
      // Act
      const error = normaliseError(() => normalise(cluster));
      // Assess
      assert.deepEqual(
        [error.message, error.context],
        ['EKS cluster has no name', { provider: 'eks', source: 'clusters/eks.json' }],
      );
    });

    it('throws a NormaliseError naming the cluster and what is wrong when the ARN is missing or not a cluster ARN', () => {
      // Prepare
      const withoutArn = withField(describedCluster('describe-cluster-private.json'), 'arn', undefined);
      const nodegroupArn = withField(
        describedCluster('describe-cluster-private.json'),
        'arn',
        'arn:aws:eks:eu-west-1:111111111111:nodegroup/payments-prod/ng-1/x',
      );
      // Act
      const errors = [withoutArn, nodegroupArn].map((cluster) => normaliseError(() => normalise(cluster)));
      // Assess
      const context = { provider: 'eks', source: 'clusters/eks.json', cluster: 'payments-prod' };
      assert.deepEqual(
        errors.map((error) => [error.message, error.context]),
        [
          ['EKS cluster "payments-prod" has no arn to identify it', context],
          [
            'EKS cluster "payments-prod": its arn "arn:aws:eks:eu-west-1:111111111111:nodegroup/payments-prod/ng-1/x" names a "nodegroup" resource, not a cluster',
            context,
          ],
        ],
      );
    });

    it('throws a NormaliseError when the input is not an object', () => {
      // Act
      const error = normaliseError(() => normalise(['not', 'a', 'cluster']));
      // Assess
      assert.equal(error.message, 'EKS DescribeCluster output has no cluster object');
    });
  });

  describe('hostile strings', () => {
    it('carries names and tags through unchanged and drops non-string tag values', () => {
      // Prepare
      const cluster = describedCluster('describe-cluster-hostile.json');
      // Act
      const posture = normalise(cluster);
      // Assess
      const expectedTags: unknown = JSON.parse(
        '{"{{constructor}}":"{{constructor.constructor(\'return process\')()}}","owner\\"quoted":"it\'s \\"quoted\\" & <b>bold</b>","__proto__":"polluted","constructor":"not a function"}',
      );
      assert.deepEqual(
        [posture.name, posture.id, posture.tags],
        [
          '<script>alert(1)</script>',
          'arn:aws:eks:us-west-2:111111111111:cluster/<script>alert(1)</script>',
          expectedTags,
        ],
      );
      assert.equal(Object.getPrototypeOf(posture.tags), Object.prototype);
      assert.equal(Reflect.get({}, 'polluted'), undefined);
    });
  });
});

describe('normaliseEks: data from calls beyond DescribeCluster', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const live = (overrides: Partial<EksCollected>): EksClusterPosture =>
    normaliseEks({ ...snapshotOf(cluster), ...overrides }, origin);

  it('reads a log group without retentionInDays as never expiring', () => {
    const posture = live({ auditLogGroup: collected({ logGroupName: '/aws/eks/payments-prod/cluster' }) });
    assert.deepEqual(
      posture.auditLogRetentionDays,
      known(null, { path: 'logGroups[name=/aws/eks/payments-prod/cluster].retentionInDays', value: null }),
    );
  });

  it('is unknown on retention when the log group does not exist, or DescribeLogGroups failed', () => {
    assert.deepEqual(
      live({ auditLogGroup: collected(null) }).auditLogRetentionDays,
      unknown('the log group /aws/eks/payments-prod/cluster does not exist', {
        path: 'logGroups[name=/aws/eks/payments-prod/cluster]',
        value: null,
      }),
    );
    assert.deepEqual(
      live({
        auditLogGroup: missing('AccessDeniedException: not authorized to perform logs:DescribeLogGroups'),
      }).auditLogRetentionDays,
      unknown('AccessDeniedException: not authorized to perform logs:DescribeLogGroups'),
    );
  });

  it('counts only active flow logs on the cluster VPC', () => {
    const elsewhere = { FlowLogId: 'fl-1', ResourceId: 'vpc-0other', FlowLogStatus: 'ACTIVE' };
    assert.equal(Reflect.get(live({ flowLogs: collected([elsewhere]) }).networkFlowLogs, 'value'), false);
    assert.equal(Reflect.get(live({ flowLogs: collected([FLOW_LOG]) }).networkFlowLogs, 'value'), true);
    assert.ok('unknown' in live({ flowLogs: missing('UnauthorizedOperation') }).networkFlowLogs);
  });

  it('proves no absence of a flow log from a list with an unreadable ResourceId', () => {
    const elsewhere = { FlowLogId: 'fl-1', ResourceId: 'vpc-0other', FlowLogStatus: 'ACTIVE' };
    const confused = { FlowLogId: 'fl-2', ResourceId: 42, FlowLogStatus: 'ACTIVE' };
    const one = live({ flowLogs: collected([elsewhere, confused]) }).networkFlowLogs;
    assert.ok('unknown' in one);
    assert.match(
      one.unknown,
      /listed a flow log without a readable ResourceId, and none on vpc-0aaaaaaaaaaaaaaa1/,
    );
    const two = live({ flowLogs: collected([confused, null]) }).networkFlowLogs;
    assert.ok('unknown' in two);
    assert.match(two.unknown, /listed 2 flow logs without a readable ResourceId/);
    // An ACTIVE flow log on the VPC decides it whatever else the list holds.
    assert.equal(
      Reflect.get(live({ flowLogs: collected([confused, FLOW_LOG]) }).networkFlowLogs, 'value'),
      true,
    );
  });

  describe('a listed entry that cannot be read proves nothing absent', () => {
    const VPC_ID = { path: 'cluster.resourcesVpcConfig.vpcId', value: 'vpc-0aaaaaaaaaaaaaaa1' };
    const UNNAMED_ADDONS = collected([{ addonName: 'vpc-cni' }, { addonName: 7 }]);
    const NAMED_ADDONS = collected([{ addonName: 'vpc-cni' }, { addonName: 'coredns' }]);
    const OFF = { Status: 'ENABLED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }] };

    it('is unknown on the add-on names when one add-on has no readable name, and reads them all otherwise', () => {
      // Act
      const readings = [
        live({ addons: UNNAMED_ADDONS }).eks.addons,
        live({ addons: NAMED_ADDONS }).eks.addons,
      ];
      // Assess
      assert.deepEqual(readings, [
        unknown('eks:ListAddons listed 1 add-on(s) without a readable addonName', {
          path: 'addons[].addonName',
          value: ['vpc-cni', 7],
        }),
        known(['vpc-cni', 'coredns'], { path: 'addons[].addonName', value: ['vpc-cni', 'coredns'] }),
      ]);
    });

    it('is unknown on runtime detection when an unnamed add-on may be the GuardDuty agent and the detector does not monitor', () => {
      // Act
      const readings = [
        live({ guardDutyDetector: collected(null), addons: UNNAMED_ADDONS }).runtimeThreatDetection,
        live({ guardDutyDetector: collected(OFF), addons: UNNAMED_ADDONS }).runtimeThreatDetection,
        live({ guardDutyDetector: collected(OFF), addons: missing('AccessDeniedException') })
          .runtimeThreatDetection,
        live({ guardDutyDetector: collected(OFF), addons: NAMED_ADDONS }).runtimeThreatDetection,
      ];
      // Assess
      const status = { path: 'guardDuty.detector.Status', value: 'ENABLED' };
      const runtime = { path: 'guardDuty.detector.Features[RUNTIME_MONITORING]', value: OFF.Features };
      assert.deepEqual(readings, [
        unknown(
          'no GuardDuty detector in the region, and eks:ListAddons listed 1 add-on(s) without a readable addonName',
        ),
        unknown(
          'the GuardDuty detector does not monitor the runtime, and eks:ListAddons listed 1 add-on(s) without a readable addonName',
          status,
          runtime,
        ),
        unknown(
          'the GuardDuty detector does not monitor the runtime, and AccessDeniedException',
          status,
          runtime,
        ),
        known({ enabled: false, via: null }, status, runtime),
      ]);
    });

    it('is unknown on runtime detection when a detector feature has no readable Name or Status and none runs', () => {
      // Prepare
      const unnamed = { Status: 'ENABLED', Features: [...OFF.Features, { Name: 9, Status: 'ENABLED' }] };
      const confused = { Status: 'ENABLED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 1 }] };
      // Act
      const readings = [
        live({ guardDutyDetector: collected(unnamed), addons: NAMED_ADDONS }).runtimeThreatDetection,
        live({ guardDutyDetector: collected(confused), addons: NAMED_ADDONS }).runtimeThreatDetection,
      ];
      // Assess
      assert.deepEqual(readings, [
        unknown(
          'the GuardDuty detector lists a feature without a readable Name, and no runtime monitoring feature is ENABLED',
          { path: 'guardDuty.detector.Status', value: 'ENABLED' },
          { path: 'guardDuty.detector.Features', value: unnamed.Features },
        ),
        unknown(
          'the GuardDuty feature RUNTIME_MONITORING has no readable Status, so whether it runs is not known',
          {
            path: 'guardDuty.detector.Features[RUNTIME_MONITORING]',
            value: confused.Features,
          },
        ),
      ]);
    });

    it('is unknown on flow logs when the VPC flow log status is not a string and none is ACTIVE', () => {
      // Prepare
      const confused = { FlowLogId: 'fl-0typed', ResourceId: 'vpc-0aaaaaaaaaaaaaaa1', FlowLogStatus: 1 };
      const failed = {
        FlowLogId: 'fl-0failed',
        ResourceId: 'vpc-0aaaaaaaaaaaaaaa1',
        FlowLogStatus: 'FAILED',
      };
      // Act
      const observed = live({ flowLogs: collected([confused, failed]) }).networkFlowLogs;
      // Assess
      assert.deepEqual(
        observed,
        unknown(
          'flow log fl-0typed on vpc-0aaaaaaaaaaaaaaa1 has no readable FlowLogStatus, and no flow log on the VPC is ACTIVE',
          VPC_ID,
          { path: 'flowLogs[resourceId=vpc-0aaaaaaaaaaaaaaa1]', value: [confused, failed] },
        ),
      );
    });

    it('is unknown on secrets encryption when an encryptionConfig entry has no resources', () => {
      // Prepare
      const config = [{ provider: { keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x' } }];
      const withoutResources = withField(cluster, 'encryptionConfig', config);
      // Act
      const observed = normalise(withoutResources).secretsEncryption;
      // Assess
      assert.deepEqual(
        observed,
        unknown('cluster.encryptionConfig[0].resources is absent', {
          path: 'cluster.encryptionConfig[0].resources',
          value: null,
        }),
      );
    });
  });

  describe('a status that DescribeFlowLogs or GetDetector left out', () => {
    const VPC_ID = { path: 'cluster.resourcesVpcConfig.vpcId', value: 'vpc-0aaaaaaaaaaaaaaa1' };
    const ON_VPC = 'flowLogs[resourceId=vpc-0aaaaaaaaaaaaaaa1]';
    const NO_STATUS = { FlowLogId: 'fl-0nostatus', ResourceId: 'vpc-0aaaaaaaaaaaaaaa1' };
    const FAILED = { FlowLogId: 'fl-0failed', ResourceId: 'vpc-0aaaaaaaaaaaaaaa1', FlowLogStatus: 'FAILED' };

    it('reads a flow log without FlowLogStatus as unknown, not as recording', () => {
      assert.deepEqual(
        live({ flowLogs: collected([NO_STATUS, FAILED]) }).networkFlowLogs,
        unknown(
          'flow log fl-0nostatus on vpc-0aaaaaaaaaaaaaaa1 has no readable FlowLogStatus, and no flow log on the VPC is ACTIVE',
          VPC_ID,
          { path: ON_VPC, value: [NO_STATUS, FAILED] },
        ),
      );
    });

    it('still counts an ACTIVE flow log beside one without a status', () => {
      assert.deepEqual(
        live({ flowLogs: collected([NO_STATUS, FLOW_LOG]) }).networkFlowLogs,
        known(true, VPC_ID, { path: ON_VPC, value: [NO_STATUS, FLOW_LOG] }),
      );
    });

    it('reads flow logs that are all inactive as not recording', () => {
      assert.deepEqual(
        live({ flowLogs: collected([FAILED]) }).networkFlowLogs,
        known(false, VPC_ID, { path: ON_VPC, value: [FAILED] }),
      );
    });

    it('reads a detector without Status as unknown, not as enabled', () => {
      const detector = { Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] };
      assert.deepEqual(
        live({ guardDutyDetector: collected(detector), addons: collected([]) }).runtimeThreatDetection,
        unknown('the GuardDuty detector of the region has no Status, so whether it runs is not known', {
          path: 'guardDuty.detector.Status',
          value: null,
        }),
      );
    });

    it('reads a runtime monitoring feature without Status as unknown when no other runtime feature is on', () => {
      const feature = { Name: 'EKS_RUNTIME_MONITORING' };
      const detector = { Status: 'ENABLED', Features: [feature] };
      assert.deepEqual(
        live({ guardDutyDetector: collected(detector), addons: collected([]) }).runtimeThreatDetection,
        unknown(
          'the GuardDuty feature EKS_RUNTIME_MONITORING has no readable Status, so whether it runs is not known',
          {
            path: 'guardDuty.detector.Features[RUNTIME_MONITORING]',
            value: [feature],
          },
        ),
      );
    });

    it('reads a disabled detector as off whatever its features say', () => {
      const detector = { Status: 'DISABLED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] };
      assert.deepEqual(
        live({ guardDutyDetector: collected(detector), addons: collected([]) }).runtimeThreatDetection,
        known(
          { enabled: false, via: null },
          { path: 'guardDuty.detector.Status', value: 'DISABLED' },
          { path: 'guardDuty.detector.Features[RUNTIME_MONITORING]', value: detector.Features },
        ),
      );
    });
  });

  it('finds runtime detection through the GuardDuty agent add-on or the detector feature, and says when it is off', () => {
    const agent = collected([{ addonName: 'aws-guardduty-agent' }]);
    assert.deepEqual(Reflect.get(live({ addons: agent }).runtimeThreatDetection, 'value'), {
      enabled: true,
      via: 'aws-guardduty-agent',
    });
    assert.deepEqual(
      Reflect.get(live({ guardDutyDetector: collected(DETECTOR) }).runtimeThreatDetection, 'value'),
      {
        enabled: true,
        via: 'guardduty-runtime-monitoring',
      },
    );
    const disabled = { Status: 'ENABLED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }] };
    assert.deepEqual(
      Reflect.get(
        live({ guardDutyDetector: collected(disabled), addons: collected([]) }).runtimeThreatDetection,
        'value',
      ),
      { enabled: false, via: null },
    );
    assert.deepEqual(
      Reflect.get(
        live({ guardDutyDetector: collected(null), addons: collected([]) }).runtimeThreatDetection,
        'value',
      ),
      { enabled: false, via: null },
    );
    assert.ok('unknown' in live({ guardDutyDetector: collected(null) }).runtimeThreatDetection);
  });

  it('is unknown on public node IPs when a node group subnet is not in DescribeSubnets', () => {
    const nodegroups = collected(rawFixtureList('eks/nodegroups.json'));
    const pools = live({ nodegroups, subnets: collected(SUBNETS.slice(0, 1)) }).nodePools;
    assert.ok(!('unknown' in pools));
    const first = 'value' in pools ? pools.value[0] : undefined;
    assert.deepEqual(
      first && 'unknown' in first.publicIps ? first.publicIps.unknown : undefined,
      'subnet "subnet-0aaaaaaaaaaaaaaa2" of nodegroups[name=ng-1] was not returned by DescribeSubnets',
    );
  });

  it('is unknown on access entries when one entry policies could not be listed', () => {
    const entries = collected([
      {
        principalArn: 'arn:aws:iam::111111111111:role/a',
        associatedAccessPolicies: missing('ThrottlingException'),
      },
    ]);
    assert.deepEqual(
      live({ accessEntries: entries }).eks.accessEntries,
      unknown(
        'accessEntries[principalArn=arn:aws:iam::111111111111:role/a].associatedAccessPolicies: ThrottlingException',
      ),
    );
  });

  describe('access entries of a cluster that authenticates through the aws-auth ConfigMap only', () => {
    const configMapCluster = withField(cluster, 'accessConfig.authenticationMode', 'CONFIG_MAP');
    const configMapOnly = unknown(
      'the cluster authenticates through the aws-auth ConfigMap only (authenticationMode CONFIG_MAP), so it has no access entries; who aws-auth maps to cluster-admin needs in-cluster read access',
      { path: 'cluster.accessConfig.authenticationMode', value: 'CONFIG_MAP' },
    );

    it('is unknown, not an empty list, whatever the collector handed over', () => {
      // Act
      const posture = normaliseEks({ ...snapshotOf(configMapCluster), accessEntries: collected([]) }, origin);
      // Assess
      assert.deepEqual(posture.eks.accessEntries, configMapOnly);
    });

    it('gives the same reason for a describe-cluster export', () => {
      assert.deepEqual(normalise(configMapCluster).eks.accessEntries, configMapOnly);
    });
  });

  it('keeps the live support data even when the cluster version is not listed, with a null window', () => {
    const posture = live({ clusterVersions: collected(CLUSTER_VERSIONS.slice(1)) });
    const support = 'value' in posture.versionSupport ? posture.versionSupport.value : undefined;
    assert.deepEqual(support, {
      window: null,
      newestMinorVersion: '1.34',
      source: 'eks:DescribeClusterVersions',
    });
  });
});

describe('normaliseEks: SSH access and the OIDC issuer', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const withNodegroups = (nodegroups: readonly unknown[]): EksClusterPosture =>
    normaliseEks({ ...snapshotOf(cluster), nodegroups: collected(nodegroups) }, origin);
  const sshOf = (nodegroup: Record<string, unknown>) => {
    const pools = withNodegroups([
      { nodegroupName: 'ng', version: '1.33', subnets: [], ...nodegroup },
    ]).nodePools;
    return 'unknown' in pools ? pools : pools.value[0]?.sshAccess;
  };

  it('reads a key without source security groups as SSH open to any address', () => {
    const remoteAccess = { ec2SshKey: 'ops-key' };
    assert.deepEqual(
      sshOf({ remoteAccess }),
      known('open', { path: 'nodegroups[name=ng].remoteAccess', value: remoteAccess }),
    );
  });

  it('reads remote access with an empty source security group list as open too', () => {
    assert.deepEqual(
      Reflect.get(sshOf({ remoteAccess: { ec2SshKey: 'k', sourceSecurityGroups: [] } }) ?? {}, 'value'),
      'open',
    );
  });

  it('is unknown when remote access is left out because a launch template is used', () => {
    const launchTemplate = { name: 'ng-template', version: '3' };
    assert.deepEqual(
      sshOf({ launchTemplate }),
      unknown(
        'nodegroups[name=ng] uses a launch template, whose key pair and security groups are not read',
        { path: 'nodegroups[name=ng].remoteAccess', value: null },
        { path: 'nodegroups[name=ng].launchTemplate', value: launchTemplate },
      ),
    );
  });

  it('is unknown, not closed, when remoteAccess is malformed', () => {
    assert.ok('unknown' in (sshOf({ remoteAccess: 'ops-key' }) ?? {}));
  });

  it('reads identity.oidc.issuer, and is unknown when an export lacks it', () => {
    assert.deepEqual(Reflect.get(normalise(cluster).eks.oidcIssuer, 'value'), OIDC_ISSUER);
    assert.deepEqual(
      normalise(withField(cluster, 'identity', undefined)).eks.oidcIssuer,
      unknown('cluster.identity.oidc.issuer absent from DescribeCluster output', {
        path: 'cluster.identity.oidc.issuer',
        value: null,
      }),
    );
  });
});

describe('normaliseEks: DescribeCluster fields that are masked or of the wrong type', () => {
  const cluster = describedCluster('describe-cluster-private.json');

  it('keeps an ARN whose account an export masked as the id, with the scope marked redacted', () => {
    // Prepare
    const masked = withField(cluster, 'arn', 'arn:aws:eks:eu-west-1:************:cluster/payments-prod');
    // Act
    const posture = normalise(masked);
    // Assess
    assert.deepEqual(
      { id: posture.id, scope: posture.scope, location: posture.location, name: posture.name },
      {
        id: 'arn:aws:eks:eu-west-1:************:cluster/payments-prod',
        scope: 'redacted',
        location: 'eu-west-1',
        name: 'payments-prod',
      },
    );
  });

  it('is unknown on the OIDC issuer when it is not a string', () => {
    const posture = normalise(withField(cluster, 'identity.oidc.issuer', 42));
    assert.deepEqual(
      posture.eks.oidcIssuer,
      unknown('cluster.identity.oidc.issuer is the number 42, expected a string', {
        path: 'cluster.identity.oidc.issuer',
        value: 42,
      }),
    );
  });

  it('is unknown on the support plan when supportType is not a string or not a known type', () => {
    // Act
    const plans = [
      normalise(withField(cluster, 'upgradePolicy.supportType', true)).supportPlan,
      normalise(withField(cluster, 'upgradePolicy.supportType', 'PREMIUM')).supportPlan,
    ];
    // Assess
    assert.deepEqual(plans, [
      unknown('cluster.upgradePolicy.supportType is the boolean true, expected a string', {
        path: 'cluster.upgradePolicy.supportType',
        value: true,
      }),
      unknown('cluster.upgradePolicy.supportType "PREMIUM" is not a known support type', {
        path: 'cluster.upgradePolicy.supportType',
        value: 'PREMIUM',
      }),
    ]);
  });

  it('is unknown on the authentication mode when it is not a string', () => {
    const posture = normalise(withField(cluster, 'accessConfig.authenticationMode', 3));
    assert.deepEqual(
      posture.eks.authenticationMode,
      unknown('cluster.accessConfig.authenticationMode is the number 3, expected a string', {
        path: 'cluster.accessConfig.authenticationMode',
        value: 3,
      }),
    );
  });

  describe('secrets encryption', () => {
    it('is unknown when encryptionConfig is not a list', () => {
      const entry = { resources: ['secrets'], provider: { keyArn: KEY_ARN } };
      const posture = normalise(withField(cluster, 'encryptionConfig', entry));
      assert.deepEqual(
        posture.secretsEncryption,
        unknown('cluster.encryptionConfig is an object, expected a list', {
          path: 'cluster.encryptionConfig',
          value: entry,
        }),
      );
    });

    it('is unknown when an entry lists its resources as something other than a list', () => {
      const posture = normalise(withField(cluster, 'encryptionConfig.0.resources', 'secrets'));
      assert.deepEqual(
        posture.secretsEncryption,
        unknown('cluster.encryptionConfig[0].resources is the string "secrets", expected a list', {
          path: 'cluster.encryptionConfig[0].resources',
          value: 'secrets',
        }),
      );
    });

    it('does not count the key of an entry that does not cover secrets as a customer key', () => {
      // Prepare: 1.31 still has the AWS-owned default envelope key.
      const entries = [{ resources: [], provider: { keyArn: KEY_ARN } }];
      // Act
      const posture = normalise(withField(cluster, 'encryptionConfig', entries));
      // Assess
      assert.deepEqual(
        posture.secretsEncryption,
        known(
          { envelope: true, keyManagedBy: 'provider', keyId: null },
          { path: 'cluster.encryptionConfig', value: entries },
          { path: 'cluster.version', value: '1.31' },
        ),
      );
    });
  });

  describe('control-plane logging', () => {
    const bothLogs = (posture: EksClusterPosture) => [posture.auditLogs, posture.authenticatorLogs];

    it('is unknown on both log exports when logging is not an object', () => {
      const broken = unknown('cluster.logging is the string "enabled", expected an object', {
        path: 'cluster.logging',
        value: 'enabled',
      });
      assert.deepEqual(bothLogs(normalise(withField(cluster, 'logging', 'enabled'))), [broken, broken]);
    });

    it('is unknown on both log exports when logging has no clusterLogging list', () => {
      const absent = unknown('cluster.logging.clusterLogging absent from DescribeCluster output', {
        path: 'cluster.logging.clusterLogging',
        value: null,
      });
      assert.deepEqual(bothLogs(normalise(withField(cluster, 'logging', {}))), [absent, absent]);
    });

    it('is unknown on both log exports when clusterLogging is not a list', () => {
      const entry = { types: ['audit'], enabled: true };
      const broken = unknown('cluster.logging.clusterLogging is an object, expected a list', {
        path: 'cluster.logging.clusterLogging',
        value: entry,
      });
      assert.deepEqual(bothLogs(normalise(withField(cluster, 'logging.clusterLogging', entry))), [
        broken,
        broken,
      ]);
    });

    it('is unknown when an entry has an enabled flag that is not a boolean', () => {
      // Prepare
      const malformed = withField(cluster, 'logging.clusterLogging.0.enabled', 'true');
      // Act
      const posture = normalise(malformed);
      // Assess
      assert.deepEqual(
        posture.auditLogs,
        unknown('cluster.logging.clusterLogging[0].enabled is the string "true", expected a boolean', {
          path: 'cluster.logging.clusterLogging',
          value: [
            { types: ['api', 'audit', 'authenticator'], enabled: 'true' },
            { types: ['controllerManager', 'scheduler'], enabled: false },
          ],
        }),
      );
    });

    it('is unknown when an entry lists its types as something other than a list', () => {
      // Prepare
      const malformed = withField(cluster, 'logging.clusterLogging.0.types', 'audit');
      // Act
      const posture = normalise(malformed);
      // Assess
      assert.deepEqual(
        posture.authenticatorLogs,
        unknown('cluster.logging.clusterLogging[0].types is the string "audit", expected a list', {
          path: 'cluster.logging.clusterLogging',
          value: [
            { types: 'audit', enabled: true },
            { types: ['controllerManager', 'scheduler'], enabled: false },
          ],
        }),
      );
    });
  });
});

describe('normaliseEks: identity providers and the vpc-cni configuration', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const live = (overrides: Partial<EksCollected>): EksClusterPosture =>
    normaliseEks({ ...snapshotOf(cluster), ...overrides }, origin);
  const withVpcCni = (configurationValues: unknown) =>
    live({ addons: collected([{ addonName: 'vpc-cni', configurationValues }]) }).networkPolicy;
  const VALUES = 'addons[name=vpc-cni].configurationValues';

  it('reads the name of an identity provider described by DescribeIdentityProviderConfig', () => {
    // Prepare
    const described = [
      {
        oidc: {
          identityProviderConfigName: 'corporate-sso',
          issuerUrl: 'https://sso.acme.example',
          clientId: 'kubernetes',
          status: 'ACTIVE',
        },
      },
    ];
    // Act
    const posture = live({ identityProviderConfigs: collected(described) });
    // Assess
    assert.deepEqual(
      posture.eks.oidcIdentityProviders,
      known(['corporate-sso'], { path: 'identityProviderConfigs', value: described }),
    );
  });

  it('is unknown on identity providers when one has no name', () => {
    const posture = live({ identityProviderConfigs: collected([{ type: 'oidc', name: '' }]) });
    assert.deepEqual(
      posture.eks.oidcIdentityProviders,
      unknown('identityProviderConfigs[0] has no name', {
        path: 'identityProviderConfigs',
        value: [{ type: 'oidc', name: '' }],
      }),
    );
  });

  it('is unknown when configurationValues is not a string', () => {
    const values = { enableNetworkPolicy: 'true' };
    assert.deepEqual(
      withVpcCni(values),
      unknown(`${VALUES} is an object, expected a string`, { path: VALUES, value: values }),
    );
  });

  it('reads a configuration without enableNetworkPolicy as the add-on default: not enforced', () => {
    // The vpc-cni add-on schema defaults enableNetworkPolicy to "false".
    const values = '{"env":{"WARM_IP_TARGET":"5"}}';
    assert.deepEqual(
      withVpcCni(values),
      known({ enforced: false, engine: null }, { path: VALUES, value: values }),
    );
  });

  it('reads enableNetworkPolicy given as a YAML boolean', () => {
    assert.deepEqual(
      [withVpcCni('enableNetworkPolicy: true\n'), withVpcCni('enableNetworkPolicy: false\n')],
      [
        known({ enforced: true, engine: 'vpc-cni' }, { path: VALUES, value: 'enableNetworkPolicy: true\n' }),
        known({ enforced: false, engine: null }, { path: VALUES, value: 'enableNetworkPolicy: false\n' }),
      ],
    );
  });

  it('is unknown, not off, when enableNetworkPolicy is neither true nor false', () => {
    const values = 'enableNetworkPolicy: "yes"\n';
    assert.deepEqual(
      withVpcCni(values),
      unknown(`${VALUES} has enableNetworkPolicy set to the string "yes", expected "true" or "false"`, {
        path: VALUES,
        value: values,
      }),
    );
  });
});

describe('normaliseEks: node groups and access entries beyond the happy path', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const live = (overrides: Partial<EksCollected>): EksClusterPosture =>
    normaliseEks({ ...snapshotOf(cluster), ...overrides }, origin);
  const poolOf = (nodegroup: Record<string, unknown>, subnets: readonly unknown[] = SUBNETS) => {
    const pools = live({
      nodegroups: collected([{ nodegroupName: 'ng', version: '1.31', ...nodegroup }]),
      subnets: collected(subnets),
    }).nodePools;
    return 'unknown' in pools ? undefined : pools.value[0];
  };
  const SUBNET_1 = 'subnet-0aaaaaaaaaaaaaaa1';

  describe('SSH access', () => {
    it('is unknown when the SSH key name is not a string', () => {
      const remoteAccess = { ec2SshKey: 7 };
      assert.deepEqual(
        poolOf({ remoteAccess, subnets: [SUBNET_1] })?.sshAccess,
        unknown('nodegroups[name=ng].remoteAccess.ec2SshKey is the number 7, expected a string', {
          path: 'nodegroups[name=ng].remoteAccess',
          value: remoteAccess,
        }),
      );
    });

    it('is unknown, not open, when the source security groups are not a list', () => {
      const remoteAccess = { ec2SshKey: 'ops-key', sourceSecurityGroups: 'sg-0aaaaaaaaaaaaaaa3' };
      assert.deepEqual(
        poolOf({ remoteAccess, subnets: [SUBNET_1] })?.sshAccess,
        unknown(
          'nodegroups[name=ng].remoteAccess.sourceSecurityGroups is the string "sg-0aaaaaaaaaaaaaaa3", expected a list',
          { path: 'nodegroups[name=ng].remoteAccess', value: remoteAccess },
        ),
      );
    });

    it('reads remote access without a key pair as SSH disabled: no key, no login', () => {
      const remoteAccess = { sourceSecurityGroups: ['sg-0aaaaaaaaaaaaaaa3'] };
      assert.deepEqual(
        poolOf({ remoteAccess, subnets: [SUBNET_1] })?.sshAccess,
        known('disabled', { path: 'nodegroups[name=ng].remoteAccess', value: remoteAccess }),
      );
    });
  });

  describe('public node IPs', () => {
    it('is unknown when the node group lists no subnets, or lists them as something other than a list', () => {
      assert.deepEqual(
        [poolOf({})?.publicIps, poolOf({ subnets: SUBNET_1 })?.publicIps],
        [
          unknown('nodegroups[name=ng].subnets absent from DescribeNodegroup output', {
            path: 'nodegroups[name=ng].subnets',
            value: null,
          }),
          unknown(`nodegroups[name=ng].subnets is the string "${SUBNET_1}", expected a list`, {
            path: 'nodegroups[name=ng].subnets',
            value: SUBNET_1,
          }),
        ],
      );
    });

    it('is unknown, not private, when a subnet has no MapPublicIpOnLaunch or a wrong-typed one', () => {
      // Prepare
      const withoutFlag = [{ SubnetId: SUBNET_1, VpcId: 'vpc-0aaaaaaaaaaaaaaa1' }];
      const wrongType = [{ SubnetId: SUBNET_1, MapPublicIpOnLaunch: 'false' }];
      // Act
      const readings = [withoutFlag, wrongType].map((subnets) => poolOf({ subnets: [SUBNET_1] }, subnets));
      // Assess
      const nodegroupSubnets = { path: 'nodegroups[name=ng].subnets', value: [SUBNET_1] };
      const flagPath = `subnets[id=${SUBNET_1}].MapPublicIpOnLaunch`;
      assert.deepEqual(
        readings.map((pool) => pool?.publicIps),
        [
          unknown(`${flagPath} absent`, nodegroupSubnets, { path: flagPath, value: null }),
          unknown(`${flagPath} is the string "false", expected a boolean`, nodegroupSubnets, {
            path: flagPath,
            value: 'false',
          }),
        ],
      );
    });
  });

  it('is unknown on access entries when a policy has a scope other than cluster or namespace', () => {
    // Prepare
    const principalArn = 'arn:aws:iam::111111111111:role/platform-admin';
    const policy = { policyArn: ADMIN_POLICY, accessScope: { type: 'account' } };
    // Act
    const posture = live({
      accessEntries: collected([{ principalArn, associatedAccessPolicies: collected([policy]) }]),
    });
    // Assess
    const path = `accessEntries[principalArn=${principalArn}].associatedAccessPolicies[0]`;
    assert.deepEqual(
      posture.eks.accessEntries,
      unknown(`${path} has no policyArn or no accessScope.type of cluster or namespace`, {
        path,
        value: policy,
      }),
    );
  });
});

describe('normaliseEks: log retention, flow logs and GuardDuty beyond the happy path', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const live = (overrides: Partial<EksCollected>): EksClusterPosture =>
    normaliseEks({ ...snapshotOf(cluster), ...overrides }, origin);
  const STATUS = 'guardDuty.detector.Status';
  const RUNTIME = 'guardDuty.detector.Features[RUNTIME_MONITORING]';

  it('is unknown on retention when retentionInDays is not a whole number of days', () => {
    const group = { logGroupName: '/aws/eks/payments-prod/cluster', retentionInDays: '30' };
    const path = 'logGroups[name=/aws/eks/payments-prod/cluster].retentionInDays';
    assert.deepEqual(
      live({ auditLogGroup: collected(group) }).auditLogRetentionDays,
      unknown(`${path} is the string "30", expected a number of days`, { path, value: '30' }),
    );
  });

  it('says which flow log has no status when it has no FlowLogId either', () => {
    const nameless = { ResourceId: 'vpc-0aaaaaaaaaaaaaaa1' };
    assert.deepEqual(
      live({ flowLogs: collected([nameless]) }).networkFlowLogs,
      unknown(
        'flow log (no FlowLogId) on vpc-0aaaaaaaaaaaaaaa1 has no readable FlowLogStatus, and no flow log on the VPC is ACTIVE',
        { path: 'cluster.resourcesVpcConfig.vpcId', value: 'vpc-0aaaaaaaaaaaaaaa1' },
        { path: 'flowLogs[resourceId=vpc-0aaaaaaaaaaaaaaa1]', value: [nameless] },
      ),
    );
  });

  it('is unknown when the detector lists its features as something other than a list', () => {
    const detector = { Status: 'ENABLED', Features: 'RUNTIME_MONITORING' };
    assert.deepEqual(
      live({ guardDutyDetector: collected(detector), addons: collected([]) }).runtimeThreatDetection,
      unknown('guardDuty.detector.Features is the string "RUNTIME_MONITORING", expected a list', {
        path: 'guardDuty.detector.Features',
        value: 'RUNTIME_MONITORING',
      }),
    );
  });

  it('is unknown when the detector Status is neither ENABLED nor DISABLED', () => {
    const detector = { Status: 'SUSPENDED', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] };
    assert.deepEqual(
      live({ guardDutyDetector: collected(detector), addons: collected([]) }).runtimeThreatDetection,
      unknown('the GuardDuty detector has Status the string "SUSPENDED", expected ENABLED or DISABLED', {
        path: STATUS,
        value: 'SUSPENDED',
      }),
    );
  });

  it('reads an enabled detector that lists no features as runtime monitoring off', () => {
    // GetDetector lists every feature the detector has; runtime monitoring is one of them.
    assert.deepEqual(
      live({ guardDutyDetector: collected({ Status: 'ENABLED' }), addons: collected([]) })
        .runtimeThreatDetection,
      known({ enabled: false, via: null }, { path: STATUS, value: 'ENABLED' }, { path: RUNTIME, value: [] }),
    );
  });
});

describe('normaliseEks: DescribeClusterVersions beyond the happy path', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const withVersions = (clusterVersions: readonly unknown[], described: unknown = cluster) =>
    normaliseEks({ ...snapshotOf(described), clusterVersions: collected(clusterVersions) }, origin)
      .versionSupport;

  it('is unknown when an entry lacks its release or standard support date', () => {
    const entry = { clusterVersion: '1.31', endOfStandardSupportDate: new Date('2025-11-26T00:00:00Z') };
    assert.deepEqual(
      withVersions([entry]),
      unknown(
        'clusterVersions[0] lacks clusterVersion, releaseDate, endOfStandardSupportDate or endOfExtendedSupportDate',
        {
          path: 'clusterVersions[0]',
          value: { clusterVersion: '1.31', endOfStandardSupportDate: '2025-11-26T00:00:00.000Z' },
        },
      ),
    );
  });

  it('is unknown, not "no extended support", when an entry lacks its end of extended support date', () => {
    // Prepare: every EKS minor gets 12 months of extended support after standard support
    // (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html); the field is
    // optional in ClusterVersionInformation, and its absence does not say there is none.
    const { endOfExtendedSupportDate: _dropped, ...entry } = CLUSTER_VERSIONS[0] ?? {};
    // Act
    const support = withVersions([entry, CLUSTER_VERSIONS[1]]);
    // Assess
    assert.deepEqual(
      support,
      unknown(
        'clusterVersions[0] lacks clusterVersion, releaseDate, endOfStandardSupportDate or endOfExtendedSupportDate',
        {
          path: 'clusterVersions[0]',
          value: {
            clusterVersion: '1.31',
            releaseDate: '2024-09-26T00:00:00.000Z',
            endOfStandardSupportDate: '2025-11-26T00:00:00.000Z',
            versionStatus: 'EXTENDED_SUPPORT',
          },
        },
      ),
    );
  });

  it('is unknown when the list holds no version it can read', () => {
    assert.deepEqual(
      withVersions([]),
      unknown('DescribeClusterVersions listed no versions', {
        path: 'clusterVersions',
        value: [],
      }),
    );
  });

  it('keeps the newest version but no window when the cluster version is unknown', () => {
    // Act
    const support = withVersions(CLUSTER_VERSIONS, withField(cluster, 'version', 'latest'));
    // Assess
    assert.deepEqual(
      support,
      known(
        { window: null, newestMinorVersion: '1.34', source: 'eks:DescribeClusterVersions' },
        { path: 'clusterVersions[clusterVersion=unknown]', value: null },
        { path: 'clusterVersions[newest].clusterVersion', value: '1.34' },
      ),
    );
  });
});

describe('normaliseEks: the API server address for the in-cluster pass', () => {
  const ENDPOINT = 'https://EXAMPLE0000000000000000000000000.gr7.eu-west-1.eks.amazonaws.com';
  const private_ = () => describedCluster('describe-cluster-private.json');

  it('is unknown, naming the field, when the endpoint is absent (a cluster still being created)', () => {
    // Prepare
    const cluster = withField(private_(), 'endpoint', undefined);
    // Act
    const posture = normalise(cluster);
    // Assess
    assert.deepEqual(
      posture.apiServer,
      unknown('cluster.endpoint absent from DescribeCluster output', {
        path: 'cluster.endpoint',
        value: null,
      }),
    );
  });

  it('is unknown when the CA is absent: TLS verification needs it', () => {
    const posture = normalise(withField(private_(), 'certificateAuthority.data', undefined));
    assert.deepEqual(
      posture.apiServer,
      unknown(
        'cluster.certificateAuthority.data absent from DescribeCluster output',
        { path: 'cluster.endpoint', value: ENDPOINT },
        { path: 'cluster.certificateAuthority.data', value: null },
      ),
    );
  });

  it('is unknown when the CA is not a string', () => {
    const posture = normalise(withField(private_(), 'certificateAuthority.data', 42));
    assert.deepEqual(
      posture.apiServer,
      unknown(
        'cluster.certificateAuthority.data is the number 42, expected a string',
        { path: 'cluster.endpoint', value: ENDPOINT },
        { path: 'cluster.certificateAuthority.data', value: 42 },
      ),
    );
  });

  it('refuses an endpoint that is not https, or carries credentials', () => {
    for (const endpoint of ['http://api.example.com', 'https://user:secret@api.example.com', 'https://']) {
      const posture = normalise(withField(private_(), 'endpoint', endpoint));
      assert.deepEqual(
        posture.apiServer,
        unknown(`cluster.endpoint ${JSON.stringify(endpoint)} is not an https address`, {
          path: 'cluster.endpoint',
          value: endpoint,
        }),
      );
    }
  });

  it('is unknown when the endpoint is not a string', () => {
    const posture = normalise(withField(private_(), 'endpoint', ['https://a']));
    assert.deepEqual(
      posture.apiServer,
      unknown('cluster.endpoint is a list, expected a string', {
        path: 'cluster.endpoint',
        value: ['https://a'],
      }),
    );
  });

  it('reads an empty CA as absent, and leaves the in-cluster facts to the in-cluster pass', () => {
    const posture = normalise(withField(private_(), 'certificateAuthority.data', ''));
    assert.deepEqual(
      { apiServer: posture.apiServer, inCluster: posture.inCluster },
      {
        apiServer: unknown(
          'cluster.certificateAuthority.data absent from DescribeCluster output',
          { path: 'cluster.endpoint', value: ENDPOINT },
          { path: 'cluster.certificateAuthority.data', value: '' },
        ),
        inCluster: unknown(IN_CLUSTER_OFF),
      },
    );
  });
});

describe('normaliseEks: failed-authentication alerting (metric filters and alarms)', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const LOG_GROUP = '/aws/eks/payments-prod/cluster';
  const LIST_PATH = `metricFilters[logGroup=${LOG_GROUP}]`;
  const ALARM_PATH = 'alarms[metric=EKS/Security/FailedAuthentications]';
  const alerting = (filters: EksCollected['auditMetricFilters']) =>
    normaliseEks(
      { ...snapshotOf(cluster), ...(filters === undefined ? {} : { auditMetricFilters: filters }) },
      origin,
    ).failedAuthAlerting;
  const summaryOf = (...filters: Readonly<Record<string, unknown>>[]) => ({
    path: LIST_PATH,
    value: filters.map((filter) => ({
      filterName: toJson(filter.filterName),
      filterPattern: toJson(filter.filterPattern),
    })),
  });
  const filter = (overrides: Record<string, unknown> = {}) => ({ ...AUTH_FILTER, ...overrides });
  const alarm = (overrides: Record<string, unknown> = {}) => ({ ...AUTH_ALARM, ...overrides });

  it('names the alarm on the metric of a filter that counts 401/403 audit responses', () => {
    assert.deepEqual(
      alerting(collected([{ filter: filter(), alarms: [collected([alarm()])] }])),
      known({ alerts: ['cloudwatch-alarm:eks-failed-auth'], unalerted: [] }, summaryOf(AUTH_FILTER), {
        path: ALARM_PATH,
        value: ['eks-failed-auth'],
      }),
    );
  });

  it('names a matching filter without any alarm as unalerted', () => {
    assert.deepEqual(
      alerting(collected([{ filter: filter(), alarms: [collected([])] }])),
      known({ alerts: [], unalerted: ['metric-filter:failed-auth'] }, summaryOf(AUTH_FILTER), {
        path: ALARM_PATH,
        value: [],
      }),
    );
  });

  it('does not count an alarm that notifies no one: actions disabled, or no alarm actions', () => {
    // Prepare
    const silent = [
      alarm({ AlarmName: 'muted', ActionsEnabled: false }),
      alarm({ AlarmName: 'nowhere', AlarmActions: [] }),
      alarm({ AlarmName: 'absent-actions', AlarmActions: undefined }),
    ];
    // Act
    const observed = alerting(collected([{ filter: filter(), alarms: [collected(silent)] }]));
    // Assess
    assert.deepEqual(
      observed,
      known(
        {
          alerts: [],
          unalerted: [
            'cloudwatch-alarm:muted (actions disabled)',
            'cloudwatch-alarm:nowhere (no alarm actions)',
            'cloudwatch-alarm:absent-actions (no alarm actions)',
            'metric-filter:failed-auth',
          ],
        },
        summaryOf(AUTH_FILTER),
        { path: ALARM_PATH, value: ['muted', 'nowhere', 'absent-actions'] },
      ),
    );
  });

  it('ignores filters about other events, and reports no alert when only those exist', () => {
    const other = { filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [] };
    const everything = { filterName: 'all', metricTransformations: [] };
    assert.deepEqual(
      alerting(
        collected([
          { filter: other, alarms: [] },
          { filter: everything, alarms: [] },
        ]),
      ),
      known({ alerts: [], unalerted: [] }, summaryOf(other, everything)),
    );
  });

  it('reads a missing log group as known with no alert: nothing can alert on it', () => {
    assert.deepEqual(
      alerting(collected(null)),
      known({ alerts: [], unalerted: [] }, { path: `logGroups[name=${LOG_GROUP}]`, value: null }),
    );
  });

  it('is unknown when the filters or every alarm lookup could not be read, or were not read', () => {
    const denied = 'cloudwatch:DescribeAlarmsForMetric failed: AccessDenied: not authorized';
    assert.deepEqual(
      [
        alerting(missing('logs:DescribeMetricFilters failed: AccessDeniedException')),
        alerting(collected([{ filter: filter(), alarms: [missing(denied)] }])),
        alerting(undefined),
      ],
      [
        unknown('logs:DescribeMetricFilters failed: AccessDeniedException'),
        unknown(denied, summaryOf(AUTH_FILTER), { path: ALARM_PATH, value: null }),
        unknown(
          'CloudWatch Logs metric filters and alarms are not part of `aws eks describe-cluster` output; a live scan reads them with DescribeMetricFilters and DescribeAlarmsForMetric',
        ),
      ],
    );
  });

  it('passes on one alert found even when another lookup failed', () => {
    // Prepare
    const second = filter({
      filterName: 'authenticator-denied',
      filterPattern: '"access denied"',
      metricTransformations: [{ metricName: 'Denied', metricNamespace: 'EKS/Security', metricValue: '1' }],
    });
    // Act
    const observed = alerting(
      collected([
        { filter: second, alarms: [missing('cloudwatch:DescribeAlarmsForMetric failed: Throttling')] },
        { filter: filter(), alarms: [collected([alarm()])] },
      ]),
    );
    // Assess
    assert.deepEqual(
      observed,
      known(
        { alerts: ['cloudwatch-alarm:eks-failed-auth'], unalerted: ['metric-filter:authenticator-denied'] },
        summaryOf(second, AUTH_FILTER),
        { path: 'alarms[metric=EKS/Security/Denied]', value: null },
        { path: ALARM_PATH, value: ['eks-failed-auth'] },
      ),
    );
  });

  it('is unknown, not unalerted, for a metric with dimensions: its alarms cannot be looked up by name', () => {
    const dimensions = { user: '$.user.username' };
    const dimensioned = filter({
      metricTransformations: [{ ...AUTH_FILTER.metricTransformations[0], dimensions }],
    });
    assert.deepEqual(
      alerting(collected([{ filter: dimensioned, alarms: [collected([])] }])),
      unknown(
        'the metric EKS/Security/FailedAuthentications has dimensions, so alarms on it cannot be looked up by metric',
        summaryOf(dimensioned),
        { path: 'metricFilters[name=failed-auth].metricTransformations[0].dimensions', value: dimensions },
      ),
    );
  });

  it('is unknown on malformed filters, transformations and alarms', () => {
    // Prepare
    const noName = { filterPattern: AUTH_FILTER.filterPattern };
    const numericPattern = { filterName: 'n', filterPattern: 401 };
    const badTransformations = filter({ metricTransformations: 'FailedAuthentications' });
    const noNamespace = filter({ metricTransformations: [{ metricName: 'FailedAuthentications' }] });
    const badAlarm = { AlarmName: 'x', ActionsEnabled: 'yes', AlarmActions: [] };
    // Act
    const readings = [
      alerting(collected([{ filter: noName, alarms: [] }])),
      alerting(collected([{ filter: numericPattern, alarms: [] }])),
      alerting(collected([{ filter: badTransformations, alarms: [] }])),
      alerting(collected([{ filter: noNamespace, alarms: [] }])),
      alerting(collected([{ filter: filter(), alarms: [collected([badAlarm])] }])),
      alerting(collected([{ filter: filter(), alarms: [] }])),
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown(`${LIST_PATH}[0] has no filterName or a filterPattern that is not a string`, summaryOf(noName)),
      unknown(
        `${LIST_PATH}[0] has no filterName or a filterPattern that is not a string`,
        summaryOf(numericPattern),
      ),
      unknown(
        'metricFilters[name=failed-auth].metricTransformations is the string "FailedAuthentications", expected a list',
        summaryOf(badTransformations),
        { path: 'metricFilters[name=failed-auth].metricTransformations', value: 'FailedAuthentications' },
      ),
      unknown(
        'metricFilters[name=failed-auth].metricTransformations[0] has no metricNamespace or metricName',
        summaryOf(noNamespace),
        {
          path: 'metricFilters[name=failed-auth].metricTransformations[0]',
          value: { metricName: 'FailedAuthentications' },
        },
      ),
      unknown(
        `${ALARM_PATH}[0] has no AlarmName, ActionsEnabled or readable AlarmActions`,
        summaryOf(AUTH_FILTER),
        { path: ALARM_PATH, value: [badAlarm] },
      ),
      unknown('the alarms on EKS/Security/FailedAuthentications were not looked up', summaryOf(AUTH_FILTER), {
        path: ALARM_PATH,
        value: null,
      }),
    ]);
  });

  it('is unknown on a matching filter whose metric is not listed, and needs both names of a metric', () => {
    // Prepare
    const noMetric = filter({ metricTransformations: undefined });
    const noName = filter({ metricTransformations: [{ metricNamespace: 'EKS/Security' }] });
    // Act
    const readings = [
      alerting(collected([{ filter: noMetric, alarms: [] }])),
      alerting(collected([{ filter: noName, alarms: [] }])),
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown('metricFilters[name=failed-auth].metricTransformations is absent', summaryOf(noMetric)),
      unknown(
        'metricFilters[name=failed-auth].metricTransformations[0] has no metricNamespace or metricName',
        summaryOf(noName),
        {
          path: 'metricFilters[name=failed-auth].metricTransformations[0]',
          value: { metricNamespace: 'EKS/Security' },
        },
      ),
    ]);
  });

  it('carries hostile filter and alarm names through as data', () => {
    // Prepare
    const name = '<img src=x onerror=alert(1)>{{constructor}}';
    const hostile = filter({ filterName: name });
    // Act
    const observed = alerting(
      collected([{ filter: hostile, alarms: [collected([alarm({ AlarmName: `${name}\n"alarm"` })])] }]),
    );
    // Assess
    assert.deepEqual(Reflect.get(observed, 'value'), {
      alerts: [`cloudwatch-alarm:${name}\n"alarm"`],
      unalerted: [],
    });
  });
});

describe('normaliseEks: public node IPs from launch templates', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const PUBLIC_SUBNET = 'subnet-0aaaaaaaaaaaaaaa3';
  const PRIVATE_SUBNET = 'subnet-0aaaaaaaaaaaaaaa1';
  const reference = { id: 'lt-0abc', version: '3' };
  const TEMPLATE_PATH = 'launchTemplates[id=lt-0abc,version=3]';
  const referenceSource = { path: 'nodegroups[name=ng].launchTemplate', value: reference };
  const versionWith = (networkInterfaces: unknown) => ({
    LaunchTemplateId: 'lt-0abc',
    VersionNumber: 3,
    LaunchTemplateData: networkInterfaces === undefined ? {} : { NetworkInterfaces: networkInterfaces },
  });
  const publicIps = (
    template: EksCollected['launchTemplates'],
    subnet: string,
    launchTemplate: unknown = reference,
  ) => {
    const pools = normaliseEks(
      {
        ...snapshotOf(cluster),
        nodegroups: collected([{ nodegroupName: 'ng', version: '1.31', subnets: [subnet], launchTemplate }]),
        subnets: collected(SUBNETS),
        ...(template === undefined ? {} : { launchTemplates: template }),
      },
      origin,
    ).nodePools;
    return 'unknown' in pools ? pools : pools.value[0]?.publicIps;
  };
  const one = (version: Collected<unknown>) => new Map([['ng', version]]);

  it('gives public IPs when the template associates one, even on a private subnet', () => {
    const interfaces = [{ DeviceIndex: 0, AssociatePublicIpAddress: true }];
    assert.deepEqual(
      publicIps(one(collected(versionWith(interfaces))), PRIVATE_SUBNET),
      known(true, referenceSource, {
        path: `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress`,
        value: true,
      }),
    );
  });

  it('gives no public IP when the template turns it off, even on a subnet that maps one', () => {
    const interfaces = [{ DeviceIndex: 0, AssociatePublicIpAddress: false }];
    assert.deepEqual(
      publicIps(one(collected(versionWith(interfaces))), PUBLIC_SUBNET),
      known(false, referenceSource, {
        path: `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress`,
        value: false,
      }),
    );
  });

  it('leaves it to the subnets when the template sets no network interface, or none sets the flag', () => {
    // Act
    const readings = [
      publicIps(one(collected(versionWith(undefined))), PUBLIC_SUBNET),
      publicIps(one(collected(versionWith([{ DeviceIndex: 0, Groups: ['sg-1'] }]))), PRIVATE_SUBNET),
    ];
    // Assess
    const interfacesPath = `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces`;
    assert.deepEqual(readings, [
      known(
        true,
        referenceSource,
        { path: interfacesPath, value: null },
        { path: 'nodegroups[name=ng].subnets', value: [PUBLIC_SUBNET] },
        { path: `subnets[id=${PUBLIC_SUBNET}].MapPublicIpOnLaunch`, value: true },
      ),
      known(
        false,
        referenceSource,
        { path: interfacesPath, value: [{ DeviceIndex: 0, Groups: ['sg-1'] }] },
        { path: 'nodegroups[name=ng].subnets', value: [PRIVATE_SUBNET] },
        { path: `subnets[id=${PRIVATE_SUBNET}].MapPublicIpOnLaunch`, value: false },
      ),
    ]);
  });

  it('is unknown, whatever the subnet, when the template could not be read or was not read', () => {
    const denied = 'ec2:DescribeLaunchTemplateVersions failed: UnauthorizedOperation';
    assert.deepEqual(
      [
        publicIps(one(missing(denied)), PRIVATE_SUBNET),
        publicIps(new Map(), PRIVATE_SUBNET),
        publicIps(undefined, PRIVATE_SUBNET),
      ],
      [
        unknown(
          `nodegroups[name=ng].launchTemplate names a launch template that decides public IPs, and ${denied}`,
          referenceSource,
        ),
        unknown(
          'nodegroups[name=ng].launchTemplate names a launch template that decides public IPs, and its launch template version was not read (DescribeLaunchTemplateVersions)',
          referenceSource,
        ),
        unknown(
          'nodegroups[name=ng].launchTemplate names a launch template that decides public IPs, and launch templates are not part of `aws eks describe-nodegroup` output; a live scan reads them with EC2 DescribeLaunchTemplateVersions',
          referenceSource,
        ),
      ],
    );
  });

  it('labels a template named by neither id nor name, and without a version, as the default version', () => {
    const interfaces = [{ DeviceIndex: 0, AssociatePublicIpAddress: true }];
    const reference = { launchTemplateOwner: 'someone' };
    assert.deepEqual(
      publicIps(one(collected(versionWith(interfaces))), PRIVATE_SUBNET, reference),
      known(
        true,
        { path: 'nodegroups[name=ng].launchTemplate', value: reference },
        {
          path: 'launchTemplates[id=unnamed,version=$Default].LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress',
          value: true,
        },
      ),
    );
  });

  it('is unknown when the version was not returned, or its interfaces or flag are malformed', () => {
    // Prepare
    const byName = { name: 'nodes', version: '$Latest' };
    // Act
    const readings = [
      publicIps(one(collected(null)), PRIVATE_SUBNET, byName),
      publicIps(one(collected(versionWith({ DeviceIndex: 0 }))), PRIVATE_SUBNET),
      publicIps(one(collected(versionWith([{ AssociatePublicIpAddress: 'true' }]))), PRIVATE_SUBNET),
      publicIps(one(collected(versionWith([]))), PRIVATE_SUBNET, 'lt-0abc'),
    ];
    // Assess
    const flag = `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress`;
    assert.deepEqual(readings, [
      unknown(
        'DescribeLaunchTemplateVersions returned no version "$Latest" of launch template "nodes"',
        { path: 'nodegroups[name=ng].launchTemplate', value: byName },
        { path: 'launchTemplates[id=nodes,version=$Latest]', value: null },
      ),
      unknown(
        `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces is an object, expected a list`,
        referenceSource,
        { path: `${TEMPLATE_PATH}.LaunchTemplateData.NetworkInterfaces`, value: { DeviceIndex: 0 } },
      ),
      unknown(`${flag} is the string "true", expected a boolean`, referenceSource, {
        path: flag,
        value: 'true',
      }),
      unknown('nodegroups[name=ng].launchTemplate is the string "lt-0abc", expected an object', {
        path: 'nodegroups[name=ng].launchTemplate',
        value: 'lt-0abc',
      }),
    ]);
  });
});

describe('normaliseEks: the IAM OIDC provider of the cluster issuer (IAM-01)', () => {
  const cluster = describedCluster('describe-cluster-private.json');
  const ISSUER_SOURCE = { path: 'cluster.identity.oidc.issuer', value: OIDC_ISSUER };
  const PROVIDER_PATH =
    'iam.openIDConnectProviders[url=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000]';
  const provider = (providers: EksCollected['iamOidcProviders'], issuerCluster: unknown = cluster) =>
    normaliseEks(
      { ...snapshotOf(issuerCluster), ...(providers === undefined ? {} : { iamOidcProviders: providers }) },
      origin,
    ).eks.iamOidcProvider;
  const otherArn = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHER';

  it('finds the provider named by the issuer host and path among others', () => {
    assert.deepEqual(
      provider(collected([{ Arn: otherArn }, { Arn: OIDC_PROVIDER_ARN }])),
      known(true, ISSUER_SOURCE, { path: PROVIDER_PATH, value: OIDC_PROVIDER_ARN }),
    );
  });

  it('matches the host whatever its case and a trailing slash, but not a different id', () => {
    const upperHost = OIDC_PROVIDER_ARN.replace('oidc.eks.eu-west-1', 'OIDC.EKS.EU-WEST-1');
    const trailing = withField(cluster, 'identity.oidc.issuer', `${OIDC_ISSUER}/`);
    const lowerId = OIDC_PROVIDER_ARN.replace('EXAMPLE', 'example');
    assert.deepEqual(
      [
        Reflect.get(provider(collected([{ Arn: upperHost }])), 'value'),
        Reflect.get(provider(collected([{ Arn: OIDC_PROVIDER_ARN }]), trailing), 'value'),
        Reflect.get(provider(collected([{ Arn: lowerId }])), 'value'),
      ],
      [true, true, false],
    );
  });

  it('is false when the account has no provider for the issuer', () => {
    assert.deepEqual(
      provider(collected([{ Arn: otherArn }, { Arn: 'arn:aws:iam::111111111111:role/not-a-provider' }])),
      known(false, ISSUER_SOURCE, { path: PROVIDER_PATH, value: null }),
    );
    assert.deepEqual(
      provider(collected([])),
      known(false, ISSUER_SOURCE, { path: PROVIDER_PATH, value: null }),
    );
  });

  it('is unknown when the list was denied or not read, or the issuer is unknown or not https', () => {
    // Prepare
    const noIssuer = withField(cluster, 'identity', undefined);
    const httpIssuer = withField(cluster, 'identity.oidc.issuer', 'http://oidc.example/id/1');
    // Act
    const readings = [
      provider(missing('iam:ListOpenIDConnectProviders failed: AccessDenied: not authorized')),
      provider(undefined),
      provider(collected([{ Arn: OIDC_PROVIDER_ARN }]), noIssuer),
      provider(collected([{ Arn: OIDC_PROVIDER_ARN }]), httpIssuer),
      provider(
        collected([{ Arn: 'not a url \u0000' }]),
        withField(cluster, 'identity.oidc.issuer', 'not a url'),
      ),
    ];
    // Assess
    assert.deepEqual(readings, [
      unknown('iam:ListOpenIDConnectProviders failed: AccessDenied: not authorized'),
      unknown(
        'IAM OIDC identity providers are not part of `aws eks describe-cluster` output; a live scan reads them with IAM ListOpenIDConnectProviders',
      ),
      unknown(
        "the cluster's OIDC issuer is not known: cluster.identity.oidc.issuer absent from DescribeCluster output",
        {
          path: 'cluster.identity.oidc.issuer',
          value: null,
        },
      ),
      unknown('the OIDC issuer "http://oidc.example/id/1" is not an https URL', {
        path: 'cluster.identity.oidc.issuer',
        value: 'http://oidc.example/id/1',
      }),
      unknown('the OIDC issuer "not a url" is not an https URL', {
        path: 'cluster.identity.oidc.issuer',
        value: 'not a url',
      }),
    ]);
  });

  it('is unknown when a provider entry has no ARN: it might be the cluster one', () => {
    assert.deepEqual(
      provider(collected([{ Arn: otherArn }, { Arn: 42 }, {}])),
      unknown('iam.openIDConnectProviders[1].Arn is the number 42, expected a string', ISSUER_SOURCE, {
        path: 'iam.openIDConnectProviders[1].Arn',
        value: 42,
      }),
    );
    assert.deepEqual(
      provider(collected([{}])),
      unknown('iam.openIDConnectProviders[0].Arn is absent', ISSUER_SOURCE, {
        path: 'iam.openIDConnectProviders[0].Arn',
        value: null,
      }),
    );
  });
});
