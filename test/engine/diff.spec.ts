import assert from 'node:assert/strict';
import {
  type CurrentRun,
  diffRuns,
  type PreviousRun,
  parseLatestPointer,
  parsePreviousReport,
} from '../../engine/diff.js';
import type { Finding } from '../../model/finding.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { ScopeResult } from '../../model/run.js';
import type { RunDiff, RunDiffCompared } from '../../model/runDiff.js';
import { buildReportModel } from '../../report/build.js';
import { toReportJson } from '../../report/json.js';
import { eksPosture } from '../fixtures/postures.js';
import { AKS_ID, CLUSTERS, EKS_ID, finding, GKE_ID, RUN, reportInput } from '../report/fixtures.js';

const SCOPES: readonly ScopeResult[] = [
  { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
  { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 },
  { provider: 'aks', scope: '0000', status: 'ok', clusters: 1 },
];

interface RunFixture {
  readonly runId: string;
  /** `YYYY-MM-DD`: the run starts at 02:00 UTC that day. */
  readonly day: string;
  readonly findings: readonly Finding[];
  readonly clusters?: readonly ClusterPosture[];
  readonly scopes?: readonly ScopeResult[];
  /** The run's own diff, written into its report.json. */
  readonly diff?: RunDiff;
}

const folderOf = (fixture: Pick<RunFixture, 'runId' | 'day'>) => `runs/${fixture.day}/${fixture.runId}`;
const startOf = (day: string) => `${day}T02:00:00.000Z`;

/** The report.json the pipeline would have written for a run: built and serialised by the real code. */
function reportJsonText(fixture: RunFixture): string {
  const model = buildReportModel(
    reportInput({
      run: { ...RUN, id: fixture.runId, startedAt: startOf(fixture.day), asOf: fixture.day },
      findings: fixture.findings,
      clusters: fixture.clusters ?? CLUSTERS,
      scopes: fixture.scopes ?? SCOPES,
      ...(fixture.diff ? { diff: fixture.diff } : {}),
    }),
  );
  return `${JSON.stringify(toReportJson(model), null, 2)}\n`;
}

/** The previous run as the pipeline reads it back from the sink. */
function readBack(fixture: RunFixture): PreviousRun {
  const read = parsePreviousReport(reportJsonText(fixture), {
    runId: fixture.runId,
    folder: folderOf(fixture),
  });
  assert.ok('previous' in read, `the fixture report reads back: ${JSON.stringify(read)}`);
  return read.previous;
}

function current(findings: readonly Finding[], overrides: Partial<CurrentRun> = {}): CurrentRun {
  return { complete: true, clusters: CLUSTERS, scopes: SCOPES, findings, ...overrides };
}

/** Compares a run with the fixture run before it, as the pipeline does. */
function compare(previous: RunFixture, now: CurrentRun, notices: readonly string[] = []): RunDiff {
  return diffRuns({ previous: readBack(previous) }, now, notices);
}

function previousRunOf(fixture: RunFixture) {
  return { id: fixture.runId, startedAt: startOf(fixture.day), folder: folderOf(fixture) };
}

/** An empty compared diff; each test states the lists it is about. */
function noChanges(fixture: RunFixture): RunDiffCompared {
  return {
    previousRun: previousRunOf(fixture),
    new: [],
    fixed: [],
    persisting: [],
    newlyUnknown: [],
    clustersAdded: [],
    clustersRemoved: [],
    clustersNotRead: [],
    scopesLost: [],
    notices: [],
  };
}

const waived = (originalStatus: Finding['status']) =>
  ({
    status: 'waived',
    waiver: { reason: 'accepted', owner: 'platform@acme.example', expires: '2026-12-31', originalStatus },
  }) as const;

describe('engine: run-to-run diff', () => {
  it('lists new failures: passing, unknown or not evaluated before, most severe first', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'pass' }),
        finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'unknown' }),
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'pass' }),
      ],
    };
    const now = current([
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'fail', severity: 'critical' }),
      finding({ checkId: 'AUTH-03', clusterId: EKS_ID, status: 'error', severity: 'medium' }),
      finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'pass' }),
    ]);
    // Act
    const diff = compare(previous, now);
    // Assess
    assert.deepEqual(diff, {
      ...noChanges(previous),
      new: [
        {
          checkId: 'AUD-01',
          clusterId: EKS_ID,
          severity: 'critical',
          status: 'fail',
          previousStatus: 'unknown',
        },
        { checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'fail', previousStatus: 'pass' },
        { checkId: 'AUTH-03', clusterId: EKS_ID, severity: 'medium', status: 'error', previousStatus: null },
      ],
    });
  });

  it('lists fixed failures, and not a failure that turned unknown or was waived', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
        finding({ checkId: 'AUD-01', clusterId: AKS_ID, provider: 'aks', status: 'error' }),
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'fail' }),
        finding({ checkId: 'AUTH-03', clusterId: EKS_ID, status: 'fail' }),
      ],
    };
    const now = current([
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'pass' }),
      finding({ checkId: 'AUD-01', clusterId: AKS_ID, provider: 'aks', status: 'not_applicable' }),
      finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'unknown' }),
      finding({ checkId: 'AUTH-03', clusterId: EKS_ID, ...waived('fail') }),
    ]);
    // Act
    const diff = compare(previous, now);
    // Assess
    assert.deepEqual(diff, {
      ...noChanges(previous),
      fixed: [
        {
          checkId: 'AUD-01',
          clusterId: AKS_ID,
          severity: 'high',
          status: 'not_applicable',
          previousStatus: 'error',
        },
        { checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'pass', previousStatus: 'fail' },
      ],
      persisting: [
        {
          checkId: 'AUTH-03',
          clusterId: EKS_ID,
          severity: 'high',
          status: 'waived',
          previousStatus: 'fail',
          firstSeenFailing: '2026-11-28',
        },
      ],
      newlyUnknown: [
        { checkId: 'EP-01', clusterId: GKE_ID, severity: 'high', status: 'unknown', previousStatus: 'fail' },
      ],
    });
  });

  it('compares statuses before waivers: an expired waiver is not new, a lifted one that passes is fixed', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, ...waived('fail') }),
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', ...waived('error') }),
        finding({ checkId: 'EP-01', clusterId: AKS_ID, provider: 'aks', status: 'pass' }),
        finding({ checkId: 'AUD-01', clusterId: EKS_ID, ...waived('unknown') }),
      ],
    };
    const now = current([
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'pass' }),
      finding({ checkId: 'EP-01', clusterId: AKS_ID, provider: 'aks', ...waived('fail') }),
      finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'unknown' }),
    ]);
    // Act
    const diff = compare(previous, now);
    // Assess
    assert.deepEqual(diff, {
      ...noChanges(previous),
      new: [
        { checkId: 'EP-01', clusterId: AKS_ID, severity: 'high', status: 'waived', previousStatus: 'pass' },
      ],
      fixed: [
        { checkId: 'EP-01', clusterId: GKE_ID, severity: 'high', status: 'pass', previousStatus: 'waived' },
      ],
      persisting: [
        {
          checkId: 'EP-01',
          clusterId: EKS_ID,
          severity: 'high',
          status: 'fail',
          previousStatus: 'waived',
          firstSeenFailing: '2026-11-28',
        },
      ],
    });
  });

  it('carries the first day a failure was seen over three runs', () => {
    // Prepare: EP-01 fails from the first run on, AUD-01 from the second.
    const first: RunFixture = {
      runId: 'r1',
      day: '2026-11-27',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
        finding({ checkId: 'AUD-01', clusterId: GKE_ID, provider: 'gke', status: 'pass' }),
      ],
    };
    const secondFindings = [
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      finding({
        checkId: 'AUD-01',
        clusterId: GKE_ID,
        provider: 'gke',
        status: 'fail',
        severity: 'critical',
      }),
    ];
    const second: RunFixture = {
      runId: 'r2',
      day: '2026-11-28',
      findings: secondFindings,
      diff: compare(first, current(secondFindings)),
    };
    const third = current([
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'error' }),
      finding({
        checkId: 'AUD-01',
        clusterId: GKE_ID,
        provider: 'gke',
        status: 'fail',
        severity: 'critical',
      }),
    ]);
    // Act
    const diff = compare(second, third);
    // Assess
    assert.deepEqual(second.diff, {
      ...noChanges(first),
      new: [
        {
          checkId: 'AUD-01',
          clusterId: GKE_ID,
          severity: 'critical',
          status: 'fail',
          previousStatus: 'pass',
        },
      ],
      persisting: [
        {
          checkId: 'EP-01',
          clusterId: EKS_ID,
          severity: 'high',
          status: 'fail',
          previousStatus: 'fail',
          firstSeenFailing: '2026-11-27',
        },
      ],
    });
    assert.deepEqual(diff, {
      ...noChanges(second),
      persisting: [
        {
          checkId: 'AUD-01',
          clusterId: GKE_ID,
          severity: 'critical',
          status: 'fail',
          previousStatus: 'fail',
          firstSeenFailing: '2026-11-28',
        },
        {
          checkId: 'EP-01',
          clusterId: EKS_ID,
          severity: 'high',
          status: 'error',
          previousStatus: 'fail',
          firstSeenFailing: '2026-11-27',
        },
      ],
    });
  });

  it('restarts the first day at a report that had no diff, and never carries a day after its run', () => {
    // Prepare
    const failing = [finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' })];
    const uncompared: RunFixture = {
      runId: 'r2',
      day: '2026-11-28',
      findings: failing,
      diff: { previousRun: null, unavailable: 'no previous complete run', notices: [] },
    };
    const impossible: RunFixture = {
      runId: 'r2',
      day: '2026-11-28',
      findings: failing,
      diff: {
        ...noChanges({ runId: 'r1', day: '2026-11-27', findings: [] }),
        persisting: [
          {
            checkId: 'EP-01',
            clusterId: EKS_ID,
            severity: 'high',
            status: 'fail',
            previousStatus: 'fail',
            firstSeenFailing: '2026-12-24',
          },
        ],
      },
    };
    // Act
    const firstDays = [uncompared, impossible].map((previous) => {
      const diff = compare(previous, current(failing));
      return diff.previousRun === null ? null : diff.persisting.map((entry) => entry.firstSeenFailing);
    });
    // Assess
    assert.deepEqual(firstDays, [['2026-11-28'], ['2026-11-28']]);
  });

  it('lists findings newly unknown, and not those unknown in both runs', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'pass' }),
        finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'unknown' }),
        finding({ checkId: 'EP-01', clusterId: AKS_ID, provider: 'aks', ...waived('unknown') }),
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'not_applicable' }),
      ],
    };
    const now = current([
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'unknown' }),
      finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'unknown' }),
      finding({ checkId: 'EP-01', clusterId: AKS_ID, provider: 'aks', status: 'unknown' }),
      finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', ...waived('unknown') }),
      finding({ checkId: 'AUTH-03', clusterId: EKS_ID, status: 'unknown', severity: 'medium' }),
    ]);
    // Act
    const diff = compare(previous, now);
    // Assess
    assert.deepEqual(diff, {
      ...noChanges(previous),
      newlyUnknown: [
        { checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'unknown', previousStatus: 'pass' },
        {
          checkId: 'EP-01',
          clusterId: GKE_ID,
          severity: 'high',
          status: 'waived',
          previousStatus: 'not_applicable',
        },
        {
          checkId: 'AUTH-03',
          clusterId: EKS_ID,
          severity: 'medium',
          status: 'unknown',
          previousStatus: null,
        },
      ],
    });
  });

  describe('clusters', () => {
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'fail' }),
        finding({ checkId: 'EP-01', clusterId: AKS_ID, provider: 'aks', status: 'fail' }),
      ],
    };
    const staging = eksPosture({
      id: 'arn:aws:eks:eu-west-1:111111111111:cluster/staging',
      name: 'staging',
      scope: '111111111111',
      location: 'eu-west-1',
    });
    const prod = CLUSTERS.filter((cluster) => cluster.id === EKS_ID);
    const findings = [
      finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      finding({ checkId: 'EP-01', clusterId: staging.id, status: 'fail' }),
    ];
    const gone = [
      {
        id: GKE_ID,
        provider: 'gke',
        scope: 'acme-prod',
        location: 'europe-west1',
        name: 'web',
      },
      { id: AKS_ID, provider: 'aks', scope: '0000', location: 'westeurope', name: 'aks1' },
    ] as const;
    const persistingProd = {
      checkId: 'EP-01',
      clusterId: EKS_ID,
      severity: 'high',
      status: 'fail',
      previousStatus: 'fail',
      firstSeenFailing: '2026-11-28',
    } as const;
    const newOnStaging = {
      checkId: 'EP-01',
      clusterId: staging.id,
      severity: 'high',
      status: 'fail',
      previousStatus: null,
    } as const;
    const addedStaging = {
      id: staging.id,
      provider: 'eks',
      scope: '111111111111',
      location: 'eu-west-1',
      name: 'staging',
    } as const;

    it('lists clusters added and removed by a complete run; failures of removed clusters are not fixed', () => {
      // Act
      const diff = compare(previous, current(findings, { clusters: [...prod, staging] }));
      // Assess
      assert.deepEqual(diff, {
        ...noChanges(previous),
        new: [newOnStaging],
        persisting: [persistingProd],
        clustersAdded: [addedStaging],
        clustersRemoved: gone,
      });
    });

    it('does not call clusters missing from an incomplete run removed: they are not read', () => {
      // Act
      const diff = compare(previous, current(findings, { complete: false, clusters: [...prod, staging] }));
      // Assess
      assert.deepEqual(diff, {
        ...noChanges(previous),
        new: [newOnStaging],
        persisting: [persistingProd],
        clustersAdded: [addedStaging],
        clustersNotRead: gone,
      });
    });
  });

  it('lists scopes newly not read with the clusters they held, and not those that failed before too', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [],
      scopes: [
        { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 4 },
        { provider: 'aks', scope: '0000', status: 'error', error: 'AuthorizationFailed', clusters: 0 },
        { provider: 'snapshot', scope: 'export/gke.json', status: 'ok', clusters: 2 },
      ],
    };
    const scopes: ScopeResult[] = [
      {
        provider: 'snapshot',
        scope: 'export/gke.json',
        status: 'error',
        error: 'not valid JSON',
        clusters: 0,
      },
      { provider: 'aks', scope: '0000', status: 'error', error: 'AuthorizationFailed', clusters: 0 },
      {
        provider: 'eks',
        scope: '222222222222',
        region: 'us-east-1',
        status: 'error',
        error: 'denied',
        clusters: 0,
      },
      {
        provider: 'eks',
        scope: '111111111111',
        region: 'eu-west-1',
        status: 'error',
        error: 'AccessDenied',
        clusters: 0,
      },
      { provider: 'gke', scope: 'acme-prod', status: 'error', clusters: 0 },
    ];
    // Act
    const diff = compare(previous, current([], { complete: false, clusters: [], scopes }));
    // Assess
    assert.deepEqual(diff, {
      ...noChanges(previous),
      clustersNotRead: [
        { id: EKS_ID, provider: 'eks', scope: '111111111111', location: 'eu-west-1', name: 'prod' },
        { id: GKE_ID, provider: 'gke', scope: 'acme-prod', location: 'europe-west1', name: 'web' },
        { id: AKS_ID, provider: 'aks', scope: '0000', location: 'westeurope', name: 'aks1' },
      ],
      scopesLost: [
        {
          provider: 'eks',
          scope: '111111111111',
          region: 'eu-west-1',
          error: 'AccessDenied',
          previousClusters: 4,
        },
        { provider: 'eks', scope: '222222222222', region: 'us-east-1', error: 'denied', previousClusters: 0 },
        { provider: 'gke', scope: 'acme-prod', previousClusters: 0 },
        { provider: 'snapshot', scope: 'export/gke.json', error: 'not valid JSON', previousClusters: 2 },
      ],
    });
  });

  it('sorts every list by a fixed key order, whatever order the run produced', () => {
    // Prepare
    const previous: RunFixture = {
      runId: 'p1',
      day: '2026-11-28',
      findings: [
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'fail' }),
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      ],
    };
    const eks = (id: string, location: string, name: string) =>
      eksPosture({ id, name, scope: '333333333333', location });
    const added = [
      eks('id-2', 'us-east-1', 'b'),
      eks('id-3', 'us-east-1', 'b'),
      eks('id-1', 'us-east-1', 'a'),
      eks('id-0', 'eu-west-1', 'z'),
    ];
    const denied = (region?: string): ScopeResult => ({
      provider: 'eks',
      scope: '333333333333',
      ...(region === undefined ? {} : { region }),
      status: 'error',
      clusters: 0,
    });
    const now = current(
      [
        finding({ checkId: 'EP-01', clusterId: GKE_ID, provider: 'gke', status: 'fail' }),
        finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }),
      ],
      {
        complete: false,
        clusters: [...CLUSTERS, ...added],
        scopes: [denied('us-east-1'), denied(), denied('eu-west-1')],
      },
    );
    // Act
    const diff = compare(previous, now);
    // Assess
    assert.ok(diff.previousRun !== null);
    assert.deepEqual(
      {
        persisting: diff.persisting.map((entry) => entry.clusterId),
        clustersAdded: diff.clustersAdded.map((cluster) => cluster.id),
        scopesLost: diff.scopesLost.map((scope) => scope.region ?? null),
      },
      {
        persisting: [EKS_ID, GKE_ID],
        clustersAdded: ['id-0', 'id-1', 'id-2', 'id-3'],
        scopesLost: [null, 'eu-west-1', 'us-east-1'],
      },
    );
  });

  it('passes the history notices through, compared or not', () => {
    // Prepare
    const previous: RunFixture = { runId: 'p1', day: '2026-11-28', findings: [] };
    const notices = ['history.json is not a list of runs; a new history starts with this run'];
    // Act
    const compared = compare(previous, current([]), notices);
    const uncompared = diffRuns({ unavailable: 'no previous complete run' }, current([]), notices);
    // Assess
    assert.deepEqual(
      [compared, uncompared],
      [
        { ...noChanges(previous), notices },
        { previousRun: null, unavailable: 'no previous complete run', notices },
      ],
    );
  });
});

describe('engine: reading the previous run', () => {
  const pointer = { runId: 'p1', folder: 'runs/2026-11-28/p1' };
  const where = 'previous run p1: runs/2026-11-28/p1/report.json';
  const text = reportJsonText({
    runId: 'p1',
    day: '2026-11-28',
    findings: [finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' })],
  });
  const edited = (edit: (report: Record<string, unknown>) => void) => {
    const report = JSON.parse(text) as Record<string, unknown>;
    edit(report);
    return JSON.stringify(report);
  };
  const parseError = (input: string) => {
    try {
      JSON.parse(input);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the input parsed');
  };

  it('reads what the diff needs from a report.json the pipeline wrote', () => {
    // Act
    const read = parsePreviousReport(text, pointer);
    // Assess
    assert.deepEqual(read, {
      previous: {
        run: { id: 'p1', startedAt: '2026-11-28T02:00:00.000Z', folder: 'runs/2026-11-28/p1' },
        clusters: [
          { id: EKS_ID, provider: 'eks', scope: '111111111111', location: 'eu-west-1', name: 'prod' },
          { id: GKE_ID, provider: 'gke', scope: 'acme-prod', location: 'europe-west1', name: 'web' },
          { id: AKS_ID, provider: 'aks', scope: '0000', location: 'westeurope', name: 'aks1' },
        ],
        scopes: [
          { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 },
          { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
          { provider: 'aks', scope: '0000', status: 'ok', clusters: 1 },
        ],
        findings: [{ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' }],
        firstSeenFailing: new Map(),
      },
    });
  });

  it('gives the reason, never throws, for a report it cannot trust', () => {
    // Prepare
    const truncated = text.slice(0, 200);
    const cases = {
      truncated,
      notAReport: '[1, 2]',
      textVersion: edited((report) => {
        report.schemaVersion = '1';
      }),
      futureVersion: edited((report) => {
        report.schemaVersion = 2;
      }),
      missingStatus: edited((report) => {
        report.findings = [{ checkId: 'EP-01', clusterId: EKS_ID }];
      }),
      badFirstSeen: edited((report) => {
        report.diff = {
          persisting: [{ checkId: 'EP-01', clusterId: EKS_ID, firstSeenFailing: '2026-02-30' }],
        };
      }),
      otherRun: edited((report) => {
        report.run = { id: 'p0', startedAt: '2026-11-27T02:00:00.000Z' };
      }),
    };
    // Act
    const reasons = Object.fromEntries(
      Object.entries(cases).map(([name, input]) => [name, parsePreviousReport(input, pointer)]),
    );
    // Assess
    assert.deepEqual(reasons, {
      truncated: { unavailable: `${where} is not valid JSON (${parseError(truncated)})` },
      notAReport: { unavailable: `${where} has no numeric schemaVersion: it is not a kubeline report` },
      textVersion: { unavailable: `${where} has no numeric schemaVersion: it is not a kubeline report` },
      futureVersion: {
        unavailable: `${where} has schemaVersion 2; this kubeline compares with schemaVersion 1 only`,
      },
      missingStatus: {
        unavailable: `${where} does not match schemaVersion 1 (findings[0].status: Invalid option: expected one of "fail"|"error"|"unknown"|"waived"|"pass"|"not_applicable")`,
      },
      badFirstSeen: {
        unavailable: `${where} does not match schemaVersion 1 (diff.persisting[0].firstSeenFailing: expected a day as YYYY-MM-DD)`,
      },
      otherRun: { unavailable: `${where} is the report of run p0, not of the run latest.json names` },
    });
  });

  it('reads latest.json, or says why it names no run', () => {
    // Act
    const read = ['{"runId":"p1","folder":"runs/2026-11-28/p1","extra":1}', '{"runId":', '{"runId":""}'].map(
      parseLatestPointer,
    );
    // Assess
    assert.deepEqual(read, [
      { runId: 'p1', folder: 'runs/2026-11-28/p1' },
      { unavailable: `latest.json is not valid JSON (${parseError('{"runId":')})` },
      {
        unavailable:
          'latest.json names no run (runId: Too small: expected string to have >=1 characters; folder: Invalid input: expected string, received undefined)',
      },
    ]);
  });
});
