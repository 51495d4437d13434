import type { Provider } from '../../model/posture.js';
import { isAbsent, isRawObject, lookup, quoted, type RawObject } from '../reader.js';
import {
  type InClusterExportRead,
  isInClusterExport,
  kubelineKindMismatch,
  readInClusterExport,
} from './inCluster.js';

/** One item found in an exported file, with the export format it came from. */
export type SnapshotEntry =
  | { readonly kind: 'eks'; readonly cluster: unknown; readonly format: string }
  | { readonly kind: 'gke'; readonly cluster: unknown; readonly format: string }
  | { readonly kind: 'aks'; readonly managedCluster: unknown; readonly format: string }
  | {
      readonly kind: 'diagnostic-setting';
      readonly setting: unknown;
      /** The resource id of the cluster the setting is on, as written in the setting's id. */
      readonly resourceId: string;
      readonly format: string;
    }
  | {
      /** A `KubelineInClusterExport`: what kubeline would read inside one cluster, matched to it by id. */
      readonly kind: 'in-cluster';
      readonly export: InClusterExportRead;
    }
  | {
      /** A cluster lacking fields every real export of its cloud holds: read as is, absence would pass checks. */
      readonly kind: 'incomplete';
      readonly provider: Provider;
      readonly cluster: unknown;
      readonly reason: string;
    }
  | { readonly kind: 'unrecognised'; readonly reason: string };

/** What a file holds: its entries in order, or why its shape is not one kubeline reads. */
export type SnapshotShape =
  | { readonly entries: readonly SnapshotEntry[]; readonly listed: boolean }
  | { readonly error: string };

const DIAGNOSTIC_SETTING_SEGMENT = '/providers/microsoft.insights/diagnosticsettings/';
const MANAGED_CLUSTER_TYPE = 'microsoft.containerservice/managedclusters';
const MANAGED_CLUSTER_ID = /\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+$/i;
/** Fields only a GKE `Cluster` has; gcloud output carries several of them, even for Autopilot. */
const GKE_FIELDS = [
  'currentMasterVersion',
  'initialClusterVersion',
  'masterAuth',
  'nodePools',
  'legacyAbac',
  'clusterIpv4Cidr',
  'releaseChannel',
];

/** A field every real cluster resource carries, under any of its names. */
interface RequiredField {
  readonly label: string;
  readonly names: readonly string[];
}

function required(name: string, ...alternatives: readonly string[]): RequiredField {
  const label = alternatives.length === 0 ? name : `${name} (or ${alternatives.join(' or ')})`;
  return { label, names: [name, ...alternatives] };
}

/** How each cloud's clusters are recognised as whole, and how to export one again. */
interface CloudRule {
  readonly title: string;
  readonly required: readonly RequiredField[];
  readonly exportCommand: string;
}

const CLOUD_RULES: Readonly<Record<Provider, CloudRule>> = {
  // Identity, version and lifecycle are set on every cluster DescribeCluster returns:
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html
  eks: {
    title: 'EKS',
    required: [required('name'), required('arn'), required('version'), required('status')],
    exportCommand: 'aws eks describe-cluster --output json',
  },
  // Output-only fields GKE fills in on every cluster; `zone` is the deprecated twin of `location`:
  // https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster
  gke: {
    title: 'GKE',
    required: [
      required('name'),
      required('status'),
      required('location', 'zone'),
      required('currentMasterVersion'),
    ],
    exportCommand: 'gcloud container clusters describe --format=json',
  },
  // ARM returns the resource envelope and these read-only properties on every managed cluster:
  // https://learn.microsoft.com/rest/api/aks/managed-clusters/get
  aks: {
    title: 'AKS',
    required: [
      required('id'),
      required('name'),
      required('location'),
      required('kubernetesVersion', 'currentKubernetesVersion'),
      required('provisioningState'),
    ],
    exportCommand: 'az aks show --output json',
  },
};

const EXPECTED =
  'expected the JSON output of aws eks describe-cluster, gcloud container clusters describe|list, ' +
  'az aks show|list, ARM managedClusters, az monitor diagnostic-settings list, ' +
  'or a kubeline in-cluster export (kind KubelineInClusterExport)';

function describeKeys(value: RawObject): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const listed = keys
    .slice(0, 6)
    .map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key));
  return `an object with keys ${listed.join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

function describeDocument(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRawObject(value)) return describeKeys(value);
  return `a JSON ${typeof value}`;
}

/** The resource id a diagnostic setting is on: the part of its id before `/providers/microsoft.insights/…`. */
function diagnosticSettingTarget(value: RawObject): string | undefined {
  const id = lookup(value, 'id');
  if (typeof id !== 'string') return undefined;
  const at = id.toLowerCase().indexOf(DIAGNOSTIC_SETTING_SEGMENT);
  return at > 0 ? id.slice(0, at) : undefined;
}

function isManagedCluster(value: RawObject): boolean {
  const type = lookup(value, 'type');
  const id = lookup(value, 'id');
  return (
    (typeof type === 'string' && type.toLowerCase() === MANAGED_CLUSTER_TYPE) ||
    (typeof id === 'string' && MANAGED_CLUSTER_ID.test(id))
  );
}

function isGkeCluster(value: RawObject): boolean {
  const selfLink = lookup(value, 'selfLink');
  return (
    (typeof selfLink === 'string' && selfLink.includes('container.googleapis.com/')) ||
    GKE_FIELDS.some((field) => lookup(value, field) !== undefined)
  );
}

function isPresent(value: unknown): boolean {
  return !isAbsent(value) && value !== '';
}

function inWords(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/**
 * The cluster as an entry of its cloud, or as incomplete when it lacks a field every real export
 * holds: a trimmed or hand-made object would otherwise read absent settings as their defaults.
 * `containers` are where the fields may sit (ARM nests most of them under `properties`).
 */
function wholeOrIncomplete(
  provider: Provider,
  cluster: RawObject,
  containers: readonly RawObject[],
  whole: SnapshotEntry,
): SnapshotEntry {
  const rule = CLOUD_RULES[provider];
  const missing = rule.required.filter(
    (field) =>
      !field.names.some((name) => containers.some((container) => isPresent(lookup(container, name)))),
  );
  if (missing.length === 0) return whole;
  const name = lookup(cluster, 'name');
  const label = typeof name === 'string' && name !== '' ? ` ${quoted(name)}` : '';
  return {
    kind: 'incomplete',
    provider,
    cluster,
    reason:
      `incomplete ${rule.title} cluster${label}: it lacks ${inWords(missing.map((field) => field.label))}, ` +
      `which every ${rule.title} cluster has; export it again with ${rule.exportCommand}`,
  };
}

/** Classifies one object: a cluster of one of the clouds, a diagnostic setting, or neither. */
function classify(value: unknown, inList: boolean): SnapshotEntry {
  if (!isRawObject(value)) {
    return { kind: 'unrecognised', reason: `holds ${describeDocument(value)}, not a cluster` };
  }
  // Before the cloud shapes: an export's `cluster` is an id, and its lists could look like anything.
  if (isInClusterExport(value)) return { kind: 'in-cluster', export: readInClusterExport(value) };
  const kindMismatch = kubelineKindMismatch(value);
  if (kindMismatch !== undefined) return { kind: 'unrecognised', reason: kindMismatch };
  const wrapped = lookup(value, 'cluster');
  if (isRawObject(wrapped)) {
    return wholeOrIncomplete('eks', wrapped, [wrapped], {
      kind: 'eks',
      cluster: wrapped,
      format: 'aws eks describe-cluster',
    });
  }
  const resourceId = diagnosticSettingTarget(value);
  if (resourceId !== undefined) {
    return {
      kind: 'diagnostic-setting',
      setting: value,
      resourceId,
      format: 'az monitor diagnostic-settings list',
    };
  }
  if (isManagedCluster(value)) {
    const properties = lookup(value, 'properties');
    const arm = isRawObject(properties);
    const format = arm ? `ARM managedClusters${inList ? ' list' : ''}` : `az aks ${inList ? 'list' : 'show'}`;
    return wholeOrIncomplete('aks', value, arm ? [value, properties] : [value], {
      kind: 'aks',
      managedCluster: value,
      format,
    });
  }
  if (isGkeCluster(value)) {
    return wholeOrIncomplete('gke', value, [value], {
      kind: 'gke',
      cluster: value,
      format: `gcloud container clusters ${inList ? 'list' : 'describe'}`,
    });
  }
  return { kind: 'unrecognised', reason: `holds ${describeKeys(value)}; ${EXPECTED}` };
}

/**
 * Detects what an exported file holds. Lists may be bare arrays (`az aks list`, `gcloud … list`),
 * ARM envelopes (`{value: […]}`) or the GKE REST list (`{clusters: […]}`).
 */
export function detectShape(document: unknown): SnapshotShape {
  if (Array.isArray(document)) {
    return { entries: document.map((item: unknown) => classify(item, true)), listed: true };
  }
  if (!isRawObject(document)) return { error: `the file holds ${describeDocument(document)}; ${EXPECTED}` };
  const value = lookup(document, 'value');
  if (Array.isArray(value)) {
    return { entries: value.map((item: unknown) => classify(item, true)), listed: true };
  }
  const clusters = lookup(document, 'clusters');
  if (Array.isArray(clusters)) {
    if (clusters.length > 0 && clusters.every((item) => typeof item === 'string')) {
      return {
        error:
          'the file holds cluster names only (aws eks list-clusters output); export each cluster with aws eks describe-cluster',
      };
    }
    return {
      entries: clusters.map((item: unknown) => {
        const entry = classify(item, true);
        return entry.kind === 'gke' ? { ...entry, format: 'GKE REST clusters.list' } : entry;
      }),
      listed: true,
    };
  }
  const entry = classify(document, false);
  return entry.kind === 'unrecognised'
    ? { error: `the file ${entry.reason}` }
    : { entries: [entry], listed: false };
}
