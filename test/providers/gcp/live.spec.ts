import assert from 'node:assert/strict';
import { standardSupport } from '../../../checks/versions/standardSupport.js';
import type { Observed } from '../../../model/observed.js';
import type { ClusterPosture, GkeClusterPosture } from '../../../model/posture.js';
import { createGcpClients, type GcpClients } from '../../../providers/gcp/clients.js';
import { normaliseGke } from '../../../providers/gcp/normalise.js';
import { GCP_OPERATION_PERMISSIONS, GCP_READ_PERMISSIONS } from '../../../providers/gcp/permissions.js';
import { toProto3Json } from '../../../providers/gcp/protoJson.js';
import type { GkeTargets } from '../../../providers/gcp/scopes.js';
import { type GkeSource, gkeSource } from '../../../providers/gcp/source.js';
import { isRawObject } from '../../../providers/reader.js';
import { evalContext } from '../../fixtures/context.js';
import { type GkePeer, startGkePeer } from '../../peers/gcp/gkePeer.js';
import { readGkeExports, seedGkeFleet } from '../../peers/gcp/seed.js';
import { rawFixture } from '../rawFixture.js';

const FLEET = 'examples/fleet/gke';

function value<T>(observed: Observed<T>): T | string {
  return 'value' in observed ? observed.value : `unknown: ${observed.unknown}`;
}

/** A posture without what only a live scan reads: version data and the project's logging settings. */
function projectFieldsAside(posture: GkeClusterPosture): unknown {
  const { origin: _origin, ...rest } = posture;
  return {
    ...rest,
    versionSupport: null,
    failedAuthAlerting: null,
    gke: { ...rest.gke, defaultLogBucketRetentionDays: null },
  };
}

/** Only the values of a posture, evidence left out: for inputs whose raw values differ in form. */
function valuesOf(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(valuesOf);
  if (!isRawObject(input)) return input;
  if ('unknown' in input) return { unknown: true };
  if ('value' in input && 'from' in input) return valuesOf(input.value);
  return Object.fromEntries(Object.entries(input).map(([key, item]) => [key, valuesOf(item)]));
}

describe('providers/gcp: live GKE scan against the local GKE peer', function () {
  this.timeout(60_000);
  let peer: GkePeer;
  const opened: GcpClients[] = [];

  before(async () => {
    peer = await startGkePeer();
  });
  after(async () => {
    await Promise.all(opened.map((clients) => clients.close()));
    await peer?.close();
  });
  beforeEach(() => {
    peer.reset();
  });

  function clients(options: { maxAttempts?: number; callTimeoutMs?: number } = {}): GcpClients {
    const made = createGcpClients({
      apiEndpoint: peer.endpoint,
      maxAttempts: options.maxAttempts ?? 3,
      callTimeoutMs: options.callTimeoutMs ?? 5000,
      retryDelayMs: 5,
    });
    opened.push(made);
    return made;
  }

  function source(
    targets: GkeTargets,
    options: { maxAttempts?: number; callTimeoutMs?: number } = {},
  ): GkeSource {
    return gkeSource({ targets, clients: clients(options), concurrency: { perScope: 8, scopes: 4 } });
  }

  async function seedFleetExports(): Promise<void> {
    const exports = await readGkeExports(FLEET);
    assert.deepEqual(exports.problems, []);
    for (const cluster of exports.clusters) peer.putClusters(cluster.project, [cluster.cluster]);
  }

  it('reads 3 projects, each cluster in its own project scope with its resource name as id', async () => {
    // Prepare
    seedGkeFleet(peer, { count: 9, projects: ['acme-a', 'acme-b', 'acme-c'] });
    // Act
    const result = await source({ projects: ['acme-a', 'acme-b', 'acme-c'] }).collect();
    // Assess
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.scopes.map((scope) => [scope.provider, scope.scope, scope.status, scope.clusters]),
      [
        ['gke', 'acme-a', 'ok', 3],
        ['gke', 'acme-b', 'ok', 3],
        ['gke', 'acme-c', 'ok', 3],
      ],
    );
    assert.equal(result.postures.length, 9);
    assert.ok(
      result.postures.every(
        (posture) =>
          posture.id === `projects/${posture.scope}/locations/${posture.location}/clusters/${posture.name}`,
      ),
    );
  });

  it('lists 250 clusters of one project in one ListClusters call, server config once per location', async () => {
    seedGkeFleet(peer, { count: 250, projects: ['acme-big'] });
    const underTest = source({ projects: ['acme-big'] });
    const result = await underTest.collect();
    assert.equal(result.postures.length, 250);
    assert.deepEqual(underTest.stats().byOperation, {
      'container:FetchClusterUpgradeInfo': 250,
      'container:GetServerConfig': 4,
      'container:ListClusters': 1,
      'logging:GetBucket': 1,
      'logging:ListLogMetrics': 1,
      'monitoring:ListAlertPolicies': 1,
    });
    assert.equal(peer.calls().length, underTest.stats().calls, 'every request went through the ledger once');
    assert.ok(result.postures.every((posture) => 'value' in posture.versionSupport));
  });

  it('keeps the clusters of a listing with missingZones but marks the project as partially read', async () => {
    seedGkeFleet(peer, { count: 4, projects: ['acme-partial'] });
    peer.setMissingZones('acme-partial', ['us-west1-a', 'us-west1-b']);
    const result = await source({ projects: ['acme-partial'] }).collect();
    assert.equal(result.postures.length, 4);
    assert.deepEqual(result.scopes, [
      {
        provider: 'gke',
        scope: 'acme-partial',
        clusters: 4,
        status: 'error',
        error:
          'container:ListClusters could not reach zones us-west1-a, us-west1-b: clusters there are missing from this scan',
      },
    ]);
  });

  it('brings every collected field into the posture, exactly as the --from export of the same cluster', async () => {
    // Prepare: the example fleet's GKE exports in the peer.
    await seedFleetExports();
    const exports = await readGkeExports(FLEET);
    // Act
    const result = await source({
      projects: ['acme-corp-legacy', 'acme-data-prod', 'acme-ml-dev', 'acme-payments-prod'],
    }).collect();
    // Assess: every field but the live version data equals the snapshot normalisation.
    assert.equal(result.postures.length, exports.clusters.length);
    for (const exported of exports.clusters) {
      const live = result.postures.find((posture) => posture.name === exported.name) as GkeClusterPosture;
      assert.ok(live, exported.name);
      const snapshot = normaliseGke(
        { cluster: exported.cluster },
        { kind: 'snapshot', file: exported.file, format: 'gcloud' },
      );
      assert.deepEqual(
        projectFieldsAside(live),
        projectFieldsAside(snapshot as GkeClusterPosture),
        exported.name,
      );
      // The project's Cloud Logging defaults, which an export does not hold.
      assert.deepEqual(value(live.gke.defaultLogBucketRetentionDays), 30, exported.name);
      assert.deepEqual(value(live.failedAuthAlerting), { alerts: [], unalerted: [] }, exported.name);
      assert.deepEqual(live.origin, { kind: 'api', api: 'gke' });
    }
    // The recorded FetchClusterUpgradeInfo dates, not the calendar's (2027-04-11, 2028-02-11).
    const payments = result.postures.find((posture) => posture.name === 'payments-core');
    assert.deepEqual(payments && value(payments.versionSupport), {
      window: {
        minorVersion: '1.35',
        releaseDate: '',
        endOfStandardSupport: '2027-04-15',
        endOfExtendedSupport: '2028-02-18',
      },
      newestMinorVersion: '1.36',
      source: 'gke:fetchClusterUpgradeInfo',
    });
  });

  it('judges the version checks by the live support dates, which win over the calendar of a --from scan', async () => {
    // Prepare: legacy-reporting runs 1.31 on the Extended channel. The calendar ends its extended
    // support on 2026-10-25, FetchClusterUpgradeInfo (as recorded) on 2026-10-30.
    await seedFleetExports();
    const exported = (await readGkeExports(FLEET)).clusters.find(
      (cluster) => cluster.name === 'legacy-reporting',
    );
    assert.ok(exported);
    const ctx = evalContext({ asOf: '2026-10-28' });
    // Act
    const result = await source({ projects: ['acme-corp-legacy'] }).collect();
    const [live] = result.postures;
    assert.ok(live);
    const snapshot = normaliseGke(
      { cluster: exported.cluster },
      { kind: 'snapshot', file: exported.file, format: 'gcloud' },
    );
    const rule = standardSupport.providers.gke;
    assert.ok('evaluate' in rule);
    const graded = (posture: ClusterPosture) => {
      assert.equal(posture.provider, 'gke');
      const verdict = rule.evaluate(posture as GkeClusterPosture, ctx);
      return {
        status: verdict.status,
        severity: verdict.severity,
        message: verdict.message,
        evidence: verdict.evidence,
      };
    };
    // Assess: live, still within extended support; from the export, past it.
    assert.deepEqual(graded(live), {
      status: 'fail',
      severity: undefined,
      message:
        'Kubernetes 1.31 left standard support on 2026-01-21; it runs on extended support on the Extended channel until 2026-10-30 (per gke:fetchClusterUpgradeInfo).',
      evidence: [
        { path: 'cluster.currentMasterVersion', value: '1.31.14-gke.2470000' },
        { path: 'clusterUpgradeInfo.endOfStandardSupportTimestamp', value: '2026-01-21T00:00:00Z' },
        { path: 'clusterUpgradeInfo.endOfExtendedSupportTimestamp', value: '2026-10-30T00:00:00Z' },
        {
          path: 'serverConfig.channels[channel=EXTENDED].validVersions',
          value: {
            channel: 'EXTENDED',
            defaultVersion: '1.35.8-gke.1150000',
            validVersions: [
              '1.36.3-gke.1640000',
              '1.35.8-gke.1150000',
              '1.34.10-gke.1361000',
              '1.33.14-gke.1118000',
              '1.32.14-gke.1240000',
            ],
            upgradeTargetVersion: '1.35.8-gke.1150000',
          },
        },
        { path: 'cluster.releaseChannel.channel', value: 'EXTENDED' },
      ],
    });
    assert.deepEqual(graded(snapshot), {
      status: 'fail',
      severity: 'critical',
      message:
        'Kubernetes 1.31 left standard support on 2026-01-16 and extended support ended on 2026-10-25.',
      evidence: [
        { path: 'cluster.currentMasterVersion', value: '1.31.14-gke.2470000' },
        {
          path: 'supportCalendar.gke[1.31]',
          value: { endOfStandardSupport: '2026-01-16', endOfExtendedSupport: '2026-10-25' },
        },
        { path: 'cluster.releaseChannel.channel', value: 'EXTENDED' },
      ],
    });
  });

  it('normalises the SDK object and the REST JSON of the same cluster to the same posture', async () => {
    const clusterJson = rawFixture('gke/cluster-standard-private.json');
    const snakeCase = rawFixture('gke/cluster-snake-case.json');
    assert.ok(isRawObject(clusterJson) && isRawObject(snakeCase));
    peer.putClusters('example-project', [clusterJson]);
    const google = clients();
    const [response] = await google.clusters.listClusters({ parent: 'projects/example-project/locations/-' });
    const sdkObject = response.clusters?.[0];
    assert.ok(sdkObject && isRawObject(sdkObject));
    // The client fills proto3 defaults: unset messages as null, false, '' and enum zero names.
    assert.equal(sdkObject.binaryAuthorization, null);
    const origin = { kind: 'api', api: 'gke' } as const;
    const fromSdk = normaliseGke({ cluster: toProto3Json('google.container.v1.Cluster', sdkObject) }, origin);
    assert.deepEqual(fromSdk, normaliseGke({ cluster: clusterJson }, origin));
    // Even unconverted, defaults read as proto3 absence: the values agree (evidence shows the defaults).
    assert.deepEqual(valuesOf(normaliseGke({ cluster: sdkObject }, origin)), valuesOf(fromSdk));
    // A snake_case dump with numeric enums served through gRPC reads as its --from form does.
    peer.putClusters('example-project', [snakeCase]);
    const [again] = await google.clusters.listClusters({ parent: 'projects/example-project/locations/-' });
    const name = (snakeCase as { name?: unknown }).name;
    const served = again.clusters?.find((cluster) => cluster.name === name);
    assert.ok(served && isRawObject(served));
    assert.deepEqual(
      valuesOf(normaliseGke({ cluster: toProto3Json('google.container.v1.Cluster', served) }, origin)),
      valuesOf(normaliseGke({ cluster: snakeCase }, origin)),
    );
  });

  it('discovers the active projects under an organization, through nested folders', async () => {
    peer.addProject('org-direct', { parent: 'organizations/123' });
    peer.addProject('org-deleted', { parent: 'organizations/123', state: 'DELETE_REQUESTED' });
    peer.addFolder('folders/10', { parent: 'organizations/123' });
    peer.addFolder('folders/11', { parent: 'folders/10' });
    peer.addProject('in-folder', { parent: 'folders/10' });
    peer.addProject('in-subfolder', { parent: 'folders/11' });
    peer.addProject('elsewhere', { parent: 'organizations/999' });
    for (const project of ['org-direct', 'org-deleted', 'in-folder', 'in-subfolder', 'elsewhere'])
      seedGkeFleet(peer, { count: 1, projects: [project], prefix: project });
    const fromOrganization = await source({ organization: 'organizations/123' }).collect();
    assert.deepEqual(
      fromOrganization.scopes.map((scope) => scope.scope),
      ['in-folder', 'in-subfolder', 'org-direct'],
    );
    const fromFolder = await source({ folder: 'folders/10' }).collect();
    assert.deepEqual(fromFolder.postures.map((posture) => posture.scope).sort(), [
      'in-folder',
      'in-subfolder',
    ]);
  });

  it('records a parent it cannot search as a scope error', async () => {
    peer.addFault({ method: 'SearchProjects', kind: 'permission-denied' });
    const result = await source({ organization: 'organizations/123' }, { maxAttempts: 1 }).collect();
    assert.equal(result.scopes[0]?.status, 'error');
    assert.match(
      result.scopes[0]?.error ?? '',
      /^cloudresourcemanager:SearchProjects failed: PERMISSION_DENIED: /,
    );
  });

  it('makes each call once per run and declares the IAM permission of every operation it calls', async () => {
    await seedFleetExports();
    peer.addProject('acme-ml-dev', { parent: 'organizations/1' });
    peer.addFolder('folders/2', { parent: 'organizations/1' });
    const underTest = source({ organization: 'organizations/1', projects: ['acme-data-prod'] });
    await underTest.collect();
    const operations = Object.keys(underTest.stats().byOperation);
    assert.deepEqual(
      operations.filter((operation) => !Object.hasOwn(GCP_OPERATION_PERMISSIONS, operation)),
      [],
    );
    const needed = new Set(
      operations
        .map((operation) => GCP_OPERATION_PERMISSIONS[operation as keyof typeof GCP_OPERATION_PERMISSIONS])
        .filter((permission) => permission !== null),
    );
    assert.deepEqual(
      [...needed].filter((permission) => !GCP_READ_PERMISSIONS.includes(permission)),
      [],
    );
    assert.equal(peer.calls().length, underTest.stats().calls);
  });

  describe('project logging settings: the _Default bucket, log-based metrics and alert policies', () => {
    const FAILED_AUTH = 'resource.type="k8s_cluster" AND protoPayload.status.code=(7 OR 16)';
    const ALERT = 'monitoring-alert-policy:GKE failed authentications';

    function seedAlerting(project: string): void {
      peer.setLogBucket(project, '_Default', { retentionDays: 365 });
      peer.putLogMetrics(project, [
        // 60 metrics: the list comes in two pages of the peer's 50.
        ...Array.from({ length: 59 }, (_, index) => ({
          name: `unrelated-${String(index).padStart(2, '0')}`,
          filter: 'resource.type="gce_instance"',
        })),
        { name: 'gke-failed-auth', filter: FAILED_AUTH },
      ]);
      peer.putAlertPolicies(project, [
        {
          displayName: 'GKE failed authentications',
          enabled: true,
          conditions: [
            {
              displayName: 'any',
              conditionThreshold: {
                filter: 'metric.type="logging.googleapis.com/user/gke-failed-auth"',
                comparison: 'COMPARISON_GT',
                duration: '60s',
              },
            },
          ],
        },
      ]);
    }

    function projectCalls(): Record<string, string[]> {
      const byMethod: Record<string, string[]> = {};
      for (const call of peer.calls()) {
        if (!['GetBucket', 'ListLogMetrics', 'ListAlertPolicies'].includes(call.method)) continue;
        byMethod[call.method] = [...(byMethod[call.method] ?? []), call.resource].sort();
      }
      return byMethod;
    }

    it('reads each project once, every page, and applies it to every cluster of the project', async () => {
      // Prepare: 9 clusters in 3 projects; acme-a alerts, acme-b keeps the defaults.
      seedGkeFleet(peer, { count: 9, projects: ['acme-a', 'acme-b', 'acme-c'] });
      seedAlerting('acme-a');
      peer.putLogMetrics('acme-b', [{ name: 'denied', filter: FAILED_AUTH }]);
      const underTest = source({ projects: ['acme-a', 'acme-b', 'acme-c', 'acme-empty'] });
      // Act
      const result = await underTest.collect();
      // Assess: one read per project with clusters (two pages of metrics in acme-a), none for acme-empty.
      assert.deepEqual(projectCalls(), {
        GetBucket: [
          'projects/acme-a/locations/global/buckets/_Default',
          'projects/acme-b/locations/global/buckets/_Default',
          'projects/acme-c/locations/global/buckets/_Default',
        ],
        ListAlertPolicies: ['projects/acme-a', 'projects/acme-b', 'projects/acme-c'],
        ListLogMetrics: ['projects/acme-a', 'projects/acme-a', 'projects/acme-b', 'projects/acme-c'],
      });
      assert.equal(
        peer.calls().length,
        underTest.stats().calls,
        'every request went through the ledger once',
      );
      const byProject = (project: string) =>
        result.postures
          .filter((posture) => posture.scope === project)
          .map((posture) => [
            value(posture.failedAuthAlerting),
            value((posture as GkeClusterPosture).gke.defaultLogBucketRetentionDays),
          ]);
      assert.deepEqual(byProject('acme-a'), Array(3).fill([{ alerts: [ALERT], unalerted: [] }, 365]));
      assert.deepEqual(
        byProject('acme-b'),
        Array(3).fill([{ alerts: [], unalerted: ['log-metric:denied'] }, 30]),
      );
      assert.deepEqual(byProject('acme-c'), Array(3).fill([{ alerts: [], unalerted: [] }, 30]));
    });

    it('keeps the evidence of the alert as the API returned it, through the real clients', async () => {
      seedGkeFleet(peer, { count: 1, projects: ['acme-a'] });
      seedAlerting('acme-a');
      const [posture] = (await source({ projects: ['acme-a'] }).collect()).postures;
      assert.ok(posture);
      assert.deepEqual(posture.failedAuthAlerting, {
        value: { alerts: [ALERT], unalerted: [] },
        from: [
          { path: 'logMetrics[name=gke-failed-auth].filter', value: FAILED_AUTH },
          {
            path: 'alertPolicies[name=projects/acme-a/alertPolicies/1].conditions[0].conditionThreshold.filter',
            value: 'metric.type="logging.googleapis.com/user/gke-failed-auth"',
          },
          { path: 'alertPolicies[name=projects/acme-a/alertPolicies/1].enabled', value: true },
          {
            path: 'logMetrics[*].name',
            value: [
              ...Array.from({ length: 59 }, (_, index) => `unrelated-${String(index).padStart(2, '0')}`),
              'gke-failed-auth',
            ],
          },
          { path: 'alertPolicies[*].displayName', value: ['GKE failed authentications'] },
        ],
      });
      assert.deepEqual((posture as GkeClusterPosture).gke.defaultLogBucketRetentionDays, {
        value: 365,
        from: [{ path: 'logBuckets._Default.retentionDays', value: 365 }],
      });
    });

    const denials = [
      {
        method: 'GetBucket',
        permission: 'logging.buckets.get',
        operation: 'logging:GetBucket',
        resource: 'projects/acme-denied/locations/global/buckets/_Default',
        unknownField: 'defaultLogBucketRetentionDays',
      },
      {
        method: 'ListLogMetrics',
        permission: 'logging.logMetrics.list',
        operation: 'logging:ListLogMetrics',
        resource: 'projects/acme-denied',
        unknownField: 'failedAuthAlerting',
      },
      {
        method: 'ListAlertPolicies',
        permission: 'monitoring.alertPolicies.list',
        operation: 'monitoring:ListAlertPolicies',
        resource: 'projects/acme-denied',
        unknownField: 'failedAuthAlerting',
      },
    ] as const;
    for (const denial of denials) {
      it(`leaves only ${denial.unknownField} unknown when ${denial.method} is denied, in that project only`, async () => {
        // Prepare
        seedGkeFleet(peer, { count: 4, projects: ['acme-denied', 'acme-ok'] });
        seedAlerting('acme-denied');
        seedAlerting('acme-ok');
        peer.addFault({ project: 'acme-denied', method: denial.method, kind: 'permission-denied' });
        // Act
        const result = await source({ projects: ['acme-denied', 'acme-ok'] }, { maxAttempts: 1 }).collect();
        // Assess: the scan is complete; the denied project's field says why; nothing else changed.
        assert.deepEqual(
          result.scopes.map((scope) => [scope.scope, scope.status]),
          [
            ['acme-denied', 'ok'],
            ['acme-ok', 'ok'],
          ],
        );
        const reason = `${denial.operation} failed: PERMISSION_DENIED: Required "${denial.permission}" permission(s) for "${denial.resource}". (fault injected by the kubeline GKE test peer)`;
        for (const posture of result.postures as GkeClusterPosture[]) {
          const fields = {
            failedAuthAlerting: value(posture.failedAuthAlerting),
            defaultLogBucketRetentionDays: value(posture.gke.defaultLogBucketRetentionDays),
          };
          const expected =
            posture.scope === 'acme-denied'
              ? {
                  failedAuthAlerting: { alerts: [ALERT], unalerted: [] },
                  defaultLogBucketRetentionDays: 365,
                  [denial.unknownField]: `unknown: ${reason}`,
                }
              : {
                  failedAuthAlerting: { alerts: [ALERT], unalerted: [] },
                  defaultLogBucketRetentionDays: 365,
                };
          assert.deepEqual(fields, expected, posture.id);
          assert.ok(
            'value' in posture.endpoint.publicAccess && 'value' in posture.versionSupport,
            posture.id,
          );
        }
      });
    }

    it('retries UNAVAILABLE on a project read and then uses the answer', async () => {
      seedGkeFleet(peer, { count: 2, projects: ['acme-a'] });
      seedAlerting('acme-a');
      peer.addFault({ method: 'ListAlertPolicies', kind: 'unavailable', times: 1 });
      const underTest = source({ projects: ['acme-a'] });
      const result = await underTest.collect();
      assert.deepEqual(
        result.postures.map((posture) => value(posture.failedAuthAlerting)),
        [
          { alerts: [ALERT], unalerted: [] },
          { alerts: [ALERT], unalerted: [] },
        ],
      );
      assert.equal(underTest.stats().retries, 1);
      assert.equal(underTest.stats().byOperation['monitoring:ListAlertPolicies'], 1);
    });
  });

  describe('failures', () => {
    it('records PERMISSION_DENIED on one project as its scope error and reads the others', async () => {
      seedGkeFleet(peer, { count: 6, projects: ['acme-a', 'acme-denied', 'acme-c'] });
      peer.addFault({ project: 'acme-denied', method: 'ListClusters', kind: 'permission-denied' });
      const result = await source({ projects: ['acme-a', 'acme-c', 'acme-denied'] }).collect();
      const denied = result.scopes.filter((scope) => scope.status === 'error');
      assert.deepEqual(
        denied.map((scope) => scope.scope),
        ['acme-denied'],
      );
      assert.match(
        denied[0]?.error ?? '',
        /^container:ListClusters failed: PERMISSION_DENIED: Required "container\.clusters\.list" permission/,
      );
      assert.deepEqual([...new Set(result.postures.map((posture) => posture.scope))].sort(), [
        'acme-a',
        'acme-c',
      ]);
    });

    it('says when the Kubernetes Engine API is not enabled in a project', async () => {
      peer.addFault({ project: 'acme-off', method: 'ListClusters', kind: 'api-disabled' });
      const result = await source({ projects: ['acme-off'] }).collect();
      assert.match(
        result.scopes[0]?.error ?? '',
        /PERMISSION_DENIED: Kubernetes Engine API has not been used/,
      );
    });

    it('retries UNAVAILABLE and RESOURCE_EXHAUSTED with backoff, then succeeds', async () => {
      seedGkeFleet(peer, { count: 2, projects: ['acme-flaky'] });
      peer.addFault({ method: 'ListClusters', kind: 'unavailable', times: 2 });
      peer.addFault({ method: 'FetchClusterUpgradeInfo', kind: 'resource-exhausted', times: 1 });
      const underTest = source({ projects: ['acme-flaky'] });
      const result = await underTest.collect();
      assert.equal(result.postures.length, 2);
      assert.deepEqual(
        result.scopes.map((scope) => scope.status),
        ['ok'],
      );
      assert.deepEqual(
        peer
          .calls()
          .filter((call) => call.method === 'ListClusters')
          .map((call) => call.code),
        [14, 14, 0],
      );
      assert.equal(underTest.stats().retries, 3);
      assert.ok(result.postures.every((posture) => 'value' in posture.versionSupport));
    });

    it('gives up after the last attempt and names the status of the last attempt', async () => {
      peer.addFault({ method: 'ListClusters', kind: 'unavailable' });
      const result = await source({ projects: ['acme-down'] }, { maxAttempts: 2 }).collect();
      assert.match(
        result.scopes[0]?.error ?? '',
        /^container:ListClusters failed after 2 attempts: UNAVAILABLE: The service is currently unavailable/,
      );
    });

    it('ends a call held past its deadline, and leaves only that call’s fields unknown', async () => {
      seedGkeFleet(peer, { count: 1, projects: ['acme-slow'] });
      peer.addFault({ method: 'FetchClusterUpgradeInfo', kind: 'deadline' });
      peer.addFault({ project: 'acme-stuck', method: 'ListClusters', kind: 'deadline' });
      const started = Date.now();
      const result = await source(
        { projects: ['acme-slow', 'acme-stuck'] },
        { callTimeoutMs: 300 },
      ).collect();
      assert.ok(Date.now() - started < 5_000, 'the deadline bounds the call, not the peer');
      const stuck = result.scopes.find((scope) => scope.scope === 'acme-stuck');
      assert.match(stuck?.error ?? '', /^container:ListClusters failed: DEADLINE_EXCEEDED: /);
      const [posture] = result.postures;
      assert.ok(posture && 'unknown' in posture.versionSupport);
      assert.match(
        posture.versionSupport.unknown,
        /^container:FetchClusterUpgradeInfo failed: DEADLINE_EXCEEDED: .*; using the bundled calendar$/,
      );
      assert.ok('value' in posture.endpoint.publicAccess, 'the cluster fields are unaffected');
    });
  });
});
