/** The formats a run can publish. */
export const REPORT_FORMATS = ['html', 'md', 'json', 'csv', 'junit', 'ocsf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * What a run publishes when neither `--format` nor `output.formats` says: the reports people and
 * CI read. OCSF events are for a SIEM or a security lake, so they are written only when asked for.
 */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv', 'junit'];

/** The file names of a run's reports (ARCHITECTURE.md, output layout). */
export type ReportFileName =
  | 'report.html'
  | 'report.md'
  | 'report.json'
  | 'findings.csv'
  | 'junit.xml'
  | 'findings.ocsf.json';

/** One rendered report file, ready for a sink. */
export interface RenderedFile {
  readonly name: ReportFileName;
  readonly contentType: string;
  readonly body: string;
}
