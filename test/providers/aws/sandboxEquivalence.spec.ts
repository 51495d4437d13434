import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agreement, type BothWays, kubelineAgainst, scanBothWays } from '../liveAgreement.js';

describe('live EKS scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let both: BothWays;

  before(async () => {
    both = await scanBothWays('eks');
  });
  after(async () => {
    await both?.sandbox.stop();
  });

  it('agree on every check both can evaluate, for every EKS cluster of the fleet', () => {
    const result = agreement(both, 'eks');
    assert.equal(both.liveRun.complete, true, JSON.stringify(both.liveRun.problems));
    assert.equal(result.clusterIds.snapshot.length, 5);
    assert.deepEqual(result.clusterIds.live, result.clusterIds.snapshot);
    assert.deepEqual(result.disagreements, []);
    assert.ok(result.compared >= 5 * 10, `compared ${result.compared} findings`);
  });

  it('differs only where DescribeClusterVersions dates win over the calendar, and says so in the evidence', () => {
    // legacy-billing runs 1.31: the calendar ends its extended support on 2026-11-26, the recorded
    // DescribeClusterVersions on 2026-12-03, so on 2026-11-29 it is still supported live.
    const result = agreement(both, 'eks');
    assert.deepEqual(result.liveVersionChecks, ['VER-01', 'VER-02', 'VER-03', 'VER-04']);
    assert.deepEqual(result.liveVersionDifferences, [
      'arn:aws:eks:us-east-1:222222222222:cluster/legacy-billing VER-01: live fail (high), --from fail (critical)',
    ]);
  });

  it('decides more of the catalogue live than from exports, since it reads node groups, add-ons and logs too', () => {
    const unknown = (run: BothWays['liveRun']) =>
      run.findings.filter((finding) => finding.provider === 'eks' && finding.status === 'unknown').length;
    assert.ok(
      unknown(both.liveRun) < unknown(both.snapshotRun),
      `live ${unknown(both.liveRun)} unknown, --from ${unknown(both.snapshotRun)} unknown`,
    );
  });

  it('runs from the command line: kubeline scan --provider eks with the written config and the peer endpoint', async () => {
    const { code, stdout, stderr } = await kubelineAgainst(both, 'eks');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(await readFile(join(stdout.trim(), 'report.json'), 'utf8'));
    assert.equal(report.clusters.length, both.liveRun.clusters.length);
    assert.equal(report.run.complete, true);
  });

  it('names an unreachable account on the command line and exits 2', async () => {
    both.sandbox.peer.addFault({ service: 'sts', operation: 'AssumeRole', kind: 'access-denied' });
    try {
      const { code, stderr } = await kubelineAgainst(both, 'eks');
      assert.equal(code, 2);
      assert.match(stderr, /kubeline: not read: eks \d{12}: sts:AssumeRole failed: AccessDenied/);
    } finally {
      both.sandbox.peer.clearFaults();
    }
  });
});
