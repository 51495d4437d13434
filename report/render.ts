import { bodyText, textChunks } from '../model/fileBody.js';
import type { RenderedFile, RenderedFormat } from '../model/reportFormats.js';
import type { ReportModel } from '../model/reportView.js';
import { inChunks } from './chunked.js';
import { renderFindingsCsv } from './csv.js';
import { renderReportJson } from './json.js';
import { renderJunit } from './junit.js';
import { MATRIX_SCRIPT } from './matrixScript.js';
import { renderOcsfFindings } from './ocsf.js';
import { clusterPagePath } from './sections/clusters.js';
import { buildMatrixPage, matrixPagePath } from './sections/matrix.js';
import { buildPagedSections } from './sections/pagedSections.js';
import { reportTemplate, reportTemplatePieces } from './templates.js';

const HTML = 'text/html; charset=utf-8';

/**
 * report.html, then, when the model puts each cluster on its own page, `clusters/<slug>.html` for
 * each cluster in report order. A generator: each page is rendered when the caller asks for it,
 * after the previous one was written, so a 5,000-cluster run never holds more than one page.
 */
export function* renderHtml(model: ReportModel): Generator<WholeRenderedFile, void, undefined> {
  // The matrix's filter script is a constant of the code, never data: the only triple-stash of text.
  // `paged` is null below the threshold: the sections then print every cluster, as they always have.
  yield {
    name: 'report.html',
    contentType: HTML,
    body: reportTemplate('report.html.hbs')({
      ...model,
      matrixScript: MATRIX_SCRIPT,
      paged: buildPagedSections(model),
    }),
  };
  if (!model.layout.clusterPages) return;
  const page = reportTemplate('cluster.html.hbs');
  for (const cluster of model.clusters) {
    yield {
      name: clusterPagePath(cluster.slug) as `clusters/${string}.html`,
      contentType: HTML,
      body: page({ tool: model.tool, run: model.run, cluster }),
    };
  }
  yield* renderMatrixPages(model);
}

/** The pages of a large estate's whole matrix, each page's rows built only as it is rendered. */
function* renderMatrixPages(model: ReportModel): Generator<WholeRenderedFile, void, undefined> {
  const template = reportTemplate('matrix.html.hbs');
  const pages = model.matrixPages;
  // A page links to its neighbours by file name: they are in the same folder.
  const neighbour = (index: number) => {
    const other = pages[index];
    return other === undefined ? null : { file: `${other.number}.html`, label: other.label };
  };
  for (const [index, page] of pages.entries()) {
    yield {
      name: matrixPagePath(page.number),
      contentType: HTML,
      body: template({
        tool: model.tool,
        run: model.run,
        page,
        pageCount: pages.length,
        previous: neighbour(index - 1),
        next: neighbour(index + 1),
        matrix: buildMatrixPage(model.clusters, model.catalogue, page),
        matrixScript: MATRIX_SCRIPT,
      }),
    };
  }
}

const RENDERERS: Readonly<Record<RenderedFormat, (model: ReportModel) => Iterable<RenderedFile>>> = {
  html: renderHtml,
  md: (model) =>
    one({
      name: 'report.md',
      contentType: 'text/markdown; charset=utf-8',
      body: textChunks(() => inChunks(reportTemplatePieces('report.md.hbs')(model))),
    }),
  json: (model) =>
    one({
      name: 'report.json',
      contentType: 'application/json',
      body: renderReportJson(model),
    }),
  csv: (model) =>
    one({
      name: 'findings.csv',
      contentType: 'text/csv; charset=utf-8; header=present',
      body: renderFindingsCsv(model),
    }),
  junit: (model) =>
    one({
      name: 'junit.xml',
      contentType: 'application/xml',
      body: renderJunit(model),
    }),
  ocsf: (model) =>
    one({
      name: 'findings.ocsf.json',
      contentType: 'application/json',
      body: renderOcsfFindings(model),
    }),
};

function one(file: RenderedFile): RenderedFile[] {
  return [file];
}

/**
 * Renders the model in one format: its files, lazily (see `renderHtml`). The composition root hands this to the pipeline as its
 * `render` port, so the engine itself never loads Handlebars or the templates.
 */
export function renderReport(model: ReportModel, format: RenderedFormat): Iterable<RenderedFile> {
  return RENDERERS[format](model);
}

/** A rendered file with its whole text: what `renderReports` returns. */
export interface WholeRenderedFile extends RenderedFile {
  readonly body: string;
}

/**
 * Renders the model in each requested format, once per format, in the order asked: every file, at
 * once, each body whole. For small runs and tests; the pipeline asks `renderReport` one file at a
 * time and writes bodies in pieces.
 */
export function renderReports(model: ReportModel, formats: readonly RenderedFormat[]): WholeRenderedFile[] {
  return [...new Set(formats)].flatMap((format) =>
    [...renderReport(model, format)].map((file) => ({ ...file, body: bodyText(file.body) })),
  );
}
