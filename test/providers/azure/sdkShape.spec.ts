import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject } from '../../../model/json.js';
import { AzureClientFactory, LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import { normaliseAks } from '../../../providers/azure/normalise.js';
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
      peer.addCluster(wire);
      peer.setDiagnosticSettings(id, [setting]);
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
      },
      { kind: 'api', api: 'aks' },
    );
    assert.deepEqual(live.postures, [fromWire]);
  });
});
