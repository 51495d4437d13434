import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeScan } from '../../../cli/compose.js';
import { runCli } from '../../../cli/run.js';
import { parseConfig } from '../../../config/load.js';
import { runScan, type ScanOutcome } from '../../../engine/pipeline.js';
import type { Finding } from '../../../model/finding.js';
import { type Sandbox, startSandbox } from '../../peers/sandbox.js';

const FLEET = 'examples/fleet';
const AS_OF = '2026-11-29';
const TOOL = { name: 'kubeline', version: 'test' };

function decided(finding: Finding): boolean {
  return finding.status !== 'unknown' && finding.status !== 'error';
}

describe('live GKE scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let configPath: string;
  let liveRun: ScanOutcome;
  let snapshotRun: ScanOutcome;

  before(async () => {
    // Prepare: the sandbox seeded from the example fleet, and both scans as of the same day.
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-gke-sandbox-'));
    sandbox = await startSandbox({
      seed: FLEET,
      writeConfig: join(folder, 'kubeline.yaml'),
      versionsAsOf: AS_OF,
    });
    configPath = sandbox.configPath ?? '';
    const config = parseConfig(await readFile(configPath, 'utf8'), 'sandbox');
    const live = composeScan(config, {
      from: [],
      providers: ['gke'],
      out: join(folder, 'live'),
      tool: TOOL,
      env: sandbox.env,
    });
    const snapshot = composeScan(
      {},
      { from: [FLEET], providers: [], out: join(folder, 'snapshot'), tool: TOOL },
    );
    // Act
    liveRun = await runScan(live, { trigger: 'cli', asOf: AS_OF, formats: ['json'] });
    snapshotRun = await runScan(snapshot, { trigger: 'cli', asOf: AS_OF, formats: ['json'] });
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('agree on every check both can evaluate, for every GKE cluster of the fleet', () => {
    assert.equal(liveRun.complete, true, JSON.stringify(liveRun.problems));
    const gkeIds = snapshotRun.clusters
      .filter((cluster) => cluster.provider === 'gke')
      .map((cluster) => cluster.id)
      .sort();
    assert.equal(gkeIds.length, 5);
    assert.deepEqual(liveRun.clusters.map((cluster) => cluster.id).sort(), gkeIds);
    const fromSnapshot = new Map(
      snapshotRun.findings.map((finding) => [`${finding.clusterId} ${finding.checkId}`, finding]),
    );
    const compared: string[] = [];
    const disagreements: string[] = [];
    for (const finding of liveRun.findings) {
      const other = fromSnapshot.get(`${finding.clusterId} ${finding.checkId}`);
      if (!other || !decided(finding) || !decided(other)) continue;
      compared.push(finding.checkId);
      if (finding.status !== other.status) {
        disagreements.push(
          `${finding.clusterId} ${finding.checkId}: live ${finding.status}, --from ${other.status}`,
        );
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(compared.length >= gkeIds.length * 15, `compared ${compared.length} findings`);
  });

  it('judges the version checks with the live support dates, where --from uses the calendar', () => {
    const versionFindings = liveRun.findings.filter(
      (finding) => finding.checkId === 'VER-01' && finding.status === 'pass',
    );
    assert.ok(versionFindings.length > 0);
    assert.ok(
      versionFindings.every((finding) => finding.message.includes('(per gke:fetchClusterUpgradeInfo)')),
    );
  });

  it('runs from the command line: kubeline scan --provider gke with the written config', async () => {
    const out = await mkdtemp(join(tmpdir(), 'kubeline-cli-gke-'));
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['scan', '--provider', 'gke', '--config', configPath, '--out', out, '--fail-on', 'none'],
      {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env: sandbox.env,
        stderrIsTty: false,
      },
    );
    assert.equal(code, 0, stderr);
    const report = JSON.parse(await readFile(join(stdout.trim(), 'report.json'), 'utf8'));
    assert.equal(report.clusters.length, 5);
    assert.equal(report.run.complete, true);
  });

  it('names a project it may not list on the command line and exits 2', async () => {
    sandbox.gke.addFault({ project: 'acme-ml-dev', method: 'ListClusters', kind: 'permission-denied' });
    try {
      let stderr = '';
      const code = await runCli(
        [
          'scan',
          '--provider',
          'gke',
          '--config',
          configPath,
          '--out',
          await mkdtemp(join(tmpdir(), 'kubeline-cli-gke-')),
          '--fail-on',
          'none',
        ],
        {
          stdout: () => undefined,
          stderr: (text) => {
            stderr += text;
          },
          env: sandbox.env,
          stderrIsTty: false,
        },
      );
      assert.equal(code, 2);
      assert.match(stderr, /not read: gke acme-ml-dev: container:ListClusters failed: PERMISSION_DENIED/);
    } finally {
      sandbox.gke.clearFaults();
    }
  });
});
