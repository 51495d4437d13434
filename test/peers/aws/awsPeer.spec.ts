import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchClient, DescribeAlarmsForMetricCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFlowLogsCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeFlowLogsCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeIdentityProviderConfigCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListIdentityProviderConfigsCommand,
  paginateDescribeClusterVersions,
  paginateListAddons,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import {
  CreateDetectorCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { type AwsPeer, findMotoPython, startAwsPeer } from './awsPeer.js';
import { RECORDED_VERSIONS_DAY, recordedClusterVersions, versionsAsOf } from './clusterVersions.js';
import {
  readEksExports,
  seedEksAccountResources,
  seedEksCluster,
  seedEksFleet,
  seedEksFromExports,
} from './seed.js';

const DEFAULT_ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** The day the peer reports support statuses for: earlier than the recorded response's own day. */
const AS_OF = '2026-08-22';

/** What an SDK call threw: the fields a provider maps failures by. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof Error, 'the SDK throws Errors');
    const metadata: unknown = Reflect.get(error, '$metadata');
    const status =
      typeof metadata === 'object' && metadata !== null ? Reflect.get(metadata, 'httpStatusCode') : undefined;
    return { name: error.name, status: typeof status === 'number' ? status : undefined };
  }
  assert.fail('the call succeeded');
}

describe('AWS test peer (moto 5.2.1 behind the front proxy)', () => {
  let peer: AwsPeer;

  before(async function () {
    this.timeout(60_000);
    peer = await startAwsPeer({ versionsAsOf: AS_OF });
  });

  after(async () => {
    await peer?.close();
  });

  beforeEach(async () => {
    await peer.reset();
  });

  const config = (region = REGION, credentials: AwsCredentialIdentity = peer.credentials) => ({
    region,
    endpoint: peer.endpoint,
    credentials,
    maxAttempts: 1,
  });
  const eks = (region = REGION, credentials?: AwsCredentialIdentity) =>
    new EKSClient(config(region, credentials));

  async function assumeAccount(account: string): Promise<AwsCredentialIdentity> {
    const sts = new STSClient(config());
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/kubeline-read`,
        RoleSessionName: 'spec',
      }),
    );
    const { AccessKeyId, SecretAccessKey, SessionToken } = assumed.Credentials ?? {};
    assert.ok(AccessKeyId && SecretAccessKey && SessionToken);
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
  }

  describe('EKS routes moto lacks', () => {
    beforeEach(async () => {
      await seedEksCluster(peer, {
        region: REGION,
        name: 'prod',
        version: '1.33',
        accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      });
      peer.setEksExtras(DEFAULT_ACCOUNT, REGION, 'prod', {
        addons: [
          {
            addonName: 'vpc-cni',
            addonVersion: 'v1.19.2-eksbuild.1',
            configurationValues: '{"enableNetworkPolicy":"true"}',
            serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/vpc-cni',
          },
          { addonName: 'aws-guardduty-agent', addonVersion: 'v1.8.1-eksbuild.2' },
          { addonName: 'coredns' },
        ],
        identityProviderConfigs: [
          {
            name: 'okta',
            issuerUrl: 'https://acme.okta.com',
            clientId: 'kubernetes',
            usernameClaim: 'email',
            groupsClaim: 'groups',
            groupsPrefix: 'okta:',
          },
        ],
        accessEntries: [
          {
            principalArn: 'arn:aws:iam::123456789012:role/platform/admins',
            policies: [
              {
                policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
                accessScope: { type: 'cluster' },
              },
              {
                policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                accessScope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
              },
            ],
          },
          { principalArn: 'arn:aws:iam::123456789012:role/nodes', type: 'EC2_LINUX' },
        ],
      });
    });

    it('lists and describes add-ons, a page at a time', async () => {
      const client = eks();
      const pages = [];
      for await (const page of paginateListAddons({ client, pageSize: 2 }, { clusterName: 'prod' })) {
        pages.push(page.addons);
      }
      assert.deepEqual(pages, [['aws-guardduty-agent', 'coredns'], ['vpc-cni']]);
      const { addon } = await client.send(
        new DescribeAddonCommand({ clusterName: 'prod', addonName: 'vpc-cni' }),
      );
      assert.equal(addon?.status, 'ACTIVE');
      assert.equal(addon?.addonVersion, 'v1.19.2-eksbuild.1');
      assert.equal(addon?.configurationValues, '{"enableNetworkPolicy":"true"}');
      assert.equal(addon?.serviceAccountRoleArn, 'arn:aws:iam::123456789012:role/vpc-cni');
      assert.match(
        addon?.addonArn ?? '',
        /^arn:aws:eks:us-east-1:123456789012:addon\/prod\/vpc-cni\/[0-9a-f-]{36}$/,
      );
      assert.ok(addon?.createdAt instanceof Date);
      assert.deepEqual(
        await failure(
          client.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'kube-proxy' })),
        ),
        { name: 'ResourceNotFoundException', status: 404 },
      );
    });

    it('lists and describes OIDC identity provider configs', async () => {
      const client = eks();
      const listed = await client.send(new ListIdentityProviderConfigsCommand({ clusterName: 'prod' }));
      assert.deepEqual(listed.identityProviderConfigs, [{ type: 'oidc', name: 'okta' }]);
      const described = await client.send(
        new DescribeIdentityProviderConfigCommand({
          clusterName: 'prod',
          identityProviderConfig: { type: 'oidc', name: 'okta' },
        }),
      );
      const oidc = described.identityProviderConfig?.oidc;
      assert.deepEqual(
        {
          name: oidc?.identityProviderConfigName,
          issuerUrl: oidc?.issuerUrl,
          clientId: oidc?.clientId,
          usernameClaim: oidc?.usernameClaim,
          usernamePrefix: oidc?.usernamePrefix,
          groupsClaim: oidc?.groupsClaim,
          groupsPrefix: oidc?.groupsPrefix,
          status: oidc?.status,
        },
        {
          name: 'okta',
          issuerUrl: 'https://acme.okta.com',
          clientId: 'kubernetes',
          usernameClaim: 'email',
          usernamePrefix: undefined,
          groupsClaim: 'groups',
          groupsPrefix: 'okta:',
          status: 'ACTIVE',
        },
      );
    });

    it('lists access entries, filters them by policy and lists their policies by URL-encoded ARN', async () => {
      const client = eks();
      const all = await client.send(new ListAccessEntriesCommand({ clusterName: 'prod' }));
      assert.deepEqual(all.accessEntries, [
        'arn:aws:iam::123456789012:role/platform/admins',
        'arn:aws:iam::123456789012:role/nodes',
      ]);
      const admins = await client.send(
        new ListAccessEntriesCommand({
          clusterName: 'prod',
          associatedPolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        }),
      );
      assert.deepEqual(admins.accessEntries, ['arn:aws:iam::123456789012:role/platform/admins']);
      const policies = await client.send(
        new ListAssociatedAccessPoliciesCommand({
          clusterName: 'prod',
          principalArn: 'arn:aws:iam::123456789012:role/platform/admins',
        }),
      );
      assert.equal(policies.principalArn, 'arn:aws:iam::123456789012:role/platform/admins');
      assert.deepEqual(
        policies.associatedAccessPolicies?.map((policy) => [policy.policyArn, policy.accessScope]),
        [
          ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', { type: 'cluster' }],
          [
            'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
            { type: 'namespace', namespaces: ['team-a', 'team-b'] },
          ],
        ],
      );
      const entry = await client.send(
        new DescribeAccessEntryCommand({
          clusterName: 'prod',
          principalArn: 'arn:aws:iam::123456789012:role/nodes',
        }),
      );
      assert.equal(entry.accessEntry?.type, 'EC2_LINUX');
      assert.deepEqual(
        await failure(
          client.send(
            new ListAssociatedAccessPoliciesCommand({
              clusterName: 'prod',
              principalArn: 'arn:aws:iam::123456789012:role/unknown',
            }),
          ),
        ),
        { name: 'ResourceNotFoundException', status: 404 },
      );
    });

    it('refuses the access entry routes on a CONFIG_MAP cluster with InvalidRequestException, as EKS does', async () => {
      // Prepare: CreateCluster without accessConfig gets EKS's API default, CONFIG_MAP.
      await seedEksCluster(peer, { region: REGION, name: 'legacy', version: '1.33' });
      peer.setEksExtras(DEFAULT_ACCOUNT, REGION, 'legacy', {
        accessEntries: [{ principalArn: 'arn:aws:iam::123456789012:role/admin' }],
      });
      const client = eks();
      const principalArn = 'arn:aws:iam::123456789012:role/admin';
      const calls = [
        () => client.send(new ListAccessEntriesCommand({ clusterName: 'legacy' })),
        () => client.send(new DescribeAccessEntryCommand({ clusterName: 'legacy', principalArn })),
        () => client.send(new ListAssociatedAccessPoliciesCommand({ clusterName: 'legacy', principalArn })),
      ];
      for (const call of calls) {
        // Act
        const refused = await failure(call());
        // Assess
        assert.deepEqual(refused, { name: 'InvalidRequestException', status: 400 });
        await assert.rejects(call(), {
          message:
            "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        });
      }
    });

    it('answers every extension route on an unknown cluster with ResourceNotFoundException', async () => {
      const client = eks();
      const calls = [
        client.send(new ListAddonsCommand({ clusterName: 'nope' })),
        client.send(new DescribeAddonCommand({ clusterName: 'nope', addonName: 'vpc-cni' })),
        client.send(new ListIdentityProviderConfigsCommand({ clusterName: 'nope' })),
        client.send(
          new DescribeIdentityProviderConfigCommand({
            clusterName: 'nope',
            identityProviderConfig: { type: 'oidc', name: 'okta' },
          }),
        ),
        client.send(new ListAccessEntriesCommand({ clusterName: 'nope' })),
        client.send(
          new ListAssociatedAccessPoliciesCommand({
            clusterName: 'nope',
            principalArn: 'arn:aws:iam::1:role/x',
          }),
        ),
      ];
      for (const call of calls) {
        assert.deepEqual(await failure(call), { name: 'ResourceNotFoundException', status: 404 });
      }
      // The same cluster name in another region is another cluster.
      assert.deepEqual(await failure(eks('eu-west-1').send(new ListAddonsCommand({ clusterName: 'prod' }))), {
        name: 'ResourceNotFoundException',
        status: 404,
      });
    });

    it('rejects maxResults above 100, as EKS does and moto does not', async () => {
      assert.deepEqual(await failure(eks().send(new ListClustersCommand({ maxResults: 500 }))), {
        name: 'InvalidParameterException',
        status: 400,
      });
      assert.deepEqual(
        await failure(eks().send(new ListAddonsCommand({ clusterName: 'prod', maxResults: 101 }))),
        {
          name: 'InvalidParameterException',
          status: 400,
        },
      );
    });
  });

  describe('DescribeClusterVersions', () => {
    it('answers the recorded response on the day it describes', () => {
      const recorded = JSON.parse(
        readFileSync(
          new URL('../../fixtures/versions/eks-describe-cluster-versions.json', import.meta.url),
          'utf8',
        ),
      );
      assert.deepEqual(
        versionsAsOf(recordedClusterVersions(), RECORDED_VERSIONS_DAY),
        recorded.clusterVersions,
      );
    });

    it('lists the recorded versions with their status on the configured day, not the calendar', async () => {
      const { clusterVersions = [] } = await eks().send(new DescribeClusterVersionsCommand({}));
      assert.deepEqual(
        clusterVersions.map((version) => [
          version.clusterVersion,
          version.versionStatus,
          version.defaultVersion,
        ]),
        [
          ['1.36', 'STANDARD_SUPPORT', true],
          ['1.35', 'STANDARD_SUPPORT', false],
          ['1.34', 'STANDARD_SUPPORT', false],
          ['1.33', 'EXTENDED_SUPPORT', false],
          ['1.32', 'EXTENDED_SUPPORT', false],
          ['1.31', 'EXTENDED_SUPPORT', false],
        ],
      );
      const [newest] = clusterVersions;
      // The recorded dates, a few days off kubeline's calendar (1.36: 2026-06-02, 2027-08-02, 2028-08-02).
      assert.deepEqual(
        {
          releaseDate: newest?.releaseDate,
          endOfStandardSupportDate: newest?.endOfStandardSupportDate,
          endOfExtendedSupportDate: newest?.endOfExtendedSupportDate,
          status: newest?.status,
          defaultPlatformVersion: newest?.defaultPlatformVersion,
          kubernetesPatchVersion: newest?.kubernetesPatchVersion,
        },
        {
          releaseDate: new Date('2026-06-04T00:00:00Z'),
          endOfStandardSupportDate: new Date('2027-08-06T00:00:00Z'),
          endOfExtendedSupportDate: new Date('2028-08-06T00:00:00Z'),
          status: 'standard-support',
          defaultPlatformVersion: 'eks.4',
          kubernetesPatchVersion: '1.36.3',
        },
      );
    });

    it('pages through every version with includeAll, and filters by version', async () => {
      const client = eks();
      const pages: string[][] = [];
      for await (const page of paginateDescribeClusterVersions(
        { client, pageSize: 5 },
        { includeAll: true },
      )) {
        pages.push((page.clusterVersions ?? []).map((version) => version.clusterVersion ?? ''));
      }
      assert.deepEqual(pages, [
        ['1.36', '1.35', '1.34', '1.33', '1.32'],
        ['1.31', '1.30', '1.29', '1.28'],
      ]);
      const old = await client.send(
        new DescribeClusterVersionsCommand({ includeAll: true, clusterVersions: ['1.29', '1.30'] }),
      );
      assert.deepEqual(
        old.clusterVersions?.map((version) => [version.clusterVersion, version.versionStatus]),
        [
          ['1.30', 'UNSUPPORTED'],
          ['1.29', 'UNSUPPORTED'],
        ],
      );
    });

    it('serves the versions a test sets for a region instead of the recorded ones', async () => {
      peer.setClusterVersions('eu-west-1', [
        {
          clusterVersion: '1.40',
          releaseDate: '2026-01-01',
          endOfStandardSupportDate: '2027-01-01',
          endOfExtendedSupportDate: '2028-01-01',
          defaultVersion: true,
        },
      ]);
      const europe = await eks('eu-west-1').send(new DescribeClusterVersionsCommand({}));
      assert.deepEqual(
        europe.clusterVersions?.map((version) => version.clusterVersion),
        ['1.40'],
      );
      const { cluster } = await eks('eu-west-1').send(
        new CreateClusterCommand({
          name: 'defaulted',
          roleArn: 'arn:aws:iam::123456789012:role/eks',
          resourcesVpcConfig: { subnetIds: ['subnet-1'] },
        }),
      );
      assert.equal(cluster?.version, '1.40', 'a cluster created without a version gets the default one');
    });
  });

  describe('clusters', () => {
    it('keeps what moto drops from CreateCluster and applies the defaults AWS applies', async () => {
      const client = eks();
      await client.send(
        new CreateClusterCommand({
          name: 'auto',
          version: '1.34',
          roleArn: 'arn:aws:iam::123456789012:role/eks',
          resourcesVpcConfig: { subnetIds: ['subnet-1'] },
          accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
          upgradePolicy: { supportType: 'STANDARD' },
          computeConfig: {
            enabled: true,
            nodePools: ['general-purpose'],
            nodeRoleArn: 'arn:aws:iam::123456789012:role/n',
          },
          storageConfig: { blockStorage: { enabled: true } },
          kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
          zonalShiftConfig: { enabled: true },
          deletionProtection: true,
        }),
      );
      const { cluster } = await client.send(new DescribeClusterCommand({ name: 'auto' }));
      assert.deepEqual(
        {
          accessConfig: cluster?.accessConfig,
          upgradePolicy: cluster?.upgradePolicy,
          computeConfig: cluster?.computeConfig,
          storageConfig: cluster?.storageConfig,
          kubernetesNetworkConfig: cluster?.kubernetesNetworkConfig,
          zonalShiftConfig: cluster?.zonalShiftConfig,
          deletionProtection: cluster?.deletionProtection,
          endpointFlags: [
            cluster?.resourcesVpcConfig?.endpointPublicAccess,
            cluster?.resourcesVpcConfig?.endpointPrivateAccess,
            cluster?.resourcesVpcConfig?.publicAccessCidrs,
          ],
        },
        {
          accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
          upgradePolicy: { supportType: 'STANDARD' },
          computeConfig: {
            enabled: true,
            nodePools: ['general-purpose'],
            nodeRoleArn: 'arn:aws:iam::123456789012:role/n',
          },
          storageConfig: { blockStorage: { enabled: true } },
          kubernetesNetworkConfig: {
            elasticLoadBalancing: { enabled: true },
            ipFamily: 'ipv4',
            serviceIpv4Cidr: '172.20.0.0/16',
          },
          zonalShiftConfig: { enabled: true },
          deletionProtection: true,
          endpointFlags: [true, false, ['0.0.0.0/0']],
        },
      );
      await client.send(
        new CreateClusterCommand({
          name: 'bare',
          roleArn: 'arn:aws:iam::123456789012:role/eks',
          resourcesVpcConfig: { subnetIds: ['subnet-1'] },
        }),
      );
      const bare = (await client.send(new DescribeClusterCommand({ name: 'bare' }))).cluster;
      assert.deepEqual(
        [bare?.version, bare?.accessConfig, bare?.upgradePolicy],
        [
          '1.36',
          { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
          { supportType: 'EXTENDED' },
        ],
      );
    });

    it('reports the VPC of subnets moto EC2 knows, and node groups at the cluster version without invented SSH', async () => {
      const ec2 = new EC2Client(config());
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
      const subnet = await ec2.send(
        new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: '10.1.1.0/24' }),
      );
      const subnetId = subnet.Subnet?.SubnetId ?? '';
      const client = eks();
      await client.send(
        new CreateClusterCommand({
          name: 'in-vpc',
          version: '1.33',
          roleArn: 'arn:aws:iam::123456789012:role/eks',
          resourcesVpcConfig: { subnetIds: [subnetId] },
        }),
      );
      const { cluster } = await client.send(new DescribeClusterCommand({ name: 'in-vpc' }));
      assert.equal(cluster?.resourcesVpcConfig?.vpcId, vpc.Vpc?.VpcId);
      await client.send(
        new CreateNodegroupCommand({
          clusterName: 'in-vpc',
          nodegroupName: 'workers',
          nodeRole: 'arn:aws:iam::123456789012:role/nodes',
          subnets: [subnetId],
        }),
      );
      const { nodegroup } = await client.send(
        new DescribeNodegroupCommand({ clusterName: 'in-vpc', nodegroupName: 'workers' }),
      );
      assert.equal(nodegroup?.version, '1.33');
      assert.equal(nodegroup?.remoteAccess, undefined);
      assert.equal(nodegroup?.resources?.remoteAccessSecurityGroup, undefined);
    });

    it('keeps two accounts entered through AssumeRole apart', async () => {
      const first = await assumeAccount('111111111111');
      const second = await assumeAccount('222222222222');
      const identity = await new STSClient(config(REGION, first)).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, '111111111111');
      await seedEksCluster(peer, { account: '111111111111', region: REGION, name: 'payments' });
      await seedEksCluster(peer, { account: '222222222222', region: REGION, name: 'billing' });
      peer.setEksExtras('222222222222', REGION, 'billing', { addons: [{ addonName: 'coredns' }] });
      assert.deepEqual((await eks(REGION, first).send(new ListClustersCommand({}))).clusters, ['payments']);
      assert.deepEqual((await eks(REGION, second).send(new ListClustersCommand({}))).clusters, ['billing']);
      assert.deepEqual((await eks().send(new ListClustersCommand({}))).clusters, []);
      assert.deepEqual(
        (await eks(REGION, second).send(new ListAddonsCommand({ clusterName: 'billing' }))).addons,
        ['coredns'],
      );
      assert.deepEqual(
        await failure(eks(REGION, first).send(new ListAddonsCommand({ clusterName: 'billing' }))),
        { name: 'ResourceNotFoundException', status: 404 },
      );
      const { cluster } = await eks(REGION, second).send(new DescribeClusterCommand({ name: 'billing' }));
      assert.equal(cluster?.arn, 'arn:aws:eks:us-east-1:222222222222:cluster/billing');
    });

    it('pages ListClusters over a generated fleet of 250', async () => {
      const seeded = await seedEksFleet(peer, { count: 250, prefix: 'fleet' });
      assert.equal(seeded.length, 250);
      const names: string[] = [];
      let pages = 0;
      for await (const page of paginateListClusters({ client: eks(), pageSize: 100 }, {})) {
        names.push(...(page.clusters ?? []));
        pages += 1;
      }
      assert.equal(pages, 3);
      assert.deepEqual(names.sort(), seeded.map((cluster) => cluster.name).sort());
    });
  });

  describe('faults', () => {
    beforeEach(async () => {
      await seedEksCluster(peer, { region: REGION, name: 'prod' });
      peer.clearCalls();
    });

    it('throttles with each service its own error', async () => {
      peer.addFault({ kind: 'throttle' });
      const ec2 = new EC2Client(config());
      const sts = new STSClient(config());
      const logs = new CloudWatchLogsClient(config());
      const organizations = new OrganizationsClient(config());
      const guardDuty = new GuardDutyClient(config());
      assert.deepEqual(
        [
          await failure(eks().send(new ListClustersCommand({}))),
          await failure(eks().send(new ListAddonsCommand({ clusterName: 'prod' }))),
          await failure(ec2.send(new DescribeSubnetsCommand({}))),
          await failure(
            sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'spec' })),
          ),
          await failure(logs.send(new DescribeLogGroupsCommand({}))),
          await failure(organizations.send(new ListAccountsCommand({}))),
          await failure(guardDuty.send(new ListDetectorsCommand({}))),
        ],
        [
          { name: 'ThrottlingException', status: 429 },
          { name: 'ThrottlingException', status: 429 },
          { name: 'RequestLimitExceeded', status: 503 },
          { name: 'Throttling', status: 400 },
          { name: 'ThrottlingException', status: 400 },
          { name: 'TooManyRequestsException', status: 429 },
          { name: 'TooManyRequestsException', status: 429 },
        ],
      );
    });

    it('denies access with each service its own error, for one account only', async () => {
      peer.addFault({ account: '222222222222', kind: 'access-denied' });
      peer.addFault({ service: 'ec2', kind: 'access-denied' });
      const sts = new STSClient(config());
      assert.deepEqual(
        await failure(
          sts.send(
            new AssumeRoleCommand({
              RoleArn: 'arn:aws:iam::222222222222:role/kubeline-read',
              RoleSessionName: 'spec',
            }),
          ),
        ),
        { name: 'AccessDenied', status: 403 },
      );
      assert.deepEqual(await failure(new EC2Client(config()).send(new DescribeRegionsCommand({}))), {
        name: 'UnauthorizedOperation',
        status: 403,
      });
      const first = await assumeAccount('111111111111');
      assert.deepEqual((await eks(REGION, first).send(new ListClustersCommand({}))).clusters, []);
      peer.clearFaults();
      const second = await assumeAccount('222222222222');
      peer.addFault({ account: '222222222222', service: 'eks', kind: 'access-denied' });
      assert.deepEqual(await failure(eks(REGION, second).send(new ListClustersCommand({}))), {
        name: 'AccessDeniedException',
        status: 403,
      });
      assert.deepEqual((await eks().send(new ListClustersCommand({}))).clusters, ['prod']);
    });

    it('throttles and denies IAM and CloudWatch with their query-protocol codes', async () => {
      // Prepare
      peer.addFault({ service: 'iam', kind: 'access-denied', times: 1 });
      peer.addFault({ service: 'monitoring', kind: 'access-denied', times: 1 });
      peer.addFault({ service: 'iam', kind: 'throttle', times: 1 });
      peer.addFault({ service: 'monitoring', kind: 'throttle', times: 1 });
      const iam = new IAMClient(config());
      const cloudWatch = new CloudWatchClient(config());
      const alarms = () =>
        cloudWatch.send(new DescribeAlarmsForMetricCommand({ Namespace: 'EKS/Security', MetricName: 'm' }));
      // Act
      const outcomes = [
        await failure(iam.send(new ListOpenIDConnectProvidersCommand({}))),
        await failure(alarms()),
        await failure(iam.send(new ListOpenIDConnectProvidersCommand({}))),
        await failure(alarms()),
      ];
      // Assess
      assert.deepEqual(outcomes, [
        { name: 'AccessDenied', status: 403 },
        { name: 'AccessDenied', status: 403 },
        { name: 'Throttling', status: 400 },
        { name: 'Throttling', status: 400 },
      ]);
    });

    it('holds a request past the client timeout, and releases it on reset', async () => {
      peer.addFault({ region: 'eu-west-1', kind: 'timeout' });
      const client = new EKSClient({
        ...config('eu-west-1'),
        requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }),
      });
      const { name } = await failure(client.send(new ListClustersCommand({})));
      assert.equal(name, 'TimeoutError');
      assert.deepEqual(peer.calls(), [
        {
          service: 'eks',
          operation: 'ListClusters',
          account: DEFAULT_ACCOUNT,
          region: 'eu-west-1',
          status: 0,
        },
      ]);
      assert.deepEqual((await eks().send(new ListClustersCommand({}))).clusters, ['prod']);
    });

    it('sends a 200 with a body cut short, which the SDK cannot parse', async () => {
      peer.addFault({ operation: 'DescribeCluster', kind: 'malformed' });
      peer.addFault({ operation: 'DescribeSubnets', kind: 'malformed' });
      assert.deepEqual(await failure(eks().send(new DescribeClusterCommand({ name: 'prod' }))), {
        name: 'SyntaxError',
        status: 200,
      });
      const xml = await failure(new EC2Client(config()).send(new DescribeSubnetsCommand({})));
      assert.equal(xml.status, 200);
    });

    it('fails with 500 InternalFailure', async () => {
      peer.addFault({ service: 'eks', kind: 'server-error' });
      assert.deepEqual(await failure(eks().send(new ListClustersCommand({}))), {
        name: 'InternalFailure',
        status: 500,
      });
    });

    it('applies a fault `times` times, so the SDK retry succeeds', async () => {
      peer.addFault({ operation: 'DescribeCluster', kind: 'throttle', times: 2 });
      const retrying = new EKSClient({ ...config(), maxAttempts: 3 });
      const { cluster } = await retrying.send(new DescribeClusterCommand({ name: 'prod' }));
      assert.equal(cluster?.name, 'prod');
      assert.deepEqual(
        peer.calls().map((call) => call.status),
        [429, 429, 200],
      );
    });
  });

  it('issues STS session expirations as far ahead as the clock offset it is given, until reset', async () => {
    // Prepare
    const sts = new STSClient(config());
    const expiresIn = async () => {
      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111111111111:role/kubeline-read',
          RoleSessionName: 'spec',
          DurationSeconds: 900,
        }),
      );
      const expiration = assumed.Credentials?.Expiration?.getTime() ?? 0;
      // Whole minutes: the few seconds the call takes do not matter.
      return Math.round((expiration - Date.now()) / 60_000);
    };
    // Act
    const plain = await expiresIn();
    peer.setClockOffset(2 * 3_600_000);
    const shifted = await expiresIn();
    await peer.reset();
    const afterReset = await expiresIn();
    // Assess
    assert.deepEqual([plain, shifted, afterReset], [15, 135, 15]);
  });

  it('records every call with its service, operation, account and region', async () => {
    const second = await assumeAccount('222222222222');
    await eks('eu-west-1', second).send(new ListClustersCommand({}));
    await new EC2Client(config('eu-west-1')).send(new DescribeRegionsCommand({}));
    await failure(eks().send(new DescribeClusterCommand({ name: 'missing' })));
    assert.deepEqual(peer.calls(), [
      { service: 'sts', operation: 'AssumeRole', account: '222222222222', region: REGION, status: 200 },
      {
        service: 'eks',
        operation: 'ListClusters',
        account: '222222222222',
        region: 'eu-west-1',
        status: 200,
      },
      {
        service: 'ec2',
        operation: 'DescribeRegions',
        account: DEFAULT_ACCOUNT,
        region: 'eu-west-1',
        status: 200,
      },
      { service: 'eks', operation: 'DescribeCluster', account: DEFAULT_ACCOUNT, region: REGION, status: 404 },
    ]);
    const [describe] = peer.callDetails().filter((call) => call.operation === 'DescribeCluster');
    assert.deepEqual(
      [describe?.method, describe?.url, describe?.cluster],
      ['GET', '/clusters/missing', 'missing'],
    );
    peer.clearCalls();
    assert.deepEqual(peer.calls(), []);
    assert.deepEqual(peer.callDetails(), []);
  });

  it('reset clears clusters, extensions, version overrides, faults and the call log', async () => {
    await seedEksCluster(peer, { region: REGION, name: 'prod' });
    peer.setEksExtras(DEFAULT_ACCOUNT, REGION, 'prod', { addons: [{ addonName: 'coredns' }] });
    peer.setClusterVersions(REGION, []);
    peer.addFault({ service: 'ec2', kind: 'throttle' });
    await peer.reset();
    assert.deepEqual(peer.calls(), []);
    assert.deepEqual((await eks().send(new ListClustersCommand({}))).clusters, []);
    await seedEksCluster(peer, { region: REGION, name: 'prod' });
    assert.deepEqual((await eks().send(new ListAddonsCommand({ clusterName: 'prod' }))).addons, []);
    assert.equal((await eks().send(new DescribeClusterVersionsCommand({}))).clusterVersions?.length, 6);
    await new EC2Client(config()).send(new DescribeRegionsCommand({}));
  });

  describe('moto behaviour the AWS provider relies on', () => {
    it("S3: HEAD reports the stored object's length through the proxy", async () => {
      // Prepare
      const s3 = new S3Client({ ...config(), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: 'kubeline-head' }));
      await s3.send(
        new PutObjectCommand({ Bucket: 'kubeline-head', Key: 'a.json', Body: '{"runs":[1,2,3]}' }),
      );

      // Act
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'kubeline-head', Key: 'a.json' }));

      // Assess
      assert.equal(head.ContentLength, 16);
      s3.destroy();
    });

    it('EC2: enabled regions only, MapPublicIpOnLaunch, flow logs by VPC', async () => {
      const ec2 = new EC2Client(config());
      const regions = (await ec2.send(new DescribeRegionsCommand({}))).Regions ?? [];
      assert.ok(regions.some((region) => region.RegionName === 'eu-west-1'));
      assert.ok(regions.every((region) => region.OptInStatus !== 'not-opted-in'));
      assert.ok(regions.every((region) => !region.RegionName?.startsWith('us-gov-')));
      const all = (await ec2.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
      assert.ok(all.length > regions.length);
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc?.VpcId;
      const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.1.0/24' })))
        .Subnet?.SubnetId;
      await ec2.send(
        new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
      );
      const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId ?? ''] }));
      assert.equal(subnets.Subnets?.[0]?.MapPublicIpOnLaunch, true);
      await ec2.send(
        new CreateFlowLogsCommand({
          ResourceIds: [vpcId ?? ''],
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 'cloud-watch-logs',
          LogGroupName: 'vpc-flow',
          DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow-logs',
        }),
      );
      const flowLogs = await ec2.send(
        new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpcId ?? ''] }] }),
      );
      assert.deepEqual(
        flowLogs.FlowLogs?.map((flowLog) => [flowLog.ResourceId, flowLog.FlowLogStatus]),
        [[vpcId, 'ACTIVE']],
      );
    });

    it('CloudWatch Logs: DescribeMetricFilters on a missing log group is ResourceNotFoundException, as on AWS', async () => {
      const logs = new CloudWatchLogsClient(config());
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/eks/present/cluster' }));
      const present = await logs.send(
        new DescribeMetricFiltersCommand({ logGroupName: '/aws/eks/present/cluster' }),
      );
      assert.deepEqual(present.metricFilters, []);
      assert.deepEqual(
        await failure(logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/aws/eks/present' }))),
        { name: 'ResourceNotFoundException', status: 400 },
      );
    });

    it('CloudWatch Logs retention, GuardDuty detector features, Organizations accounts', async () => {
      const logs = new CloudWatchLogsClient(config());
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/eks/prod/cluster' }));
      await logs.send(
        new PutRetentionPolicyCommand({ logGroupName: '/aws/eks/prod/cluster', retentionInDays: 90 }),
      );
      const groups = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/prod/cluster' }),
      );
      assert.equal(groups.logGroups?.[0]?.retentionInDays, 90);

      const guardDuty = new GuardDutyClient(config());
      const { DetectorId } = await guardDuty.send(
        new CreateDetectorCommand({
          Enable: true,
          Features: [{ Name: 'EKS_RUNTIME_MONITORING', Status: 'ENABLED' }],
        }),
      );
      assert.deepEqual((await guardDuty.send(new ListDetectorsCommand({}))).DetectorIds, [DetectorId]);
      const detector = await guardDuty.send(new GetDetectorCommand({ DetectorId }));
      assert.deepEqual(
        detector.Features?.map((feature) => [feature.Name, feature.Status]),
        [['EKS_RUNTIME_MONITORING', 'ENABLED']],
      );

      const organizations = new OrganizationsClient(config());
      await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      const created = await organizations.send(
        new CreateAccountCommand({ Email: 'payments@acme.example', AccountName: 'payments' }),
      );
      assert.equal(created.CreateAccountStatus?.State, 'SUCCEEDED');
      const accounts = (await organizations.send(new ListAccountsCommand({}))).Accounts ?? [];
      assert.deepEqual(
        accounts.map((account) => account.Id).sort(),
        [DEFAULT_ACCOUNT, created.CreateAccountStatus?.AccountId].sort(),
      );
    });
  });

  describe('seeding from exports', () => {
    let folder: string;

    beforeEach(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'kubeline-aws-peer-'));
    });

    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    const camelCase = {
      cluster: {
        name: 'payments',
        arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/payments',
        status: 'ACTIVE',
        createdAt: '2025-02-17T10:42:31.518000+00:00',
        version: '1.32',
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        roleArn: 'arn:aws:iam::111111111111:role/payments-eks',
        resourcesVpcConfig: {
          subnetIds: ['subnet-0a1', 'subnet-0a2'],
          securityGroupIds: [],
          clusterSecurityGroupId: 'sg-0cluster',
          vpcId: 'vpc-0payments',
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
          publicAccessCidrs: ['0.0.0.0/0'],
        },
        logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
        encryptionConfig: [
          { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' } },
        ],
        platformVersion: 'eks.11',
        tags: { team: 'payments', 'cost-center': 'cc-1' },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        upgradePolicy: { supportType: 'STANDARD' },
      },
    };

    const pascalCase = {
      Cluster: {
        Name: 'analytics',
        Arn: 'arn:aws:eks:us-west-2:222222222222:cluster/analytics',
        Status: 'ACTIVE',
        Version: '1.33',
        RoleArn: 'arn:aws:iam::222222222222:role/analytics-eks',
        ResourcesVpcConfig: {
          SubnetIds: ['subnet-0b1'],
          EndpointPublicAccess: true,
          EndpointPrivateAccess: true,
          PublicAccessCidrs: ['203.0.113.0/24'],
          VpcId: 'vpc-0analytics',
        },
        KubernetesNetworkConfig: {
          IpFamily: 'ipv4',
          ServiceIpv4Cidr: '10.100.0.0/16',
          ServiceIpv6Cidr: null,
        },
        AccessConfig: { AuthenticationMode: 'API_AND_CONFIG_MAP' },
        UpgradePolicy: { SupportType: 'EXTENDED' },
        ComputeConfig: null,
        Tags: { Team: 'data' },
      },
      ResultMetadata: {},
    };

    const gke = {
      name: 'gke-one',
      selfLink: 'https://container.googleapis.com/v1/projects/p/locations/l/clusters/c',
      location: 'l',
      status: 'RUNNING',
      currentMasterVersion: '1.33.5-gke.1000000',
    };

    it('creates each cluster in the account and region of its ARN, with every exported field', async () => {
      await writeFile(path.join(folder, 'payments.json'), JSON.stringify(camelCase));
      await writeFile(path.join(folder, 'analytics.go-sdk.json'), JSON.stringify(pascalCase));
      await writeFile(path.join(folder, 'gke.json'), JSON.stringify(gke));
      const seeded = await seedEksFromExports(peer, folder);
      assert.deepEqual(seeded, [
        { account: '222222222222', region: 'us-west-2', name: 'analytics' },
        { account: '111111111111', region: 'eu-west-1', name: 'payments' },
      ]);
      assert.deepEqual(
        peer
          .calls()
          .filter((call) => call.operation === 'AssumeRole')
          .map((call) => call.account)
          .sort(),
        ['111111111111', '222222222222'],
      );

      const payments = (
        await eks('eu-west-1', await assumeAccount('111111111111')).send(
          new DescribeClusterCommand({ name: 'payments' }),
        )
      ).cluster;
      assert.deepEqual(
        {
          version: payments?.version,
          vpc: payments?.resourcesVpcConfig,
          logging: payments?.logging,
          encryption: payments?.encryptionConfig,
          accessConfig: payments?.accessConfig,
          upgradePolicy: payments?.upgradePolicy,
          tags: payments?.tags,
          createdAt: payments?.createdAt,
          endpoint: payments?.endpoint,
          platformVersion: payments?.platformVersion,
        },
        {
          version: '1.32',
          vpc: {
            subnetIds: ['subnet-0a1', 'subnet-0a2'],
            securityGroupIds: [],
            clusterSecurityGroupId: 'sg-0cluster',
            vpcId: 'vpc-0payments',
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
            publicAccessCidrs: ['0.0.0.0/0'],
          },
          logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
          encryption: [
            { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' } },
          ],
          accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
          upgradePolicy: { supportType: 'STANDARD' },
          tags: { team: 'payments', 'cost-center': 'cc-1' },
          createdAt: new Date('2025-02-17T10:42:31.518Z'),
          endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          platformVersion: 'eks.11',
        },
      );

      const analytics = (
        await eks('us-west-2', await assumeAccount('222222222222')).send(
          new DescribeClusterCommand({ name: 'analytics' }),
        )
      ).cluster;
      assert.deepEqual(
        {
          vpc: analytics?.resourcesVpcConfig,
          network: analytics?.kubernetesNetworkConfig,
          accessMode: analytics?.accessConfig?.authenticationMode,
          upgradePolicy: analytics?.upgradePolicy,
          computeConfig: analytics?.computeConfig,
          tags: analytics?.tags,
        },
        {
          vpc: {
            subnetIds: ['subnet-0b1'],
            vpcId: 'vpc-0analytics',
            endpointPublicAccess: true,
            endpointPrivateAccess: true,
            publicAccessCidrs: ['203.0.113.0/24'],
          },
          network: { ipFamily: 'ipv4', serviceIpv4Cidr: '10.100.0.0/16' },
          accessMode: 'API_AND_CONFIG_MAP',
          upgradePolicy: { supportType: 'EXTENDED' },
          computeConfig: undefined,
          tags: { Team: 'data' },
        },
      );
    });

    it('gives the seeded clusters log groups, failed-authentication filters and alarms, and OIDC providers in turn', async () => {
      // Prepare: four clusters exporting logs, one that exports none.
      const spec = (name: string, enabled: boolean) => ({
        account: '111111111111',
        region: REGION,
        name,
        logging: { clusterLogging: [{ types: ['audit' as const, 'authenticator' as const], enabled }] },
      });
      for (const [name, enabled] of [
        ['a', true],
        ['b', true],
        ['c', true],
        ['d', true],
        ['e', false],
      ] as const) {
        peer.setEksExtras('111111111111', REGION, name, {
          clusterFields: {
            identity: {
              oidc: { issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/${name.toUpperCase()}` },
            },
          },
        });
        await seedEksCluster(peer, spec(name, enabled));
      }
      const seeded = ['e', 'd', 'c', 'b', 'a'].map((name) => ({
        account: '111111111111',
        region: REGION,
        name,
      }));
      // Act
      const resources = await seedEksAccountResources(peer, seeded);
      // Assess: what was made, and that the account holds it.
      assert.deepEqual(resources, {
        logGroups: [
          { name: '/aws/eks/a/cluster', retentionInDays: 365 },
          { name: '/aws/eks/b/cluster', retentionInDays: 30 },
          { name: '/aws/eks/c/cluster', retentionInDays: null },
          { name: '/aws/eks/d/cluster', retentionInDays: 90 },
        ],
        failedAuthFilters: [
          { cluster: 'a', alarmed: true },
          { cluster: 'b', alarmed: false },
          { cluster: 'd', alarmed: true },
        ],
        oidcProviders: ['a', 'c', 'e'],
      });
      const credentials = await assumeAccount('111111111111');
      const logs = new CloudWatchLogsClient(config(REGION, credentials));
      const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/' }));
      const filters = await logs.send(
        new DescribeMetricFiltersCommand({ logGroupName: '/aws/eks/b/cluster' }),
      );
      const alarms = await new CloudWatchClient(config(REGION, credentials)).send(
        new DescribeAlarmsForMetricCommand({
          Namespace: 'EKS/Security',
          MetricName: 'a-failed-authentications',
        }),
      );
      const providers = await new IAMClient(config(REGION, credentials)).send(
        new ListOpenIDConnectProvidersCommand({}),
      );
      assert.deepEqual(
        {
          groups: groups.logGroups?.map((group) => [group.logGroupName, group.retentionInDays ?? null]),
          filters: filters.metricFilters?.map((filter) => [filter.filterName, filter.filterPattern]),
          alarms: alarms.MetricAlarms?.map((alarm) => [alarm.AlarmName, alarm.AlarmActions]),
          providers: providers.OpenIDConnectProviderList?.map((provider) => provider.Arn?.split('/').at(-1)),
        },
        {
          groups: [
            ['/aws/eks/a/cluster', 365],
            ['/aws/eks/b/cluster', 30],
            ['/aws/eks/c/cluster', null],
            ['/aws/eks/d/cluster', 90],
          ],
          filters: [['failed-authentications', '"access denied"']],
          alarms: [['a-failed-authentications', ['arn:aws:sns:us-east-1:111111111111:security-alerts']]],
          providers: ['A', 'C', 'E'],
        },
      );
    });

    it('says which files belong to other clouds, and refuses files it cannot read', async () => {
      await writeFile(path.join(folder, 'gke.json'), JSON.stringify(gke));
      await writeFile(path.join(folder, 'broken.json'), '{"cluster": {"name": ');
      const exports = await readEksExports(folder);
      assert.deepEqual(exports.skipped, [
        {
          file: path.join(folder, 'gke.json'),
          reason: 'a GKE cluster: the GKE peer is not part of the sandbox yet',
        },
      ]);
      assert.equal(exports.problems.length, 1);
      assert.equal(exports.problems[0]?.file, path.join(folder, 'broken.json'));
      await assert.rejects(seedEksFromExports(peer, folder), /cannot seed the AWS peer[\s\S]*broken\.json/);
    });
  });
});

describe('findMotoPython', () => {
  it('finds moto without pyenv on PATH, as on a fresh CI machine', async function () {
    this.timeout(60_000);
    const python = await findMotoPython({ PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root' });
    assert.match(python, /python/);
  });

  it('names MOTO_PYTHON when that interpreter cannot run moto', async () => {
    await assert.rejects(
      findMotoPython({ MOTO_PYTHON: '/nonexistent/python3', PATH: '/usr/bin:/bin' }),
      /MOTO_PYTHON is set[\s\S]*\/nonexistent\/python3: not found/,
    );
  });
});
