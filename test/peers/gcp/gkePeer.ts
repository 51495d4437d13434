import { readFileSync } from 'node:fs';
import { constants as http2 } from 'node:http2';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { isJsonObject } from '../../../model/json.js';
import { parseKubernetesVersion } from '../../../model/version.js';
import { type ChaosHook, type ChaosKind, truncated } from '../chaos.js';
import { clusterToWire, toWireMessage } from './wire.js';

/** The gRPC methods the peer serves; every other ClusterManager method answers UNIMPLEMENTED. */
export const GKE_PEER_METHODS = [
  'ListClusters',
  'GetCluster',
  'GetServerConfig',
  'FetchClusterUpgradeInfo',
  'SearchProjects',
  'ListFolders',
  'GetBucket',
  'ListLogMetrics',
  'ListAlertPolicies',
] as const;
export type GkePeerMethod = (typeof GKE_PEER_METHODS)[number];

/**
 * A failure to inject into the calls that match every given field. `project` is the project a
 * Kubernetes Engine call names; for Resource Manager calls it is the parent searched.
 */
export interface GkeFaultRule {
  readonly project?: string;
  readonly method?: GkePeerMethod;
  /**
   * `permission-denied`: PERMISSION_DENIED with Google's message. `unavailable`: UNAVAILABLE.
   * `resource-exhausted`: RESOURCE_EXHAUSTED (quota). `api-disabled`: PERMISSION_DENIED saying the
   * Kubernetes Engine API is not enabled. `deadline`: no answer until the client gives up (held at
   * most `holdMs`, default 10 s, then DEADLINE_EXCEEDED).
   */
  readonly kind: 'permission-denied' | 'unavailable' | 'resource-exhausted' | 'api-disabled' | 'deadline';
  /** Apply to the next N matching calls only. Default: every one. */
  readonly times?: number;
  readonly holdMs?: number;
}

/** What the fault suite's hook is told of each call. */
export interface GkeChaosCall {
  readonly method: GkePeerMethod;
  /** `parent`, `name` or `query` of the request. */
  readonly resource: string;
  readonly project: string | undefined;
}

/** The fault suite's per-call faults: the hook, how long `slow` holds, the PRNG of type confusion. */
export interface GkeChaos {
  readonly hook: ChaosHook<GkeChaosCall>;
  readonly slowMs: number;
  readonly random: () => number;
}

/** One call the peer received. */
export interface GkeRecordedCall {
  readonly method: GkePeerMethod;
  /** `parent`, `name` or `query` of the request. */
  readonly resource: string;
  readonly project: string | undefined;
  /** The gRPC status code sent (0 OK); 4 when a `deadline` fault held the call. */
  readonly code: number;
}

/** A project or folder in the peer's Resource Manager. */
export interface GcpHierarchyEntry {
  /** `organizations/N` or `folders/N`. */
  readonly parent: string;
  readonly state?: 'ACTIVE' | 'DELETE_REQUESTED';
}

export interface GkePeer {
  /** `127.0.0.1:PORT`: what `targets.gke.apiEndpoint` is set to. */
  readonly endpoint: string;
  readonly port: number;
  /** Adds or replaces clusters (proto3 JSON, any casing, enums by name or number) of a project. */
  putClusters(project: string, clusters: readonly { readonly [key: string]: unknown }[]): void;
  /** Zones ListClusters reports in `missingZones` for the project. */
  setMissingZones(project: string, zones: readonly string[]): void;
  /** Overrides GetServerConfig for a location (proto3 JSON `ServerConfig`). */
  setServerConfig(location: string, config: { readonly [key: string]: unknown }): void;
  /** Overrides FetchClusterUpgradeInfo for `projects/P/locations/L/clusters/C`. */
  setUpgradeInfo(name: string, info: { readonly [key: string]: unknown }): void;
  /**
   * Sets a log bucket (proto3 JSON `LogBucket`) of a project by id. Every project has `_Default`
   * (30 days) and `_Required` (400 days, locked) until a test sets its own, as in Cloud Logging.
   */
  setLogBucket(project: string, bucketId: string, bucket: { readonly [key: string]: unknown }): void;
  /** Replaces a project's log-based metrics (proto3 JSON `LogMetric`s; `name` is the metric id). */
  putLogMetrics(project: string, metrics: readonly { readonly [key: string]: unknown }[]): void;
  /** Replaces a project's alert policies (proto3 JSON `AlertPolicy`s; `name` is filled in when absent). */
  putAlertPolicies(project: string, policies: readonly { readonly [key: string]: unknown }[]): void;
  addProject(projectId: string, entry: GcpHierarchyEntry): void;
  /** `folders/N` under a parent. */
  addFolder(name: string, entry: GcpHierarchyEntry): void;
  addFault(rule: GkeFaultRule): void;
  clearFaults(): void;
  /**
   * Draws a fault for every call (the fault suite): `throttle` RESOURCE_EXHAUSTED, `server-error`
   * UNAVAILABLE or INTERNAL, `reset` the response headers then the HTTP/2 stream reset
   * (RST_STREAM INTERNAL_ERROR), `slow` the real answer after `slowMs`, `truncated` the protobuf
   * message cut in half, `type-confused` its top-level fields sent with the wrong wire types (a
   * string field as a number, a number as bytes). Rules of addFault win. Undefined stops it.
   */
  setChaos(chaos: GkeChaos | undefined): void;
  calls(): readonly GkeRecordedCall[];
  clearCalls(): void;
  /** Forgets clusters, overrides, hierarchy, faults and calls. */
  reset(): void;
  /** Cluster count per project. */
  clusterCount(): number;
  close(): Promise<void>;
}

type Message = Record<string, unknown>;

const require = createRequire(import.meta.url);
const LOADER_OPTIONS = { keepCase: false, longs: String, enums: String, defaults: false, oneofs: true };

function serviceOf(definitions: protoLoader.PackageDefinition, name: string): grpc.ServiceDefinition {
  const definition = definitions[name];
  if (definition === undefined || 'format' in definition) throw new Error(`${name} is not a service`);
  return definition as grpc.ServiceDefinition;
}

const CONTAINER = protoLoader.fromJSON(
  require('@google-cloud/container/build/protos/protos.json'),
  LOADER_OPTIONS,
);
const RESOURCE_MANAGER = protoLoader.fromJSON(
  require('@google-cloud/resource-manager/build/protos/protos.json'),
  LOADER_OPTIONS,
);
const LOGGING = protoLoader.fromJSON(
  require('@google-cloud/logging-api/build/protos/protos.json'),
  LOADER_OPTIONS,
);
const MONITORING = protoLoader.fromJSON(
  require('@google-cloud/monitoring/build/protos/protos.json'),
  LOADER_OPTIONS,
);

const INJECTED = '(fault injected by the kubeline GKE test peer)';
/** The permission Google names in a PERMISSION_DENIED; GetServerConfig checks none of its own. */
const PERMISSION: Readonly<Partial<Record<GkePeerMethod, string>>> = {
  ListClusters: 'container.clusters.list',
  GetCluster: 'container.clusters.get',
  FetchClusterUpgradeInfo: 'container.clusters.get',
  SearchProjects: 'resourcemanager.projects.get',
  ListFolders: 'resourcemanager.folders.list',
  GetBucket: 'logging.buckets.get',
  ListLogMetrics: 'logging.logMetrics.list',
  ListAlertPolicies: 'monitoring.alertPolicies.list',
};

/** The buckets Cloud Logging creates in every project. */
function builtInBucket(name: string): Message | undefined {
  if (name.endsWith('/locations/global/buckets/_Default')) {
    return { name, description: 'Default bucket', retentionDays: 30, lifecycleState: 'ACTIVE' };
  }
  if (name.endsWith('/locations/global/buckets/_Required')) {
    return { name, description: 'Audit bucket', retentionDays: 400, locked: true, lifecycleState: 'ACTIVE' };
  }
  return undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function projectOf(resource: string): string | undefined {
  return /^projects\/([^/]+)/.exec(resource)?.[1];
}

const RECORDED = new URL('../../fixtures/versions/', import.meta.url);

function recordedMessage(file: string): Message {
  const parsed: unknown = JSON.parse(readFileSync(new URL(file, RECORDED), 'utf8'));
  if (!isJsonObject(parsed)) throw new Error(`test/fixtures/versions/${file} is not a JSON object`);
  return parsed;
}

/**
 * GetServerConfig as recorded: the versions each channel offered on one day. Written from the
 * documented `ServerConfig` shape, so that live scans are judged by what the API says, not by
 * kubeline's own calendar.
 */
function recordedServerConfig(): Message {
  return recordedMessage('gke-server-config.json');
}

/**
 * FetchClusterUpgradeInfo as recorded for a cluster on each minor (`ClusterUpgradeInfo` by minor),
 * with support dates a few days off kubeline's calendar. A minor the recording lacks gets no
 * dates, as for a version GKE no longer tracks.
 */
function recordedUpgradeInfo(cluster: Message): Message {
  const minor = parseKubernetesVersion(text(cluster.currentMasterVersion))?.minorVersion ?? '';
  const info = recordedMessage('gke-cluster-upgrade-info.json')[minor];
  return isJsonObject(info) ? info : { autoUpgradeStatus: ['UNKNOWN'] };
}

/** The status a drawn fault answers with instead of the real answer, if it replaces it. */
function chaosStatus(kind: ChaosKind, random: () => number): grpc.StatusObject | undefined {
  const note = '(fault injected by the kubeline fault suite)';
  const metadata = new grpc.Metadata();
  if (kind === 'throttle') {
    return {
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: `Quota exceeded for quota metric 'Read requests'. ${note}`,
      metadata,
    };
  }
  if (kind !== 'server-error') return undefined;
  return random() < 0.5
    ? { code: grpc.status.UNAVAILABLE, details: `The service is currently unavailable. ${note}`, metadata }
    : { code: grpc.status.INTERNAL, details: `Internal error encountered. ${note}`, metadata };
}

/** The HTTP/2 stream under a grpc-js server call, found through its (private) chain of call wrappers. */
function streamOf(call: object): { close(code: number): void } | undefined {
  let node: unknown = call;
  for (let depth = 0; depth < 8 && typeof node === 'object' && node !== null; depth += 1) {
    const stream = (node as { stream?: { close?: unknown } }).stream;
    if (stream !== undefined && typeof stream.close === 'function')
      return stream as { close(code: number): void };
    const next = node as { call?: unknown; nextCall?: unknown };
    node = next.nextCall ?? next.call;
  }
  return undefined;
}

/** Sends the response headers, then resets the call's stream as a dropped connection would. */
function resetStream(call: grpc.ServerUnaryCall<Message, Message>): void {
  const stream = streamOf(call);
  if (stream === undefined)
    throw new Error('the GKE peer cannot reach the HTTP/2 stream of a call to reset it');
  call.sendMetadata(new grpc.Metadata());
  setImmediate(() => stream.close(http2.NGHTTP2_INTERNAL_ERROR));
}

function readVarint(bytes: Buffer, start: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let position = start, shift = 0; position < bytes.length && shift < 35; position += 1, shift += 7) {
    const byte = bytes[position] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next: position + 1 };
  }
  return undefined;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/**
 * A protobuf message whose top-level fields, each with probability one half (at least one), are
 * sent with the wrong wire type: a string, message or list as the number 5, a number as the bytes
 * "x". A message that cannot be walked is cut in half instead.
 */
function wireTypeConfused(bytes: Buffer, random: () => number): Buffer {
  const fields: { field: number; wireType: number; raw: Buffer }[] = [];
  let position = 0;
  while (position < bytes.length) {
    const tag = readVarint(bytes, position);
    if (tag === undefined) return truncated(bytes);
    const wireType = tag.value % 8;
    let end: number;
    if (wireType === 0) end = readVarint(bytes, tag.next)?.next ?? Number.NaN;
    else if (wireType === 1) end = tag.next + 8;
    else if (wireType === 5) end = tag.next + 4;
    else if (wireType === 2) {
      const length = readVarint(bytes, tag.next);
      end = length === undefined ? Number.NaN : length.next + length.value;
    } else return truncated(bytes);
    if (!(end <= bytes.length)) return truncated(bytes);
    fields.push({ field: Math.floor(tag.value / 8), wireType, raw: bytes.subarray(position, end) });
    position = end;
  }
  if (fields.length === 0) return Buffer.concat([varint(1 * 8 + 0), varint(5)]);
  const swapped = fields.map(() => random() < 0.5);
  if (!swapped.includes(true)) swapped[0] = true;
  return Buffer.concat(
    fields.map(({ field, wireType, raw }, index) => {
      if (!swapped[index]) return raw;
      return wireType === 0
        ? Buffer.concat([varint(field * 8 + 2), varint(1), Buffer.from('x')])
        : Buffer.concat([varint(field * 8 + 0), varint(5)]);
    }),
  );
}

/**
 * Starts kubeline's GKE peer: a grpc-js server implementing google.container.v1.ClusterManager
 * (ListClusters with `locations/-` and missingZones, GetCluster, GetServerConfig,
 * FetchClusterUpgradeInfo) and the Resource Manager v3 Projects.SearchProjects and
 * Folders.ListFolders, Cloud Logging v2 ConfigServiceV2.GetBucket and MetricsServiceV2.ListLogMetrics,
 * and Cloud Monitoring v3 AlertPolicyService.ListAlertPolicies, from the protos shipped in the client
 * packages, on 127.0.0.1 and a free port. Version calls answer the responses recorded under
 * test/fixtures/versions/ unless a test sets its own.
 */
export async function startGkePeer(): Promise<GkePeer> {
  const clusters = new Map<string, Map<string, Message>>();
  const missingZones = new Map<string, readonly string[]>();
  const serverConfigs = new Map<string, Message>();
  const upgradeInfos = new Map<string, Message>();
  const projects = new Map<string, GcpHierarchyEntry>();
  const folders = new Map<string, GcpHierarchyEntry>();
  const logBuckets = new Map<string, Message>();
  const logMetrics = new Map<string, readonly Message[]>();
  const alertPolicies = new Map<string, readonly Message[]>();
  let faults: { rule: GkeFaultRule; left: number }[] = [];
  let calls: GkeRecordedCall[] = [];
  const held = new Set<NodeJS.Timeout>();
  let chaos: GkeChaos | undefined;
  /** Answers the fault suite cuts or type-confuses when they are serialised (each a fresh object). */
  const alterations = new WeakMap<object, ChaosKind>();

  function clusterAt(name: string): Message | undefined {
    const match = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(name);
    if (!match) return undefined;
    return clusters.get(match[1] ?? '')?.get(`${match[2]}/${match[3]}`);
  }

  function matchingFault(method: GkePeerMethod, project: string | undefined): GkeFaultRule | undefined {
    const found = faults.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method === method) &&
        (rule.project === undefined || rule.project === project),
    );
    if (found === undefined) return undefined;
    found.left -= 1;
    return found.rule;
  }

  /** Wraps a handler with fault injection and the call log. */
  function handler(
    method: GkePeerMethod,
    resourceOf: (request: Message) => string,
    answer: (request: Message) => Message | grpc.StatusObject,
  ): grpc.handleUnaryCall<Message, Message> {
    return (call, callback) => {
      const resource = resourceOf(call.request);
      const project =
        projectOf(resource) ?? (method === 'SearchProjects' ? resource.replace(/^parent:/, '') : resource);
      const record = (code: number) => {
        calls.push({ method, resource, project: projectOf(resource) ?? project, code });
      };
      const fault = matchingFault(method, project);
      if (fault?.kind === 'deadline') {
        record(grpc.status.DEADLINE_EXCEEDED);
        const timer = setTimeout(() => {
          held.delete(timer);
          callback({ code: grpc.status.DEADLINE_EXCEEDED, details: `held past the deadline ${INJECTED}` });
        }, fault.holdMs ?? 10_000);
        held.add(timer);
        call.on('cancelled', () => {
          clearTimeout(timer);
          held.delete(timer);
        });
        return;
      }
      const active = chaos;
      const drawn = fault === undefined ? active?.hook({ method, resource, project }) : undefined;
      if (active !== undefined && drawn !== undefined) {
        const status = chaosStatus(drawn, active.random);
        if (status !== undefined) {
          record(status.code);
          callback(status);
          return;
        }
        if (drawn === 'reset') {
          record(grpc.status.INTERNAL);
          resetStream(call);
          return;
        }
        const answerLater = () => {
          const result = answer(call.request);
          if ('code' in result && typeof result.code === 'number' && 'details' in result) {
            record(result.code);
            callback(result as grpc.StatusObject);
            return;
          }
          const copy = { ...result };
          if (drawn !== 'slow') alterations.set(copy, drawn);
          record(grpc.status.OK);
          callback(null, copy);
        };
        if (drawn === 'slow') {
          const timer = setTimeout(() => {
            held.delete(timer);
            answerLater();
          }, active.slowMs);
          held.add(timer);
          call.on('cancelled', () => {
            clearTimeout(timer);
            held.delete(timer);
          });
        } else answerLater();
        return;
      }
      if (fault !== undefined) {
        const [code, details] =
          fault.kind === 'permission-denied'
            ? [
                grpc.status.PERMISSION_DENIED,
                PERMISSION[method] === undefined
                  ? `Permission denied on "${resource}". ${INJECTED}`
                  : `Required "${PERMISSION[method]}" permission(s) for "${resource}". ${INJECTED}`,
              ]
            : fault.kind === 'api-disabled'
              ? [
                  grpc.status.PERMISSION_DENIED,
                  `Kubernetes Engine API has not been used in project ${project} before or it is disabled. ${INJECTED}`,
                ]
              : fault.kind === 'resource-exhausted'
                ? [
                    grpc.status.RESOURCE_EXHAUSTED,
                    `Quota exceeded for quota metric 'Read requests'. ${INJECTED}`,
                  ]
                : [grpc.status.UNAVAILABLE, `The service is currently unavailable. ${INJECTED}`];
        record(code);
        callback({ code, details });
        return;
      }
      const result = answer(call.request);
      if ('code' in result && typeof result.code === 'number' && 'details' in result) {
        record(result.code);
        callback(result as grpc.StatusObject);
        return;
      }
      record(grpc.status.OK);
      callback(null, result as Message);
    };
  }

  const clusterManager: grpc.UntypedServiceImplementation = {
    ListClusters: handler(
      'ListClusters',
      (request) => text(request.parent),
      (request) => {
        const match = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(text(request.parent));
        if (!match) {
          return {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'parent must be projects/*/locations/*',
          } as grpc.StatusObject;
        }
        const [, project = '', location = ''] = match;
        const listed = [...(clusters.get(project)?.entries() ?? [])]
          .filter(([key]) => location === '-' || key.startsWith(`${location}/`))
          .map(([, cluster]) => cluster);
        return { clusters: listed, missingZones: [...(missingZones.get(project) ?? [])] };
      },
    ),
    GetCluster: handler(
      'GetCluster',
      (request) => text(request.name),
      (request) =>
        clusterAt(text(request.name)) ??
        ({ code: grpc.status.NOT_FOUND, details: `Not found: ${text(request.name)}.` } as grpc.StatusObject),
    ),
    GetServerConfig: handler(
      'GetServerConfig',
      (request) => text(request.name),
      (request) => {
        const location = /\/locations\/([^/]+)$/.exec(text(request.name))?.[1] ?? '';
        const config = serverConfigs.get(location) ?? recordedServerConfig();
        return toWireMessage('google.container.v1.ServerConfig', config);
      },
    ),
    FetchClusterUpgradeInfo: handler(
      'FetchClusterUpgradeInfo',
      (request) => text(request.name),
      (request) => {
        const name = text(request.name);
        const cluster = clusterAt(name);
        if (cluster === undefined) {
          return { code: grpc.status.NOT_FOUND, details: `Not found: ${name}.` } as grpc.StatusObject;
        }
        const info = upgradeInfos.get(name) ?? recordedUpgradeInfo(cluster);
        return toWireMessage('google.container.v1.ClusterUpgradeInfo', info);
      },
    ),
  };

  function page<T>(items: readonly T[], request: Message): { items: T[]; next: string } {
    const size = typeof request.pageSize === 'number' && request.pageSize > 0 ? request.pageSize : 50;
    const start = Number(text(request.pageToken) || '0');
    const next = start + size < items.length ? String(start + size) : '';
    return { items: items.slice(start, start + size), next };
  }

  const projectsService: grpc.UntypedServiceImplementation = {
    SearchProjects: handler(
      'SearchProjects',
      (request) => text(request.query),
      (request) => {
        const parent = /(?:^|\s)parent:(\S+)/.exec(text(request.query))?.[1];
        const found = [...projects.entries()]
          .filter(([, entry]) => parent === undefined || entry.parent === parent)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([projectId, entry]) => ({
            name: `projects/${projectId}`,
            projectId,
            parent: entry.parent,
            state: entry.state ?? 'ACTIVE',
            displayName: projectId,
          }));
        const { items, next } = page(found, request);
        return { projects: items, nextPageToken: next };
      },
    ),
  };

  const foldersService: grpc.UntypedServiceImplementation = {
    ListFolders: handler(
      'ListFolders',
      (request) => text(request.parent),
      (request) => {
        const found = [...folders.entries()]
          .filter(([, entry]) => entry.parent === text(request.parent))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, entry]) => ({
            name,
            parent: entry.parent,
            displayName: name,
            state: entry.state ?? 'ACTIVE',
          }));
        const { items, next } = page(found, request);
        return { folders: items, nextPageToken: next };
      },
    ),
  };

  const configService: grpc.UntypedServiceImplementation = {
    GetBucket: handler(
      'GetBucket',
      (request) => text(request.name),
      (request) => {
        const name = text(request.name);
        if (!/^projects\/[^/]+\/locations\/[^/]+\/buckets\/[^/]+$/.test(name)) {
          return {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'name must be projects/*/locations/*/buckets/*',
          } as grpc.StatusObject;
        }
        const bucket = logBuckets.get(name) ?? builtInBucket(name);
        if (bucket === undefined) {
          return {
            code: grpc.status.NOT_FOUND,
            details: `Bucket ${name} does not exist.`,
          } as grpc.StatusObject;
        }
        return toWireMessage('google.logging.v2.LogBucket', bucket);
      },
    ),
  };

  const metricsService: grpc.UntypedServiceImplementation = {
    ListLogMetrics: handler(
      'ListLogMetrics',
      (request) => text(request.parent),
      (request) => {
        const project = /^projects\/([^/]+)$/.exec(text(request.parent))?.[1];
        if (project === undefined) {
          return {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'parent must be projects/*',
          } as grpc.StatusObject;
        }
        const { items, next } = page(logMetrics.get(project) ?? [], request);
        return {
          metrics: items.map((metric) => toWireMessage('google.logging.v2.LogMetric', metric)),
          nextPageToken: next,
        };
      },
    ),
  };

  const alertPolicyService: grpc.UntypedServiceImplementation = {
    ListAlertPolicies: handler(
      'ListAlertPolicies',
      (request) => text(request.name),
      (request) => {
        const project = /^projects\/([^/]+)$/.exec(text(request.name))?.[1];
        if (project === undefined) {
          return {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'name must be projects/*',
          } as grpc.StatusObject;
        }
        const { items, next } = page(alertPolicies.get(project) ?? [], request);
        return {
          alertPolicies: items.map((policy) => toWireMessage('google.monitoring.v3.AlertPolicy', policy)),
          nextPageToken: next,
          totalSize: (alertPolicies.get(project) ?? []).length,
        };
      },
    ),
  };

  /** A service whose answers the fault suite may cut or type-confuse as they are serialised. */
  const alterable = (definitions: protoLoader.PackageDefinition, name: string): grpc.ServiceDefinition => {
    const service = serviceOf(definitions, name);
    return Object.fromEntries(
      Object.entries(service).map(([method, definition]) => [
        method,
        {
          ...definition,
          responseSerialize: (value: object) => {
            const bytes = definition.responseSerialize(value);
            const kind = alterations.get(value);
            if (kind === 'truncated') return truncated(bytes);
            if (kind === 'type-confused' && chaos !== undefined) return wireTypeConfused(bytes, chaos.random);
            return bytes;
          },
        },
      ]),
    );
  };

  const server = new grpc.Server();
  server.addService(alterable(CONTAINER, 'google.container.v1.ClusterManager'), clusterManager);
  server.addService(alterable(RESOURCE_MANAGER, 'google.cloud.resourcemanager.v3.Projects'), projectsService);
  server.addService(alterable(RESOURCE_MANAGER, 'google.cloud.resourcemanager.v3.Folders'), foldersService);
  server.addService(alterable(LOGGING, 'google.logging.v2.ConfigServiceV2'), configService);
  server.addService(alterable(LOGGING, 'google.logging.v2.MetricsServiceV2'), metricsService);
  server.addService(alterable(MONITORING, 'google.monitoring.v3.AlertPolicyService'), alertPolicyService);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });

  let closed = false;
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    putClusters(project, list) {
      const stored = clusters.get(project) ?? new Map<string, Message>();
      for (const cluster of list) {
        const wire = clusterToWire(cluster);
        const location = text(wire.location) || text(wire.zone);
        stored.set(`${location}/${text(wire.name)}`, wire);
      }
      clusters.set(project, stored);
    },
    setMissingZones: (project, zones) => missingZones.set(project, zones),
    setServerConfig: (location, config) => serverConfigs.set(location, { ...config }),
    setUpgradeInfo: (name, info) => upgradeInfos.set(name, { ...info }),
    setLogBucket(project, bucketId, bucket) {
      const name = `projects/${project}/locations/global/buckets/${bucketId}`;
      logBuckets.set(name, { name, ...bucket });
    },
    putLogMetrics: (project, metrics) =>
      logMetrics.set(
        project,
        metrics.map((metric) => ({ ...metric })),
      ),
    putAlertPolicies(project, policies) {
      alertPolicies.set(
        project,
        policies.map((policy, index) => ({
          name: `projects/${project}/alertPolicies/${index + 1}`,
          ...policy,
        })),
      );
    },
    addProject: (projectId, entry) => projects.set(projectId, entry),
    addFolder: (name, entry) => folders.set(name, entry),
    addFault(rule) {
      faults.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults = [];
    },
    setChaos(next) {
      chaos = next;
    },
    calls: () => calls,
    clearCalls() {
      calls = [];
    },
    reset() {
      clusters.clear();
      missingZones.clear();
      serverConfigs.clear();
      upgradeInfos.clear();
      projects.clear();
      folders.clear();
      logBuckets.clear();
      logMetrics.clear();
      alertPolicies.clear();
      faults = [];
      chaos = undefined;
      calls = [];
    },
    clusterCount: () => [...clusters.values()].reduce((sum, stored) => sum + stored.size, 0),
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of held) clearTimeout(timer);
      server.forceShutdown();
    },
  };
}
