import assert from 'node:assert/strict';
import { unknown } from '../../model/observed.js';
import type { RunDiff, RunDiffCompared, RunDiffPersisting } from '../../model/runDiff.js';
import { buildReportModel } from '../../report/build.js';
import { toReportJson } from '../../report/json.js';
import { DIFF_ROWS_SHOWN } from '../../report/sections/diff.js';
import { eksPosture } from '../fixtures/postures.js';
import { AKS_ID, CLUSTERS, EKS_ID, FINDINGS, finding, GKE_ID, reportInput } from './fixtures.js';

/** A deterministic shuffle, so the determinism test is itself deterministic. */
function reversedAndRotated<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  return [...reversed.slice(2), ...reversed.slice(0, 2)];
}

describe('buildReportModel', () => {
  describe('counts', () => {
    it('counts findings per status, with attention and total', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        {
          byStatus: model.summary.totals.byStatus,
          total: model.summary.totals.total,
          needsAttention: model.summary.totals.needsAttention,
          label: model.summary.totals.label,
        },
        {
          byStatus: { fail: 2, error: 1, unknown: 1, waived: 1, pass: 3, not_applicable: 1 },
          total: 9,
          needsAttention: 4,
          label: '2 fail, 1 error, 1 unknown, 1 waived, 3 pass, 1 not applicable',
        },
      );
    });

    it('counts only failing findings per severity', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(model.summary.failuresBySeverity.bySeverity, {
        critical: 1,
        high: 1,
        medium: 0,
        low: 0,
        info: 0,
      });
      assert.equal(model.summary.failuresBySeverity.total, 2);
    });

    it('summarises each provider in the run, in provider order', () => {
      const model = buildReportModel(
        reportInput({
          scopes: [
            ...reportInput().scopes,
            {
              provider: 'eks',
              scope: '222222222222',
              region: 'us-east-1',
              status: 'error',
              error: 'denied',
              clusters: 0,
            },
          ],
        }),
      );
      assert.deepEqual(
        model.summary.byProvider.map((entry) => ({
          provider: entry.provider,
          clusters: entry.clusters,
          scopes: entry.scopes,
          scopeErrors: entry.scopeErrors,
          byStatus: entry.tally.byStatus,
        })),
        [
          {
            provider: 'eks',
            clusters: 1,
            scopes: 2,
            scopeErrors: 1,
            byStatus: { fail: 1, error: 1, unknown: 1, waived: 0, pass: 1, not_applicable: 0 },
          },
          {
            provider: 'gke',
            clusters: 1,
            scopes: 1,
            scopeErrors: 0,
            byStatus: { fail: 0, error: 0, unknown: 0, waived: 0, pass: 2, not_applicable: 1 },
          },
          {
            provider: 'aks',
            clusters: 1,
            scopes: 1,
            scopeErrors: 0,
            byStatus: { fail: 1, error: 0, unknown: 0, waived: 1, pass: 0, not_applicable: 0 },
          },
        ],
      );
    });

    it('leaves out providers the run did not touch', () => {
      const eksOnly = CLUSTERS.filter((cluster) => cluster.provider === 'eks');
      const model = buildReportModel(
        reportInput({
          clusters: eksOnly,
          findings: FINDINGS.filter((item) => item.provider === 'eks'),
          scopes: [
            { provider: 'eks', scope: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1 },
          ],
        }),
      );
      assert.deepEqual(
        model.summary.byProvider.map((entry) => entry.provider),
        ['eks'],
      );
      assert.deepEqual(
        model.providerManaged.map((entry) => entry.provider),
        ['eks'],
      );
      assert.deepEqual(
        model.compliance.map((entry) => entry.framework),
        ['cis-eks'],
      );
    });

    it('counts every responsibility side, even an empty one', () => {
      const model = buildReportModel(
        reportInput({ findings: FINDINGS.filter((item) => item.checkId === 'EP-01') }),
      );
      assert.deepEqual(
        model.summary.byResponsibility.map((entry) => [entry.responsibility, entry.label, entry.tally.total]),
        [
          ['customer', 'Customer', 3],
          ['shared', 'Shared', 0],
          ['provider', 'Provider-enforced', 0],
        ],
      );
    });

    it('counts each check and names the clusters where it fails', () => {
      const model = buildReportModel(reportInput());
      const ep01 = model.summary.byCheck.find((check) => check.id === 'EP-01');
      assert.deepEqual(
        {
          byStatus: ep01?.tally.byStatus,
          failingClusters: ep01?.failingClusters,
          commands: ep01?.commands,
          unresolved: ep01?.unresolved.map((item) => [item.status, item.clusterId]),
        },
        {
          byStatus: { fail: 1, error: 0, unknown: 0, waived: 1, pass: 1, not_applicable: 0 },
          failingClusters: [{ id: EKS_ID, name: 'prod', anchor: 'cluster-1' }],
          commands: [
            { provider: 'eks', providerName: 'Amazon EKS', command: 'aws eks fix-EP-01 --name <cluster>' },
          ],
          unresolved: [
            ['fail', EKS_ID],
            ['waived', AKS_ID],
          ],
        },
      );
    });
  });

  describe('ordering', () => {
    it('sorts findings by status, then severity, then check id, then cluster id', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.findings.map((item) => `${item.status} ${item.severity} ${item.checkId} ${item.clusterId}`),
        [
          `fail critical AUD-01 ${AKS_ID}`,
          `fail high EP-01 ${EKS_ID}`,
          `error medium AUTH-03 ${EKS_ID}`,
          `unknown high AUD-01 ${EKS_ID}`,
          `waived high EP-01 ${AKS_ID}`,
          `pass critical RBAC-01 ${EKS_ID}`,
          `pass high AUD-01 ${GKE_ID}`,
          `pass high EP-01 ${GKE_ID}`,
          `not_applicable medium AUTH-03 ${GKE_ID}`,
        ],
      );
    });

    it('puts checks needing attention first, and checks without findings last', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.summary.byCheck.map((check) => [check.id, check.worstStatusLabel, check.severity]),
        [
          ['AUD-01', 'Fail', 'critical'],
          ['EP-01', 'Fail', 'high'],
          ['AUTH-03', 'Error', 'medium'],
          ['RBAC-01', 'Pass', 'critical'],
          ['NET-02', 'Not evaluated', 'medium'],
        ],
      );
    });

    it('sorts clusters by provider, scope, location and name, and anchors them in that order', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.clusters.map((cluster) => [cluster.provider, cluster.name, cluster.anchor]),
        [
          ['eks', 'prod', 'cluster-1'],
          ['gke', 'web', 'cluster-2'],
          ['aks', 'aks1', 'cluster-3'],
        ],
      );
    });

    it('keeps the catalogue in catalogue order', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.catalogue.map((entry) => entry.id),
        ['AUTH-03', 'RBAC-01', 'EP-01', 'AUD-01', 'NET-02'],
      );
    });

    it('sorts compliance controls numerically', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.compliance[0]?.controls.map((control) => control.control),
        ['1.1.1', '2.1.1', '5.4.2', '5.10.1'],
      );
    });
  });

  describe('grouping', () => {
    it('gives each cluster its own findings, tags sorted, version and mode as reported', () => {
      const model = buildReportModel(reportInput());
      const eks = model.clusters[0];
      assert.deepEqual(
        {
          id: eks?.id,
          version: eks?.version,
          mode: eks?.mode,
          modeLabel: eks?.modeLabel,
          tags: eks?.tags,
          failingChecks: eks?.failingChecks,
          findings: eks?.findings.map((item) => item.checkId),
        },
        {
          id: EKS_ID,
          version: '1.33',
          mode: 'standard',
          modeLabel: 'Standard',
          tags: [
            { key: 'env', value: 'prod' },
            { key: 'team', value: 'payments' },
          ],
          failingChecks: ['EP-01'],
          findings: ['EP-01', 'AUTH-03', 'AUD-01', 'RBAC-01'],
        },
      );
    });

    it('reports an unreadable version and mode as unknown', () => {
      const cluster = eksPosture({
        id: EKS_ID,
        version: unknown('access denied'),
        mode: unknown('access denied'),
      });
      const model = buildReportModel(reportInput({ clusters: [cluster], findings: [] }));
      assert.deepEqual(
        { version: model.clusters[0]?.version, mode: model.clusters[0]?.mode },
        { version: 'unknown', mode: 'unknown' },
      );
    });

    it('lists provider-managed controls, and benchmark controls the provider manages, per provider in the run', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        model.providerManaged.map((entry) => ({
          provider: entry.provider,
          href: entry.sharedResponsibility?.href ?? null,
          controls: entry.controls.map((control) => control.title),
          benchmarkControls: entry.benchmarkControls,
          empty: entry.empty,
        })),
        [
          {
            provider: 'eks',
            href: 'https://docs.aws.amazon.com/eks/latest/best-practices/security.html',
            controls: ['etcd encryption at rest'],
            benchmarkControls: [{ label: 'CIS EKS 1.8.0 1.1.1', title: 'Control plane files' }],
            empty: false,
          },
          { provider: 'gke', href: null, controls: [], benchmarkControls: [], empty: true },
          {
            provider: 'aks',
            href: 'https://learn.microsoft.com/azure/aks/concepts-security',
            controls: [],
            benchmarkControls: [],
            empty: true,
          },
        ],
      );
    });

    it('keeps every finding resolvable when a cluster or a check is missing from the input', () => {
      const stray = finding({
        checkId: 'ZZ-99',
        clusterId: 'arn:aws:eks:us-east-1:1:cluster/ghost',
        status: 'fail',
      });
      const model = buildReportModel(reportInput({ findings: [stray] }));
      const ghost = model.clusters.find((cluster) => cluster.id === stray.clusterId);
      const check = model.summary.byCheck.find((entry) => entry.id === 'ZZ-99');
      assert.deepEqual(
        {
          cluster: [ghost?.name, ghost?.scope, ghost?.version, ghost?.findings.length],
          check: [check?.title, check?.remediationText, check?.commands],
          anchor: model.findings[0]?.clusterAnchor === ghost?.anchor,
        },
        {
          cluster: [stray.clusterId, 'unknown', 'unknown', 1],
          check: ['ZZ-99', '', []],
          anchor: true,
        },
      );
    });

    it('turns only https links into hrefs', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(model.summary.byCheck[0]?.links, [
        { url: 'https://docs.example/fix', href: 'https://docs.example/fix' },
        { url: 'javascript:alert(1)', href: null },
      ]);
    });
  });

  describe('waivers', () => {
    it('keeps a waived finding out of the failures, with its original status beside it', () => {
      const model = buildReportModel(reportInput());
      const waived = model.findings.find((item) => item.status === 'waived');
      assert.deepEqual(
        { waiver: waived?.waiver, needsAttention: waived?.needsAttention, fixCommand: waived?.fixCommand },
        {
          waiver: {
            reason: 'VPN migration',
            owner: 'platform@acme.example',
            expires: '2026-12-05',
            originalStatus: 'fail',
            originalStatusLabel: 'Fail',
          },
          needsAttention: false,
          fixCommand: null,
        },
      );
    });

    it('lists expired and soon-expiring waivers with their distance from the as-of day', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(model.waiverNotices, {
        any: true,
        expired: [
          {
            check: 'AUD-01',
            checkTitle: 'Title of AUD-01',
            selector: 'provider aks',
            owner: 'ops@acme.example',
            reason: 'Diagnostic settings rollout',
            expires: '2026-11-20',
            days: -9,
            daysLabel: 'expired 9 days ago',
          },
        ],
        expiringSoon: [
          {
            check: 'EP-01',
            checkTitle: 'Title of EP-01',
            selector: 'provider aks, name aks*',
            owner: 'platform@acme.example',
            reason: 'VPN migration',
            expires: '2026-12-05',
            days: 6,
            daysLabel: 'expires in 6 days',
          },
        ],
      });
    });

    it('says so when a waiver expires on the as-of day', () => {
      const notice = { check: 'EP-01', selector: 'all', owner: 'o', reason: 'r', expires: '2026-11-29' };
      const model = buildReportModel(reportInput({ waiverNotices: { expired: [], expiringSoon: [notice] } }));
      assert.equal(model.waiverNotices.expiringSoon[0]?.daysLabel, 'expires today');
    });

    it('has no notices when no waiver is expired or expiring', () => {
      const model = buildReportModel(reportInput({ waiverNotices: { expired: [], expiringSoon: [] } }));
      assert.equal(model.waiverNotices.any, false);
    });
  });

  describe('completeness', () => {
    it('is complete when the run, its scopes and its files all were read', () => {
      const model = buildReportModel(reportInput());
      assert.deepEqual(
        { complete: model.header.complete, label: model.header.completenessLabel },
        { complete: true, label: 'Complete: every scope and cluster was read.' },
      );
    });

    it('is incomplete, naming what was not read, when a scope failed or a file was unreadable', () => {
      const model = buildReportModel(
        reportInput({
          scopes: [
            { provider: 'gke', scope: 'acme-dev', status: 'error', error: 'PERMISSION_DENIED', clusters: 0 },
          ],
          problems: [{ file: 'fleet/broken.json', reason: 'not JSON' }, { reason: 'source crashed' }],
        }),
      );
      assert.deepEqual(
        {
          complete: model.header.complete,
          json: toReportJson(model).run.complete,
          label: model.header.completenessLabel,
          scopeErrors: model.header.scopeErrors.map((scope) => [scope.scope, scope.error]),
          problems: model.problems.map((problem) => problem.subject),
        },
        {
          complete: false,
          json: false,
          label:
            'Incomplete: 1 scope could not be listed and 2 files or clusters could not be read. Missing data is not a pass.',
          scopeErrors: [['acme-dev', 'PERMISSION_DENIED']],
          problems: ['Run', 'File fleet/broken.json'],
        },
      );
    });

    it('believes a run that says it is incomplete even with nothing recorded', () => {
      const model = buildReportModel(reportInput({ run: { ...reportInput().run, complete: false } }));
      assert.equal(model.header.complete, false);
    });

    it('counts an exported file that could not be read as a file, not as a scope that could not be listed', () => {
      const model = buildReportModel(
        reportInput({
          scopes: [
            {
              provider: 'snapshot',
              scope: 'fleet/cut.json',
              status: 'error',
              error: 'truncated JSON',
              clusters: 0,
            },
          ],
          problems: [{ file: 'fleet/thin.json', cluster: 'thin', reason: 'incomplete GKE cluster' }],
        }),
      );
      assert.equal(
        model.header.completenessLabel,
        'Incomplete: 2 files or clusters could not be read. Missing data is not a pass.',
      );
    });
  });

  describe('notices', () => {
    it('lists notices sorted by cluster and leaves the run complete', () => {
      const model = buildReportModel(
        reportInput({
          notices: [
            { files: ['b.json', 'c.json'], cluster: GKE_ID, message: 'exported twice' },
            {
              files: ['a.json', 'b.json'],
              cluster: EKS_ID,
              message: 'exported twice, and the copies differ',
            },
          ],
        }),
      );
      assert.deepEqual(
        { complete: model.header.complete, notices: model.notices, json: toReportJson(model).notices },
        {
          complete: true,
          notices: [
            {
              files: ['a.json', 'b.json'],
              cluster: EKS_ID,
              message: 'exported twice, and the copies differ',
            },
            { files: ['b.json', 'c.json'], cluster: GKE_ID, message: 'exported twice' },
          ],
          json: [
            {
              files: ['a.json', 'b.json'],
              cluster: EKS_ID,
              message: 'exported twice, and the copies differ',
            },
            { files: ['b.json', 'c.json'], cluster: GKE_ID, message: 'exported twice' },
          ],
        },
      );
    });
  });

  describe('problems in report.json', () => {
    it('lists what could not be read, without the empty fields', () => {
      const model = buildReportModel(
        reportInput({
          problems: [
            { file: 'fleet/thin.json', cluster: 'thin', reason: 'incomplete GKE cluster' },
            { scope: '111111111111', reason: 'AccessDenied' },
          ],
        }),
      );
      assert.deepEqual(toReportJson(model).problems, [
        { scope: '111111111111', reason: 'AccessDenied' },
        { file: 'fleet/thin.json', cluster: 'thin', reason: 'incomplete GKE cluster' },
      ]);
    });
  });

  describe('determinism', () => {
    it('builds a deep-equal model whatever the input order', () => {
      const input = reportInput();
      const shuffled = reportInput({
        clusters: reversedAndRotated(input.clusters),
        findings: reversedAndRotated(input.findings),
        scopes: reversedAndRotated(input.scopes),
      });
      assert.deepEqual(buildReportModel(shuffled), buildReportModel(input));
    });

    it('labels the duration from the run timestamps, not from a clock', () => {
      const model = buildReportModel(reportInput());
      assert.equal(model.header.durationLabel, '4 min 12 s');
    });
  });
});

describe('buildReportModel: run-to-run diff', () => {
  const previousRun = { id: 'r1', startedAt: '2026-11-27T02:00:00.000Z', folder: 'runs/2026-11-27/r1' };
  const compared: RunDiffCompared = {
    previousRun,
    new: [{ checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'fail', previousStatus: null }],
    fixed: [
      { checkId: 'AUD-01', clusterId: GKE_ID, severity: 'high', status: 'pass', previousStatus: 'fail' },
    ],
    persisting: [
      {
        checkId: 'AUD-01',
        clusterId: AKS_ID,
        severity: 'critical',
        status: 'fail',
        previousStatus: 'waived',
        firstSeenFailing: '2026-11-20',
      },
    ],
    newlyUnknown: [],
    clustersAdded: [],
    clustersRemoved: [
      { id: 'gone-id', provider: 'gke', scope: 'acme-dev', location: 'europe-west4', name: 'gone' },
    ],
    clustersNotRead: [],
    scopesLost: [
      { provider: 'snapshot', scope: 'export/aks.json', error: 'not valid JSON', previousClusters: 2 },
    ],
    notices: [],
  };

  it('prints each finding of the diff with its check, cluster, statuses and the days it has been failing', () => {
    // Act
    const diff = buildReportModel(reportInput({ diff: compared })).diff;
    // Assess
    const list = (key: string, title: string, description: string, rows: readonly object[]) => ({
      key,
      title,
      description,
      total: rows.length,
      rows,
      moreLabel: null,
    });
    assert.deepEqual(diff, {
      data: compared,
      compared: true,
      previousRun,
      unavailableLabel: null,
      headline:
        '1 new failure, 1 fixed, 1 still failing, 0 newly unknown, 1 cluster removed, 1 scope no longer read',
      findingLists: [
        list('new', 'New failures', 'Failing now; passing, unknown or not evaluated in the previous run.', [
          {
            checkId: 'EP-01',
            checkTitle: 'Title of EP-01',
            checkAnchor: 'check-EP-01',
            clusterId: EKS_ID,
            clusterName: 'prod',
            clusterAnchor: 'cluster-1',
            clusterHref: '#cluster-1',
            providerName: 'Amazon EKS',
            severity: 'high',
            severityLabel: 'High',
            status: 'fail',
            statusLabel: 'Fail',
            previousStatusLabel: 'Not evaluated',
            sinceLabel: null,
          },
        ]),
        list('fixed', 'Fixed', 'Failing in the previous run; passing or not applicable now.', [
          {
            checkId: 'AUD-01',
            checkTitle: 'Title of AUD-01',
            checkAnchor: 'check-AUD-01',
            clusterId: GKE_ID,
            clusterName: 'web',
            clusterAnchor: 'cluster-2',
            clusterHref: '#cluster-2',
            providerName: 'Google GKE',
            severity: 'high',
            severityLabel: 'High',
            status: 'pass',
            statusLabel: 'Pass',
            previousStatusLabel: 'Fail',
            sinceLabel: null,
          },
        ]),
        list(
          'newlyUnknown',
          'Newly unknown',
          'Unknown now (the input could not be read, which is never a pass); known or not evaluated in the previous run.',
          [],
        ),
        list(
          'persisting',
          'Still failing',
          'Failing in both runs, with the first day kubeline saw it failing.',
          [
            {
              checkId: 'AUD-01',
              checkTitle: 'Title of AUD-01',
              checkAnchor: 'check-AUD-01',
              clusterId: AKS_ID,
              clusterName: 'aks1',
              clusterAnchor: 'cluster-3',
              clusterHref: '#cluster-3',
              providerName: 'Azure AKS',
              severity: 'critical',
              severityLabel: 'Critical',
              status: 'fail',
              statusLabel: 'Fail',
              previousStatusLabel: 'Waived',
              sinceLabel: 'since 2026-11-20 (9 days)',
            },
          ],
        ),
      ],
      clusterLists: [
        list('clustersAdded', 'Clusters added', 'Read now; not in the previous run.', []),
        list(
          'clustersRemoved',
          'Clusters removed',
          'In the previous run; not found by this complete run. Their failures are not counted as fixed.',
          [
            {
              id: 'gone-id',
              name: 'gone',
              providerName: 'Google GKE',
              scope: 'acme-dev',
              location: 'europe-west4',
            },
          ],
        ),
        list(
          'clustersNotRead',
          'Clusters not seen',
          'In the previous run; missing from this incomplete run, deleted or not read. Their failures are not counted as fixed.',
          [],
        ),
      ],
      scopesLost: list(
        'scopesLost',
        'Scopes no longer read',
        'Not read by this run; read by the previous one.',
        [
          {
            providerName: 'Exported file',
            scope: 'export/aks.json',
            region: null,
            error: 'not valid JSON',
            previousClusters: 2,
          },
        ],
      ),
      notices: [],
    });
  });

  it('shows the first rows of a long list and says how many more report.json holds', () => {
    // Prepare
    const many = Array.from({ length: DIFF_ROWS_SHOWN + 12 }, (_, index) => ({
      checkId: `X-${String(index).padStart(2, '0')}`,
      clusterId: 'not-in-this-run',
      severity: 'low' as const,
      status: 'fail' as const,
      previousStatus: 'pass' as const,
    }));
    const long: RunDiffCompared = { ...compared, new: many };
    // Act
    const model = buildReportModel(reportInput({ diff: long }));
    // Assess
    const newList = model.diff?.findingLists[0];
    assert.deepEqual(
      {
        total: newList?.total,
        shown: newList?.rows.length,
        moreLabel: newList?.moreLabel,
        lastShown: newList?.rows.at(-1),
        everyRowInJson: toReportJson(model).diff,
      },
      {
        total: DIFF_ROWS_SHOWN + 12,
        shown: DIFF_ROWS_SHOWN,
        moreLabel: '…and 12 more; report.json lists them all.',
        lastShown: {
          checkId: `X-${DIFF_ROWS_SHOWN - 1}`,
          checkTitle: `X-${DIFF_ROWS_SHOWN - 1}`,
          checkAnchor: `check-X-${DIFF_ROWS_SHOWN - 1}`,
          clusterId: 'not-in-this-run',
          clusterName: 'not-in-this-run',
          clusterAnchor: null,
          clusterHref: null,
          providerName: 'unknown',
          severity: 'low',
          severityLabel: 'Low',
          status: 'fail',
          statusLabel: 'Fail',
          previousStatusLabel: 'Pass',
          sinceLabel: null,
        },
        everyRowInJson: long,
      },
    );
  });

  it('says why there is no comparison, and leaves report.json without a diff when none was looked for', () => {
    // Prepare
    const unavailable: RunDiff = {
      previousRun: null,
      unavailable: 'no previous complete run: the sink has no latest.json',
      notices: ['history.json is not a list of runs; a new history starts with this run'],
    };
    // Act
    const model = buildReportModel(reportInput({ diff: unavailable }));
    const without = buildReportModel(reportInput());
    // Assess
    const label = 'No comparison with a previous run: no previous complete run: the sink has no latest.json';
    assert.deepEqual(
      {
        diff: model.diff,
        json: toReportJson(model).diff,
        without: without.diff,
        jsonKeys: 'diff' in toReportJson(without),
      },
      {
        diff: {
          data: unavailable,
          compared: false,
          previousRun: null,
          unavailableLabel: label,
          headline: label,
          findingLists: [],
          clusterLists: [],
          scopesLost: null,
          notices: unavailable.notices,
        },
        json: unavailable,
        without: null,
        jsonKeys: false,
      },
    );
  });

  it('counts a persisting failure in days, today as today, and not at all from a day that is not one', () => {
    // Prepare
    const since = (firstSeenFailing: string): RunDiffCompared => ({
      ...compared,
      persisting: [{ ...compared.persisting[0], firstSeenFailing } as RunDiffPersisting],
    });
    // Act
    const labels = ['2026-11-28', '2026-11-29', 'long ago'].map(
      (day) => buildReportModel(reportInput({ diff: since(day) })).diff?.findingLists[3]?.rows[0]?.sinceLabel,
    );
    // Assess
    assert.deepEqual(labels, ['since 2026-11-28 (1 day)', 'since 2026-11-29 (today)', 'since long ago']);
  });
});
