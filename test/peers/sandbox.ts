import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { LOCAL_PEER_TOKEN } from '../../providers/kubernetes/access.js';
import { type AwsPeer, startAwsPeer } from './aws/awsPeer.js';
import {
  type ExportNote,
  READ_ROLE_NAME,
  readEksExports,
  type SeededAccountResources,
  type SeededCluster,
  seedEksAccountResources,
  seedEksExports,
} from './aws/seed.js';
import { type ArmPeer, startArmPeer } from './azure/armPeer.js';
import {
  readAksExports,
  type SeededAksCluster,
  type SeededAksMonitoring,
  seedAksExports,
  seedAksMonitoring,
} from './azure/seed.js';
import { type GkePeer, startGkePeer } from './gcp/gkePeer.js';
import { EXAMPLE_FLEET_PROJECT_LOGGING, seedGkeProjectLogging } from './gcp/projectLogging.js';
import { readGkeExports, type SeededGkeCluster, seedGkeExports } from './gcp/seed.js';
import { KUBE_FIXTURES, type KubeFixture, type KubeFixtureName, loadKubeFixture } from './k8s/fixtures.js';
import { type KubePeer, startKubePeer } from './k8s/kubePeer.js';
import {
  aksClusterAt,
  clusterNameOfId,
  eksFieldsAt,
  fixtureOfExport,
  gkeClusterAt,
  type SandboxKubeCluster,
  sandboxKubeconfig,
  serveCluster,
} from './k8s/sandboxClusters.js';

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
  /** The log groups, metric filters, alarms and IAM OIDC providers around the EKS clusters. */
  readonly eksAccountResources: SeededAccountResources;
  /** AKS clusters created in the ARM peer, with their diagnostic settings. */
  readonly aksSeeded: readonly SeededAksCluster[];
  /** The Log Analytics workspaces, query rule and Defender plan around the AKS clusters. */
  readonly aksMonitoring: SeededAksMonitoring;
  /** kubeline's GKE gRPC peer (plaintext on a loopback port, no credentials). */
  readonly gke: GkePeer;
  /** GKE clusters put into the GKE peer, each in the project of its selfLink. */
  readonly gkeSeeded: readonly SeededGkeCluster[];
  /** The Kubernetes API peer: one port per seeded cluster, which the cluster descriptions point at. */
  readonly kube: KubePeer;
  /** The clusters the Kubernetes peer serves, with the fixture each holds. */
  readonly kubeClusters: readonly SandboxKubeCluster[];
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

/** The in-cluster pass of the sandbox: on, with a kubeconfig context for clusters without a CA in their description. */
export interface InClusterTarget {
  readonly kubeconfigFile: string;
  readonly contexts: Readonly<Record<string, string>>;
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
  inCluster?: InClusterTarget,
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
      ...(inCluster === undefined
        ? {}
        : {
            inCluster: {
              enabled: true,
              ...(Object.keys(inCluster.contexts).length === 0
                ? {}
                : { kubeconfig: { file: inCluster.kubeconfigFile, contexts: { ...inCluster.contexts } } }),
            },
          }),
    })
  );
}

/** Starts the AWS peer, seeds it from exported clusters and writes a config that scans it. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seedPaths =
    options.seed === undefined ? [] : typeof options.seed === 'string' ? [options.seed] : options.seed;
  const exports =
    seedPaths.length === 0
      ? { clusters: [], skipped: [], problems: [], inCluster: [] }
      : await readEksExports(seedPaths);
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
  const fixtures = Object.fromEntries(
    await Promise.all(KUBE_FIXTURES.map(async (name) => [name, await loadKubeFixture(name)] as const)),
  ) as Record<KubeFixtureName, KubeFixture>;
  // GKE and AKS present the local peer token; EKS tokens are checked for shape only, since the
  // sandbox cannot know the temporary keys moto hands out for the assumed kubeline-read role.
  const kube = await startKubePeer({ acceptedTokens: { [LOCAL_PEER_TOKEN]: LOCAL_PEER_TOKEN }, eks: {} });
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
    await kube.close();
    throw error;
  }
  try {
    // Each cluster with an in-cluster export is served exactly that, so `demo:live` reads what `demo` reads.
    const exported = new Map(
      exports.inCluster.map((entry) => [clusterNameOfId(entry.cluster), fixtureOfExport(entry.raw)]),
    );
    const kubeClusters: SandboxKubeCluster[] = [];
    const eksClusters = [];
    for (const cluster of exports.clusters) {
      const { served, cluster: address } = await serveCluster(
        kube,
        'eks',
        cluster.name,
        fixtures,
        exported.get(cluster.name),
      );
      kubeClusters.push(served);
      eksClusters.push({
        ...cluster,
        clusterFields: eksFieldsAt(cluster.clusterFields, address, kube.caData),
      });
    }
    const gkeClusters = [];
    for (const cluster of gkeExports?.clusters ?? []) {
      const { served, cluster: address } = await serveCluster(
        kube,
        'gke',
        cluster.name,
        fixtures,
        exported.get(cluster.name),
      );
      kubeClusters.push(served);
      gkeClusters.push({ ...cluster, cluster: gkeClusterAt(cluster.cluster, address, kube.caData) });
    }
    const aksClusters = [];
    for (const entry of aksExports?.clusters ?? []) {
      const name = typeof entry.cluster.name === 'string' ? entry.cluster.name : '';
      const { served, cluster: address } = await serveCluster(
        kube,
        'aks',
        name,
        fixtures,
        exported.get(name),
      );
      kubeClusters.push(served);
      aksClusters.push({ ...entry, cluster: aksClusterAt(entry.cluster, address) });
    }
    const seeded = await seedEksExports(peer, eksClusters);
    const eksAccountResources = await seedEksAccountResources(peer, seeded);
    const aksSeeded =
      aksExports === undefined ? [] : seedAksExports(arm, { ...aksExports, clusters: aksClusters });
    const aksMonitoring =
      aksExports === undefined
        ? { workspaces: [], rules: [], defenderSubscriptions: [] }
        : seedAksMonitoring(arm, aksExports);
    const gkeSeeded = gkeExports === undefined ? [] : seedGkeExports(gke, gkeClusters);
    // Logging settings of the example fleet's projects; any other project keeps Cloud Logging's defaults.
    seedGkeProjectLogging(gke, EXAMPLE_FLEET_PROJECT_LOGGING);
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
    if (options.writeConfig !== undefined) {
      const kubeconfigFile = path.join(path.dirname(options.writeConfig), 'kubeline.sandbox.kubeconfig');
      const withoutCa = kubeClusters.filter((cluster) => cluster.provider === 'aks');
      await writeFile(kubeconfigFile, sandboxKubeconfig(kube, withoutCa, LOCAL_PEER_TOKEN), 'utf8');
      const contexts = Object.fromEntries(withoutCa.map(({ name }) => [name, name]));
      await writeFile(
        options.writeConfig,
        sandboxConfig(seeded, armTarget, gkeTarget, { kubeconfigFile, contexts }),
        'utf8',
      );
    }
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
      eksAccountResources,
      aksSeeded,
      aksMonitoring,
      gke,
      gkeSeeded,
      kube,
      kubeClusters,
      // The AWS seeder notes every AKS export as skipped; the ARM peer holds them now.
      skipped: exports.skipped.filter(
        (note) => !note.reason.includes('AKS') && !(gkeExports?.files.includes(note.file) ?? false),
      ),
      stop: async () => {
        await peer.close();
        await arm.close();
        await gke.close();
        await kube.close();
      },
    };
  } catch (error) {
    await peer.close();
    await arm.close();
    await gke.close();
    await kube.close();
    throw error;
  }
}

const USAGE = `Usage: npm run peers -- [--seed DIR]... [--write-config FILE] [--as-of YYYY-MM-DD] [--log FILE]

Starts the local AWS API peer (moto 5.2.1 behind kubeline's front proxy), the HTTPS Azure
Resource Manager peer, kubeline's GKE gRPC peer and its HTTPS Kubernetes API peer, creates the
EKS, AKS (with their diagnostic settings) and GKE clusters of the exports in DIR (the --from
formats) with their API server addresses pointing at the Kubernetes peer, writes a kubeline
config that scans them with the in-cluster pass on, prints the environment to export, and runs
until Ctrl+C or SIGTERM.`;

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
  process.stderr.write('Starting the AWS, ARM, GKE and Kubernetes peers…\n');
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
  const { logGroups, failedAuthFilters, oidcProviders } = sandbox.eksAccountResources;
  for (const group of logGroups) {
    process.stderr.write(
      `Seeded log group ${group.name} (${group.retentionInDays === null ? 'never expires' : `${group.retentionInDays} days`})\n`,
    );
  }
  for (const filter of failedAuthFilters) {
    process.stderr.write(
      `Seeded a failed-authentication metric filter for ${filter.cluster} (${filter.alarmed ? 'with' : 'without'} an alarm)\n`,
    );
  }
  if (oidcProviders.length > 0)
    process.stderr.write(`Seeded IAM OIDC providers for ${oidcProviders.join(', ')}\n`);
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
  for (const workspace of sandbox.aksMonitoring.workspaces) {
    process.stdout.write(
      `Seeded Log Analytics workspace ${workspace.id}: ${workspace.retentionInDays} days, ${workspace.note}\n`,
    );
  }
  for (const rule of sandbox.aksMonitoring.rules) {
    process.stdout.write(`Seeded scheduled query rule ${rule}\n`);
  }
  for (const subscription of sandbox.aksMonitoring.defenderSubscriptions) {
    process.stdout.write(`Defender for Containers on subscription ${subscription}\n`);
  }
  process.stdout.write(`AWS peer: ${sandbox.peer.endpoint}\nexport ${exports}\n`);
  for (const cluster of sandbox.gkeSeeded) {
    process.stderr.write(
      `Seeded GKE cluster ${cluster.name} in project ${cluster.project}, ${cluster.location}\n`,
    );
  }
  process.stdout.write(`ARM peer: ${sandbox.arm.endpoint} (CA: ${sandbox.arm.caFile})\n`);
  process.stdout.write(`GKE peer: ${sandbox.gke.endpoint} (targets.gke.apiEndpoint; plaintext gRPC)\n`);
  for (const cluster of sandbox.kubeClusters) {
    process.stderr.write(
      `Kubernetes API of ${cluster.provider.toUpperCase()} cluster ${cluster.name}: ${cluster.url} (${cluster.fixture} fixture)\n`,
    );
  }
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
