import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createGcpClients } from '../providers/gcp/clients.js';
import { gkeSource } from '../providers/gcp/source.js';
import { startGkePeer } from '../test/peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../test/peers/gcp/seed.js';

/**
 * GKE collection at scale against the local GKE gRPC peer: N generated clusters spread over a
 * number of projects, each cluster with its node pools inside the ListClusters response. Reports
 * kubeline's wall time, API calls per cluster and peak memory.
 *   npm run bench:gke -- --clusters 1000 [--projects 10]
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    projects: { type: 'string', default: '10' },
  },
});
const count = Number(values.clusters);
const projectCount = Number(values.projects);
if (!Number.isSafeInteger(count) || count < 1) throw new Error('--clusters takes a whole number ≥ 1');
if (!Number.isSafeInteger(projectCount) || projectCount < 1)
  throw new Error('--projects takes a whole number ≥ 1');

const projects = Array.from(
  { length: projectCount },
  (_, index) => `bench-${String(index + 1).padStart(3, '0')}`,
);
const peer = await startGkePeer();
try {
  seedGkeFleet(peer, { count, projects, prefix: 'bench' });
  const rssBefore = process.memoryUsage().rss;
  const source = gkeSource({
    targets: { projects },
    clients: createGcpClients({ apiEndpoint: peer.endpoint, maxAttempts: 5, callTimeoutMs: 15_000 }),
    concurrency: { perScope: 8, scopes: 4 },
  });
  const started = performance.now();
  const result = await source.collect();
  const wallSeconds = (performance.now() - started) / 1000;
  await source.close?.();
  const stats = source.stats();
  if (result.postures.length !== count || result.problems.length > 0) {
    throw new Error(
      `kubeline read ${result.postures.length} of ${count} clusters; problems: ${JSON.stringify(result.problems)}`,
    );
  }
  const report = {
    clusters: count,
    projects: projectCount,
    kubeline: {
      wallSeconds: Number(wallSeconds.toFixed(2)),
      apiCalls: stats.calls,
      apiCallsPerCluster: Number((stats.calls / count).toFixed(2)),
      retries: stats.retries,
      byOperation: stats.byOperation,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeScanMiB: Math.round(rssBefore / 1024 / 1024),
      covers:
        'ListClusters per project (clusters with node pools), GetServerConfig per location, FetchClusterUpgradeInfo per cluster, GetBucket, ListLogMetrics and ListAlertPolicies per project',
    },
    note: 'peer and scanner share one process: peak memory includes the peer holding every cluster',
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await peer.close();
}
