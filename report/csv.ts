import { textChunks } from '../model/fileBody.js';
import type { TextChunks } from '../model/reportFormats.js';
import type { ReportFinding, ReportModel } from '../model/reportView.js';
import { inChunks } from './chunked.js';

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

function findingCells(finding: ReportFinding): string[] {
  return [
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
    finding.evidence.map((field) => `${field.path} = ${JSON.stringify(field.value)}`).join('\n'),
    finding.waiver?.owner ?? '',
    finding.waiver?.expires ?? '',
  ];
}

function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

function* csvRecords(model: ReportModel): Generator<string, void, undefined> {
  yield csvRecord(CSV_COLUMNS);
  for (const finding of model.findings) yield csvRecord(findingCells(finding));
}

/**
 * `findings.csv`: one row per finding, in report order; CRLF line ends as RFC 4180 asks. In
 * pieces, a few hundred rows each: a large estate's file is never whole in memory.
 */
export function renderFindingsCsv(model: ReportModel): TextChunks {
  return textChunks(() => inChunks(csvRecords(model)));
}
