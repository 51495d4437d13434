import type { Observed, SourceField } from '../../model/observed.js';
import { known, unknown } from '../../model/observed.js';
import type { LiveVersionSupport } from '../../model/posture.js';
import type { VersionSupportWindow } from '../../model/support.js';
import { compareMinor, type KubernetesVersion, parseKubernetesVersion } from '../../model/version.js';
import type { Collected } from '../collected.js';
import {
  child,
  dayOfTimestamp,
  descend,
  element,
  isRawObject,
  nonEmptyString,
  readArray,
  readEnum,
  readString,
  rootNode,
  sourceOf,
  toJson,
} from '../reader.js';
import { RELEASE_CHANNEL } from './enums.js';

/** The live version inputs of one GKE cluster; both absent in a snapshot. */
export interface GkeVersionInputs {
  /** clusters.fetchClusterUpgradeInfo of the cluster (`ClusterUpgradeInfo`). */
  readonly upgradeInfo?: Collected<unknown>;
  /** projects.locations.getServerConfig of the cluster's location (`ServerConfig`). */
  readonly serverConfig?: Collected<unknown>;
}

const SNAPSHOT_REASON = 'fetchClusterUpgradeInfo not read in a snapshot; using the bundled calendar';
const SOURCE = 'gke:fetchClusterUpgradeInfo';

function newestOf(versions: readonly unknown[]): KubernetesVersion | undefined {
  return versions
    .map((version) => (typeof version === 'string' ? parseKubernetesVersion(version) : undefined))
    .filter((version): version is KubernetesVersion => version !== undefined)
    .sort((a, b) => compareMinor(b, a))[0];
}

/**
 * The newest version the cluster could move to: the newest valid version of its release channel
 * (CHECKS.md VER-03), or, off any channel, the newest valid control-plane version of the location.
 */
function newestAvailable(
  serverConfig: unknown,
  channel: string,
): { readonly version: KubernetesVersion; readonly source: SourceField } | undefined {
  const config = rootNode(serverConfig, 'serverConfig');
  if (channel !== 'UNSPECIFIED') {
    const channels = child(config, 'channels');
    const list = readArray(channels);
    for (const [index, entry] of (list.kind === 'value' ? list.value : []).entries()) {
      const node = element(channels, entry, index);
      const name = readEnum(child(node, 'channel'), RELEASE_CHANNEL);
      if (name.kind !== 'value' || name.value !== channel) continue;
      const valid = readArray(child(node, 'validVersions'));
      const newest = valid.kind === 'value' ? newestOf(valid.value) : undefined;
      if (newest) {
        return {
          version: newest,
          source: { path: `serverConfig.channels[channel=${channel}].validVersions`, value: toJson(entry) },
        };
      }
    }
  }
  const masters = child(config, 'validMasterVersions');
  const valid = readArray(masters);
  const newest = valid.kind === 'value' ? newestOf(valid.value) : undefined;
  return newest ? { version: newest, source: sourceOf(masters) } : undefined;
}

/**
 * Support dates of the cluster's current minor from fetchClusterUpgradeInfo, and the newest
 * version on offer from getServerConfig. Either call missing leaves the whole field unknown, so the
 * version checks fall back to the bundled calendar and say why.
 */
export function gkeVersionSupport(inputs: GkeVersionInputs, cluster: unknown): Observed<LiveVersionSupport> {
  const { upgradeInfo, serverConfig } = inputs;
  if (upgradeInfo === undefined || serverConfig === undefined) return unknown(SNAPSHOT_REASON);
  if ('missing' in upgradeInfo) return unknown(`${upgradeInfo.missing}; using the bundled calendar`);
  if ('missing' in serverConfig) return unknown(`${serverConfig.missing}; using the bundled calendar`);
  const root = rootNode(cluster, 'cluster');
  const channelRead = readEnum(descend(root, 'releaseChannel', 'channel'), RELEASE_CHANNEL);
  const channel = channelRead.kind === 'value' ? channelRead.value : 'UNSPECIFIED';
  const newest = newestAvailable(serverConfig.ok, channel);
  if (newest === undefined) {
    return unknown(
      'getServerConfig listed no valid version for the cluster; using the bundled calendar',
      sourceOf(rootNode(serverConfig.ok, 'serverConfig')),
    );
  }
  const info = rootNode(upgradeInfo.ok, 'clusterUpgradeInfo');
  const standardNode = child(info, 'endOfStandardSupportTimestamp');
  const extendedNode = child(info, 'endOfExtendedSupportTimestamp');
  const endOfStandardSupport = dayOfTimestamp(nonEmptyString(readString(standardNode)));
  const current = parseKubernetesVersion(
    nonEmptyString(readString(child(root, 'currentMasterVersion'))) ?? '',
  );
  // fetchClusterUpgradeInfo answers for the cluster's current minor only, and states no release
  // date: no check reads the release date of a live window (VER-03 takes the newest version from
  // getServerConfig), so it stays empty rather than guessed.
  const window: VersionSupportWindow | null =
    current !== undefined && endOfStandardSupport !== undefined && isRawObject(upgradeInfo.ok)
      ? {
          minorVersion: current.minorVersion,
          releaseDate: '',
          endOfStandardSupport,
          endOfExtendedSupport: dayOfTimestamp(nonEmptyString(readString(extendedNode))) ?? null,
        }
      : null;
  return known(
    { window, newestMinorVersion: newest.version.minorVersion, source: SOURCE },
    sourceOf(standardNode),
    sourceOf(extendedNode),
    newest.source,
  );
}
