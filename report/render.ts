import type { RenderedFile, ReportFormat } from '../model/reportFormats.js';
import type { ReportModel } from '../model/reportView.js';
import { renderFindingsCsv } from './csv.js';
import { toReportJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderOcsfFindings } from './ocsf.js';
import { reportTemplate } from './templates.js';

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

/**
 * Renders the model in one format. The composition root hands this to the pipeline as its
 * `render` port, so the engine itself never loads Handlebars or the templates.
 */
export function renderReport(model: ReportModel, format: ReportFormat): RenderedFile {
  return RENDERERS[format](model);
}

/** Renders the model in each requested format, once per format, in the order asked. */
export function renderReports(model: ReportModel, formats: readonly ReportFormat[]): RenderedFile[] {
  return [...new Set(formats)].map((format) => renderReport(model, format));
}
