import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ClusterPosture, PostureOrigin } from '../../model/posture.js';
import type { ScopeResult } from '../../model/run.js';
import { normaliseEks } from '../aws/normalise.js';
import { normaliseAks } from '../azure/normalise.js';
import { collected, missing } from '../collected.js';
import { NormaliseError } from '../errors.js';
import { normaliseGke } from '../gcp/normalise.js';
import { lookup } from '../reader.js';
import { attachInClusterExports, type InClusterExportFound } from './inCluster.js';
import { locateJsonSyntaxError } from './jsonSyntax.js';
import { detectShape, type SnapshotEntry } from './shapes.js';

/** Something in the snapshot that could not be read: a file, or one cluster in a file. */
export interface SnapshotProblem {
  /** The file, relative to the working directory. */
  readonly file: string;
  /** The cluster's name or id, when the problem is about one cluster. */
  readonly cluster?: string;
  readonly reason: string;
}

/** Something the operator should know that took nothing away from the scan: a cluster exported twice. */
export interface SnapshotNotice {
  /** Every file that holds the cluster, the one read first. */
  readonly files: readonly string[];
  readonly cluster: string;
  readonly message: string;
}

/**
 * What `--from` read: the clusters, one scope per file, and what could not be read. A file that
 * cannot be read at all is an error of its scope; a cluster that cannot be read is a problem.
 */
export interface SnapshotScan {
  readonly postures: ClusterPosture[];
  readonly scopes: ScopeResult[];
  readonly problems: SnapshotProblem[];
  readonly notices: SnapshotNotice[];
}

/** Knobs for tests and the benchmark; the CLI uses the defaults. */
export interface SnapshotOptions {
  /** Paths in scopes, problems and origins are relative to this folder. @default process.cwd() */
  readonly cwd?: string;
  /** Files larger than this are refused. @default 50 MiB */
  readonly maxFileBytes?: number;
}

/** A cluster export is a few hundred KiB at most; a list of a thousand clusters stays well below this. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

const READ_CONCURRENCY = 8;

/** Why a snapshot has no value for what the CLI exports do not hold; shown on the `unknown` fields. */
export const MISSING_IN_SNAPSHOT = {
  eksNodegroups:
    'node groups are not part of `aws eks describe-cluster` output; a live scan reads them with DescribeNodegroup',
  eksIdentityProviders:
    'identity provider configs are not part of `aws eks describe-cluster` output; a live scan reads them with ListIdentityProviderConfigs',
  eksAddons:
    'add-ons are not part of `aws eks describe-cluster` output; a live scan reads them with DescribeAddon',
  eksAccessEntries:
    'access entries are not part of `aws eks describe-cluster` output; a live scan reads them with ListAccessEntries',
  eksClusterVersions:
    'DescribeClusterVersions is not read in a snapshot; the bundled support calendar applies',
  eksLogGroup:
    'the audit log group is not part of `aws eks describe-cluster` output; a live scan reads it with DescribeLogGroups',
  eksSubnets:
    'node subnets are not part of `aws eks describe-cluster` output; a live scan reads them with EC2 DescribeSubnets',
  eksFlowLogs:
    'VPC flow logs are not part of `aws eks describe-cluster` output; a live scan reads them with EC2 DescribeFlowLogs',
  eksGuardDuty:
    'GuardDuty is not part of `aws eks describe-cluster` output; a live scan reads its detector with GetDetector',
  aksDiagnosticSettings:
    'diagnostic settings are not part of `az aks show` output; export them with az monitor diagnostic-settings list',
} as const;

/** A file to read, or a path that could not be turned into files. */
type Target =
  | { readonly file: string; readonly absolute: string }
  | { readonly file: string; readonly error: string };

interface ReadFile {
  readonly file: string;
  readonly entries: readonly SnapshotEntry[];
  readonly listed: boolean;
  readonly error?: string;
}

function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute) || '.';
  return relative.split(path.sep).join('/');
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function readError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every `.json` file below a folder. Symlinked folders are skipped: they can loop back on themselves. */
async function jsonFilesBelow(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await jsonFilesBelow(absolute)));
    } else if (entry.name.toLowerCase().endsWith('.json')) {
      const isFile =
        entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute).catch(() => undefined))?.isFile());
      if (isFile) found.push(absolute);
    }
  }
  return found;
}

/** Files for the given paths: a file as given (any extension), a folder's `.json` files in a stable order. */
async function expand(paths: readonly string[], cwd: string): Promise<Target[]> {
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const file = displayPath(absolute, cwd);
    try {
      const info = await stat(absolute);
      if (info.isDirectory()) {
        const files = (await jsonFilesBelow(absolute))
          .map((found) => ({ file: displayPath(found, cwd), absolute: found }))
          .sort((a, b) => compareCodeUnits(a.file, b.file));
        if (files.length === 0) targets.push({ file, error: 'the folder holds no .json files' });
        for (const found of files) {
          if (seen.has(found.absolute)) continue;
          seen.add(found.absolute);
          targets.push(found);
        }
      } else if (info.isFile()) {
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        targets.push({ file, absolute });
      } else {
        targets.push({ file, error: 'not a regular file or folder' });
      }
    } catch (error) {
      targets.push({ file, error: `cannot read: ${readError(error)}` });
    }
  }
  return targets;
}

function parseJson(text: string): { readonly document: unknown } | { readonly error: string } {
  try {
    return { document: JSON.parse(text) };
  } catch (error) {
    const located = locateJsonSyntaxError(text);
    if (located === undefined) {
      // Valid syntax that V8 still refused (nesting too deep for its parser).
      const message = error instanceof Error ? error.message : String(error);
      return { error: `invalid JSON: ${message.slice(0, 200)}` };
    }
    const where = `line ${located.line}, column ${located.column} (character ${located.offset})`;
    return {
      error: located.truncated
        ? `truncated JSON: the text ends at ${where} before the document is complete`
        : `invalid JSON at ${where}: ${located.message}`,
    };
  }
}

async function readTarget(target: Target, maxFileBytes: number): Promise<ReadFile> {
  if ('error' in target) return { file: target.file, entries: [], listed: false, error: target.error };
  const fail = (error: string): ReadFile => ({ file: target.file, entries: [], listed: false, error });
  let text: string;
  try {
    const info = await stat(target.absolute);
    if (info.size > maxFileBytes) {
      return fail(
        `the file is ${size(info.size)}, over the ${size(maxFileBytes)} limit for one snapshot file; ` +
          'export fewer clusters per file',
      );
    }
    text = await readFile(target.absolute, 'utf8');
  } catch (error) {
    return fail(`cannot read: ${readError(error)}`);
  }
  // Windows tools (PowerShell `> file`) write a byte order mark that JSON.parse refuses.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return fail('the file is empty');
  const parsed = parseJson(body);
  if ('error' in parsed) return fail(parsed.error);
  const shape = detectShape(parsed.document);
  if ('error' in shape) return fail(shape.error);
  return { file: target.file, entries: shape.entries, listed: shape.listed };
}

/** Reads files a few at a time, keeping their order. */
async function readAll(targets: readonly Target[], maxFileBytes: number): Promise<ReadFile[]> {
  const results: ReadFile[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next;
      next += 1;
      const target = targets[index];
      if (target !== undefined) results[index] = await readTarget(target, maxFileBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, targets.length) }, worker));
  return results;
}

/** Diagnostic settings by the lower-cased id of the resource they are on (ARM ids are case-insensitive). */
interface SettingsIndex {
  readonly byResource: Map<string, unknown[]>;
  /** Where each resource's settings were read, for settings that match no cluster. */
  readonly origin: Map<string, { readonly file: string; readonly resourceId: string }>;
}

function indexDiagnosticSettings(files: readonly ReadFile[]): SettingsIndex {
  const byResource = new Map<string, unknown[]>();
  const origin = new Map<string, { file: string; resourceId: string }>();
  const seenSettings = new Set<string>();
  for (const read of files) {
    for (const entry of read.entries) {
      if (entry.kind !== 'diagnostic-setting') continue;
      const key = entry.resourceId.toLowerCase();
      const settingId = String(lookup(entry.setting, 'id')).toLowerCase();
      if (seenSettings.has(settingId)) continue;
      seenSettings.add(settingId);
      byResource.set(key, [...(byResource.get(key) ?? []), entry.setting]);
      if (!origin.has(key)) origin.set(key, { file: read.file, resourceId: entry.resourceId });
    }
  }
  return { byResource, origin };
}

function normaliseEntry(
  entry: SnapshotEntry,
  file: string,
  settings: SettingsIndex,
): ClusterPosture | undefined {
  switch (entry.kind) {
    case 'eks':
      return normaliseEks(
        {
          cluster: entry.cluster,
          nodegroups: missing(MISSING_IN_SNAPSHOT.eksNodegroups),
          identityProviderConfigs: missing(MISSING_IN_SNAPSHOT.eksIdentityProviders),
          addons: missing(MISSING_IN_SNAPSHOT.eksAddons),
          accessEntries: missing(MISSING_IN_SNAPSHOT.eksAccessEntries),
          clusterVersions: missing(MISSING_IN_SNAPSHOT.eksClusterVersions),
          auditLogGroup: missing(MISSING_IN_SNAPSHOT.eksLogGroup),
          subnets: missing(MISSING_IN_SNAPSHOT.eksSubnets),
          flowLogs: missing(MISSING_IN_SNAPSHOT.eksFlowLogs),
          guardDutyDetector: missing(MISSING_IN_SNAPSHOT.eksGuardDuty),
        },
        origin(file, entry.format),
      );
    case 'gke':
      return normaliseGke({ cluster: entry.cluster }, origin(file, entry.format));
    case 'aks': {
      const id = lookup(entry.managedCluster, 'id');
      const found = typeof id === 'string' ? settings.byResource.get(id.toLowerCase()) : undefined;
      return normaliseAks(
        {
          managedCluster: entry.managedCluster,
          diagnosticSettings: found ? collected(found) : missing(MISSING_IN_SNAPSHOT.aksDiagnosticSettings),
        },
        origin(file, entry.format),
      );
    }
    case 'diagnostic-setting':
    case 'in-cluster':
    case 'incomplete':
    case 'unrecognised':
      return undefined;
  }
}

function origin(file: string, format: string): PostureOrigin {
  return { kind: 'snapshot', file, format };
}

/** Longer than any cloud's cluster names allow; a hostile name is cut, not printed whole. */
const MAX_LABEL = 200;

/** The cluster object of an entry as exported, complete or not. */
function rawCluster(entry: SnapshotEntry): unknown {
  switch (entry.kind) {
    case 'aks':
      return entry.managedCluster;
    case 'eks':
    case 'gke':
    case 'incomplete':
      return entry.cluster;
    case 'diagnostic-setting':
    case 'in-cluster':
    case 'unrecognised':
      return undefined;
  }
}

function clusterLabel(entry: SnapshotEntry): string | undefined {
  const name = lookup(rawCluster(entry), 'name');
  if (typeof name !== 'string' || name === '') return undefined;
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL)}…` : name;
}

/** The ARM id of an AKS cluster in the snapshot, complete or not, lower-cased as ARM compares ids. */
function aksResource(entry: SnapshotEntry): string | undefined {
  const isAks = entry.kind === 'aks' || (entry.kind === 'incomplete' && entry.provider === 'aks');
  const id = isAks ? lookup(rawCluster(entry), 'id') : undefined;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/** A cluster read from a file, before duplicates across files are settled. */
interface Candidate {
  readonly posture: ClusterPosture;
  readonly file: string;
  /** Where in the file: `a.json` or `a.json (entry 2)`. */
  readonly place: string;
  readonly index: number;
  readonly raw: unknown;
}

interface FileOutcome {
  readonly read: ReadFile;
  readonly candidates: readonly Candidate[];
  readonly problems: readonly SnapshotProblem[];
}

function scanFile(read: ReadFile, settings: SettingsIndex): FileOutcome {
  const candidates: Candidate[] = [];
  const problems: SnapshotProblem[] = [];
  for (const [index, entry] of read.entries.entries()) {
    const where = read.listed ? `entry ${index + 1}: ` : '';
    const label = clusterLabel(entry);
    if (entry.kind === 'unrecognised' || entry.kind === 'incomplete') {
      const reason = `${where}${entry.reason}`;
      problems.push(
        label === undefined ? { file: read.file, reason } : { file: read.file, cluster: label, reason },
      );
      continue;
    }
    let posture: ClusterPosture | undefined;
    try {
      posture = normaliseEntry(entry, read.file, settings);
    } catch (error) {
      const isNormaliseError = error instanceof NormaliseError;
      const cluster = (isNormaliseError ? error.context.cluster : undefined) ?? label;
      const message = error instanceof Error ? error.message : String(error);
      const reason = `${where}${isNormaliseError ? message : `cannot normalise the cluster: ${message}`}`;
      problems.push(
        cluster === undefined ? { file: read.file, reason } : { file: read.file, cluster, reason },
      );
      continue;
    }
    if (posture === undefined) continue;
    const place = read.listed ? `${read.file} (entry ${index + 1})` : read.file;
    candidates.push({ posture, file: read.file, place, index, raw: rawCluster(entry) });
  }
  return { read, candidates, problems };
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return compareCodeUnits(a.file, b.file) || a.index - b.index;
}

function duplicateNotice(copies: readonly Candidate[]): SnapshotNotice | undefined {
  const [kept, ...others] = copies;
  if (kept === undefined || others.length === 0) return undefined;
  const times = copies.length === 2 ? 'twice' : `${copies.length} times`;
  const places = copies.map((copy) => `in ${copy.place}`);
  const differ = others.some((copy) => !isDeepStrictEqual(copy.raw, kept.raw));
  return {
    files: [...new Set(copies.map((copy) => copy.file))],
    cluster: kept.posture.id,
    message:
      `exported ${times}, ${places.slice(0, -1).join(', ')} and ${places.at(-1)}; the copy in ${kept.place} is read` +
      (differ ? ', but the copies differ: check which export is current' : ''),
  };
}

/**
 * One copy of each cluster: the one in the first file by path (then the first entry), so the
 * result does not depend on the order paths were given in. The others become notices.
 */
function settleDuplicates(candidates: readonly Candidate[]): {
  readonly kept: ReadonlySet<Candidate>;
  readonly notices: SnapshotNotice[];
} {
  const byCluster = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const { posture } = candidate;
    // ARM ids are case-insensitive; ARNs and GKE resource names are not.
    const key = `${posture.provider} ${posture.provider === 'aks' ? posture.id.toLowerCase() : posture.id}`;
    const copies = byCluster.get(key);
    if (copies === undefined) byCluster.set(key, [candidate]);
    else copies.push(candidate);
  }
  const kept = new Set<Candidate>();
  const notices: SnapshotNotice[] = [];
  for (const copies of byCluster.values()) {
    const ordered = [...copies].sort(compareCandidates);
    const [first] = ordered;
    if (first !== undefined) kept.add(first);
    const notice = duplicateNotice(ordered);
    if (notice !== undefined) notices.push(notice);
  }
  return { kept, notices };
}

/** Every in-cluster export of the files read, where it was found. */
function inClusterExports(files: readonly ReadFile[]): InClusterExportFound[] {
  return files.flatMap((read) =>
    read.entries.flatMap((entry, index) =>
      entry.kind === 'in-cluster'
        ? [{ file: read.file, listed: read.listed, index, read: entry.export }]
        : [],
    ),
  );
}

function fileScope(read: ReadFile, clusters: number): ScopeResult {
  return read.error === undefined
    ? { provider: 'snapshot', scope: read.file, status: 'ok', clusters }
    : { provider: 'snapshot', scope: read.file, status: 'error', error: read.error, clusters: 0 };
}

/**
 * Reads exported cluster JSON (`--from`): files, or folders of `.json` files read recursively in
 * a stable order. Each file is one scope. A file that cannot be read or parsed, and a cluster that
 * cannot be normalised, become problems; everything else is still read. In-cluster exports
 * (`kind: KubelineInClusterExport`) in the same files give the clusters their `inCluster` facts.
 */
export async function loadSnapshots(
  paths: readonly string[],
  options: SnapshotOptions = {},
): Promise<SnapshotScan> {
  const cwd = options.cwd ?? process.cwd();
  const files = await readAll(await expand(paths, cwd), options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const settings = indexDiagnosticSettings(files);
  const outcomes = files.map((read) => scanFile(read, settings));
  const { kept, notices } = settleDuplicates(outcomes.flatMap((outcome) => outcome.candidates));
  const read: ClusterPosture[] = [];
  const scopes: ScopeResult[] = [];
  const problems: SnapshotProblem[] = [];
  for (const outcome of outcomes) {
    const postures = outcome.candidates
      .filter((candidate) => kept.has(candidate))
      .map((candidate) => candidate.posture);
    read.push(...postures);
    problems.push(...outcome.problems);
    scopes.push(fileScope(outcome.read, postures.length));
  }
  const inCluster = attachInClusterExports(read, inClusterExports(files));
  const scan: SnapshotScan = {
    postures: inCluster.postures,
    scopes,
    problems: [...problems, ...inCluster.problems],
    notices: [...notices, ...inCluster.notices],
  };
  const aksResources = new Set(files.flatMap((read) => read.entries.map(aksResource)));
  for (const [key, where] of settings.origin) {
    if (aksResources.has(key)) continue;
    scan.problems.push({
      file: where.file,
      cluster: where.resourceId,
      reason: 'diagnostic settings for a resource that is not an AKS cluster in this snapshot',
    });
  }
  return scan;
}
