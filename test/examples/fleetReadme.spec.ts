import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../../checks/registry.js';
import { composeScan } from '../../cli/compose.js';
import { loadConfig } from '../../config/load.js';
import { runScan } from '../../engine/pipeline.js';
import type { Finding, Status } from '../../model/finding.js';
import { MemorySink } from '../fixtures/memorySink.js';

// examples/fleet/README.md tells a reader what each cluster of the demo should show. This keeps
// that table true: it scans the fleet on the table's day and compares every cell.

const FLEET = fileURLToPath(new URL('../../examples/fleet/', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/kubeline.config.yaml', import.meta.url));
const README = new URL('../../examples/fleet/README.md', import.meta.url);
const FOOTNOTE_MARKS = /[¹²³⁴⁵⁶⁷⁸⁹⁰]/g;

/** The table's symbol for a status: `P`, `Pp` (provider's side), `F`, `F!` (raised to critical), `?`, `—`. */
function symbol(status: Status, finding: Finding): string {
  const raisedToCritical =
    finding.severity === 'critical' &&
    CHECKS.find((check) => check.id === finding.checkId)?.severity !== 'critical';
  switch (status) {
    case 'pass':
      return finding.responsibility === 'provider' ? 'Pp' : 'P';
    case 'fail':
      return raisedToCritical ? 'F!' : 'F';
    case 'unknown':
      return '?';
    case 'not_applicable':
      return '—';
    default:
      return status;
  }
}

function cell(finding: Finding): string {
  if (finding.status === 'waived' && finding.waiver)
    return `W (${symbol(finding.waiver.originalStatus, finding)})`;
  return symbol(finding.status, finding);
}

interface ExpectedTable {
  readonly asOf: string;
  readonly checkIds: readonly string[];
  /** Every cell by cluster name, in the order of `checkIds`. */
  readonly rows: ReadonlyMap<string, readonly string[]>;
}

/**
 * The expected results: every table whose header starts with `| cluster |` (the cloud-API checks,
 * then the in-cluster checks), merged into one row per cluster.
 */
function expectedTable(markdown: string): ExpectedTable {
  const asOf = /As of \*\*(\d{4}-\d{2}-\d{2})\*\*/.exec(markdown)?.[1];
  if (!asOf) throw new Error('the fleet README names no day for its expected results');
  const lines = markdown.split('\n');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((text) => text.trim().replace(FOOTNOTE_MARKS, ''));
  const checkIds: string[] = [];
  const rows = new Map<string, string[]>();
  for (const [header, line] of lines.entries()) {
    if (!line.startsWith('| cluster |')) continue;
    const columns = cells(line).slice(1);
    const before = checkIds.length;
    checkIds.push(...columns);
    for (const row of lines.slice(header + 2)) {
      if (!row.startsWith('|')) break;
      const [cluster, ...values] = cells(row);
      if (!cluster) continue;
      const known = rows.get(cluster) ?? Array.from({ length: before }, () => 'absent from this table');
      known.push(...columns.map((_, column) => values[column] ?? 'absent from this table'));
      rows.set(cluster, known);
    }
    for (const known of rows.values()) {
      while (known.length < checkIds.length) known.push('absent from this table');
    }
  }
  if (checkIds.length === 0) throw new Error('the fleet README has no table of expected results');
  return { asOf, checkIds, rows };
}

describe('examples/fleet/README.md', () => {
  it('shows, cell by cell, what a scan of the example fleet finds on the day it names', async () => {
    // Prepare
    const expected = expectedTable(await readFile(README, 'utf8'));
    const { config } = await loadConfig(CONFIG, {});
    const deps = await composeScan(config, {
      from: [FLEET],
      providers: [],
      out: undefined,
      tool: { name: 'kubeline', version: 'test' },
    });
    // Act
    const outcome = await runScan(
      {
        ...deps,
        sinks: [new MemorySink()],
        fallback: new MemorySink(),
        clock: () => new Date(`${expected.asOf}T06:00:00Z`),
      },
      { trigger: 'cli', asOf: expected.asOf, formats: ['json'] },
    );
    // Assess
    const names = new Map(outcome.clusters.map((cluster) => [cluster.id, cluster.name]));
    const actual = new Map<string, string[]>();
    for (const name of expected.rows.keys())
      actual.set(
        name,
        expected.checkIds.map(() => 'missing'),
      );
    for (const finding of outcome.findings) {
      const row = actual.get(names.get(finding.clusterId) ?? '');
      const column = expected.checkIds.indexOf(finding.checkId);
      if (row && column >= 0) row[column] = cell(finding);
    }
    assert.equal(outcome.clusters.length, expected.rows.size, 'one row per cluster of the fleet');
    const differences = [...expected.rows].flatMap(([name, values]) =>
      values
        .map((value, column) => ({ value, column, got: actual.get(name)?.[column] }))
        .filter(({ value, got }) => value !== got)
        .map(
          ({ value, column, got }) => `${name} ${expected.checkIds[column]}: README ${value}, scan ${got}`,
        ),
    );
    assert.deepEqual(differences, []);
  });
});
