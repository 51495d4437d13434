import type { JsonObject } from '../../../model/json.js';
import type { KubeFixture } from './fixtures.js';

/** The size of a generated cluster. */
export interface ScaleShape {
  readonly namespaces: number;
  /** ClusterRoleBindings and RoleBindings together; a fifth of them cluster-wide. */
  readonly bindings: number;
  readonly nodes: number;
  /** Node pools the nodes are spread over, round robin. */
  readonly pools: number;
}

/** The shape of the issue's closing measurement. */
export const ISSUE_SCALE: ScaleShape = { namespaces: 50, bindings: 500, nodes: 20, pools: 4 };

const RBAC = 'rbac.authorization.k8s.io';
const pad = (index: number) => String(index).padStart(3, '0');

function namespace(name: string): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name, 'pod-security.kubernetes.io/enforce': 'restricted' },
    },
    status: { phase: 'Active' },
  };
}

function networkPolicy(namespaceName: string): JsonObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: namespaceName },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

function clusterRole(name: string, verbs: readonly string[]): JsonObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name },
    rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'configmaps'], verbs }],
  };
}

function binding(
  kind: 'ClusterRoleBinding' | 'RoleBinding',
  name: string,
  role: string,
  group: string,
  ns?: string,
) {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: ns === undefined ? { name } : { name, namespace: ns },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: RBAC, kind: 'Group', name: group }],
  };
}

function node(name: string, pool: string): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'eks.amazonaws.com/nodegroup': pool,
      },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.31.4-eks-aeac579', containerRuntimeVersion: 'containerd://1.7.25' },
    },
  };
}

function daemonSet(ns: string, name: string, image: string, nodes: number): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
    },
    status: {
      desiredNumberScheduled: nodes,
      currentNumberScheduled: nodes,
      numberReady: nodes,
      numberAvailable: nodes,
    },
  };
}

const AWS_AUTH: JsonObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'aws-auth', namespace: 'kube-system' },
  data: {
    mapRoles:
      '- rolearn: arn:aws:iam::111111111111:role/eks-node-role\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n',
  },
};

const HARDENED_KUBELET = {
  kubeletconfig: {
    kind: 'KubeletConfiguration',
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true, cacheTTL: '2m0s' } },
    authorization: { mode: 'Webhook' },
  },
};

/**
 * A compliant cluster of the given size, deterministic, for paging tests and the in-cluster
 * benchmark: labelled namespaces each with a default-deny policy, bindings of non-wildcard roles
 * to groups, nodes spread over pools with hardened kubelets, and a runtime agent on every node.
 */
export function generateScaleFixture(shape: ScaleShape = ISSUE_SCALE): KubeFixture {
  const namespaceNames = Array.from({ length: shape.namespaces }, (_, index) => `team-${pad(index)}`);
  const clusterBindings = Math.floor(shape.bindings / 5);
  const roleBindings = shape.bindings - clusterBindings;
  const nodeNames = Array.from(
    { length: shape.nodes },
    (_, index) => `ip-10-8-${Math.floor(index / 250)}-${index % 250}.ec2.internal`,
  );
  const roles = ['reader', 'deployer', 'operator', 'auditor'].map((name, index) =>
    clusterRole(
      `acme-${name}`,
      index % 2 === 0 ? ['get', 'list', 'watch'] : ['get', 'list', 'create', 'update'],
    ),
  );
  const objects: JsonObject[] = [
    namespace('kube-system'),
    namespace('amazon-guardduty'),
    ...namespaceNames.map(namespace),
    ...[...namespaceNames, 'amazon-guardduty'].map(networkPolicy),
    ...roles,
    ...Array.from({ length: clusterBindings }, (_, index) =>
      binding('ClusterRoleBinding', `acme-crb-${pad(index)}`, `acme-reader`, `acme-group-${pad(index)}`),
    ),
    ...Array.from({ length: roleBindings }, (_, index) =>
      binding(
        'RoleBinding',
        `acme-rb-${pad(index)}`,
        index % 2 === 0 ? 'acme-deployer' : 'acme-reader',
        `acme-team-${pad(index % shape.namespaces)}`,
        namespaceNames[index % shape.namespaces] ?? 'default',
      ),
    ),
    ...nodeNames.map((name, index) => node(name, `pool-${index % shape.pools}`)),
    AWS_AUTH,
    daemonSet(
      'amazon-guardduty',
      'aws-guardduty-agent',
      '593207742271.dkr.ecr.us-east-1.amazonaws.com/aws-guardduty-agent:v1.8.1',
      shape.nodes,
    ),
    daemonSet(
      'kube-system',
      'aws-node',
      '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1',
      shape.nodes,
    ),
  ];
  return { objects, configz: Object.fromEntries(nodeNames.map((name) => [name, HARDENED_KUBELET])) };
}
