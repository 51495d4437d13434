import type { Severity, Status } from '../model/finding.js';
import type { Provider } from '../model/posture.js';

/** What `POST /scans` asks for: every field narrows the run; none at all is a full scan. */
export interface ScanLaunchRequest {
  readonly providers?: readonly Provider[];
  /** AWS account ids, GCP project ids, Azure subscription ids. */
  readonly scopes?: readonly string[];
  /** Cluster names. */
  readonly clusters?: readonly string[];
  /** False skips the notifiers. @default true */
  readonly notify?: boolean;
}

/** A full scan reads the whole estate; only one may run at a time. */
export function isFullScan(request: ScanLaunchRequest): boolean {
  return request.providers === undefined && request.scopes === undefined && request.clusters === undefined;
}

/**
 * Checking for a running full scan and starting one is a single step, so two requests that
 * arrive together cannot both start one.
 */
export type LaunchResult =
  | { readonly state: 'started'; readonly runId: string }
  | { readonly state: 'busy'; readonly runningRunId: string };

/** Starts runs: in-process for `kubeline serve`, a Step Functions execution on Lambda. */
export interface ScanLauncher {
  /** Starts a run and resolves once it has an id, long before it finishes; `busy` when a full scan is already running. */
  start(request: ScanLaunchRequest): Promise<LaunchResult>;
}

export const RUN_STATUSES = ['running', 'complete', 'incomplete', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Headline counts of a finished run. */
export interface RunCounts {
  readonly clusters: number;
  readonly findings: Readonly<Record<Status, number>> & { readonly total: number };
  /** Findings that are `fail` or `error` per severity (waived ones are not). */
  readonly failingBySeverity: Readonly<Record<Severity, number>>;
}

/** One report file of a run, and where a client fetches it. */
export interface ReportLink {
  readonly name: string;
  /** A link that works without credentials for a while (presigned, signed, SAS), or the file's location. */
  readonly href: string;
}

/** A run as the API shows it. */
export interface RunView {
  readonly runId: string;
  readonly status: RunStatus;
  /** ISO 8601. */
  readonly startedAt: string;
  /** Null while the run is running. */
  readonly finishedAt: string | null;
  /** Null while running, or when the run failed before it counted anything. */
  readonly counts: RunCounts | null;
  readonly reports: readonly ReportLink[];
  /** Why a failed run failed. */
  readonly error?: string;
}

/** A run in the list of recent runs: its view without the report links. */
export type RunSummary = Omit<RunView, 'reports'>;

/** Reads runs: the sink's `history.json` and manifests, and the runs in progress. */
export interface RunCatalogue {
  /** The run, or undefined when no run has that id. */
  get(runId: string): Promise<RunView | undefined>;
  /** At most `limit` runs, newest first. */
  recent(limit: number): Promise<readonly RunSummary[]>;
}
