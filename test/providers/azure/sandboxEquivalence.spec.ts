import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agreement, type BothWays, kubelineAgainst, scanBothWays } from '../liveAgreement.js';

describe('live AKS scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let both: BothWays;

  before(async () => {
    both = await scanBothWays('aks');
  });
  after(async () => {
    await both?.sandbox.stop();
  });

  it('agree on every check both can evaluate, for every AKS cluster of the fleet', () => {
    const result = agreement(both, 'aks');
    assert.equal(both.liveRun.complete, true, JSON.stringify(both.liveRun.problems));
    assert.equal(result.clusterIds.snapshot.length, 5);
    assert.deepEqual(result.clusterIds.live, result.clusterIds.snapshot);
    assert.deepEqual(result.disagreements, []);
    assert.ok(result.compared >= 5 * 10, `compared ${result.compared} findings`);
  });

  it('takes the newest version from listKubernetesVersions, which states no dates, so no verdict differs', () => {
    const result = agreement(both, 'aks');
    assert.deepEqual(result.liveVersionChecks, ['VER-01', 'VER-02', 'VER-03']);
    assert.deepEqual(result.liveVersionDifferences, []);
  });

  it('decides the audit checks live where the export had no diagnostic settings', () => {
    const unknownAudit = (run: BothWays['liveRun']) =>
      run.findings.filter(
        (finding) =>
          finding.provider === 'aks' && finding.checkId === 'AUD-01' && finding.status === 'unknown',
      ).length;
    assert.equal(unknownAudit(both.liveRun), 0);
    assert.ok(unknownAudit(both.snapshotRun) > 0, 'some exports come without their diagnostic settings');
  });

  it('runs from the command line: kubeline scan --provider aks with the written config, its endpoint and CA', async () => {
    const { code, stdout, stderr } = await kubelineAgainst(both, 'aks');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(await readFile(join(stdout.trim(), 'report.json'), 'utf8'));
    assert.equal(report.clusters.length, both.liveRun.clusters.length);
    assert.equal(report.run.complete, true);
    // The endpoint is a loopback peer: whatever credentials the machine has, none reach it.
    assert.deepEqual(
      [...new Set(both.sandbox.arm.calls().map((call) => call.token))],
      ['kubeline-local-peer'],
    );
  });

  it('names a subscription that refuses access on the command line and exits 2', async () => {
    both.sandbox.arm.addFault({ subscription: '00000000-0000-0000-0000-000000000002', kind: 'forbidden' });
    try {
      const { code, stderr } = await kubelineAgainst(both, 'aks');
      assert.equal(code, 2);
      assert.match(
        stderr,
        /kubeline: not read: aks 00000000-0000-0000-0000-000000000002: Microsoft\.ContainerService\/managedClusters\/read failed: AuthorizationFailed/,
      );
    } finally {
      both.sandbox.arm.clearFaults();
    }
  });
});
