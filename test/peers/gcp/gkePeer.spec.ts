import assert from 'node:assert/strict';
import { createGcpClients, type GcpClients } from '../../../providers/gcp/clients.js';
import { type GkePeer, startGkePeer } from './gkePeer.js';
import { generatedCluster, readGkeExports } from './seed.js';

/** The gRPC status code of a rejected call. */
async function codeOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

describe('the GKE test peer, through the real Google clients', function () {
  this.timeout(30_000);
  let peer: GkePeer;
  let google: GcpClients;

  before(async () => {
    peer = await startGkePeer();
    google = createGcpClients({ apiEndpoint: peer.endpoint, maxAttempts: 1, callTimeoutMs: 5000 });
  });
  after(async () => {
    await google?.close();
    await peer?.close();
  });
  beforeEach(() => peer.reset());

  it('lists one location or all of them, and gets one cluster by its resource name', async () => {
    peer.putClusters('p', [generatedCluster(0, 'p', 'a'), generatedCluster(1, 'p', 'b')]);
    const [all] = await google.clusters.listClusters({ parent: 'projects/p/locations/-' });
    assert.deepEqual(
      all.clusters?.map((cluster) => `${cluster.location}/${cluster.name}`),
      ['us-central1/a', 'europe-west1/b'],
    );
    const [one] = await google.clusters.listClusters({ parent: 'projects/p/locations/europe-west1' });
    assert.deepEqual(
      one.clusters?.map((cluster) => cluster.name),
      ['b'],
    );
    const [cluster] = await google.clusters.getCluster({
      name: 'projects/p/locations/us-central1/clusters/a',
    });
    assert.equal(cluster.currentMasterVersion, '1.36.2-gke.1100000');
    assert.equal(
      await codeOf(google.clusters.getCluster({ name: 'projects/p/locations/x/clusters/none' })),
      5,
    );
  });

  it('answers UNIMPLEMENTED for the methods it does not serve', async () => {
    assert.equal(
      await codeOf(google.clusters.listNodePools({ parent: 'projects/p/locations/l/clusters/c' })),
      12,
    );
  });

  it('answers the recorded version responses, whose dates differ from the calendar, unless a test sets its own', async () => {
    // Prepare: a 1.34 cluster, whose standard support ends on 2026-10-01 in kubeline's calendar.
    peer.putClusters('p', [
      generatedCluster(2, 'p', 'c'),
      { ...generatedCluster(3, 'p', 'old'), currentMasterVersion: '1.20.15-gke.13700' },
    ]);
    // Act
    const [info] = await google.clusters.fetchClusterUpgradeInfo({
      name: 'projects/p/locations/asia-east1-a/clusters/c',
    });
    const [unrecorded] = await google.clusters.fetchClusterUpgradeInfo({
      name: 'projects/p/locations/us-east1-b/clusters/old',
    });
    const [config] = await google.clusters.getServerConfig({ name: 'projects/p/locations/asia-east1-a' });
    peer.setServerConfig('asia-east1-a', { validMasterVersions: ['1.37.0-gke.1'] });
    const [overridden] = await google.clusters.getServerConfig({ name: 'projects/p/locations/asia-east1-a' });
    // Assess
    assert.deepEqual(
      [info.endOfStandardSupportTimestamp, info.endOfExtendedSupportTimestamp, info.autoUpgradeStatus],
      ['2026-10-08T00:00:00Z', '2027-10-06T00:00:00Z', ['ACTIVE']],
    );
    assert.deepEqual(
      [unrecorded.endOfStandardSupportTimestamp ?? null, unrecorded.autoUpgradeStatus],
      [null, ['UNKNOWN']],
    );
    assert.deepEqual(config.validMasterVersions, [
      '1.36.4-gke.1203000',
      '1.36.3-gke.1640000',
      '1.35.8-gke.1150000',
      '1.35.7-gke.1222000',
    ]);
    assert.deepEqual(
      config.channels?.map((channel) => [channel.channel, channel.validVersions?.[0]]),
      [
        ['RAPID', '1.36.4-gke.1203000'],
        ['REGULAR', '1.36.3-gke.1640000'],
        ['STABLE', '1.35.7-gke.1222000'],
        ['EXTENDED', '1.36.3-gke.1640000'],
      ],
    );
    assert.deepEqual(overridden.validMasterVersions, ['1.37.0-gke.1']);
  });

  it('pages SearchProjects, which the client follows to the end', async () => {
    for (let index = 0; index < 120; index += 1)
      peer.addProject(`p-${String(index).padStart(3, '0')}`, { parent: 'folders/1' });
    const [projects] = await (await google.resourceManager()).projects.searchProjects({
      query: 'parent:folders/1',
    });
    assert.equal(projects.length, 120);
    assert.equal(peer.calls().filter((call) => call.method === 'SearchProjects').length, 3);
  });

  it('seeds from every --from shape: gcloud describe and list, snake_case dumps with numeric enums', async () => {
    const exports = await readGkeExports([
      'examples/fleet/gke',
      'test/fixtures/raw/gke/cluster-snake-case.json',
    ]);
    assert.deepEqual(exports.problems, []);
    assert.equal(exports.clusters.length, 6);
    for (const cluster of exports.clusters) peer.putClusters(cluster.project, [cluster.cluster]);
    const snake = exports.clusters.find((cluster) => cluster.file.endsWith('cluster-snake-case.json'));
    assert.ok(snake);
    const [listed] = await google.clusters.listClusters({ parent: `projects/${snake.project}/locations/-` });
    const served = listed.clusters?.find((cluster) => cluster.name === snake.name);
    assert.ok(served?.currentMasterVersion, 'snake_case fields arrive under their API names');
  });

  it('records each call with its status, including injected faults', async () => {
    peer.addFault({ project: 'p', method: 'ListClusters', kind: 'resource-exhausted', times: 1 });
    assert.equal(await codeOf(google.clusters.listClusters({ parent: 'projects/p/locations/-' })), 8);
    await google.clusters.listClusters({ parent: 'projects/p/locations/-' });
    assert.deepEqual(peer.calls(), [
      { method: 'ListClusters', resource: 'projects/p/locations/-', project: 'p', code: 8 },
      { method: 'ListClusters', resource: 'projects/p/locations/-', project: 'p', code: 0 },
    ]);
  });

  it('serves Cloud Logging buckets and metrics and Monitoring alert policies per project, with faults by method', async () => {
    // Prepare
    peer.setLogBucket('p', '_Default', { retentionDays: 90 });
    peer.putLogMetrics('p', [{ name: 'm', filter: 'resource.type="k8s_cluster"', disabled: true }]);
    peer.putAlertPolicies('p', [{ displayName: 'a', enabled: false, conditions: [] }]);
    peer.addFault({ project: 'q', method: 'ListLogMetrics', kind: 'permission-denied' });
    // Act
    const { logConfig, logMetrics, alertPolicies } = await google.logging();
    const [own] = await logConfig.getBucket({ name: 'projects/p/locations/global/buckets/_Default' });
    const [builtIn] = await logConfig.getBucket({
      name: 'projects/q/locations/global/buckets/_Required',
    });
    const [metrics] = await logMetrics.listLogMetrics({ parent: 'projects/p' });
    const [policies] = await alertPolicies.listAlertPolicies({ name: 'projects/p' });
    const [none] = await alertPolicies.listAlertPolicies({ name: 'projects/q' });
    // Assess
    assert.deepEqual([own.name, own.retentionDays], ['projects/p/locations/global/buckets/_Default', 90]);
    assert.deepEqual([builtIn.retentionDays, builtIn.locked], [400, true]);
    assert.deepEqual(
      metrics.map((metric) => [metric.name, metric.filter, metric.disabled]),
      [['m', 'resource.type="k8s_cluster"', true]],
    );
    assert.deepEqual(
      policies.map((policy) => [policy.name, policy.displayName, policy.enabled]),
      [['projects/p/alertPolicies/1', 'a', { value: false }]],
    );
    assert.deepEqual(none, []);
    assert.equal(await codeOf(logMetrics.listLogMetrics({ parent: 'projects/q' })), 7);
    assert.equal(await codeOf(logConfig.getBucket({ name: 'projects/p/locations/global/buckets/mine' })), 5);
    assert.equal(await codeOf(logConfig.getBucket({ name: 'not-a-bucket' })), 3);
    assert.equal(await codeOf(alertPolicies.listAlertPolicies({ name: 'organizations/1' })), 3);
  });
});
