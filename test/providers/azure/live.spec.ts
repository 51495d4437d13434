import assert from 'node:assert/strict';
import { CHECKS } from '../../../checks/registry.js';
import { evaluateChecks } from '../../../engine/evaluate.js';
import type { AksClusterPosture, NodePool } from '../../../model/posture.js';
import { AzureClientFactory, LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import { AKS_READ_ACTIONS } from '../../../providers/azure/permissions.js';
import type { AksTargets } from '../../../providers/azure/scopes.js';
import { type AksSource, aksSource } from '../../../providers/azure/source.js';
import { evalContext } from '../../fixtures/context.js';
import { type ArmPeer, startArmPeer } from '../../peers/azure/armPeer.js';
import {
  generatedDiagnosticSetting,
  generatedManagedCluster,
  managedClusterId,
} from '../../peers/azure/generate.js';

const SUB_A = '00000000-0000-4000-8000-00000000000a';
const SUB_B = '00000000-0000-4000-8000-00000000000b';
const TENANT = '00000000-0000-4000-8000-00000000aaaa';

function value<T>(observed: { readonly value: T } | { readonly unknown: string }): T | { unknown: string } {
  return 'value' in observed ? observed.value : { unknown: observed.unknown };
}

describe('providers/azure: live AKS scan against the local ARM peer over HTTPS', function () {
  this.timeout(60_000);
  let peer: ArmPeer;

  before(async () => {
    peer = await startArmPeer();
  });
  after(async () => {
    await peer?.close();
  });
  beforeEach(() => {
    peer.reset();
    peer.addSubscription({ subscriptionId: SUB_A, tenantId: TENANT, displayName: 'prod' });
    peer.addSubscription({ subscriptionId: SUB_B, tenantId: TENANT, displayName: 'dev' });
  });

  function source(
    targets: AksTargets,
    options: { maxRetries?: number; callTimeoutMs?: number } = {},
  ): AksSource {
    return aksSource({
      targets,
      factory: new AzureClientFactory(
        {
          endpoint: peer.endpoint,
          ca: peer.ca,
          maxRetries: options.maxRetries ?? 3,
          callTimeoutMs: options.callTimeoutMs ?? 5000,
        },
        LOCAL_PEER_CREDENTIAL,
      ),
      concurrency: { perScope: 8, scopes: 4 },
    });
  }

  function addCluster(subscription: string, name: string, properties = {}, top = {}) {
    const cluster = generatedManagedCluster({ subscription, name, properties, top });
    peer.addCluster(cluster);
    return String(cluster.id);
  }

  it('reads 2 subscriptions, following 3 pages of clusters in one of them', async () => {
    // Prepare
    peer.setPageSize(2);
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) addCluster(SUB_A, name);
    addCluster(SUB_B, 'b1');
    // Act
    const scan = source({ subscriptions: [SUB_A, SUB_B] });
    const result = await scan.collect();
    // Assess
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.scopes.map((scope) => [scope.scope, scope.status, scope.clusters]),
      [
        [SUB_A, 'ok', 5],
        [SUB_B, 'ok', 1],
      ],
    );
    assert.deepEqual(result.postures.map((posture) => `${posture.scope}/${posture.name}`).sort(), [
      `${SUB_A}/a1`,
      `${SUB_A}/a2`,
      `${SUB_A}/a3`,
      `${SUB_A}/a4`,
      `${SUB_A}/a5`,
      `${SUB_B}/b1`,
    ]);
    const listPages = peer
      .calls()
      .filter(
        (call) =>
          call.operation === 'Microsoft.ContainerService/managedClusters/read' && call.subscription === SUB_A,
      );
    assert.equal(listPages.length, 3);
    assert.ok(listPages.slice(1).every((call) => /skiptoken=\d/.test(call.url)));
    assert.ok(
      peer.calls().every((call) => call.token === 'kubeline-local-peer'),
      'only the dummy token reaches a loopback endpoint',
    );
  });

  it('discovers the subscriptions the identity can list, skipping disabled ones and other tenants', async () => {
    peer.addSubscription({ subscriptionId: '00000000-0000-4000-8000-00000000000c', state: 'Disabled' });
    peer.addSubscription({
      subscriptionId: '00000000-0000-4000-8000-00000000000d',
      tenantId: '00000000-0000-4000-8000-00000000bbbb',
    });
    addCluster(SUB_A, 'found');
    const result = await source({ tenants: [TENANT] }).collect();
    assert.deepEqual(
      result.scopes.map((scope) => scope.scope),
      [SUB_A, SUB_B],
    );
    assert.deepEqual(
      result.postures.map((posture) => posture.name),
      ['found'],
    );
  });

  it('fails the discovery, never finds no subscription, when the list answer has no value list', async () => {
    addCluster(SUB_A, 'found');
    peer.addFault({ operation: 'Microsoft.Resources/subscriptions/read', kind: 'no-list' });
    const result = await source({ tenants: [TENANT] }).collect();
    assert.ok(
      result.scopes.some(
        (scope) =>
          scope.status === 'error' &&
          /subscriptions\/read returned a page without a list of values/.test(scope.error ?? ''),
      ),
      JSON.stringify(result.scopes),
    );
    assert.deepEqual(result.postures, []);
  });

  it('keeps only discovered subscriptions below the configured management groups, at any depth', async () => {
    const SUB_C = '00000000-0000-4000-8000-00000000000c';
    peer.addSubscription({ subscriptionId: SUB_C, tenantId: TENANT });
    peer.setManagementGroup('mg-prod', { groups: ['mg-payments'] });
    peer.setManagementGroup('mg-payments', { subscriptions: [SUB_A] });
    peer.setManagementGroup('mg-dev', { subscriptions: [SUB_C] });
    peer.addFault({
      operation: 'Microsoft.Management/managementGroups/descendants/read',
      kind: 'throttle',
      times: 1,
      retryAfterSeconds: 0,
    });
    const scan = source({ managementGroups: ['mg-prod', 'mg-dev', 'mg-missing'] });
    const result = await scan.collect();
    assert.equal(scan.stats().retries, 1, 'the throttled descendants call was retried after Retry-After');
    assert.deepEqual(
      result.scopes.map((scope) => [scope.scope, scope.status]),
      [
        ['managementGroups/mg-missing', 'error'],
        [SUB_A, 'ok'],
        [SUB_C, 'ok'],
      ],
    );
    assert.match(
      result.scopes[0]?.error ?? '',
      /^Microsoft\.Management\/managementGroups\/descendants\/read failed: NotFound: HTTP 404/,
    );
    assert.ok(peer.calls().every((call) => call.token === 'kubeline-local-peer'));
  });

  it('waits out a 429 with Retry-After and succeeds', async () => {
    addCluster(SUB_A, 'throttled');
    peer.addFault({
      subscription: SUB_A,
      operation: 'Microsoft.ContainerService/managedClusters/read',
      kind: 'throttle',
      times: 1,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    const scan = source({ subscriptions: [SUB_A] });
    const result = await scan.collect();
    assert.deepEqual(
      result.postures.map((posture) => posture.name),
      ['throttled'],
    );
    assert.ok(Date.now() - started >= 1000, 'the client waited for Retry-After');
    assert.equal(scan.stats().retries, 1);
    assert.deepEqual(
      peer
        .calls()
        .filter((call) => call.operation === 'Microsoft.ContainerService/managedClusters/read')
        .map((call) => call.status),
      [429, 200],
    );
  });

  it('slows down when the subscription read budget (x-ms-ratelimit-remaining-subscription-reads) runs low', async () => {
    addCluster(SUB_A, 'one');
    addCluster(SUB_A, 'two');
    peer.setReadBudget(3);
    const factory = new AzureClientFactory(
      {
        endpoint: peer.endpoint,
        ca: peer.ca,
        maxRetries: 0,
        callTimeoutMs: 5000,
        rateLimitFloor: { remaining: 2, pauseMs: 100 },
      },
      LOCAL_PEER_CREDENTIAL,
    );
    const started = Date.now();
    const result = await aksSource({
      targets: { subscriptions: [SUB_A] },
      factory,
      concurrency: { perScope: 8, scopes: 1 },
    }).collect();
    assert.equal(result.postures.length, 2);
    // 1 list, 2 diagnostic settings, 1 version list, the Defender plan and 1 page of query rules:
    // the budget reads 2, 1, 0, 0, 0, 0 after each.
    assert.equal(factory.pacedResponses(), 5);
    assert.ok(Date.now() - started >= 100);
  });

  it('records a subscription that answers 403 as a scope error with the ARM code, and reads the other', async () => {
    addCluster(SUB_A, 'denied');
    addCluster(SUB_B, 'readable');
    peer.addFault({ subscription: SUB_A, kind: 'forbidden' });
    const result = await source({ subscriptions: [SUB_A, SUB_B] }).collect();
    const denied = result.scopes.find((scope) => scope.scope === SUB_A);
    assert.equal(denied?.status, 'error');
    assert.match(
      denied?.error ?? '',
      /^Microsoft\.ContainerService\/managedClusters\/read failed: AuthorizationFailed: HTTP 403: The client 'kubeline'/,
    );
    assert.deepEqual(
      result.postures.map((posture) => posture.name),
      ['readable'],
    );
  });

  it('finds AUD-01 unknown with the ARM code when diagnostic settings cannot be read, and evaluates the rest', async () => {
    // Prepare: a hardened cluster whose audit export exists but cannot be read.
    const id = addCluster(SUB_A, 'no-diag');
    peer.setDiagnosticSettings(id, [generatedDiagnosticSetting(id, 'audit', ['kube-audit'])]);
    peer.addFault({ operation: 'Microsoft.Insights/diagnosticSettings/read', kind: 'forbidden' });
    // Act
    const result = await source({ subscriptions: [SUB_A] }, { maxRetries: 0 }).collect();
    const findings = evaluateChecks(result.postures, CHECKS, evalContext());
    // Assess
    assert.deepEqual(result.problems, []);
    const audit = findings.find((finding) => finding.checkId === 'AUD-01');
    assert.equal(audit?.status, 'unknown');
    assert.match(
      audit?.message ?? '',
      /Microsoft\.Insights\/diagnosticSettings\/read failed: AuthorizationFailed: HTTP 403/,
    );
    // Only the checks that read diagnostic settings (audit and authenticator log export, audit
    // retention) are left unknown; every other AKS check the API answers is decided.
    const undecided = findings
      .filter((finding) => finding.status === 'unknown' || finding.status === 'error')
      .map((finding) => finding.checkId);
    assert.ok(['AUD-01', 'AUD-02', 'AUD-03'].every((check) => undecided.includes(check)));
    const decided = findings.filter((finding) => finding.status === 'pass' || finding.status === 'fail');
    assert.ok(
      ['EP-01', 'AUTH-01', 'AUTH-02', 'RBAC-01', 'ENC-01', 'NET-01', 'RUN-01'].every((check) =>
        decided.some((finding) => finding.checkId === check),
      ),
      JSON.stringify(undecided),
    );
  });

  it('takes a list answer without its value list for an unreadable list, never for an empty one', async () => {
    // Prepare: the SDK's pager reads `{}` as an empty page; an empty subscription would pass as read.
    addCluster(SUB_A, 'hidden');
    addCluster(SUB_B, 'seen');
    peer.addFault({
      subscription: SUB_A,
      operation: 'Microsoft.ContainerService/managedClusters/read',
      kind: 'no-list',
    });
    peer.addFault({
      subscription: SUB_B,
      operation: 'Microsoft.Insights/diagnosticSettings/read',
      kind: 'no-list',
    });
    // Act
    const result = await source({ subscriptions: [SUB_A, SUB_B] }, { maxRetries: 0 }).collect();
    // Assess: the listing is a scope error, the settings an unknown field; the rest is read.
    const lost = result.scopes.find((scope) => scope.scope === SUB_A);
    assert.equal(lost?.status, 'error');
    assert.match(lost?.error ?? '', /managedClusters\/read returned a page without a list of values/);
    const [posture] = result.postures as AksClusterPosture[];
    assert.equal(posture?.name, 'seen');
    assert.ok(posture && 'unknown' in posture.auditLogs);
    assert.match(
      posture.auditLogs.unknown,
      /diagnosticSettings\/read returned a page without a list of values/,
    );
  });

  it('turns a malformed body and a call that times out into unknown fields with the reason', async () => {
    addCluster(SUB_A, 'slow', { currentKubernetesVersion: '1.33.5' }, { location: 'northeurope' });
    peer.addFault({
      operation: 'Microsoft.ContainerService/locations/kubernetesVersions/read',
      kind: 'timeout',
      holdMs: 5000,
    });
    peer.addFault({ operation: 'Microsoft.Insights/diagnosticSettings/read', kind: 'malformed' });
    const result = await source({ subscriptions: [SUB_A] }, { maxRetries: 0, callTimeoutMs: 300 }).collect();
    const [posture] = result.postures as AksClusterPosture[];
    assert.ok(posture && 'unknown' in posture.versionSupport && 'unknown' in posture.auditLogs);
    assert.match(posture.versionSupport.unknown, /kubernetesVersions\/read timed out/);
    assert.match(posture.auditLogs.unknown, /diagnosticSettings\/read returned a malformed response/);
  });

  it('brings every collected field into the posture', async () => {
    // Prepare: a public cluster with an allow-list, LTS, Calico and flow logs, diagnostic settings
    // with audit and guard categories, and the location's version list (the peer's default).
    const id = addCluster(
      SUB_A,
      'full',
      {
        currentKubernetesVersion: '1.33.5',
        supportPlan: 'AKSLongTermSupport',
        apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] },
        networkProfile: {
          networkPlugin: 'azure',
          networkPolicy: 'calico',
          advancedNetworking: { observability: { enabled: true } },
        },
      },
      { location: 'northeurope' },
    );
    peer.setDiagnosticSettings(id, [
      generatedDiagnosticSetting(id, 'security', ['kube-audit-admin', 'guard']),
    ]);
    const scan = source({ subscriptions: [SUB_A] });
    // Act
    const result = await scan.collect();
    // Assess
    assert.deepEqual(result.problems, []);
    const [posture] = result.postures as AksClusterPosture[];
    assert.ok(posture);
    assert.deepEqual(
      {
        id: posture.id,
        location: posture.location,
        version: (value(posture.version) as { raw: string }).raw,
        mode: value(posture.mode),
        supportPlan: value(posture.supportPlan),
        publicAccess: value(posture.endpoint.publicAccess),
        privateAccess: value(posture.endpoint.privateAccess),
        networks: value(posture.endpoint.authorizedNetworks),
        rbac: value(posture.authorization.rbac),
        secrets: value(posture.secretsEncryption),
        audit: value(posture.auditLogs),
        authenticator: value(posture.authenticatorLogs),
        networkPolicy: value(posture.networkPolicy),
        flowLogs: value(posture.networkFlowLogs),
        runtime: value(posture.runtimeThreatDetection),
        support: value(posture.versionSupport),
        entra: value(posture.aks.entraIdManaged),
        localAccountsDisabled: value(posture.aks.localAccountsDisabled),
        admins: value(posture.aks.adminGroupObjectIds),
        workloadIdentity: value(posture.aks.workloadIdentity),
        oidcIssuer: value(posture.aks.oidcIssuer),
        clusterIdentity: value(posture.aks.clusterIdentity),
        upgradeChannel: value(posture.aks.upgradeChannel),
        azurePolicy: value(posture.aks.azurePolicy),
        kubeDashboard: value(posture.aks.kubeDashboard),
        pools: ('value' in posture.nodePools ? posture.nodePools.value : []).map((pool: NodePool) => ({
          name: pool.name,
          publicIps: value(pool.publicIps),
          version: 'value' in pool.version ? pool.version.value.raw : pool.version,
          sshAccess: value(pool.sshAccess),
          secureBoot: value(pool.secureBoot),
        })),
      },
      {
        id: managedClusterId(SUB_A, 'rg-full', 'full'),
        location: 'northeurope',
        version: '1.33.5',
        mode: 'standard',
        supportPlan: 'extended',
        publicAccess: true,
        privateAccess: false,
        networks: { enforced: true, cidrs: ['203.0.113.0/24'], allowsCloudPublicRanges: false },
        rbac: true,
        secrets: {
          envelope: true,
          keyManagedBy: 'customer',
          keyId: 'https://kv-full.vault.azure.net/keys/etcd/0123456789abcdef',
        },
        audit: {
          exported: true,
          categories: ['kube-audit-admin'],
          destinations: [
            '/subscriptions/00000000-0000-0000-0000-00000000000f/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-security',
          ],
        },
        authenticator: true,
        networkPolicy: { enforced: true, engine: 'calico' },
        flowLogs: true,
        runtime: { enabled: true, via: 'defender' },
        support: { window: null, newestMinorVersion: '1.36', source: 'aks:listKubernetesVersions' },
        entra: true,
        localAccountsDisabled: true,
        admins: ['5d2b7c41-0e93-4a6f-b8d1-2c4e6f8a0b13'],
        workloadIdentity: true,
        oidcIssuer: true,
        clusterIdentity: 'managed-identity',
        upgradeChannel: 'patch',
        azurePolicy: true,
        kubeDashboard: false,
        pools: [
          { name: 'system', publicIps: false, version: '1.34.6', sshAccess: 'disabled', secureBoot: true },
        ],
      },
    );
  });

  it('judges the version checks with listKubernetesVersions, and says the dates come from the calendar', async () => {
    // Prepare: an LTS cluster on 1.33, which the recorded list offers under AKSLongTermSupport only.
    addCluster(SUB_A, 'lts', { currentKubernetesVersion: '1.33.8', supportPlan: 'AKSLongTermSupport' });
    // Act
    const [posture] = (await source({ subscriptions: [SUB_A] }).collect()).postures;
    assert.ok(posture);
    const findings = evaluateChecks([posture], CHECKS, evalContext({ asOf: '2026-11-29' }));
    const finding = (checkId: string) => {
      const found = findings.find((candidate) => candidate.checkId === checkId);
      return found && { status: found.status, message: found.message, evidence: found.evidence };
    };
    // Assess: the newest version and the cluster's own entry are the live list's; listKubernetesVersions
    // states no dates, so the support window is the calendar's, and the finding says so.
    const ownEntry = {
      path: 'kubernetesVersions.values[version=1.33]',
      value: {
        version: '1.33',
        capabilities: { supportPlan: ['AKSLongTermSupport'] },
        patchVersions: {
          '1.33.8': { upgrades: ['1.33.10', '1.34.6', '1.34.8'] },
          '1.33.10': { upgrades: ['1.34.6', '1.34.8'] },
        },
      },
    };
    const newest = { path: 'kubernetesVersions.values[newest].version', value: '1.36' };
    assert.deepEqual(finding('VER-01'), {
      status: 'fail',
      message:
        'Kubernetes 1.33 left standard support on 2026-07-31; it runs on long-term support until 2027-07-31 (aks:listKubernetesVersions gives no support dates for 1.33; dates from the support calendar dated 2026-08-22).',
      evidence: [
        { path: 'properties.currentKubernetesVersion', value: '1.33.8' },
        ownEntry,
        newest,
        {
          path: 'supportCalendar.aks[1.33]',
          value: { endOfStandardSupport: '2026-07-31', endOfExtendedSupport: '2027-07-31' },
        },
        { path: 'properties.supportPlan', value: 'AKSLongTermSupport' },
      ],
    });
    assert.deepEqual(finding('VER-03'), {
      status: 'fail',
      message:
        'Kubernetes 1.33 is 3 minors behind the newest available version, 1.36 (at most 1 allowed) (per aks:listKubernetesVersions).',
      evidence: [{ path: 'properties.currentKubernetesVersion', value: '1.33.8' }, ownEntry, newest],
    });
  });

  it('reads agent pools with agentPools.list only where the cluster lacks them', async () => {
    addCluster(SUB_A, 'complete');
    const id = addCluster(SUB_A, 'no-pools', { agentPoolProfiles: null });
    peer.setAgentPools(id, [
      { name: 'system', orchestratorVersion: '1.34.6', enableNodePublicIP: true, mode: 'System' },
    ]);
    const scan = source({ subscriptions: [SUB_A] });
    const result = await scan.collect();
    const pools = peer
      .calls()
      .filter((call) => call.operation === 'Microsoft.ContainerService/managedClusters/agentPools/read');
    assert.deepEqual(
      pools.map((call) => call.url.split('?')[0]?.toLowerCase()),
      [`${managedClusterId(SUB_A, 'rg-no-pools', 'no-pools')}/agentPools`.toLowerCase()],
    );
    const noPools = result.postures.find((posture) => posture.name === 'no-pools');
    assert.ok(noPools && 'value' in noPools.nodePools);
    assert.deepEqual(
      noPools.nodePools.value.map((pool) => [pool.name, value(pool.publicIps)]),
      [['system', true]],
    );
  });

  it('makes each call once per run, lists versions once per location, and declares every action it calls', async () => {
    addCluster(SUB_A, 'one');
    addCluster(SUB_A, 'two');
    addCluster(SUB_B, 'three');
    const scan = source({});
    await scan.collect();
    const stats = scan.stats();
    assert.deepEqual(
      {
        subscriptions: stats.byOperation['Microsoft.Resources/subscriptions/read'],
        versions: stats.byOperation['Microsoft.ContainerService/locations/kubernetesVersions/read'],
        diagnostics: stats.byOperation['Microsoft.Insights/diagnosticSettings/read'],
      },
      { subscriptions: 1, versions: 1, diagnostics: 3 },
    );
    assert.equal(
      peer.calls().length,
      stats.calls,
      'every request the peer saw went through the call ledger once',
    );
    const declared = new Set<string>(AKS_READ_ACTIONS);
    assert.deepEqual(
      Object.keys(stats.byOperation).filter((operation) => !declared.has(operation)),
      [],
    );
    assert.deepEqual(
      [...new Set(peer.calls().map((call) => call.operation))].filter(
        (operation) => !declared.has(operation),
      ),
      [],
    );
  });

  describe('audit retention (AUD-03) and failed-authentication alerting (AUD-04)', () => {
    const WORKSPACE = `/subscriptions/${SUB_B}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-audit`;
    const QUERY =
      'AKSAudit | where ResponseStatus.code in (401, 403) | summarize count() by bin(TimeGenerated, 5m)';

    function rule(name: string, properties = {}) {
      return {
        id: `/subscriptions/${SUB_B}/resourceGroups/rg-obs/providers/Microsoft.Insights/scheduledQueryRules/${name}`,
        name,
        type: 'Microsoft.Insights/scheduledQueryRules',
        location: 'westeurope',
        kind: 'LogAlert',
        properties: {
          enabled: true,
          scopes: [WORKSPACE],
          evaluationFrequency: 'PT5M',
          windowSize: 'PT5M',
          criteria: {
            allOf: [{ query: QUERY, timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0 }],
          },
          ...properties,
        },
      };
    }

    /** A cluster in SUB_A sending kube-audit to a workspace in SUB_B that keeps 30 days, AKSAudit 180 in all. */
    function auditedCluster(name: string) {
      const id = addCluster(SUB_A, name);
      peer.setDiagnosticSettings(id, [
        generatedDiagnosticSetting(id, 'audit', ['kube-audit'], { destination: { workspaceId: WORKSPACE } }),
      ]);
      return id;
    }

    function seedWorkspace() {
      peer.addWorkspace({
        id: WORKSPACE,
        name: 'law-audit',
        type: 'Microsoft.OperationalInsights/workspaces',
        location: 'westeurope',
        properties: { retentionInDays: 30, sku: { name: 'PerGB2018' } },
      });
      peer.setWorkspaceTable(WORKSPACE, 'AKSAudit', {
        totalRetentionInDays: 180,
        archiveRetentionInDays: 150,
        totalRetentionInDaysAsDefault: false,
      });
    }

    async function scan() {
      const result = await source({ subscriptions: [SUB_A, SUB_B] }, { maxRetries: 0 }).collect();
      assert.deepEqual(result.problems, []);
      return result.postures as AksClusterPosture[];
    }

    it('reads the workspace and table retention, the query rule on the workspace and the Defender plan', async () => {
      // Prepare: the rule lives in the workspace's subscription; Defender is on for SUB_B only.
      auditedCluster('audited');
      addCluster(SUB_B, 'defended');
      seedWorkspace();
      peer.addScheduledQueryRule(rule('aks-failed-auth'));
      peer.addScheduledQueryRule(rule('aks-failed-auth-old', { enabled: false }));
      peer.setDefenderPlan(SUB_B, 'Containers', 'Standard');
      // Act
      const postures = await scan();
      // Assess
      const byName = Object.fromEntries(
        postures.map((posture) => [
          posture.name,
          { retention: value(posture.auditLogRetentionDays), alerting: value(posture.failedAuthAlerting) },
        ]),
      );
      assert.deepEqual(byName, {
        audited: {
          retention: 180,
          alerting: {
            alerts: ['scheduled-query-rule:aks-failed-auth'],
            unalerted: ['scheduled-query-rule:aks-failed-auth-old (disabled)'],
          },
        },
        defended: {
          retention: { unknown: 'no diagnostic setting exports audit logs' },
          alerting: { alerts: ['defender-for-containers'], unalerted: [] },
        },
      });
      const audited = postures.find((posture) => posture.name === 'audited');
      assert.deepEqual(audited?.auditLogRetentionDays.from?.slice(-2), [
        { path: `workspaces[${WORKSPACE}].tables[AKSAudit].properties.totalRetentionInDays`, value: 180 },
        { path: `workspaces[${WORKSPACE}].tables[AKSAudit].properties.retentionInDays`, value: 30 },
      ]);
    });

    const DENIALS = [
      ['Microsoft.Security/pricings/read', 'failedAuthAlerting'],
      ['Microsoft.Insights/scheduledQueryRules/read', 'failedAuthAlerting'],
      ['Microsoft.OperationalInsights/workspaces/read', 'auditLogRetentionDays'],
      ['Microsoft.OperationalInsights/workspaces/tables/read', 'auditLogRetentionDays'],
    ] as const;
    for (const [operation, field] of DENIALS) {
      it(`leaves only ${field} unknown, with the ARM code, when ${operation} answers 403`, async () => {
        // Prepare: no alert anywhere, and a table that keeps the workspace's default, so each read decides.
        auditedCluster('denied');
        peer.addWorkspace({
          id: WORKSPACE,
          name: 'law-audit',
          properties: { retentionInDays: 120 },
        });
        // -1: the table keeps the workspace's retention (the API's "default" marker).
        peer.setWorkspaceTable(WORKSPACE, 'AKSAudit', { retentionInDays: -1, totalRetentionInDays: -1 });
        peer.addFault({ operation, kind: 'forbidden' });
        // Act
        const [posture] = await scan();
        // Assess
        assert.ok(posture);
        const fields = {
          auditLogRetentionDays: value(posture.auditLogRetentionDays),
          failedAuthAlerting: value(posture.failedAuthAlerting),
          auditLogs: 'value' in posture.auditLogs,
          authenticatorLogs: 'value' in posture.authenticatorLogs,
        };
        const denied = fields[field];
        assert.ok(
          typeof denied === 'object' && denied !== null && 'unknown' in denied,
          JSON.stringify(fields),
        );
        assert.match(
          String(denied.unknown),
          new RegExp(`${operation.replaceAll('.', '\\.')} failed: AuthorizationFailed: HTTP 403`),
        );
        assert.deepEqual(
          { ...fields, [field]: 'denied' },
          {
            auditLogRetentionDays: 120,
            failedAuthAlerting: { alerts: [], unalerted: [] },
            auditLogs: true,
            authenticatorLogs: true,
            [field]: 'denied',
          },
        );
      });
    }

    it('still finds the alert of Defender for Containers when the query rules cannot be read', async () => {
      auditedCluster('defender-only');
      seedWorkspace();
      peer.setDefenderPlan(SUB_A, 'Containers', 'Standard');
      peer.addFault({ operation: 'Microsoft.Insights/scheduledQueryRules/read', kind: 'forbidden' });
      const [posture] = await scan();
      assert.deepEqual(posture && value(posture.failedAuthAlerting), {
        alerts: ['defender-for-containers'],
        unalerted: [],
      });
    });

    it('is unknown on retention when the workspace of the setting does not exist, naming the ARM error', async () => {
      auditedCluster('gone');
      const [posture] = await scan();
      const retention = posture?.auditLogRetentionDays;
      assert.ok(retention && 'unknown' in retention);
      assert.match(
        retention.unknown,
        /^Microsoft\.OperationalInsights\/workspaces\/tables\/read failed: ResourceNotFound: HTTP 404/,
      );
    });

    it('reads no workspace for a workspaceId that is not a workspace resource id, and says so', async () => {
      const id = addCluster(SUB_A, 'odd-destination');
      peer.setDiagnosticSettings(id, [
        generatedDiagnosticSetting(id, 'audit', ['kube-audit'], {
          destination: { workspaceId: 'law-audit' },
        }),
      ]);
      const [posture] = await scan();
      assert.deepEqual(posture && value(posture.auditLogRetentionDays), {
        unknown: `the diagnostic setting's workspaceId "law-audit" is not a Log Analytics workspace resource id`,
      });
      assert.deepEqual(
        peer.calls().filter((call) => call.operation.startsWith('Microsoft.OperationalInsights/')),
        [],
      );
    });

    it('reads each workspace and table once per run, and Defender and the rules once per subscription', async () => {
      // Prepare: 3 clusters in SUB_A and 1 in SUB_B, all sending audit logs to one workspace in SUB_B.
      for (const name of ['one', 'two', 'three']) auditedCluster(name);
      const id = addCluster(SUB_B, 'four');
      peer.setDiagnosticSettings(id, [
        generatedDiagnosticSetting(id, 'audit', ['kube-audit', 'kube-audit-admin'], {
          destination: { workspaceId: WORKSPACE },
        }),
      ]);
      seedWorkspace();
      peer.setPageSize(1);
      peer.addScheduledQueryRule(rule('first'));
      peer.addScheduledQueryRule(rule('second'));
      const scan = source({ subscriptions: [SUB_A, SUB_B] });
      // Act
      const result = await scan.collect();
      // Assess
      const stats = scan.stats();
      assert.deepEqual(
        {
          workspaces: stats.byOperation['Microsoft.OperationalInsights/workspaces/read'],
          tables: stats.byOperation['Microsoft.OperationalInsights/workspaces/tables/read'],
          pricings: stats.byOperation['Microsoft.Security/pricings/read'],
          rulePages: stats.byOperation['Microsoft.Insights/scheduledQueryRules/read'],
        },
        // Two tables (AKSAudit, AKSAuditAdmin); Defender in SUB_A and SUB_B; rules listed in SUB_A
        // (1 empty page) and SUB_B (2 pages of 1 rule, then none left).
        { workspaces: 1, tables: 2, pricings: 2, rulePages: 3 },
      );
      assert.equal(peer.calls().length, stats.calls);
      assert.deepEqual(
        (result.postures as AksClusterPosture[]).map((posture) => [
          posture.name,
          value(posture.failedAuthAlerting),
        ]),
        ['one', 'two', 'three', 'four'].map((name) => [
          name,
          { alerts: ['scheduled-query-rule:first', 'scheduled-query-rule:second'], unalerted: [] },
        ]),
      );
    });
  });
});
