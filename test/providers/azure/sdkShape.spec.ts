import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject } from '../../../model/json.js';
import { AzureClientFactory, LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import { type AksCollected, normaliseAks, parseAksResourceId } from '../../../providers/azure/normalise.js';
import { aksSource } from '../../../providers/azure/source.js';
import { collected } from '../../../providers/collected.js';
import { type ArmPeer, recordedKubernetesVersions, startArmPeer } from '../../peers/azure/armPeer.js';
import { generatedDiagnosticSetting, generatedManagedCluster } from '../../peers/azure/generate.js';

/** ARM wire JSON of managed clusters, as Resource Manager sends them. */
const WIRE_CLUSTERS: readonly string[] = [
  'examples/fleet/aks/prod-identity.arm-2025-10-01.json',
  'test/fixtures/raw/aks/managed-cluster-arm-private.json',
  'test/fixtures/raw/aks/managed-cluster-arm-minimal.json',
];

/** The workspace generatedDiagnosticSetting sends logs to, in a subscription of its own. */
const WORKSPACE_SUBSCRIPTION = '00000000-0000-0000-0000-00000000000f';
const WORKSPACE_ID = `/subscriptions/${WORKSPACE_SUBSCRIPTION}/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/law-security`;
const WORKSPACE: JsonObject = {
  id: WORKSPACE_ID,
  name: 'law-security',
  type: 'Microsoft.OperationalInsights/workspaces',
  location: 'westeurope',
  properties: {
    customerId: '00000000-0000-4000-8000-0000000000d1',
    sku: { name: 'PerGB2018' },
    retentionInDays: 30,
  },
};
/** Every field of a table the SDK model knows, so the peer's defaults add nothing. */
function tableProperties(totalRetentionInDays: number): JsonObject {
  return {
    retentionInDays: 30,
    totalRetentionInDays,
    archiveRetentionInDays: totalRetentionInDays - 30,
    plan: 'Analytics',
    retentionInDaysAsDefault: true,
    totalRetentionInDaysAsDefault: false,
    provisioningState: 'Succeeded',
  };
}
const RULE: JsonObject = {
  id: `/subscriptions/${WORKSPACE_SUBSCRIPTION}/resourceGroups/rg-obs/providers/Microsoft.Insights/scheduledQueryRules/aks-failed-auth`,
  name: 'aks-failed-auth',
  type: 'Microsoft.Insights/scheduledQueryRules',
  location: 'westeurope',
  kind: 'LogAlert',
  properties: {
    displayName: 'AKS failed authentications',
    severity: 2,
    enabled: true,
    scopes: [WORKSPACE_ID],
    evaluationFrequency: 'PT5M',
    windowSize: 'PT5M',
    criteria: {
      allOf: [
        {
          query: 'AKSAudit | where ResponseStatus.code in (401, 403)',
          timeAggregation: 'Count',
          operator: 'GreaterThan',
          threshold: 0,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        },
      ],
    },
    autoMitigate: true,
  },
};

/** Seeds the Log Analytics workspace, its audit tables, a rule on it and the cluster subscription's Defender plan. */
function seedMonitoring(peer: ArmPeer, clusterSubscription: string): void {
  peer.addWorkspace(WORKSPACE);
  peer.setWorkspaceTable(WORKSPACE_ID, 'AKSAudit', tableProperties(365));
  peer.setWorkspaceTable(WORKSPACE_ID, 'AKSAuditAdmin', tableProperties(90));
  peer.addScheduledQueryRule(RULE);
  peer.setDefenderPlan(clusterSubscription, 'Containers', 'Standard');
}

/** The same reads as the ARM wire gives them, for the snapshot path. */
function monitoringWire(clusterSubscription: string, withAuditSetting: boolean): Partial<AksCollected> {
  return {
    ...(withAuditSetting
      ? {
          logAnalytics: [
            {
              workspaceId: WORKSPACE_ID,
              workspace: collected(WORKSPACE),
              tables: {
                AKSAudit: collected({ properties: tableProperties(365) }),
                AKSAuditAdmin: collected({ properties: tableProperties(90) }),
              },
            },
          ],
        }
      : { logAnalytics: [] }),
    defenderForContainers: collected({ properties: { pricingTier: 'Standard' } }),
    scheduledQueryRules: [
      { subscriptionId: clusterSubscription.toLowerCase(), rules: collected([]) },
      ...(withAuditSetting ? [{ subscriptionId: WORKSPACE_SUBSCRIPTION, rules: collected([RULE]) }] : []),
    ],
  };
}

function wireCluster(file: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isJsonObject(parsed)) throw new Error(`${file} is not a managed cluster`);
  return parsed;
}

describe('providers/azure: the SDK shape and the ARM wire shape of a cluster give the same posture', function () {
  this.timeout(60_000);
  let peer: ArmPeer;

  before(async () => {
    peer = await startArmPeer();
  });
  after(async () => {
    await peer?.close();
  });

  for (const file of WIRE_CLUSTERS) {
    it(`${file}: the cluster read through @azure/arm-containerservice normalises like its ARM JSON`, async () => {
      // Prepare: the wire cluster, an audit setting on it, and the default version list.
      peer.reset();
      const wire = wireCluster(file);
      const id = String(wire.id);
      const setting = generatedDiagnosticSetting(id, 'audit', ['kube-audit', 'guard'], {
        categoryGroups: ['allLogs'],
      });
      const subscription = parseAksResourceId(id)?.subscriptionId ?? '';
      peer.addCluster(wire);
      peer.setDiagnosticSettings(id, [setting]);
      seedMonitoring(peer, subscription);
      // Act: the live path (SDK objects) and the snapshot path (the same JSON as exported).
      const live = await aksSource({
        targets: {},
        factory: new AzureClientFactory(
          { endpoint: peer.endpoint, ca: peer.ca, maxRetries: 0, callTimeoutMs: 5000 },
          LOCAL_PEER_CREDENTIAL,
        ),
        concurrency: { perScope: 4, scopes: 1 },
      }).collect();
      const fromWire = normaliseAks(
        {
          managedCluster: wire,
          diagnosticSettings: collected([setting]),
          kubernetesVersions: collected({ values: recordedKubernetesVersions() }),
          ...monitoringWire(subscription, true),
        },
        { kind: 'api', api: 'aks' },
      );
      // Assess: the whole posture, evidence included.
      assert.deepEqual(live.problems, []);
      assert.deepEqual(live.postures, [fromWire]);
    });
  }

  it('a generated cluster with every field the checks read normalises the same both ways', async () => {
    peer.reset();
    const wire = generatedManagedCluster({
      subscription: '00000000-0000-4000-8000-0000000000ee',
      name: 'every-field',
    });
    peer.addCluster(wire);
    seedMonitoring(peer, '00000000-0000-4000-8000-0000000000ee');
    const live = await aksSource({
      targets: {},
      factory: new AzureClientFactory(
        { endpoint: peer.endpoint, ca: peer.ca, maxRetries: 0, callTimeoutMs: 5000 },
        LOCAL_PEER_CREDENTIAL,
      ),
      concurrency: { perScope: 4, scopes: 1 },
    }).collect();
    const fromWire = normaliseAks(
      {
        managedCluster: wire,
        diagnosticSettings: collected([]),
        kubernetesVersions: collected({ values: recordedKubernetesVersions() }),
        ...monitoringWire('00000000-0000-4000-8000-0000000000ee', false),
      },
      { kind: 'api', api: 'aks' },
    );
    assert.deepEqual(live.postures, [fromWire]);
  });
});
