import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isUnknown } from '../model/observed.js';
import { tokenKubeConfig } from '../providers/kubernetes/access.js';
import { collectInCluster } from '../providers/kubernetes/collect.js';
import { normaliseInCluster } from '../providers/kubernetes/normalise.js';
import { mapLimited } from '../providers/limit.js';
import { generateScaleFixture, ISSUE_SCALE } from '../test/peers/k8s/generate.js';
import { type KubePeerCluster, type KubeRequest, startKubePeer } from '../test/peers/k8s/kubePeer.js';

/**
 * The in-cluster pass at the issue's scale: N clusters on the HTTPS Kubernetes peer, each seeded
 * with 50 namespaces, 500 bindings and 20 nodes in 4 pools, read with kubeline's collector
 * (@kubernetes/client-node 1.4.0, `limit`/`continue` paging, configz through the node proxy for
 * `--nodes-per-pool` nodes of each pool) and normalised, with `--concurrency` clusters at once.
 * Reports wall time and time per cluster, requests per cluster by resource, and peak memory.
 *   npx tsx bench/inClusterScale.ts [--clusters 10] [--page-size 500] [--nodes-per-pool 3] [--concurrency 4]
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10' },
    'page-size': { type: 'string', default: '500' },
    'nodes-per-pool': { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
  },
});

function wholeNumber(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} takes a whole number ≥ ${min}`);
  return value;
}

const count = wholeNumber('clusters', values.clusters, 1);
const pageSize = wholeNumber('page-size', values['page-size'], 1);
const nodesPerPool = wholeNumber('nodes-per-pool', values['nodes-per-pool'], 0);
const concurrency = wholeNumber('concurrency', values.concurrency, 1);

/** The resource a request read, as the raw bundle names it. */
function resourceOf(request: KubeRequest): string {
  if (request.path.endsWith('/proxy/configz')) return 'configz';
  if (request.path.endsWith('/configmaps/aws-auth')) return 'awsAuth';
  return request.path.split('/').at(-1) ?? request.path;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const peer = await startKubePeer();
try {
  const fixture = generateScaleFixture(ISSUE_SCALE);
  const clusters: KubePeerCluster[] = [];
  for (let index = 0; index < count; index += 1) {
    const cluster = await peer.addCluster(`bench-${String(index).padStart(3, '0')}`);
    peer.seed(fixture, cluster.name);
    clusters.push(cluster);
  }
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const outcomes = await mapLimited(clusters, concurrency, async (cluster) => {
    const kubeConfig = tokenKubeConfig(
      cluster.name,
      { url: cluster.url, caData: peer.caData },
      peer.tokens.scanner,
    );
    const clusterStarted = performance.now();
    const outcome = await collectInCluster(kubeConfig, {
      provider: 'eks',
      pageSize,
      nodesPerPool,
      timeoutMs: 60_000,
    });
    if (!('raw' in outcome)) throw new Error(`${cluster.name} was not read: ${JSON.stringify(outcome)}`);
    const posture = normaliseInCluster(outcome.raw, { provider: 'eks' });
    const seconds = (performance.now() - clusterStarted) / 1000;
    const unknownParts = Object.entries(posture)
      .filter(([, observed]) => isUnknown(observed))
      .map(([part]) => part);
    return { seconds, requests: outcome.requests, errors: outcome.raw.errors ?? {}, unknownParts };
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const failed = outcomes.filter(
    (outcome) => Object.keys(outcome.errors).length > 0 || outcome.unknownParts.length > 0,
  );
  if (failed.length > 0) throw new Error(`clusters read with gaps: ${JSON.stringify(failed[0])}`);
  const requests = peer.requests();
  const byResource: Record<string, number> = {};
  for (const request of requests)
    byResource[resourceOf(request)] = (byResource[resourceOf(request)] ?? 0) + 1;
  const perCluster = outcomes.map((outcome) => outcome.seconds).sort((a, b) => a - b);
  const report = {
    clusters: count,
    shape: ISSUE_SCALE,
    objectsPerCluster: fixture.objects.length,
    pageSize,
    nodesPerPool,
    concurrency,
    kubeline: {
      wallSeconds: round(wallSeconds),
      secondsPerClusterMedian: round(perCluster[Math.floor(perCluster.length / 2)] ?? 0, 3),
      secondsPerClusterMax: round(perCluster.at(-1) ?? 0, 3),
      requests: requests.length,
      requestsPerCluster: round(requests.length / count),
      requestsCountedByCollector: outcomes.reduce((sum, outcome) => sum + outcome.requests, 0),
      requestsPerClusterByResource: Object.fromEntries(
        Object.entries(byResource).map(([resource, total]) => [resource, round(total / count)]),
      ),
      non200: requests.filter((request) => request.status !== 200 && request.status !== 404).length,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeScanMiB: Math.round(rssBefore / 1024 / 1024),
      covers:
        'collectInCluster (every list paged, aws-auth, configz per sampled node) and normaliseInCluster per cluster; not the checks or the cloud collection around them',
    },
    note: 'peer and scanner share one process and its 2 cores: times include the peer serving every request over TLS',
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await peer.close();
}
