import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agreement, type BothWays, kubelineAgainst, scanBothWays } from '../liveAgreement.js';

describe('live GKE scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let both: BothWays;

  before(async () => {
    both = await scanBothWays('gke');
  });
  after(async () => {
    await both?.sandbox.stop();
  });

  it('agree on every check both can evaluate, for every GKE cluster of the fleet', () => {
    const result = agreement(both, 'gke');
    assert.equal(both.liveRun.complete, true, JSON.stringify(both.liveRun.problems));
    assert.equal(result.clusterIds.snapshot.length, 5);
    assert.deepEqual(result.clusterIds.live, result.clusterIds.snapshot);
    assert.deepEqual(result.disagreements, []);
    assert.ok(result.compared >= 5 * 15, `compared ${result.compared} findings`);
  });

  it('judges the version checks with the live support dates, where --from uses the calendar', () => {
    // The recorded fetchClusterUpgradeInfo dates differ from the calendar's by days: no verdict of
    // the fleet changes on 2026-11-29, but every live version finding cites the live dates.
    const result = agreement(both, 'gke');
    assert.deepEqual(result.liveVersionChecks, ['VER-01', 'VER-02', 'VER-03', 'VER-04']);
    assert.deepEqual(result.liveVersionDifferences, []);
    const endOfStandardSupport = (run: BothWays['liveRun'], name: string) =>
      run.findings
        .find((finding) => finding.checkId === 'VER-02' && finding.clusterId.endsWith(`/clusters/${name}`))
        ?.evidence.find((field) => /endOfStandardSupport|^supportCalendar\./.test(field.path));
    assert.deepEqual(endOfStandardSupport(both.liveRun, 'payments-core'), {
      path: 'clusterUpgradeInfo.endOfStandardSupportTimestamp',
      value: '2027-04-15T00:00:00Z',
    });
    assert.deepEqual(endOfStandardSupport(both.snapshotRun, 'payments-core'), {
      path: 'supportCalendar.gke[1.35]',
      value: { endOfStandardSupport: '2027-04-11', endOfExtendedSupport: '2028-02-11' },
    });
  });

  it('runs from the command line: kubeline scan --provider gke with the written config', async () => {
    const { code, stdout, stderr } = await kubelineAgainst(both, 'gke');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(await readFile(join(stdout.trim(), 'report.json'), 'utf8'));
    assert.equal(report.clusters.length, 5);
    assert.equal(report.run.complete, true);
  });

  it('names a project it may not list on the command line and exits 2', async () => {
    both.sandbox.gke.addFault({ project: 'acme-ml-dev', method: 'ListClusters', kind: 'permission-denied' });
    try {
      const { code, stderr } = await kubelineAgainst(both, 'gke');
      assert.equal(code, 2);
      assert.match(stderr, /not read: gke acme-ml-dev: container:ListClusters failed: PERMISSION_DENIED/);
    } finally {
      both.sandbox.gke.clearFaults();
    }
  });
});
