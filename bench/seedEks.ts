import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mapLimited } from '../providers/limit.js';
import type { AwsPeer } from '../test/peers/aws/awsPeer.js';
import { READ_ROLE_NAME } from '../test/peers/aws/seed.js';

/** An EKS cluster the benchmarks created, and where. */
export interface BenchEksCluster {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

/** Options of seedEksBenchFleet. */
export interface EksBenchFleet {
  readonly count: number;
  /** Clusters go round-robin over the accounts, then over the regions. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** CreateCluster and CreateNodegroup calls in flight at once while seeding. */
const SEED_CONCURRENCY = 16;

/** Credentials of kubeline's read role in an account, entered as kubeline enters it. */
export async function assumeReadRole(peer: AwsPeer, account: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: peer.endpoint, credentials: peer.credentials });
  try {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/${READ_ROLE_NAME}`,
        RoleSessionName: 'bench',
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
      throw new Error(`AssumeRole of ${READ_ROLE_NAME} in ${account} gave no credentials`);
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      ...(Credentials.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
    };
  } finally {
    sts.destroy();
  }
}

/** Where cluster `index` goes: accounts alternate first, so every account holds every region. */
function placement(fleet: EksBenchFleet, index: number): BenchEksCluster {
  const account = fleet.accounts[index % fleet.accounts.length] ?? '';
  const region = fleet.regions[Math.floor(index / fleet.accounts.length) % fleet.regions.length] ?? '';
  return { account, region, name: `bench-${String(index).padStart(5, '0')}` };
}

/**
 * Creates `count` private clusters, each with one node group, so a scan makes the node group
 * calls a real estate needs. Each account is entered through the read role, as kubeline does.
 */
export async function seedEksBenchFleet(peer: AwsPeer, fleet: EksBenchFleet): Promise<BenchEksCluster[]> {
  if (fleet.accounts.length === 0 || fleet.regions.length === 0)
    throw new Error('seedEksBenchFleet needs at least one account and one region');
  const clusters = Array.from({ length: fleet.count }, (_, index) => placement(fleet, index));
  const credentials = new Map<string, AwsCredentialIdentity>();
  for (const account of fleet.accounts) credentials.set(account, await assumeReadRole(peer, account));
  await mapLimited(clusters, SEED_CONCURRENCY, async ({ account, region, name }) => {
    const accountCredentials = credentials.get(account);
    if (!accountCredentials) throw new Error(`no credentials for account ${account}`);
    const eks = new EKSClient({
      region,
      endpoint: peer.endpoint,
      credentials: accountCredentials,
      maxAttempts: 3,
    });
    try {
      await eks.send(
        new CreateClusterCommand({
          name,
          version: '1.33',
          roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
          resourcesVpcConfig: {
            subnetIds: ['subnet-00000001'],
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
          },
          accessConfig: { authenticationMode: 'API' },
        }),
      );
      await eks.send(
        new CreateNodegroupCommand({
          clusterName: name,
          nodegroupName: 'default',
          nodeRole: `arn:aws:iam::${account}:role/node`,
          subnets: ['subnet-00000001'],
        }),
      );
    } finally {
      eks.destroy();
    }
  });
  return clusters;
}
