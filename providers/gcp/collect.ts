import type { ApiCalls } from '../apiCalls.js';
import { type Collected, collected } from '../collected.js';
import { limiter } from '../limit.js';
import { isRawObject } from '../reader.js';
import type { ScopeCollection } from '../sourceResult.js';
import { callGoogle, type GcpClients } from './clients.js';
import type { GkeCollected } from './normalise.js';
import type { GcpOperation } from './permissions.js';
import { toProto3Json } from './protoJson.js';

export interface CollectDeps {
  readonly clients: GcpClients;
  readonly calls: ApiCalls;
  /** Per-cluster calls in flight at once in one project. */
  readonly concurrency: number;
}

const V1 = 'google.container.v1';

/** A response message of the gRPC client as the API's proto3 JSON (see protoJson.ts). */
function asJson(type: string, message: unknown): unknown {
  return isRawObject(message) ? toProto3Json(`${V1}.${type}`, message) : message;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Lists the clusters of one project in every location with one `listClusters` on
 * `projects/P/locations/-` (node pools come inside each cluster), then reads `getServerConfig`
 * once per location per run and `fetchClusterUpgradeInfo` per cluster. A project that cannot be
 * listed is a scope error; `missingZones` keeps the clusters that were returned but marks the
 * project as partially read; a failed version call leaves only the version data unknown.
 */
export async function collectGkeProject(
  project: string,
  deps: CollectDeps,
): Promise<ScopeCollection<GkeCollected>> {
  const { clients, calls } = deps;
  const limit = limiter(deps.concurrency);
  const call = <T>(operation: GcpOperation, key: string, make: () => Promise<T>): Promise<Collected<T>> =>
    limit(() => calls.call(operation, key, make));
  const listed = await call('container:ListClusters', project, () =>
    callGoogle(clients.callOptions, (options) =>
      clients.clusters.listClusters({ parent: `projects/${project}/locations/-` }, options),
    ),
  );
  if ('missing' in listed) {
    return {
      result: { provider: 'gke', scope: project, status: 'error', error: listed.missing, clusters: 0 },
      clusters: [],
      problems: [],
    };
  }
  const [response] = listed.ok;
  const clusters = (response.clusters ?? []).map((cluster) => asJson('Cluster', cluster));
  const missingZones = (response.missingZones ?? []).filter((zone) => zone !== '');
  const readClusters = await Promise.all(
    clusters.map(async (cluster): Promise<GkeCollected> => {
      const name = isRawObject(cluster) ? text(cluster.name) : undefined;
      const location = isRawObject(cluster) ? (text(cluster.location) ?? text(cluster.zone)) : undefined;
      if (name === undefined || location === undefined) {
        // The normaliser names what is missing; there is nothing to ask the version API about.
        return { cluster, project };
      }
      const [serverConfig, upgradeInfo] = await Promise.all([
        // Valid versions depend on the location, not on the project asking: one call per location per run.
        call('container:GetServerConfig', location, () =>
          callGoogle(clients.callOptions, (options) =>
            clients.clusters.getServerConfig({ name: `projects/${project}/locations/${location}` }, options),
          ),
        ),
        call('container:FetchClusterUpgradeInfo', `${project}/${location}/${name}`, () =>
          callGoogle(clients.callOptions, (options) =>
            clients.clusters.fetchClusterUpgradeInfo(
              { name: `projects/${project}/locations/${location}/clusters/${name}` },
              options,
            ),
          ),
        ),
      ]);
      return {
        cluster,
        project,
        serverConfig:
          'missing' in serverConfig ? serverConfig : collected(asJson('ServerConfig', serverConfig.ok[0])),
        upgradeInfo:
          'missing' in upgradeInfo ? upgradeInfo : collected(asJson('ClusterUpgradeInfo', upgradeInfo.ok[0])),
      };
    }),
  );
  const base = { provider: 'gke' as const, scope: project, clusters: readClusters.length };
  return {
    result:
      missingZones.length === 0
        ? { ...base, status: 'ok' }
        : {
            ...base,
            status: 'error',
            error: `container:ListClusters could not reach zones ${missingZones.join(', ')}: clusters there are missing from this scan`,
          },
    clusters: readClusters,
    problems: [],
  };
}
