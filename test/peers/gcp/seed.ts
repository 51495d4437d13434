import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseGkeClusterName } from '../../../providers/gcp/normalise.js';
import { isRawObject, lookup, type RawObject } from '../../../providers/reader.js';
import { detectShape } from '../../../providers/snapshot/shapes.js';
import type { GkePeer } from './gkePeer.js';

/** A GKE cluster created in the peer. */
export interface SeededGkeCluster {
  readonly project: string;
  readonly location: string;
  readonly name: string;
}

/** One cluster of an export, with where it lives. */
export interface GkeExport extends SeededGkeCluster {
  readonly file: string;
  readonly cluster: RawObject;
}

export interface GkeExportNote {
  readonly file: string;
  readonly reason: string;
}

/** What a folder of exports holds for the GKE peer. */
export interface GkeExports {
  readonly clusters: readonly GkeExport[];
  /** Files that hold GKE clusters (the AWS seeder reports them as skipped). */
  readonly files: readonly string[];
  readonly problems: readonly GkeExportNote[];
}

async function jsonFiles(paths: readonly string[]): Promise<{ files: string[]; problems: GkeExportNote[] }> {
  const files: string[] = [];
  const problems: GkeExportNote[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (info?.isDirectory()) {
      const below = await readdir(given, { recursive: true });
      files.push(
        ...below
          .filter((entry) => entry.toLowerCase().endsWith('.json'))
          .sort()
          .map((entry) => path.join(given, entry)),
      );
    } else if (info?.isFile()) files.push(given);
    else problems.push({ file: given, reason: 'no such file or folder' });
  }
  return { files, problems };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads the GKE clusters of exports in the `--from` formats (gcloud describe/list JSON, the REST
 * `{clusters: []}` list, snake_case dumps with numeric enums) with kubeline's own shape detection.
 * Other clouds' files are left to their peers; unparseable files are not this reader's to report.
 */
export async function readGkeExports(paths: string | readonly string[]): Promise<GkeExports> {
  const { files, problems } = await jsonFiles(typeof paths === 'string' ? [paths] : paths);
  const clusters: GkeExport[] = [];
  const gkeFiles: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    } catch {
      continue;
    }
    const shape = detectShape(document);
    if ('error' in shape) continue;
    for (const entry of shape.entries) {
      if (entry.kind !== 'gke' || !isRawObject(entry.cluster)) continue;
      if (!gkeFiles.includes(file)) gkeFiles.push(file);
      const cluster = entry.cluster;
      const name = text(lookup(cluster, 'name'));
      const link = parseGkeClusterName(text(lookup(cluster, 'selfLink')) ?? '');
      const location = text(lookup(cluster, 'location')) ?? text(lookup(cluster, 'zone')) ?? link?.location;
      if (name === undefined || link === undefined || location === undefined) {
        problems.push({
          file,
          reason: `GKE cluster ${name ?? '(no name)'} has no selfLink naming its project`,
        });
        continue;
      }
      const key = `${link.project}/${location}/${name}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.push({ file, reason: `cluster ${key} is already in ${earlier}` });
        continue;
      }
      seen.set(key, file);
      clusters.push({ file, project: link.project, location, name, cluster });
    }
  }
  return { clusters, files: gkeFiles, problems };
}

/** Puts the exported clusters into the peer, each in the project of its selfLink. */
export function seedGkeExports(peer: GkePeer, clusters: readonly GkeExport[]): SeededGkeCluster[] {
  for (const cluster of clusters) peer.putClusters(cluster.project, [cluster.cluster]);
  return clusters.map(({ project, location, name }) => ({ project, location, name }));
}

export interface GkeFleetOptions {
  readonly count: number;
  /** Clusters are dealt round-robin over these projects. */
  readonly projects: readonly string[];
  /** Names are `<prefix>-0001`, … Default `cluster`. */
  readonly prefix?: string;
}

const LOCATIONS = ['us-central1', 'europe-west1', 'asia-east1-a', 'us-east1-b'];
const VERSIONS = ['1.36.2-gke.1100000', '1.35.4-gke.1200000', '1.34.6-gke.1300000', '1.33.9-gke.1400000'];
const CHANNELS = ['RAPID', 'REGULAR', 'STABLE', 'EXTENDED', undefined];

/**
 * A varied but reproducible cluster in REST JSON: Standard and Autopilot, old and new endpoint
 * models, CMEK or not, Dataplane V2 or Calico, channels and versions rotate with the index.
 */
export function generatedCluster(index: number, project: string, name: string): RawObject {
  const location = LOCATIONS[index % LOCATIONS.length] ?? 'us-central1';
  const version = VERSIONS[index % VERSIONS.length] ?? '1.35.4-gke.1200000';
  const channel = CHANNELS[index % CHANNELS.length];
  const autopilot = index % 7 === 0;
  const newEndpoints = index % 2 === 0;
  return {
    name,
    location,
    selfLink: `https://container.googleapis.com/v1/projects/${project}/locations/${location}/clusters/${name}`,
    currentMasterVersion: version,
    status: 'RUNNING',
    resourceLabels: { fleet: 'generated', index: String(index) },
    ...(autopilot ? { autopilot: { enabled: true } } : {}),
    ...(channel ? { releaseChannel: { channel } } : {}),
    legacyAbac: index % 11 === 0 ? { enabled: true } : {},
    masterAuth: { clusterCaCertificate: 'cGxhY2Vob2xkZXI=' },
    ...(newEndpoints
      ? {
          controlPlaneEndpointsConfig: {
            ipEndpointsConfig: {
              enabled: true,
              enablePublicEndpoint: index % 4 === 0,
              privateEndpoint: '10.0.0.2',
              authorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '203.0.113.0/24' }] },
            },
          },
        }
      : {
          privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: index % 3 === 0 },
          masterAuthorizedNetworksConfig:
            index % 5 === 0 ? { enabled: true, cidrBlocks: [{ cidrBlock: '0.0.0.0/0' }] } : {},
        }),
    databaseEncryption:
      index % 3 === 0
        ? {
            state: 'ENCRYPTED',
            keyName: `projects/${project}/locations/${location}/keyRings/gke/cryptoKeys/etcd`,
          }
        : { state: 'DECRYPTED' },
    networkConfig: { datapathProvider: index % 2 === 0 ? 'ADVANCED_DATAPATH' : 'LEGACY_DATAPATH' },
    networkPolicy: index % 2 === 0 ? {} : { provider: 'CALICO', enabled: index % 4 === 1 },
    loggingService: 'logging.googleapis.com/kubernetes',
    loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'] } },
    securityPostureConfig: { mode: index % 2 === 0 ? 'BASIC' : 'DISABLED' },
    nodePools: autopilot
      ? []
      : [
          {
            name: 'default-pool',
            version,
            config: {
              serviceAccount: index % 3 === 0 ? 'default' : `nodes@${project}.iam.gserviceaccount.com`,
              kubeletConfig: { insecureKubeletReadonlyPortEnabled: index % 6 === 0 },
              shieldedInstanceConfig: { enableSecureBoot: index % 2 === 0, enableIntegrityMonitoring: true },
            },
            management: { autoUpgrade: true, autoRepair: true },
          },
        ],
  };
}

/** Puts `count` generated clusters into the peer. */
export function seedGkeFleet(peer: GkePeer, options: GkeFleetOptions): SeededGkeCluster[] {
  if (options.projects.length === 0) throw new Error('seedGkeFleet needs at least one project');
  const prefix = options.prefix ?? 'cluster';
  const width = Math.max(4, String(options.count).length);
  const byProject = new Map<string, RawObject[]>();
  const seeded: SeededGkeCluster[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const project = options.projects[index % options.projects.length] ?? '';
    const name = `${prefix}-${String(index + 1).padStart(width, '0')}`;
    const cluster = generatedCluster(index, project, name);
    byProject.set(project, [...(byProject.get(project) ?? []), cluster]);
    seeded.push({ project, location: String(cluster.location), name });
  }
  for (const [project, clusters] of byProject) peer.putClusters(project, clusters);
  return seeded;
}
