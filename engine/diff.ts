import { z } from 'zod';
import { parseDay } from '../model/dates.js';
import { type Severity, STATUSES, type Status, severityRank } from '../model/finding.js';
import { PROVIDERS } from '../model/posture.js';
import type { ScopeResult } from '../model/run.js';
import type {
  RunDiff,
  RunDiffCluster,
  RunDiffFinding,
  RunDiffPersisting,
  RunDiffPreviousRun,
  RunDiffScope,
} from '../model/runDiff.js';
import { scopeResultSchema } from './schemas.js';

/** The `report.json` schema version this kubeline writes, and the only one it compares with. */
export const REPORT_SCHEMA_VERSION = 1;

/** The run `latest.json` points at. */
export interface LatestRunPointer {
  readonly runId: string;
  /** `runs/<YYYY-MM-DD>/<runId>` in the sink. */
  readonly folder: string;
}

/** What the diff needs of a finding: which check on which cluster, and how it came out. */
export interface DiffFinding {
  readonly checkId: string;
  readonly clusterId: string;
  readonly status: Status;
  readonly waiver?: { readonly originalStatus: Status };
}

/** The parts of a previous run's `report.json` the diff reads. */
export interface PreviousRun {
  readonly run: RunDiffPreviousRun;
  readonly clusters: readonly RunDiffCluster[];
  readonly scopes: readonly ScopeResult[];
  readonly findings: readonly DiffFinding[];
  /** The first-seen days of the previous report's persisting failures, by `findingKey`. */
  readonly firstSeenFailing: ReadonlyMap<string, string>;
}

/** A previous run that could be read, or the one-line reason why not. */
export type PreviousRunRead = { readonly previous: PreviousRun } | { readonly unavailable: string };

/** This run, as the diff sees it. Postures, engine findings and scope results fit as they are. */
export interface CurrentRun {
  readonly complete: boolean;
  readonly clusters: readonly RunDiffCluster[];
  readonly scopes: readonly ScopeResult[];
  readonly findings: readonly (DiffFinding & { readonly severity: Severity })[];
}

const FAILING: ReadonlySet<Status> = new Set<Status>(['fail', 'error']);
/** Statuses that end a failure: a failure that turned `unknown` is not fixed, only unseen. */
const SETTLED: ReadonlySet<Status> = new Set<Status>(['pass', 'not_applicable']);

const DAY = z.string().refine((day) => parseDay(day) !== undefined, 'expected a day as YYYY-MM-DD');
const STATUS = z.enum(STATUSES);

const latestSchema = z.object({ runId: z.string().min(1), folder: z.string().min(1) });

/** Only what the diff reads of a schemaVersion 1 `report.json`; other keys are ignored. */
const previousReportSchema = z.object({
  run: z.object({ id: z.string(), startedAt: z.iso.datetime() }),
  clusters: z.array(
    z.object({
      id: z.string(),
      provider: z.enum(PROVIDERS),
      scope: z.string(),
      location: z.string(),
      name: z.string(),
    }),
  ),
  scopes: z.array(scopeResultSchema),
  findings: z.array(
    z.object({
      checkId: z.string(),
      clusterId: z.string(),
      status: STATUS,
      waiver: z.object({ originalStatus: STATUS }).optional(),
    }),
  ),
  diff: z
    .object({
      persisting: z
        .array(z.object({ checkId: z.string(), clusterId: z.string(), firstSeenFailing: DAY }))
        .optional(),
    })
    .optional(),
});

/** The identity of a check on a cluster, unambiguous whatever characters the ids hold. */
export function findingKey(clusterId: string, checkId: string): string {
  return JSON.stringify([clusterId, checkId]);
}

function parseJson(text: string): { readonly value: unknown } | { readonly error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    // JSON.parse of a string throws nothing but a SyntaxError.
    return { error: (error as SyntaxError).message };
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

/** The first few problems zod found, on one line: `findings[3].status: Invalid option…`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issuePath(issue.path).replace(/^\./, '')}: ${issue.message}`)
    .join('; ');
}

/** Reads `latest.json`: the previous complete run's id and folder, or why they cannot be had. */
export function parseLatestPointer(text: string): LatestRunPointer | { readonly unavailable: string } {
  const json = parseJson(text);
  if ('error' in json) return { unavailable: `latest.json is not valid JSON (${json.error})` };
  const pointer = latestSchema.safeParse(json.value);
  if (!pointer.success) {
    return { unavailable: `latest.json names no run (${describeIssues(pointer.error)})` };
  }
  return { runId: pointer.data.runId, folder: pointer.data.folder };
}

function schemaVersionOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'schemaVersion' in value
    ? value.schemaVersion
    : undefined;
}

/**
 * Reads the previous run's `report.json`. Anything but a whole schemaVersion 1 report of the run
 * `latest.json` named (truncated, corrupt, another schema version, another run) gives the reason
 * instead, so the run reports "no diff" rather than compare with something it cannot trust.
 */
export function parsePreviousReport(text: string, pointer: LatestRunPointer): PreviousRunRead {
  const where = `previous run ${pointer.runId}: ${pointer.folder}/report.json`;
  const json = parseJson(text);
  if ('error' in json) return { unavailable: `${where} is not valid JSON (${json.error})` };
  const version = schemaVersionOf(json.value);
  if (typeof version !== 'number') {
    return { unavailable: `${where} has no numeric schemaVersion: it is not a kubeline report` };
  }
  if (version !== REPORT_SCHEMA_VERSION) {
    return {
      unavailable: `${where} has schemaVersion ${version}; this kubeline compares with schemaVersion ${REPORT_SCHEMA_VERSION} only`,
    };
  }
  const report = previousReportSchema.safeParse(json.value);
  if (!report.success) {
    return {
      unavailable: `${where} does not match schemaVersion ${REPORT_SCHEMA_VERSION} (${describeIssues(report.error)})`,
    };
  }
  const { run, clusters, scopes, findings, diff } = report.data;
  if (run.id !== pointer.runId) {
    return { unavailable: `${where} is the report of run ${run.id}, not of the run latest.json names` };
  }
  return {
    previous: {
      run: { id: run.id, startedAt: run.startedAt, folder: pointer.folder },
      clusters,
      scopes: scopes.map((scope) => ({
        provider: scope.provider,
        scope: scope.scope,
        ...(scope.region === undefined ? {} : { region: scope.region }),
        status: scope.status,
        ...(scope.error === undefined ? {} : { error: scope.error }),
        clusters: scope.clusters,
      })),
      findings: findings.map((finding) => ({
        checkId: finding.checkId,
        clusterId: finding.clusterId,
        status: finding.status,
        ...(finding.waiver === undefined ? {} : { waiver: finding.waiver }),
      })),
      firstSeenFailing: new Map(
        (diff?.persisting ?? []).map((entry) => [
          findingKey(entry.clusterId, entry.checkId),
          entry.firstSeenFailing,
        ]),
      ),
    },
  };
}

/** The status the check returned: a waiver accepts a risk, it does not change what was found. */
function statusBeforeWaiver(finding: DiffFinding): Status {
  return finding.waiver?.originalStatus ?? finding.status;
}

function isFailing(status: Status | null): boolean {
  return status !== null && FAILING.has(status);
}

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare: the diff must sort the same on every machine.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function compareFindings(a: RunDiffFinding, b: RunDiffFinding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.clusterId, b.clusterId)
  );
}

function comparePersisting(a: RunDiffPersisting, b: RunDiffPersisting): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.firstSeenFailing, b.firstSeenFailing) ||
    compareFindings(a, b)
  );
}

function providerRank(provider: RunDiffScope['provider']): number {
  return provider === 'snapshot' ? PROVIDERS.length : PROVIDERS.indexOf(provider);
}

function compareClusters(a: RunDiffCluster, b: RunDiffCluster): number {
  return (
    providerRank(a.provider) - providerRank(b.provider) ||
    compareText(a.scope, b.scope) ||
    compareText(a.location, b.location) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

function compareScopes(a: RunDiffScope, b: RunDiffScope): number {
  return (
    providerRank(a.provider) - providerRank(b.provider) ||
    compareText(a.scope, b.scope) ||
    compareText(a.region ?? '', b.region ?? '')
  );
}

/** The day a failure seen in both runs was first seen: carried from the previous diff, else its run's day. */
function firstSeenFailing(previous: PreviousRun, key: string): string {
  const previousDay = previous.run.startedAt.slice(0, 10);
  const carried = previous.firstSeenFailing.get(key);
  // A carried day after the previous run's own day cannot be true; the run's day is.
  return carried !== undefined && carried < previousDay ? carried : previousDay;
}

function diffFindings(previous: PreviousRun, current: CurrentRun) {
  const earlier = new Map(
    previous.findings.map((finding) => [findingKey(finding.clusterId, finding.checkId), finding]),
  );
  const added: RunDiffFinding[] = [];
  const fixed: RunDiffFinding[] = [];
  const persisting: RunDiffPersisting[] = [];
  const newlyUnknown: RunDiffFinding[] = [];
  for (const finding of current.findings) {
    const key = findingKey(finding.clusterId, finding.checkId);
    const before = earlier.get(key);
    const now = statusBeforeWaiver(finding);
    const then = before === undefined ? null : statusBeforeWaiver(before);
    const entry: RunDiffFinding = {
      checkId: finding.checkId,
      clusterId: finding.clusterId,
      severity: finding.severity,
      status: finding.status,
      previousStatus: before === undefined ? null : before.status,
    };
    if (isFailing(now)) {
      if (isFailing(then)) persisting.push({ ...entry, firstSeenFailing: firstSeenFailing(previous, key) });
      else added.push(entry);
    } else if (now === 'unknown') {
      if (then !== 'unknown') newlyUnknown.push(entry);
    } else if (isFailing(then) && SETTLED.has(now)) {
      fixed.push(entry);
    }
  }
  return {
    new: added.sort(compareFindings),
    fixed: fixed.sort(compareFindings),
    persisting: persisting.sort(comparePersisting),
    newlyUnknown: newlyUnknown.sort(compareFindings),
  };
}

function clusterRef(cluster: RunDiffCluster): RunDiffCluster {
  // Postures are passed in whole; only the identity goes into the diff.
  return {
    id: cluster.id,
    provider: cluster.provider,
    scope: cluster.scope,
    location: cluster.location,
    name: cluster.name,
  };
}

function diffClusters(previous: PreviousRun, current: CurrentRun) {
  const before = new Set(previous.clusters.map((cluster) => cluster.id));
  const now = new Set(current.clusters.map((cluster) => cluster.id));
  const missing = previous.clusters.filter((cluster) => !now.has(cluster.id)).map(clusterRef);
  return {
    clustersAdded: current.clusters
      .filter((cluster) => !before.has(cluster.id))
      .map(clusterRef)
      .sort(compareClusters),
    // An incomplete run may have missed a cluster that still exists: it is not called removed.
    clustersRemoved: current.complete ? missing.sort(compareClusters) : [],
    clustersNotRead: current.complete ? [] : missing.sort(compareClusters),
  };
}

function scopeKey(scope: ScopeResult): string {
  return JSON.stringify([scope.provider, scope.scope, scope.region ?? null]);
}

function diffScopes(previous: PreviousRun, current: CurrentRun): RunDiffScope[] {
  const before = new Map(previous.scopes.map((scope) => [scopeKey(scope), scope]));
  return current.scopes
    .filter((scope) => scope.status === 'error' && before.get(scopeKey(scope))?.status !== 'error')
    .map((scope) => ({
      provider: scope.provider,
      scope: scope.scope,
      ...(scope.region === undefined ? {} : { region: scope.region }),
      ...(scope.error === undefined ? {} : { error: scope.error }),
      previousClusters: before.get(scopeKey(scope))?.clusters ?? 0,
    }))
    .sort(compareScopes);
}

/**
 * What changed per (cluster, check) since the previous complete run. Pure: the previous run as
 * read, this run, and notices about the history go in; the `diff` of `report.json` comes out.
 */
export function diffRuns(read: PreviousRunRead, current: CurrentRun, notices: readonly string[]): RunDiff {
  if ('unavailable' in read)
    return { previousRun: null, unavailable: read.unavailable, notices: [...notices] };
  const { previous } = read;
  return {
    previousRun: previous.run,
    ...diffFindings(previous, current),
    ...diffClusters(previous, current),
    scopesLost: diffScopes(previous, current),
    notices: [...notices],
  };
}
