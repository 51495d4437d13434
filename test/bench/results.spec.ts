import assert from 'node:assert/strict';
import {
  type BenchResults,
  type LiveScan,
  measurementTable,
  operationsTable,
  targetsTable,
  targetVerdicts,
} from '../../bench/results.js';

function liveScan(overrides: Partial<LiveScan> = {}): LiveScan {
  return {
    cloud: 'eks',
    clusters: 266,
    scopes: '1 account × 1 region',
    latencyMs: 50,
    calls: 1_600,
    callsPerClusterByOperation: { 'eks:DescribeCluster': 1, 'eks:ListClusters': 0.004 },
    retries: 0,
    wallSeconds: 12,
    firstRequestSeconds: 0.4,
    lastRequestSeconds: 11.2,
    peakRssMiB: 210,
    stageSeconds: null,
    allowedConcurrency: 8,
    observedInFlight: 7.4,
    serviceSeconds: 0.5,
    lowerBoundSeconds: 10.5,
    ratio: 1.14,
    ...overrides,
  };
}

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  const parts = {
    live: [liveScan()],
    exportScans: [{ clusters: 5_000, wallSeconds: 6.2, stagesMs: {}, peakRssMiB: 900 }],
    evaluateRender: [
      {
        clusters: 10_000,
        findings: 400_000,
        seconds: 1.5,
        loadSeconds: 3,
        rssAfterLoadMiB: 300,
        peakRssMiB: 500,
      },
    ],
    handlers: [
      { function: 'plan', coldImportMs: 157, coldProcessMs: 260 },
      { function: 'nightly', coldImportMs: 269, coldProcessMs: 380 },
    ],
    ...overrides,
  };
  return {
    startedAt: '2026-12-06T00:00:00.000Z',
    finishedAt: '2026-12-06T00:30:00.000Z',
    machine: { node: 'v20.20.2', cores: 2, memoryMiB: 24_000 },
    options: {},
    awsCli: [
      {
        clusters: 266,
        latencyMs: 50,
        calls: 267,
        seconds: 120,
        projectedSeconds: 120,
        sampled: false,
        kubelineWallSeconds: 12,
        cliOverKubeline: 10,
      },
    ],
    failures: [],
    targets: targetVerdicts(parts),
    ...parts,
  };
}

describe('bench/results: the table of npm run bench and issue 14’s targets', () => {
  it('says which targets the figures meet and which they miss', () => {
    assert.deepEqual(
      targetVerdicts(results()).map((entry) => [entry.measured, entry.verdict]),
      [
        ['12.0 s against 10.5 s: 1.14×', 'meets'],
        ['6.20 s, 900 MiB', 'misses'],
        ['1.50 s, 500 MiB', 'meets'],
        ['slowest nightly, 269 ms', 'meets'],
      ],
    );
  });

  it('misses on memory alone, and on a ratio above 1.25', () => {
    const verdicts = targetVerdicts(
      results({
        live: [liveScan({ ratio: 1.3 })],
        exportScans: [{ clusters: 5_000, wallSeconds: 4, stagesMs: {}, peakRssMiB: null }],
        evaluateRender: [
          { clusters: 10_000, findings: 1, seconds: 1, loadSeconds: 1, rssAfterLoadMiB: 1, peakRssMiB: 600 },
        ],
        handlers: [{ function: 'http', coldImportMs: 300, coldProcessMs: 400 }],
      }),
    );
    assert.deepEqual(
      verdicts.map((entry) => entry.verdict),
      ['misses', 'misses', 'misses', 'misses'],
    );
  });

  it('says not run for a target whose measurement was left out', () => {
    const verdicts = targetVerdicts(
      results({
        live: [liveScan({ scopes: '2 accounts × 2 regions' }), liveScan({ latencyMs: 0 })],
        exportScans: [{ clusters: 1_000, wallSeconds: 1, stagesMs: {}, peakRssMiB: 300 }],
        evaluateRender: [],
        handlers: [],
      }),
    );
    assert.deepEqual(
      verdicts.map((entry) => [entry.measured, entry.verdict]),
      [
        ['–', 'not run'],
        ['–', 'not run'],
        ['–', 'not run'],
        ['–', 'not run'],
      ],
    );
  });

  it('prints one row per measurement, the lower bound and the ratio beside each live scan', () => {
    const lines = measurementTable(results()).split('\n');
    assert.equal(lines.length, 2 + 1 + 1 + 1 + 1 + 2);
    assert.equal(
      lines[2],
      '| EKS live scan | 266 | 1 account × 1 region | 50 ms | 1,600 (6.02) | 12.0 s | 0.40 s / 11.2 s | 210 MiB | ' +
        '10.5 s (8 in flight, service 0.50 s) | 1.14× |',
    );
    assert.equal(
      lines[3],
      "| AWS CLI loop | 266 | – | 50 ms | 267 | 120.0 s | – | – | – | 10.0× kubeline's 12.0 s |",
    );
    assert.equal(lines[6], '| cold import: plan | – | – | – | – | 157 ms (process 260 ms) | – | – | – | – |');
  });

  it('prints calls per cluster by operation for the scans without latency, a dash where one made none', () => {
    const table = operationsTable(
      results({
        live: [
          liveScan({ latencyMs: 0 }),
          liveScan({ latencyMs: 50 }),
          liveScan({
            cloud: 'gke',
            clusters: 100,
            latencyMs: 0,
            callsPerClusterByOperation: { 'gke:ListClusters': 0.1 },
          }),
        ],
      }),
    );
    assert.deepEqual(table.split('\n'), [
      '| operation | EKS 266 | GKE 100 |',
      '| --- | --- | --- |',
      '| eks:DescribeCluster | 1.000 | – |',
      '| eks:ListClusters | 0.004 | – |',
      '| gke:ListClusters | – | 0.100 |',
    ]);
  });

  it('puts each verdict in words beside its target', () => {
    const lines = targetsTable(targetVerdicts(results())).split('\n');
    assert.equal(lines[0], '| target (issue 14) | measured | verdict |');
    assert.match(
      lines[3] ?? '',
      /^\| --from scan of 5,000 exports under 5 s and 600 MiB \| 6\.20 s, 900 MiB \| misses \|$/,
    );
  });
});
