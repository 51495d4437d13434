import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsPeer } from '../test/peers/aws/awsPeer.js';
import { assumeReadRole, type BenchEksCluster } from './seedEks.js';

const execFileAsync = promisify(execFile);

/** One AWS CLI command against the peer, as a user's shell runs it: a process of its own. */
async function awsCli(peer: AwsPeer, args: readonly string[], credentials: AwsCredentialIdentity) {
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

/** How long the script took, and what a script over every cluster would take at that pace. */
export interface AwsCliTiming {
  /** Commands run: one list-clusters per (account, region), one describe-cluster per cluster. */
  readonly calls: number;
  readonly seconds: number;
  readonly secondsPerCall: number;
  /** The commands of the whole estate (one list per scope, one describe per cluster) at that pace. */
  readonly projectedSeconds: number;
}

/**
 * The listing done the way a user's script would, without kubeline: per (account, region) the
 * read role's credentials, `aws eks list-clusters`, then `aws eks describe-cluster` for each
 * cluster, one after another. Runs over the first `sample` clusters (default all of them) and
 * projects the whole estate at the pace measured.
 */
export async function timeAwsCliLoop(
  peer: AwsPeer,
  clusters: readonly BenchEksCluster[],
  sample = clusters.length,
): Promise<AwsCliTiming> {
  const scopeOf = (cluster: BenchEksCluster) => `${cluster.account} ${cluster.region}`;
  const byScope = new Map<string, BenchEksCluster[]>();
  for (const cluster of clusters.slice(0, sample)) {
    byScope.set(scopeOf(cluster), [...(byScope.get(scopeOf(cluster)) ?? []), cluster]);
  }
  const started = performance.now();
  let calls = 0;
  for (const scoped of byScope.values()) {
    const [{ account, region }] = scoped as [BenchEksCluster];
    const credentials = await assumeReadRole(peer, account);
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
  const seconds = (performance.now() - started) / 1000;
  const secondsPerCall = seconds / Math.max(calls, 1);
  const fullCalls = new Set(clusters.map(scopeOf)).size + clusters.length;
  return { calls, seconds, secondsPerCall, projectedSeconds: secondsPerCall * fullCalls };
}
