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

function unknownEksFindings(run: ScanOutcome): number {
  return run.findings.filter((finding) => finding.provider === 'eks' && finding.status === 'unknown').length;
}

describe('live scan of the sandbox and --from scan of the same exports', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let configPath: string;
  let liveRun: ScanOutcome;
  let snapshotRun: ScanOutcome;

  before(async () => {
    // Prepare: the sandbox seeded from the example fleet, and both scans as of the same day.
    const folder = await mkdtemp(join(tmpdir(), 'kubeline-sandbox-'));
    sandbox = await startSandbox({
      seed: FLEET,
      writeConfig: join(folder, 'kubeline.yaml'),
      versionsAsOf: AS_OF,
    });
    configPath = sandbox.configPath ?? '';
    const config = parseConfig(await readFile(configPath, 'utf8'), 'sandbox');
    const live = composeScan(config, {
      from: [],
      providers: ['eks'],
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

  it('agree on every check both can evaluate, for every EKS cluster of the fleet', () => {
    assert.equal(liveRun.complete, true, JSON.stringify(liveRun.problems));
    const eksIds = snapshotRun.clusters
      .filter((cluster) => cluster.provider === 'eks')
      .map((cluster) => cluster.id)
      .sort();
    assert.ok(eksIds.length >= 4, 'the fleet has EKS clusters to compare');
    assert.deepEqual(liveRun.clusters.map((cluster) => cluster.id).sort(), eksIds);
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
    assert.ok(compared.length >= eksIds.length * 10, `compared ${compared.length} findings`);
  });

  it('decides more of the catalogue live than from exports, since it reads node groups, add-ons and logs too', () => {
    assert.ok(
      unknownEksFindings(liveRun) < unknownEksFindings(snapshotRun),
      `live ${unknownEksFindings(liveRun)} unknown, --from ${unknownEksFindings(snapshotRun)} unknown`,
    );
  });

  it('runs from the command line: kubeline scan --provider eks with the written config and the peer endpoint', async () => {
    const out = await mkdtemp(join(tmpdir(), 'kubeline-cli-live-'));
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      ['scan', '--provider', 'eks', '--config', configPath, '--out', out, '--fail-on', 'none'],
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
  });

  it('names an unreachable account on the command line and exits 2', async () => {
    sandbox.peer.addFault({ service: 'sts', operation: 'AssumeRole', kind: 'access-denied' });
    try {
      let stderr = '';
      const code = await runCli(
        [
          'scan',
          '--provider',
          'eks',
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
      assert.match(stderr, /kubeline: not read: eks \d{12}: sts:AssumeRole failed: AccessDenied/);
    } finally {
      sandbox.peer.clearFaults();
    }
  });
});
