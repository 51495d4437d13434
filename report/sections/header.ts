import type { ReportHeader, ReportProblem, ReportScope } from '../../model/reportView.js';
import type { RunInfo, Trigger } from '../../model/run.js';
import { plural } from './labels.js';

const TRIGGER_LABELS: Readonly<Record<Trigger, string>> = {
  cli: 'Command line',
  schedule: 'Schedule',
  http: 'HTTP request',
};

function durationLabel(startedAt: string, finishedAt: string): string {
  const millis = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(millis) || millis < 0) return 'unknown';
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The top of the report: what ran, when, and whether it saw everything. */
export function buildHeader(
  run: RunInfo,
  scopes: readonly ReportScope[],
  problems: readonly ReportProblem[],
): ReportHeader {
  const scopeErrors = scopes.filter((scope) => scope.status === 'error');
  const complete = run.complete && scopeErrors.length === 0 && problems.length === 0;
  // An exported file is a scope of its own; one that could not be read is not a listing that failed.
  const unlisted = scopeErrors.filter((scope) => scope.provider !== 'snapshot').length;
  const unread = scopeErrors.length - unlisted + problems.length;
  let completenessLabel: string;
  if (complete) completenessLabel = 'Complete: every scope and cluster was read.';
  else if (scopeErrors.length === 0 && problems.length === 0) {
    completenessLabel = 'Incomplete: the run could not read everything. Missing data is not a pass.';
  } else {
    const parts = [
      ...(unlisted > 0 ? [`${plural(unlisted, 'scope')} could not be listed`] : []),
      ...(unread > 0 ? [`${plural(unread, 'file or cluster', 'files or clusters')} could not be read`] : []),
    ];
    completenessLabel = `Incomplete: ${parts.join(' and ')}. Missing data is not a pass.`;
  }
  return {
    title: `kubeline report ${run.id}`,
    triggerLabel: TRIGGER_LABELS[run.trigger],
    durationLabel: durationLabel(run.startedAt, run.finishedAt),
    complete,
    completenessLabel,
    scopeErrors,
    apiCallsLabel:
      run.apiCalls.calls === 0
        ? 'none (exported files only)'
        : `${run.apiCalls.calls.toLocaleString('en-US')} (${run.apiCalls.retries.toLocaleString('en-US')} retried, ${run.apiCalls.failures.toLocaleString('en-US')} failed)`,
  };
}
