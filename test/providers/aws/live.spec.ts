import assert from 'node:assert/strict';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFlowLogsCommand,
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  type CreateClusterCommandInput,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { centralIdentityProvider } from '../../../checks/identity/centralIdentityProvider.js';
import { workloadIdentity } from '../../../checks/identity/workloadIdentity.js';
import { networkPolicyEnforcement } from '../../../checks/network/networkPolicyEnforcement.js';
import { runtimeThreatDetection } from '../../../checks/runtime/runtimeThreatDetection.js';
import { standardSupport } from '../../../checks/versions/standardSupport.js';
import { unknown } from '../../../model/observed.js';
import type { EksClusterPosture } from '../../../model/posture.js';
import { ApiCalls } from '../../../providers/apiCalls.js';
import { AwsClientFactory } from '../../../providers/aws/clients.js';
import { EKS_READ_ACTIONS, SCANNER_ACTIONS } from '../../../providers/aws/permissions.js';
import { type EksTargets, planEksScopes } from '../../../providers/aws/scopes.js';
import { type EksSource, eksSource } from '../../../providers/aws/source.js';
import { mapLimited } from '../../../providers/limit.js';
import { evalContext } from '../../fixtures/context.js';
import { type AwsPeer, startAwsPeer } from '../../peers/aws/awsPeer.js';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const roleOf = (account: string) => `arn:aws:iam::${account}:role/kubeline-read`;
const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

describe('providers/aws: live EKS scan against the local AWS peer', function () {
  this.timeout(120_000);
  let peer: AwsPeer;

  before(async () => {
    peer = await startAwsPeer({ versionsAsOf: '2026-11-29' });
  });
  after(async () => {
    await peer?.close();
  });
  beforeEach(async () => {
    await peer.reset();
  });

  /** Static credentials of an account in the peer, through STS as kubeline would get them. */
  async function credentialsFor(account: string): Promise<AwsCredentialIdentity> {
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: peer.endpoint,
      credentials: peer.credentials,
    });
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleOf(account), RoleSessionName: 'seed' }),
    );
    const credentials = assumed.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('no credentials');
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    };
  }

  function client<T>(
    Client: new (config: object) => T,
    region: string,
    credentials: AwsCredentialIdentity,
  ): T {
    return new Client({ region, endpoint: peer.endpoint, credentials, maxAttempts: 1 });
  }

  async function createCluster(
    account: string,
    region: string,
    name: string,
    overrides: Partial<CreateClusterCommandInput> = {},
  ): Promise<void> {
    const eks = client(EKSClient, region, await credentialsFor(account));
    await eks.send(
      new CreateClusterCommand({
        name,
        version: '1.34',
        roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
        resourcesVpcConfig: {
          subnetIds: ['subnet-00000001'],
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
          publicAccessCidrs: [],
        },
        logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: true }] },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        upgradePolicy: { supportType: 'STANDARD' },
        tags: { team: 'payments' },
        ...overrides,
      }),
    );
  }

  function source(
    targets: EksTargets,
    options: { maxAttempts?: number; callTimeoutMs?: number; now?: () => number } = {},
  ): EksSource {
    return eksSource({
      targets,
      factory: new AwsClientFactory({
        endpoint: peer.endpoint,
        maxAttempts: options.maxAttempts ?? 3,
        callTimeoutMs: options.callTimeoutMs ?? 5000,
      }),
      baseCredentials: peer.credentials,
      homeRegion: 'us-east-1',
      concurrency: { perScope: 8, scopes: 4 },
      ...(options.now ? { now: options.now } : {}),
    });
  }

  const twoAccounts: EksTargets = {
    regions: ['us-east-1', 'eu-west-1'],
    accounts: [
      { id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) },
      { id: ACCOUNT_B, roleArn: roleOf(ACCOUNT_B) },
    ],
  };

  it('reads 2 accounts × 2 regions through assumed roles, each cluster in its own scope', async () => {
    // Prepare
    for (const account of [ACCOUNT_A, ACCOUNT_B]) {
      for (const region of ['us-east-1', 'eu-west-1'])
        await createCluster(account, region, `c-${account.slice(0, 3)}-${region}`);
    }
    // Act
    const result = await source(twoAccounts).collect();
    // Assess
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.scopes.map((scope) => [scope.scope, scope.region, scope.status, scope.clusters]).sort(),
      [
        [ACCOUNT_A, 'eu-west-1', 'ok', 1],
        [ACCOUNT_A, 'us-east-1', 'ok', 1],
        [ACCOUNT_B, 'eu-west-1', 'ok', 1],
        [ACCOUNT_B, 'us-east-1', 'ok', 1],
      ],
    );
    assert.deepEqual(result.postures.map((posture) => [posture.id, posture.scope, posture.location]).sort(), [
      [`arn:aws:eks:eu-west-1:${ACCOUNT_A}:cluster/c-111-eu-west-1`, ACCOUNT_A, 'eu-west-1'],
      [`arn:aws:eks:eu-west-1:${ACCOUNT_B}:cluster/c-222-eu-west-1`, ACCOUNT_B, 'eu-west-1'],
      [`arn:aws:eks:us-east-1:${ACCOUNT_A}:cluster/c-111-us-east-1`, ACCOUNT_A, 'us-east-1'],
      [`arn:aws:eks:us-east-1:${ACCOUNT_B}:cluster/c-222-us-east-1`, ACCOUNT_B, 'us-east-1'],
    ]);
  });

  it('follows ListClusters pagination over 260 clusters in one region', async () => {
    const eks = client(EKSClient, 'us-east-1', await credentialsFor(ACCOUNT_A));
    const names = Array.from({ length: 260 }, (_, index) => `page-${String(index).padStart(3, '0')}`);
    await mapLimited(names, 16, (name) =>
      eks.send(
        new CreateClusterCommand({
          name,
          roleArn: `arn:aws:iam::${ACCOUNT_A}:role/eks-cluster`,
          resourcesVpcConfig: {
            subnetIds: ['subnet-00000001'],
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
          },
        }),
      ),
    );
    peer.clearCalls();
    const eksSourceUnderTest = source({
      regions: ['us-east-1'],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    });
    const result = await eksSourceUnderTest.collect();
    assert.equal(result.postures.length, 260);
    assert.deepEqual(result.postures.map((posture) => posture.name).sort(), names);
    assert.equal(peer.calls().filter((call) => call.operation === 'ListClusters').length, 3);
    assert.equal(eksSourceUnderTest.stats().byOperation['eks:DescribeCluster'], 260);
  });

  it('brings every collected field into the posture', async () => {
    // Prepare: a VPC with one public and one private subnet, flow logs, a log group with retention,
    // GuardDuty runtime monitoring, a node group, add-ons, an identity provider and access entries.
    const region = 'eu-west-1';
    const credentials = await credentialsFor(ACCOUNT_A);
    const ec2 = client(EC2Client, region, credentials);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId ?? '';
    const privateSubnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }));
    const publicSubnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24' }));
    const privateId = privateSubnet.Subnet?.SubnetId ?? '';
    const publicId = publicSubnet.Subnet?.SubnetId ?? '';
    await ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: publicId, MapPublicIpOnLaunch: { Value: true } }),
    );
    const flowLogs = await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpcId],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flow-logs',
        DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT_A}:role/flow-logs`,
      }),
    );
    assert.deepEqual(flowLogs.Unsuccessful ?? [], []);
    await createCluster(ACCOUNT_A, region, 'full', {
      version: '1.33',
      resourcesVpcConfig: {
        subnetIds: [privateId, publicId],
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
      encryptionConfig: [
        { resources: ['secrets'], provider: { keyArn: `arn:aws:kms:${region}:${ACCOUNT_A}:key/k-1` } },
      ],
    });
    const eks = client(EKSClient, region, credentials);
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: 'full',
        nodegroupName: 'public-ng',
        nodeRole: `arn:aws:iam::${ACCOUNT_A}:role/node`,
        subnets: [publicId],
        version: '1.32',
      }),
    );
    const logs = client(CloudWatchLogsClient, region, credentials);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/eks/full/cluster' }));
    await logs.send(
      new PutRetentionPolicyCommand({ logGroupName: '/aws/eks/full/cluster', retentionInDays: 30 }),
    );
    const guardDuty = client(GuardDutyClient, region, credentials);
    await guardDuty.send(
      new CreateDetectorCommand({
        Enable: true,
        Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }],
      }),
    );
    peer.setEksExtras(ACCOUNT_A, region, 'full', {
      addons: [
        { addonName: 'vpc-cni', configurationValues: '{"enableNetworkPolicy":"true"}' },
        { addonName: 'coredns' },
      ],
      identityProviderConfigs: [
        { name: 'corporate-sso', issuerUrl: 'https://sso.acme.example', clientId: 'kubeline' },
      ],
      accessEntries: [
        {
          principalArn: `arn:aws:iam::${ACCOUNT_A}:role/platform-admin`,
          policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' } }],
        },
      ],
    });
    // Act
    const result = await source({
      regions: [region],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    }).collect();
    // Assess
    assert.deepEqual(result.problems, []);
    const [posture] = result.postures as EksClusterPosture[];
    assert.ok(posture);
    const value = (observed: object) => ('value' in observed ? observed.value : observed);
    assert.deepEqual(
      {
        version: (value(posture.version) as { raw: string }).raw,
        publicAccess: value(posture.endpoint.publicAccess),
        cidrs: value(posture.endpoint.authorizedNetworks),
        secrets: value(posture.secretsEncryption),
        audit: value(posture.auditLogs),
        authenticator: value(posture.authenticatorLogs),
        networkPolicy: value(posture.networkPolicy),
        pools: (
          value(posture.nodePools) as readonly { name: string; publicIps: object; version: object }[]
        ).map((pool) => ({
          name: pool.name,
          publicIps: value(pool.publicIps),
          version: (value(pool.version) as { raw: string }).raw,
        })),
        retention: value(posture.auditLogRetentionDays),
        flowLogs: value(posture.networkFlowLogs),
        runtime: value(posture.runtimeThreatDetection),
        support: value(posture.versionSupport),
        authenticationMode: value(posture.eks.authenticationMode),
        oidc: value(posture.eks.oidcIdentityProviders),
        accessEntries: value(posture.eks.accessEntries),
        bootstrapAdmin: value(posture.eks.bootstrapClusterCreatorAdmin),
        addons: value(posture.eks.addons),
        supportPlan: value(posture.supportPlan),
      },
      {
        version: '1.33',
        publicAccess: true,
        cidrs: { enforced: true, cidrs: ['203.0.113.0/24'], allowsCloudPublicRanges: false },
        secrets: {
          envelope: true,
          keyManagedBy: 'customer',
          keyId: `arn:aws:kms:${region}:${ACCOUNT_A}:key/k-1`,
        },
        audit: { exported: true, categories: ['audit'], destinations: ['cloudwatch-logs'] },
        authenticator: true,
        networkPolicy: { enforced: true, engine: 'vpc-cni' },
        pools: [{ name: 'public-ng', publicIps: true, version: '1.32' }],
        retention: 30,
        flowLogs: true,
        runtime: { enabled: true, via: 'guardduty-runtime-monitoring' },
        support: {
          // The recorded DescribeClusterVersions dates, not the calendar's (2025-05-28, 2026-07-29, 2027-07-29).
          window: {
            minorVersion: '1.33',
            releaseDate: '2025-05-30',
            endOfStandardSupport: '2026-08-04',
            endOfExtendedSupport: '2027-08-04',
          },
          newestMinorVersion: '1.36',
          source: 'eks:DescribeClusterVersions',
        },
        authenticationMode: 'API',
        // Under API authentication no check reads them, so ListIdentityProviderConfigs is not called.
        oidc: {
          unknown:
            'eks:ListIdentityProviderConfigs is not called for a cluster whose authentication mode is API: access entries, not OIDC identity providers, decide who reaches it',
        },
        accessEntries: [
          {
            principalArn: `arn:aws:iam::${ACCOUNT_A}:role/platform-admin`,
            policies: [{ policyArn: ADMIN_POLICY, scope: 'cluster' }],
          },
        ],
        bootstrapAdmin: false,
        addons: ['coredns', 'vpc-cni'],
        supportPlan: 'standard',
      },
    );
  });

  it('leaves the access entries of a CONFIG_MAP cluster unknown without calling the API EKS refuses there', async () => {
    // Prepare: one cluster on the aws-auth ConfigMap only, one on access entries, both with an admin entry seeded.
    const admin = {
      principalArn: `arn:aws:iam::${ACCOUNT_A}:role/platform-admin`,
      policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' as const } }],
    };
    await createCluster(ACCOUNT_A, 'us-east-1', 'config-map', {
      accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
    });
    await createCluster(ACCOUNT_A, 'us-east-1', 'access-entries');
    for (const name of ['config-map', 'access-entries']) {
      peer.setEksExtras(ACCOUNT_A, 'us-east-1', name, { accessEntries: [admin] });
    }
    const eksSourceUnderTest = source({
      regions: ['us-east-1'],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    });
    // Act
    const result = await eksSourceUnderTest.collect();
    // Assess
    const byName = new Map(
      (result.postures as EksClusterPosture[]).map((posture) => [posture.name, posture]),
    );
    const listed = byName.get('access-entries')?.eks.accessEntries;
    assert.deepEqual(
      {
        configMap: byName.get('config-map')?.eks.accessEntries,
        accessEntries: listed && 'value' in listed ? listed.value : listed,
        listAccessEntries: eksSourceUnderTest.stats().byOperation['eks:ListAccessEntries'],
        failedCalls: eksSourceUnderTest.stats().failures,
      },
      {
        configMap: {
          unknown:
            'the cluster authenticates through the aws-auth ConfigMap only (authenticationMode CONFIG_MAP), so it has no access entries; who aws-auth maps to cluster-admin needs in-cluster read access',
          from: [{ path: 'cluster.accessConfig.authenticationMode', value: 'CONFIG_MAP' }],
        },
        accessEntries: [
          { principalArn: admin.principalArn, policies: [{ policyArn: ADMIN_POLICY, scope: 'cluster' }] },
        ],
        listAccessEntries: 1,
        failedCalls: 0,
      },
    );
  });

  it('reads identity provider configs and add-on details only where a check reads them, with the same verdicts', async () => {
    // Prepare: an identity provider on a CONFIG_MAP cluster and on an API cluster; four add-ons,
    // of which only the VPC CNI has configuration a check reads (NET-01).
    const idp = { name: 'corporate-sso', issuerUrl: 'https://sso.acme.example', clientId: 'kubeline' };
    const addons = [
      { addonName: 'vpc-cni', configurationValues: '{"enableNetworkPolicy":"true"}' },
      { addonName: 'eks-pod-identity-agent' },
      { addonName: 'aws-guardduty-agent' },
      { addonName: 'coredns' },
    ];
    await createCluster(ACCOUNT_A, 'us-east-1', 'config-map', {
      accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false },
    });
    await createCluster(ACCOUNT_A, 'us-east-1', 'api');
    for (const name of ['config-map', 'api']) {
      peer.setEksExtras(ACCOUNT_A, 'us-east-1', name, { identityProviderConfigs: [idp], addons });
    }
    const eksSourceUnderTest = source({
      regions: ['us-east-1'],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    });
    // Act
    const result = await eksSourceUnderTest.collect();
    // Assess
    const verdicts = (result.postures as EksClusterPosture[])
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((posture) => ({
        name: posture.name,
        oidc: posture.eks.oidcIdentityProviders,
        addons: posture.eks.addons,
        checks: [
          centralIdentityProvider,
          networkPolicyEnforcement,
          runtimeThreatDetection,
          workloadIdentity,
        ].map((check) => {
          const rule = check.providers.eks;
          assert.ok(rule && 'evaluate' in rule);
          return `${check.id} ${rule.evaluate(posture, evalContext({ asOf: '2026-12-05' })).status}`;
        }),
      }));
    // ListAddons answers in name order.
    const installed = ['aws-guardduty-agent', 'coredns', 'eks-pod-identity-agent', 'vpc-cni'];
    const addonNames = { value: installed, from: [{ path: 'addons[].addonName', value: installed }] };
    assert.deepEqual(verdicts, [
      {
        name: 'api',
        oidc: {
          unknown:
            'eks:ListIdentityProviderConfigs is not called for a cluster whose authentication mode is API: access entries, not OIDC identity providers, decide who reaches it',
        },
        addons: addonNames,
        checks: ['AUTH-01 pass', 'NET-01 pass', 'RUN-01 pass', 'IAM-01 pass'],
      },
      {
        name: 'config-map',
        oidc: {
          value: ['corporate-sso'],
          from: [{ path: 'identityProviderConfigs', value: [{ name: idp.name, type: 'oidc' }] }],
        },
        addons: addonNames,
        checks: ['AUTH-01 pass', 'NET-01 pass', 'RUN-01 pass', 'IAM-01 pass'],
      },
    ]);
    assert.deepEqual(
      {
        identityProviders: eksSourceUnderTest.stats().byOperation['eks:ListIdentityProviderConfigs'],
        describedAddons: eksSourceUnderTest.stats().byOperation['eks:DescribeAddon'],
      },
      { identityProviders: 1, describedAddons: 2 },
    );
  });

  it('judges the version checks by DescribeClusterVersions, whose dates win over the calendar of a --from scan', async () => {
    // Prepare: 1.34 leaves standard support on 2026-12-02 in the calendar, on 2026-12-09 as recorded.
    await createCluster(ACCOUNT_A, 'us-east-1', 'edge', { upgradePolicy: { supportType: 'EXTENDED' } });
    const ctx = evalContext({ asOf: '2026-12-05' });
    // Act
    const result = await source({
      regions: ['us-east-1'],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    }).collect();
    const [live] = result.postures as EksClusterPosture[];
    assert.ok(live);
    const exported = { ...live, versionSupport: unknown('DescribeClusterVersions is not in an export') };
    // Assess: live, 1.34 is still in standard support; by the calendar it left it on 2026-12-02.
    const rule = standardSupport.providers.eks;
    assert.ok('evaluate' in rule);
    const graded = (posture: EksClusterPosture) => {
      const verdict = rule.evaluate(posture, ctx);
      return { status: verdict.status, message: verdict.message, evidence: verdict.evidence };
    };
    assert.deepEqual(graded(live), {
      status: 'pass',
      message: 'Kubernetes 1.34 is in standard support until 2026-12-09 (per eks:DescribeClusterVersions).',
      evidence: [
        { path: 'cluster.version', value: '1.34' },
        {
          path: 'clusterVersions[clusterVersion=1.34]',
          value: {
            minorVersion: '1.34',
            releaseDate: '2025-10-08',
            endOfStandardSupport: '2026-12-09',
            endOfExtendedSupport: '2027-12-09',
          },
        },
        { path: 'clusterVersions[newest].clusterVersion', value: '1.36' },
      ],
    });
    assert.deepEqual(graded(exported), {
      status: 'fail',
      message:
        'Kubernetes 1.34 left standard support on 2026-12-02; it runs on paid extended support (upgrade policy EXTENDED) until 2027-12-02.',
      evidence: [
        { path: 'cluster.version', value: '1.34' },
        {
          path: 'supportCalendar.eks[1.34]',
          value: { endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
        },
        { path: 'cluster.upgradePolicy.supportType', value: 'EXTENDED' },
      ],
    });
  });

  it('makes each call once per run and declares every action it calls in the IAM policy', async () => {
    await createCluster(ACCOUNT_A, 'us-east-1', 'one');
    await createCluster(ACCOUNT_A, 'us-east-1', 'two');
    peer.clearCalls();
    const eksSourceUnderTest = source({
      regions: ['us-east-1'],
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    });
    await eksSourceUnderTest.collect();
    const stats = eksSourceUnderTest.stats();
    // Region-wide reads happen once whatever the number of clusters; per-cluster reads once per cluster.
    assert.deepEqual(
      {
        versions: stats.byOperation['eks:DescribeClusterVersions'],
        subnets: stats.byOperation['ec2:DescribeSubnets'],
        flowLogs: stats.byOperation['ec2:DescribeFlowLogs'],
        logGroups: stats.byOperation['logs:DescribeLogGroups'],
        detectors: stats.byOperation['guardduty:ListDetectors'],
        describe: stats.byOperation['eks:DescribeCluster'],
      },
      { versions: 1, subnets: 1, flowLogs: 1, logGroups: 1, detectors: 1, describe: 2 },
    );
    assert.equal(
      peer.calls().length,
      stats.calls,
      'every request the peer saw went through the call ledger once',
    );
    // GetCallerIdentity needs no IAM permission; everything else must be granted by infra/aws.
    const declared = new Set<string>([...EKS_READ_ACTIONS, ...SCANNER_ACTIONS, 'sts:GetCallerIdentity']);
    assert.deepEqual(
      Object.keys(stats.byOperation).filter((operation) => !declared.has(operation)),
      [],
    );
  });

  it('discovers accounts with AWS Organizations and assumes the named role in each', async () => {
    const organizations = client(OrganizationsClient, 'us-east-1', peer.credentials);
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: 'payments', Email: 'aws+payments@acme.example' }),
    );
    const accountId = created.CreateAccountStatus?.AccountId ?? '';
    assert.match(accountId, /^\d{12}$/);
    await createCluster(accountId, 'us-east-1', 'discovered');
    const result = await source({
      regions: ['us-east-1'],
      organization: { roleName: 'kubeline-read' },
    }).collect();
    assert.ok(
      result.postures.some(
        (posture) => posture.id === `arn:aws:eks:us-east-1:${accountId}:cluster/discovered`,
      ),
    );
    assert.ok(result.scopes.every((scope) => scope.status === 'ok'));
  });

  describe('failed-authentication alerting, launch templates, IAM OIDC providers and session renewal', () => {
    const oneAccount = (regions: readonly string[] = ['us-east-1']): EksTargets => ({
      regions,
      accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
    });
    const AUTH_PATTERN = '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }';
    const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_A}:security-alerts`;
    const observedValue = (observed: object) => ('value' in observed ? observed.value : observed);

    /** A log group per cluster, metric filters on some, alarms on some of those (what real accounts hold). */
    async function seedAlerting(): Promise<void> {
      const credentials = await credentialsFor(ACCOUNT_A);
      const logs = client(CloudWatchLogsClient, 'us-east-1', credentials);
      const cloudWatch = client(CloudWatchClient, 'us-east-1', credentials);
      for (const name of ['alarmed', 'silent', 'unrelated', 'no-log-group'])
        await createCluster(ACCOUNT_A, 'us-east-1', name);
      for (const name of ['alarmed', 'silent', 'unrelated']) {
        await logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/eks/${name}/cluster` }));
      }
      const filter = (cluster: string, filterName: string, filterPattern: string, metricName: string) =>
        logs.send(
          new PutMetricFilterCommand({
            logGroupName: `/aws/eks/${cluster}/cluster`,
            filterName,
            filterPattern,
            metricTransformations: [{ metricName, metricNamespace: 'EKS/Security', metricValue: '1' }],
          }),
        );
      await filter('alarmed', 'failed-auth', AUTH_PATTERN, 'AlarmedFailedAuth');
      await filter('silent', 'denied', '"access denied"', 'SilentDenied');
      await filter('unrelated', 'errors', 'ERROR', 'Errors');
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'eks-alarmed-failed-auth',
          Namespace: 'EKS/Security',
          MetricName: 'AlarmedFailedAuth',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [TOPIC],
        }),
      );
    }

    it('reads AUD-04 from the metric filters of each log group and the alarms on their metrics', async () => {
      // Prepare
      await seedAlerting();
      const eksSourceUnderTest = source(oneAccount());
      // Act
      const result = await eksSourceUnderTest.collect();
      // Assess
      const byName = Object.fromEntries(
        (result.postures as EksClusterPosture[]).map((posture) => [
          posture.name,
          observedValue(posture.failedAuthAlerting),
        ]),
      );
      assert.deepEqual(byName, {
        alarmed: { alerts: ['cloudwatch-alarm:eks-alarmed-failed-auth'], unalerted: [] },
        silent: { alerts: [], unalerted: ['metric-filter:denied'] },
        unrelated: { alerts: [], unalerted: [] },
        'no-log-group': { alerts: [], unalerted: [] },
      });
      const stats = eksSourceUnderTest.stats().byOperation;
      // No log group, no DescribeMetricFilters; alarms only for the filters about failed authentications.
      assert.deepEqual(
        [stats['logs:DescribeMetricFilters'], stats['cloudwatch:DescribeAlarmsForMetric']],
        [3, 2],
      );
    });

    for (const [service, operation, reason] of [
      ['monitoring', 'DescribeAlarmsForMetric', /^cloudwatch:DescribeAlarmsForMetric failed: AccessDenied/],
      ['logs', 'DescribeMetricFilters', /^logs:DescribeMetricFilters failed: AccessDeniedException/],
    ] as const) {
      it(`leaves only failed-authentication alerting unknown when ${operation} is denied`, async () => {
        // Prepare
        await seedAlerting();
        await client(CloudWatchLogsClient, 'us-east-1', await credentialsFor(ACCOUNT_A)).send(
          new PutRetentionPolicyCommand({ logGroupName: '/aws/eks/alarmed/cluster', retentionInDays: 400 }),
        );
        peer.addFault({ service, operation, kind: 'access-denied' });
        // Act
        const result = await source(oneAccount(), { maxAttempts: 1 }).collect();
        // Assess
        const alarmed = (result.postures as EksClusterPosture[]).find(
          (posture) => posture.name === 'alarmed',
        );
        assert.ok(alarmed && 'unknown' in alarmed.failedAuthAlerting);
        assert.match(alarmed.failedAuthAlerting.unknown, reason);
        assert.deepEqual(
          [
            observedValue(alarmed.auditLogRetentionDays),
            observedValue(alarmed.endpoint.publicAccess),
            result.problems,
          ],
          [400, false, []],
        );
      });
    }

    it('asks for the metric filters blind when DescribeLogGroups is denied, and reads a missing group as no alert', async () => {
      // Prepare
      await seedAlerting();
      peer.addFault({ service: 'logs', operation: 'DescribeLogGroups', kind: 'access-denied' });
      const eksSourceUnderTest = source(oneAccount(), { maxAttempts: 1 });
      // Act
      const result = await eksSourceUnderTest.collect();
      // Assess
      const byName = Object.fromEntries(
        (result.postures as EksClusterPosture[]).map((posture) => [
          posture.name,
          [observedValue(posture.failedAuthAlerting), 'unknown' in posture.auditLogRetentionDays],
        ]),
      );
      assert.deepEqual(byName, {
        alarmed: [{ alerts: ['cloudwatch-alarm:eks-alarmed-failed-auth'], unalerted: [] }, true],
        silent: [{ alerts: [], unalerted: ['metric-filter:denied'] }, true],
        unrelated: [{ alerts: [], unalerted: [] }, true],
        'no-log-group': [{ alerts: [], unalerted: [] }, true],
      });
      assert.equal(eksSourceUnderTest.stats().byOperation['logs:DescribeMetricFilters'], 4);
    });

    /** A VPC with a private and a public subnet, in account A, us-east-1. */
    async function subnetsOfA(): Promise<{ privateId: string; publicId: string; ec2: EC2Client }> {
      const ec2 = client(EC2Client, 'us-east-1', await credentialsFor(ACCOUNT_A));
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
      const vpcId = vpc.Vpc?.VpcId ?? '';
      const privateSubnet = await ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.0/24' }),
      );
      const publicSubnet = await ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.2.0/24' }),
      );
      const publicId = publicSubnet.Subnet?.SubnetId ?? '';
      await ec2.send(
        new ModifySubnetAttributeCommand({ SubnetId: publicId, MapPublicIpOnLaunch: { Value: true } }),
      );
      return { privateId: privateSubnet.Subnet?.SubnetId ?? '', publicId, ec2 };
    }

    async function launchTemplate(
      ec2: EC2Client,
      name: string,
      associate: boolean | undefined,
    ): Promise<string> {
      const created = await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          LaunchTemplateData: {
            NetworkInterfaces: [
              { DeviceIndex: 0, ...(associate === undefined ? {} : { AssociatePublicIpAddress: associate }) },
            ],
          },
        }),
      );
      return created.LaunchTemplate?.LaunchTemplateId ?? '';
    }

    it('lets a launch template turn public node IPs on or off over the subnet default', async () => {
      // Prepare: a template that associates public IPs on a private subnet, one that refuses them on a
      // public subnet, one that leaves it to the subnet, and a group without a template.
      const { privateId, publicId, ec2 } = await subnetsOfA();
      const publicTemplate = await launchTemplate(ec2, 'public-nodes', true);
      const privateTemplate = await launchTemplate(ec2, 'private-nodes', false);
      const defaultTemplate = await launchTemplate(ec2, 'subnet-default', undefined);
      await createCluster(ACCOUNT_A, 'us-east-1', 'templated');
      const eks = client(EKSClient, 'us-east-1', await credentialsFor(ACCOUNT_A));
      const groups = [
        ['on-private-subnet', privateId, { id: publicTemplate, version: '1' }],
        ['off-public-subnet', publicId, { name: 'private-nodes', version: '1' }],
        ['default-public-subnet', publicId, { id: defaultTemplate, version: '1' }],
        ['no-template-private', privateId, undefined],
      ] as const;
      for (const [nodegroupName, subnet, template] of groups) {
        await eks.send(
          new CreateNodegroupCommand({
            clusterName: 'templated',
            nodegroupName,
            nodeRole: `arn:aws:iam::${ACCOUNT_A}:role/node`,
            subnets: [subnet],
            ...(template === undefined ? {} : { launchTemplate: template }),
          }),
        );
      }
      const eksSourceUnderTest = source(oneAccount());
      // Act
      const result = await eksSourceUnderTest.collect();
      // Assess
      const [posture] = result.postures as EksClusterPosture[];
      assert.ok(posture && 'value' in posture.nodePools);
      const pools = Object.fromEntries(posture.nodePools.value.map((pool) => [pool.name, pool.publicIps]));
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(pools).map(([name, publicIps]) => [name, observedValue(publicIps)]),
        ),
        {
          'on-private-subnet': true,
          'off-public-subnet': false,
          'default-public-subnet': true,
          'no-template-private': false,
        },
      );
      // The node group names the template by name; DescribeNodegroup reports its id as well.
      assert.deepEqual(pools['off-public-subnet']?.from, [
        {
          path: 'nodegroups[name=off-public-subnet].launchTemplate',
          value: { id: privateTemplate, name: 'private-nodes', version: '1' },
        },
        {
          path: `launchTemplates[id=${privateTemplate},version=1].LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress`,
          value: false,
        },
      ]);
      assert.equal(eksSourceUnderTest.stats().byOperation['ec2:DescribeLaunchTemplateVersions'], 3);
    });

    it('leaves only the templated pools public IPs unknown when DescribeLaunchTemplateVersions is denied', async () => {
      // Prepare
      const { privateId, ec2 } = await subnetsOfA();
      const template = await launchTemplate(ec2, 'nodes', false);
      await createCluster(ACCOUNT_A, 'us-east-1', 'denied-template');
      const eks = client(EKSClient, 'us-east-1', await credentialsFor(ACCOUNT_A));
      for (const [nodegroupName, launchTemplateRef] of [
        ['templated', { id: template, version: '1' }],
        ['plain', undefined],
      ] as const) {
        await eks.send(
          new CreateNodegroupCommand({
            clusterName: 'denied-template',
            nodegroupName,
            nodeRole: `arn:aws:iam::${ACCOUNT_A}:role/node`,
            subnets: [privateId],
            ...(launchTemplateRef === undefined ? {} : { launchTemplate: launchTemplateRef }),
          }),
        );
      }
      peer.addFault({ service: 'ec2', operation: 'DescribeLaunchTemplateVersions', kind: 'access-denied' });
      // Act
      const result = await source(oneAccount(), { maxAttempts: 1 }).collect();
      // Assess
      const [posture] = result.postures as EksClusterPosture[];
      assert.ok(posture && 'value' in posture.nodePools);
      const pools = Object.fromEntries(posture.nodePools.value.map((pool) => [pool.name, pool.publicIps]));
      assert.ok(pools.templated && 'unknown' in pools.templated);
      assert.match(
        pools.templated.unknown,
        /launch template that decides public IPs, and ec2:DescribeLaunchTemplateVersions failed: UnauthorizedOperation/,
      );
      assert.equal(observedValue(pools.plain ?? {}), false);
    });

    it('finds the IAM OIDC provider of each cluster issuer, listing providers once per account', async () => {
      // Prepare: clusters in two regions of one account; a provider for the us-east-1 issuer only.
      await createCluster(ACCOUNT_A, 'us-east-1', 'with-provider');
      await createCluster(ACCOUNT_A, 'eu-west-1', 'without-provider');
      const credentials = await credentialsFor(ACCOUNT_A);
      const described = await client(EKSClient, 'us-east-1', credentials).send(
        new DescribeClusterCommand({ name: 'with-provider' }),
      );
      const issuer = described.cluster?.identity?.oidc?.issuer ?? '';
      assert.match(issuer, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/\w+$/);
      const created = await client(IAMClient, 'us-east-1', credentials).send(
        new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'] }),
      );
      const eksSourceUnderTest = source(oneAccount(['us-east-1', 'eu-west-1']));
      // Act
      const result = await eksSourceUnderTest.collect();
      // Assess
      const byName = Object.fromEntries(
        (result.postures as EksClusterPosture[]).map((posture) => [
          posture.name,
          posture.eks.iamOidcProvider,
        ]),
      );
      assert.deepEqual(byName['with-provider'], {
        value: true,
        from: [
          { path: 'cluster.identity.oidc.issuer', value: issuer },
          {
            path: `iam.openIDConnectProviders[url=${issuer.slice('https://'.length)}]`,
            value: created.OpenIDConnectProviderArn ?? '',
          },
        ],
      });
      assert.equal(observedValue(byName['without-provider'] ?? {}), false);
      assert.equal(eksSourceUnderTest.stats().byOperation['iam:ListOpenIDConnectProviders'], 1);
    });

    it('leaves only the IAM OIDC provider unknown when ListOpenIDConnectProviders is denied', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'iam-denied');
      peer.addFault({ service: 'iam', operation: 'ListOpenIDConnectProviders', kind: 'access-denied' });
      const result = await source(oneAccount(), { maxAttempts: 1 }).collect();
      const [posture] = result.postures as EksClusterPosture[];
      assert.ok(posture && 'unknown' in posture.eks.iamOidcProvider);
      assert.match(
        posture.eks.iamOidcProvider.unknown,
        /^iam:ListOpenIDConnectProviders failed: AccessDenied/,
      );
      assert.deepEqual(
        [observedValue(posture.eks.oidcIssuer) !== posture.eks.oidcIssuer, result.problems],
        [true, []],
      );
    });

    it('renews the assumed-role session when a scan outlives it, so later calls still get in', async () => {
      // Prepare: the session is assumed at plan time; kubeline's clock and the peer's then move two hours
      // on, past its expiry.
      await createCluster(ACCOUNT_A, 'us-east-1', 'long-scan');
      peer.clearCalls();
      let offsetMs = 0;
      const eksSourceUnderTest = source(oneAccount(), { now: () => Date.now() + offsetMs });
      await eksSourceUnderTest.plan();
      offsetMs = 2 * 3_600_000;
      peer.setClockOffset(offsetMs);
      // Act
      const result = await eksSourceUnderTest.collect();
      // Assess
      const assumed = peer.calls().filter((call) => call.operation === 'AssumeRole');
      assert.deepEqual(
        {
          clusters: result.postures.map((posture) => posture.name),
          problems: result.problems,
          assumeRoleAtPeer: assumed.map((call) => [call.account, call.status]),
          assumeRoleCounted: eksSourceUnderTest.stats().byOperation['sts:AssumeRole'],
        },
        {
          clusters: ['long-scan'],
          problems: [],
          assumeRoleAtPeer: [
            [ACCOUNT_A, 200],
            [ACCOUNT_A, 200],
          ],
          assumeRoleCounted: 2,
        },
      );
    });

    it('gives a call after the session expired fresh credentials, and fails it with the reason if renewal is refused', async () => {
      // Prepare
      let offsetMs = 0;
      const calls = new ApiCalls();
      const factory = new AwsClientFactory({ endpoint: peer.endpoint, maxAttempts: 1, callTimeoutMs: 5000 });
      const plan = await planEksScopes(oneAccount(), {
        factory,
        calls,
        baseCredentials: peer.credentials,
        homeRegion: 'us-east-1',
        now: () => Date.now() + offsetMs,
      });
      const [scope] = plan.scopes;
      assert.ok(scope);
      const sts = factory.sts('us-east-1', scope.account.credentials);
      const whoAmI = async () => (await sts.send(new GetCallerIdentityCommand({}))).Account;
      // Act
      const before = await whoAmI();
      offsetMs = 3_600_000;
      peer.setClockOffset(offsetMs);
      const after = await whoAmI();
      offsetMs = 3 * 3_600_000;
      peer.addFault({ service: 'sts', operation: 'AssumeRole', kind: 'access-denied' });
      const refused = await whoAmI().then(
        () => 'called',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      factory.destroy();
      // Assess
      assert.deepEqual([before, after], [ACCOUNT_A, ACCOUNT_A]);
      assert.match(
        refused,
        new RegExp(
          `^the session in ${ACCOUNT_A} expired and could not be renewed: sts:AssumeRole failed: AccessDenied`,
        ),
      );
      assert.equal(calls.stats().byOperation['sts:AssumeRole'], 3);
    });
  });

  describe('failures', () => {
    it('retries throttled calls and succeeds', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'throttled');
      peer.addFault({ service: 'eks', operation: 'DescribeCluster', kind: 'throttle', times: 2 });
      const eksSourceUnderTest = source({
        regions: ['us-east-1'],
        accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }],
      });
      const result = await eksSourceUnderTest.collect();
      assert.equal(result.postures.length, 1);
      assert.ok(eksSourceUnderTest.stats().retries >= 2);
    });

    it('leaves only the fields of a call that stays throttled unknown, with the AWS error code', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'addons-throttled');
      peer.addFault({ service: 'eks', operation: 'ListAddons', kind: 'throttle' });
      const result = await source(
        { regions: ['us-east-1'], accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }] },
        { maxAttempts: 2 },
      ).collect();
      const [posture] = result.postures as EksClusterPosture[];
      assert.ok(posture && 'unknown' in posture.networkPolicy);
      assert.match(
        posture.networkPolicy.unknown,
        /^eks:ListAddons failed after 2 attempts: ThrottlingException/,
      );
      assert.ok('value' in posture.endpoint.publicAccess, 'DescribeCluster fields are unaffected');
      assert.deepEqual(result.problems, []);
    });

    it('records an account it cannot enter as a scope error and still scans the other', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'reachable');
      peer.addFault({ service: 'sts', operation: 'AssumeRole', account: ACCOUNT_B, kind: 'access-denied' });
      const result = await source(twoAccounts).collect();
      const denied = result.scopes.filter((scope) => scope.status === 'error');
      assert.deepEqual(
        denied.map((scope) => scope.scope),
        [ACCOUNT_B],
      );
      assert.match(denied[0]?.error ?? '', /sts:AssumeRole failed.*AccessDenied/);
      assert.deepEqual(
        result.postures.map((posture) => posture.name),
        ['reachable'],
      );
    });

    it('records a region that times out as a scope error, within the call time limit', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'fast');
      peer.addFault({ service: 'eks', operation: 'ListClusters', region: 'eu-west-1', kind: 'timeout' });
      const started = Date.now();
      const result = await source(
        { regions: ['us-east-1', 'eu-west-1'], accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }] },
        { maxAttempts: 1, callTimeoutMs: 500 },
      ).collect();
      const slow = result.scopes.find((scope) => scope.region === 'eu-west-1');
      assert.equal(slow?.status, 'error');
      assert.match(slow?.error ?? '', /eks:ListClusters timed out/);
      assert.deepEqual(
        result.postures.map((posture) => posture.name),
        ['fast'],
      );
      assert.ok(Date.now() - started < 60_000);
    });

    it('turns a malformed response into unknown fields with the reason', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'garbled', {
        accessConfig: { authenticationMode: 'CONFIG_MAP' },
      });
      peer.addFault({ service: 'eks', operation: 'ListIdentityProviderConfigs', kind: 'malformed' });
      const result = await source(
        { regions: ['us-east-1'], accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }] },
        { maxAttempts: 1 },
      ).collect();
      const [posture] = result.postures as EksClusterPosture[];
      assert.ok(posture && 'unknown' in posture.eks.oidcIdentityProviders);
      assert.match(
        posture.eks.oidcIdentityProviders.unknown,
        /eks:ListIdentityProviderConfigs returned a malformed response/,
      );
    });

    it('reports a cluster that cannot be described as a problem, keeping the others', async () => {
      await createCluster(ACCOUNT_A, 'us-east-1', 'a-denied');
      await createCluster(ACCOUNT_A, 'us-east-1', 'b-fine');
      peer.addFault({ service: 'eks', operation: 'DescribeCluster', kind: 'access-denied', times: 1 });
      const result = await source(
        { regions: ['us-east-1'], accounts: [{ id: ACCOUNT_A, roleArn: roleOf(ACCOUNT_A) }] },
        { maxAttempts: 1 },
      ).collect();
      assert.equal(result.postures.length, 1);
      assert.equal(result.problems.length, 1);
      assert.match(result.problems[0]?.reason ?? '', /eks:DescribeCluster failed: AccessDeniedException/);
    });
  });
});
