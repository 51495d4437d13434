import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { type AwsPeer, startAwsPeer } from './aws/awsPeer.js';
import {
  type ExportNote,
  READ_ROLE_NAME,
  readEksExports,
  type SeededCluster,
  seedEksExports,
} from './aws/seed.js';
import { type ArmPeer, startArmPeer } from './azure/armPeer.js';
import { readAksExports, type SeededAksCluster, seedAksExports } from './azure/seed.js';
import { type GkePeer, startGkePeer } from './gcp/gkePeer.js';
import { readGkeExports, type SeededGkeCluster, seedGkeExports } from './gcp/seed.js';

/** Options of startSandbox (and of `npm run peers`). */
export interface SandboxOptions {
  /** Files or folders of exported clusters (the `--from` formats). */
  readonly seed?: string | readonly string[];
  /** Where to write a kubeline config that scans the sandbox. */
  readonly writeConfig?: string;
  /** The day DescribeClusterVersions reports support status for. Default: the day of its recorded response. */
  readonly versionsAsOf?: string;
  /** Appends moto's output to this file. */
  readonly logFile?: string;
}

/** The running local API peers. */
export interface Sandbox {
  readonly peer: AwsPeer;
  /** The Azure Resource Manager peer (HTTPS, with a CA made for this run). */
  readonly arm: ArmPeer;
  /** The kubeline config written, when asked for. */
  readonly configPath: string | undefined;
  /**
   * What the AWS SDK (and so kubeline) needs in its environment to talk to the peer.
   * AWS_DEFAULT_REGION is there for the AWS CLI v1, which does not read AWS_REGION.
   */
  readonly env: Readonly<
    Record<
      | 'AWS_ENDPOINT_URL'
      | 'AWS_ACCESS_KEY_ID'
      | 'AWS_SECRET_ACCESS_KEY'
      | 'AWS_REGION'
      | 'AWS_DEFAULT_REGION',
      string
    >
  >;
  readonly seeded: readonly SeededCluster[];
  /** AKS clusters created in the ARM peer, with their diagnostic settings. */
  readonly aksSeeded: readonly SeededAksCluster[];
  /** kubeline's GKE gRPC peer (plaintext on a loopback port, no credentials). */
  readonly gke: GkePeer;
  /** GKE clusters put into the GKE peer, each in the project of its selfLink. */
  readonly gkeSeeded: readonly SeededGkeCluster[];
  /** Exports of clouds whose peers are not part of the sandbox yet. */
  readonly skipped: readonly ExportNote[];
  stop(): Promise<void>;
}

const FALLBACK_REGION = 'us-east-1';

/** Where the ARM peer is and what it holds, for the config. */
export interface ArmPeerTarget {
  readonly endpoint: string;
  readonly caFile: string;
  readonly subscriptions: readonly string[];
}

/** Where the GKE peer listens and the projects it holds, for the config. */
export interface GkePeerTarget {
  /** `127.0.0.1:PORT`: a loopback apiEndpoint, so kubeline uses plaintext gRPC and no credentials. */
  readonly endpoint: string;
  readonly projects: readonly string[];
}

/**
 * The kubeline config for the seeded clusters: their accounts (through kubeline-read) and
 * regions, and the AKS subscriptions at the ARM peer's endpoint with the CA that signed it.
 */
export function sandboxConfig(
  seeded: readonly SeededCluster[],
  arm?: ArmPeerTarget,
  gkePeer?: GkePeerTarget,
): string {
  const accounts = [...new Set(seeded.map((cluster) => cluster.account))].sort();
  const regions = [...new Set(seeded.map((cluster) => cluster.region))].sort();
  const eks =
    accounts.length === 0
      ? { regions: [FALLBACK_REGION] }
      : {
          regions,
          accounts: accounts.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/${READ_ROLE_NAME}` })),
        };
  const aks =
    arm === undefined
      ? {}
      : {
          aks: { subscriptions: [...arm.subscriptions].sort(), endpoint: arm.endpoint },
          tls: { caFile: arm.caFile },
        };
  return (
    '# kubeline config for the local sandbox (npm run peers). The AWS SDK reaches the peer through\n' +
    '# AWS_ENDPOINT_URL: export the environment the sandbox printed before scanning.\n' +
    stringify({
      targets: {
        eks,
        ...(gkePeer === undefined || gkePeer.projects.length === 0
          ? {}
          : { gke: { projects: [...gkePeer.projects].sort(), apiEndpoint: gkePeer.endpoint } }),
        ...aks,
      },
    })
  );
}

/** Starts the AWS peer, seeds it from exported clusters and writes a config that scans it. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seedPaths =
    options.seed === undefined ? [] : typeof options.seed === 'string' ? [options.seed] : options.seed;
  const exports =
    seedPaths.length === 0 ? { clusters: [], skipped: [], problems: [] } : await readEksExports(seedPaths);
  if (exports.problems.length > 0) {
    const listed = exports.problems.map((problem) => `  ${problem.file}: ${problem.reason}`).join('\n');
    throw new Error(`cannot seed the sandbox from these exports:\n${listed}`);
  }
  const aksExports = seedPaths.length === 0 ? undefined : await readAksExports(seedPaths);
  if (aksExports !== undefined && aksExports.problems.length > 0) {
    const listed = aksExports.problems.map((problem) => `  ${problem.file}: ${problem.reason}`).join('\n');
    throw new Error(`cannot seed the ARM peer from these exports:\n${listed}`);
  }
  const gkeExports = seedPaths.length === 0 ? undefined : await readGkeExports(seedPaths);
  if (gkeExports !== undefined && gkeExports.problems.length > 0) {
    const listed = gkeExports.problems.map((problem) => `  ${problem.file}: ${problem.reason}`).join('\n');
    throw new Error(`cannot seed the GKE peer from these exports:\n${listed}`);
  }
  const gke = await startGkePeer();
  const arm = await startArmPeer();
  let peer: AwsPeer;
  try {
    peer = await startAwsPeer({
      ...(options.versionsAsOf === undefined ? {} : { versionsAsOf: options.versionsAsOf }),
      ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
    });
  } catch (error) {
    await arm.close();
    await gke.close();
    throw error;
  }
  try {
    const seeded = await seedEksExports(peer, exports.clusters);
    const aksSeeded = aksExports === undefined ? [] : seedAksExports(arm, aksExports);
    const gkeSeeded = gkeExports === undefined ? [] : seedGkeExports(gke, gkeExports.clusters);
    const gkeTarget = {
      endpoint: gke.endpoint,
      projects: [...new Set(gkeSeeded.map((cluster) => cluster.project))],
    };
    const armTarget = {
      endpoint: arm.endpoint,
      caFile: arm.caFile,
      subscriptions: [...new Set(aksSeeded.map((cluster) => cluster.subscription))],
    };
    // The seeding calls are setup, not part of what a scan of the sandbox is measured by.
    peer.clearCalls();
    const region = seeded[0]?.region ?? FALLBACK_REGION;
    if (options.writeConfig !== undefined)
      await writeFile(options.writeConfig, sandboxConfig(seeded, armTarget, gkeTarget), 'utf8');
    return {
      peer,
      arm,
      configPath: options.writeConfig,
      env: {
        AWS_ENDPOINT_URL: peer.endpoint,
        AWS_ACCESS_KEY_ID: peer.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: peer.credentials.secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
      seeded,
      aksSeeded,
      gke,
      gkeSeeded,
      // The AWS seeder notes every AKS export as skipped; the ARM peer holds them now.
      skipped: exports.skipped.filter(
        (note) => !note.reason.includes('AKS') && !(gkeExports?.files.includes(note.file) ?? false),
      ),
      stop: async () => {
        await peer.close();
        await arm.close();
        await gke.close();
      },
    };
  } catch (error) {
    await peer.close();
    await arm.close();
    await gke.close();
    throw error;
  }
}

const USAGE = `Usage: npm run peers -- [--seed DIR]... [--write-config FILE] [--as-of YYYY-MM-DD] [--log FILE]

Starts the local AWS API peer (moto 5.2.1 behind kubeline's front proxy), the HTTPS Azure
Resource Manager peer and kubeline's GKE gRPC peer, creates the EKS, AKS (with their diagnostic
settings) and GKE clusters of the exports in DIR (the --from formats), writes a kubeline config
that scans them, prints the environment to export, and runs until Ctrl+C or SIGTERM.`;

async function main(argv: readonly string[]): Promise<number> {
  let values: { seed?: string[]; 'write-config'?: string; 'as-of'?: string; log?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seed: { type: 'string', multiple: true },
        'write-config': { type: 'string' },
        'as-of': { type: 'string' },
        log: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 64;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write('Starting the AWS, ARM and GKE peers…\n');
  const sandbox = await startSandbox({
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values['write-config'] === undefined ? {} : { writeConfig: values['write-config'] }),
    ...(values['as-of'] === undefined ? {} : { versionsAsOf: values['as-of'] }),
    ...(values.log === undefined ? {} : { logFile: values.log }),
  });
  for (const note of sandbox.skipped) process.stderr.write(`Skipped ${note.file}: ${note.reason}\n`);
  for (const cluster of sandbox.seeded) {
    process.stderr.write(
      `Seeded EKS cluster ${cluster.name} in account ${cluster.account}, ${cluster.region}\n`,
    );
  }
  if (sandbox.configPath !== undefined)
    process.stderr.write(`Wrote the kubeline config to ${sandbox.configPath}\n`);
  const exports = Object.entries(sandbox.env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  for (const cluster of sandbox.aksSeeded) {
    process.stderr.write(
      `Seeded AKS cluster ${cluster.name} in subscription ${cluster.subscription}, ${cluster.location} (${cluster.diagnosticSettings} diagnostic settings)\n`,
    );
  }
  process.stdout.write(`AWS peer: ${sandbox.peer.endpoint}\nexport ${exports}\n`);
  for (const cluster of sandbox.gkeSeeded) {
    process.stderr.write(
      `Seeded GKE cluster ${cluster.name} in project ${cluster.project}, ${cluster.location}\n`,
    );
  }
  process.stdout.write(`ARM peer: ${sandbox.arm.endpoint} (CA: ${sandbox.arm.caFile})\n`);
  process.stdout.write(`GKE peer: ${sandbox.gke.endpoint} (targets.gke.apiEndpoint; plaintext gRPC)\n`);
  process.stderr.write('Running until Ctrl+C or SIGTERM.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('Stopping the peers…\n');
  await sandbox.stop();
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
