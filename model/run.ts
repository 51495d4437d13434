import type { Provider } from './posture.js';

export const TRIGGERS = ['cli', 'schedule', 'http'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** The outcome of listing one scope: an account/region, a project, a subscription, or an exported file. */
export interface ScopeResult {
  readonly provider: Provider | 'snapshot';
  /** Account id, project id, subscription id, or the file path for `--from`. */
  readonly scope: string;
  readonly region?: string;
  readonly status: 'ok' | 'error';
  readonly error?: string;
  /** Clusters read from this scope. */
  readonly clusters: number;
}

/** Facts about one run, filled in by the pipeline. */
export interface RunInfo {
  readonly id: string;
  readonly trigger: Trigger;
  /** ISO 8601 timestamps. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The day dates are evaluated against (`--as-of`), `YYYY-MM-DD`. */
  readonly asOf: string;
  /** False when a scope or a cluster could not be read. */
  readonly complete: boolean;
  /** Date of the bundled support calendar, `YYYY-MM-DD`. */
  readonly calendarDate: string;
  /** Cloud API calls the live sources made; zero for a run over exported files. */
  readonly apiCalls: ApiCallTotals;
}

/** How many cloud API calls a run made, and how many of them had to be retried or failed. */
export interface ApiCallTotals {
  readonly calls: number;
  /** Attempts beyond the first (throttling, timeouts, 5xx), across all calls. */
  readonly retries: number;
  readonly failures: number;
}

/**
 * Something the operator should know that took nothing away from the run, which stays complete:
 * a cluster exported in two files, of which one copy was read.
 */
export interface RunNotice {
  /** The files concerned, the one read first. */
  readonly files: readonly string[];
  readonly cluster: string;
  /** A plain sentence that names the files and what was done. */
  readonly message: string;
}
