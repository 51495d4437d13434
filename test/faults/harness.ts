import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composePipeline } from '../../cli/compose.js';
import { runScan, type ScanOutcome } from '../../engine/pipeline.js';
import type { PostureSource } from '../../engine/ports.js';
import type { Finding } from '../../model/finding.js';
import { CHAOS_KINDS, type ChaosKind, type ChaosMix, drawFault, seededRandom } from '../peers/chaos.js';

/** The day the suite evaluates as of, so support windows read the same whatever the clock says. */
export const AS_OF = '2026-11-29';
const TOOL = { name: 'kubeline', version: 'fault-suite' };

/**
 * The seed of this run's faults: FAULT_SEED if set (to replay a failure), else a fresh one. Each
 * suite prints it.
 */
export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given.trim() !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FAULT_SEED must be an integer, got "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * The mixes every cloud is scanned under: the issue's 30% throttling with 5% server errors, and
 * each other fault alone at a rate that hits several calls of a handful of clusters while
 * retries still get most listings through.
 */
export const FAULT_MIXES: Readonly<Record<string, ChaosMix>> = {
  'throttling 30% + server errors 5%': { throttle: 0.3, 'server-error': 0.05 },
  'connection resets 20%': { reset: 0.2 },
  'slower than the call timeout 20%': { slow: 0.2 },
  'truncated bodies 20%': { truncated: 0.2 },
  'type-confused bodies 20%': { 'type-confused': 0.2 },
};

/** One request a peer saw under faults, in the order they arrived, and the fault it got. */
export interface ChaosEntry<Call> {
  readonly call: Call;
  readonly fault: ChaosKind | undefined;
}

const FORCED_AT = 4;

/** A 32-bit seed from the run's seed and a text (FNV-1a), for a PRNG of its own. */
function seedOf(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A peer hook that draws faults from a mix and records every request. Each request's fault is
 * drawn from the seed, the request itself (`identify`: what it asks, the same for a retry) and
 * which attempt at it this is, not from its place in the arrival order: a scan's concurrent
 * requests arrive in a different order on every run, and a sequence drawn in arrival order could
 * not be replayed from the seed. (Two things still depend on the order: the forced fault below,
 * and which values type confusion swaps, drawn from `random` as bodies are confused.)
 */
export function chaosRecorder<Call>(
  mix: ChaosMix,
  seed: number,
  identify: (call: Call) => string,
): {
  readonly hook: (call: Call) => ChaosKind | undefined;
  readonly random: () => number;
  readonly log: ChaosEntry<Call>[];
} {
  const log: ChaosEntry<Call>[] = [];
  const attempts = new Map<string, number>();
  const [firstKind] = CHAOS_KINDS.filter((kind) => (mix[kind] ?? 0) > 0);
  return {
    hook: (call) => {
      const request = identify(call);
      const attempt = attempts.get(request) ?? 0;
      attempts.set(request, attempt + 1);
      // A scan of a handful of clusters makes few calls: the fifth gets a fault if none had one,
      // so every mix is exercised whatever the seed.
      const unlucky = log.length === FORCED_AT && log.every((entry) => entry.fault === undefined);
      const fault = unlucky ? firstKind : drawFault(mix, seededRandom(seedOf(seed, `${attempt} ${request}`)));
      log.push({ call, fault });
      return fault;
    },
    // Type confusion draws from its own sequence, so it does not shift the faults of later requests.
    random: seededRandom(seed ^ 0x5bd1e995),
    log,
  };
}

/** Runs the pipeline on live sources into a scratch folder, JSON only, as of AS_OF. */
export async function scan(sources: readonly PostureSource[]): Promise<ScanOutcome> {
  const folder = await mkdtemp(join(tmpdir(), 'kubeline-faults-'));
  try {
    const deps = await composePipeline({}, sources, { out: folder, tool: TOOL, env: {} });
    return await runScan(deps, { trigger: 'cli', asOf: AS_OF, formats: ['json'] });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** What the peer's record says became of a scope's listing: the fault its last attempt got. */
export type ListingFate = 'listed' | 'lost' | 'ambiguous';

/**
 * The fate of each scope's listing from the requests a peer saw, in the order they arrived: `lost`
 * when the last request that lists it got a fault that leaves no usable answer (the client's retries gave up there),
 * `ambiguous` when the last got a type-confused body (a client may or may not make sense of it),
 * `listed` otherwise. `scopesOf` names the scopes (`scope/region`, lower case) a request lists.
 */
export function listingFates<Call>(
  log: readonly ChaosEntry<Call>[],
  scopesOf: (call: Call) => readonly string[],
): Map<string, ListingFate> {
  const fates = new Map<string, ListingFate>();
  for (const { call, fault } of log) {
    const fate: ListingFate =
      fault === undefined ? 'listed' : fault === 'type-confused' ? 'ambiguous' : 'lost';
    // The last attempt decides: a retry that got through makes up for the faults before it.
    for (const scope of scopesOf(call)) fates.set(scope, fate);
  }
  return fates;
}

export function scopeKey(scope: string, region?: string): string {
  return `${scope}/${region ?? ''}`.toLowerCase();
}

/** Evidence paths of each provider's live version API (DescribeClusterVersions, fetchClusterUpgradeInfo and getServerConfig, listKubernetesVersions). */
const LIVE_VERSION_EVIDENCE = /^(clusterVersions\[|clusterUpgradeInfo\.|serverConfig\.|kubernetesVersions\.)/;

function citesLiveVersionData(finding: Finding): boolean {
  return finding.evidence.some((field) => LIVE_VERSION_EVIDENCE.test(field.path));
}

const findingKey = (finding: Finding): string => `${finding.clusterId.toLowerCase()} ${finding.checkId}`;

/**
 * Every way a run under faults departs from the issue's promise, given the clean run and the fate
 * of each scope's listing. Empty when the run keeps it:
 * - every finding has the clean run's status and severity, or is `unknown` with a reason (a version
 *   check that fell back from the live version API to the bundled calendar may grade differently);
 * - no finding the clean run lacks, and never a `pass` where the clean run did not pass;
 * - a scope is an error exactly when its listing was lost (a type-confused last answer may go
 *   either way); a listed scope keeps every clean cluster, or names it as a problem;
 * - the run is incomplete exactly when a scope is an error or a cluster is a problem.
 * With `undetectableCorruption` (protobuf answers whose wire types were swapped: protobufjs decodes
 * many of them into other values without an error, so no client can tell), another decided
 * status is allowed, a pass where the clean run did not pass still is not.
 */
export function violations(
  clean: ScanOutcome,
  faulty: ScanOutcome,
  fates: ReadonlyMap<string, ListingFate>,
  options: { readonly undetectableCorruption?: boolean } = {},
): string[] {
  const found: string[] = [];
  const cleanFindings = new Map(clean.findings.map((finding) => [findingKey(finding), finding]));
  for (const finding of faulty.findings) {
    const before = cleanFindings.get(findingKey(finding));
    if (before === undefined) {
      found.push(`${findingKey(finding)}: ${finding.status} is not in the clean run`);
      continue;
    }
    if (finding.status === before.status) {
      // The same verdict; a version check may rest on the bundled calendar instead of the live
      // version API it could not read, as documented, and so grade or word it differently.
      const fellBack = citesLiveVersionData(before) && !citesLiveVersionData(finding);
      if (finding.severity !== before.severity && !fellBack) {
        found.push(
          `${findingKey(finding)}: ${finding.status} graded ${finding.severity}, the clean run ${before.severity}`,
        );
      }
      continue;
    }
    if (finding.status === 'pass') {
      found.push(`${findingKey(finding)}: pass where the clean run had ${before.status}: ${finding.message}`);
    } else if (
      finding.status === 'unknown' ? finding.message.trim() === '' : !options.undetectableCorruption
    ) {
      found.push(
        `${findingKey(finding)}: ${finding.status} "${finding.message}" where the clean run had ${before.status} "${before.message}"`,
      );
    }
  }
  // An EKS account that could not be entered is one error without a region: it covers every region.
  const erroredScopes = new Set(
    faulty.scopes
      .filter((scope) => scope.status === 'error')
      .map((scope) => scopeKey(scope.scope, scope.region)),
  );
  const errored = (scope: string, region?: string): boolean =>
    erroredScopes.has(scopeKey(scope, region)) || erroredScopes.has(scopeKey(scope));
  for (const scope of clean.scopes) {
    const key = scopeKey(scope.scope, scope.region);
    const fate = fates.get(key) ?? 'listed';
    if (fate === 'lost' && !errored(scope.scope, scope.region))
      found.push(`${key}: its listing was lost, yet the scope is ok`);
    if (fate === 'listed' && errored(scope.scope, scope.region))
      found.push(`${key}: listed, yet the scope is an error`);
  }
  // A listed scope keeps every clean cluster, or a problem names it; a problem that names no clean
  // cluster (one whose name or id could not be read) accounts for one missing cluster of its scope.
  const faultyClusters = new Set(faulty.clusters.map((cluster) => cluster.id.toLowerCase()));
  const named = new Set(
    clean.clusters.flatMap((cluster) => [cluster.id.toLowerCase(), cluster.name.toLowerCase()]),
  );
  const unnamedProblems = new Map<string, number>();
  const problemClusters = new Set<string>();
  for (const problem of faulty.problems) {
    const cluster = problem.cluster?.toLowerCase();
    if (cluster !== undefined && named.has(cluster)) problemClusters.add(cluster);
    else {
      const scope = (problem.scope ?? '').toLowerCase();
      unnamedProblems.set(scope, (unnamedProblems.get(scope) ?? 0) + 1);
    }
  }
  const dropped = new Map<string, string[]>();
  for (const cluster of clean.clusters) {
    const region = cluster.provider === 'eks' ? cluster.location : undefined;
    const key = scopeKey(cluster.scope, region);
    if (errored(cluster.scope, region)) continue;
    const id = cluster.id.toLowerCase();
    if (faultyClusters.has(id) || problemClusters.has(id) || problemClusters.has(cluster.name.toLowerCase()))
      continue;
    dropped.set(key, [...(dropped.get(key) ?? []), cluster.id]);
  }
  for (const [key, ids] of dropped) {
    const accounted = unnamedProblems.get(key) ?? unnamedProblems.get(key.replace(/\/$/, '')) ?? 0;
    if (ids.length > accounted) {
      found.push(`${ids.join(', ')}: dropped from a listed scope with ${accounted} unnamed problems there`);
    }
  }
  const incomplete = erroredScopes.size > 0 || faulty.problems.length > 0;
  if (faulty.complete === incomplete) {
    found.push(
      `the run says complete=${faulty.complete} with ${erroredScopes.size} scope errors and ${faulty.problems.length} problems`,
    );
  }
  return found;
}

/** How many findings of a run are unknown, and how many requests got each fault: the suite's log line. */
export function summary<Call>(outcome: ScanOutcome, log: readonly ChaosEntry<Call>[]): string {
  const faults = new Map<string, number>();
  for (const { fault } of log) if (fault !== undefined) faults.set(fault, (faults.get(fault) ?? 0) + 1);
  const unknown = outcome.findings.filter((finding) => finding.status === 'unknown').length;
  const errors = outcome.scopes.filter((scope) => scope.status === 'error').length;
  const injected = [...faults].map(([fault, count]) => `${count} ${fault}`).join(', ') || 'none';
  const problems = outcome.problems.map(
    (problem) => `${problem.cluster ?? problem.scope ?? ''}: ${problem.reason}`,
  );
  return `${log.length} requests (${injected}); ${outcome.clusters.length} clusters, ${unknown}/${outcome.findings.length} findings unknown, ${errors} scope errors, ${outcome.problems.length} problems, complete=${outcome.complete}${problems.length === 0 ? '' : ` [${problems.join('; ')}]`}`;
}
