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
  const live = await composeScan(config, {
    from: [],
    providers: [provider],
    out: join(folder, 'live'),
    tool: TOOL,
    env: sandbox.env,
  });
  const snapshot = await composeScan(
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
 * Evidence paths of each provider's live version API (DescribeClusterVersions, fetchClusterUpgradeInfo
 * and getServerConfig, listKubernetesVersions). An export holds none of them, so a finding that cites
 * one is judged by data the --from scan does not have: its dates may differ from the calendar's.
 */
const LIVE_VERSION_EVIDENCE: Readonly<Record<Provider, RegExp>> = {
  eks: /^clusterVersions\[/,
  gke: /^(clusterUpgradeInfo|serverConfig)\./,
  aks: /^kubernetesVersions\./,
};

function citesLiveVersionData(finding: Finding): boolean {
  return finding.evidence.some((field) => LIVE_VERSION_EVIDENCE[finding.provider].test(field.path));
}

function graded(finding: Finding): string {
  return `${finding.status} (${finding.severity})`;
}

/** How two runs compare on the findings of one provider. */
export interface Agreement {
  readonly clusterIds: { readonly live: string[]; readonly snapshot: string[] };
  /** Findings both runs decided (neither unknown nor error), live version data aside. */
  readonly compared: number;
  /** Where those differ in status, as readable lines. */
  readonly disagreements: string[];
  /** Checks whose live finding cites the live version API somewhere in the fleet, sorted. */
  readonly liveVersionChecks: string[];
  /** Where findings citing live version data differ from --from in status or severity, as readable lines. */
  readonly liveVersionDifferences: string[];
}

/**
 * The findings of `provider` in both runs, compared. Findings whose live evidence cites the live
 * version API are set apart rather than compared on status: live dates are documented to win over
 * the calendar, so there the two runs may rightly differ, and `liveVersionDifferences` lists how.
 */
export function agreement({ liveRun, snapshotRun }: BothWays, provider: Provider): Agreement {
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
  const liveVersionChecks = new Set<string>();
  const liveVersionDifferences: string[] = [];
  for (const finding of liveRun.findings) {
    const other = fromSnapshot.get(key(finding));
    if (finding.provider !== provider || !other || !decided(finding) || !decided(other)) continue;
    if (citesLiveVersionData(finding)) {
      liveVersionChecks.add(finding.checkId);
      if (graded(finding) !== graded(other)) {
        liveVersionDifferences.push(
          `${finding.clusterId} ${finding.checkId}: live ${graded(finding)}, --from ${graded(other)}`,
        );
      }
      continue;
    }
    compared += 1;
    if (finding.status !== other.status) {
      disagreements.push(
        `${finding.clusterId} ${finding.checkId}: live ${finding.status}, --from ${other.status}`,
      );
    }
  }
  return {
    clusterIds: { live: ids(liveRun), snapshot: ids(snapshotRun) },
    compared,
    disagreements,
    liveVersionChecks: [...liveVersionChecks].sort(),
    liveVersionDifferences,
  };
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
