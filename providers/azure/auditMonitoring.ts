import type { Observed, SourceField } from '../../model/observed.js';
import { known, unknown } from '../../model/observed.js';
import type { FailedAuthAlerting } from '../../model/posture.js';
import type { Collected } from '../collected.js';
import {
  child,
  describeValue,
  element,
  isAbsent,
  isRawObject,
  lookup,
  nonEmptyString,
  type RawNode,
  readArray,
  readBoolean,
  readString,
  readStringArray,
  rootNode,
  sourceOf,
} from '../reader.js';
import { type AksAuditTable, failedAuthenticationTables } from './alertQuery.js';
import type {
  AksCollected,
  AksResourceId,
  AuditDestination,
  DestinationField,
  LogAnalyticsReading,
  ScheduledQueryRuleList,
} from './normalise.js';

/**
 * Where the audit logs of an AKS cluster are kept and who watches them (AUD-03, AUD-04), from
 * what the collector read beyond the managed cluster: the Log Analytics workspaces the diagnostic
 * settings send audit logs to, Defender for Cloud's Containers plan, and scheduled query rules.
 */

const RETIRED = 'which diagnostic settings do not show (their retentionPolicy was retired on 2025-09-30)';

/** Where the retention of logs sent to each kind of destination other than a workspace is set. */
const RETENTION_SET_ON: Readonly<Record<Exclude<DestinationField, 'workspaceId'>, string>> = {
  storageAccountId: 'the storage account (lifecycle management)',
  eventHubAuthorizationRuleId: 'whatever consumes the event hub',
  marketplacePartnerId: 'the partner solution',
};

/** An ARM resource's properties: in their `properties` envelope on the wire, flattened by the SDKs. */
function propertiesOf(root: RawNode): RawNode {
  return isRawObject(lookup(root.value, 'properties'))
    ? child(root, 'properties')
    : { value: root.value, path: `${root.path}.properties` };
}

/** A retention in days: a positive number; `-1`, 0 or absent mean "the default" (of the workspace, or of the table). */
type Days =
  | { readonly kind: 'days'; readonly days: number; readonly source: SourceField }
  | { readonly kind: 'default'; readonly source: SourceField }
  | { readonly kind: 'invalid'; readonly reason: string; readonly source: SourceField };

function readDays(node: RawNode): Days {
  const { value } = node;
  if (isAbsent(value)) return { kind: 'default', source: sourceOf(node) };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      kind: 'invalid',
      reason: `${node.path} is ${describeValue(value)}, expected a number of days`,
      source: sourceOf(node),
    };
  }
  return value > 0
    ? { kind: 'days', days: value, source: sourceOf(node) }
    : { kind: 'default', source: sourceOf(node) };
}

type Retention =
  | { readonly days: number; readonly from: readonly SourceField[] }
  | { readonly reason: string; readonly from: readonly SourceField[] };

/**
 * How long one audit table of a workspace keeps rows: `totalRetentionInDays` (interactive plus
 * long-term retention: the rows are still kept, and searchable by search jobs or restore), else
 * the table's own `retentionInDays`, else the workspace's `retentionInDays`, its tables' default.
 */
function tableRetention(reading: LogAnalyticsReading, table: AksAuditTable): Retention {
  const workspacePath = `workspaces[${reading.workspaceId}]`;
  const tableRead = reading.tables[table];
  if (tableRead === undefined) return { reason: `table ${table} of ${workspacePath} was not read`, from: [] };
  if ('missing' in tableRead) return { reason: tableRead.missing, from: [] };
  const tableProps = propertiesOf(rootNode(tableRead.ok, `${workspacePath}.tables[${table}]`));
  const total = readDays(child(tableProps, 'totalRetentionInDays'));
  const interactive = readDays(child(tableProps, 'retentionInDays'));
  const from = [total.source, interactive.source];
  if (total.kind === 'invalid') return { reason: total.reason, from };
  if (interactive.kind === 'invalid') return { reason: interactive.reason, from };
  if (total.kind === 'days') return { days: total.days, from };
  if (interactive.kind === 'days') return { days: interactive.days, from };
  if ('missing' in reading.workspace) {
    return {
      reason: `table ${table} keeps the workspace's default retention, which could not be read: ${reading.workspace.missing}`,
      from,
    };
  }
  const workspace = readDays(
    child(propertiesOf(rootNode(reading.workspace.ok, workspacePath)), 'retentionInDays'),
  );
  const withWorkspace = [...from, workspace.source];
  if (workspace.kind === 'invalid') return { reason: workspace.reason, from: withWorkspace };
  if (workspace.kind === 'default') {
    return {
      reason: `table ${table} keeps the workspace's default retention, and ${workspacePath} states none`,
      from: withWorkspace,
    };
  }
  return { days: workspace.days, from: withWorkspace };
}

/**
 * Days the cluster's exported audit logs are kept: the longest any destination keeps them (a copy
 * kept longer is still a copy kept; `kube-audit` holds every event of `kube-audit-admin`). Known
 * only when every destination's retention was read: one whose retention is not known could keep
 * them longer than the others, so a shorter known figure would be a wrong fail.
 */
export function auditLogRetention(
  destinations: readonly AuditDestination[],
  logAnalytics: readonly LogAnalyticsReading[] | undefined,
  settingsEvidence: readonly SourceField[],
): Observed<number | null> {
  const reasons = new Set<string>();
  const days: number[] = [];
  const from: SourceField[] = [...settingsEvidence];
  for (const destination of destinations) {
    for (const field of destination.elsewhere) {
      reasons.add(`retention is set on ${RETENTION_SET_ON[field]}, ${RETIRED}`);
    }
    if (destination.workspace === undefined) continue;
    const workspaceId = destination.workspace.id;
    if (logAnalytics === undefined) {
      reasons.add(
        `retention is set on the Log Analytics workspace (table retention), ${RETIRED}; a live scan reads it from the workspace`,
      );
      continue;
    }
    const reading = logAnalytics.find(
      (entry) => entry.workspaceId.toLowerCase() === workspaceId.toLowerCase(),
    );
    if (reading === undefined) {
      reasons.add(`the Log Analytics workspace ${workspaceId} was not read`);
      continue;
    }
    for (const table of destination.workspace.tables) {
      const retention = tableRetention(reading, table);
      from.push(...retention.from);
      if ('days' in retention) days.push(retention.days);
      else reasons.add(retention.reason);
    }
  }
  if (reasons.size > 0 || days.length === 0) {
    return unknown([...reasons].join('; ') || 'no destination of the audit logs was read', ...from);
  }
  return known(Math.max(...days), ...from);
}

const SNAPSHOT_ALERTING =
  'failed-authentication alerting is read live only: Defender for Containers (the Containers pricing of the subscription) and scheduled query rules are not in exported files';
const ALERT_PREFIX = 'scheduled-query-rule:';

/** Lower-cased ARM ids without a trailing slash: ARM compares ids case-insensitively. */
function normalisedId(id: string): string {
  return id.toLowerCase().replace(/\/+$/, '');
}

/**
 * The scopes a rule can have to watch this cluster's audit logs, with the tables it must query
 * there: each workspace its audit logs go to (the tables they land in), and the cluster itself,
 * its resource group or its subscription (a resource-centric query reads every workspace the
 * cluster's logs go to). When the diagnostic settings are not known, only the latter count, over
 * any audit table.
 */
function ruleTargets(
  cluster: AksResourceId & { readonly id: string },
  destinations: Collected<readonly AuditDestination[]>,
): Map<string, Set<AksAuditTable>> {
  const targets = new Map<string, Set<AksAuditTable>>();
  const resourceTables = new Set<AksAuditTable>(
    'missing' in destinations
      ? ['AKSAudit', 'AKSAuditAdmin', 'AzureDiagnostics']
      : destinations.ok.flatMap((destination) => destination.workspace?.tables ?? []),
  );
  const subscription = `/subscriptions/${cluster.subscriptionId}`;
  for (const scope of [cluster.id, `${subscription}/resourcegroups/${cluster.resourceGroup}`, subscription]) {
    targets.set(normalisedId(scope), resourceTables);
  }
  for (const destination of 'ok' in destinations ? destinations.ok : []) {
    if (destination.workspace === undefined) continue;
    const key = normalisedId(destination.workspace.id);
    const tables = targets.get(key) ?? new Set<AksAuditTable>();
    for (const table of destination.workspace.tables) tables.add(table);
    targets.set(key, tables);
  }
  return targets;
}

/** Why a field a scheduled query rule must have could not be read: its wrong type, or its absence. */
function unreadableReason(
  read: { readonly kind: 'absent' } | { readonly kind: 'invalid'; readonly reason: string },
  node: RawNode,
): string {
  return read.kind === 'invalid' ? read.reason : `${node.path} is absent`;
}

/** What one scheduled query rule says about this cluster's failed authentications. */
type RuleVerdict =
  | { readonly kind: 'unrelated' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'alert' | 'unalerted'; readonly name: string; readonly from: readonly SourceField[] };

function judgeRule(
  rule: unknown,
  label: string,
  targets: ReadonlyMap<string, ReadonlySet<AksAuditTable>>,
): RuleVerdict {
  const name = nonEmptyString(readString(child(rootNode(rule, ''), 'name')));
  const root = rootNode(rule, name === undefined ? label : `scheduledQueryRules[name=${name}]`);
  const props = propertiesOf(root);
  // ARM requires a rule's scopes and its criteria's queries: a rule without them is a damaged
  // answer, which may hide an alert, so it is unreadable rather than unrelated.
  const scopesNode = child(props, 'scopes');
  const scopes = readStringArray(scopesNode);
  if (scopes.kind !== 'value') return { kind: 'unreadable', reason: unreadableReason(scopes, scopesNode) };
  const allowed = new Set<AksAuditTable>();
  for (const scope of scopes.value) {
    for (const table of targets.get(normalisedId(scope)) ?? []) allowed.add(table);
  }
  if (allowed.size === 0) return { kind: 'unrelated' };
  const conditionsNode = child(child(props, 'criteria'), 'allOf');
  const conditions = readArray(conditionsNode);
  if (conditions.kind !== 'value') {
    return { kind: 'unreadable', reason: unreadableReason(conditions, conditionsNode) };
  }
  const queries: SourceField[] = [];
  for (const [index, condition] of conditions.value.entries()) {
    const queryNode = child(element(conditionsNode, condition, index), 'query');
    const query = readString(queryNode);
    if (query.kind !== 'value') return { kind: 'unreadable', reason: unreadableReason(query, queryNode) };
    if (failedAuthenticationTables(query.value).some((table) => allowed.has(table)))
      queries.push(query.source);
  }
  if (queries.length === 0) return { kind: 'unrelated' };
  const enabledNode = child(props, 'enabled');
  const enabled = readBoolean(enabledNode);
  // ARM requires `enabled` too: a rule without it may be on, so it proves no missing alert.
  if (enabled.kind !== 'value') return { kind: 'unreadable', reason: unreadableReason(enabled, enabledNode) };
  const kind = readString(child(root, 'kind'));
  const from = [enabled.source, scopes.source, ...queries];
  const alertName = `${ALERT_PREFIX}${name ?? label}`;
  if (!enabled.value) {
    return { kind: 'unalerted', name: `${alertName} (disabled)`, from };
  }
  // A LogToMetric rule turns rows into a metric and alerts on nothing itself.
  if (kind.kind === 'value' && kind.value.toLowerCase() === 'logtometric') {
    return { kind: 'unalerted', name: `${alertName} (log-to-metric)`, from: [...from, kind.source] };
  }
  return { kind: 'alert', name: alertName, from };
}

/**
 * Failed API authentications raise an alert (AUD-04) when Defender for Containers is on for the
 * cluster's subscription (the Containers plan at the `Standard` tier: its control-plane detections
 * read the cluster's audit events without a diagnostic setting), or when an enabled scheduled
 * query rule over the cluster's audit table looks for failed authentications (alertQuery.ts),
 * scoped to a workspace the cluster's audit logs go to, or to the cluster, its resource group or
 * its subscription. Either one alone proves an alert, so a source that could not be read leaves
 * the field unknown only when none of the others proved one.
 */
export function failedAuthAlerting(
  collected: AksCollected,
  cluster: AksResourceId & { readonly id: string },
  destinations: Collected<readonly AuditDestination[]>,
): Observed<FailedAuthAlerting> {
  const defender = collected.defenderForContainers;
  const ruleLists: readonly ScheduledQueryRuleList[] | undefined = collected.scheduledQueryRules;
  if (defender === undefined && ruleLists === undefined) return unknown(SNAPSHOT_ALERTING);
  const alerts = new Set<string>();
  const unalerted = new Set<string>();
  const unreadable: string[] = [];
  const from: SourceField[] = [];

  if (defender === undefined) unreadable.push('the Defender for Containers plan was not read');
  else if ('missing' in defender) unreadable.push(defender.missing);
  else {
    const tier = readString(
      child(propertiesOf(rootNode(defender.ok, 'pricings[Containers]')), 'pricingTier'),
    );
    from.push(tier.source);
    if (tier.kind === 'value') {
      if (tier.value.toLowerCase() === 'standard') alerts.add('defender-for-containers');
    } else {
      unreadable.push(
        tier.kind === 'invalid'
          ? tier.reason
          : 'the Containers pricing of the subscription states no pricingTier',
      );
    }
  }

  if ('missing' in destinations) {
    unreadable.push(
      `which Log Analytics workspaces receive the audit logs is not known: ${destinations.missing}`,
    );
  }
  const targets = ruleTargets(cluster, destinations);
  if (ruleLists === undefined) unreadable.push('scheduled query rules were not read');
  for (const list of ruleLists ?? []) {
    const listPath = `subscriptions/${list.subscriptionId}/scheduledQueryRules`;
    if ('missing' in list.rules) {
      unreadable.push(list.rules.missing);
      continue;
    }
    from.push({ path: `${listPath}.count`, value: list.rules.ok.length });
    for (const [index, rule] of list.rules.ok.entries()) {
      const verdict = judgeRule(rule, `${listPath}[${index}]`, targets);
      if (verdict.kind === 'unrelated') continue;
      if (verdict.kind === 'unreadable') {
        unreadable.push(verdict.reason);
        continue;
      }
      (verdict.kind === 'alert' ? alerts : unalerted).add(verdict.name);
      from.push(...verdict.from);
    }
  }

  const value: FailedAuthAlerting = { alerts: [...alerts].sort(), unalerted: [...unalerted].sort() };
  if (alerts.size > 0 || unreadable.length === 0) return known(value, ...from);
  return unknown(unreadable.join('; '), ...from);
}
