import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeScan } from '../../cli/compose.js';
import { runCli } from '../../cli/run.js';
import { parseConfig } from '../../config/load.js';
import { runScan, type ScanOutcome } from '../../engine/pipeline.js';
import type { Finding } from '../../model/finding.js';
import type { Provider } from '../../model/posture.js';
import { type Sandbox, startSandbox } from '../peers/sandbox.js';

export const FLEET = 'examples/fleet';
export const AS_OF = '2026-11-29';
const TOOL = { name: 'kubeline', version: 'test' };

/** The sandbox seeded from the example fleet, and one provider scanned live and from the exports, as of one day. */
export interface BothWays {
  readonly sandbox: Sandbox;
  readonly configPath: string;
  readonly liveRun: ScanOutcome;
  readonly snapshotRun: ScanOutcome;
}

export async function scanBothWays(provider: Provider): Promise<BothWays> {
  const folder = await mkdtemp(join(tmpdir(), `kubeline-${provider}-sandbox-`));
  const sandbox = await startSandbox({
    seed: FLEET,
    writeConfig: join(folder, 'kubeline.yaml'),
    versionsAsOf: AS_OF,
  });
  const configPath = sandbox.configPath ?? '';
  const config = parseConfig(await readFile(configPath, 'utf8'), 'sandbox');
  const live = composeScan(config, {
    from: [],
    providers: [provider],
    out: join(folder, 'live'),
    tool: TOOL,
    env: sandbox.env,
  });
  const snapshot = composeScan(
    {},
    { from: [FLEET], providers: [], out: join(folder, 'snapshot'), tool: TOOL },
  );
  const liveRun = await runScan(live, { trigger: 'cli', asOf: AS_OF, formats: ['json'] });
  const snapshotRun = await runScan(snapshot, { trigger: 'cli', asOf: AS_OF, formats: ['json'] });
  return { sandbox, configPath, liveRun, snapshotRun };
}

function decided(finding: Finding): boolean {
  return finding.status !== 'unknown' && finding.status !== 'error';
}

/** Cluster ids compare case-insensitively: ARM ids keep the casing of whoever wrote them. */
function key(finding: Finding): string {
  return `${finding.clusterId.toLowerCase()} ${finding.checkId}`;
}

/**
 * Findings of `provider` that both runs decided (neither unknown nor error), and those where they
 * disagree, as readable lines.
 */
export function agreement(
  { liveRun, snapshotRun }: BothWays,
  provider: Provider,
): { clusterIds: { live: string[]; snapshot: string[] }; compared: number; disagreements: string[] } {
  const ids = (run: ScanOutcome) =>
    run.clusters
      .filter((cluster) => cluster.provider === provider)
      .map((cluster) => cluster.id.toLowerCase())
      .sort();
  const fromSnapshot = new Map(
    snapshotRun.findings
      .filter((finding) => finding.provider === provider)
      .map((finding) => [key(finding), finding]),
  );
  let compared = 0;
  const disagreements: string[] = [];
  for (const finding of liveRun.findings) {
    const other = fromSnapshot.get(key(finding));
    if (finding.provider !== provider || !other || !decided(finding) || !decided(other)) continue;
    compared += 1;
    if (finding.status !== other.status) {
      disagreements.push(
        `${finding.clusterId} ${finding.checkId}: live ${finding.status}, --from ${other.status}`,
      );
    }
  }
  return { clusterIds: { live: ids(liveRun), snapshot: ids(snapshotRun) }, compared, disagreements };
}

/** Runs the kubeline command line in-process against the sandbox, capturing its output. */
export async function kubelineAgainst(
  both: BothWays,
  provider: Provider,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = await mkdtemp(join(tmpdir(), `kubeline-cli-${provider}-`));
  const code = await runCli(
    ['scan', '--provider', provider, '--config', both.configPath, '--out', out, '--fail-on', 'none'],
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: both.sandbox.env,
      stderrIsTty: false,
      now: () => new Date(`${AS_OF}T12:00:00Z`),
    },
  );
  return { code, stdout, stderr };
}
