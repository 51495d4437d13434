import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { aksSourceFor } from '../../../cli/compose.js';
import { parseConfig } from '../../../config/load.js';
import type { SourceResult } from '../../../engine/ports.js';
import { isUnknown } from '../../../model/observed.js';
import type { ClusterPosture } from '../../../model/posture.js';
import { LOCAL_PEER_TOKEN } from '../../../providers/kubernetes/access.js';
import { type ArmPeer, startArmPeer } from '../../peers/azure/armPeer.js';
import { generatedManagedCluster, managedClusterId } from '../../peers/azure/generate.js';
import { loadKubeFixture } from '../../peers/k8s/fixtures.js';
import { type KubePeer, startKubePeer } from '../../peers/k8s/kubePeer.js';

const SUBSCRIPTION = '00000000-0000-4000-8000-0000000000c7';
const CLUSTER = 'prod-weu';
const RESOURCE_GROUP = `rg-${CLUSTER}`;
const CLUSTER_ID = managedClusterId(SUBSCRIPTION, RESOURCE_GROUP, CLUSTER);
const CREDENTIAL_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER}/listClusterUserCredential`;
/** What a local-account cluster's user kubeconfig holds beside the CA. */
const TOKEN = 'kubeline-must-not-keep-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c';
const CLIENT_KEY = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nkubelineMustNotKeep\n').toString('base64');
const ACTION = 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';

/** A user kubeconfig of a cluster with local accounts, as listClusterUserCredential returns it. */
function localAccountKubeconfig(server: string, cluster: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ name: CLUSTER, cluster: { server, ...cluster } }],
    contexts: [
      { name: CLUSTER, context: { cluster: CLUSTER, user: `clusterUser_${RESOURCE_GROUP}_${CLUSTER}` } },
    ],
    'current-context': CLUSTER,
    kind: 'Config',
    users: [
      {
        name: `clusterUser_${RESOURCE_GROUP}_${CLUSTER}`,
        user: { 'client-certificate-data': CLIENT_KEY, 'client-key-data': CLIENT_KEY, token: TOKEN },
      },
    ],
  });
}

/** Which in-cluster facts were read, and the reasons of those that were not. */
function parts(posture: ClusterPosture): Record<string, string> | string {
  if (isUnknown(posture.inCluster)) return posture.inCluster.unknown;
  const entries = Object.entries(posture.inCluster.value) as [string, { unknown?: string }][];
  return Object.fromEntries(entries.map(([name, part]) => [name, part.unknown ?? 'known']));
}

const ALL_READ = {
  clusterRoleBindings: 'known',
  roleBindings: 'known',
  clusterRoles: 'known',
  awsAuth: 'kube-system/aws-auth is an EKS ConfigMap: read on EKS clusters only',
  namespaces: 'known',
  networkPolicies: 'known',
  nodeCount: 'known',
  kubelets: 'known',
  daemonSets: 'known',
};

describe('in-cluster pass on AKS: the API server CA from listClusterUserCredential', function () {
  this.timeout(30_000);
  let arm: ArmPeer;
  let kube: KubePeer;

  before(async () => {
    [arm, kube] = await Promise.all([
      startArmPeer(),
      startKubePeer({ clusterName: CLUSTER, acceptedTokens: { [LOCAL_PEER_TOKEN]: 'kubeline-local-peer' } }),
    ]);
    kube.seed(await loadKubeFixture('compliant'));
  });
  after(async () => {
    await Promise.all([arm?.close(), kube?.close()]);
  });
  beforeEach(() => {
    arm.reset();
    kube.clearRequests();
    const host = new URL(kube.url).host;
    arm.addCluster(
      generatedManagedCluster({
        subscription: SUBSCRIPTION,
        name: CLUSTER,
        properties: { fqdn: host, privateFQDN: host },
      }),
    );
    arm.setCertificateAuthority(kube.caData);
  });

  /** `kubeline scan --provider aks` with the in-cluster pass on, against the ARM peer. */
  async function scan(): Promise<{ result: SourceResult; posture: ClusterPosture }> {
    const config = parseConfig(
      [
        'targets:',
        '  aks:',
        `    endpoint: "${arm.endpoint}"`,
        `    subscriptions: ["${SUBSCRIPTION}"]`,
        '    maxAttempts: 1',
        '  tls:',
        `    caFile: ${arm.caFile}`,
        'inCluster:',
        '  enabled: true',
        '',
      ].join('\n'),
      'c.yaml',
    );
    const source = await aksSourceFor(config, {});
    const result = await source.collect().finally(() => source.close?.());
    const [posture] = result.postures;
    assert.ok(posture, `no posture: ${JSON.stringify(result.problems)}`);
    return { result, posture };
  }

  function credentialCalls() {
    return arm
      .calls()
      .filter((call) => call.operation === ACTION)
      .map((call) => ({ method: call.method, path: call.url.split('?')[0], status: call.status }));
  }

  it('asks listClusterUserCredential once through the AKS SDK and verifies the API server with its CA', async () => {
    // Act
    const { posture } = await scan();
    // Assess
    assert.deepEqual(
      {
        parts: parts(posture),
        credentialCalls: credentialCalls(),
        kubeUsers: [...new Set(kube.requests().map((request) => `${request.user} ${request.status}`))],
      },
      {
        parts: ALL_READ,
        credentialCalls: [{ method: 'POST', path: CREDENTIAL_PATH, status: 200 }],
        kubeUsers: ['kubeline-local-peer 200'],
      },
    );
  });

  it('leaves the cluster unknown, naming the action, when ARM refuses it, and keeps the rest of the scan', async () => {
    // Prepare
    arm.addFault({ operation: ACTION, kind: 'forbidden' });
    // Act
    const { result, posture } = await scan();
    // Assess
    assert.deepEqual(
      {
        inCluster: posture.inCluster,
        scopes: result.scopes.map((scope) => [scope.scope, scope.status]),
        kubeRequests: kube.requests().length,
      },
      {
        inCluster: {
          unknown: `cannot authenticate to the API server: listClusterUserCredential of ${CLUSTER} failed: AuthorizationFailed: HTTP 403: The client 'kubeline' with object id '00000000-0000-4000-8000-0000000000c1' does not have authorization to perform action '${ACTION}' over scope '${CREDENTIAL_PATH}' or the scope is invalid. If access was recently granted, please refresh your credentials.; kubeline's Azure identity needs ${ACTION} (infra/azure/kubeline-aks-reader.role.json) to read the API server's CA, or name a kubeconfig context for ${CLUSTER} in inCluster.kubeconfig.contexts`,
        },
        scopes: [[SUBSCRIPTION, 'ok']],
        kubeRequests: 0,
      },
    );
  });

  it('says the answer could not be read when ARM sends a body cut short', async () => {
    arm.addFault({ operation: ACTION, kind: 'malformed' });
    const { posture } = await scan();
    assert.deepEqual(posture.inCluster, {
      unknown: `cannot authenticate to the API server: listClusterUserCredential of ${CLUSTER} sent an answer that could not be read`,
    });
  });

  it('uses only the CA of a kubeconfig holding a token and a client key: neither appears in the scan', async () => {
    // Prepare
    arm.setUserCredentials(CLUSTER_ID, [
      {
        name: 'clusterUser',
        value: localAccountKubeconfig(kube.url, { 'certificate-authority-data': kube.caData }),
      },
    ]);
    // Act
    const { result, posture } = await scan();
    // Assess
    const output = `${JSON.stringify(result)} ${inspect(result, { depth: Number.POSITIVE_INFINITY })}`;
    assert.deepEqual(
      {
        parts: parts(posture),
        leaks: [TOKEN, CLIENT_KEY].filter((secret) => output.includes(secret)),
        kubeUsers: [...new Set(kube.requests().map((request) => request.user))],
      },
      { parts: ALL_READ, leaks: [], kubeUsers: ['kubeline-local-peer'] },
    );
  });

  for (const [what, kubeconfig, reason] of [
    [
      'without a CA',
      () => localAccountKubeconfig(kube.url, {}),
      'kubeconfigs[0]: clusters[0] has no certificate-authority-data holding a PEM certificate',
    ],
    [
      'whose YAML breaks on the token line',
      () =>
        localAccountKubeconfig(kube.url, { 'certificate-authority-data': kube.caData }).replace(
          `token: ${TOKEN}`,
          `token: ${TOKEN}: [`,
        ),
      'kubeconfigs[0] is not YAML (BLOCK_AS_IMPLICIT_KEY at line 19, column 14)',
    ],
  ] as const) {
    it(`gives the reason, and never the token, for a kubeconfig ${what}`, async () => {
      // Prepare
      arm.setUserCredentials(CLUSTER_ID, [{ name: 'clusterUser', value: kubeconfig() }]);
      // Act
      const { result, posture } = await scan();
      // Assess
      const output = `${JSON.stringify(result)} ${inspect(result, { depth: Number.POSITIVE_INFINITY })}`;
      assert.deepEqual(
        {
          inCluster: posture.inCluster,
          leaks: [TOKEN, CLIENT_KEY].filter((secret) => output.includes(secret)),
        },
        {
          inCluster: {
            unknown: `cannot authenticate to the API server: the user kubeconfig of ${CLUSTER} gives no CA: ${reason}`,
          },
          leaks: [],
        },
      );
    });
  }

  it("refuses the API server when the kubeconfig's CA did not sign its certificate", async () => {
    // Prepare: the ARM peer's own CA, which signed no certificate of the Kubernetes peer.
    arm.setCertificateAuthority(Buffer.from(arm.ca).toString('base64'));
    // Act
    const { posture } = await scan();
    // Assess
    assert.ok(isUnknown(posture.inCluster));
    assert.match(
      posture.inCluster.unknown,
      /^the API server's certificate did not verify against the cluster's CA \(/,
    );
  });
});
