import { type ReportFormat, type ReportModel, toReportJson } from '../model/report.js';
import { renderFindingsCsv } from './csv.js';
import { renderJunit } from './junit.js';
import { renderOcsfFindings } from './ocsf.js';
import { reportTemplate } from './templates.js';

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

const RENDERERS: Readonly<Record<ReportFormat, (model: ReportModel) => RenderedFile>> = {
  html: (model) => ({
    name: 'report.html',
    contentType: 'text/html; charset=utf-8',
    body: reportTemplate('report.html.hbs')(model),
  }),
  md: (model) => ({
    name: 'report.md',
    contentType: 'text/markdown; charset=utf-8',
    body: reportTemplate('report.md.hbs')(model),
  }),
  json: (model) => ({
    name: 'report.json',
    contentType: 'application/json',
    body: `${JSON.stringify(toReportJson(model), null, 2)}\n`,
  }),
  csv: (model) => ({
    name: 'findings.csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    body: renderFindingsCsv(model),
  }),
  junit: (model) => ({
    name: 'junit.xml',
    contentType: 'application/xml',
    body: renderJunit(model),
  }),
  ocsf: (model) => ({
    name: 'findings.ocsf.json',
    contentType: 'application/json',
    body: renderOcsfFindings(model),
  }),
};

/** Renders the model in each requested format, once per format, in the order asked. */
export function renderReports(model: ReportModel, formats: readonly ReportFormat[]): RenderedFile[] {
  return [...new Set(formats)].map((format) => RENDERERS[format](model));
}
