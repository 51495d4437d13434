import type { Observed, SourceField } from '../../model/observed.js';
import { known, unknown } from '../../model/observed.js';
import type { FailedAuthAlerting } from '../../model/posture.js';
import type { Collected } from '../collected.js';
import {
  child,
  element,
  isAbsent,
  nonEmptyString,
  quoted,
  type RawNode,
  readArray,
  readBoolean,
  readObject,
  readString,
  rootNode,
  sourceOf,
} from '../reader.js';
import {
  type LoggingQuery,
  matchesEntry,
  parseLoggingQuery,
  type SampleEntry,
  type Truth,
  UnsupportedQuery,
} from './loggingQuery.js';

/**
 * Cloud Logging and Cloud Monitoring settings of a project, read once per project and shared by
 * every cluster in it. Each is the API's proto3 JSON; absent in a snapshot.
 */
export interface GkeProjectLogging {
  /** Logging GetBucket `projects/P/locations/global/buckets/_Default`: a `LogBucket`. */
  readonly defaultBucket: Collected<unknown>;
  /** Logging ListLogMetrics `projects/P`, every page: the `LogMetric`s. */
  readonly logMetrics: Collected<unknown>;
  /** Monitoring ListAlertPolicies `projects/P`, every page: the `AlertPolicy`s. */
  readonly alertPolicies: Collected<unknown>;
}

/** The cluster whose audit entries the samples stand for. */
export interface AuditedCluster {
  readonly project: string;
  readonly location: string;
  readonly name: string;
}

const NOT_IN_EXPORT =
  'project settings that an export of the Cluster resource does not hold: a live scan reads them';

/** Why the _Default bucket's retention is unknown in a `--from` scan. */
export const DEFAULT_BUCKET_NOT_IN_EXPORT = `the _Default log bucket's retention (Cloud Logging GetBucket) is one of the ${NOT_IN_EXPORT}`;
/** Why failed-authentication alerting is unknown in a `--from` scan. */
export const ALERTING_NOT_IN_EXPORT = `log-based metrics and alert policies (Cloud Logging ListLogMetrics, Cloud Monitoring ListAlertPolicies) are ${NOT_IN_EXPORT}`;

/**
 * Days the project's `_Default` bucket keeps log entries (`LogBucket.retentionDays`). Cloud
 * Logging routes Data Access audit logs, Kubernetes reads among them, there.
 */
export function defaultLogBucketRetention(logging: GkeProjectLogging | undefined): Observed<number> {
  if (logging === undefined) return unknown(DEFAULT_BUCKET_NOT_IN_EXPORT);
  if ('missing' in logging.defaultBucket) return unknown(logging.defaultBucket.missing);
  const days = child(rootNode(logging.defaultBucket.ok, 'logBuckets._Default'), 'retentionDays');
  const source = sourceOf(days);
  if (days.broken) return unknown(days.broken.reason, days.broken.source);
  if (isAbsent(days.value))
    return unknown('logBuckets._Default.retentionDays absent from the LogBucket', source);
  if (typeof days.value !== 'number' || !Number.isInteger(days.value) || days.value < 1) {
    return unknown(
      `logBuckets._Default.retentionDays ${quoted(String(days.value))} is not a number of days`,
      source,
    );
  }
  return known(days.value, source);
}

// The entries a failed request to the cluster's API server writes to Cloud Audit Logs: GKE logs
// `protoPayload` as an AuditLog with the request's gRPC status (16 UNAUTHENTICATED for a 401,
// 7 PERMISSION_DENIED for a 403), the Kubernetes Status in `response` and, once the caller is
// known, the authorizer's decision in `authorizationInfo`.
// https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging

/** Fields whose values differ from one audit entry to the next: a filter on them cannot be decided. */
const OPEN_FIELDS: readonly (readonly string[])[] = [
  ['severity'],
  ['timestamp'],
  ['receiveTimestamp'],
  ['insertId'],
  ['labels'],
  ['operation'],
  ['trace'],
  ['spanId'],
  ['traceSampled'],
  ['sourceLocation'],
  ['split'],
  ['protoPayload', 'methodName'],
  ['protoPayload', 'resourceName'],
  ['protoPayload', 'authenticationInfo'],
  ['protoPayload', 'requestMetadata'],
  ['protoPayload', 'request'],
  ['protoPayload', 'metadata'],
  ['protoPayload', 'authorizationInfo', 'permission'],
  ['protoPayload', 'authorizationInfo', 'resource'],
  ['protoPayload', 'status', 'details'],
];

type AuditLog = 'activity' | 'data_access';
const AUDIT_LOGS: readonly AuditLog[] = ['activity', 'data_access'];

function auditEntry(
  cluster: AuditedCluster,
  log: AuditLog,
  payload: { readonly [key: string]: unknown },
): SampleEntry {
  return {
    fields: {
      logName: `projects/${cluster.project}/logs/cloudaudit.googleapis.com%2F${log}`,
      resource: {
        type: 'k8s_cluster',
        labels: { project_id: cluster.project, location: cluster.location, cluster_name: cluster.name },
      },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        serviceName: 'k8s.io',
        ...payload,
      },
    },
    open: OPEN_FIELDS,
  };
}

const UNAUTHENTICATED = {
  status: { code: 16, message: 'Unauthorized' },
  response: { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 },
};
const FORBIDDEN = {
  status: { code: 7, message: 'Forbidden' },
  response: { kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 },
  authorizationInfo: [{ granted: false }],
};
const SUCCEEDED = { status: { code: 0 }, authorizationInfo: [{ granted: true }] };

/** The cluster's failed-authentication and failed-authorization audit entries, in both audit logs. */
function failedEntries(cluster: AuditedCluster): SampleEntry[] {
  return AUDIT_LOGS.flatMap((log) => [
    auditEntry(cluster, log, UNAUTHENTICATED),
    auditEntry(cluster, log, FORBIDDEN),
  ]);
}

/**
 * Entries a failed-authentication metric must not count: the cluster's successful requests, and a
 * denied call to another Google service in the same project.
 */
function otherEntries(cluster: AuditedCluster): SampleEntry[] {
  const deniedElsewhere: SampleEntry = {
    fields: {
      logName: `projects/${cluster.project}/logs/cloudaudit.googleapis.com%2Factivity`,
      resource: { type: 'gce_instance', labels: { project_id: cluster.project, zone: cluster.location } },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        serviceName: 'compute.googleapis.com',
        status: { code: 7, message: 'PERMISSION_DENIED' },
        authorizationInfo: [{ granted: false }],
      },
    },
    open: OPEN_FIELDS,
  };
  return [...AUDIT_LOGS.map((log) => auditEntry(cluster, log, SUCCEEDED)), deniedElsewhere];
}

/** How a filter stands to the cluster's failed authentications. */
type Coverage = 'covers' | 'misses' | { readonly undecided: string };

/**
 * The matcher: a filter counts the cluster's failed authentications when it matches at least one
 * of its failed audit entries (401 or 403, Admin Activity or Data Access) and matches neither a
 * successful request of the cluster nor a denied call to another service. So it must select
 * Kubernetes audit entries (`resource.type="k8s_cluster"`, `protoPayload.serviceName="k8s.io"`,
 * or the cluster by name) and failures (`protoPayload.status.code` 16 or 7,
 * `protoPayload.response.code` 401 or 403, `protoPayload.authorizationInfo.granted=false`…);
 * a filter that names other clusters only misses this one. A filter that hinges on a field that
 * varies from entry to entry (severity, method) or that kubeline cannot parse stays undecided.
 */
export function filterCoverage(filter: string, cluster: AuditedCluster): Coverage {
  let query: LoggingQuery;
  try {
    query = parseLoggingQuery(filter);
  } catch (error) {
    if (error instanceof UnsupportedQuery)
      return { undecided: `its filter cannot be read: ${error.message}` };
    throw error;
  }
  const failed: Truth[] = failedEntries(cluster).map((entry) => matchesEntry(query, entry));
  const other: Truth[] = otherEntries(cluster).map((entry) => matchesEntry(query, entry));
  if (other.includes(true) || failed.every((match) => match === false)) return 'misses';
  if (failed.includes(true) && other.every((match) => match === false)) return 'covers';
  return {
    undecided:
      'its filter depends on fields that vary from one audit entry to the next (severity, method, resource name…), so whether it counts failed authentications cannot be told',
  };
}

/** A log-based metric as read. */
interface LogMetric {
  readonly name: string;
  readonly filter: string;
  readonly disabled: boolean;
  readonly node: RawNode;
}

/** One condition of an alert policy, with what it watches. */
interface PolicyCondition {
  readonly node: RawNode;
  /** Monitoring filter, MQL or PromQL text that names metrics. */
  readonly metricText?: { readonly text: string; readonly source: SourceField };
  /** A log-match condition's Logging filter. */
  readonly logFilter?: { readonly text: string; readonly source: SourceField };
}

interface AlertPolicy {
  /** `displayName`, else the resource name. */
  readonly displayName: string;
  /** `monitoring-alert-policy:<displayName>`. */
  readonly label: string;
  /** The policy's `enabled`; undefined when the API left it unset. */
  readonly enabled: boolean | undefined;
  readonly enabledSource: SourceField;
  readonly conditions: readonly PolicyCondition[];
}

type Parsed<T> = { readonly ok: T } | { readonly invalid: string; readonly source: SourceField };

function listOf(value: unknown, path: string): Parsed<readonly RawNode[]> {
  const node = rootNode(value, path);
  const list = readArray(node);
  if (list.kind === 'invalid') return { invalid: list.reason, source: list.source };
  const items = list.kind === 'value' ? list.value : [];
  return { ok: items.map((item, index) => element(node, item, index)) };
}

/** A required non-empty string field of a list element. */
function requiredText(node: RawNode, key: string): Parsed<string> {
  const read = readString(child(node, key));
  if (read.kind === 'invalid') return { invalid: read.reason, source: read.source };
  const text = nonEmptyString(read);
  return text === undefined ? { invalid: `${node.path} has no ${key}`, source: read.source } : { ok: text };
}

function readMetrics(value: unknown): Parsed<readonly LogMetric[]> {
  const list = listOf(value, 'logMetrics');
  if ('invalid' in list) return list;
  const metrics: LogMetric[] = [];
  for (const entry of list.ok) {
    const name = requiredText(entry, 'name');
    if ('invalid' in name) return name;
    const node = { value: entry.value, path: `logMetrics[name=${name.ok}]` };
    const filter = requiredText(node, 'filter');
    if ('invalid' in filter) return filter;
    const disabled = readBoolean(child(node, 'disabled'));
    if (disabled.kind === 'invalid') return { invalid: disabled.reason, source: disabled.source };
    metrics.push({
      name: name.ok,
      filter: filter.ok,
      disabled: disabled.kind === 'value' && disabled.value,
      node,
    });
  }
  return { ok: metrics };
}

/** The text of a condition's field, when the condition is of that type. */
function conditionText(
  condition: RawNode,
  type: string,
  field: string,
): Parsed<{ readonly text: string; readonly source: SourceField } | undefined> {
  const block = child(condition, type);
  const object = readObject(block);
  if (object.kind === 'invalid') return { invalid: object.reason, source: object.source };
  if (object.kind === 'absent') return { ok: undefined };
  const text = readString(child(block, field));
  if (text.kind === 'invalid') return { invalid: text.reason, source: text.source };
  // Monitoring requires the field: a condition without it may watch the metric, so it proves no absence.
  if (text.kind === 'absent') return { invalid: `${text.source.path} is absent`, source: text.source };
  return { ok: { text: text.value, source: text.source } };
}

/** Condition types that name the metric they watch, and the field that holds it. */
const METRIC_CONDITIONS = [
  ['conditionThreshold', 'filter'],
  ['conditionAbsent', 'filter'],
  ['conditionMonitoringQueryLanguage', 'query'],
  ['conditionPrometheusQueryLanguage', 'query'],
] as const;

function readPolicies(value: unknown): Parsed<readonly AlertPolicy[]> {
  const list = listOf(value, 'alertPolicies');
  if ('invalid' in list) return list;
  const policies: AlertPolicy[] = [];
  for (const entry of list.ok) {
    const name = requiredText(entry, 'name');
    if ('invalid' in name) return name;
    const node = { value: entry.value, path: `alertPolicies[name=${name.ok}]` };
    const displayName = readString(child(node, 'displayName'));
    const enabled = readBoolean(child(node, 'enabled'));
    if (enabled.kind === 'invalid') return { invalid: enabled.reason, source: enabled.source };
    const conditionsNode = child(node, 'conditions');
    const conditionList = readArray(conditionsNode);
    if (conditionList.kind === 'invalid')
      return { invalid: conditionList.reason, source: conditionList.source };
    const conditions: PolicyCondition[] = [];
    for (const [index, item] of (conditionList.kind === 'value' ? conditionList.value : []).entries()) {
      const condition = element(conditionsNode, item, index);
      let metricText: PolicyCondition['metricText'];
      for (const [type, field] of METRIC_CONDITIONS) {
        const text = conditionText(condition, type, field);
        if ('invalid' in text) return text;
        metricText ??= text.ok;
      }
      const logFilter = conditionText(condition, 'conditionMatchedLog', 'filter');
      if ('invalid' in logFilter) return logFilter;
      conditions.push({
        node: condition,
        ...(metricText === undefined ? {} : { metricText }),
        ...(logFilter.ok === undefined ? {} : { logFilter: logFilter.ok }),
      });
    }
    const shown = nonEmptyString(displayName) ?? name.ok;
    policies.push({
      displayName: shown,
      label: `monitoring-alert-policy:${shown}`,
      enabled: enabled.kind === 'value' ? enabled.value : undefined,
      enabledSource: enabled.source,
      conditions,
    });
  }
  return { ok: policies };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a condition's filter or query names the metric: `metric.type="logging.googleapis.com/user/NAME"`
 * in a Monitoring filter or MQL, or its PromQL name `logging_googleapis_com:user_NAME` (every
 * character PromQL does not allow in a name becomes `_`). A condition that names only other
 * clusters (`resource.label.cluster_name`) does not alert for this one.
 */
export function namesMetric(text: string, metricName: string, clusterName: string): boolean {
  const type = `logging.googleapis.com/user/${metricName}`;
  const promql = `logging_googleapis_com:user_${metricName.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const literal = new RegExp(`${escapeRegExp(type)}(?=$|["'\\s|)}])`);
  const prometheus = new RegExp(`(?:^|[^A-Za-z0-9_:])${escapeRegExp(promql)}(?![A-Za-z0-9_:])`);
  if (!literal.test(text) && !prometheus.test(text)) return false;
  const named = [...text.matchAll(/resource\.labels?\.cluster_name\s*=\s*"([^"]*)"/g)].map(
    (match) => match[1],
  );
  return named.length === 0 || named.includes(clusterName);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Evidence fields in first-seen order, each path once. */
function uniqueSources(sources: readonly SourceField[]): SourceField[] {
  const seen = new Set<string>();
  return sources.filter((source) => !seen.has(source.path) && seen.add(source.path));
}

/**
 * AUD-04 on GKE: enabled alert policies that fire on the cluster's failed authentications, through
 * a log-based metric whose filter covers them (see filterCoverage) or a log-match condition over
 * them; and the covering metrics no enabled policy watches. Unknown when either list could not be
 * read and no alert was found, or when a metric or policy that could decide it cannot be read.
 */
export function failedAuthAlerting(
  logging: GkeProjectLogging | undefined,
  cluster: AuditedCluster,
): Observed<FailedAuthAlerting> {
  if (logging === undefined) return unknown(ALERTING_NOT_IN_EXPORT);
  if ('missing' in logging.alertPolicies) return unknown(logging.alertPolicies.missing);
  const policies = readPolicies(logging.alertPolicies.ok);
  if ('invalid' in policies) return unknown(policies.invalid, policies.source);
  const metrics = 'missing' in logging.logMetrics ? undefined : readMetrics(logging.logMetrics.ok);
  if (metrics !== undefined && 'invalid' in metrics) return unknown(metrics.invalid, metrics.source);

  const alerts: string[] = [];
  const unalerted: string[] = [];
  const undecided: string[] = [];
  const evidence: SourceField[] = [];

  for (const policy of policies.ok) {
    for (const condition of policy.conditions) {
      if (condition.logFilter === undefined || policy.enabled === false) continue;
      const coverage = filterCoverage(condition.logFilter.text, cluster);
      if (coverage === 'misses') continue;
      if (coverage !== 'covers') {
        undecided.push(`${policy.label}: ${coverage.undecided}`);
      } else if (policy.enabled === undefined) {
        undecided.push(`${policy.label} does not say whether it is enabled`);
      } else {
        alerts.push(policy.label);
        evidence.push(condition.logFilter.source, policy.enabledSource);
      }
    }
  }

  for (const metric of metrics?.ok ?? []) {
    if (metric.disabled) continue;
    const watching = policies.ok.flatMap((policy) =>
      policy.conditions
        .filter(
          (condition) =>
            condition.metricText !== undefined &&
            namesMetric(condition.metricText.text, metric.name, cluster.name),
        )
        .map((condition) => ({ policy, condition })),
    );
    const enabledWatchers = watching.filter(({ policy }) => policy.enabled === true);
    const coverage = filterCoverage(metric.filter, cluster);
    if (coverage === 'misses') continue;
    if (coverage !== 'covers') {
      if (watching.some(({ policy }) => policy.enabled !== false)) {
        undecided.push(`log-metric:${metric.name}: ${coverage.undecided}`);
      }
      continue;
    }
    evidence.push(sourceOf(child(metric.node, 'filter')));
    if (enabledWatchers.length === 0) {
      unalerted.push(`log-metric:${metric.name}`);
      for (const { policy } of watching.filter(({ policy }) => policy.enabled === undefined)) {
        undecided.push(`${policy.label} does not say whether it is enabled`);
      }
      continue;
    }
    for (const { policy, condition } of enabledWatchers) {
      alerts.push(policy.label);
      if (condition.metricText !== undefined) evidence.push(condition.metricText.source);
      evidence.push(policy.enabledSource);
    }
  }

  const result = { alerts: sortedUnique(alerts), unalerted: sortedUnique(unalerted) };
  const sources = uniqueSources([
    ...evidence,
    {
      path: 'logMetrics[*].name',
      value: metrics === undefined ? null : metrics.ok.map((metric) => metric.name),
    },
    { path: 'alertPolicies[*].displayName', value: policies.ok.map((policy) => policy.displayName) },
  ]);
  if (result.alerts.length > 0) return known(result, ...sources);
  if ('missing' in logging.logMetrics) return unknown(logging.logMetrics.missing, ...sources);
  if (undecided.length > 0) {
    return unknown(
      `no alert on failed authentications could be confirmed: ${sortedUnique(undecided).join('; ')}`,
      ...sources,
    );
  }
  return known(result, ...sources);
}
