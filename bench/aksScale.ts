import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AzureClientFactory, LOCAL_PEER_CREDENTIAL } from '../providers/azure/clients.js';
import { aksSource } from '../providers/azure/source.js';
import { startArmPeer } from '../test/peers/azure/armPeer.js';
import { seedAksBenchFleet } from './seedAks.js';

/**
 * AKS collection at scale against the local ARM peer over HTTPS: N clusters spread over 4
 * subscriptions and 3 locations, every other cluster with an audit diagnostic setting, 100
 * clusters per list page as ARM pages them. Reports kubeline's wall time, API calls per cluster
 * and peak memory. The peer runs in the same process, so peak RSS includes it; heap growth
 * during collection is kubeline's own.
 *   npm run bench:aks -- --clusters 1000
 */
const { values } = parseArgs({ options: { clusters: { type: 'string', default: '100' } } });
const count = Number(values.clusters);
if (!Number.isSafeInteger(count) || count < 4) throw new Error('--clusters takes a whole number ≥ 4');

const SUBSCRIPTIONS = [
  '00000000-0000-4000-8000-0000000000b1',
  '00000000-0000-4000-8000-0000000000b2',
  '00000000-0000-4000-8000-0000000000b3',
  '00000000-0000-4000-8000-0000000000b4',
];
const LOCATIONS = ['westeurope', 'northeurope', 'eastus'];

const peer = await startArmPeer();
try {
  const seedStart = performance.now();
  seedAksBenchFleet(peer, { count, subscriptions: SUBSCRIPTIONS, locations: LOCATIONS });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const source = aksSource({
    targets: {},
    factory: new AzureClientFactory(
      { endpoint: peer.endpoint, ca: peer.ca, maxRetries: 4, callTimeoutMs: 15_000 },
      LOCAL_PEER_CREDENTIAL,
    ),
    concurrency: { perScope: 8, scopes: 4 },
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await source.collect();
  const kubelineSeconds = (performance.now() - started) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;
  const stats = source.stats();
  if (result.postures.length !== count || result.problems.length > 0) {
    throw new Error(
      `kubeline read ${result.postures.length} of ${count} clusters; problems: ${JSON.stringify(result.problems)}`,
    );
  }
  const report = {
    clusters: count,
    scopes: `${SUBSCRIPTIONS.length} subscriptions (discovered), ${LOCATIONS.length} locations`,
    seedSeconds: Number(seedSeconds.toFixed(2)),
    kubeline: {
      wallSeconds: Number(kubelineSeconds.toFixed(2)),
      apiCalls: stats.calls,
      apiCallsPerCluster: Number((stats.calls / count).toFixed(2)),
      retries: stats.retries,
      byOperation: stats.byOperation,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      heapGrowthMiB: Number(((heapAfter - heapBefore) / (1024 * 1024)).toFixed(1)),
      checksCovered:
        'every AKS check input (managed cluster, diagnostic settings, Kubernetes versions per location, the audit workspace and its tables once per run, Defender for Containers and scheduled query rules once per subscription)',
    },
    requestsSeenByPeer: peer.calls().length,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await peer.close();
}
