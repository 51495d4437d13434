import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { known } from '../../model/observed.js';
import { cloudAccess, eksTokenSource } from '../../providers/kubernetes/access.js';
import { withInClusterPass } from '../../providers/kubernetes/pass.js';
import { IN_CLUSTER_PERMISSIONS } from '../../providers/kubernetes/permissions.js';
import { eksPosture } from '../fixtures/postures.js';
import { loadKubeFixture } from '../peers/k8s/fixtures.js';
import { startKubePeer } from '../peers/k8s/kubePeer.js';

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

async function documents(): Promise<Record<string, unknown>[]> {
  const text = await readFile(
    new URL('../../infra/k8s/kubeline-read.clusterrole.yaml', import.meta.url),
    'utf8',
  );
  return parseAllDocuments(text).map((document) => document.toJS() as Record<string, unknown>);
}

/** One line per (group, resource, verb, names) a rule grants, sorted: the grant as a flat set. */
function grantsOf(rules: readonly Rule[]): string[] {
  return rules
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.map((verb) => `${group}|${resource}|${verb}|${(rule.resourceNames ?? []).join(',')}`),
        ),
      ),
    )
    .sort();
}

describe('infra/k8s least-privilege ClusterRole', () => {
  it('grants exactly the requests providers/kubernetes/permissions.ts declares', async () => {
    // Prepare
    const [role] = await documents();
    // Act
    const granted = grantsOf((role?.rules ?? []) as Rule[]);
    // Assess
    const declared = IN_CLUSTER_PERMISSIONS.map(
      (permission) =>
        `${permission.apiGroup}|${permission.resource}|${permission.verb}|${('resourceNames' in permission ? permission.resourceNames : []).join(',')}`,
    ).sort();
    assert.deepEqual(granted, declared);
  });

  it('reads only: no write verb, no wildcard, no Secrets', async () => {
    const [role] = await documents();
    const rules = (role?.rules ?? []) as Rule[];
    assert.deepEqual(
      {
        verbs: [...new Set(rules.flatMap((rule) => rule.verbs))].sort(),
        wildcards: rules.filter((rule) =>
          [...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*'),
        ),
        secrets: rules.filter((rule) => rule.resources.includes('secrets')),
      },
      { verbs: ['get', 'list'], wildcards: [], secrets: [] },
    );
  });

  it('binds the role to the group the cloud bindings use', async () => {
    const [role, binding] = await documents();
    assert.deepEqual(
      { kind: role?.kind, binding },
      {
        kind: 'ClusterRole',
        binding: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'kubeline-read', labels: { 'app.kubernetes.io/name': 'kubeline' } },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubeline-read' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeline-readers' }],
        },
      },
    );
  });

  it('grants exactly what a full in-cluster pass requested from the Kubernetes API peer', async () => {
    // Prepare
    const signedAt = new Date('2028-02-29T12:00:00Z');
    const keys = { accessKeyId: 'AKIAKUBELINEINFRA001', secretAccessKey: 'kubeline-infra-test-secret' };
    const peer = await startKubePeer({
      clusterName: 'prod',
      eks: { secrets: { [keys.accessKeyId]: keys.secretAccessKey } },
      now: () => signedAt,
    });
    try {
      peer.seed(await loadKubeFixture('compliant'));
      const posture = eksPosture({
        name: 'prod',
        apiServer: known(
          { url: peer.url, caData: peer.caData },
          { path: 'cluster.endpoint', value: peer.url },
        ),
      });
      const source = withInClusterPass(
        { name: 'fixture', collect: async () => ({ postures: [posture], scopes: [], problems: [] }) },
        {
          access: cloudAccess({
            tokens: {
              eks: eksTokenSource(
                () => keys,
                () => signedAt,
              ),
            },
          }),
          concurrency: 1,
          timeoutMs: 10_000,
          nodesPerPool: 1,
          pageSize: 500,
          skip: [],
        },
      );
      // Act
      await source.collect();
      // Assess
      const requested = new Set(
        peer.requests().map((request) => {
          const permission = IN_CLUSTER_PERMISSIONS.find((candidate) =>
            requestMatches(request.path, candidate.resource, 'resourceNames' in candidate),
          );
          return `${request.method} ${permission ? `${permission.apiGroup}|${permission.resource}|${permission.verb}` : request.path} ${request.status}`;
        }),
      );
      const [role] = await documents();
      const granted = grantsOf((role?.rules ?? []) as Rule[]).map((grant) => {
        const [group, resource, verb] = grant.split('|');
        return `GET ${group}|${resource}|${verb} 200`;
      });
      assert.deepEqual([...requested].sort(), granted.sort());
    } finally {
      await peer.close();
    }
  });
});

/** Which declared permission a request path exercises: `/api/v1/nodes/n/proxy/configz` is nodes/proxy. */
function requestMatches(path: string, resource: string, named: boolean): boolean {
  if (resource === 'nodes/proxy') return /\/nodes\/[^/]+\/proxy\//.test(path);
  if (named) return path.endsWith(`/${resource}/aws-auth`);
  return path.endsWith(`/${resource}`);
}
