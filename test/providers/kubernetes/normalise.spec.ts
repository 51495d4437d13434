import assert from 'node:assert/strict';
import type { InClusterRaw } from '../../../model/inCluster.js';
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { known, unknown } from '../../../model/observed.js';
import { normaliseInCluster, observeApiServer } from '../../../providers/kubernetes/normalise.js';

/** A Kubernetes List object as the API returns it. */
function list(kind: string, items: readonly JsonValue[], resourceVersion = '4711'): JsonObject {
  return { kind, apiVersion: 'v1', metadata: { resourceVersion }, items };
}

const CRB = (name: string, role: string, subjects?: JsonValue): JsonObject => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  ...(subjects === undefined ? {} : { subjects }),
});

function eks(raw: InClusterRaw) {
  return normaliseInCluster(raw, { provider: 'eks' });
}

describe('normaliseInCluster', () => {
  describe('bindings', () => {
    it('reads ClusterRoleBindings with their subjects, and the list resourceVersion as evidence', () => {
      // Prepare
      const raw: InClusterRaw = {
        clusterrolebindings: list('ClusterRoleBindingList', [
          CRB('cluster-admin', 'cluster-admin', [
            { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' },
          ]),
          CRB('ci', 'edit', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]),
          CRB('empty', 'view'),
        ]),
      };
      // Act
      const facts = eks(raw);
      // Assess
      assert.deepEqual(
        facts.clusterRoleBindings,
        known(
          [
            {
              kind: 'ClusterRoleBinding',
              name: 'cluster-admin',
              roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [{ kind: 'Group', name: 'system:masters' }],
            },
            {
              kind: 'ClusterRoleBinding',
              name: 'ci',
              roleRef: { kind: 'ClusterRole', name: 'edit' },
              subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
            },
            {
              kind: 'ClusterRoleBinding',
              name: 'empty',
              roleRef: { kind: 'ClusterRole', name: 'view' },
              subjects: [],
            },
          ],
          { path: 'clusterrolebindings.metadata.resourceVersion', value: '4711' },
        ),
      );
    });

    it("reads RoleBindings; a ServiceAccount subject without a namespace is the binding's own", () => {
      const raw: InClusterRaw = {
        rolebindings: list('RoleBindingList', [
          {
            metadata: { name: 'read', namespace: 'shop' },
            roleRef: { kind: 'Role', name: 'reader' },
            subjects: [
              { kind: 'ServiceAccount', name: 'default' },
              { kind: 'User', name: 'jane' },
            ],
          },
        ]),
      };
      assert.deepEqual(
        eks(raw).roleBindings,
        known(
          [
            {
              kind: 'RoleBinding',
              name: 'read',
              namespace: 'shop',
              roleRef: { kind: 'Role', name: 'reader' },
              subjects: [
                { kind: 'ServiceAccount', name: 'default', namespace: 'shop' },
                { kind: 'User', name: 'jane' },
              ],
            },
          ],
          { path: 'rolebindings.metadata.resourceVersion', value: '4711' },
        ),
      );
    });

    const malformed: readonly [string, JsonValue, string, { path: string; value: JsonValue }][] = [
      [
        'an item that is not an object',
        'x',
        'clusterrolebindings.items[1] is the string "x", expected an object',
        { path: 'clusterrolebindings.items[1]', value: 'x' },
      ],
      [
        'an item without a name',
        { metadata: {}, roleRef: { kind: 'ClusterRole', name: 'view' } },
        'clusterrolebindings.items[1].metadata.name absent, expected a name',
        { path: 'clusterrolebindings.items[1].metadata.name', value: null },
      ],
      [
        'a name that is not a string',
        { metadata: { name: 7 } },
        'clusterrolebindings.items[1].metadata.name is the number 7, expected a string',
        { path: 'clusterrolebindings.items[1].metadata.name', value: 7 },
      ],
      [
        'metadata that is not an object',
        { metadata: 'm' },
        'clusterrolebindings.items[1].metadata is the string "m", expected an object',
        { path: 'clusterrolebindings.items[1].metadata', value: 'm' },
      ],
      [
        'a roleRef of an unknown kind',
        { metadata: { name: 'b' }, roleRef: { kind: 'Thing', name: 'x' } },
        'clusterrolebindings[name=b].roleRef.kind is the string "Thing", expected "ClusterRole" or "Role"',
        { path: 'clusterrolebindings[name=b].roleRef.kind', value: 'Thing' },
      ],
      [
        'a roleRef without a name',
        { metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole' } },
        'clusterrolebindings[name=b].roleRef.name absent, expected a role name',
        { path: 'clusterrolebindings[name=b].roleRef.name', value: null },
      ],
      [
        'subjects that are not a list',
        CRB('b', 'view', { kind: 'User' }),
        'clusterrolebindings[name=b].subjects is an object, expected a list',
        { path: 'clusterrolebindings[name=b].subjects', value: { kind: 'User' } },
      ],
      [
        'a subject that is not an object',
        CRB('b', 'view', [null]),
        'clusterrolebindings[name=b].subjects[0] absent, expected an object',
        { path: 'clusterrolebindings[name=b].subjects[0]', value: null },
      ],
      [
        'a subject of an unknown kind',
        CRB('b', 'view', [{ kind: 'Robot', name: 'r2' }]),
        'clusterrolebindings[name=b].subjects[0].kind is the string "Robot", expected "User", "Group" or "ServiceAccount"',
        { path: 'clusterrolebindings[name=b].subjects[0].kind', value: 'Robot' },
      ],
      [
        'a subject without a name',
        CRB('b', 'view', [{ kind: 'User', name: '' }]),
        'clusterrolebindings[name=b].subjects[0].name is the string "", expected a subject name',
        { path: 'clusterrolebindings[name=b].subjects[0].name', value: '' },
      ],
      [
        'a ServiceAccount subject of a ClusterRoleBinding without a namespace',
        CRB('b', 'view', [{ kind: 'ServiceAccount', name: 'sa' }]),
        'clusterrolebindings[name=b].subjects[0].namespace absent, expected the ServiceAccount namespace',
        { path: 'clusterrolebindings[name=b].subjects[0].namespace', value: null },
      ],
      [
        'a ServiceAccount subject whose namespace is not a string',
        CRB('b', 'view', [{ kind: 'ServiceAccount', name: 'sa', namespace: 3 }]),
        'clusterrolebindings[name=b].subjects[0].namespace is the number 3, expected the ServiceAccount namespace',
        { path: 'clusterrolebindings[name=b].subjects[0].namespace', value: 3 },
      ],
    ];
    for (const [what, item, reason, source] of malformed) {
      it(`makes the whole list unknown for ${what}: dropping it could hide a binding`, () => {
        const raw: InClusterRaw = { clusterrolebindings: { items: [CRB('fine', 'view', []), item] } };
        assert.deepEqual(eks(raw).clusterRoleBindings, unknown(reason, source));
      });
    }

    it('is unknown for a RoleBinding without a namespace', () => {
      const raw: InClusterRaw = {
        rolebindings: { items: [{ metadata: { name: 'r' }, roleRef: { kind: 'Role', name: 'x' } }] },
      };
      assert.deepEqual(
        eks(raw).roleBindings,
        unknown('rolebindings.items[0].metadata.namespace absent, expected a namespace', {
          path: 'rolebindings.items[0].metadata.namespace',
          value: null,
        }),
      );
    });

    it('is unknown for a RoleBinding whose namespace is not a string', () => {
      const raw: InClusterRaw = {
        rolebindings: { items: [{ metadata: { name: 'r', namespace: ['a'] } }] },
      };
      assert.deepEqual(
        eks(raw).roleBindings,
        unknown('rolebindings.items[0].metadata.namespace is a list, expected a string', {
          path: 'rolebindings.items[0].metadata.namespace',
          value: ['a'],
        }),
      );
    });
  });

  describe('resources not read, or not Lists', () => {
    it('gives the collector error, cut short, and leaves the other resources decided', () => {
      // Prepare
      const raw: InClusterRaw = {
        namespaces: list('NamespaceList', [{ metadata: { name: 'shop' } }]),
        errors: {
          clusterrolebindings: '403 Forbidden: clusterrolebindings.rbac.authorization.k8s.io is forbidden',
          rolebindings: `timed out ${'x'.repeat(400)}`,
        },
      };
      // Act
      const facts = eks(raw);
      // Assess
      assert.deepEqual(
        {
          clusterRoleBindings: facts.clusterRoleBindings,
          roleBindings: facts.roleBindings,
          namespaces: facts.namespaces,
        },
        {
          clusterRoleBindings: unknown(
            'clusterrolebindings could not be read from the API server: 403 Forbidden: clusterrolebindings.rbac.authorization.k8s.io is forbidden',
          ),
          roleBindings: unknown(
            `rolebindings could not be read from the API server: timed out ${'x'.repeat(290)}…`,
          ),
          namespaces: known([{ name: 'shop', podSecurityEnforce: null }], {
            path: 'namespaces.metadata.resourceVersion',
            value: '4711',
          }),
        },
      );
    });

    it('is unknown for every resource absent from the bundle, never an empty list', () => {
      const facts = normaliseInCluster({}, { provider: 'gke' });
      assert.deepEqual(facts, {
        clusterRoleBindings: unknown('clusterrolebindings absent from the in-cluster read'),
        roleBindings: unknown('rolebindings absent from the in-cluster read'),
        clusterRoles: unknown('clusterroles absent from the in-cluster read'),
        awsAuth: unknown('kube-system/aws-auth is an EKS ConfigMap: read on EKS clusters only'),
        namespaces: unknown('namespaces absent from the in-cluster read'),
        networkPolicies: unknown('networkpolicies absent from the in-cluster read'),
        nodeCount: unknown('nodes absent from the in-cluster read'),
        kubelets: unknown('configz absent from the in-cluster read'),
        daemonSets: unknown('daemonsets absent from the in-cluster read'),
      });
    });

    it('is unknown for a List without items, or a list that is not an object', () => {
      const raw = {
        namespaces: { kind: 'NamespaceList' },
        networkpolicies: [1, 2],
        daemonsets: { items: 'none' },
        errors: 'not an object',
      } as unknown as InClusterRaw;
      const facts = eks(raw);
      assert.deepEqual(
        {
          namespaces: facts.namespaces,
          networkPolicies: facts.networkPolicies,
          daemonSets: facts.daemonSets,
        },
        {
          namespaces: unknown('namespaces.items absent: not a Kubernetes List object', {
            path: 'namespaces.items',
            value: null,
          }),
          networkPolicies: unknown('networkpolicies is a list, expected a Kubernetes List object', {
            path: 'networkpolicies',
            value: [1, 2],
          }),
          daemonSets: unknown('daemonsets.items is the string "none", expected a list', {
            path: 'daemonsets.items',
            value: 'none',
          }),
        },
      );
    });

    it('ignores an error entry that is not a string', () => {
      const raw = {
        namespaces: list('NamespaceList', []),
        errors: { namespaces: 42 },
      } as unknown as InClusterRaw;
      assert.deepEqual(
        eks(raw).namespaces,
        known([], { path: 'namespaces.metadata.resourceVersion', value: '4711' }),
      );
    });

    it('survives a bundle that is not an object at all', () => {
      const facts = eks(null as unknown as InClusterRaw);
      assert.deepEqual(facts.nodeCount, unknown('nodes absent from the in-cluster read'));
    });
  });

  describe('items without a name', () => {
    const fields = {
      clusterroles: 'clusterRoles',
      namespaces: 'namespaces',
      networkpolicies: 'networkPolicies',
      nodes: 'nodeCount',
      daemonsets: 'daemonSets',
    } as const;
    for (const [resource, field] of Object.entries(fields)) {
      it(`makes ${resource} unknown, naming the item`, () => {
        const facts = eks({ [resource]: { items: [{ metadata: { namespace: 'n' } }] } });
        assert.deepEqual(
          facts[field],
          unknown(`${resource}.items[0].metadata.name absent, expected a name`, {
            path: `${resource}.items[0].metadata.name`,
            value: null,
          }),
        );
      });
    }
  });

  describe('ClusterRoles', () => {
    it('reads rules, with absent lists as empty, and a role without rules', () => {
      const raw: InClusterRaw = {
        clusterroles: list('ClusterRoleList', [
          {
            metadata: { name: 'ops' },
            rules: [
              { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
              { verbs: ['get'], nonResourceURLs: ['/healthz'] },
            ],
          },
          { metadata: { name: 'aggregated' }, aggregationRule: {} },
        ]),
      };
      assert.deepEqual(
        eks(raw).clusterRoles,
        known(
          [
            {
              name: 'ops',
              rules: [
                { verbs: ['*'], apiGroups: [''], resources: ['pods'], nonResourceURLs: [] },
                { verbs: ['get'], apiGroups: [], resources: [], nonResourceURLs: ['/healthz'] },
              ],
            },
            { name: 'aggregated', rules: [] },
          ],
          { path: 'clusterroles.metadata.resourceVersion', value: '4711' },
        ),
      );
    });

    for (const [what, role, reason, source] of [
      [
        'rules that are not a list',
        { metadata: { name: 'r' }, rules: {} },
        'clusterroles[name=r].rules is an object, expected a list',
        { path: 'clusterroles[name=r].rules', value: {} },
      ],
      [
        'a rule that is not an object',
        { metadata: { name: 'r' }, rules: ['*'] },
        'clusterroles[name=r].rules[0] is the string "*", expected an object',
        { path: 'clusterroles[name=r].rules[0]', value: '*' },
      ],
      [
        'a verb that is not a string',
        { metadata: { name: 'r' }, rules: [{ verbs: [true] }] },
        'clusterroles[name=r].rules[0].verbs[0] is the boolean true, expected a string',
        { path: 'clusterroles[name=r].rules[0].verbs[0]', value: true },
      ],
    ] as const) {
      it(`is unknown for ${what}`, () => {
        assert.deepEqual(eks({ clusterroles: { items: [role] } }).clusterRoles, unknown(reason, source));
      });
    }
  });

  describe('aws-auth', () => {
    const CONFIG_MAP = (data: JsonObject): JsonObject => ({
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data,
    });
    const MAP_ROLES =
      '- rolearn: arn:aws:iam::111111111111:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';
    const MAP_USERS = '- userarn: arn:aws:iam::111111111111:user/ops\n  groups: [system:masters]\n';

    it('reads mapRoles and mapUsers, with the raw strings as evidence', () => {
      const facts = eks({ awsAuth: CONFIG_MAP({ mapRoles: MAP_ROLES, mapUsers: MAP_USERS }) });
      assert.deepEqual(
        facts.awsAuth,
        known(
          [
            {
              kind: 'role',
              arn: 'arn:aws:iam::111111111111:role/nodes',
              username: 'system:node:{{EC2PrivateDNSName}}',
              groups: ['system:bootstrappers', 'system:nodes'],
            },
            {
              kind: 'user',
              arn: 'arn:aws:iam::111111111111:user/ops',
              username: null,
              groups: ['system:masters'],
            },
          ],
          { path: 'awsAuth.data.mapRoles', value: MAP_ROLES },
          { path: 'awsAuth.data.mapUsers', value: MAP_USERS },
        ),
      );
    });

    it('reads a ConfigMap that does not exist (404) as null, and one without data as no mappings', () => {
      assert.deepEqual(eks({ awsAuth: null }).awsAuth, known(null, { path: 'awsAuth', value: null }));
      assert.deepEqual(
        eks({ awsAuth: { metadata: { name: 'aws-auth' } } }).awsAuth,
        known(
          [],
          { path: 'awsAuth.data.mapRoles', value: null },
          { path: 'awsAuth.data.mapUsers', value: null },
        ),
      );
      assert.deepEqual(
        eks({ awsAuth: CONFIG_MAP({ mapRoles: '' }) }).awsAuth,
        known(
          [],
          { path: 'awsAuth.data.mapRoles', value: '' },
          { path: 'awsAuth.data.mapUsers', value: null },
        ),
      );
    });

    it('is unknown when not read, absent, or when it is not a ConfigMap', () => {
      assert.deepEqual(
        eks({ errors: { awsAuth: '403 Forbidden' } }).awsAuth,
        unknown('awsAuth could not be read from the API server: 403 Forbidden'),
      );
      assert.deepEqual(eks({}).awsAuth, unknown('awsAuth absent from the in-cluster read'));
      assert.deepEqual(
        eks({ awsAuth: 'cm' } as unknown as InClusterRaw).awsAuth,
        unknown('awsAuth is the string "cm", expected a ConfigMap or null', { path: 'awsAuth', value: 'cm' }),
      );
    });

    for (const [what, data, reason, path] of [
      [
        'mapRoles that is not a string',
        { mapRoles: 5 },
        'awsAuth.data.mapRoles is the number 5, expected a string',
        'awsAuth.data.mapRoles',
      ],
      [
        'mapRoles that is not YAML',
        { mapRoles: '- a: [' },
        'awsAuth.data.mapRoles is not YAML',
        'awsAuth.data.mapRoles',
      ],
      [
        'mapUsers that is not a list',
        { mapUsers: 'userarn: x' },
        'awsAuth.data.mapUsers is not a YAML list',
        'awsAuth.data.mapUsers',
      ],
      [
        'an entry that is not a mapping',
        { mapRoles: '- just-a-string' },
        'awsAuth.data.mapRoles[0] is the string "just-a-string", expected a mapping',
        'awsAuth.data.mapRoles',
      ],
      [
        'an entry without its ARN',
        { mapRoles: '- username: x' },
        'awsAuth.data.mapRoles[0].rolearn absent, expected an ARN',
        'awsAuth.data.mapRoles',
      ],
      [
        'a username that is not a string',
        { mapUsers: '- userarn: a\n  username: [x]' },
        'awsAuth.data.mapUsers[0].username is a list, expected a string',
        'awsAuth.data.mapUsers',
      ],
      [
        'groups that are not strings',
        { mapRoles: '- rolearn: a\n  groups: [1]' },
        'awsAuth.data.mapRoles[0].groups[0] is the number 1, expected a string',
        'awsAuth.data.mapRoles',
      ],
    ] as const) {
      it(`is unknown for ${what}: a mapping it cannot read could be into system:masters`, () => {
        const facts = eks({ awsAuth: CONFIG_MAP(data) });
        assert.deepEqual(
          facts.awsAuth,
          unknown(reason, { path, value: (data as JsonObject)[path.split('.')[2] ?? ''] ?? null }),
        );
      });
    }
  });

  describe('namespaces and network policies', () => {
    it('reads the Pod Security enforce label by its exact key', () => {
      const raw: InClusterRaw = {
        namespaces: list('NamespaceList', [
          { metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
          { metadata: { name: 'legacy', labels: { 'Pod-Security.kubernetes.io/Enforce': 'baseline' } } },
        ]),
        networkpolicies: list('NetworkPolicyList', [{ metadata: { name: 'deny-all', namespace: 'shop' } }]),
      };
      const facts = eks(raw);
      assert.deepEqual(
        { namespaces: facts.namespaces, networkPolicies: facts.networkPolicies },
        {
          namespaces: known(
            [
              { name: 'shop', podSecurityEnforce: 'restricted' },
              { name: 'legacy', podSecurityEnforce: null },
            ],
            { path: 'namespaces.metadata.resourceVersion', value: '4711' },
          ),
          networkPolicies: known([{ namespace: 'shop', name: 'deny-all' }], {
            path: 'networkpolicies.metadata.resourceVersion',
            value: '4711',
          }),
        },
      );
    });

    it('is unknown when the enforce label is not a string', () => {
      const raw: InClusterRaw = {
        namespaces: {
          items: [{ metadata: { name: 'x', labels: { 'pod-security.kubernetes.io/enforce': 1 } } }],
        },
      };
      assert.deepEqual(
        eks(raw).namespaces,
        unknown(
          'namespaces[name=x].metadata.labels.pod-security.kubernetes.io/enforce is the number 1, expected a string',
          {
            path: 'namespaces[name=x].metadata.labels.pod-security.kubernetes.io/enforce',
            value: 1,
          },
        ),
      );
    });
  });

  describe('nodes and kubelets', () => {
    const NODES = list('NodeList', [
      { metadata: { name: 'ip-10-0-1-1', labels: { 'eks.amazonaws.com/nodegroup': 'general' } } },
      { metadata: { name: 'ip-10-0-1-2', labels: { 'cloud.google.com/gke-nodepool': 'other' } } },
      { metadata: { name: 'ip-10-0-1-3' } },
    ]);
    const CONFIGZ = (kubeletconfig: JsonValue): JsonObject => ({ kubeletconfig });
    const HARDENED = {
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
      authorization: { mode: 'Webhook' },
    };
    const at = (node: string, field: string) => `nodes[name=${node}].configz.kubeletconfig.${field}`;

    it("counts every node and reads each sampled kubelet with its pool, by the provider's label", () => {
      // Prepare
      const raw: InClusterRaw = {
        nodes: NODES,
        configz: {
          'ip-10-0-1-1': CONFIGZ({ ...HARDENED, readOnlyPort: 10255 }),
          'ip-10-0-1-2': CONFIGZ(HARDENED),
        },
      };
      // Act
      const facts = eks(raw);
      // Assess
      assert.deepEqual(
        { nodeCount: facts.nodeCount, kubelets: facts.kubelets },
        {
          nodeCount: known(3, { path: 'nodes.metadata.resourceVersion', value: '4711' }),
          kubelets: known([
            {
              node: 'ip-10-0-1-1',
              pool: 'general',
              readOnlyPort: known(10255, { path: at('ip-10-0-1-1', 'readOnlyPort'), value: 10255 }),
              anonymousAuth: known(false, {
                path: at('ip-10-0-1-1', 'authentication.anonymous.enabled'),
                value: false,
              }),
              authorizationMode: known('Webhook', {
                path: at('ip-10-0-1-1', 'authorization.mode'),
                value: 'Webhook',
              }),
            },
            {
              node: 'ip-10-0-1-2',
              pool: null,
              readOnlyPort: known(0, { path: at('ip-10-0-1-2', 'readOnlyPort'), value: null }),
              anonymousAuth: known(false, {
                path: at('ip-10-0-1-2', 'authentication.anonymous.enabled'),
                value: false,
              }),
              authorizationMode: known('Webhook', {
                path: at('ip-10-0-1-2', 'authorization.mode'),
                value: 'Webhook',
              }),
            },
          ]),
        },
      );
    });

    it("takes the kubelet binary's defaults for absent authentication settings: anonymous on, AlwaysAllow", () => {
      const facts = normaliseInCluster(
        { configz: { n1: CONFIGZ({ authorization: { mode: '' } }) } },
        { provider: 'aks' },
      );
      assert.deepEqual(
        facts.kubelets,
        known([
          {
            node: 'n1',
            pool: null,
            readOnlyPort: known(0, { path: at('n1', 'readOnlyPort'), value: null }),
            anonymousAuth: known(true, { path: at('n1', 'authentication.anonymous.enabled'), value: null }),
            authorizationMode: known('AlwaysAllow', { path: at('n1', 'authorization.mode'), value: '' }),
          },
        ]),
      );
    });

    it('uses the AKS agent pool label on AKS', () => {
      const facts = normaliseInCluster(
        {
          nodes: {
            items: [{ metadata: { name: 'aks-sys-1', labels: { 'kubernetes.azure.com/agentpool': 'sys' } } }],
          },
          configz: { 'aks-sys-1': CONFIGZ(HARDENED) },
        },
        { provider: 'aks' },
      );
      assert.deepEqual(
        'value' in facts.kubelets ? facts.kubelets.value.map((kubelet) => kubelet.pool) : facts.kubelets,
        ['sys'],
      );
    });

    it('makes a node whose configz read failed unknown on every setting, with the reason', () => {
      const facts = eks({
        nodes: NODES,
        configz: { 'ip-10-0-1-3': '502 Bad Gateway: kubelet not reachable' },
      });
      const failed = unknown(
        'configz of node ip-10-0-1-3 could not be read: 502 Bad Gateway: kubelet not reachable',
      );
      assert.deepEqual(
        facts.kubelets,
        known([
          {
            node: 'ip-10-0-1-3',
            pool: null,
            readOnlyPort: failed,
            anonymousAuth: failed,
            authorizationMode: failed,
          },
        ]),
      );
    });

    it('makes a body without kubeletconfig, or a malformed one, unknown', () => {
      const facts = eks({ configz: { a: { other: 1 }, b: CONFIGZ('x'), c: 7 } });
      const noConfig = unknown(
        'nodes[name=a].configz.kubeletconfig absent: the body is not a kubelet configz answer',
        {
          path: 'nodes[name=a].configz.kubeletconfig',
          value: null,
        },
      );
      const notObject = unknown('nodes[name=b].configz.kubeletconfig is the string "x", expected an object', {
        path: 'nodes[name=b].configz.kubeletconfig',
        value: 'x',
      });
      const notBody = unknown('nodes[name=c].configz is the number 7, expected an object', {
        path: 'nodes[name=c].configz',
        value: 7,
      });
      assert.deepEqual(
        facts.kubelets,
        known([
          {
            node: 'a',
            pool: null,
            readOnlyPort: noConfig,
            anonymousAuth: noConfig,
            authorizationMode: noConfig,
          },
          {
            node: 'b',
            pool: null,
            readOnlyPort: notObject,
            anonymousAuth: notObject,
            authorizationMode: notObject,
          },
          {
            node: 'c',
            pool: null,
            readOnlyPort: notBody,
            anonymousAuth: notBody,
            authorizationMode: notBody,
          },
        ]),
      );
    });

    it('is unknown on each setting of a malformed type', () => {
      const facts = eks({
        configz: {
          n: CONFIGZ({
            readOnlyPort: 70000,
            authentication: { anonymous: { enabled: 'false' } },
            authorization: { mode: 1 },
          }),
          m: CONFIGZ({ readOnlyPort: -1, authentication: 'x' }),
        },
      });
      assert.deepEqual(
        facts.kubelets,
        known([
          {
            node: 'n',
            pool: null,
            readOnlyPort: unknown(`${at('n', 'readOnlyPort')} is the number 70000, expected a port number`, {
              path: at('n', 'readOnlyPort'),
              value: 70000,
            }),
            anonymousAuth: unknown(
              `${at('n', 'authentication.anonymous.enabled')} is the string "false", expected a boolean`,
              { path: at('n', 'authentication.anonymous.enabled'), value: 'false' },
            ),
            authorizationMode: unknown(
              `${at('n', 'authorization.mode')} is the number 1, expected a string`,
              {
                path: at('n', 'authorization.mode'),
                value: 1,
              },
            ),
          },
          {
            node: 'm',
            pool: null,
            readOnlyPort: unknown(`${at('m', 'readOnlyPort')} is the number -1, expected a port number`, {
              path: at('m', 'readOnlyPort'),
              value: -1,
            }),
            anonymousAuth: unknown(`${at('m', 'authentication')} is the string "x", expected an object`, {
              path: at('m', 'authentication'),
              value: 'x',
            }),
            authorizationMode: known('AlwaysAllow', { path: at('m', 'authorization.mode'), value: null }),
          },
        ]),
      );
    });

    it('is unknown on readOnlyPort below a kubeletconfig that is broken further up', () => {
      const facts = eks({ configz: { n: CONFIGZ({ authentication: { anonymous: 3 } }) } });
      assert.deepEqual(
        'value' in facts.kubelets ? facts.kubelets.value[0]?.anonymousAuth : facts.kubelets,
        unknown(`${at('n', 'authentication.anonymous')} is the number 3, expected an object`, {
          path: at('n', 'authentication.anonymous'),
          value: 3,
        }),
      );
    });

    it('is unknown when configz was not read, or is not a map of bodies', () => {
      assert.deepEqual(
        eks({ errors: { configz: 'timed out after 30 s' } }).kubelets,
        unknown('configz could not be read from the API server: timed out after 30 s'),
      );
      assert.deepEqual(
        eks({ configz: ['a'] } as unknown as InClusterRaw).kubelets,
        unknown('configz is a list, expected an object of configz bodies by node'),
      );
    });
  });

  describe('DaemonSets', () => {
    it('reads images and the ready and desired counts; an absent count is zero', () => {
      const raw: InClusterRaw = {
        daemonsets: list('DaemonSetList', [
          {
            metadata: { name: 'falco', namespace: 'falco' },
            spec: {
              template: {
                spec: { containers: [{ name: 'falco', image: 'falcosecurity/falco:0.39.0' }, { name: 'x' }] },
              },
            },
            status: { desiredNumberScheduled: 3, numberReady: 2 },
          },
          { metadata: { name: 'new', namespace: 'kube-system' }, status: {} },
        ]),
      };
      assert.deepEqual(
        eks(raw).daemonSets,
        known(
          [
            {
              namespace: 'falco',
              name: 'falco',
              images: ['falcosecurity/falco:0.39.0'],
              desired: 3,
              ready: 2,
            },
            { namespace: 'kube-system', name: 'new', images: [], desired: 0, ready: 0 },
          ],
          { path: 'daemonsets.metadata.resourceVersion', value: '4711' },
        ),
      );
    });

    for (const [what, item, reason, source] of [
      [
        'containers that are not a list',
        { metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { containers: {} } } } },
        'daemonsets[name=n/d].spec.template.spec.containers is an object, expected a list',
        { path: 'daemonsets[name=n/d].spec.template.spec.containers', value: {} },
      ],
      [
        'an image that is not a string',
        {
          metadata: { name: 'd', namespace: 'n' },
          spec: { template: { spec: { containers: [{ image: 1 }] } } },
        },
        'daemonsets[name=n/d].spec.template.spec.containers[0].image is the number 1, expected a string',
        { path: 'daemonsets[name=n/d].spec.template.spec.containers[0].image', value: 1 },
      ],
      [
        'a desired count that is not a count',
        { metadata: { name: 'd', namespace: 'n' }, status: { desiredNumberScheduled: 1.5 } },
        'daemonsets[name=n/d].status.desiredNumberScheduled is the number 1.5, expected a non-negative integer',
        { path: 'daemonsets[name=n/d].status.desiredNumberScheduled', value: 1.5 },
      ],
      [
        'a ready count that is not a count',
        { metadata: { name: 'd', namespace: 'n' }, status: { desiredNumberScheduled: 1, numberReady: '1' } },
        'daemonsets[name=n/d].status.numberReady is the string "1", expected a non-negative integer',
        { path: 'daemonsets[name=n/d].status.numberReady', value: '1' },
      ],
      [
        'a status that is not an object',
        { metadata: { name: 'd', namespace: 'n' }, status: 'ok' },
        'daemonsets[name=n/d].status is the string "ok", expected an object',
        { path: 'daemonsets[name=n/d].status', value: 'ok' },
      ],
    ] as const) {
      it(`is unknown for ${what}`, () => {
        assert.deepEqual(eks({ daemonsets: { items: [item] } }).daemonSets, unknown(reason, source));
      });
    }
  });
});

describe('observeApiServer', () => {
  const host = (value: string) => ({ kind: 'value', value, source: { path: 'host', value } }) as const;

  it('adds https:// to a bare host and keeps only the origin', () => {
    assert.deepEqual(
      observeApiServer(host('api.example.com:8443'), 'absent'),
      known(
        { url: 'https://api.example.com:8443', caData: null },
        { path: 'host', value: 'api.example.com:8443' },
      ),
    );
  });

  it('refuses a host that does not parse as a URL', () => {
    assert.deepEqual(
      observeApiServer(host('exa mple'), 'absent'),
      unknown('host "exa mple" is not an https address', { path: 'host', value: 'exa mple' }),
    );
  });
});
