import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';

/** A resource type the peer serves, with the facts its URLs and List kinds are made of. */
export interface KubeResourceType {
  /** The plural of its URLs: `clusterrolebindings`. */
  readonly plural: string;
  readonly kind: string;
  /** `rbac.authorization.k8s.io/v1`, or `v1` for the core group. */
  readonly apiVersion: string;
  readonly namespaced: boolean;
}

/** The resource types of the in-cluster pass, by kind. */
export const KUBE_RESOURCE_TYPES: readonly KubeResourceType[] = [
  {
    plural: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    namespaced: false,
  },
  {
    plural: 'rolebindings',
    kind: 'RoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    namespaced: true,
  },
  {
    plural: 'clusterroles',
    kind: 'ClusterRole',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    namespaced: false,
  },
  { plural: 'configmaps', kind: 'ConfigMap', apiVersion: 'v1', namespaced: true },
  { plural: 'namespaces', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  { plural: 'networkpolicies', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespaced: true },
  { plural: 'nodes', kind: 'Node', apiVersion: 'v1', namespaced: false },
  { plural: 'daemonsets', kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true },
];

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function pathPrefixOf(type: KubeResourceType): string {
  return type.apiVersion === 'v1' ? '/api/v1' : `/apis/${type.apiVersion}`;
}

/** A page of a List, or why the continue token cannot be honoured. */
export type ListOutcome =
  | { readonly ok: true; readonly body: JsonObject }
  | { readonly ok: false; readonly status: 400 | 410; readonly message: string };

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

/** A fixed creation time: fixtures describe state, not a moment, and no clock is read. */
const CREATED = '2025-01-15T09:30:00Z';

function metadataOf(object: JsonObject): JsonObject {
  return isJsonObject(object.metadata) ? object.metadata : {};
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

function encodeContinue(token: ContinueToken): string {
  // The API server's token is base64 JSON with the version, revision and start key; opaque to clients.
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start }),
    'utf8',
  ).toString('base64');
}

function decodeContinue(value: string): ContinueToken | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    if (!isJsonObject(parsed) || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      return undefined;
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    return undefined;
  }
}

/**
 * The objects of one cluster, keyed by type and namespace/name in etcd's order, with a
 * resourceVersion that grows on every write and a compaction revision below which continue
 * tokens are answered 410 Expired, as after an etcd compaction.
 */
export class KubeObjectStore {
  private readonly objects = new Map<string, Map<string, JsonObject>>();
  private revision = 1;
  private compactedRevision = 0;

  /** Removes every object (the revision keeps growing, so older tokens stay older). */
  clear(): void {
    this.objects.clear();
    this.revision += 1;
  }

  /** Stores an object in the API's own shape; its kind must be one the peer serves. */
  put(object: JsonObject): void {
    const type = KUBE_RESOURCE_TYPES.find((candidate) => candidate.kind === object.kind);
    if (type === undefined) throw new Error(`the Kubernetes peer does not serve kind ${String(object.kind)}`);
    const metadata = metadataOf(object);
    const name = metadata.name;
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    if (typeof name !== 'string' || name === '') throw new Error(`a ${type.kind} has no metadata.name`);
    if (type.namespaced && namespace === undefined)
      throw new Error(`${type.kind} ${name} has no metadata.namespace`);
    this.revision += 1;
    const stored: JsonObject = {
      ...object,
      apiVersion: type.apiVersion,
      metadata: {
        uid: `00000000-0000-4000-8000-${this.revision.toString(16).padStart(12, '0')}`,
        creationTimestamp: CREATED,
        ...metadata,
        resourceVersion: String(this.revision),
      },
    };
    const byKey = this.objects.get(type.plural) ?? new Map<string, JsonObject>();
    byKey.set(keyOf(type.namespaced ? namespace : undefined, name), stored);
    this.objects.set(type.plural, byKey);
  }

  /** Makes every continue token issued so far stale (410 Expired), as an etcd compaction does. */
  compact(): void {
    this.revision += 1;
    this.compactedRevision = this.revision;
  }

  get(type: KubeResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.objects.get(type.plural)?.get(keyOf(type.namespaced ? namespace : undefined, name));
  }

  /** One page of a List: sorted by key, at most `limit` items, with `continue` when more remain. */
  list(type: KubeResourceType, namespace: string | undefined, query: URLSearchParams): ListOutcome {
    const limitText = query.get('limit');
    const limit = limitText === null ? 0 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      return { ok: false, status: 400, message: `invalid value for limit: ${limitText ?? ''}` };
    const continueText = query.get('continue');
    const token = continueText === null || continueText === '' ? undefined : decodeContinue(continueText);
    if (continueText !== null && continueText !== '' && token === undefined)
      return { ok: false, status: 400, message: 'continue key is not valid: illegal base64 data' };
    if (token !== undefined && token.rv < this.compactedRevision)
      return {
        ok: false,
        status: 410,
        message:
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      };
    const all = [...(this.objects.get(type.plural) ?? new Map<string, JsonObject>()).entries()]
      .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const from = token === undefined ? all : all.filter(([key]) => key >= token.start);
    const page = limit === 0 ? from : from.slice(0, limit);
    const next = limit === 0 ? undefined : from[limit];
    const rv = token?.rv ?? this.revision;
    const listMetadata: Record<string, JsonValue> = { resourceVersion: String(rv) };
    if (next !== undefined) {
      listMetadata.continue = encodeContinue({ rv, start: next[0] });
      listMetadata.remainingItemCount = from.length - page.length;
    }
    return {
      ok: true,
      body: {
        kind: `${type.kind}List`,
        apiVersion: type.apiVersion,
        metadata: listMetadata,
        // Items of a List carry no kind/apiVersion of their own on the wire.
        items: page.map(([, object]) => {
          const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
          return rest;
        }),
      },
    };
  }
}
