import { SEVERITIES, severityRank } from '../../model/finding.js';
import type { ReportCatalogueEntry } from '../../model/reportJson.js';
import type { ReportCluster, ReportFinding, ReportMatrix, ReportMatrixPage } from '../../model/reportView.js';
import { formatCount } from '../charts/svg.js';
import { buildClusterCheckMatrix } from '../matrix.js';

/**
 * Clusters the matrix of a large estate's report.html shows: those needing attention most. 250
 * rows × 40 checks stay under the cell limit, so they show a cell per check, and the page lays
 * out in well under a second; the whole matrix is on the pages beside it.
 */
export const MATRIX_ATTENTION_ROWS = 250;

/**
 * Clusters per page of a large estate's whole matrix (`matrix/<n>.html`): 500 × 40 checks make
 * 20,000 cells, under `MATRIX_MAX_CELLS`, so every page shows a cell per check.
 */
export const MATRIX_PAGE_ROWS = 500;

/**
 * The cluster × check matrix (report/matrix.ts) with each row linked to where its cluster's detail
 * is: its section of report.html, or its own page (`hrefPrefix` is prepended for a page in another
 * folder, `../` from `matrix/<n>.html`).
 */
export function buildMatrix(
  clusters: readonly ReportCluster[],
  catalogue: readonly ReportCatalogueEntry[],
  findings: readonly ReportFinding[],
  options: { readonly maxCells?: number; readonly hrefPrefix?: string; readonly selection?: string } = {},
): ReportMatrix {
  const matrix = buildClusterCheckMatrix({
    clusters,
    checks: catalogue,
    findings,
    ...(options.maxCells === undefined ? {} : { maxCells: options.maxCells }),
  });
  const prefix = options.hrefPrefix ?? '';
  // The matrix keeps the clusters' order, so row i is cluster i.
  const rows = matrix.rows.map((row, index) => {
    const href = clusters[index]?.href;
    return {
      ...row,
      href: href === undefined ? `#${row.anchor}` : `${href.startsWith('#') ? '' : prefix}${href}`,
    };
  });
  return {
    layout: matrix.layout,
    countsLayout: matrix.layout === 'counts',
    layoutNote: matrix.layoutNote,
    columns: matrix.columns,
    rows,
    totals: matrix.totals,
    legend: matrix.legend,
    caption: matrix.caption,
    selection: options.selection ?? null,
  };
}

/** How much a cluster needs attention: its worst failing severity, then failing and unknown counts. */
interface Urgency {
  readonly cluster: ReportCluster;
  readonly order: number;
  /** Rank of the worst severity among failing or errored findings; `SEVERITIES.length` when none fail. */
  readonly worst: number;
  readonly failing: number;
  readonly unknown: number;
}

function urgencyOf(cluster: ReportCluster, order: number): Urgency {
  let worst: number = SEVERITIES.length;
  for (const finding of cluster.findings) {
    if (finding.status === 'fail' || finding.status === 'error') {
      worst = Math.min(worst, severityRank(finding.severity));
    }
  }
  const { byStatus } = cluster.tally;
  return { cluster, order, worst, failing: byStatus.fail + byStatus.error, unknown: byStatus.unknown };
}

function mostUrgentFirst(a: Urgency, b: Urgency): number {
  return a.worst - b.worst || b.failing - a.failing || b.unknown - a.unknown || a.order - b.order;
}

/**
 * The matrix of a large estate's report.html: the clusters needing attention (a finding that
 * fails, errored or is unknown), most urgent first (the worst failing severity, then the most
 * failing checks, then the most unknown), at most `MATRIX_ATTENTION_ROWS`. It says which clusters
 * it holds and where the rest are, so a reader never takes the excerpt for the estate.
 */
export function buildAttentionMatrix(
  clusters: readonly ReportCluster[],
  catalogue: readonly ReportCatalogueEntry[],
  pages: readonly ReportMatrixPage[],
  limit = MATRIX_ATTENTION_ROWS,
): ReportMatrix {
  const needing = clusters
    .map(urgencyOf)
    .filter((urgency) => urgency.cluster.tally.needsAttention > 0)
    .sort(mostUrgentFirst);
  const shown = needing.slice(0, limit);
  const chosen = shown.map((urgency) => urgency.cluster);
  const order =
    ' Most urgent first: the worst severity failing, then the most failing checks, then the most unknown.';
  const where = `The whole matrix, all ${formatCount(clusters.length)} clusters in report order, is on ${formatCount(pages.length)} ${pages.length === 1 ? 'page' : 'pages'} listed below; findings.csv and report.json have every cell.`;
  const which =
    shown.length === 0
      ? `No cluster of ${formatCount(clusters.length)} has a finding that fails, errored or is unknown, so this matrix is empty.`
      : needing.length > shown.length
        ? `The ${formatCount(shown.length)} clusters needing attention most, of ${formatCount(needing.length)} that need it (a finding that fails, errored or is unknown) among ${formatCount(clusters.length)}.${order}`
        : `The ${formatCount(needing.length)} ${needing.length === 1 ? 'cluster' : 'clusters'} of ${formatCount(clusters.length)} needing attention (a finding that fails, errored or is unknown).${order}`;
  return buildMatrix(
    chosen,
    catalogue,
    chosen.flatMap((cluster) => cluster.findings),
    { selection: `${which} ${where}` },
  );
}

/** The whole matrix of a large estate as pages of `pageRows` clusters in report order. */
export function matrixPages(
  clusters: readonly ReportCluster[],
  pageRows = MATRIX_PAGE_ROWS,
): ReportMatrixPage[] {
  const pages: ReportMatrixPage[] = [];
  for (let start = 0; start < clusters.length; start += pageRows) {
    const count = Math.min(pageRows, clusters.length - start);
    const number = pages.length + 1;
    const firstName = clusters[start]?.name ?? '';
    const lastName = clusters[start + count - 1]?.name ?? '';
    pages.push({
      number,
      href: matrixPagePath(number),
      start,
      count,
      label: `Clusters ${formatCount(start + 1)}–${formatCount(start + count)}: ${firstName} to ${lastName}`,
    });
  }
  return pages;
}

/** Where page `number` of the whole matrix is written, relative to report.html. */
export function matrixPagePath(number: number): `matrix/${number}.html` {
  return `matrix/${number}.html`;
}

/** The rows of one page of the whole matrix, built when the page is rendered; links reach up a folder. */
export function buildMatrixPage(
  clusters: readonly ReportCluster[],
  catalogue: readonly ReportCatalogueEntry[],
  page: ReportMatrixPage,
): ReportMatrix {
  const slice = clusters.slice(page.start, page.start + page.count);
  return buildMatrix(
    slice,
    catalogue,
    slice.flatMap((cluster) => cluster.findings),
    { hrefPrefix: '../', selection: page.label },
  );
}
