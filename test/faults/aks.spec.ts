import assert from 'node:assert/strict';
import type { ScanOutcome } from '../../engine/pipeline.js';
import { AzureClientFactory, LOCAL_PEER_CREDENTIAL } from '../../providers/azure/clients.js';
import { aksSource } from '../../providers/azure/source.js';
import { type ArmChaosCall, type ArmPeer, startArmPeer } from '../peers/azure/armPeer.js';
import { readAksExports, seedAksExports, seedAksMonitoring } from '../peers/azure/seed.js';
import {
  chaosRecorder,
  FAULT_MIXES,
  faultSeed,
  listingFates,
  scan,
  scopeKey,
  summary,
  violations,
} from './harness.js';

/** A short limit per attempt, and `slow` answers well past it. */
const CALL_TIMEOUT_MS = 1_000;
const SLOW_MS = 2_500;

/** managedClusters.list of a subscription (any page): the call that lists the scope. */
const CLUSTER_LIST =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters(\?|$)/i;

describe('fault suite: AKS through the ARM peer', function () {
  this.timeout(90_000);
  const seed = faultSeed();
  let arm: ArmPeer;
  let subscriptions: string[];
  let clean: ScanOutcome;

  const source = () =>
    aksSource({
      targets: { subscriptions },
      factory: new AzureClientFactory(
        { endpoint: arm.endpoint, ca: arm.ca, maxRetries: 4, callTimeoutMs: CALL_TIMEOUT_MS },
        LOCAL_PEER_CREDENTIAL,
      ),
      concurrency: { perScope: 8, scopes: 4 },
    });

  before(async () => {
    process.stderr.write(`      fault suite (AKS): seed ${seed}; replay with FAULT_SEED=${seed}\n`);
    arm = await startArmPeer();
    const exports = await readAksExports('examples/fleet/aks');
    subscriptions = [...new Set(seedAksExports(arm, exports).map((cluster) => cluster.subscription))];
    seedAksMonitoring(arm, exports);
    // The first scan warms the peer (moto loads each service on first use) and the clients up.
    await scan([source()]);
    clean = await scan([source()]);
  });
  after(async () => {
    await arm?.close();
  });

  it('reads a handful of clusters over several subscriptions cleanly first', () => {
    assert.equal(clean.complete, true, JSON.stringify(clean.problems));
    assert.ok(subscriptions.length >= 2, `${subscriptions.length} subscriptions`);
    assert.ok(clean.clusters.length >= 3, `${clean.clusters.length} clusters`);
  });

  for (const [index, [label, mix]] of Object.entries(FAULT_MIXES).entries()) {
    it(`keeps every finding equal or unknown with a reason, and says incomplete exactly when a subscription was lost, under ${label}`, async () => {
      const recorder = chaosRecorder<ArmChaosCall>(
        mix,
        seed + index,
        (call) => `${call.operation} ${call.url}`,
      );
      arm.setChaos({ hook: recorder.hook, slowMs: SLOW_MS, random: recorder.random });
      let outcome: ScanOutcome;
      try {
        outcome = await scan([source()]);
      } finally {
        arm.setChaos(undefined);
      }
      const fates = listingFates(recorder.log, (call) => {
        const subscription = CLUSTER_LIST.exec(call.url)?.[1];
        return subscription === undefined ? [] : [scopeKey(subscription)];
      });
      const line = summary(outcome, recorder.log);
      process.stderr.write(`      ${label}: ${line}\n`);
      assert.ok(
        recorder.log.some((entry) => entry.fault !== undefined),
        'no fault was injected',
      );
      assert.deepEqual(violations(clean, outcome, fates), [], `seed ${seed + index}: ${line}`);
    });
  }
});
