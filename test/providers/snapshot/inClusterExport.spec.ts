import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InClusterRaw } from '../../../model/inCluster.js';
import { known, type Observed, unknown } from '../../../model/observed.js';
import type { ClusterPosture, Provider } from '../../../model/posture.js';
import { normaliseInCluster } from '../../../providers/kubernetes/normalise.js';
import { NO_IN_CLUSTER_EXPORT } from '../../../providers/snapshot/inCluster.js';
import { loadSnapshots, type SnapshotScan } from '../../../providers/snapshot/load.js';
import { rawFixture, rawFixtureText } from '../rawFixture.js';

// The --from loader with in-cluster exports next to the cluster exports: matching by id, the
// clusters without one, duplicates, exports for clusters not read, and broken exports.

const EKS_PRIVATE = 'arn:aws:eks:eu-west-1:111111111111:cluster/payments-prod';
const GKE_CHECKOUT = 'projects/example-project/locations/europe-west1/clusters/checkout-prod';
const AKS_TOOLS =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-tools/providers/Microsoft.ContainerService/managedClusters/aks-tools';

/** A List object as `kubectl get … -o json` prints it. */
function list(kind: string, items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: `${kind}List`, metadata: { resourceVersion: '4711' }, items };
}

/** A small cluster's worth of in-cluster reads, in the Kubernetes API's JSON. */
function bundle(): Record<string, unknown> {
  return {
    clusterrolebindings: list('ClusterRoleBinding', [
      {
        metadata: { name: 'cluster-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
      },
    ]),
    rolebindings: list('RoleBinding', []),
    clusterroles: list('ClusterRole', [
      {
        metadata: { name: 'view' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      },
    ]),
    awsAuth: null,
    namespaces: list('Namespace', [
      { metadata: { name: 'payments', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    ]),
    networkpolicies: list('NetworkPolicy', [
      { metadata: { name: 'default-deny', namespace: 'payments' }, spec: { podSelector: {} } },
    ]),
    nodes: list('Node', [
      { metadata: { name: 'node-a', labels: { 'eks.amazonaws.com/nodegroup': 'general' } } },
    ]),
    configz: {
      'node-a': {
        kubeletconfig: {
          readOnlyPort: 0,
          authentication: { anonymous: { enabled: false } },
          authorization: { mode: 'Webhook' },
        },
      },
    },
    daemonsets: list('DaemonSet', []),
  };
}

function exportFor(cluster: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'KubelineInClusterExport', apiVersion: 'kubeline.dev/v1', cluster, ...bundle(), ...extra };
}

/** What the loader should set: the normalised bundle, with the export's place as evidence. */
function fromExport(document: Record<string, unknown>, provider: Provider, place: string): Observed<unknown> {
  return known(normaliseInCluster(document as InClusterRaw, { provider }), {
    path: 'export.file',
    value: place,
  });
}

function inClusterOf(scan: SnapshotScan): [string, Observed<unknown>][] {
  return scan.postures.map((posture: ClusterPosture) => [posture.id, posture.inCluster]);
}

/** The reasons of the unknown in-cluster fields, by field: enough to see which parts a broken export took away. */
function unknownParts(posture: ClusterPosture | undefined): Record<string, string> {
  const inCluster = posture?.inCluster;
  if (inCluster === undefined || 'unknown' in inCluster)
    return { inCluster: inCluster?.unknown ?? 'missing' };
  return Object.fromEntries(
    Object.entries(inCluster.value).flatMap(([field, observed]: [string, Observed<unknown>]) =>
      'unknown' in observed ? [[field, observed.unknown]] : [],
    ),
  );
}

describe('loadSnapshots with in-cluster exports', () => {
  let dir = '';

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kubeline-in-cluster-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(relative: string, content: unknown): Promise<void> {
    const target = path.join(dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }

  function load(...paths: string[]): Promise<SnapshotScan> {
    return loadSnapshots(paths, { cwd: dir });
  }

  async function writeThreeClouds(): Promise<void> {
    await write('fleet/eks.json', rawFixtureText('eks/describe-cluster-private.json'));
    await write('fleet/gke.json', rawFixtureText('gke/cluster-standard-private.json'));
    await write('fleet/aks.json', rawFixtureText('aks/az-aks-show-public.json'));
  }

  describe('matching', () => {
    it('gives each cluster of a folder its in-cluster export, normalised for its cloud', async () => {
      // Prepare
      await writeThreeClouds();
      const eks = exportFor(EKS_PRIVATE);
      const gke = exportFor(GKE_CHECKOUT, { awsAuth: undefined });
      const aks = exportFor(AKS_TOOLS, { awsAuth: undefined });
      await write('fleet/in-cluster/eks.json', eks);
      await write('fleet/in-cluster/gke.json', gke);
      await write('fleet/in-cluster/aks.json', aks);
      // Act
      const scan = await load('fleet');
      // Assess
      assert.deepEqual(
        { inCluster: inClusterOf(scan), problems: scan.problems, notices: scan.notices, scopes: scan.scopes },
        {
          inCluster: [
            [AKS_TOOLS, fromExport(JSON.parse(JSON.stringify(aks)), 'aks', 'fleet/in-cluster/aks.json')],
            [EKS_PRIVATE, fromExport(eks, 'eks', 'fleet/in-cluster/eks.json')],
            [GKE_CHECKOUT, fromExport(JSON.parse(JSON.stringify(gke)), 'gke', 'fleet/in-cluster/gke.json')],
          ],
          problems: [],
          notices: [],
          scopes: [
            { provider: 'snapshot', scope: 'fleet/aks.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'fleet/eks.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'fleet/gke.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'fleet/in-cluster/aks.json', status: 'ok', clusters: 0 },
            { provider: 'snapshot', scope: 'fleet/in-cluster/eks.json', status: 'ok', clusters: 0 },
            { provider: 'snapshot', scope: 'fleet/in-cluster/gke.json', status: 'ok', clusters: 0 },
          ],
        },
      );
    });

    it('reads the facts of the export, not defaults', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('eks.in-cluster.json', exportFor(EKS_PRIVATE));
      // Act
      const [posture] = (await load('eks.json', 'eks.in-cluster.json')).postures;
      // Assess
      assert.ok(posture !== undefined && 'value' in posture.inCluster);
      const facts = posture.inCluster.value;
      assert.deepEqual(
        {
          clusterRoleBindings: facts.clusterRoleBindings,
          namespaces: facts.namespaces,
          awsAuth: facts.awsAuth,
          nodeCount: facts.nodeCount,
        },
        {
          clusterRoleBindings: known(
            [
              {
                kind: 'ClusterRoleBinding',
                name: 'cluster-admin',
                roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
                subjects: [{ kind: 'Group', name: 'system:masters' }],
              },
            ],
            { path: 'clusterrolebindings.metadata.resourceVersion', value: '4711' },
          ),
          namespaces: known([{ name: 'payments', podSecurityEnforce: 'restricted' }], {
            path: 'namespaces.metadata.resourceVersion',
            value: '4711',
          }),
          awsAuth: known(null, { path: 'awsAuth', value: null }),
          nodeCount: known(1, { path: 'nodes.metadata.resourceVersion', value: '4711' }),
        },
      );
    });

    it('compares cluster ids without regard to case, on every cloud', async () => {
      // Prepare
      await writeThreeClouds();
      await write('in-cluster.json', [
        exportFor(EKS_PRIVATE.toUpperCase()),
        exportFor(GKE_CHECKOUT.toUpperCase()),
        exportFor(AKS_TOOLS.toLowerCase()),
      ]);
      // Act
      const scan = await load('fleet', 'in-cluster.json');
      // Assess
      assert.deepEqual(
        scan.postures.map((posture) => [posture.id, unknownParts(posture)]),
        [
          [AKS_TOOLS, { awsAuth: 'kube-system/aws-auth is an EKS ConfigMap: read on EKS clusters only' }],
          [EKS_PRIVATE, {}],
          [GKE_CHECKOUT, { awsAuth: 'kube-system/aws-auth is an EKS ConfigMap: read on EKS clusters only' }],
        ],
      );
      assert.deepEqual([scan.problems, scan.notices], [[], []]);
    });

    it('marks every cluster without an export unknown, whatever the configuration says', async () => {
      // Prepare
      await writeThreeClouds();
      await write('fleet/eks.in-cluster.json', exportFor(EKS_PRIVATE));
      // Act
      const scan = await load('fleet');
      // Assess
      assert.deepEqual(
        inClusterOf(scan).filter(([id]) => id !== EKS_PRIVATE),
        [
          [AKS_TOOLS, unknown(NO_IN_CLUSTER_EXPORT)],
          [GKE_CHECKOUT, unknown(NO_IN_CLUSTER_EXPORT)],
        ],
      );
      assert.equal(NO_IN_CLUSTER_EXPORT, 'no in-cluster export for this cluster in the files read');
    });

    it('reads an export from a list that also holds clusters, naming its entry as evidence', async () => {
      // Prepare
      const document = exportFor(EKS_PRIVATE);
      await write('mixed.json', [rawFixture('eks/describe-cluster-private.json'), document]);
      // Act
      const scan = await load('mixed.json');
      // Assess
      assert.deepEqual(
        { inCluster: inClusterOf(scan), problems: scan.problems, scopes: scan.scopes },
        {
          inCluster: [[EKS_PRIVATE, fromExport(document, 'eks', 'mixed.json (entry 2)')]],
          problems: [],
          scopes: [{ provider: 'snapshot', scope: 'mixed.json', status: 'ok', clusters: 1 }],
        },
      );
    });

    it('tells of an export for a cluster that is not among those read, naming the file, and uses nothing of it', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('other.in-cluster.json', exportFor('arn:aws:eks:us-east-1:111111111111:cluster/elsewhere'));
      // Act
      const scan = await load('eks.json', 'other.in-cluster.json');
      // Assess
      assert.deepEqual(
        { inCluster: inClusterOf(scan), problems: scan.problems, notices: scan.notices },
        {
          inCluster: [[EKS_PRIVATE, unknown(NO_IN_CLUSTER_EXPORT)]],
          problems: [],
          notices: [
            {
              files: ['other.in-cluster.json'],
              cluster: 'arn:aws:eks:us-east-1:111111111111:cluster/elsewhere',
              message:
                'the in-cluster export in other.in-cluster.json is for a cluster that is not among the clusters ' +
                'read from the --from files; it was not used',
            },
          ],
        },
      );
    });

    it('reads in-cluster exports alone without failing: every one is a notice', async () => {
      // Prepare
      await write('only.json', exportFor(EKS_PRIVATE));
      // Act
      const scan = await load('only.json');
      // Assess
      assert.deepEqual(
        { postures: scan.postures, problems: scan.problems, notices: scan.notices.map((n) => n.files) },
        { postures: [], problems: [], notices: [['only.json']] },
      );
    });
  });

  describe('duplicates', () => {
    it('reads the export in the first file by path whatever order the paths come in, and says the copies differ', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const first = exportFor(EKS_PRIVATE);
      const second = exportFor(EKS_PRIVATE, { namespaces: list('Namespace', []) });
      await write('a.in-cluster.json', first);
      await write('b.in-cluster.json', second);
      // Act
      const scan = await load('b.in-cluster.json', 'eks.json', 'a.in-cluster.json');
      // Assess
      assert.deepEqual(
        { inCluster: inClusterOf(scan), problems: scan.problems, notices: scan.notices },
        {
          inCluster: [[EKS_PRIVATE, fromExport(first, 'eks', 'a.in-cluster.json')]],
          problems: [],
          notices: [
            {
              files: ['a.in-cluster.json', 'b.in-cluster.json'],
              cluster: EKS_PRIVATE,
              message:
                'in-cluster export given twice, in a.in-cluster.json and in b.in-cluster.json; the copy in ' +
                'a.in-cluster.json is read, but the copies differ: check which export is current',
            },
          ],
        },
      );
    });

    it('keeps the first of identical copies in one list and does not call them different', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('exports.json', [
        exportFor(EKS_PRIVATE),
        exportFor(EKS_PRIVATE.toUpperCase()),
        exportFor(EKS_PRIVATE),
      ]);
      // Act
      const scan = await load('eks.json', 'exports.json');
      // Assess
      assert.deepEqual(scan.notices, [
        {
          files: ['exports.json'],
          cluster: EKS_PRIVATE,
          message:
            'in-cluster export given 3 times, in exports.json (entry 1), in exports.json (entry 2) and in ' +
            'exports.json (entry 3); the copy in exports.json (entry 1) is read',
        },
      ]);
    });
  });

  describe('broken exports', () => {
    it('reports a file that is not JSON as its scope error and still reads the other clusters', async () => {
      // Prepare
      await writeThreeClouds();
      await write(
        'fleet/eks.in-cluster.json',
        '{"kind": "KubelineInClusterExport", "apiVersion": "kubeline.dev/v1", ',
      );
      // Act
      const scan = await load('fleet');
      // Assess
      assert.deepEqual(
        {
          errors: scan.scopes.filter((scope) => scope.status === 'error'),
          inCluster: inClusterOf(scan),
        },
        {
          errors: [
            {
              provider: 'snapshot',
              scope: 'fleet/eks.in-cluster.json',
              status: 'error',
              error:
                'truncated JSON: the text ends at line 1, column 70 (character 69) before the document is complete',
              clusters: 0,
            },
          ],
          inCluster: [
            [AKS_TOOLS, unknown(NO_IN_CLUSTER_EXPORT)],
            [EKS_PRIVATE, unknown(NO_IN_CLUSTER_EXPORT)],
            [GKE_CHECKOUT, unknown(NO_IN_CLUSTER_EXPORT)],
          ],
        },
      );
    });

    const envelopes: readonly {
      readonly title: string;
      readonly document: Record<string, unknown>;
      readonly problem: { readonly cluster?: string; readonly reason: string };
      readonly inCluster: Observed<unknown>;
    }[] = [
      {
        title: 'an apiVersion it does not read',
        document: exportFor(EKS_PRIVATE, { apiVersion: 'kubeline.dev/v2' }),
        problem: {
          cluster: EKS_PRIVATE,
          reason:
            'in-cluster export not read: apiVersion is the string "kubeline.dev/v2"; this kubeline reads "kubeline.dev/v1"',
        },
        inCluster: unknown("the in-cluster export in broken.json could not be read (see the run's problems)"),
      },
      {
        title: 'no apiVersion',
        document: exportFor(EKS_PRIVATE, { apiVersion: undefined }),
        problem: {
          cluster: EKS_PRIVATE,
          reason: 'in-cluster export not read: apiVersion is absent; this kubeline reads "kubeline.dev/v1"',
        },
        inCluster: unknown("the in-cluster export in broken.json could not be read (see the run's problems)"),
      },
      {
        title: 'no cluster',
        document: exportFor(undefined),
        problem: {
          reason:
            "in-cluster export not read: cluster is absent; expected the cluster's id (EKS ARN, GKE projects/…/clusters/…, AKS resource id)",
        },
        inCluster: unknown(NO_IN_CLUSTER_EXPORT),
      },
      {
        title: 'a cluster that is a number',
        document: exportFor(42),
        problem: {
          reason:
            "in-cluster export not read: cluster is a number; expected the cluster's id (EKS ARN, GKE projects/…/clusters/…, AKS resource id)",
        },
        inCluster: unknown(NO_IN_CLUSTER_EXPORT),
      },
      {
        title: 'a blank cluster',
        document: exportFor('   '),
        problem: {
          reason:
            'in-cluster export not read: cluster is the string "   "; expected the cluster\'s id (EKS ARN, GKE projects/…/clusters/…, AKS resource id)',
        },
        inCluster: unknown(NO_IN_CLUSTER_EXPORT),
      },
      {
        title: 'a cluster id far longer than any cloud allows',
        document: exportFor(`${EKS_PRIVATE}${'<script>alert(1)</script>'.repeat(2000)}`),
        problem: {
          reason: 'in-cluster export not read: cluster is 50056 characters long, longer than any cluster id',
        },
        inCluster: unknown(NO_IN_CLUSTER_EXPORT),
      },
    ];
    for (const { title, document, problem, inCluster } of envelopes) {
      it(`reports an export with ${title} as a problem naming the file, and uses none of it`, async () => {
        // Prepare
        await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
        await write('broken.json', document);
        // Act
        const scan = await load('eks.json', 'broken.json');
        // Assess
        assert.deepEqual(
          { problems: scan.problems, notices: scan.notices, inCluster: inClusterOf(scan) },
          {
            problems: [{ file: 'broken.json', ...problem }],
            notices: [],
            inCluster: [[EKS_PRIVATE, inCluster]],
          },
        );
      });
    }

    it('prefers a good copy over a rejected one for the same cluster', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('a.json', exportFor(EKS_PRIVATE, { apiVersion: 'v1' }));
      const good = exportFor(EKS_PRIVATE);
      await write('b.json', good);
      // Act
      const scan = await load('eks.json', 'a.json', 'b.json');
      // Assess
      assert.deepEqual(
        { inCluster: inClusterOf(scan), notices: scan.notices, problems: scan.problems.map((p) => p.file) },
        { inCluster: [[EKS_PRIVATE, fromExport(good, 'eks', 'b.json')]], notices: [], problems: ['a.json'] },
      );
    });

    it("names a kind that looks like kubeline's but is not, instead of calling it not a cluster", async () => {
      // Prepare
      await write('typo.json', exportFor(EKS_PRIVATE, { kind: 'KubelineInclusterExport' }));
      await write('listed.json', [exportFor(EKS_PRIVATE, { kind: 'kubelineExport' })]);
      // Act
      const scan = await load('typo.json', 'listed.json');
      // Assess
      assert.deepEqual(
        {
          errors: scan.scopes.flatMap((scope) =>
            scope.status === 'error' ? [[scope.scope, scope.error]] : [],
          ),
          problems: scan.problems,
        },
        {
          errors: [
            [
              'typo.json',
              'the file holds kind "KubelineInclusterExport", which this kubeline does not read; expected "KubelineInClusterExport"',
            ],
          ],
          problems: [
            {
              file: 'listed.json',
              reason:
                'entry 1: holds kind "kubelineExport", which this kubeline does not read; expected "KubelineInClusterExport"',
            },
          ],
        },
      );
    });

    it('reports keys it does not read, with the right spelling, and reads the rest', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const document = exportFor(EKS_PRIVATE, {
        clusterrolebindings: undefined,
        clusterRoleBindings: list('ClusterRoleBinding', []),
        metadata: { exportedBy: 'jq' },
      });
      await write('x.json', document);
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      assert.deepEqual(
        { problems: scan.problems, parts: unknownParts(scan.postures[0]) },
        {
          problems: [
            {
              file: 'x.json',
              cluster: EKS_PRIVATE,
              reason:
                'in-cluster export: unexpected keys "clusterRoleBindings" (did you mean "clusterrolebindings"?), "metadata", ' +
                'not read; an export holds clusterrolebindings, rolebindings, clusterroles, awsAuth, namespaces, ' +
                'networkpolicies, nodes, configz, daemonsets and errors',
            },
          ],
          parts: { clusterRoleBindings: 'clusterrolebindings absent from the in-cluster read' },
        },
      );
    });

    it('names at most five unexpected keys of an export full of them', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const junk = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`junk${index}`, index]));
      await write('x.json', exportFor(EKS_PRIVATE, junk));
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      assert.deepEqual(
        scan.problems.map((problem) => problem.reason),
        [
          'in-cluster export: unexpected keys "junk0", "junk1", "junk2", "junk3", "junk4" and 495 more, not read; ' +
            'an export holds clusterrolebindings, rolebindings, clusterroles, awsAuth, namespaces, networkpolicies, ' +
            'nodes, configz, daemonsets and errors',
        ],
      );
    });
  });

  describe('errors and malformed resources', () => {
    it('takes the reasons in errors as what was not read, without calling them problems', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write(
        'x.json',
        exportFor(EKS_PRIVATE, {
          rolebindings: undefined,
          configz: undefined,
          errors: {
            rolebindings: '403 Forbidden: rolebindings.rbac.authorization.k8s.io is forbidden',
            configz: 'timed out after 30 s',
          },
        }),
      );
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      assert.deepEqual(
        { problems: scan.problems, parts: unknownParts(scan.postures[0]) },
        {
          problems: [],
          parts: {
            roleBindings:
              'rolebindings could not be read from the API server: 403 Forbidden: rolebindings.rbac.authorization.k8s.io is forbidden',
            kubelets: 'configz could not be read from the API server: timed out after 30 s',
          },
        },
      );
    });

    it('reports errors that are not reasons by resource, and keeps what is usable', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write(
        'x.json',
        exportFor(EKS_PRIVATE, {
          daemonsets: undefined,
          errors: { daemonsets: 403, secrets: 'not read on purpose' },
        }),
      );
      await write('y.json', [
        exportFor('arn:aws:eks:us-east-1:111111111111:cluster/other', { errors: ['403'] }),
      ]);
      // Act
      const scan = await load('eks.json', 'x.json', 'y.json');
      // Assess
      assert.deepEqual(
        { problems: scan.problems, parts: unknownParts(scan.postures[0]) },
        {
          problems: [
            {
              file: 'x.json',
              cluster: EKS_PRIVATE,
              reason: 'in-cluster export: errors.daemonsets is a number, expected the reason it was not read',
            },
            {
              file: 'x.json',
              cluster: EKS_PRIVATE,
              reason:
                'in-cluster export: errors names "secrets", which is not a resource of an in-cluster export',
            },
            {
              file: 'y.json',
              cluster: 'arn:aws:eks:us-east-1:111111111111:cluster/other',
              reason:
                'entry 1: in-cluster export: errors is a list, expected an object of reasons by resource',
            },
          ],
          parts: { daemonSets: 'daemonsets absent from the in-cluster read' },
        },
      );
    });

    it('reports a resource of the wrong JSON type against its file and leaves only that part unknown', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write(
        'x.json',
        exportFor(EKS_PRIVATE, {
          clusterrolebindings: 'kubectl get clusterrolebindings -o json',
          configz: [],
        }),
      );
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      const parts = unknownParts(scan.postures[0]);
      assert.deepEqual(
        { problems: scan.problems, parts },
        {
          problems: [
            {
              file: 'x.json',
              cluster: EKS_PRIVATE,
              reason: `in-cluster export: clusterrolebindings not used: ${parts.clusterRoleBindings}`,
            },
            {
              file: 'x.json',
              cluster: EKS_PRIVATE,
              reason: `in-cluster export: configz not used: ${parts.kubelets}`,
            },
          ],
          parts: {
            clusterRoleBindings:
              'clusterrolebindings is the string "kubectl get clusterrolebindings -o json", expected a Kubernetes List object',
            kubelets: 'configz is a list, expected an object of configz bodies by node',
          },
        },
      );
    });

    it('reports list items that are not objects, and an aws-auth that is not a ConfigMap, naming the file', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const bindings = bundle().clusterrolebindings as { items: unknown[] };
      await write(
        'x.json',
        exportFor(EKS_PRIVATE, {
          clusterrolebindings: { ...bindings, items: [...bindings.items, 'cluster-admin', null, 7] },
          awsAuth: ['mapRoles'],
        }),
      );
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      assert.deepEqual(
        {
          problems: scan.problems.map((p) => [p.file, p.cluster, p.reason]),
          parts: unknownParts(scan.postures[0]),
        },
        {
          problems: [
            [
              'x.json',
              EKS_PRIVATE,
              'in-cluster export: clusterrolebindings not used: clusterrolebindings.items[1] is the string "cluster-admin", expected an object',
            ],
            [
              'x.json',
              EKS_PRIVATE,
              'in-cluster export: awsAuth not used: awsAuth is a list, expected a ConfigMap or null',
            ],
          ],
          parts: {
            clusterRoleBindings:
              'clusterrolebindings.items[1] is the string "cluster-admin", expected an object',
            awsAuth: 'awsAuth is a list, expected a ConfigMap or null',
          },
        },
      );
    });

    it('does not report aws-auth in an export of a cluster that is not on EKS', async () => {
      // Prepare
      await write('gke.json', rawFixtureText('gke/cluster-standard-private.json'));
      await write('x.json', exportFor(GKE_CHECKOUT, { awsAuth: 'not a ConfigMap' }));
      // Act
      const scan = await load('gke.json', 'x.json');
      // Assess
      assert.deepEqual(scan.problems, []);
    });

    it('reads huge lists whole, and finds the one bad item at their end', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const binding = (index: number) => ({
        metadata: { name: `team-${index}`, namespace: `ns-${index % 2000}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'ServiceAccount', name: `deployer-${index}` }],
      });
      const many = Array.from({ length: 30_000 }, (_, index) => binding(index));
      await write('good.json', exportFor(EKS_PRIVATE, { rolebindings: list('RoleBinding', many) }));
      await write(
        'bad.json',
        exportFor(EKS_PRIVATE, { rolebindings: list('RoleBinding', [...many, [binding(0)]]) }),
      );
      // Act
      const good = await load('eks.json', 'good.json');
      const bad = await load('eks.json', 'bad.json');
      // Assess
      const roleBindings = good.postures[0]?.inCluster;
      assert.ok(roleBindings !== undefined && 'value' in roleBindings);
      const read = roleBindings.value.roleBindings;
      assert.deepEqual(
        {
          count: 'value' in read ? read.value.length : read.unknown,
          last: 'value' in read ? read.value.at(-1) : undefined,
          problems: good.problems,
          bad: [bad.problems.map((p) => p.reason), unknownParts(bad.postures[0])],
        },
        {
          count: 30_000,
          last: {
            kind: 'RoleBinding',
            name: 'team-29999',
            namespace: 'ns-1999',
            roleRef: { kind: 'ClusterRole', name: 'edit' },
            subjects: [{ kind: 'ServiceAccount', name: 'deployer-29999', namespace: 'ns-1999' }],
          },
          problems: [],
          bad: [
            [
              'in-cluster export: rolebindings not used: rolebindings.items[30000] is a list, expected an object',
            ],
            { roleBindings: 'rolebindings.items[30000] is a list, expected an object' },
          ],
        },
      );
    });

    it('carries hostile names from an export through unchanged and keeps problems on one short line', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      const hostile = '<img src=x onerror=alert(1)>|`rm -rf /`|=HYPERLINK("http://x")\n{{7*7}}';
      await write(
        'x.json',
        exportFor(EKS_PRIVATE, {
          namespaces: list('Namespace', [{ metadata: { name: hostile } }]),
          networkpolicies: list('NetworkPolicy', [{ metadata: { name: hostile.repeat(500) } }]),
          [hostile.repeat(100)]: true,
        }),
      );
      // Act
      const scan = await load('eks.json', 'x.json');
      // Assess
      const facts = scan.postures[0]?.inCluster;
      assert.ok(facts !== undefined && 'value' in facts);
      assert.deepEqual(
        {
          namespaces: facts.value.namespaces,
          problems: scan.problems.map((p) => ({
            lines: p.reason.split('\n').length,
            short: p.reason.length < 500,
          })),
        },
        {
          namespaces: known([{ name: hostile, podSecurityEnforce: null }], {
            path: 'namespaces.metadata.resourceVersion',
            value: '4711',
          }),
          problems: [
            { lines: 1, short: true },
            { lines: 1, short: true },
          ],
        },
      );
    });
  });
});
