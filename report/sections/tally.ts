import { SEVERITIES, type Severity, STATUSES, type Status } from '../../model/finding.js';
import type { ReportFinding, SeverityTally, StatusTally } from '../../model/reportView.js';
import { SEVERITY_LABELS, STATUS_LABELS } from './labels.js';

/** Counts of the findings per status, with their labels. */
export function tally(findings: readonly { readonly status: Status }[]): StatusTally {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const finding of findings) byStatus[finding.status] += 1;
  const cells = STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: byStatus[status] }));
  const nonZero = cells
    .filter((cell) => cell.count > 0)
    .map((cell) => `${cell.count} ${cell.label.toLowerCase()}`);
  return {
    byStatus,
    total: findings.length,
    needsAttention: byStatus.fail + byStatus.error + byStatus.unknown,
    cells,
    label: nonZero.length > 0 ? nonZero.join(', ') : 'none',
  };
}

/** Counts of the findings per severity. */
export function severityTally(findings: readonly ReportFinding[]): SeverityTally {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const finding of findings) bySeverity[finding.severity] += 1;
  return {
    bySeverity,
    total: findings.length,
    cells: SEVERITIES.map((severity) => ({
      severity,
      label: SEVERITY_LABELS[severity],
      count: bySeverity[severity],
    })),
  };
}
