import { createHash } from 'node:crypto';
import { textChunks } from '../model/fileBody.js';
import type { AppliedWaiver, Severity, Status } from '../model/finding.js';
import type { JsonValue } from '../model/json.js';
import type { ClusterMode, Provider } from '../model/posture.js';
import type { TextChunks } from '../model/reportFormats.js';
import type { ToolInfo } from '../model/reportJson.js';
import type { ReportCheck, ReportCluster, ReportFinding, ReportModel } from '../model/reportView.js';
import { inChunks } from './chunked.js';

// OCSF facts below are from the OCSF 1.5.0 schema: the Compliance Finding class (Findings
// category), its base Finding class and base event, and the objects it uses.

/** The OCSF schema version every event follows (`metadata.version`). */
export const OCSF_VERSION = '1.5.0';

/** The Compliance Finding class: category, class and the one activity kubeline reports. */
export const OCSF_COMPLIANCE_FINDING = {
  categoryUid: 2,
  categoryName: 'Findings',
  classUid: 2003,
  className: 'Compliance Finding',
  activityId: 1,
  activityName: 'Create',
  /** `class_uid * 100 + activity_id`, as OCSF defines it. */
  typeUid: 2003 * 100 + 1,
  typeName: 'Compliance Finding: Create',
} as const;

/** An OCSF enum member: the id and its caption (the sibling `*_name` or label attribute). */
export interface OcsfEnumValue<Id extends number = number> {
  readonly id: Id;
  readonly caption: string;
}

/** `severity_id`: a kubeline severity keeps its name; `info` is OCSF's Informational. */
export const OCSF_SEVERITIES: Readonly<Record<Severity, OcsfEnumValue>> = {
  critical: { id: 5, caption: 'Critical' },
  high: { id: 4, caption: 'High' },
  medium: { id: 3, caption: 'Medium' },
  low: { id: 2, caption: 'Low' },
  info: { id: 1, caption: 'Informational' },
};

/**
 * `compliance.status_id` of the check's own verdict (a waiver's original status for `waived`).
 * OCSF's Warning is "the check did not yield a result due to missing information": that is
 * `unknown`, and `error` (the check itself broke) yielded no result either. OCSF has no "not
 * applicable", and Pass would claim the control was met: those events leave `status_id` out and
 * say `not_applicable` in `status_code`.
 */
export const OCSF_COMPLIANCE_STATUSES: Readonly<Record<Exclude<Status, 'waived'>, OcsfEnumValue | null>> = {
  pass: { id: 1, caption: 'Pass' },
  fail: { id: 3, caption: 'Fail' },
  unknown: { id: 2, caption: 'Warning' },
  error: { id: 2, caption: 'Warning' },
  not_applicable: null,
};

/**
 * The finding's lifecycle `status_id`. Anything someone must act on is New; an accepted risk (a
 * live waiver) is Suppressed; a pass or a check that cannot apply leaves nothing to do, which
 * is Resolved, as Security Hub resolves passed and not-available control findings.
 */
export const OCSF_FINDING_STATUSES: Readonly<Record<Status, OcsfEnumValue>> = {
  fail: { id: 1, caption: 'New' },
  error: { id: 1, caption: 'New' },
  unknown: { id: 1, caption: 'New' },
  waived: { id: 3, caption: 'Suppressed' },
  pass: { id: 4, caption: 'Resolved' },
  not_applicable: { id: 4, caption: 'Resolved' },
};

/** How each cloud names itself, its account-like scope (`account.type_id`) and a cluster's resource type. */
export const OCSF_CLOUDS: Readonly<
  Record<
    Provider,
    { readonly provider: string; readonly account: OcsfEnumValue; readonly resourceType: string }
  >
> = {
  eks: { provider: 'AWS', account: { id: 10, caption: 'AWS Account' }, resourceType: 'AWS::EKS::Cluster' },
  gke: {
    provider: 'GCP',
    account: { id: 11, caption: 'GCP Project' },
    resourceType: 'container.googleapis.com/Cluster',
  },
  aks: {
    provider: 'Azure',
    account: { id: 13, caption: 'Azure Subscription' },
    resourceType: 'Microsoft.ContainerService/managedClusters',
  },
};

/** The OCSF `account` object for a cloud account, project or subscription. */
export interface OcsfAccount {
  readonly uid: string;
  readonly type_id: number;
  readonly type: string;
}

/** The OCSF `cloud` object. */
export interface OcsfCloud {
  readonly provider: string;
  readonly account?: OcsfAccount;
  readonly project_uid?: string;
  readonly region?: string;
  readonly zone?: string;
  readonly cloud_partition?: string;
}

/** An OCSF `key_value_object`. */
export interface OcsfKeyValue {
  readonly name: string;
  readonly value: string;
}

/** The OCSF `resource_details` object for the cluster a finding is about. */
export interface OcsfResource {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly region?: string;
  readonly zone?: string;
  readonly cloud_partition?: string;
  readonly version?: string;
  readonly tags?: readonly OcsfKeyValue[];
  readonly data: { readonly mode: ClusterMode | 'unknown' };
}

/** The OCSF `compliance` object: the check as the control. */
export interface OcsfCompliance {
  /** The kubeline check id (`EP-01`). */
  readonly control: string;
  readonly desc: string;
  readonly standards?: readonly string[];
  readonly requirements?: readonly string[];
  readonly status_id?: number;
  readonly status?: string;
  /** The kubeline status, `waived` included. */
  readonly status_code: Status;
  readonly status_details: readonly string[];
}

/** An OCSF `evidences` object: one API field the verdict rests on, named by its path. */
export interface OcsfEvidence {
  readonly name: string;
  readonly data: { readonly value: JsonValue };
}

/** The OCSF `remediation` object. */
export interface OcsfRemediation {
  readonly desc: string;
  readonly references?: readonly string[];
}

/** The OCSF `finding_info` object. */
export interface OcsfFindingInfo {
  /** Unique and stable per (run, cluster, check). */
  readonly uid: string;
  /** Stable per (cluster, check) across runs, so a consumer can follow one finding over time. */
  readonly uid_alt: string;
  readonly title: string;
  readonly desc: string;
  readonly types: readonly string[];
  readonly created_time: number;
  readonly first_seen_time: number;
  readonly last_seen_time: number;
}

/** What OCSF has no attribute for, under `unmapped.kubeline`. */
export interface OcsfUnmapped {
  readonly kubeline: {
    readonly status: Status;
    readonly responsibility: string;
    readonly waiver?: {
      readonly original_status: Status;
      readonly reason: string;
      readonly owner: string;
      readonly expires: string;
    };
  };
}

/** One OCSF 1.5.0 Compliance Finding event (class 2003), with the `cloud` profile. */
export interface OcsfComplianceFinding {
  readonly activity_id: number;
  readonly activity_name: string;
  readonly category_uid: number;
  readonly category_name: string;
  readonly class_uid: number;
  readonly class_name: string;
  readonly type_uid: number;
  readonly type_name: string;
  readonly severity_id: number;
  readonly severity: string;
  readonly status_id: number;
  readonly status: string;
  /** Milliseconds since the epoch (OCSF `timestamp_t`). */
  readonly time: number;
  readonly timezone_offset: 0;
  readonly message: string;
  readonly metadata: {
    readonly version: string;
    readonly product: { readonly name: string; readonly vendor_name: string; readonly version: string };
    readonly profiles: readonly string[];
    /** The kubeline run id: every event of a run shares it. */
    readonly correlation_uid: string;
  };
  readonly cloud: OcsfCloud;
  readonly finding_info: OcsfFindingInfo;
  readonly compliance: OcsfCompliance;
  readonly resources: readonly OcsfResource[];
  readonly evidences?: readonly OcsfEvidence[];
  readonly remediation?: OcsfRemediation;
  readonly unmapped: OcsfUnmapped;
}

/** What every event of a run shares, and the lookups built once per render. */
interface RunContext {
  readonly runId: string;
  readonly tool: ToolInfo;
  readonly time: number;
  readonly clusters: ReadonlyMap<string, ReportCluster>;
  readonly checks: ReadonlyMap<string, ReportCheck>;
  /** Benchmark titles by `framework@version`. */
  readonly standards: ReadonlyMap<string, string>;
}

// The report builder names a cluster known only from a finding with this placeholder.
const NOT_KNOWN = 'unknown';
// A GKE zone is its region plus a zone letter (`europe-west1-b`); a region has none.
const GKE_ZONE = /^([a-z]+-[a-z]+\d+)-[a-z]$/;
const AWS_PARTITION = /^arn:(aws[a-z-]*):eks:/;

function digest(parts: readonly string[]): string {
  // JSON keeps the parts apart: no id can forge another by containing a separator.
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function known(value: string): string | undefined {
  return value === NOT_KNOWN || value === '' ? undefined : value;
}

/** Region and zone of a cluster's location: a GKE zonal cluster's region is its zone less the letter. */
function placeOf(provider: Provider, location: string): { region?: string; zone?: string } {
  const place = known(location);
  if (place === undefined) return {};
  const zonal = provider === 'gke' ? GKE_ZONE.exec(place) : null;
  return zonal?.[1] ? { region: zonal[1], zone: place } : { region: place };
}

function partitionOf(provider: Provider, clusterId: string): { cloud_partition?: string } {
  const partition = provider === 'eks' ? AWS_PARTITION.exec(clusterId)?.[1] : undefined;
  return partition === undefined ? {} : { cloud_partition: partition };
}

function cloudOf(finding: ReportFinding): OcsfCloud {
  const cloud = OCSF_CLOUDS[finding.provider];
  const scope = known(finding.scope);
  return {
    provider: cloud.provider,
    ...(scope === undefined
      ? {}
      : { account: { uid: scope, type_id: cloud.account.id, type: cloud.account.caption } }),
    ...(scope !== undefined && finding.provider === 'gke' ? { project_uid: scope } : {}),
    ...placeOf(finding.provider, finding.location),
    ...partitionOf(finding.provider, finding.clusterId),
  };
}

function resourceOf(finding: ReportFinding, cluster: ReportCluster | undefined): OcsfResource {
  const version = cluster === undefined ? undefined : known(cluster.version);
  const tags = cluster?.tags ?? [];
  return {
    uid: finding.clusterId,
    name: finding.clusterName,
    type: OCSF_CLOUDS[finding.provider].resourceType,
    ...placeOf(finding.provider, finding.location),
    ...partitionOf(finding.provider, finding.clusterId),
    ...(version === undefined ? {} : { version }),
    ...(tags.length === 0 ? {} : { tags: tags.map((tag) => ({ name: tag.key, value: tag.value })) }),
    data: { mode: cluster?.mode ?? 'unknown' },
  };
}

function waiverDetail(waiver: AppliedWaiver): string {
  return `Waived until ${waiver.expires} by ${waiver.owner}: ${waiver.reason}. The check's own status is ${waiver.originalStatus}.`;
}

function complianceOf(finding: ReportFinding, context: RunContext): OcsfCompliance {
  const verdict = finding.waiver?.originalStatus ?? finding.status;
  const mapped = verdict === 'waived' ? null : OCSF_COMPLIANCE_STATUSES[verdict];
  const standards = [
    ...new Set(
      finding.compliance.map(
        (ref) =>
          context.standards.get(`${ref.framework}@${ref.version}`) ?? `${ref.framework} ${ref.version}`,
      ),
    ),
  ];
  return {
    control: finding.checkId,
    desc: finding.checkTitle,
    ...(standards.length === 0 ? {} : { standards }),
    ...(finding.compliance.length === 0 ? {} : { requirements: finding.compliance.map((ref) => ref.label) }),
    ...(mapped === null ? {} : { status_id: mapped.id, status: mapped.caption }),
    status_code: finding.status,
    status_details: [finding.message, ...(finding.waiver ? [waiverDetail(finding.waiver)] : [])],
  };
}

function remediationOf(finding: ReportFinding, check: ReportCheck | undefined): OcsfRemediation | undefined {
  // A pass or a check that cannot apply has nothing to fix; leaving it out keeps a large
  // estate's file to what someone acts on.
  if (!finding.needsAttention && finding.status !== 'waived') return undefined;
  const lines = [
    ...(check && check.remediationText !== '' ? [check.remediationText] : []),
    ...(finding.fixCommand === null ? [] : [`${finding.providerName}: ${finding.fixCommand}`]),
  ];
  if (lines.length === 0) return undefined;
  // Only https links: a consumer may render references as links, and no other scheme belongs there.
  const references = (check?.links ?? []).flatMap((link) => (link.href === null ? [] : [link.href]));
  return { desc: lines.join('\n'), ...(references.length === 0 ? {} : { references }) };
}

function unmappedOf(finding: ReportFinding): OcsfUnmapped {
  const { waiver } = finding;
  return {
    kubeline: {
      status: finding.status,
      responsibility: finding.responsibility,
      ...(waiver
        ? {
            waiver: {
              original_status: waiver.originalStatus,
              reason: waiver.reason,
              owner: waiver.owner,
              expires: waiver.expires,
            },
          }
        : {}),
    },
  };
}

/** The Compliance Finding event of one finding. */
function complianceFindingEvent(finding: ReportFinding, context: RunContext): OcsfComplianceFinding {
  const severity = OCSF_SEVERITIES[finding.severity];
  const lifecycle = OCSF_FINDING_STATUSES[finding.status];
  const check = context.checks.get(finding.checkId);
  const remediation = remediationOf(finding, check);
  const evidences = finding.evidence.map((field) => ({ name: field.path, data: { value: field.value } }));
  return {
    activity_id: OCSF_COMPLIANCE_FINDING.activityId,
    activity_name: OCSF_COMPLIANCE_FINDING.activityName,
    category_uid: OCSF_COMPLIANCE_FINDING.categoryUid,
    category_name: OCSF_COMPLIANCE_FINDING.categoryName,
    class_uid: OCSF_COMPLIANCE_FINDING.classUid,
    class_name: OCSF_COMPLIANCE_FINDING.className,
    type_uid: OCSF_COMPLIANCE_FINDING.typeUid,
    type_name: OCSF_COMPLIANCE_FINDING.typeName,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: lifecycle.id,
    status: lifecycle.caption,
    time: context.time,
    timezone_offset: 0,
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: context.tool.name, vendor_name: context.tool.name, version: context.tool.version },
      profiles: ['cloud'],
      correlation_uid: context.runId,
    },
    cloud: cloudOf(finding),
    finding_info: {
      uid: digest([context.runId, finding.clusterId, finding.checkId]),
      uid_alt: digest([finding.clusterId, finding.checkId]),
      title: finding.checkTitle,
      desc: finding.message,
      types: [`Software and Configuration Checks/${check?.categoryLabel ?? 'Kubernetes'}`],
      created_time: context.time,
      first_seen_time: context.time,
      last_seen_time: context.time,
    },
    compliance: complianceOf(finding, context),
    resources: [resourceOf(finding, context.clusters.get(finding.clusterId))],
    ...(evidences.length === 0 ? {} : { evidences }),
    ...(remediation === undefined ? {} : { remediation }),
    unmapped: unmappedOf(finding),
  };
}

function runContext(model: ReportModel): RunContext {
  const time = Date.parse(model.run.finishedAt);
  if (!Number.isFinite(time)) {
    throw new Error(
      `OCSF report of run ${model.run.id}: finishedAt ${JSON.stringify(model.run.finishedAt)} is not a timestamp`,
    );
  }
  return {
    runId: model.run.id,
    tool: model.tool,
    time,
    clusters: new Map(model.clusters.map((cluster) => [cluster.id, cluster])),
    checks: new Map(model.summary.byCheck.map((check) => [check.id, check])),
    standards: new Map(
      model.compliance.map((framework) => [`${framework.framework}@${framework.version}`, framework.title]),
    ),
  };
}

function* ocsfLines(model: ReportModel, context: RunContext): Generator<string, void, undefined> {
  if (model.findings.length === 0) {
    yield '[]\n';
    return;
  }
  let separator = '[\n';
  for (const finding of model.findings) {
    yield separator;
    yield JSON.stringify(complianceFindingEvent(finding, context));
    separator = ',\n';
  }
  yield '\n]\n';
}

/**
 * `findings.ocsf.json`: a JSON array with one OCSF Compliance Finding event per finding, in report
 * order, one event per line. Each event is serialised on its own as the file is written, so a
 * large estate's file is never whole in memory. A model that cannot be dated fails here, before
 * anything is written.
 */
export function renderOcsfFindings(model: ReportModel): TextChunks {
  const context = runContext(model);
  return textChunks(() => inChunks(ocsfLines(model, context)));
}
