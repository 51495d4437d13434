import { isDeepStrictEqual } from 'node:util';
import {
  IN_CLUSTER_RESOURCES,
  type InClusterPosture,
  type InClusterRaw,
  type InClusterResource,
} from '../../model/inCluster.js';
import { known, type Observed, type SourceField, unknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { normaliseInCluster } from '../kubernetes/normalise.js';
import { isRawObject, quoted, type RawObject } from '../reader.js';

/*
 * In-cluster exports for `--from`: `kubectl` output gathered by hand (or by a tool) into one JSON
 * document per cluster, told apart from the clouds' cluster exports by its `kind`. They sit in the
 * same files and folders as the cluster exports and are matched to them by cluster id.
 */

/** The `kind` of an in-cluster export: the one field that tells it from a cloud's cluster export. */
export const IN_CLUSTER_EXPORT_KIND = 'KubelineInClusterExport';
export const IN_CLUSTER_EXPORT_API_VERSION = 'kubeline.dev/v1';

/** `inCluster` of a cluster read from `--from` when no in-cluster export names it (the contract's wording). */
export const NO_IN_CLUSTER_EXPORT = 'no in-cluster export for this cluster in the files read';

/** Longer than any cloud's cluster id (an ARM id stays well below); a longer `cluster` is not an id. */
const MAX_CLUSTER_ID = 1024;
/** How much of a hostile cluster id a problem or notice repeats. */
const MAX_LABEL = 200;
/** Unknown keys named in a problem; an export with hundreds of them needs no full list. */
const MAX_KEYS_LISTED = 5;

const ENVELOPE_KEYS = ['kind', 'apiVersion', 'cluster'] as const;
const RESOURCE_KEYS: ReadonlySet<string> = new Set(IN_CLUSTER_RESOURCES);
const KNOWN_KEYS: ReadonlySet<string> = new Set([...ENVELOPE_KEYS, ...IN_CLUSTER_RESOURCES, 'errors']);

/**
 * An in-cluster export as read from a file: the cluster it is for and its raw bundle, with what is
 * wrong in it but leaves the rest usable (`issues`), or why none of it can be used (`rejected`).
 */
export type InClusterExportRead =
  | { readonly cluster: string; readonly raw: InClusterRaw; readonly issues: readonly string[] }
  | { readonly cluster?: string; readonly rejected: string };

/** An in-cluster export found in one file, at one place. */
export interface InClusterExportFound {
  readonly file: string;
  /** True when the file holds a list of documents; `index` is then the export's place in it. */
  readonly listed: boolean;
  readonly index: number;
  readonly read: InClusterExportRead;
}

/** Something wrong with one export, for the file's problems; the same shape as the loader's. */
export interface InClusterExportProblem {
  readonly file: string;
  readonly cluster?: string;
  readonly reason: string;
}

/** Something the operator should know that took nothing away: the loader's notice shape. */
export interface InClusterExportNotice {
  readonly files: readonly string[];
  readonly cluster: string;
  readonly message: string;
}

/** The postures with `inCluster` set, and what the exports could not give. */
export interface InClusterAttachment {
  readonly postures: ClusterPosture[];
  readonly problems: InClusterExportProblem[];
  readonly notices: InClusterExportNotice[];
}

/** True for a document that declares itself an in-cluster export (kinds are case-sensitive in Kubernetes style). */
export function isInClusterExport(value: RawObject): boolean {
  return ownField(value, 'kind') === IN_CLUSTER_EXPORT_KIND;
}

/**
 * Why an object whose `kind` looks like kubeline's own is still not an export it reads
 * (`KubelineInclusterExport`, `KubelineExport`), or undefined when the kind is not kubeline's:
 * without this it would be reported as "not a cluster", which hides the typo.
 */
export function kubelineKindMismatch(value: RawObject): string | undefined {
  const kind = ownField(value, 'kind');
  if (typeof kind !== 'string' || !kind.toLowerCase().startsWith('kubeline')) return undefined;
  return `holds kind ${quoted(kind)}, which this kubeline does not read; expected ${quoted(IN_CLUSTER_EXPORT_KIND)}`;
}

function ownField(container: unknown, key: string): unknown {
  return isRawObject(container) && Object.hasOwn(container, key) ? container[key] : undefined;
}

/** A cluster id for problems and notices: cut, so a hostile one does not flood the report. */
export function clusterIdLabel(cluster: string): string {
  return cluster.length > MAX_LABEL ? `${cluster.slice(0, MAX_LABEL)}…` : cluster;
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function readClusterId(value: unknown): { readonly cluster: string } | { readonly rejected: string } {
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      rejected: `cluster is ${describeJson(value)}; expected the cluster's id (EKS ARN, GKE projects/…/clusters/…, AKS resource id)`,
    };
  }
  if (value.length > MAX_CLUSTER_ID) {
    return { rejected: `cluster is ${value.length} characters long, longer than any cluster id` };
  }
  return { cluster: value.trim() };
}

/** `clusterRoleBindings` → `clusterrolebindings`: a key that differs from a known one in case only. */
function caseTwin(key: string): string | undefined {
  const folded = key.toLowerCase();
  return [...KNOWN_KEYS].find((known) => known.toLowerCase() === folded);
}

function unknownKeysIssue(document: RawObject): string | undefined {
  const unexpected = Object.keys(document).filter((key) => !KNOWN_KEYS.has(key));
  if (unexpected.length === 0) return undefined;
  const named = unexpected.slice(0, MAX_KEYS_LISTED).map((key) => {
    const twin = caseTwin(key);
    return twin === undefined ? quoted(key) : `${quoted(key)} (did you mean ${quoted(twin)}?)`;
  });
  const more = unexpected.length > MAX_KEYS_LISTED ? ` and ${unexpected.length - MAX_KEYS_LISTED} more` : '';
  return (
    `unexpected keys ${named.join(', ')}${more}, not read; ` +
    `an export holds ${IN_CLUSTER_RESOURCES.join(', ')} and errors`
  );
}

/** `errors` must map resource names to the reason each was not read; anything else is reported. */
function errorsIssues(errors: unknown): string[] {
  if (errors === undefined) return [];
  if (!isRawObject(errors))
    return [`errors is ${describeJson(errors)}, expected an object of reasons by resource`];
  const issues: string[] = [];
  for (const [resource, reason] of Object.entries(errors)) {
    if (!RESOURCE_KEYS.has(resource)) {
      issues.push(`errors names ${quoted(resource)}, which is not a resource of an in-cluster export`);
    } else if (typeof reason !== 'string') {
      issues.push(`errors.${resource} is ${describeJson(reason)}, expected the reason it was not read`);
    }
  }
  return issues;
}

/**
 * Reads an object of kind `KubelineInClusterExport`. The envelope (apiVersion, cluster) must be
 * right or nothing is used; the resources are checked by `normaliseInCluster` one by one, so a
 * malformed list leaves only the checks that need it unknown.
 */
export function readInClusterExport(document: RawObject): InClusterExportRead {
  const id = readClusterId(ownField(document, 'cluster'));
  const cluster = 'cluster' in id ? id.cluster : undefined;
  const withCluster = cluster === undefined ? {} : { cluster };
  const apiVersion = ownField(document, 'apiVersion');
  if (apiVersion !== IN_CLUSTER_EXPORT_API_VERSION) {
    return {
      ...withCluster,
      rejected: `apiVersion is ${describeJson(apiVersion)}; this kubeline reads ${quoted(IN_CLUSTER_EXPORT_API_VERSION)}`,
    };
  }
  if (!('cluster' in id)) return id;
  const issues = [unknownKeysIssue(document), ...errorsIssues(ownField(document, 'errors'))].filter(
    (issue): issue is string => issue !== undefined,
  );
  // The resources keep their parsed JSON as is: normaliseInCluster checks the shape of every
  // field it reads, because the bundle comes from files as often as from the collector.
  return { cluster: id.cluster, raw: document as InClusterRaw, issues };
}

/** The posture field each resource of the bundle decides; configz decides the kubelets. */
const FIELD_OF: Readonly<Record<InClusterResource, keyof InClusterPosture>> = {
  clusterrolebindings: 'clusterRoleBindings',
  rolebindings: 'roleBindings',
  clusterroles: 'clusterRoles',
  awsAuth: 'awsAuth',
  namespaces: 'namespaces',
  networkpolicies: 'networkPolicies',
  nodes: 'nodeCount',
  configz: 'kubelets',
  daemonsets: 'daemonSets',
};

/**
 * Resources the export holds, not marked as failed reads, that still came out unknown: their
 * shape is wrong. The export is used all the same; each of these is reported against its file.
 */
function unusableResources(raw: InClusterRaw, posture: InClusterPosture, provider: string): string[] {
  const failedReads = ownField(raw, 'errors');
  return IN_CLUSTER_RESOURCES.flatMap((resource) => {
    if (!Object.hasOwn(raw, resource) || typeof ownField(failedReads, resource) === 'string') return [];
    // aws-auth is read on EKS only: on other clusters it is unknown by design, not malformed.
    if (resource === 'awsAuth' && provider !== 'eks') return [];
    const observed = posture[FIELD_OF[resource]];
    return 'unknown' in observed ? [`${resource} not used: ${observed.unknown}`] : [];
  });
}

/** `a.json`, or `a.json (entry 2)` inside a list. */
function placeOf(found: InClusterExportFound): string {
  return found.listed ? `${found.file} (entry ${found.index + 1})` : found.file;
}

/** The prefix of a problem's reason that says where in its file the export is. */
function entryPrefix(found: InClusterExportFound): string {
  return found.listed ? `entry ${found.index + 1}: ` : '';
}

function compareFound(a: InClusterExportFound, b: InClusterExportFound): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.index - b.index;
}

/** What an export says about its cluster, without the envelope: copies that differ only in the id's case are the same. */
function contentOf(raw: InClusterRaw): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).filter(([key]) => !(ENVELOPE_KEYS as readonly string[]).includes(key)),
  );
}

function duplicateNotice(
  cluster: string,
  copies: readonly (InClusterExportFound & { readonly raw: InClusterRaw })[],
): InClusterExportNotice | undefined {
  const [kept, ...others] = copies;
  if (kept === undefined || others.length === 0) return undefined;
  const times = copies.length === 2 ? 'twice' : `${copies.length} times`;
  const places = copies.map((copy) => `in ${placeOf(copy)}`);
  const differ = others.some((copy) => !isDeepStrictEqual(contentOf(copy.raw), contentOf(kept.raw)));
  return {
    files: [...new Set(copies.map((copy) => copy.file))],
    cluster: clusterIdLabel(cluster),
    message:
      `in-cluster export given ${times}, ${places.slice(0, -1).join(', ')} and ${places.at(-1)}; ` +
      `the copy in ${placeOf(kept)} is read` +
      (differ ? ', but the copies differ: check which export is current' : ''),
  };
}

function exportEvidence(found: InClusterExportFound): SourceField {
  return { path: 'export.file', value: placeOf(found) };
}

/**
 * Sets `inCluster` on every cluster read from `--from`: from its in-cluster export when one names
 * it (ids compared case-insensitively), else unknown. A snapshot never ran a live pass, so the
 * configuration's `inCluster.enabled` plays no part here. Exports are taken in file order (then
 * entry order), like cluster exports, so the copy read does not depend on the order of the paths.
 */
export function attachInClusterExports(
  postures: readonly ClusterPosture[],
  found: readonly InClusterExportFound[],
): InClusterAttachment {
  const problems: InClusterExportProblem[] = [];
  const notices: InClusterExportNotice[] = [];
  const byCluster = new Map<string, (InClusterExportFound & { readonly raw: InClusterRaw })[]>();
  const rejectedFor = new Map<string, InClusterExportFound>();
  for (const entry of [...found].sort(compareFound)) {
    const { read } = entry;
    const where = entryPrefix(entry);
    const label = read.cluster === undefined ? {} : { cluster: clusterIdLabel(read.cluster) };
    if ('rejected' in read) {
      problems.push({
        file: entry.file,
        ...label,
        reason: `${where}in-cluster export not read: ${read.rejected}`,
      });
      const key = read.cluster?.toLowerCase();
      if (key !== undefined && !rejectedFor.has(key)) rejectedFor.set(key, entry);
      continue;
    }
    for (const issue of read.issues) {
      problems.push({ file: entry.file, ...label, reason: `${where}in-cluster export: ${issue}` });
    }
    const key = read.cluster.toLowerCase();
    byCluster.set(key, [...(byCluster.get(key) ?? []), { ...entry, raw: read.raw }]);
  }

  const matched = new Set<string>();
  const attached = postures.map((posture) => {
    const key = posture.id.toLowerCase();
    const copies = byCluster.get(key);
    const [first] = copies ?? [];
    if (copies === undefined || first === undefined) {
      const rejected = rejectedFor.get(key);
      const reason =
        rejected === undefined
          ? NO_IN_CLUSTER_EXPORT
          : `the in-cluster export in ${placeOf(rejected)} could not be read (see the run's problems)`;
      return { ...posture, inCluster: unknown(reason) };
    }
    matched.add(key);
    const notice = duplicateNotice(posture.id, copies);
    if (notice !== undefined) notices.push(notice);
    const facts = normaliseInCluster(first.raw, { provider: posture.provider });
    for (const issue of unusableResources(first.raw, facts, posture.provider)) {
      problems.push({
        file: first.file,
        cluster: clusterIdLabel(posture.id),
        reason: `${entryPrefix(first)}in-cluster export: ${issue}`,
      });
    }
    const inCluster: Observed<InClusterPosture> = known(facts, exportEvidence(first));
    return { ...posture, inCluster };
  });

  for (const [key, copies] of byCluster) {
    const [first] = copies;
    if (matched.has(key) || first === undefined) continue;
    notices.push({
      files: [...new Set(copies.map((copy) => copy.file))],
      cluster: clusterIdLabel(first.read.cluster ?? key),
      message:
        `the in-cluster export in ${placeOf(first)} is for a cluster that is not among the clusters read ` +
        'from the --from files; it was not used',
    });
  }
  return { postures: attached, problems, notices };
}
