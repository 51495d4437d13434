import assert from 'node:assert/strict';
import { request } from 'node:https';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import { type ArmPeer, startArmPeer } from './armPeer.js';
import { generatedManagedCluster, managedClusterId } from './generate.js';
import { diagnosticSettingWire, managedClusterWire } from './seed.js';

const SUB = '00000000-0000-4000-8000-0000000000c1';

/** One GET with node:https, trusting only the peer's CA. */
function get(
  peer: ArmPeer,
  path: string,
  headers: Record<string, string> = { authorization: 'Bearer t' },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, peer.endpoint);
    request(url, { ca: peer.ca, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('test peer: the HTTPS Azure Resource Manager peer', () => {
  let peer: ArmPeer;

  before(async function () {
    this.timeout(30_000);
    peer = await startArmPeer();
  });
  after(async () => {
    await peer?.close();
  });
  beforeEach(() => {
    peer.reset();
  });

  it('serves TLS that a client verifies with the generated CA, and refuses clients that do not trust it', async () => {
    const trusted = await get(peer, '/subscriptions?api-version=2022-12-01');
    assert.equal(trusted.status, 200);
    await assert.rejects(
      new Promise((resolve, reject) => {
        request(new URL('/subscriptions', peer.endpoint), { headers: { authorization: 'Bearer t' } }, resolve)
          .on('error', reject)
          .end();
      }),
      /self-signed certificate in certificate chain|unable to verify|SELF_SIGNED/i,
    );
  });

  it('pages managedClusters.list with absolute nextLinks, as ARM does', async () => {
    peer.setPageSize(2);
    for (const name of ['a', 'b', 'c']) peer.addCluster(generatedManagedCluster({ subscription: SUB, name }));
    const first = JSON.parse(
      (
        await get(
          peer,
          `/subscriptions/${SUB}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01`,
        )
      ).body,
    );
    assert.equal(first.value.length, 2);
    assert.ok(first.nextLink.startsWith(`${peer.endpoint}/subscriptions/${SUB}/`), first.nextLink);
    const second = JSON.parse((await get(peer, first.nextLink)).body);
    assert.deepEqual(
      second.value.map((cluster: { name: string }) => cluster.name),
      ['c'],
    );
    assert.equal(second.nextLink, undefined);
  });

  it('answers ARM error bodies: 401 without a token, 404 for an unknown subscription, injected 403 and 429', async () => {
    const clusters = `/subscriptions/${SUB}/providers/Microsoft.ContainerService/managedClusters`;
    const noToken = await get(peer, clusters, {});
    assert.equal(noToken.status, 401);
    assert.equal(JSON.parse(noToken.body).error.code, 'AuthenticationFailed');
    assert.equal(JSON.parse((await get(peer, clusters)).body).error.code, 'SubscriptionNotFound');
    peer.addSubscription({ subscriptionId: SUB });
    peer.addFault({ subscription: SUB, kind: 'forbidden', times: 1 });
    peer.addFault({ subscription: SUB, kind: 'throttle', times: 1, retryAfterSeconds: 7 });
    const denied = await get(peer, clusters);
    const throttled = await get(peer, clusters);
    const fine = await get(peer, clusters);
    assert.deepEqual(
      [
        denied.status,
        JSON.parse(denied.body).error.code,
        throttled.status,
        throttled.headers['retry-after'],
        fine.status,
      ],
      [403, 'AuthorizationFailed', 429, '7', 200],
    );
    assert.deepEqual(
      peer.calls().map((call) => [call.operation, call.status]),
      [
        ['Microsoft.ContainerService/managedClusters/read', 401],
        ['Microsoft.ContainerService/managedClusters/read', 404],
        ['Microsoft.ContainerService/managedClusters/read', 403],
        ['Microsoft.ContainerService/managedClusters/read', 429],
        ['Microsoft.ContainerService/managedClusters/read', 200],
      ],
    );
  });

  it('lists the recorded Kubernetes versions: a preview on top, LTS-only once community support ends', async () => {
    peer.addSubscription({ subscriptionId: SUB });
    const path = `/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/westeurope/kubernetesVersions`;
    const body = JSON.parse((await get(peer, path)).body);
    const listed = body.values.map(
      (entry: {
        version: string;
        isDefault?: boolean;
        isPreview?: boolean;
        capabilities: { supportPlan: string[] };
      }) => [
        entry.version,
        entry.isPreview === true,
        entry.isDefault === true,
        entry.capabilities.supportPlan,
      ],
    );
    assert.deepEqual(listed, [
      ['1.37', true, false, ['KubernetesOfficial']],
      ['1.36', false, false, ['KubernetesOfficial', 'AKSLongTermSupport']],
      ['1.35', false, true, ['KubernetesOfficial', 'AKSLongTermSupport']],
      ['1.34', false, false, ['KubernetesOfficial', 'AKSLongTermSupport']],
      ['1.33', false, false, ['AKSLongTermSupport']],
      ['1.32', false, false, ['AKSLongTermSupport']],
      ['1.31', false, false, ['AKSLongTermSupport']],
    ]);
    peer.setKubernetesVersions('westeurope', [
      { version: '1.40', capabilities: { supportPlan: ['KubernetesOfficial'] } },
    ]);
    assert.deepEqual(JSON.parse((await get(peer, path)).body).values, [
      { version: '1.40', capabilities: { supportPlan: ['KubernetesOfficial'] } },
    ]);
  });

  it('turns az exports into ARM wire JSON the real SDK reads, with acronym casing restored', async () => {
    const exported = {
      id: managedClusterId(SUB, 'rg-az', 'from-az'),
      name: 'from-az',
      location: 'westeurope',
      resourceGroup: 'rg-az',
      type: 'Microsoft.ContainerService/ManagedClusters',
      enableRbac: true,
      apiServerAccessProfile: { authorizedIpRanges: ['203.0.113.0/24'], enablePrivateCluster: false },
      agentPoolProfiles: [{ name: 'system', enableNodePublicIp: true, orchestratorVersion: '1.34.6' }],
      aadProfile: { enableAzureRbac: true, managed: true, adminGroupObjectIDs: null },
      tags: { CostCenter: 'x' },
    };
    const wire = managedClusterWire(exported);
    assert.deepEqual(wire, {
      id: exported.id,
      name: 'from-az',
      location: 'westeurope',
      type: 'Microsoft.ContainerService/ManagedClusters',
      tags: { CostCenter: 'x' },
      properties: {
        enableRBAC: true,
        apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'], enablePrivateCluster: false },
        agentPoolProfiles: [{ name: 'system', enableNodePublicIP: true, orchestratorVersion: '1.34.6' }],
        aadProfile: { enableAzureRBAC: true, managed: true },
      },
    });
    peer.addCluster(wire);
    const client = new ContainerServiceClient(LOCAL_PEER_CREDENTIAL, SUB, {
      endpoint: peer.endpoint,
      tlsOptions: { ca: peer.ca },
      retryOptions: { maxRetries: 0 },
    });
    const read = await client.managedClusters.get('rg-az', 'from-az');
    assert.deepEqual(
      [
        read.enableRbac,
        read.apiServerAccessProfile?.authorizedIPRanges,
        read.agentPoolProfiles?.[0]?.enableNodePublicIP,
      ],
      [true, ['203.0.113.0/24'], true],
    );
    const setting = diagnosticSettingWire({
      id: `${exported.id}/providers/microsoft.insights/diagnosticSettings/s`,
      name: 's',
      resourceGroup: 'rg-az',
      workspaceId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z',
      logs: [{ category: 'kube-audit', enabled: true, retentionPolicy: { days: 0, enabled: false } }],
    });
    assert.deepEqual(Object.keys(setting), ['id', 'name', 'properties']);
  });
});
