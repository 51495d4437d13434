import type { CallOptions } from 'google-gax';
import { type ApiCalls, metCongestion } from '../apiCalls.js';
import { type Collected, collected } from '../collected.js';
import { adaptiveLimiter, type ScopeConcurrency } from '../limit.js';
import { isRawObject } from '../reader.js';
import type { ScopeCollection } from '../sourceResult.js';
import { callGoogle, type GcpClients } from './clients.js';
import type { GkeCollected } from './normalise.js';
import type { GcpOperation } from './permissions.js';
import type { GkeProjectLogging } from './projectLogging.js';
import { toProto3Json } from './protoJson.js';

export interface CollectDeps {
  readonly clients: GcpClients;
  readonly calls: ApiCalls;
  /** Per-cluster calls in flight at once in one project: where it starts, how far it may grow. */
  readonly concurrency: ScopeConcurrency;
}

const V1 = 'google.container.v1';

/** A response message of the GKE client as the API's proto3 JSON (see protoJson.ts). */
function asJson(type: string, message: unknown): unknown {
  return toProto3JsonOf(`${V1}.${type}`, message);
}

/** Pages a list is read in at most: a server that keeps answering with new page tokens is cut off. */
const MAX_PAGES = 100;

type Page<T> = readonly [
  readonly T[],
  unknown,
  { readonly nextPageToken?: string | null } | null | undefined,
];

/**
 * Reads every page of a project-level list, each page one call of the ledger (so retries and the
 * calls a peer sees match), and returns the items as proto3 JSON of `type`.
 */
async function allPages<T extends object>(
  operation: GcpOperation,
  project: string,
  type: string,
  deps: CollectDeps,
  fetchPage: (pageToken: string, options: CallOptions) => Promise<Page<T>>,
): Promise<Collected<unknown[]>> {
  const items: unknown[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const read = await deps.calls.call(operation, `${project} ${pageToken}`, () =>
      callGoogle(deps.clients.callOptions, (options) =>
        fetchPage(pageToken, { ...options, autoPaginate: false }),
      ),
    );
    if ('missing' in read) return read;
    const [resources, , response] = read.ok;
    items.push(...resources.map((item) => toProto3JsonOf(type, item)));
    pageToken = response?.nextPageToken ?? '';
    if (pageToken === '') return collected(items);
  }
  return { missing: `${operation} returned more than ${MAX_PAGES} pages for ${project}` };
}

/**
 * The project's `_Default` log bucket, log-based metrics and alert policies: one read of each per
 * project (pages aside), shared by every cluster of the project. A failed read leaves only the
 * fields it feeds unknown.
 */
async function collectProjectLogging(project: string, deps: CollectDeps): Promise<GkeProjectLogging> {
  const { clients, calls } = deps;
  const logging = await clients.logging();
  const bucketName = `projects/${project}/locations/global/buckets/_Default`;
  const [defaultBucket, logMetrics, alertPolicies] = await Promise.all([
    calls.call('logging:GetBucket', bucketName, () =>
      callGoogle(clients.callOptions, (options) =>
        logging.logConfig.getBucket({ name: bucketName }, options),
      ),
    ),
    allPages('logging:ListLogMetrics', project, 'google.logging.v2.LogMetric', deps, (pageToken, options) =>
      logging.logMetrics.listLogMetrics({ parent: `projects/${project}`, pageToken }, options),
    ),
    allPages(
      'monitoring:ListAlertPolicies',
      project,
      'google.monitoring.v3.AlertPolicy',
      deps,
      (pageToken, options) =>
        logging.alertPolicies.listAlertPolicies({ name: `projects/${project}`, pageToken }, options),
    ),
  ]);
  return {
    defaultBucket:
      'missing' in defaultBucket
        ? defaultBucket
        : collected(toProto3JsonOf('google.logging.v2.LogBucket', defaultBucket.ok[0])),
    logMetrics,
    alertPolicies,
  };
}

function toProto3JsonOf(type: string, message: unknown): unknown {
  return isRawObject(message) ? toProto3Json(type, message) : message;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Lists the clusters of one project in every location with one `listClusters` on
 * `projects/P/locations/-` (node pools come inside each cluster), then reads `getServerConfig`
 * once per location per run and `fetchClusterUpgradeInfo` per cluster, and, when the project has
 * clusters, its logging settings once (collectProjectLogging). A project that cannot be listed is
 * a scope error; `missingZones` keeps the clusters that were returned but marks the project as
 * partially read; a failed version or logging call leaves only the fields it feeds unknown.
 */
export async function collectGkeProject(
  project: string,
  deps: CollectDeps,
): Promise<ScopeCollection<GkeCollected>> {
  const { clients, calls } = deps;
  // A call the ledger already made (a location's server config) waits for its answer without a slot.
  const limit = adaptiveLimiter(deps.concurrency, metCongestion);
  const call = <T>(operation: GcpOperation, key: string, make: () => Promise<T>): Promise<Collected<T>> =>
    calls.call(operation, key, () => limit(make));
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
  const projectLogging = clusters.length === 0 ? undefined : collectProjectLogging(project, deps);
  const versionsRead = await Promise.all(
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
  const logging = await projectLogging;
  const readClusters =
    logging === undefined ? versionsRead : versionsRead.map((read) => ({ ...read, projectLogging: logging }));
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
