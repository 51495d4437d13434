import type { ReadProblem, SourceResult } from '../engine/ports.js';
import type { ClusterPosture } from '../model/posture.js';
import type { ScopeResult } from '../model/run.js';
import type { ApiCallStats } from './apiCalls.js';
import { NormaliseError } from './errors.js';

/** What one scope (account/region, project, subscription) of a live provider gave. */
export interface ScopeCollection<Raw> {
  readonly result: ScopeResult;
  readonly clusters: readonly Raw[];
  readonly problems: readonly ReadProblem[];
}

/**
 * The source result of a live run: every scope's outcome, every cluster normalised with the same
 * mapping as `--from`, and a cluster that cannot be normalised recorded as a problem rather than
 * dropped silently or allowed to end the run.
 */
export function sourceResultOf<Raw>(
  planErrors: readonly ScopeResult[],
  collections: readonly ScopeCollection<Raw>[],
  normalise: (raw: Raw) => ClusterPosture,
  stats: ApiCallStats,
): SourceResult {
  const postures: ClusterPosture[] = [];
  const problems: ReadProblem[] = [];
  const scopes: ScopeResult[] = [...planErrors];
  for (const collection of collections) {
    scopes.push(collection.result);
    problems.push(...collection.problems);
    const where = collection.result.region
      ? `${collection.result.scope}/${collection.result.region}`
      : collection.result.scope;
    for (const cluster of collection.clusters) {
      try {
        postures.push(normalise(cluster));
      } catch (error) {
        if (!(error instanceof NormaliseError)) throw error;
        problems.push({
          scope: where,
          ...(error.context.cluster ? { cluster: error.context.cluster } : {}),
          reason: error.message,
        });
      }
    }
  }
  return {
    postures,
    scopes,
    problems,
    apiCalls: { calls: stats.calls, retries: stats.retries, failures: stats.failures },
  };
}
