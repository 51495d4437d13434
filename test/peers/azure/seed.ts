import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/json.js';
import {
  auditDestinations,
  parseAksResourceId,
  parseWorkspaceId,
} from '../../../providers/azure/normalise.js';
import { detectShape } from '../../../providers/snapshot/shapes.js';
import type { ArmPeer } from './armPeer.js';

/** A managed cluster created in the ARM peer. */
export interface SeededAksCluster {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
  /** Diagnostic settings seeded on it. */
  readonly diagnosticSettings: number;
}

/** A file, or an entry in one, that is not seeded, and why. */
export interface AksExportNote {
  readonly file: string;
  readonly reason: string;
}

/** What a folder of exports holds for the ARM peer, already in ARM wire JSON. */
export interface AksExports {
  readonly clusters: readonly { readonly file: string; readonly cluster: JsonObject }[];
  /** Diagnostic settings by the lower-cased resource id they are on. */
  readonly diagnosticSettings: ReadonlyMap<string, readonly JsonObject[]>;
  readonly problems: readonly AksExportNote[];
}

/** Top-level members of an ARM managed cluster or diagnostic setting; everything else sits under `properties`. */
const TOP_LEVEL = new Set([
  'id',
  'name',
  'type',
  'location',
  'tags',
  'sku',
  'identity',
  'eTag',
  'extendedLocation',
  'kind',
  'systemData',
  'zones',
]);
/** Fields `az` adds that ARM does not send. */
const CLI_ONLY = new Set(['resourceGroup']);
/** Maps whose keys are user data (or addon names), never re-cased. */
const USER_MAPS = new Set([
  'tags',
  'addonProfiles',
  'config',
  'nodeLabels',
  'userAssignedIdentities',
  'identityProfile',
  'delegatedResources',
]);

const require = createRequire(import.meta.url);

/**
 * The ARM wire names an Azure SDK package deserialises, read from its own generated models:
 * `sdkName: item["wireName"]` in deserialisers and `wireName: item["sdkName"]` in serialisers.
 * `az` prints the Python SDK's names (`enableNodePublicIp`, `authorizedIpRanges`), which differ
 * from the wire (`enableNodePublicIP`, `authorizedIPRanges`) in acronym casing only.
 */
function wireNames(pkg: string): ReadonlyMap<string, string> {
  const models = path.join(path.dirname(require.resolve(pkg)), 'models');
  const names = new Map<string, string>();
  const files = readdirSync(models, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.js'),
  );
  for (const file of files) {
    const source = readFileSync(path.join(models, file), 'utf8');
    for (const chunk of source.split(/^(?:export )?function /m).slice(1)) {
      const deserialiser = /^\w*Deserializer\(/.test(chunk);
      for (const match of chunk.matchAll(/(\w+): [^,\n]*?item\["(\w+)"\]/g)) {
        const wire = deserialiser ? match[2] : match[1];
        if (wire === undefined) continue;
        const folded = wire.replaceAll('_', '').toLowerCase();
        if (!names.has(folded)) names.set(folded, wire);
      }
    }
  }
  return names;
}

let clusterNames: ReadonlyMap<string, string> | undefined;
let settingNames: ReadonlyMap<string, string> | undefined;

/** The export's members renamed to the wire's, nulls dropped (`az` prints null for every absent member). */
function toWire(value: unknown, names: ReadonlyMap<string, string>, userMap = false): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value
      .map((item: unknown) => toWire(item, names))
      .filter((item): item is JsonValue => item !== undefined);
  }
  if (isJsonObject(value)) {
    const result: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(value)) {
      const name = userMap ? key : (names.get(key.replaceAll('_', '').toLowerCase()) ?? key);
      const converted = toWire(child, names, !userMap && USER_MAPS.has(name));
      if (converted !== undefined) result[name] = converted;
    }
    return result;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : undefined;
}

/** A resource in ARM wire JSON: as given when it already has a `properties` envelope, else enveloped. */
function envelope(resource: JsonObject, names: ReadonlyMap<string, string>): JsonObject {
  if (isJsonObject(resource.properties)) return resource;
  const converted = toWire(resource, names);
  const flat = isJsonObject(converted) ? converted : {};
  const top: Record<string, JsonValue> = {};
  const properties: Record<string, JsonValue> = {};
  for (const [key, child] of Object.entries(flat)) {
    if (CLI_ONLY.has(key)) continue;
    if (TOP_LEVEL.has(key)) top[key] = child;
    else properties[key] = child;
  }
  return { ...top, properties };
}

/** A flattened (`az aks show`, SDK) or ARM managed cluster as ARM sends it. */
export function managedClusterWire(cluster: JsonObject): JsonObject {
  clusterNames ??= wireNames('@azure/arm-containerservice');
  return envelope(cluster, clusterNames);
}

/** A flattened (`az monitor diagnostic-settings list`) or ARM diagnostic setting as ARM sends it. */
export function diagnosticSettingWire(setting: JsonObject): JsonObject {
  settingNames ??= wireNames('@azure/arm-monitor');
  return envelope(setting, settingNames);
}

async function jsonFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const given of paths) {
    const info = await stat(given);
    if (info.isFile()) found.push(given);
    else if (info.isDirectory()) {
      const entries = await readdir(given, { recursive: true, withFileTypes: true });
      found.push(
        ...entries
          .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.json'))
          .map((entry) => path.join(entry.parentPath, entry.name))
          .sort(),
      );
    }
  }
  return found;
}

/**
 * Reads the AKS exports among files and folders (the `--from` formats): `az aks show|list`, ARM
 * managedClusters JSON and `az monitor diagnostic-settings list`, converted to ARM wire JSON.
 * Other clouds' exports are not this peer's business and are passed over.
 */
export async function readAksExports(paths: string | readonly string[]): Promise<AksExports> {
  const files = await jsonFiles(typeof paths === 'string' ? [paths] : paths);
  const clusters: { file: string; cluster: JsonObject }[] = [];
  const diagnosticSettings = new Map<string, JsonObject[]>();
  const problems: AksExportNote[] = [];
  for (const file of files) {
    const shape = detectShape(JSON.parse(await readFile(file, 'utf8')));
    if ('error' in shape) continue;
    for (const entry of shape.entries) {
      if (entry.kind === 'aks' && isJsonObject(entry.managedCluster)) {
        const cluster = managedClusterWire(entry.managedCluster);
        if (parseAksResourceId(String(cluster.id ?? '')) === undefined) {
          problems.push({ file, reason: `managed cluster ${String(cluster.name ?? '')} has no resource id` });
        } else clusters.push({ file, cluster });
      }
      if (entry.kind === 'diagnostic-setting' && isJsonObject(entry.setting)) {
        const key = entry.resourceId.toLowerCase();
        diagnosticSettings.set(key, [
          ...(diagnosticSettings.get(key) ?? []),
          diagnosticSettingWire(entry.setting),
        ]);
      }
    }
  }
  return { clusters, diagnosticSettings, problems };
}

/** Creates every cluster of the exports in the peer, in its own subscription, with its diagnostic settings. */
export function seedAksExports(peer: ArmPeer, exports: AksExports): SeededAksCluster[] {
  return exports.clusters.map(({ cluster }) => {
    const id = String(cluster.id);
    const parsed = parseAksResourceId(id);
    const settings = exports.diagnosticSettings.get(id.toLowerCase()) ?? [];
    peer.addCluster(cluster);
    if (settings.length > 0) peer.setDiagnosticSettings(id, settings);
    return {
      subscription: parsed?.subscriptionId.toLowerCase() ?? '',
      resourceGroup: parsed?.resourceGroup ?? '',
      name: parsed?.clusterName ?? '',
      location: typeof cluster.location === 'string' ? cluster.location : '',
      diagnosticSettings: settings.length,
    };
  });
}

/** What seedAksMonitoring created around the seeded clusters. */
export interface SeededAksMonitoring {
  /** Workspaces by resource id, with the retention of the workspace and of its overridden tables. */
  readonly workspaces: readonly {
    readonly id: string;
    readonly retentionInDays: number;
    readonly note: string;
  }[];
  /** Scheduled query rules that alert on failed authentications, by name. */
  readonly rules: readonly string[];
  /** Subscriptions whose Defender for Containers plan is Standard. */
  readonly defenderSubscriptions: readonly string[];
}

/** Days the sandbox's audit workspaces keep logs: above the default `minAuditRetentionDays` (90). */
const AUDIT_WORKSPACE_DAYS = 120;

/**
 * Gives the sandbox what a live scan reads beyond the clusters, so that AUD-03 and AUD-04 are
 * decided for every cluster whose audit logs go to a workspace:
 * - each Log Analytics workspace the exported diagnostic settings name: those that receive audit
 *   logs keep 120 days; the others keep the 30-day default with an AKSAudit table override (365
 *   days in all, with long-term retention);
 * - a scheduled query rule for failed authentications (401/403) over the audit tables of the first
 *   audit workspace, in the workspace's own subscription and resource group;
 * - Defender for Containers (Standard) on the first subscription with no cluster whose audit logs
 *   go to a workspace (so each source of an alert decides some clusters), else on the first one;
 *   every other subscription keeps the Free tier ARM reports for a plan never turned on.
 */
export function seedAksMonitoring(peer: ArmPeer, exports: AksExports): SeededAksMonitoring {
  const workspaces = new Map<string, { id: string; auditTables: Set<string> }>();
  const auditSubscriptions = new Set<string>();
  for (const [resourceId, settings] of [...exports.diagnosticSettings.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    for (const setting of settings) {
      const workspaceId = isJsonObject(setting.properties) ? setting.properties.workspaceId : undefined;
      if (typeof workspaceId === 'string' && parseWorkspaceId(workspaceId) !== undefined) {
        const key = workspaceId.toLowerCase();
        if (!workspaces.has(key)) workspaces.set(key, { id: workspaceId, auditTables: new Set() });
      }
    }
    const destinations = auditDestinations(settings);
    for (const destination of 'invalid' in destinations ? [] : destinations) {
      const entry = destination.workspace && workspaces.get(destination.workspace.id.toLowerCase());
      if (entry === undefined || destination.workspace === undefined) continue;
      for (const table of destination.workspace.tables) entry.auditTables.add(table);
      const subscription = parseAksResourceId(resourceId)?.subscriptionId.toLowerCase();
      if (subscription !== undefined) auditSubscriptions.add(subscription);
    }
  }
  const seeded: { id: string; retentionInDays: number; note: string }[] = [];
  const rules: string[] = [];
  for (const { id, auditTables } of [...workspaces.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const name = parseWorkspaceId(id)?.workspaceName ?? '';
    const audit = auditTables.size > 0;
    const retentionInDays = audit ? AUDIT_WORKSPACE_DAYS : 30;
    peer.addWorkspace({
      id,
      name,
      type: 'Microsoft.OperationalInsights/workspaces',
      location: 'westeurope',
      properties: { retentionInDays, sku: { name: 'PerGB2018' }, provisioningState: 'Succeeded' },
    });
    if (!audit) {
      peer.setWorkspaceTable(id, 'AKSAudit', {
        retentionInDays: 30,
        totalRetentionInDays: 365,
        archiveRetentionInDays: 335,
        totalRetentionInDaysAsDefault: false,
      });
      seeded.push({ id, retentionInDays, note: 'AKSAudit kept 365 days in all' });
      continue;
    }
    seeded.push({ id, retentionInDays, note: `receives ${[...auditTables].sort().join(', ')}` });
    if (rules.length > 0) continue;
    const parsed = parseWorkspaceId(id);
    const ruleName = `aks-failed-authentications-${name}`;
    const tables = [...auditTables].sort();
    const source = tables.length === 1 ? (tables[0] ?? '') : `union ${tables.join(', ')}`;
    peer.addScheduledQueryRule({
      id: `/subscriptions/${parsed?.subscriptionId}/resourceGroups/${parsed?.resourceGroup}/providers/Microsoft.Insights/scheduledQueryRules/${ruleName}`,
      name: ruleName,
      type: 'Microsoft.Insights/scheduledQueryRules',
      location: 'westeurope',
      kind: 'LogAlert',
      properties: {
        displayName: 'AKS API: failed authentications',
        severity: 2,
        enabled: true,
        scopes: [id],
        evaluationFrequency: 'PT5M',
        windowSize: 'PT15M',
        criteria: {
          allOf: [
            {
              query: `${source}\n| where ResponseStatus.code in (401, 403)\n| summarize Failures = count() by User = tostring(User.username)`,
              timeAggregation: 'Count',
              operator: 'GreaterThan',
              threshold: 0,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        autoMitigate: true,
      },
    });
    rules.push(ruleName);
  }
  const subscriptions = [
    ...new Set(
      exports.clusters.map(
        ({ cluster }) => parseAksResourceId(String(cluster.id))?.subscriptionId.toLowerCase() ?? '',
      ),
    ),
  ]
    .filter((subscription) => subscription !== '')
    .sort();
  const defended =
    subscriptions.find((subscription) => !auditSubscriptions.has(subscription)) ?? subscriptions[0];
  if (defended !== undefined) peer.setDefenderPlan(defended, 'Containers', 'Standard');
  return { workspaces: seeded, rules, defenderSubscriptions: defended === undefined ? [] : [defended] };
}
