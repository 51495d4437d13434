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

describe('live AKS scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let configPath: string;
  let liveRun: ScanOutcome;
  let snapshotRun: ScanOutcome;

  before(async () => {
    // Prepare: the sandbox seeded from the example fleet, and both scans as of the same day.
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-aks-sandbox-'));
    sandbox = await startSandbox({
      seed: FLEET,
      writeConfig: join(folder, 'kubeline.yaml'),
      versionsAsOf: AS_OF,
    });
    configPath = sandbox.configPath ?? '';
    const config = parseConfig(await readFile(configPath, 'utf8'), 'sandbox');
    const live = composeScan(config, {
      from: [],
      providers: ['aks'],
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

  it('agree on every check both can evaluate, for every AKS cluster of the fleet', () => {
    assert.equal(liveRun.complete, true, JSON.stringify(liveRun.problems));
    const aksIds = snapshotRun.clusters
      .filter((cluster) => cluster.provider === 'aks')
      .map((cluster) => cluster.id.toLowerCase())
      .sort();
    assert.ok(aksIds.length >= 5, 'the fleet has AKS clusters to compare');
    assert.deepEqual(liveRun.clusters.map((cluster) => cluster.id.toLowerCase()).sort(), aksIds);
    const fromSnapshot = new Map(
      snapshotRun.findings.map((finding) => [
        `${finding.clusterId.toLowerCase()} ${finding.checkId}`,
        finding,
      ]),
    );
    const compared: string[] = [];
    const disagreements: string[] = [];
    for (const finding of liveRun.findings) {
      const other = fromSnapshot.get(`${finding.clusterId.toLowerCase()} ${finding.checkId}`);
      if (!other || !decided(finding) || !decided(other)) continue;
      compared.push(finding.checkId);
      if (finding.status !== other.status) {
        disagreements.push(
          `${finding.clusterId} ${finding.checkId}: live ${finding.status}, --from ${other.status}`,
        );
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(compared.length >= aksIds.length * 10, `compared ${compared.length} findings`);
  });

  it('decides the audit checks live where the export had no diagnostic settings', () => {
    const unknownAudit = (run: ScanOutcome) =>
      run.findings.filter(
        (finding) =>
          finding.provider === 'aks' && finding.checkId === 'AUD-01' && finding.status === 'unknown',
      ).length;
    assert.equal(unknownAudit(liveRun), 0);
    assert.ok(unknownAudit(snapshotRun) > 0, 'some exports come without their diagnostic settings');
  });

  it('runs from the command line: kubeline scan --provider aks with the written config, its endpoint and CA', async () => {
    const out = await mkdtemp(join(tmpdir(), 'kubeline-cli-aks-'));
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['scan', '--provider', 'aks', '--config', configPath, '--out', out, '--fail-on', 'none'],
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
    assert.equal(report.clusters.length, liveRun.clusters.length);
    assert.equal(report.run.complete, true);
    // The endpoint is a loopback peer: whatever credentials the machine has, none reach it.
    assert.deepEqual([...new Set(sandbox.arm.calls().map((call) => call.token))], ['kubeline-local-peer']);
  });

  it('names a subscription that refuses access on the command line and exits 2', async () => {
    sandbox.arm.addFault({ subscription: '00000000-0000-0000-0000-000000000002', kind: 'forbidden' });
    try {
      let stderr = '';
      const code = await runCli(
        [
          'scan',
          '--provider',
          'aks',
          '--config',
          configPath,
          '--out',
          await mkdtemp(join(tmpdir(), 'kubeline-cli-')),
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
      assert.match(
        stderr,
        /kubeline: not read: aks 00000000-0000-0000-0000-000000000002: Microsoft\.ContainerService\/managedClusters\/read failed: AuthorizationFailed/,
      );
    } finally {
      sandbox.arm.clearFaults();
    }
  });
});
