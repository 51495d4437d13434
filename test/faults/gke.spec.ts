import assert from 'node:assert/strict';
import type { ScanOutcome } from '../../engine/pipeline.js';
import { createGcpClients } from '../../providers/gcp/clients.js';
import { gkeSource } from '../../providers/gcp/source.js';
import { type GkeChaosCall, type GkePeer, startGkePeer } from '../peers/gcp/gkePeer.js';
import { EXAMPLE_FLEET_PROJECT_LOGGING, seedGkeProjectLogging } from '../peers/gcp/projectLogging.js';
import { readGkeExports, seedGkeExports } from '../peers/gcp/seed.js';
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

/** A short deadline per attempt, and `slow` answers well past it. */
const CALL_TIMEOUT_MS = 1_000;
const SLOW_MS = 2_500;

describe('fault suite: GKE through the gRPC peer', function () {
  this.timeout(60_000);
  const seed = faultSeed();
  let gke: GkePeer;
  let projects: string[];
  let clean: ScanOutcome;

  const source = () =>
    gkeSource({
      targets: { projects },
      clients: createGcpClients({
        apiEndpoint: gke.endpoint,
        maxAttempts: 5,
        callTimeoutMs: CALL_TIMEOUT_MS,
        retryDelayMs: 20,
      }),
      concurrency: { perScope: 8, scopes: 4 },
    });

  before(async () => {
    process.stderr.write(`      fault suite (GKE): seed ${seed}; replay with FAULT_SEED=${seed}\n`);
    gke = await startGkePeer();
    const exports = await readGkeExports('examples/fleet/gke');
    projects = [...new Set(seedGkeExports(gke, exports.clusters).map((cluster) => cluster.project))];
    seedGkeProjectLogging(gke, EXAMPLE_FLEET_PROJECT_LOGGING);
    // The first scan warms the peer (moto loads each service on first use) and the clients up.
    await scan([source()]);
    clean = await scan([source()]);
  });
  after(async () => {
    await gke?.close();
  });

  it('reads a handful of clusters over several projects cleanly first', () => {
    assert.equal(clean.complete, true, JSON.stringify(clean.problems));
    assert.ok(projects.length >= 2, `${projects.length} projects`);
    assert.ok(clean.clusters.length >= 3, `${clean.clusters.length} clusters`);
  });

  for (const [index, [label, mix]] of Object.entries(FAULT_MIXES).entries()) {
    it(`keeps every finding equal or unknown with a reason, and says incomplete exactly when a project was lost, under ${label}`, async () => {
      const recorder = chaosRecorder<GkeChaosCall>(
        mix,
        seed + index,
        (call) => `${call.method} ${call.resource}`,
      );
      gke.setChaos({ hook: recorder.hook, slowMs: SLOW_MS, random: recorder.random });
      let outcome: ScanOutcome;
      try {
        outcome = await scan([source()]);
      } finally {
        gke.setChaos(undefined);
      }
      const fates = listingFates(recorder.log, (call) =>
        call.method === 'ListClusters' && call.project !== undefined ? [scopeKey(call.project)] : [],
      );
      const line = summary(outcome, recorder.log);
      process.stderr.write(`      ${label}: ${line}\n`);
      assert.ok(
        recorder.log.some((entry) => entry.fault !== undefined),
        'no fault was injected',
      );
      // A swapped wire type often decodes without an error into other values: only a pass from them is a fault here.
      const undetectableCorruption = mix['type-confused'] !== undefined;
      if (undetectableCorruption) {
        const strict = violations(clean, outcome, fates);
        if (strict.length > 0)
          process.stderr.write(`      decided from corrupt protobuf: ${strict.join('; ')}\n`);
      }
      assert.deepEqual(
        violations(clean, outcome, fates, { undetectableCorruption }),
        [],
        `seed ${seed + index}: ${line}`,
      );
    });
  }
});
