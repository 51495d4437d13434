import type { ReportModel } from '../model/reportView.js';

/** Columns of `findings.csv`, in order. */
export const CSV_COLUMNS = [
  'checkId',
  'title',
  'clusterId',
  'cluster',
  'provider',
  'scope',
  'location',
  'status',
  'severity',
  'responsibility',
  'message',
  'compliance',
  'evidence',
  'waiverOwner',
  'waiverExpires',
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: always quoted, quotes doubled, and prefixed with `'` when a spreadsheet
 * would otherwise read it as a formula.
 */
export function csvField(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${inert.replace(/"/g, '""')}"`;
}

/** `findings.csv`: one row per finding, in report order; CRLF line ends as RFC 4180 asks. */
export function renderFindingsCsv(model: ReportModel): string {
  const rows = model.findings.map((finding) => [
    finding.checkId,
    finding.checkTitle,
    finding.clusterId,
    finding.clusterName,
    finding.provider,
    finding.scope,
    finding.location,
    finding.status,
    finding.severity,
    finding.responsibility,
    finding.message,
    finding.compliance.map((ref) => ref.label).join('; '),
    finding.evidence.map((field) => `${field.path} = ${field.display}`).join('\n'),
    finding.waiver?.owner ?? '',
    finding.waiver?.expires ?? '',
  ]);
  return [[...CSV_COLUMNS], ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
