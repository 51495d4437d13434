import assert from 'node:assert/strict';
import { request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { createGcpClients, type GcpClients } from '../../providers/gcp/clients.js';
import { type ArmPeer, startArmPeer } from './azure/armPeer.js';
import { type GkePeer, startGkePeer } from './gcp/gkePeer.js';
import { addLatency, removeLatency } from './latency.js';

const LATENCY_MS = 150;

/** Milliseconds one GET of the ARM peer's subscription list takes. */
function timedArmGet(peer: ArmPeer): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(
      new URL('/subscriptions?api-version=2022-12-01', peer.endpoint),
      { ca: peer.ca, headers: { authorization: 'Bearer t' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(performance.now() - started));
      },
    )
      .on('error', reject)
      .end();
  });
}

describe('test/peers/latency: per-request latency through the peers’ hooks', function () {
  this.timeout(30_000);
  let arm: ArmPeer;
  let gke: GkePeer;
  let clients: GcpClients;

  before(async () => {
    [arm, gke] = await Promise.all([startArmPeer(), startGkePeer()]);
    clients = createGcpClients({ apiEndpoint: gke.endpoint, maxAttempts: 1, callTimeoutMs: 10_000 });
    // The first gRPC call loads the client's protos: not what the latency tests time.
    await clients.clusters.listClusters({ parent: 'projects/warm/locations/-' });
  });
  afterEach(() => removeLatency({ arm, gke }));
  after(async () => {
    await clients?.close();
    await Promise.all([arm?.close(), gke?.close()]);
  });

  it('holds every ARM request the latency and counts it by operation', async () => {
    const meter = addLatency({ arm }, LATENCY_MS);
    const elapsed = [await timedArmGet(arm), await timedArmGet(arm)];
    for (const ms of elapsed) assert.ok(ms >= LATENCY_MS - 1, `answered after ${ms} ms`);
    assert.equal(meter.calls(), 2);
    assert.deepEqual(meter.byOperation(), { 'aks:Microsoft.Resources/subscriptions/read': 2 });
  });

  it('holds every GKE call the latency, one stream at a time, and counts it by method', async () => {
    const meter = addLatency({ gke }, LATENCY_MS);
    const started = performance.now();
    await Promise.all([
      clients.clusters.listClusters({ parent: 'projects/p1/locations/-' }),
      clients.clusters.getServerConfig({ name: 'projects/p1/locations/us-central1' }),
    ]);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= LATENCY_MS - 1, `answered after ${elapsed} ms`);
    // Held side by side on one HTTP/2 connection, not one after the other.
    assert.ok(elapsed < LATENCY_MS * 2, `answered after ${elapsed} ms`);
    assert.deepEqual(meter.byOperation(), { 'gke:GetServerConfig': 1, 'gke:ListClusters': 1 });
  });

  it('only counts at 0 ms, and records when the first and last requests arrived', async () => {
    const ticks = [10, 25];
    const meter = addLatency({ arm, gke }, 0, () => ticks.shift() ?? Number.NaN);
    assert.equal(meter.firstAt(), undefined);
    await timedArmGet(arm);
    await clients.clusters.listClusters({ parent: 'projects/p1/locations/-' });
    assert.deepEqual(
      { calls: meter.calls(), first: meter.firstAt(), last: meter.lastAt() },
      { calls: 2, first: 10, last: 25 },
    );
    meter.reset();
    assert.deepEqual(
      {
        calls: meter.calls(),
        byOperation: meter.byOperation(),
        first: meter.firstAt(),
        last: meter.lastAt(),
      },
      { calls: 0, byOperation: {}, first: undefined, last: undefined },
    );
  });

  it('stops holding and counting once removed', async () => {
    const meter = addLatency({ arm }, LATENCY_MS);
    removeLatency({ arm });
    await timedArmGet(arm);
    assert.equal(meter.calls(), 0);
  });

  it('refuses a latency that is not a number of milliseconds ≥ 0', () => {
    assert.throws(() => addLatency({ arm }, -1), RangeError);
    assert.throws(() => addLatency({ arm }, Number.NaN), RangeError);
  });
});
