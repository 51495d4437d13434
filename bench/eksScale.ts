import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientFactory } from '../providers/aws/clients.js';
import { eksSource } from '../providers/aws/source.js';
import { mapLimited } from '../providers/limit.js';
import { type AwsPeer, startAwsPeer } from '../test/peers/aws/awsPeer.js';

/**
 * EKS collection at scale against the local AWS peer: N clusters spread over 2 accounts × 2
 * regions, each with a node group. Reports kubeline's wall time, API calls per cluster and peak
 * memory, then times the same listing done the way a user's script would (AWS CLI list-clusters
 * plus describe-cluster per cluster, one process per call) for a side-by-side ratio.
 *   npm run bench:eks -- --clusters 100 [--cli full|sample|skip]
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    cli: { type: 'string', default: 'full' },
    'cli-sample': { type: 'string', default: '25' },
  },
});
const count = Number(values.clusters);
if (!Number.isSafeInteger(count) || count < 4) throw new Error('--clusters takes a whole number ≥ 4');
if (!['full', 'sample', 'skip'].includes(values.cli ?? ''))
  throw new Error('--cli takes full, sample or skip');

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const execFileAsync = promisify(execFile);

async function assumed(peer: AwsPeer, account: string) {
  const sts = new STSClient({ region: 'us-east-1', endpoint: peer.endpoint, credentials: peer.credentials });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/kubeline-read`,
      RoleSessionName: 'bench',
    }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
    throw new Error('AssumeRole gave no credentials');
  return {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    ...(Credentials.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
  };
}

async function seed(peer: AwsPeer): Promise<{ account: string; region: string; name: string }[]> {
  const clusters = Array.from({ length: count }, (_, index) => ({
    account: ACCOUNTS[index % 2] ?? '111111111111',
    region: REGIONS[Math.floor(index / 2) % 2] ?? 'us-east-1',
    name: `bench-${String(index).padStart(5, '0')}`,
  }));
  const credentials = new Map<string, Awaited<ReturnType<typeof assumed>>>();
  for (const account of ACCOUNTS) credentials.set(account, await assumed(peer, account));
  await mapLimited(clusters, 16, async ({ account, region, name }) => {
    const accountCredentials = credentials.get(account);
    if (!accountCredentials) throw new Error(`no credentials for ${account}`);
    const eks = new EKSClient({
      region,
      endpoint: peer.endpoint,
      credentials: accountCredentials,
      maxAttempts: 3,
    });
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
  });
  return clusters;
}

async function awsCli(
  peer: AwsPeer,
  args: readonly string[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  await execFileAsync('aws', [...args, '--output', 'json'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      AWS_ENDPOINT_URL: peer.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const peer = await startAwsPeer();
try {
  const seedStart = performance.now();
  const clusters = await seed(peer);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  peer.clearCalls();

  const source = eksSource({
    targets: {
      regions: REGIONS,
      accounts: ACCOUNTS.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/kubeline-read` })),
    },
    factory: new AwsClientFactory({ endpoint: peer.endpoint, maxAttempts: 5, callTimeoutMs: 15_000 }),
    baseCredentials: peer.credentials,
    homeRegion: 'us-east-1',
    concurrency: { perScope: 8, scopes: 4 },
  });
  const started = performance.now();
  const result = await source.collect();
  const kubelineSeconds = (performance.now() - started) / 1000;
  await source.close?.();
  const stats = source.stats();
  if (result.postures.length !== count || result.problems.length > 0) {
    throw new Error(
      `kubeline read ${result.postures.length} of ${count} clusters; problems: ${JSON.stringify(result.problems)}`,
    );
  }

  let cli:
    | { mode: string; calls: number; seconds: number; secondsPerCall: number; projectedSeconds: number }
    | undefined;
  if (values.cli !== 'skip') {
    const sample = values.cli === 'sample' ? Math.min(count, Number(values['cli-sample'])) : count;
    const byScope = new Map<string, typeof clusters>();
    for (const cluster of clusters.slice(0, sample)) {
      const key = `${cluster.account} ${cluster.region}`;
      byScope.set(key, [...(byScope.get(key) ?? []), cluster]);
    }
    const cliStart = performance.now();
    let calls = 0;
    for (const [key, scoped] of byScope) {
      const [account = '', region = ''] = key.split(' ');
      const credentials = await assumed(peer, account);
      await awsCli(peer, ['eks', 'list-clusters', '--region', region], credentials);
      calls += 1;
      for (const cluster of scoped) {
        await awsCli(
          peer,
          ['eks', 'describe-cluster', '--region', region, '--name', cluster.name],
          credentials,
        );
        calls += 1;
      }
    }
    const seconds = (performance.now() - cliStart) / 1000;
    const secondsPerCall = seconds / calls;
    // A full run makes one list-clusters per scope and one describe-cluster per cluster.
    const fullCalls = REGIONS.length * ACCOUNTS.length + count;
    cli = {
      mode: values.cli ?? 'full',
      calls,
      seconds: Number(seconds.toFixed(2)),
      secondsPerCall: Number(secondsPerCall.toFixed(3)),
      projectedSeconds: Number((secondsPerCall * fullCalls).toFixed(1)),
    };
  }

  const report = {
    clusters: count,
    scopes: `${ACCOUNTS.length} accounts × ${REGIONS.length} regions`,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    kubeline: {
      wallSeconds: Number(kubelineSeconds.toFixed(2)),
      apiCalls: stats.calls,
      apiCallsPerCluster: Number((stats.calls / count).toFixed(2)),
      retries: stats.retries,
      byOperation: stats.byOperation,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      checksCovered:
        'every EKS check input (node groups, add-ons, access entries, versions, logs, subnets, flow logs, GuardDuty)',
    },
    awsCliScript: cli
      ? {
          ...cli,
          covers: 'DescribeCluster only (endpoint, logging, encryption, access mode)',
          ratioCliOverKubeline: Number(
            ((cli.mode === 'full' ? cli.seconds : cli.projectedSeconds) / kubelineSeconds).toFixed(1),
          ),
        }
      : 'skipped',
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await peer.close();
}
