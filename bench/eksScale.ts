import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AwsClientFactory } from '../providers/aws/clients.js';
import { eksSource } from '../providers/aws/source.js';
import { startAwsPeer } from '../test/peers/aws/awsPeer.js';
import { timeAwsCliLoop } from './awsCli.js';
import { seedEksBenchFleet } from './seedEks.js';

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
const peer = await startAwsPeer();
try {
  const seedStart = performance.now();
  const clusters = await seedEksBenchFleet(peer, { count, accounts: ACCOUNTS, regions: REGIONS });
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
    const timing = await timeAwsCliLoop(peer, clusters, sample);
    cli = {
      mode: values.cli ?? 'full',
      calls: timing.calls,
      seconds: Number(timing.seconds.toFixed(2)),
      secondsPerCall: Number(timing.secondsPerCall.toFixed(3)),
      projectedSeconds: Number(timing.projectedSeconds.toFixed(1)),
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
        'every EKS check input (node groups and their launch templates, add-ons, access entries, versions, log groups, metric filters and alarms, IAM OIDC providers, subnets, flow logs, GuardDuty)',
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
