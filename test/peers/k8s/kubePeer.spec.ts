import assert from 'node:assert/strict';
import { get } from 'node:https';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { eksToken } from '../../../providers/kubernetes/access.js';
import { type KubeFixture, loadKubeFixture } from './fixtures.js';
import { generateScaleFixture } from './generate.js';
import { type KubePeer, startKubePeer } from './kubePeer.js';

/** A fixed moment for EKS tokens and the peer's clock: no test reads the wall clock. */
const SIGNED_AT = new Date('2028-02-29T12:00:00Z');
const EKS_KEYS = {
  accessKeyId: 'AKIAKUBELINETEST0001',
  secretAccessKey: 'kubeline-peer-test-secret-key-0001',
};

type KubeUser = { readonly token: string } | { readonly certData: string; readonly keyData: string };

function kubeConfigFor(server: string, caData: string, user: KubeUser): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'peer', server, caData, skipTLSVerify: false }],
    users: [{ name: 'scanner', ...user }],
    contexts: [{ name: 'peer', cluster: 'peer', user: 'scanner' }],
    currentContext: 'peer',
  });
  return kubeConfig;
}

/** Typed client models as the plain JSON they were read from. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** A GET without client-node, for what the client does not expose: the body of a 401. */
function rawGet(url: string, ca: string, token: string): Promise<{ code: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, { ca, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ code: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    }).on('error', reject);
  });
}

/** The ApiException a call rejects with, its body parsed: the Status object the peer sent. */
async function statusOf(call: Promise<unknown>): Promise<{ code: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
    // client-node 1.4.0 drops the body of a 401 (its generated code throws `undefined` for it).
    return { code: error.code, body: error.body === undefined ? undefined : JSON.parse(String(error.body)) };
  }
  assert.fail('the call succeeded');
}

function namesOf(list: { items: readonly { metadata?: { name?: string; namespace?: string } }[] }): string[] {
  return list.items.map(({ metadata }) =>
    metadata?.namespace === undefined
      ? (metadata?.name ?? '')
      : `${metadata.namespace}/${metadata.name ?? ''}`,
  );
}

describe('the Kubernetes API peer with @kubernetes/client-node 1.4.0', () => {
  let peer: KubePeer;
  let compliant: KubeFixture;
  let nonCompliant: KubeFixture;

  before(async () => {
    peer = await startKubePeer({
      clusterName: 'prod-payments',
      eks: { secrets: { [EKS_KEYS.accessKeyId]: EKS_KEYS.secretAccessKey } },
      acceptedTokens: { 'ya29.gke-peer-token': 'kubeline@acme-payments-prod.iam.gserviceaccount.com' },
      now: () => SIGNED_AT,
    });
    [compliant, nonCompliant] = await Promise.all([
      loadKubeFixture('compliant'),
      loadKubeFixture('non-compliant'),
    ]);
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

  const certificateUser = () => ({ certData: peer.clientCert.certData, keyData: peer.clientCert.keyData });
  const scanner = () => kubeConfigFor(peer.url, peer.caData, { token: peer.tokens.scanner });

  describe('lists', () => {
    it('serves ClusterRoleBindings as a ClusterRoleBindingList with the typed fields the client reads', async () => {
      // Prepare
      const rbac = scanner().makeApiClient(RbacAuthorizationV1Api);

      // Act
      const list = await rbac.listClusterRoleBinding();

      // Assess
      assert.deepEqual(
        plain({
          kind: list.kind,
          apiVersion: list.apiVersion,
          continue: list.metadata?._continue,
          names: namesOf(list),
          adminSubjects: list.items.find((item) => item.metadata?.name === 'cluster-admin')?.subjects,
          adminRole: list.items.find((item) => item.metadata?.name === 'cluster-admin')?.roleRef,
        }),
        {
          kind: 'ClusterRoleBindingList',
          apiVersion: 'rbac.authorization.k8s.io/v1',
          names: ['cluster-admin', 'kubeline-read', 'system:basic-user'],
          adminSubjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
          adminRole: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        },
      );
      assert.deepEqual(peer.requests(), [
        {
          cluster: 'prod-payments',
          method: 'GET',
          path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
          query: {},
          user: 'kubeline-scanner',
          status: 200,
        },
      ]);
    });

    it('serves every resource type of the in-cluster pass from the non-compliant fixture', async () => {
      // Prepare
      peer.seed(nonCompliant);
      const kubeConfig = scanner();
      const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
      const core = kubeConfig.makeApiClient(CoreV1Api);
      const networking = kubeConfig.makeApiClient(NetworkingV1Api);
      const apps = kubeConfig.makeApiClient(AppsV1Api);

      // Act
      const [roleBindings, clusterRoles, awsAuth, namespaces, policies, nodes, daemonSets] =
        await Promise.all([
          rbac.listRoleBindingForAllNamespaces(),
          rbac.listClusterRole(),
          core.readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' }),
          core.listNamespace(),
          networking.listNetworkPolicyForAllNamespaces(),
          core.listNode(),
          apps.listDaemonSetForAllNamespaces(),
        ]);

      // Assess
      assert.deepEqual(
        plain({
          roleBindings: namesOf(roleBindings),
          unauthenticated: roleBindings.items[0]?.subjects,
          clusterRoles: namesOf(clusterRoles),
          wildcard: clusterRoles.items.find((role) => role.metadata?.name === 'ci-deployer')?.rules,
          awsAuthKinds: [awsAuth.kind, awsAuth.apiVersion, Object.keys(awsAuth.data ?? {})],
          namespaces: namesOf(namespaces),
          policies: namesOf(policies),
          nodes: namesOf(nodes),
          pools: nodes.items.map((node) => node.metadata?.labels?.['eks.amazonaws.com/nodegroup']),
          daemonSets: daemonSets.items.map((set) => [
            set.metadata?.namespace,
            set.metadata?.name,
            set.status?.desiredNumberScheduled,
            set.status?.numberReady,
          ]),
        }),
        {
          roleBindings: ['legacy/public-status'],
          unauthenticated: [
            { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' },
          ],
          clusterRoles: ['ci-deployer', 'cluster-admin', 'view'],
          wildcard: [{ apiGroups: ['apps', ''], resources: ['*'], verbs: ['*'] }],
          awsAuthKinds: ['ConfigMap', 'v1', ['mapRoles', 'mapUsers']],
          namespaces: ['ci', 'default', 'kube-system', 'legacy', 'payments'],
          policies: ['ci/runners', 'default/default-deny', 'payments/default-deny'],
          nodes: ['ip-10-1-1-11.ec2.internal', 'ip-10-1-2-12.ec2.internal'],
          pools: ['legacy', 'general'],
          daemonSets: [['kube-system', 'aws-node', 2, 2]],
        },
      );
    });

    it('serves a RoleBinding list of one namespace and a single Namespace', async () => {
      // Prepare
      const kubeConfig = scanner();

      // Act
      const [bindings, namespace] = await Promise.all([
        kubeConfig.makeApiClient(RbacAuthorizationV1Api).listNamespacedRoleBinding({ namespace: 'payments' }),
        kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: 'payments' }),
      ]);

      // Assess
      assert.deepEqual(
        [namesOf(bindings), namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce']],
        [['payments/payments-viewers'], 'restricted'],
      );
    });
  });

  describe('paging with limit and continue', () => {
    it('pages 400 RoleBindings by 150 with an opaque continue token and remainingItemCount', async () => {
      // Prepare
      peer.seed(generateScaleFixture());
      const rbac = scanner().makeApiClient(RbacAuthorizationV1Api);
      const seen: string[] = [];
      const pages: { items: number; remaining: number | undefined; resourceVersion: string | undefined }[] =
        [];
      let token: string | undefined;

      // Act
      do {
        const page = await rbac.listRoleBindingForAllNamespaces({
          limit: 150,
          ...(token === undefined ? {} : { _continue: token }),
        });
        seen.push(...namesOf(page));
        pages.push({
          items: page.items.length,
          remaining: page.metadata?.remainingItemCount,
          resourceVersion: page.metadata?.resourceVersion,
        });
        token = page.metadata?._continue;
      } while (token !== undefined);

      // Assess
      const all = namesOf(await rbac.listRoleBindingForAllNamespaces());
      const resourceVersion = pages[0]?.resourceVersion;
      assert.deepEqual(pages, [
        { items: 150, remaining: 250, resourceVersion },
        { items: 150, remaining: 100, resourceVersion },
        { items: 100, remaining: undefined, resourceVersion },
      ]);
      assert.deepEqual(seen, all);
      assert.equal(new Set(seen).size, 400);
      assert.deepEqual(
        peer.requests().map((request) => Object.keys(request.query).sort()),
        [['limit'], ['continue', 'limit'], ['continue', 'limit'], []],
      );
    });

    it('answers 410 Expired for a continue token older than a compaction', async () => {
      // Prepare
      peer.seed(generateScaleFixture());
      const rbac = scanner().makeApiClient(RbacAuthorizationV1Api);
      const first = await rbac.listClusterRoleBinding({ limit: 10 });
      peer.compact();

      // Act
      const outcome = await statusOf(
        rbac.listClusterRoleBinding({ limit: 10, _continue: first.metadata?._continue ?? '' }),
      );

      // Assess
      assert.deepEqual(outcome, {
        code: 410,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message:
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          reason: 'Expired',
          code: 410,
        },
      });
    });

    it('answers 400 BadRequest for a continue token that is not one of its own', async () => {
      // Prepare
      const rbac = scanner().makeApiClient(RbacAuthorizationV1Api);

      // Act
      const outcome = await statusOf(rbac.listClusterRole({ limit: 10, _continue: '%%not-base64%%' }));

      // Assess
      assert.deepEqual(outcome, {
        code: 400,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'continue key is not valid: illegal base64 data',
          reason: 'BadRequest',
          code: 400,
        },
      });
    });
  });

  describe('Status objects and faults', () => {
    it('answers 403 Forbidden on one resource type and still serves the others', async () => {
      // Prepare
      peer.addFault({ resource: 'clusterrolebindings', status: 403 });
      const kubeConfig = scanner();

      // Act
      const forbidden = await statusOf(
        kubeConfig.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding(),
      );
      const roles = await kubeConfig.makeApiClient(RbacAuthorizationV1Api).listClusterRole();

      // Assess
      assert.deepEqual(forbidden, {
        code: 403,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message:
            'clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "kubeline-scanner" cannot list resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope',
          reason: 'Forbidden',
          details: { group: 'rbac.authorization.k8s.io', kind: 'clusterrolebindings' },
          code: 403,
        },
      });
      assert.deepEqual(namesOf(roles), ['cluster-admin', 'kubeline-read', 'view']);
    });

    it('answers 403 on the aws-auth ConfigMap in the words of a namespaced get', async () => {
      // Prepare
      peer.addFault({ resource: 'awsAuth', status: 403 });
      const core = scanner().makeApiClient(CoreV1Api);

      // Act
      const outcome = await statusOf(
        core.readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' }),
      );

      // Assess
      assert.deepEqual(outcome.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'configmaps "aws-auth" is forbidden: User "kubeline-scanner" cannot get resource "configmaps" in API group "" in the namespace "kube-system"',
        reason: 'Forbidden',
        details: { name: 'aws-auth', kind: 'configmaps' },
        code: 403,
      });
    });

    it('answers 404 NotFound for an aws-auth ConfigMap that does not exist', async () => {
      // Prepare
      peer.seed({ objects: compliant.objects.filter((object) => object.kind !== 'ConfigMap'), configz: {} });
      const core = scanner().makeApiClient(CoreV1Api);

      // Act
      const outcome = await statusOf(
        core.readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' }),
      );

      // Assess
      assert.deepEqual(outcome, {
        code: 404,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'configmaps "aws-auth" not found',
          reason: 'NotFound',
          details: { name: 'aws-auth', kind: 'configmaps' },
          code: 404,
        },
      });
    });

    it('answers 500 InternalError for the next request only when the fault is limited to once', async () => {
      // Prepare
      peer.addFault({ resource: 'daemonsets', status: 500, times: 1 });
      const apps = scanner().makeApiClient(AppsV1Api);

      // Act
      const failed = await statusOf(apps.listDaemonSetForAllNamespaces());
      const retried = await apps.listDaemonSetForAllNamespaces();

      // Assess
      assert.deepEqual(
        [failed.code, (failed.body as { reason: string }).reason, namesOf(retried)],
        [500, 'InternalError', ['amazon-guardduty/aws-guardduty-agent', 'kube-system/aws-node']],
      );
    });

    it('holds a hung request until its connection drops, then serves the next', async () => {
      // Prepare
      peer.addFault({ resource: 'namespaces', status: 'hang', times: 1 });
      const core = scanner().makeApiClient(CoreV1Api);

      // Act
      const hung = core.listNamespace().then(
        () => 'answered',
        () => 'dropped',
      );
      await peer.whenHeld();
      peer.releaseHeld();
      const next = await core.listNamespace();

      // Assess
      assert.deepEqual(
        [await hung, next.items.length, peer.requests().map(({ status }) => status)],
        ['dropped', 7, [0, 200]],
      );
    });
  });

  describe('the node proxy configz', () => {
    it('returns each kubelet configz through connectGetNodeProxyWithPath', async () => {
      // Prepare
      peer.seed(nonCompliant);
      const core = scanner().makeApiClient(CoreV1Api);

      // Act
      const body: unknown = await core.connectGetNodeProxyWithPath({
        name: 'ip-10-1-1-11.ec2.internal',
        path: 'configz',
      });

      // Assess
      // client-node 1.4.0 types this as a string but parses an application/json answer.
      const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
      assert.deepEqual(parsed, nonCompliant.configz['ip-10-1-1-11.ec2.internal']);
      assert.deepEqual(
        peer.requests().map(({ path, status }) => [path, status]),
        [['/api/v1/nodes/ip-10-1-1-11.ec2.internal/proxy/configz', 200]],
      );
    });

    it('answers 404 for a node that does not exist and 403 for a node proxy fault on one node', async () => {
      // Prepare
      peer.addFault({ resource: 'configz', status: 403, node: 'ip-10-0-2-12.ec2.internal' });
      const core = scanner().makeApiClient(CoreV1Api);

      // Act
      const missing = await statusOf(
        core.connectGetNodeProxyWithPath({ name: 'no-such-node', path: 'configz' }),
      );
      const forbidden = await statusOf(
        core.connectGetNodeProxyWithPath({ name: 'ip-10-0-2-12.ec2.internal', path: 'configz' }),
      );
      const allowed: unknown = await core.connectGetNodeProxyWithPath({
        name: 'ip-10-0-1-11.ec2.internal',
        path: 'configz',
      });

      // Assess
      assert.deepEqual(
        [missing.body, forbidden.body, typeof allowed === 'string' ? JSON.parse(allowed) : allowed],
        [
          {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'nodes "no-such-node" not found',
            reason: 'NotFound',
            details: { name: 'no-such-node', kind: 'nodes' },
            code: 404,
          },
          {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message:
              'nodes "ip-10-0-2-12.ec2.internal" is forbidden: User "kubeline-scanner" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
            reason: 'Forbidden',
            details: { name: 'ip-10-0-2-12.ec2.internal', kind: 'nodes' },
            code: 403,
          },
          compliant.configz['ip-10-0-1-11.ec2.internal'],
        ],
      );
    });
  });

  describe('authentication', () => {
    it('authenticates a client-certificate user by its CN', async () => {
      // Prepare
      const core = kubeConfigFor(peer.url, peer.caData, certificateUser()).makeApiClient(CoreV1Api);

      // Act
      await core.listNode();

      // Assess
      assert.deepEqual(
        peer.requests().map(({ user, status }) => [user, status]),
        [['kubeline-cert-user', 200]],
      );
    });

    it('answers 401 Unauthorized to an unknown token and to every token once tokens have expired', async () => {
      // Prepare
      const unknown = kubeConfigFor(peer.url, peer.caData, { token: 'not-a-token' }).makeApiClient(CoreV1Api);
      const known = scanner().makeApiClient(CoreV1Api);

      // Act
      const refused = await statusOf(unknown.listNamespace());
      const refusedOnTheWire = await rawGet(`${peer.url}/api/v1/namespaces`, peer.ca, 'not-a-token');
      peer.setTokensExpired(true);
      const expired = await statusOf(known.listNamespace());
      const certificate = await kubeConfigFor(peer.url, peer.caData, certificateUser())
        .makeApiClient(CoreV1Api)
        .listNamespace();

      // Assess
      assert.deepEqual(
        [refused, refusedOnTheWire, expired, certificate.items.length],
        [
          { code: 401, body: undefined },
          {
            code: 401,
            body: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: 'Unauthorized',
              reason: 'Unauthorized',
              code: 401,
            },
          },
          { code: 401, body: undefined },
          7,
        ],
      );
    });

    it('accepts a configured GKE or AKS bearer token as its user', async () => {
      // Prepare
      const core = kubeConfigFor(peer.url, peer.caData, { token: 'ya29.gke-peer-token' }).makeApiClient(
        CoreV1Api,
      );

      // Act
      await core.listNamespace();

      // Assess
      assert.deepEqual(
        peer.requests().map(({ user }) => user),
        ['kubeline@acme-payments-prod.iam.gserviceaccount.com'],
      );
    });

    it('accepts an EKS token presigned for this cluster with a key it knows', async () => {
      // Prepare
      const token = await eksToken({
        clusterName: 'prod-payments',
        region: 'us-east-1',
        credentials: EKS_KEYS,
        now: SIGNED_AT,
      });
      const core = kubeConfigFor(peer.url, peer.caData, { token }).makeApiClient(CoreV1Api);

      // Act
      await core.listNamespace();

      // Assess
      assert.deepEqual(
        peer.requests().map(({ user, status }) => [user, status]),
        [[EKS_KEYS.accessKeyId, 200]],
      );
    });

    it('refuses EKS tokens signed for another cluster, with an unknown key, or past their 15 minutes', async () => {
      // Prepare
      const otherCluster = await eksToken({
        clusterName: 'other',
        region: 'us-east-1',
        credentials: EKS_KEYS,
        now: SIGNED_AT,
      });
      const unknownKey = await eksToken({
        clusterName: 'prod-payments',
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
        now: SIGNED_AT,
      });
      const stale = await eksToken({
        clusterName: 'prod-payments',
        region: 'us-east-1',
        credentials: EKS_KEYS,
        now: new Date(SIGNED_AT.getTime() - 16 * 60 * 1000),
      });
      const list = (token: string) =>
        statusOf(kubeConfigFor(peer.url, peer.caData, { token }).makeApiClient(CoreV1Api).listNamespace());

      // Act
      const outcomes = await Promise.all([otherCluster, unknownKey, stale].map(list));

      // Assess
      assert.deepEqual(
        outcomes.map(({ code }) => code),
        [401, 401, 401],
      );
    });
  });

  describe('several clusters on one peer', () => {
    it('serves each added cluster on its own port and checks EKS tokens against its name', async () => {
      // Prepare
      const legacy = await peer.addCluster('legacy-billing');
      peer.seed(nonCompliant, 'legacy-billing');
      const token = await eksToken({
        clusterName: 'legacy-billing',
        region: 'us-east-1',
        credentials: EKS_KEYS,
        now: SIGNED_AT,
      });
      const core = kubeConfigFor(legacy.url, peer.caData, { token }).makeApiClient(CoreV1Api);

      // Act
      const namespaces = await core.listNamespace();

      // Assess
      assert.deepEqual(namesOf(namespaces), ['ci', 'default', 'kube-system', 'legacy', 'payments']);
      assert.deepEqual(peer.requests(), [
        {
          cluster: 'legacy-billing',
          method: 'GET',
          path: '/api/v1/namespaces',
          query: {},
          user: EKS_KEYS.accessKeyId,
          status: 200,
        },
      ]);
    });
  });
});
