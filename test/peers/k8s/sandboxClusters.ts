import { stringify } from 'yaml';
import type { InClusterRaw } from '../../../model/inCluster.js';
import { isJsonObject, type JsonObject } from '../../../model/json.js';
import type { KubeFixture, KubeFixtureName } from './fixtures.js';
import type { KubePeer, KubePeerCluster } from './kubePeer.js';

/*
 * How the sandbox points the clusters it seeds into the cloud peers at the Kubernetes peer: each
 * cluster description's API server address and CA become a peer cluster's, so the in-cluster pass
 * reaches it exactly as it reaches a cloud cluster, through the description kubeline read.
 */

/** A cluster of the sandbox served by the Kubernetes peer. */
export interface SandboxKubeCluster {
  readonly provider: 'eks' | 'gke' | 'aks';
  readonly name: string;
  readonly url: string;
  /** The cluster's own in-cluster export, or the fixture its name picked when it has none. */
  readonly fixture: KubeFixtureName | 'export';
}

/** The List kinds of an in-cluster export and the object kind of their items. */
const EXPORT_LISTS = [
  ['clusterrolebindings', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['rolebindings', 'rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['clusterroles', 'rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['namespaces', 'v1', 'Namespace'],
  ['networkpolicies', 'networking.k8s.io/v1', 'NetworkPolicy'],
  ['nodes', 'v1', 'Node'],
  ['daemonsets', 'apps/v1', 'DaemonSet'],
] as const;

/**
 * What the Kubernetes peer serves for a cluster that has an in-cluster export, so a live scan of
 * the sandbox reads what `--from` reads: every listed object (with its kind when the export left it
 * out), the aws-auth ConfigMap, and the configz bodies (a node whose read failed in the export has
 * none, and the peer answers 404 for it).
 */
export function fixtureOfExport(raw: InClusterRaw): KubeFixture {
  const objects = EXPORT_LISTS.flatMap(([resource, apiVersion, kind]) => {
    const list = raw[resource];
    const items = list !== undefined && Array.isArray(list.items) ? list.items : [];
    return items.filter(isJsonObject).map((item) => ({ apiVersion, kind, ...item }));
  });
  const configz = Object.fromEntries(
    Object.entries(raw.configz ?? {}).filter(([, body]) => typeof body !== 'string'),
  );
  return { objects: [...objects, ...(raw.awsAuth ? [raw.awsAuth] : [])], configz };
}

/** The name a cluster id ends with: EKS `…:cluster/NAME`, GKE `…/clusters/NAME`, AKS `…/managedClusters/NAME`. */
export function clusterNameOfId(id: string): string {
  return id.split('/').at(-1) ?? id;
}

/** Clusters whose name says they are old, shared or for trying things get the non-compliant fixture. */
const LOOSE_CLUSTER = /legacy|dev|sandbox|batch|public/i;

export function fixtureNameFor(clusterName: string): KubeFixtureName {
  return LOOSE_CLUSTER.test(clusterName) ? 'non-compliant' : 'compliant';
}

function child(object: Readonly<Record<string, unknown>>, key: string): JsonObject {
  const value = object[key];
  return isJsonObject(value) ? value : {};
}

/** `host:port` of a peer cluster: GKE and AKS descriptions carry a host, kubeline adds `https://`. */
function hostOf(cluster: KubePeerCluster): string {
  return new URL(cluster.url).host;
}

/** EKS DescribeCluster fields: `endpoint` is a URL, `certificateAuthority.data` the base64 PEM. */
export function eksFieldsAt(clusterFields: JsonObject, cluster: KubePeerCluster, caData: string): JsonObject {
  return { ...clusterFields, endpoint: cluster.url, certificateAuthority: { data: caData } };
}

/**
 * A GKE Cluster resource: `endpoint` and, where the cluster has them, its private endpoints (a
 * private cluster is read through those), with `masterAuth.clusterCaCertificate`.
 */
export function gkeClusterAt(
  resource: Readonly<Record<string, unknown>>,
  cluster: KubePeerCluster,
  caData: string,
): Readonly<Record<string, unknown>> {
  const host = hostOf(cluster);
  const privateConfig = resource.privateClusterConfig;
  const endpoints = resource.controlPlaneEndpointsConfig;
  const ipEndpoints = isJsonObject(endpoints) ? child(endpoints, 'ipEndpointsConfig') : undefined;
  return {
    ...resource,
    endpoint: host,
    masterAuth: { ...child(resource, 'masterAuth'), clusterCaCertificate: caData },
    ...(isJsonObject(privateConfig)
      ? { privateClusterConfig: { ...privateConfig, privateEndpoint: host } }
      : {}),
    ...(isJsonObject(endpoints) && ipEndpoints !== undefined
      ? {
          controlPlaneEndpointsConfig: {
            ...endpoints,
            ipEndpointsConfig: {
              ...ipEndpoints,
              ...('privateEndpoint' in ipEndpoints ? { privateEndpoint: host } : {}),
              ...('publicEndpoint' in ipEndpoints ? { publicEndpoint: host } : {}),
            },
          },
        }
      : {}),
  };
}

/** An ARM managed cluster: `properties.fqdn`, and `privateFQDN` when the cluster has one. */
export function aksClusterAt(resource: JsonObject, cluster: KubePeerCluster): JsonObject {
  const properties = child(resource, 'properties');
  const host = hostOf(cluster);
  return {
    ...resource,
    properties: { ...properties, fqdn: host, ...('privateFQDN' in properties ? { privateFQDN: host } : {}) },
  };
}

/**
 * A kubeconfig with one context per cluster, named after it, for the clusters whose description
 * carries no CA (AKS: kubeline would ask listClusterUserCredential, which the ARM peer does not serve).
 */
export function sandboxKubeconfig(
  peer: KubePeer,
  clusters: readonly SandboxKubeCluster[],
  token: string,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map(({ name, url }) => ({
      name,
      cluster: { server: url, 'certificate-authority-data': peer.caData },
    })),
    users: [{ name: 'kubeline-sandbox', user: { token } }],
    contexts: clusters.map(({ name }) => ({ name, context: { cluster: name, user: 'kubeline-sandbox' } })),
    'current-context': clusters[0]?.name ?? '',
  });
}

/**
 * Adds a peer cluster for a described cluster and seeds it with its own in-cluster export, or
 * the fixture its name picks when it has none.
 */
export async function serveCluster(
  peer: KubePeer,
  provider: SandboxKubeCluster['provider'],
  name: string,
  fixtures: Readonly<Record<KubeFixtureName, KubeFixture>>,
  exported?: KubeFixture,
): Promise<{ readonly served: SandboxKubeCluster; readonly cluster: KubePeerCluster }> {
  const cluster = await peer.addCluster(name);
  const fixture = exported === undefined ? fixtureNameFor(name) : 'export';
  peer.seed(exported ?? fixtures[fixtureNameFor(name)], name);
  return { served: { provider, name, url: cluster.url, fixture }, cluster };
}
