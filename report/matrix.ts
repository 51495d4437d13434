import { type Severity, STATUSES, type Status, severityRank } from '../model/finding.js';
import type { Provider } from '../model/posture.js';
import type {
  ReportMatrix,
  ReportMatrixCell,
  ReportMatrixColumn,
  ReportMatrixCount,
  ReportMatrixRow,
  ReportMatrixStatus,
  ReportMatrixStatusLook,
} from '../model/reportView.js';
import { STATUS_LOOKS } from './charts/status.js';
import { formatCount } from './charts/svg.js';

/** A cluster, as the matrix reads it; a `ReportCluster` fits as it is. */
export interface MatrixClusterInput {
  readonly id: string;
  readonly name: string;
  readonly provider: Provider;
  readonly providerName: string;
  readonly scope: string;
  /** Fragment id of the cluster's row in the report, for the row header's link. */
  readonly anchor: string;
}

/** A check of the catalogue; a `ReportCatalogueEntry` fits as it is. */
export interface MatrixCheckInput {
  readonly id: string;
  readonly title: string;
  /** The check's default severity, used when no finding says otherwise. */
  readonly severity: Severity;
}

/** A finding; the engine's `Finding` and a `ReportFinding` fit as they are. */
export interface MatrixFindingInput {
  readonly checkId: string;
  readonly clusterId: string;
  readonly status: Status;
  /** The severity the run gave it: config may raise a check's default. */
  readonly severity: Severity;
  readonly waiver?: { readonly originalStatus: Status } | null;
}

/** What the matrix is built from. */
export interface MatrixInput {
  /** Rows, in this order (the report's cluster order). */
  readonly clusters: readonly MatrixClusterInput[];
  /** Columns, in this order (the catalogue's). */
  readonly checks: readonly MatrixCheckInput[];
  readonly findings: readonly MatrixFindingInput[];
  /** Above this many cells the matrix switches to counts per row; defaults to `MATRIX_MAX_CELLS`. */
  readonly maxCells?: number;
}

/** A cell's state: a finding's status, or `not_evaluated` when the check has no finding on the cluster. */
export type MatrixStatus = ReportMatrixStatus;

/** Every cell state, in display order (`fail` first). */
export const MATRIX_STATUSES: readonly MatrixStatus[] = [...STATUSES, 'not_evaluated'];

/**
 * Cells the report prints one by one. Written as `<td data-status="fail">✗</td>` (the row and
 * column headers name its cluster and check, so it needs no title of its own), a cell costs 29 to
 * 39 bytes, so size is not what limits it: layout is. Headless Chromium on 2 cores lays out 40,000
 * cells in 2 to 4 s (bench/README.md), so more cells than this would only make a slower page; above
 * it each cluster shows its counts per status instead, and `findings.csv` and `report.json` still
 * carry every cell.
 */
export const MATRIX_MAX_CELLS = 50_000;

/** The matrix's parts are the report view's (model/reportView.ts), a row without its link. */
export type MatrixStatusLook = ReportMatrixStatusLook;
export type MatrixColumn = ReportMatrixColumn;
export type MatrixCell = ReportMatrixCell;
export type MatrixCount = ReportMatrixCount;
export type MatrixRow = Omit<ReportMatrixRow, 'href'>;

/** The cluster × check matrix as built, before the report links its rows and picks which to show. */
export interface ClusterCheckMatrix extends Omit<ReportMatrix, 'countsLayout' | 'rows' | 'selection'> {
  readonly rows: readonly MatrixRow[];
  /** Findings of a cluster or check that has no row or column: 0 in a consistent report. */
  readonly unplacedFindings: number;
}

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

const LOOKS: Readonly<Record<MatrixStatus, MatrixStatusLook>> = {
  ...(Object.fromEntries(
    STATUSES.map((status) => [
      status,
      { status, label: STATUS_LOOKS[status].label, symbol: STATUS_LOOKS[status].symbol },
    ]),
  ) as Record<Status, MatrixStatusLook>),
  not_evaluated: { status: 'not_evaluated', label: 'Not evaluated', symbol: '·' },
};

function statusRank(status: MatrixStatus): number {
  return MATRIX_STATUSES.indexOf(status);
}

function plural(count: number, singular: string): string {
  return `${formatCount(count)} ${count === 1 ? singular : `${singular}s`}`;
}

/** Per cluster and check, the finding that decides the cell: the worst, should there be several. */
function decidingFindings(
  findings: readonly MatrixFindingInput[],
  clusterIds: ReadonlySet<string>,
  checkIds: ReadonlySet<string>,
): { readonly byCell: Map<string, MatrixFindingInput>; readonly unplaced: number } {
  const byCell = new Map<string, MatrixFindingInput>();
  let unplaced = 0;
  for (const finding of findings) {
    if (!clusterIds.has(finding.clusterId) || !checkIds.has(finding.checkId)) {
      unplaced += 1;
      continue;
    }
    const key = cellKey(finding.clusterId, finding.checkId);
    const current = byCell.get(key);
    if (current === undefined || statusRank(finding.status) < statusRank(current.status)) {
      byCell.set(key, finding);
    }
  }
  return { byCell, unplaced };
}

function cellKey(clusterId: string, checkId: string): string {
  // NUL cannot occur in a provider's id or a check id, so the pair cannot collide.
  return `${clusterId}\u0000${checkId}`;
}

/** Per check, the worst severity its findings carry. */
function findingSeverities(findings: readonly MatrixFindingInput[]): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const finding of findings) {
    const current = worst.get(finding.checkId);
    if (current === undefined || severityRank(finding.severity) < severityRank(current)) {
      worst.set(finding.checkId, finding.severity);
    }
  }
  return worst;
}

function columnSeverity(check: MatrixCheckInput, worst: ReadonlyMap<string, Severity>): Severity {
  const found = worst.get(check.id);
  return found !== undefined && severityRank(found) < severityRank(check.severity) ? found : check.severity;
}

function cell(
  check: MatrixColumn,
  cluster: MatrixClusterInput,
  finding: MatrixFindingInput | undefined,
): MatrixCell {
  const status: MatrixStatus = finding?.status ?? 'not_evaluated';
  const look = LOOKS[status];
  const original = finding?.waiver ? `, was ${LOOKS[finding.waiver.originalStatus].label.toLowerCase()}` : '';
  return {
    status,
    symbol: look.symbol,
    label: `${check.checkId} on ${cluster.name}: ${look.label.toLowerCase()}${original}`,
  };
}

function counts(tally: ReadonlyMap<MatrixStatus, number>): MatrixCount[] {
  return MATRIX_STATUSES.map((status) => ({
    status,
    label: LOOKS[status].label,
    symbol: LOOKS[status].symbol,
    count: tally.get(status) ?? 0,
  }));
}

function countsInWords(row: readonly MatrixCount[]): string {
  const parts = row
    .filter((entry) => entry.count > 0)
    .map((entry) => `${formatCount(entry.count)} ${entry.label.toLowerCase()}`);
  return parts.length === 0 ? 'no checks' : parts.join(', ');
}

function add(tally: Map<MatrixStatus, number>, status: MatrixStatus): void {
  tally.set(status, (tally.get(status) ?? 0) + 1);
}

/**
 * The cluster × check matrix of a run: a cell per cluster and check with the deciding finding's
 * status, symbol and a label that names both, the severity per column and the provider and scope
 * per row that the filters match, and counts per row and overall.
 */
export function buildClusterCheckMatrix(input: MatrixInput): ClusterCheckMatrix {
  const maxCells = input.maxCells ?? MATRIX_MAX_CELLS;
  const cellCount = input.clusters.length * input.checks.length;
  const layout = cellCount > maxCells ? 'counts' : 'cells';
  const { byCell, unplaced } = decidingFindings(
    input.findings,
    new Set(input.clusters.map((cluster) => cluster.id)),
    new Set(input.checks.map((check) => check.id)),
  );
  const severities = findingSeverities(input.findings);
  const columns: MatrixColumn[] = input.checks.map((check) => {
    const severity = columnSeverity(check, severities);
    return { checkId: check.id, title: check.title, severity, severityLabel: SEVERITY_LABELS[severity] };
  });
  const totals = new Map<MatrixStatus, number>();
  const rows: MatrixRow[] = input.clusters.map((cluster) => {
    const tally = new Map<MatrixStatus, number>();
    const cells: MatrixCell[] = [];
    for (const column of columns) {
      const finding = byCell.get(cellKey(cluster.id, column.checkId));
      const status = finding?.status ?? 'not_evaluated';
      add(tally, status);
      add(totals, status);
      // A large matrix keeps only the counts: building cells nobody prints would cost memory.
      if (layout === 'cells') cells.push(cell(column, cluster, finding));
    }
    const rowCounts = counts(tally);
    return {
      clusterId: cluster.id,
      name: cluster.name,
      provider: cluster.provider,
      providerName: cluster.providerName,
      scope: cluster.scope,
      anchor: cluster.anchor,
      cells,
      counts: rowCounts,
      countsLabel: countsInWords(rowCounts),
    };
  });
  const totalCounts = counts(totals);
  return {
    layout,
    layoutNote:
      layout === 'cells'
        ? null
        : `${plural(input.clusters.length, 'cluster')} × ${plural(input.checks.length, 'check')} make ${formatCount(cellCount)} cells, more than the ${formatCount(maxCells)} the report prints one by one: each cluster shows its counts per status instead. findings.csv and report.json have every cell.`,
    columns,
    rows,
    totals: totalCounts,
    legend: totalCounts.filter((entry) => entry.count > 0).map((entry) => LOOKS[entry.status]),
    caption: `${plural(input.clusters.length, 'cluster')} × ${plural(input.checks.length, 'check')}`,
    unplacedFindings: unplaced,
  };
}
