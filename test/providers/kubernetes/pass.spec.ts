import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { PostureSource } from '../../../engine/ports.js';
import type { InClusterPosture } from '../../../model/inCluster.js';
import { isUnknown, known, type Observed } from '../../../model/observed.js';
import type { ClusterPosture } from '../../../model/posture.js';
import { LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import {
  aksTokenSource,
  cloudAccess,
  eksTokenSource,
  LOCAL_PEER_TOKEN,
  localPeerTokenSource,
  type TokenSource,
} from '../../../providers/kubernetes/access.js';
import { type InClusterPassOptions, withInClusterPass } from '../../../providers/kubernetes/pass.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { type KubeFixture, loadKubeFixture } from '../../peers/k8s/fixtures.js';
import { type KubePeer, startKubePeer } from '../../peers/k8s/kubePeer.js';

/** A fixed signing time for EKS tokens and the peer's clock: no test reads the wall clock. */
const SIGNED_AT = new Date('2028-02-29T12:00:00Z');
const EKS_KEYS = { accessKeyId: 'AKIAKUBELINEPASS0001', secretAccessKey: 'kubeline-pass-test-secret' };
const CLUSTER = 'prod-payments';
/** The Status message kube-apiserver writes for a list it forbids, as the peer does. */
const FORBIDDEN_ROLEBINDINGS =
  'rolebindings.rbac.authorization.k8s.io is forbidden: User "AKIAKUBELINEPASS0001" cannot list resource "rolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope';

function sourceOf(...postures: ClusterPosture[]): PostureSource {
  return { name: 'fixture', collect: async () => ({ postures, scopes: [], problems: [] }) };
}

function apiServer(url: string, caData: string | null): ClusterPosture['apiServer'] {
  return known({ url, caData }, { path: 'cluster.endpoint', value: url });
}

/** A port nothing listens on: bound once by the OS, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** The names of the in-cluster facts that were read, and the reasons of those that were not. */
function summary(observed: Observed<InClusterPosture>) {
  assert.ok(!isUnknown(observed), `inCluster is unknown: ${isUnknown(observed) ? observed.unknown : ''}`);
  const parts = Object.entries(observed.value) as [string, Observed<unknown>][];
  return Object.fromEntries(parts.map(([name, part]) => [name, isUnknown(part) ? part.unknown : 'known']));
}

const ALL_KNOWN = {
  clusterRoleBindings: 'known',
  roleBindings: 'known',
  clusterRoles: 'known',
  awsAuth: 'known',
  namespaces: 'known',
  networkPolicies: 'known',
  nodeCount: 'known',
  kubelets: 'known',
  daemonSets: 'known',
};

describe('the in-cluster pass with @kubernetes/client-node against the Kubernetes API peer', () => {
  let peer: KubePeer;
  let compliant: KubeFixture;

  before(async () => {
    peer = await startKubePeer({
      clusterName: CLUSTER,
      eks: { secrets: { [EKS_KEYS.accessKeyId]: EKS_KEYS.secretAccessKey } },
      acceptedTokens: { [LOCAL_PEER_TOKEN]: 'kubeline-local-peer' },
      now: () => SIGNED_AT,
    });
    compliant = await loadKubeFixture('compliant');
  });

  after(async () => {
    await peer?.close();
  });

  beforeEach(() => {
    peer.seed(compliant);
    peer.clearFaults();
    peer.clearRequests();
    peer.setTokensExpired(false);
  });

  const eksTokens = (): TokenSource =>
    eksTokenSource(
      () => EKS_KEYS,
      () => SIGNED_AT,
    );

  function options(overrides: Partial<InClusterPassOptions> = {}): InClusterPassOptions {
    return {
      access: cloudAccess({ tokens: { eks: eksTokens(), gke: localPeerTokenSource() } }),
      concurrency: 4,
      timeoutMs: 10_000,
      nodesPerPool: 3,
      pageSize: 500,
      skip: [],
      ...overrides,
    };
  }

  function eksCluster(overrides: Parameters<typeof eksPosture>[0] = {}): ClusterPosture {
    return eksPosture({ name: CLUSTER, apiServer: apiServer(peer.url, peer.caData), ...overrides });
  }

  async function passOver(posture: ClusterPosture, passOptions = options()): Promise<ClusterPosture> {
    const result = await withInClusterPass(sourceOf(posture), passOptions).collect();
    const [read] = result.postures;
    assert.ok(read);
    return read;
  }

  it('reads every resource of an EKS cluster with an EKS token whose signature the peer recomputes', async () => {
    // Act
    const read = await passOver(eksCluster());
    // Assess
    assert.deepEqual(summary(read.inCluster), ALL_KNOWN);
    const users = new Set(peer.requests().map((request) => `${request.user} ${request.status}`));
    assert.deepEqual([...users], [`${EKS_KEYS.accessKeyId} 200`]);
  });

  it('pages every list with limit and continue, and gets the same facts as in one page', async () => {
    // Prepare
    const whole = await passOver(eksCluster());
    peer.clearRequests();
    // Act
    const paged = await passOver(eksCluster(), options({ pageSize: 1 }));
    // Assess
    assert.deepEqual(paged.inCluster, whole.inCluster);
    const bindingPages = peer
      .requests()
      .filter((request) => request.path === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings');
    assert.ok(bindingPages.length > 1, 'more than one page of ClusterRoleBindings');
    assert.deepEqual(
      bindingPages.map((request) => ({
        limit: request.query.limit,
        continued: request.query.continue !== undefined,
      })),
      bindingPages.map((_, index) => ({ limit: '1', continued: index > 0 })),
    );
  });

  it('leaves only the resource the API server refused with 403 unknown', async () => {
    // Prepare
    peer.addFault({ resource: 'rolebindings', status: 403 });
    // Act
    const read = await passOver(eksCluster());
    // Assess
    assert.deepEqual(summary(read.inCluster), {
      ...ALL_KNOWN,
      roleBindings: `rolebindings could not be read from the API server: 403 Forbidden: ${FORBIDDEN_ROLEBINDINGS}`,
    });
  });

  it('makes inCluster unknown with the contract wording when the endpoint does not answer', async () => {
    // Prepare
    const port = await closedPort();
    const posture = eksCluster({ apiServer: apiServer(`https://127.0.0.1:${port}`, peer.caData) });
    // Act
    const read = await passOver(posture);
    // Assess
    assert.ok(isUnknown(read.inCluster));
    assert.equal(
      read.inCluster.unknown,
      `endpoint not reachable from the scanner; run the container image inside the network (request to https://127.0.0.1:${port}/api/v1/nodes?limit=500 failed, reason: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
  });

  it('makes inCluster unknown with the 401 when the token has expired', async () => {
    // Prepare
    peer.setTokensExpired(true);
    // Act
    const read = await passOver(eksCluster());
    // Assess
    assert.deepEqual(
      {
        unknown: isUnknown(read.inCluster) ? read.inCluster.unknown : 'known',
        requests: peer.requests().length,
      },
      { unknown: "the API server refused kubeline's credentials (401 Unauthorized)", requests: 1 },
    );
  });

  it('gives up on a resource that does not answer within the cluster time limit, keeping the rest', async () => {
    // Prepare
    peer.addFault({ resource: 'daemonsets', status: 'hang' });
    // Act
    const read = await passOver(eksCluster(), options({ timeoutMs: 1_500 }));
    // Assess
    assert.deepEqual(summary(read.inCluster), {
      ...ALL_KNOWN,
      daemonSets: 'daemonsets could not be read from the API server: timed out after 1.5 s',
    });
  });

  it('reads no kubelet with nodesPerPool 0, and says so', async () => {
    const read = await passOver(eksCluster(), options({ nodesPerPool: 0 }));
    assert.deepEqual(summary(read.inCluster), {
      ...ALL_KNOWN,
      kubelets:
        'configz could not be read from the API server: inCluster.nodesPerPool is 0, so no kubelet was sampled',
    });
    assert.deepEqual(
      peer.requests().filter((request) => request.path.endsWith('/proxy/configz')),
      [],
    );
  });

  it('skips clusters by --no-in-cluster, by tag and by name glob without a request', async () => {
    // Prepare
    const tagged = eksCluster({ tags: { 'kubeline:in-cluster': 'Skip' } });
    const named = eksCluster({ name: 'lab-7' });
    // Act
    const [all, byTag, byName] = await Promise.all([
      passOver(eksCluster(), options({ skipAll: '--no-in-cluster' })),
      passOver(tagged),
      passOver(named, options({ skip: ['lab-*'] })),
    ]);
    // Assess
    assert.deepEqual(
      [all.inCluster, byTag.inCluster, byName.inCluster, peer.requests()],
      [
        { unknown: 'the in-cluster pass was skipped for this cluster (--no-in-cluster)' },
        { unknown: 'the in-cluster pass was skipped for this cluster (tag kubeline:in-cluster=skip)' },
        { unknown: 'the in-cluster pass was skipped for this cluster (inCluster.skip)' },
        [],
      ],
    );
  });

  it('reads a GKE cluster behind a local peer with the local peer token', async () => {
    const posture = gkePosture({ name: CLUSTER, apiServer: apiServer(peer.url, peer.caData) });
    const read = await passOver(posture);
    assert.deepEqual(summary(read.inCluster), {
      ...ALL_KNOWN,
      awsAuth: summary(read.inCluster).awsAuth,
    });
    assert.deepEqual([...new Set(peer.requests().map((request) => request.user))], ['kubeline-local-peer']);
  });

  it("reads an AKS cluster with the AKS source's credential once it has a CA, and says why not without one", async () => {
    // Prepare
    const withoutCa = aksPosture({ name: CLUSTER, apiServer: apiServer(peer.url, null) });
    const access = (caFor?: () => Promise<string>) =>
      cloudAccess({
        tokens: { aks: aksTokenSource(LOCAL_PEER_CREDENTIAL) },
        ...(caFor ? { caFor: { aks: caFor } } : {}),
      });
    // Act
    const unread = await passOver(withoutCa, options({ access: access() }));
    const read = await passOver(withoutCa, options({ access: access(async () => peer.caData) }));
    // Assess
    assert.deepEqual(unread.inCluster, {
      unknown: `cannot authenticate to the API server: the cluster description carries no CA for the API server; name a kubeconfig context for ${CLUSTER} in inCluster.kubeconfig.contexts`,
    });
    assert.equal(isUnknown(read.inCluster), false);
  });

  it('refuses a server whose certificate the cluster CA did not sign', async () => {
    // Prepare: another peer's CA.
    const other = await startKubePeer({ clusterName: 'other' });
    try {
      const posture = eksCluster({ apiServer: apiServer(peer.url, other.caData) });
      // Act
      const read = await passOver(posture);
      // Assess
      assert.ok(isUnknown(read.inCluster));
      assert.match(
        read.inCluster.unknown,
        /^the API server's certificate did not verify against the cluster's CA \(/,
      );
      assert.deepEqual(peer.requests(), []);
    } finally {
      await other.close();
    }
  });
});
