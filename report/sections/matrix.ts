import type { ReportCatalogueEntry } from '../../model/reportJson.js';
import type { ReportCluster, ReportFinding, ReportMatrix } from '../../model/reportView.js';
import { buildClusterCheckMatrix } from '../matrix.js';

/**
 * The cluster × check matrix (report/matrix.ts) with each row linked to where its cluster's detail
 * is: its section of report.html, or its own page.
 */
export function buildMatrix(
  clusters: readonly ReportCluster[],
  catalogue: readonly ReportCatalogueEntry[],
  findings: readonly ReportFinding[],
  maxCells?: number,
): ReportMatrix {
  const matrix = buildClusterCheckMatrix({
    clusters,
    checks: catalogue,
    findings,
    ...(maxCells === undefined ? {} : { maxCells }),
  });
  // The matrix keeps the clusters' order, so row i is cluster i.
  const rows = matrix.rows.map((row, index) => ({ ...row, href: clusters[index]?.href ?? `#${row.anchor}` }));
  return {
    layout: matrix.layout,
    countsLayout: matrix.layout === 'counts',
    layoutNote: matrix.layoutNote,
    columns: matrix.columns,
    rows,
    totals: matrix.totals,
    legend: matrix.legend,
    caption: matrix.caption,
  };
}
