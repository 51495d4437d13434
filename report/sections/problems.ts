import type { ReportProblem, RunProblem } from '../../model/reportView.js';
import type { RunNotice } from '../../model/run.js';
import { compareText } from './order.js';

function reportProblem(problem: RunProblem): ReportProblem {
  const subjects = [
    ...(problem.file === undefined ? [] : [`file ${problem.file}`]),
    ...(problem.scope === undefined ? [] : [`scope ${problem.scope}`]),
    ...(problem.cluster === undefined ? [] : [`cluster ${problem.cluster}`]),
  ];
  const subject = subjects.length === 0 ? 'run' : subjects.join(', ');
  return {
    file: problem.file ?? null,
    scope: problem.scope ?? null,
    cluster: problem.cluster ?? null,
    reason: problem.reason,
    subject: subject.charAt(0).toUpperCase() + subject.slice(1),
  };
}

function compareProblems(a: ReportProblem, b: ReportProblem): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    compareText(a.scope ?? '', b.scope ?? '') ||
    compareText(a.cluster ?? '', b.cluster ?? '') ||
    compareText(a.reason, b.reason)
  );
}

function compareRunNotices(a: RunNotice, b: RunNotice): number {
  return compareText(a.cluster, b.cluster) || compareText(a.files.join('\n'), b.files.join('\n'));
}

/** What the run could not read, sorted by file, scope, cluster and reason. */
export function buildProblems(problems: readonly RunProblem[]): ReportProblem[] {
  return problems.map(reportProblem).sort(compareProblems);
}

/** The run's notices, sorted by cluster, then files. */
export function sortRunNotices(notices: readonly RunNotice[]): RunNotice[] {
  return [...notices].sort(compareRunNotices);
}
