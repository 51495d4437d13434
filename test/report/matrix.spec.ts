import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { STATUSES, type Status } from '../../model/finding.js';
import { buildReportModel } from '../../report/build.js';
import {
  buildClusterCheckMatrix,
  MATRIX_MAX_CELLS,
  MATRIX_STATUSES,
  type MatrixCheckInput,
  type MatrixClusterInput,
  type MatrixFindingInput,
} from '../../report/matrix.js';
import { MATRIX_SCRIPT, MATRIX_SCRIPT_CSP_SOURCE } from '../../report/matrixScript.js';
import { AKS_ID, EKS_ID, GKE_ID, reportInput } from './fixtures.js';

function cluster(id: string, overrides: Partial<MatrixClusterInput> = {}): MatrixClusterInput {
  return {
    id,
    name: `name-${id}`,
    provider: 'eks',
    providerName: 'Amazon EKS',
    scope: '111111111111',
    anchor: `cluster-${id}`,
    ...overrides,
  };
}

const CHECKS: readonly MatrixCheckInput[] = [
  { id: 'EP-01', title: 'Private endpoint', severity: 'high' },
  { id: 'AUD-01', title: 'Audit logs', severity: 'medium' },
  { id: 'NODE-01', title: 'Nodes', severity: 'low' },
];

function finding(
  clusterId: string,
  checkId: string,
  status: Status,
  overrides: Partial<MatrixFindingInput> = {},
): MatrixFindingInput {
  return { clusterId, checkId, status, severity: 'low', ...overrides };
}

describe('cluster × check matrix', () => {
  it('gives each cluster a row and each check a column, with a status, symbol and label per cell', () => {
    const matrix = buildClusterCheckMatrix({
      clusters: [
        cluster('a', { name: 'prod-payments' }),
        cluster('b', { provider: 'gke', providerName: 'Google GKE', scope: 'acme' }),
      ],
      checks: CHECKS,
      findings: [
        finding('a', 'EP-01', 'fail', { severity: 'high' }),
        finding('a', 'AUD-01', 'waived', { waiver: { originalStatus: 'fail' } }),
        finding('b', 'EP-01', 'pass'),
        finding('b', 'AUD-01', 'unknown'),
        finding('b', 'NODE-01', 'not_applicable'),
      ],
    });
    assert.equal(matrix.layout, 'cells');
    assert.equal(matrix.layoutNote, null);
    assert.equal(matrix.caption, '2 clusters × 3 checks');
    assert.deepEqual(
      matrix.columns.map((column) => [column.checkId, column.title, column.severity, column.severityLabel]),
      [
        ['EP-01', 'Private endpoint', 'high', 'High'],
        ['AUD-01', 'Audit logs', 'medium', 'Medium'],
        ['NODE-01', 'Nodes', 'low', 'Low'],
      ],
    );
    const [first, second] = matrix.rows;
    assert.deepEqual(
      { ...first, cells: undefined, counts: undefined },
      {
        clusterId: 'a',
        name: 'prod-payments',
        provider: 'eks',
        providerName: 'Amazon EKS',
        scope: '111111111111',
        anchor: 'cluster-a',
        cells: undefined,
        counts: undefined,
        countsLabel: '1 fail, 1 waived, 1 not evaluated',
      },
    );
    assert.deepEqual(first?.cells, [
      { status: 'fail', symbol: '✗', label: 'EP-01 on prod-payments: fail' },
      { status: 'waived', symbol: '⊘', label: 'AUD-01 on prod-payments: waived, was fail' },
      { status: 'not_evaluated', symbol: '·', label: 'NODE-01 on prod-payments: not evaluated' },
    ]);
    assert.deepEqual(
      second?.cells.map((cell) => [cell.status, cell.symbol, cell.label]),
      [
        ['pass', '✓', 'EP-01 on name-b: pass'],
        ['unknown', '?', 'AUD-01 on name-b: unknown'],
        ['not_applicable', '–', 'NODE-01 on name-b: not applicable'],
      ],
    );
    assert.equal(second?.provider, 'gke');
    assert.equal(second?.scope, 'acme');
  });

  it('counts cells per state for each row and overall, in display order, and lists the states that occur', () => {
    const matrix = buildClusterCheckMatrix({
      clusters: [cluster('a'), cluster('b')],
      checks: CHECKS,
      findings: [
        finding('a', 'EP-01', 'fail'),
        finding('a', 'AUD-01', 'fail'),
        finding('b', 'EP-01', 'error'),
      ],
    });
    assert.deepEqual(
      matrix.rows[0]?.counts.map((entry) => [entry.status, entry.count]),
      MATRIX_STATUSES.map((status) => [status, { fail: 2, not_evaluated: 1 }[status as 'fail'] ?? 0]),
    );
    assert.deepEqual(
      matrix.totals
        .filter((entry) => entry.count > 0)
        .map((entry) => [entry.label, entry.symbol, entry.count]),
      [
        ['Fail', '✗', 2],
        ['Error', '!', 1],
        ['Not evaluated', '·', 3],
      ],
    );
    assert.deepEqual(
      matrix.legend.map((look) => look.status),
      ['fail', 'error', 'not_evaluated'],
    );
  });

  it('shows the worst status where a cluster has several findings of one check', () => {
    const matrix = buildClusterCheckMatrix({
      clusters: [cluster('a')],
      checks: CHECKS.slice(0, 1),
      findings: [
        finding('a', 'EP-01', 'pass'),
        finding('a', 'EP-01', 'unknown'),
        finding('a', 'EP-01', 'pass'),
      ],
    });
    assert.equal(matrix.rows[0]?.cells[0]?.status, 'unknown');
    assert.equal(matrix.rows[0]?.countsLabel, '1 unknown');
  });

  it('gives a column the worst severity its findings carry, never below the check’s own', () => {
    const matrix = buildClusterCheckMatrix({
      clusters: [cluster('a'), cluster('b')],
      checks: CHECKS,
      findings: [
        finding('a', 'EP-01', 'fail', { severity: 'info' }),
        finding('a', 'AUD-01', 'fail', { severity: 'critical' }),
        finding('b', 'AUD-01', 'pass', { severity: 'high' }),
      ],
    });
    assert.deepEqual(
      matrix.columns.map((column) => column.severity),
      ['high', 'critical', 'low'],
    );
  });

  it('counts findings of clusters or checks it has no row or column for, and places none of them', () => {
    const matrix = buildClusterCheckMatrix({
      clusters: [cluster('a')],
      checks: CHECKS.slice(0, 1),
      findings: [
        finding('a', 'EP-01', 'pass'),
        finding('gone', 'EP-01', 'fail'),
        finding('a', 'OLD-01', 'fail'),
      ],
    });
    assert.equal(matrix.unplacedFindings, 2);
    assert.deepEqual(
      matrix.rows[0]?.cells.map((cell) => cell.status),
      ['pass'],
    );
  });

  it('handles an estate with no clusters, and clusters with no checks', () => {
    const empty = buildClusterCheckMatrix({ clusters: [], checks: CHECKS, findings: [] });
    assert.deepEqual([empty.rows, empty.legend, empty.caption], [[], [], '0 clusters × 3 checks']);
    const noChecks = buildClusterCheckMatrix({ clusters: [cluster('a')], checks: [], findings: [] });
    assert.equal(noChecks.rows[0]?.countsLabel, 'no checks');
    assert.equal(noChecks.caption, '1 cluster × 0 checks');
  });

  it('switches a large estate to counts per row, keeping every row and count', () => {
    const clusters = Array.from({ length: 1200 }, (_, index) => cluster(`c${index}`));
    const checks = Array.from({ length: 45 }, (_, index) => ({
      id: `CHK-${index}`,
      title: `Check ${index}`,
      severity: 'low' as const,
    }));
    const findings = clusters.flatMap((entry, row) =>
      checks.map((check, column) =>
        finding(entry.id, check.id, STATUSES[(row + column) % STATUSES.length] as Status),
      ),
    );
    const matrix = buildClusterCheckMatrix({ clusters, checks, findings });
    assert.equal(clusters.length * checks.length > MATRIX_MAX_CELLS, true);
    assert.equal(matrix.layout, 'counts');
    assert.equal(
      matrix.layoutNote,
      '1,200 clusters × 45 checks make 54,000 cells, more than the 50,000 the report prints one by one: each cluster shows its counts per status instead. findings.csv and report.json have every cell.',
    );
    assert.equal(matrix.rows.length, 1200);
    assert.equal(
      matrix.rows.every((row) => row.cells.length === 0),
      true,
    );
    assert.deepEqual(
      matrix.totals.map((entry) => entry.count),
      [9000, 9000, 9000, 9000, 9000, 9000, 0],
    );
    const small = buildClusterCheckMatrix({ clusters: clusters.slice(0, 2), checks, findings, maxCells: 90 });
    assert.equal(small.layout, 'cells', 'at the limit every cell is printed');
    assert.equal(
      buildClusterCheckMatrix({ clusters: clusters.slice(0, 3), checks, findings, maxCells: 90 }).layout,
      'counts',
    );
  });

  it('counts every cell exactly once, for any findings', () => {
    const statusArbitrary = fc.constantFrom(...STATUSES);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.record({ row: fc.nat(9), column: fc.nat(7), status: statusArbitrary })),
        (rowCount, columnCount, picks) => {
          const clusters = Array.from({ length: rowCount }, (_, index) => cluster(`c${index}`));
          const checks = Array.from({ length: columnCount }, (_, index) => ({
            id: `K${index}`,
            title: 'T',
            severity: 'low' as const,
          }));
          const findings = picks.map((pick) => finding(`c${pick.row}`, `K${pick.column}`, pick.status));
          const matrix = buildClusterCheckMatrix({ clusters, checks, findings });
          const total = matrix.totals.reduce((sum, entry) => sum + entry.count, 0);
          assert.equal(total, rowCount * columnCount);
          for (const row of matrix.rows) {
            assert.equal(row.cells.length, columnCount);
            assert.equal(
              row.counts.reduce((sum, entry) => sum + entry.count, 0),
              columnCount,
            );
          }
          const placed = picks.filter((pick) => pick.row < rowCount && pick.column < columnCount).length;
          assert.equal(matrix.unplacedFindings, picks.length - placed);
        },
      ),
    );
  });

  it('builds from the report model’s clusters, catalogue and findings as they are', () => {
    const model = buildReportModel(reportInput());
    const matrix = buildClusterCheckMatrix({
      clusters: model.clusters,
      checks: model.catalogue,
      findings: model.findings,
    });
    assert.equal(matrix.unplacedFindings, 0);
    assert.deepEqual(
      matrix.rows.map((row) => row.clusterId),
      model.clusters.map((entry) => entry.id),
    );
    const byId = new Map(matrix.rows.map((row) => [row.clusterId, row]));
    const column = matrix.columns.findIndex((entry) => entry.checkId === 'EP-01');
    assert.deepEqual(
      [EKS_ID, GKE_ID, AKS_ID].map((id) => byId.get(id)?.cells[column]?.label),
      ['EP-01 on prod: fail', 'EP-01 on web: pass', 'EP-01 on aks1: waived, was fail'],
    );
    assert.equal(matrix.columns.find((entry) => entry.checkId === 'AUD-01')?.severity, 'critical');
  });
});

describe('matrix filter script', () => {
  it('is small, and parses as a script', () => {
    assert.ok(Buffer.byteLength(MATRIX_SCRIPT) < 3072, `${Buffer.byteLength(MATRIX_SCRIPT)} bytes`);
    assert.doesNotThrow(() => new Function(MATRIX_SCRIPT));
  });

  it('cannot end its script element or open a comment inside it', () => {
    assert.equal(/<\/script/i.test(MATRIX_SCRIPT), false);
    assert.equal(MATRIX_SCRIPT.includes('<!--'), false);
  });

  it('runs under a strict CSP: no eval, no HTML strings, no inline handlers or styles', () => {
    for (const banned of [
      'eval(',
      'new Function',
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      "setAttribute('on",
      '.style',
      "setTimeout('",
    ]) {
      assert.equal(MATRIX_SCRIPT.includes(banned), false, banned);
    }
    assert.equal(
      MATRIX_SCRIPT_CSP_SOURCE,
      `'sha256-${createHash('sha256').update(MATRIX_SCRIPT, 'utf8').digest('base64')}'`,
    );
  });

  it('reads the attributes the matrix markup carries, and names its filters and live region', () => {
    for (const hook of [
      '[data-matrix]',
      'th[data-severity]',
      'tr[data-provider]',
      'td[data-status]',
      'providerName',
      "'status'",
      'clusters shown',
      "'select'",
      "'label'",
      "'fieldset'",
      "'legend'",
    ]) {
      assert.ok(MATRIX_SCRIPT.includes(hook), hook);
    }
    for (const status of MATRIX_STATUSES) assert.ok(MATRIX_SCRIPT.includes(`'${status}'`), status);
  });
});
