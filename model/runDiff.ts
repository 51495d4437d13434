import type { Severity, Status } from './finding.js';
import type { Provider } from './posture.js';

/** A cluster as the run-to-run diff names it. */
export interface RunDiffCluster {
  readonly id: string;
  readonly provider: Provider;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
}

/**
 * One check on one cluster in the run-to-run diff. The diff compares the statuses the checks
 * returned before waivers (a `waived` finding counts as its original status), so applying a
 * waiver never reads as a fix and its expiry never as a new failure; `status` and
 * `previousStatus` are the statuses as reported, `waived` included.
 */
export interface RunDiffFinding {
  readonly checkId: string;
  readonly clusterId: string;
  /** This run's severity of the finding. */
  readonly severity: Severity;
  readonly status: Status;
  /** Null when the previous run did not evaluate this check on this cluster (a new cluster or check). */
  readonly previousStatus: Status | null;
}

/** A finding failing in this run and in the previous one. */
export interface RunDiffPersisting extends RunDiffFinding {
  /**
   * `YYYY-MM-DD`: the day of the earliest run seen failing it, carried from report to report
   * through each one's `diff`; a report that could not be compared with its own predecessor
   * restarts the count at its own day.
   */
  readonly firstSeenFailing: string;
}

/** A scope this run could not read that the previous run did not fail on. */
export interface RunDiffScope {
  readonly provider: Provider | 'snapshot';
  readonly scope: string;
  readonly region?: string;
  readonly error?: string;
  /** Clusters the previous run read from it (0 when it did not list the scope): now unseen. */
  readonly previousClusters: number;
}

/** The previous complete run the diff compares with, as `latest.json` named it before this run. */
export interface RunDiffPreviousRun {
  readonly id: string;
  readonly startedAt: string;
  /** Its folder in the sink, `runs/<YYYY-MM-DD>/<runId>`. */
  readonly folder: string;
}

/**
 * `diff` in `report.json` when a previous complete run was read: what changed per (cluster,
 * check). "Failing" is `fail` or `error` (before waivers, see `RunDiffFinding`). Every list is
 * complete and sorted: findings by severity, check id, cluster id (persisting ones by
 * first-seen day after severity), clusters by provider, scope, location, name, scopes by
 * provider, scope, region.
 */
export interface RunDiffCompared {
  readonly previousRun: RunDiffPreviousRun;
  /** Failing now; not failing in the previous run, or not evaluated there (a new cluster or check). */
  readonly new: readonly RunDiffFinding[];
  /** Failing in the previous run; `pass` or `not_applicable` now. Failing then `unknown` now is `newlyUnknown`. */
  readonly fixed: readonly RunDiffFinding[];
  /** Failing in both runs, with the first day it was seen failing. */
  readonly persisting: readonly RunDiffPersisting[];
  /** `unknown` now; known in the previous run, or not evaluated there. */
  readonly newlyUnknown: readonly RunDiffFinding[];
  /** Clusters read now that the previous run did not have. */
  readonly clustersAdded: readonly RunDiffCluster[];
  /** Clusters of the previous run that this complete run did not find. Their findings are not called fixed. */
  readonly clustersRemoved: readonly RunDiffCluster[];
  /**
   * Clusters of the previous run missing from this incomplete run, which cannot tell a deleted
   * cluster from one it failed to read: not called removed, and their failures not called fixed.
   */
  readonly clustersNotRead: readonly RunDiffCluster[];
  /** Scopes this run could not read (`status: error`) that the previous run did not fail on. */
  readonly scopesLost: readonly RunDiffScope[];
  /** Plain sentences about the run history the diff rests on (a `history.json` that was replaced). */
  readonly notices: readonly string[];
}

/** `diff` in `report.json` when there is nothing to compare with: the reason, and no lists. */
export interface RunDiffUnavailable {
  readonly previousRun: null;
  /**
   * Why: no previous complete run (no `latest.json`), or its `report.json` is missing, unreadable,
   * not valid JSON or of another `schemaVersion`.
   */
  readonly unavailable: string;
  readonly notices: readonly string[];
}

/** The run-to-run diff of `report.json`: compared with the previous complete run, or why not. */
export type RunDiff = RunDiffCompared | RunDiffUnavailable;
