import { SEVERITIES, type Severity, severityRank } from '../../model/finding.js';
import type {
  ReportDiff,
  ReportFinding,
  ReportHeadline,
  ReportProblem,
  ReportScope,
} from '../../model/reportView.js';
import { plural, SEVERITY_LABELS } from './labels.js';

/** What the headline sums up: the report's sections, already built. */
export interface HeadlineParts {
  readonly clusters: number;
  readonly scopes: readonly ReportScope[];
  readonly problems: readonly ReportProblem[];
  readonly findings: readonly ReportFinding[];
  readonly diff: ReportDiff | null;
}

function coverageLabel(scopes: number, notRead: number): string {
  if (scopes === 0) return 'No scope was listed: exported files only';
  if (notRead === 0) return scopes === 1 ? 'The one scope was read' : `All ${plural(scopes, 'scope')} read`;
  return `${notRead} of ${plural(scopes, 'scope')} not read`;
}

/** Per failing check, the worst severity among its `fail` findings. */
function failingChecks(findings: readonly ReportFinding[]): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const finding of findings) {
    if (finding.status !== 'fail') continue;
    const current = worst.get(finding.checkId);
    if (current === undefined || severityRank(finding.severity) < severityRank(current)) {
      worst.set(finding.checkId, finding.severity);
    }
  }
  return worst;
}

function changesOf(diff: ReportDiff | null): Pick<ReportHeadline, 'changes' | 'changesLabel'> {
  if (diff === null) return { changes: null, changesLabel: 'No comparison with a previous run.' };
  if (!('new' in diff.data)) return { changes: null, changesLabel: diff.headline };
  return {
    changes: { new: diff.data.new.length, fixed: diff.data.fixed.length },
    changesLabel: diff.headline,
  };
}

/**
 * The headline: clusters, how much of the estate was read (and what was not, with reasons),
 * failing checks per severity, and what changed since the previous complete run.
 */
export function buildHeadline(parts: HeadlineParts): ReportHeadline {
  const notReadScopes = parts.scopes.filter((scope) => scope.status === 'error');
  const worst = failingChecks(parts.findings);
  const bySeverity = [...worst.values()];
  return {
    clusters: parts.clusters,
    scopes: parts.scopes.length,
    scopesNotRead: notReadScopes.length,
    coverageLabel: coverageLabel(parts.scopes.length, notReadScopes.length),
    notRead: [
      ...notReadScopes.map(
        (scope) =>
          `${scope.providerName} scope ${scope.scope}${scope.region === null ? '' : ` (${scope.region})`}: ${scope.error ?? 'not read'}`,
      ),
      ...parts.problems.map((problem) => `${problem.subject}: ${problem.reason}`),
    ],
    failingChecks: worst.size,
    failingChecksBySeverity: SEVERITIES.map((severity) => ({
      severity,
      label: SEVERITY_LABELS[severity],
      count: bySeverity.filter((found) => found === severity).length,
    })),
    ...changesOf(parts.diff),
  };
}
