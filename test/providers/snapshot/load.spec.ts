import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unknown } from '../../../model/observed.js';
import type { ClusterPosture } from '../../../model/posture.js';
import { loadSnapshots, MISSING_IN_SNAPSHOT, type SnapshotScan } from '../../../providers/snapshot/load.js';
import { rawFixture, rawFixtureText, withField } from '../rawFixture.js';

const EKS_PRIVATE = 'arn:aws:eks:eu-west-1:111111111111:cluster/payments-prod';
const EKS_AUTO = 'arn:aws:eks:eu-central-1:111111111111:cluster/web-auto';
const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000001';
const AKS_PAYMENTS = `${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.ContainerService/managedClusters/aks-payments`;
const AKS_TOOLS = `${SUBSCRIPTION}/resourcegroups/rg-tools/providers/Microsoft.ContainerService/managedClusters/aks-tools`;
const AKS_AUTO = `${SUBSCRIPTION}/resourceGroups/rg-apps/providers/Microsoft.ContainerService/managedClusters/aks-apps-auto`;
const AKS_LAB = `${SUBSCRIPTION}/resourceGroups/rg-lab/providers/Microsoft.ContainerService/managedClusters/aks-lab`;

function eksCluster(file: string): unknown {
  const document = rawFixture(`eks/${file}`);
  return typeof document === 'object' && document !== null ? Reflect.get(document, 'cluster') : undefined;
}

/** What could not be read, each failure once: files as scope errors, clusters as problems. */
function failures(scan: SnapshotScan): {
  scopeErrors: [string, string][];
  problems: SnapshotScan['problems'];
} {
  return {
    scopeErrors: scan.scopes.flatMap((scope) =>
      scope.status === 'error' ? [[scope.scope, scope.error ?? ''] satisfies [string, string]] : [],
    ),
    problems: scan.problems,
  };
}

/** Where each posture came from, in order: enough to see shape detection at work. */
function origins(scan: SnapshotScan): [string, string, string][] {
  return scan.postures.map((posture: ClusterPosture) => [
    posture.id,
    posture.origin.kind === 'snapshot' ? posture.origin.file : '',
    posture.origin.kind === 'snapshot' ? posture.origin.format : '',
  ]);
}

describe('loadSnapshots', () => {
  let dir = '';

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kubeline-snapshot-'));
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

  describe('input shapes', () => {
    it('reads aws eks describe-cluster output, alone or as a list', async () => {
      // Prepare
      await write('single.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('list.json', [
        rawFixture('eks/describe-cluster-auto-mode.json'),
        rawFixture('eks/describe-cluster-public-go-sdk.json'),
      ]);
      // Act
      const scan = await load('single.json', 'list.json');
      // Assess
      assert.deepEqual(
        { origins: origins(scan), scopes: scan.scopes, problems: scan.problems },
        {
          origins: [
            [EKS_PRIVATE, 'single.json', 'aws eks describe-cluster'],
            [EKS_AUTO, 'list.json', 'aws eks describe-cluster'],
            [
              'arn:aws:eks:us-east-1:111111111111:cluster/legacy-batch',
              'list.json',
              'aws eks describe-cluster',
            ],
          ],
          scopes: [
            { provider: 'snapshot', scope: 'single.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'list.json', status: 'ok', clusters: 2 },
          ],
          problems: [],
        },
      );
    });

    it('marks what DescribeCluster does not hold as unknown with the snapshot reason', async () => {
      // Prepare
      await write('eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      // Act
      const [posture] = (await load('eks.json')).postures;
      // Assess
      assert.ok(posture?.provider === 'eks');
      assert.deepEqual(
        [posture.nodePools, posture.networkPolicy, posture.eks.oidcIdentityProviders],
        [
          unknown(MISSING_IN_SNAPSHOT.eksNodegroups),
          unknown(MISSING_IN_SNAPSHOT.eksAddons),
          unknown(MISSING_IN_SNAPSHOT.eksIdentityProviders),
        ],
      );
    });

    it('reads gcloud describe and list output and the REST clusters.list envelope', async () => {
      // Prepare
      await write('describe.json', rawFixtureText('gke/cluster-standard-private.json'));
      await write('list.json', [
        rawFixture('gke/cluster-endpoints-config.json'),
        rawFixture('gke/cluster-snake-case.json'),
      ]);
      await write('rest.json', {
        clusters: [rawFixture('gke/cluster-autopilot-legacy-auth.json')],
        missingZones: [],
      });
      // Act
      const scan = await load('describe.json', 'list.json', 'rest.json');
      // Assess
      assert.deepEqual(
        { origins: origins(scan), problems: scan.problems },
        {
          origins: [
            [
              'projects/example-project/locations/europe-west1/clusters/checkout-prod',
              'describe.json',
              'gcloud container clusters describe',
            ],
            [
              'projects/example-project/locations/us-central1-a/clusters/search-dev',
              'list.json',
              'gcloud container clusters list',
            ],
            [
              'projects/example-project/locations/asia-northeast1/clusters/analytics',
              'list.json',
              'gcloud container clusters list',
            ],
            [
              'projects/example-project/locations/us-east1/clusters/frontend-autopilot',
              'rest.json',
              'GKE REST clusters.list',
            ],
          ],
          problems: [],
        },
      );
    });

    it('reads az aks show and list output, ARM wire JSON and the ARM list envelope', async () => {
      // Prepare
      await write('show.json', rawFixtureText('aks/az-aks-show-public.json'));
      await write('list.json', [rawFixture('aks/az-aks-show-automatic.json')]);
      await write('arm.json', rawFixtureText('aks/managed-cluster-arm-private.json'));
      await write('arm-list.json', { value: [rawFixture('aks/managed-cluster-arm-minimal.json')] });
      // Act
      const scan = await load('show.json', 'list.json', 'arm.json', 'arm-list.json');
      // Assess
      assert.deepEqual(
        { origins: origins(scan), problems: scan.problems },
        {
          origins: [
            [AKS_TOOLS, 'show.json', 'az aks show'],
            [AKS_AUTO, 'list.json', 'az aks list'],
            [AKS_PAYMENTS, 'arm.json', 'ARM managedClusters'],
            [AKS_LAB, 'arm-list.json', 'ARM managedClusters list'],
          ],
          problems: [],
        },
      );
    });

    it('reads a file with a byte order mark', async () => {
      // Prepare
      await write('bom.json', `\uFEFF${rawFixtureText('aks/az-aks-show-public.json')}`);
      // Act
      const scan = await load('bom.json');
      // Assess
      assert.deepEqual([origins(scan), scan.problems], [[[AKS_TOOLS, 'bom.json', 'az aks show']], []]);
    });
  });

  describe('AKS diagnostic settings', () => {
    it('attaches exported settings to the cluster whose id they carry, ignoring id case', async () => {
      // Prepare
      await write('clusters/payments.json', rawFixtureText('aks/managed-cluster-arm-private.json'));
      await write('clusters/tools.json', rawFixtureText('aks/az-aks-show-public.json'));
      await write('clusters/lab.json', rawFixtureText('aks/managed-cluster-arm-minimal.json'));
      await write('settings/payments.json', rawFixtureText('aks/diagnostic-settings-az.json'));
      await write('settings/tools.json', rawFixtureText('aks/diagnostic-settings-arm.json'));
      // Act
      const scan = await load('clusters', 'settings');
      // Assess
      assert.deepEqual(
        {
          audit: scan.postures.map((posture) => [
            posture.name,
            'value' in posture.auditLogs ? posture.auditLogs.value.categories : posture.auditLogs.unknown,
          ]),
          scopes: scan.scopes.map((scope) => [scope.scope, scope.status, scope.clusters]),
          problems: scan.problems,
        },
        {
          audit: [
            ['aks-lab', MISSING_IN_SNAPSHOT.aksDiagnosticSettings],
            ['aks-payments', ['kube-audit-admin']],
            ['aks-tools', ['allLogs']],
          ],
          scopes: [
            ['clusters/lab.json', 'ok', 1],
            ['clusters/payments.json', 'ok', 1],
            ['clusters/tools.json', 'ok', 1],
            ['settings/payments.json', 'ok', 0],
            ['settings/tools.json', 'ok', 0],
          ],
          problems: [],
        },
      );
    });

    it('reports settings for a resource that is not in the snapshot', async () => {
      // Prepare
      await write('settings.json', rawFixtureText('aks/diagnostic-settings-arm.json'));
      // Act
      const scan = await load('settings.json');
      // Assess
      assert.deepEqual(scan.problems, [
        {
          file: 'settings.json',
          cluster: `${SUBSCRIPTION}/resourceGroups/rg-tools/providers/Microsoft.ContainerService/managedClusters/aks-tools`,
          reason: 'diagnostic settings for a resource that is not an AKS cluster in this snapshot',
        },
      ]);
    });
  });

  describe('folders', () => {
    it('reads .json files below a folder recursively, in a stable order, one scope per file', async () => {
      // Prepare
      await write('fleet/z-last.json', rawFixtureText('gke/cluster-snake-case.json'));
      await write('fleet/eu/b.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('fleet/eu/a.json', rawFixtureText('aks/az-aks-show-public.json'));
      await write('fleet/README.md', '# not a cluster');
      await write('fleet/eu/notes.txt', '{"not": "read"}');
      // Act
      const scan = await load('fleet');
      // Assess
      assert.deepEqual(
        { scopes: scan.scopes, names: scan.postures.map((posture) => posture.name), problems: scan.problems },
        {
          scopes: [
            { provider: 'snapshot', scope: 'fleet/eu/a.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'fleet/eu/b.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'fleet/z-last.json', status: 'ok', clusters: 1 },
          ],
          names: ['aks-tools', 'payments-prod', 'analytics'],
          problems: [],
        },
      );
    });

    it('reads a file once when it is given twice', async () => {
      // Prepare
      await write('fleet/eks.json', rawFixtureText('eks/describe-cluster-private.json'));
      // Act
      const scan = await load('fleet', 'fleet/eks.json');
      // Assess
      assert.deepEqual([scan.scopes.length, scan.postures.length, scan.problems], [1, 1, []]);
    });

    it('is a scope error when a folder holds no .json file or a path does not exist', async () => {
      // Prepare
      await write('empty/readme.txt', 'nothing here');
      // Act
      const scan = await load('empty', 'missing.json');
      // Assess
      assert.deepEqual(scan.scopes, [
        {
          provider: 'snapshot',
          scope: 'empty',
          status: 'error',
          error: 'the folder holds no .json files',
          clusters: 0,
        },
        {
          provider: 'snapshot',
          scope: 'missing.json',
          status: 'error',
          error: 'cannot read: no such file or folder',
          clusters: 0,
        },
      ]);
    });
  });

  describe('unreadable files', () => {
    it('reports truncated JSON with the position where the text ends and scans the other files', async () => {
      // Prepare
      await write('cut.json', '{"cluster": {"name": "x"');
      await write('good.json', rawFixtureText('eks/describe-cluster-private.json'));
      // Act
      const scan = await load('cut.json', 'good.json');
      // Assess
      const reason =
        'truncated JSON: the text ends at line 1, column 25 (character 24) before the document is complete';
      assert.deepEqual(
        { problems: scan.problems, scopes: scan.scopes, ids: scan.postures.map((posture) => posture.id) },
        {
          problems: [],
          scopes: [
            { provider: 'snapshot', scope: 'cut.json', status: 'error', error: reason, clusters: 0 },
            { provider: 'snapshot', scope: 'good.json', status: 'ok', clusters: 1 },
          ],
          ids: [EKS_PRIVATE],
        },
      );
    });

    it('reports invalid JSON with line, column and what was expected', async () => {
      // Prepare
      await write('bad.json', '{\n  "cluster": {\n    "name": \'x\'\n  }\n}\n');
      // Act
      const scan = await load('bad.json');
      // Assess
      assert.deepEqual(failures(scan), {
        scopeErrors: [
          ['bad.json', 'invalid JSON at line 3, column 13 (character 29): expected a value, found "\'"'],
        ],
        problems: [],
      });
    });

    it('reports an empty file', async () => {
      // Prepare
      await write('empty.json', '  \n');
      // Act
      const scan = await load('empty.json');
      // Assess
      assert.deepEqual(failures(scan), { scopeErrors: [['empty.json', 'the file is empty']], problems: [] });
    });

    it('reports a shape it does not know, with its top-level keys', async () => {
      // Prepare
      await write('other.json', { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' } });
      // Act
      const scan = await load('other.json');
      // Assess
      assert.deepEqual(failures(scan), {
        scopeErrors: [
          [
            'other.json',
            'the file holds an object with keys "kind", "apiVersion", "metadata"; expected the JSON output of aws eks describe-cluster, ' +
              'gcloud container clusters describe|list, az aks show|list, ARM managedClusters, az monitor diagnostic-settings list, ' +
              'or a kubeline in-cluster export (kind KubelineInClusterExport)',
          ],
        ],
        problems: [],
      });
    });

    it('explains that aws eks list-clusters output holds names only', async () => {
      // Prepare
      await write('names.json', { clusters: ['payments-prod', 'web-auto'] });
      // Act
      const scan = await load('names.json');
      // Assess
      assert.deepEqual(failures(scan), {
        scopeErrors: [
          [
            'names.json',
            'the file holds cluster names only (aws eks list-clusters output); export each cluster with aws eks describe-cluster',
          ],
        ],
        problems: [],
      });
    });

    it('refuses a file over the size limit', async () => {
      // Prepare
      await write('big.json', `${' '.repeat(3 * 1024 * 1024)}{}`);
      // Act
      const scan = await loadSnapshots(['big.json'], { cwd: dir, maxFileBytes: 2 * 1024 * 1024 });
      // Assess
      assert.deepEqual(failures(scan), {
        scopeErrors: [
          [
            'big.json',
            'the file is 3.0 MiB, over the 2.0 MiB limit for one snapshot file; export fewer clusters per file',
          ],
        ],
        problems: [],
      });
    });
  });

  describe('one bad cluster among good ones', () => {
    it('loads the other clusters of a list and reports the broken one by entry and name', async () => {
      // Prepare
      const orphan = withField(rawFixture('gke/cluster-standard-private.json'), 'selfLink', undefined);
      await write('gke.json', [
        rawFixture('gke/cluster-endpoints-config.json'),
        withField(orphan, 'name', 'orphan'),
        rawFixture('gke/cluster-snake-case.json'),
      ]);
      // Act
      const scan = await load('gke.json');
      // Assess
      const reason =
        'entry 2: GKE cluster "orphan" has no selfLink (or no location) to derive projects/P/locations/L/clusters/C from';
      assert.deepEqual(
        { names: scan.postures.map((posture) => posture.name), problems: scan.problems, scopes: scan.scopes },
        {
          names: ['search-dev', 'analytics'],
          problems: [{ file: 'gke.json', cluster: 'orphan', reason }],
          scopes: [{ provider: 'snapshot', scope: 'gke.json', status: 'ok', clusters: 2 }],
        },
      );
    });

    it('reports list entries that are not clusters and keeps the clusters', async () => {
      // Prepare
      await write('mixed.json', [rawFixture('aks/az-aks-show-public.json'), { hello: 'world' }, 42]);
      // Act
      const scan = await load('mixed.json');
      // Assess
      assert.deepEqual(
        { ids: scan.postures.map((posture) => posture.id), problems: scan.problems, scope: scan.scopes[0] },
        {
          ids: [AKS_TOOLS],
          problems: [
            {
              file: 'mixed.json',
              reason:
                'entry 2: holds an object with keys "hello"; expected the JSON output of aws eks describe-cluster, ' +
                'gcloud container clusters describe|list, az aks show|list, ARM managedClusters, az monitor diagnostic-settings list, ' +
                'or a kubeline in-cluster export (kind KubelineInClusterExport)',
            },
            { file: 'mixed.json', reason: 'entry 3: holds a JSON number, not a cluster' },
          ],
          scope: { provider: 'snapshot', scope: 'mixed.json', status: 'ok', clusters: 1 },
        },
      );
    });
  });

  describe('duplicates', () => {
    it('reads the copy in the first file by path whatever order the files come in, and names both in a notice', async () => {
      // Prepare
      await write('a.json', rawFixtureText('eks/describe-cluster-private.json'));
      await write('b.json', [
        { cluster: eksCluster('describe-cluster-auto-mode.json') },
        rawFixture('eks/describe-cluster-private.json'),
      ]);
      // Act
      const scan = await load('b.json', 'a.json');
      // Assess
      assert.deepEqual(
        { origins: origins(scan), problems: scan.problems, notices: scan.notices, scopes: scan.scopes },
        {
          origins: [
            [EKS_AUTO, 'b.json', 'aws eks describe-cluster'],
            [EKS_PRIVATE, 'a.json', 'aws eks describe-cluster'],
          ],
          problems: [],
          notices: [
            {
              files: ['a.json', 'b.json'],
              cluster: EKS_PRIVATE,
              message: 'exported twice, in a.json and in b.json (entry 2); the copy in a.json is read',
            },
          ],
          scopes: [
            { provider: 'snapshot', scope: 'b.json', status: 'ok', clusters: 1 },
            { provider: 'snapshot', scope: 'a.json', status: 'ok', clusters: 1 },
          ],
        },
      );
    });

    it('keeps the first of two copies in one list and says when the copies differ', async () => {
      // Prepare
      const cluster = rawFixture('eks/describe-cluster-private.json');
      await write('list.json', [
        cluster,
        withField(cluster, 'cluster.resourcesVpcConfig.endpointPublicAccess', true),
      ]);
      // Act
      const scan = await load('list.json');
      // Assess
      assert.deepEqual(
        {
          public: scan.postures.map((posture) => Reflect.get(posture.endpoint.publicAccess, 'value')),
          problems: scan.problems,
          notices: scan.notices,
        },
        {
          public: [false],
          problems: [],
          notices: [
            {
              files: ['list.json'],
              cluster: EKS_PRIVATE,
              message:
                'exported twice, in list.json (entry 1) and in list.json (entry 2); the copy in list.json (entry 1) is read, ' +
                'but the copies differ: check which export is current',
            },
          ],
        },
      );
    });

    it('treats AKS ids that differ only in case as the same cluster', async () => {
      // Prepare
      await write('a.json', rawFixtureText('aks/az-aks-show-public.json'));
      await write(
        'b.json',
        withField(rawFixture('aks/az-aks-show-public.json'), 'id', AKS_TOOLS.toUpperCase()),
      );
      // Act
      const scan = await load('a.json', 'b.json');
      // Assess
      assert.deepEqual(
        [scan.postures.length, scan.problems, scan.notices.map((notice) => notice.files)],
        [1, [], [['a.json', 'b.json']]],
      );
    });
  });

  describe('clusters that lack what every real export carries', () => {
    for (const [what, file, document, reason] of [
      [
        'a GKE object with a GKE field but no status or master version',
        'thin.json',
        {
          name: 'thin',
          selfLink: 'https://container.googleapis.com/v1/projects/p/locations/us-central1/clusters/thin',
          location: 'us-central1',
          legacyAbac: {},
        },
        'incomplete GKE cluster "thin": it lacks status and currentMasterVersion, which every GKE cluster has; ' +
          'export it again with gcloud container clusters describe --format=json',
      ],
      [
        'gcloud snake_case output without a location or zone',
        'snake.json',
        withField(rawFixture('gke/cluster-snake-case.json'), 'location', undefined),
        'incomplete GKE cluster "analytics": it lacks location (or zone), which every GKE cluster has; ' +
          'export it again with gcloud container clusters describe --format=json',
      ],
      [
        'aws eks describe-cluster output without status',
        'eks.json',
        withField(rawFixture('eks/describe-cluster-private.json'), 'cluster.status', undefined),
        'incomplete EKS cluster "payments-prod": it lacks status, which every EKS cluster has; ' +
          'export it again with aws eks describe-cluster --output json',
      ],
      [
        'a Go SDK dump whose version is null',
        'go.json',
        withField(rawFixture('eks/describe-cluster-public-go-sdk.json'), 'Cluster.Version', null),
        'incomplete EKS cluster "legacy-batch": it lacks version, which every EKS cluster has; ' +
          'export it again with aws eks describe-cluster --output json',
      ],
      [
        'ARM JSON without a provisioning state',
        'arm.json',
        withField(
          rawFixture('aks/managed-cluster-arm-private.json'),
          'properties.provisioningState',
          undefined,
        ),
        'incomplete AKS cluster "aks-payments": it lacks provisioningState, which every AKS cluster has; ' +
          'export it again with az aks show --output json',
      ],
      [
        'az aks show output without any Kubernetes version or location',
        'show.json',
        withField(
          withField(
            withField(rawFixture('aks/az-aks-show-public.json'), 'kubernetesVersion', undefined),
            'currentKubernetesVersion',
            undefined,
          ),
          'location',
          undefined,
        ),
        'incomplete AKS cluster "aks-tools": it lacks location and kubernetesVersion (or currentKubernetesVersion), ' +
          'which every AKS cluster has; export it again with az aks show --output json',
      ],
    ] as const) {
      it(`names the file and the missing fields for ${what}, and reads the other files`, async () => {
        // Prepare
        await write(file, document);
        await write('good.json', rawFixtureText('gke/cluster-standard-private.json'));
        // Act
        const scan = await load(file, 'good.json');
        // Assess
        const name = /"([^"]+)"/.exec(reason)?.[1] ?? '';
        assert.deepEqual(
          {
            names: scan.postures.map((posture) => posture.name),
            problems: scan.problems,
            scopes: scan.scopes,
          },
          {
            names: ['checkout-prod'],
            problems: [{ file, cluster: name, reason }],
            scopes: [
              { provider: 'snapshot', scope: file, status: 'ok', clusters: 0 },
              { provider: 'snapshot', scope: 'good.json', status: 'ok', clusters: 1 },
            ],
          },
        );
      });
    }

    it('numbers an incomplete entry of a list and keeps the complete ones', async () => {
      // Prepare
      await write('list.json', [
        rawFixture('aks/az-aks-show-public.json'),
        withField(rawFixture('aks/az-aks-show-automatic.json'), 'provisioningState', undefined),
      ]);
      // Act
      const scan = await load('list.json');
      // Assess
      assert.deepEqual(
        { ids: scan.postures.map((posture) => posture.id), problems: scan.problems },
        {
          ids: [AKS_TOOLS],
          problems: [
            {
              file: 'list.json',
              cluster: 'aks-apps-auto',
              reason:
                'entry 2: incomplete AKS cluster "aks-apps-auto": it lacks provisioningState, which every AKS cluster has; ' +
                'export it again with az aks show --output json',
            },
          ],
        },
      );
    });

    it('does not report diagnostic settings as orphans when their cluster is incomplete', async () => {
      // Prepare
      await write(
        'tools.json',
        withField(rawFixture('aks/az-aks-show-public.json'), 'provisioningState', undefined),
      );
      await write('settings.json', rawFixtureText('aks/diagnostic-settings-arm.json'));
      // Act
      const scan = await load('tools.json', 'settings.json');
      // Assess
      assert.deepEqual(
        scan.problems.map((problem) => problem.file),
        ['tools.json'],
      );
    });

    it('stays on one short line for hostile values: numbers for strings, huge names', async () => {
      // Prepare
      await write('hostile.json', [
        { cluster: { name: 42, arn: 'x'.repeat(1_000_000), status: ['ACTIVE'] } },
        { name: 'n'.repeat(1_000_000), currentMasterVersion: 7, legacyAbac: 'yes' },
      ]);
      // Act
      const scan = await load('hostile.json');
      // Assess
      assert.deepEqual(
        scan.problems.map((problem) => [
          problem.cluster?.length,
          problem.reason.length < 300,
          problem.reason.includes('\n'),
        ]),
        [
          [undefined, true, false],
          [201, true, false],
        ],
      );
    });
  });

  describe('redacted exports', () => {
    it('reads an EKS cluster whose ARN has the account masked, with a redacted scope', async () => {
      // Prepare
      const arn = 'arn:aws:eks:eu-central-2:**********:cluster/payments-prod';
      await write(
        'masked.json',
        withField(rawFixture('eks/describe-cluster-private.json'), 'cluster.arn', arn),
      );
      // Act
      const scan = await load('masked.json');
      // Assess
      assert.deepEqual(
        {
          identity: scan.postures.map((posture) => [posture.id, posture.scope, posture.location]),
          scopes: scan.scopes,
          problems: scan.problems,
        },
        {
          identity: [[arn, 'redacted', 'eu-central-2']],
          scopes: [{ provider: 'snapshot', scope: 'masked.json', status: 'ok', clusters: 1 }],
          problems: [],
        },
      );
    });

    it('records a malformed ARN once, saying what is wrong with it', async () => {
      // Prepare
      const arn = 'arn:aws:eks:eu-central-2:1234:cluster/payments-prod';
      await write(
        'typo.json',
        withField(rawFixture('eks/describe-cluster-private.json'), 'cluster.arn', arn),
      );
      // Act
      const scan = await load('typo.json');
      // Assess
      assert.deepEqual(failures(scan), {
        scopeErrors: [],
        problems: [
          {
            file: 'typo.json',
            cluster: 'payments-prod',
            reason: `EKS cluster "payments-prod": its arn "${arn}" has the account id "1234", which is not 12 digits`,
          },
        ],
      });
    });
  });

  describe('hostile strings', () => {
    it('carries hostile names and tags from every cloud through unchanged', async () => {
      // Prepare
      await write('<b>hostile</b>.json', [
        rawFixture('eks/describe-cluster-hostile.json'),
        rawFixture('gke/cluster-hostile.json'),
        rawFixture('aks/az-aks-show-hostile.json'),
      ]);
      // Act
      const scan = await load('<b>hostile</b>.json');
      // Assess
      assert.deepEqual(
        {
          names: scan.postures.map((posture) => posture.name),
          tagKeys: scan.postures.map((posture) => Object.keys(posture.tags)),
          scopes: scan.scopes,
          problems: scan.problems,
        },
        {
          names: ['<script>alert(1)</script>', '<script>alert(1)</script>', '<script>alert(1)</script>'],
          tagKeys: [
            ['{{constructor}}', 'owner"quoted', '__proto__', 'constructor'],
            ['{{constructor}}', 'quote"key', '__proto__'],
            ['{{constructor}}', "it's", '__proto__'],
          ],
          scopes: [{ provider: 'snapshot', scope: '<b>hostile</b>.json', status: 'ok', clusters: 3 }],
          problems: [],
        },
      );
    });
  });
});
