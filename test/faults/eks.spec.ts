import assert from 'node:assert/strict';
import type { ScanOutcome } from '../../engine/pipeline.js';
import { AwsClientFactory } from '../../providers/aws/clients.js';
import { eksSource } from '../../providers/aws/source.js';
import { type AwsChaosCall, type AwsPeer, startAwsPeer } from '../peers/aws/awsPeer.js';
import {
  READ_ROLE_NAME,
  readEksExports,
  seedEksAccountResources,
  seedEksExports,
} from '../peers/aws/seed.js';
import {
  AS_OF,
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
const CALL_TIMEOUT_MS = 2_000;
const SLOW_MS = 4_000;

describe('fault suite: EKS through the AWS front proxy', function () {
  this.timeout(120_000);
  const seed = faultSeed();
  let peer: AwsPeer;
  let accounts: string[];
  let regions: string[];
  let clean: ScanOutcome;

  const source = () =>
    eksSource({
      targets: {
        regions,
        accounts: accounts.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/${READ_ROLE_NAME}` })),
      },
      factory: new AwsClientFactory({
        endpoint: peer.endpoint,
        maxAttempts: 5,
        callTimeoutMs: CALL_TIMEOUT_MS,
      }),
      baseCredentials: peer.credentials,
      homeRegion: 'us-east-1',
      concurrency: { perScope: 8, scopes: 4 },
    });

  /**
   * The calls that list a scope (account, region): AssumeRole into the account, which every region
   * of it needs, and ListClusters in the region.
   */
  const scopesListedBy = (call: AwsChaosCall): string[] => {
    if (call.service === 'sts' && call.operation === 'AssumeRole')
      return regions.map((region) => scopeKey(call.account, region));
    if (call.service === 'eks' && call.operation === 'ListClusters')
      return [scopeKey(call.account, call.region)];
    return [];
  };

  before(async () => {
    process.stderr.write(`      fault suite (EKS): seed ${seed}; replay with FAULT_SEED=${seed}\n`);
    peer = await startAwsPeer({ versionsAsOf: AS_OF });
    const exports = await readEksExports('examples/fleet/eks');
    const seeded = await seedEksExports(peer, exports.clusters);
    await seedEksAccountResources(peer, seeded);
    accounts = [...new Set(seeded.map((cluster) => cluster.account))].sort();
    regions = [...new Set(seeded.map((cluster) => cluster.region))].sort();
    peer.clearCalls();
    // The first scan warms the peer (moto loads each service on first use) and the clients up.
    await scan([source()]);
    clean = await scan([source()]);
  });
  after(async () => {
    await peer?.close();
  });

  it('reads a handful of clusters over several accounts and regions cleanly first', () => {
    assert.equal(clean.complete, true, JSON.stringify(clean.problems));
    assert.ok(accounts.length >= 2, `${accounts.length} accounts`);
    assert.ok(clean.clusters.length >= 3, `${clean.clusters.length} clusters`);
  });

  for (const [index, [label, mix]] of Object.entries(FAULT_MIXES).entries()) {
    it(`keeps every finding equal or unknown with a reason, and says incomplete exactly when a scope was lost, under ${label}`, async () => {
      const recorder = chaosRecorder<AwsChaosCall>(mix, seed + index, (call) => call.request);
      peer.setChaos({ hook: recorder.hook, slowMs: SLOW_MS, random: recorder.random });
      let outcome: ScanOutcome;
      try {
        outcome = await scan([source()]);
      } finally {
        peer.setChaos(undefined);
      }
      const fates = listingFates(recorder.log, scopesListedBy);
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
