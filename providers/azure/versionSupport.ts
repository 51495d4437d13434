import type { Observed, SourceField } from '../../model/observed.js';
import { known, unknown } from '../../model/observed.js';
import type { LiveVersionSupport } from '../../model/posture.js';
import { compareMinor, type KubernetesVersion, parseKubernetesVersion } from '../../model/version.js';
import {
  child,
  descend,
  element,
  isRawObject,
  lookup,
  nonEmptyString,
  type RawNode,
  readArray,
  readBoolean,
  readString,
  readStringArray,
  rootNode,
  sourceOf,
} from '../reader.js';
import type { AksCollected } from './normalise.js';

/** The API named as the source of live version data in the report. */
export const AKS_VERSION_SOURCE = 'aks:listKubernetesVersions';

const NOT_READ = 'listKubernetesVersions not read in a snapshot; using the bundled calendar';

/** One entry of `values[]`: a minor version the location offers and whether it is a preview. */
interface OfferedVersion {
  readonly version: KubernetesVersion;
  readonly preview: boolean;
  readonly node: RawNode;
}

function clusterMinor(managedCluster: unknown): KubernetesVersion | undefined {
  const root = rootNode(managedCluster, '');
  const props = isRawObject(lookup(managedCluster, 'properties')) ? child(root, 'properties') : root;
  const current = readString(child(props, 'currentKubernetesVersion'));
  const raw =
    current.kind === 'value' ? current.value : nonEmptyString(readString(child(props, 'kubernetesVersion')));
  return raw === undefined ? undefined : parseKubernetesVersion(raw);
}

/** Why the list cannot be used, with the raw value it rests on. */
interface InvalidList {
  readonly invalid: string;
  readonly source: SourceField;
}

function offeredVersions(result: unknown): OfferedVersion[] | InvalidList {
  const list = child(rootNode(result, 'kubernetesVersions'), 'values');
  const values = readArray(list);
  if (values.kind === 'invalid') return { invalid: values.reason, source: values.source };
  const offered: OfferedVersion[] = [];
  for (const [index, entry] of (values.kind === 'value' ? values.value : []).entries()) {
    const node = element(list, entry, index);
    const raw = nonEmptyString(readString(child(node, 'version')));
    const version = raw === undefined ? undefined : parseKubernetesVersion(raw);
    if (version === undefined) {
      return { invalid: `${node.path}.version is not a Kubernetes minor version`, source: sourceOf(node) };
    }
    const preview = readBoolean(child(node, 'isPreview'));
    // The support plans stay in the evidence; a malformed list must not pass unnoticed.
    const plans = readStringArray(descend(node, 'capabilities', 'supportPlan'));
    if (preview.kind === 'invalid') return { invalid: preview.reason, source: preview.source };
    if (plans.kind === 'invalid') return { invalid: plans.reason, source: plans.source };
    offered.push({
      version,
      preview: preview.kind === 'value' && preview.value,
      node: { value: entry, path: `kubernetesVersions.values[version=${version.minorVersion}]` },
    });
  }
  return offered;
}

/**
 * Version support as listKubernetesVersions states it for the cluster's location: the newest
 * generally available minor (previews are not an upgrade target a check should push towards),
 * and the cluster's own entry (its support plans, e.g. only `AKSLongTermSupport` once community
 * support has ended) as evidence. The API gives no dates, so the support window stays with the
 * bundled calendar.
 */
export function aksVersionSupport(collected: AksCollected): Observed<LiveVersionSupport> {
  const versions = collected.kubernetesVersions;
  if (versions === undefined) return unknown(NOT_READ);
  if ('missing' in versions) return unknown(versions.missing);
  const offered = offeredVersions(versions.ok);
  if ('invalid' in offered) return unknown(offered.invalid, offered.source);
  const available = offered.filter((entry) => !entry.preview);
  const newest = [...available].sort((a, b) => compareMinor(b.version, a.version))[0];
  if (newest === undefined) {
    return unknown('listKubernetesVersions listed no generally available version', {
      path: 'kubernetesVersions.values',
      value: [],
    });
  }
  const minor = clusterMinor(collected.managedCluster);
  const own =
    minor === undefined ? undefined : offered.find((entry) => compareMinor(entry.version, minor) === 0);
  return known(
    { window: null, newestMinorVersion: newest.version.minorVersion, source: AKS_VERSION_SOURCE },
    own === undefined
      ? { path: `kubernetesVersions.values[version=${minor?.minorVersion ?? 'unknown'}]`, value: null }
      : sourceOf(own.node),
    { path: 'kubernetesVersions.values[newest].version', value: newest.version.minorVersion },
  );
}
