import type { InClusterRaw, InClusterResource } from '../../model/inCluster.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { known } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { normaliseInCluster } from '../../providers/kubernetes/normalise.js';

/*
 * In-cluster check tests build the facts from Kubernetes JSON through the real normaliser, as the
 * in-cluster pass does, so checks see the shapes, defaults and evidence paths a scan produces.
 */

/** A posture whose in-cluster pass read `raw`. */
export function withInCluster<T extends ClusterPosture>(posture: T, raw: InClusterRaw): T {
  return { ...posture, inCluster: known(normaliseInCluster(raw, { provider: posture.provider })) };
}

/** A Kubernetes List object. */
export function k8sList(items: readonly JsonValue[], resourceVersion = '100'): JsonObject {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
}

/** The list's resourceVersion, which evidence carries for a list read whole. */
export function listVersion(resource: string, resourceVersion = '100') {
  return { path: `${resource}.metadata.resourceVersion`, value: resourceVersion };
}

export function clusterRoleBinding(name: string, role: string, subjects: readonly JsonObject[]): JsonObject {
  return {
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  };
}

export function roleBinding(
  namespace: string,
  name: string,
  roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string },
  subjects: readonly JsonObject[],
): JsonObject {
  return { metadata: { name, namespace }, roleRef, subjects };
}

export const group = (name: string): JsonObject => ({
  kind: 'Group',
  apiGroup: 'rbac.authorization.k8s.io',
  name,
});
export const user = (name: string): JsonObject => ({
  kind: 'User',
  apiGroup: 'rbac.authorization.k8s.io',
  name,
});
export const serviceAccount = (namespace: string, name: string): JsonObject => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});

/** The default binding of the health and version endpoints, as every cluster has it. */
export const PUBLIC_INFO_VIEWER_BINDING = clusterRoleBinding(
  'system:public-info-viewer',
  'system:public-info-viewer',
  [group('system:authenticated'), group('system:unauthenticated')],
);

export const PUBLIC_INFO_VIEWER_ROLE: JsonObject = {
  metadata: { name: 'system:public-info-viewer' },
  rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
};

export const CLUSTER_ADMIN_ROLE: JsonObject = {
  metadata: { name: 'cluster-admin' },
  rules: [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
};

/** The RBAC a fresh cluster holds: default bindings and roles only. */
export function defaultRbac(): InClusterRaw {
  return {
    clusterrolebindings: k8sList([
      clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
      PUBLIC_INFO_VIEWER_BINDING,
    ]),
    rolebindings: k8sList([]),
    clusterroles: k8sList([CLUSTER_ADMIN_ROLE, PUBLIC_INFO_VIEWER_ROLE]),
  };
}

/** The bundle without one resource, as when the collector did not read it. */
export function without(raw: InClusterRaw, resource: InClusterResource): InClusterRaw {
  const copy: Record<string, unknown> = { ...raw };
  delete copy[resource];
  return copy as InClusterRaw;
}
