import type { Benchmark } from '../checks/frameworks/cis.js';
import type { Check } from '../checks/types.js';
import { dayCount, daysBetween, parseDay } from '../model/dates.js';
import {
  type ComplianceRef,
  type Finding,
  type Framework,
  RESPONSIBILITIES,
  type Responsibility,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
  severityRank,
} from '../model/finding.js';
import { isUnknown } from '../model/observed.js';
import {
  type ClusterMode,
  type ClusterPosture,
  PROVIDER_NAMES,
  PROVIDERS,
  type Provider,
} from '../model/posture.js';
import type {
  ProviderManagedControls,
  ReportCheck,
  ReportCluster,
  ReportClusterRef,
  ReportComplianceRef,
  ReportDiff,
  ReportDiffClusterRow,
  ReportDiffFindingRow,
  ReportDiffList,
  ReportDiffScopeRow,
  ReportFinding,
  ReportHeader,
  ReportLink,
  ReportModel,
  ReportProblem,
  ReportProviderManaged,
  ReportScope,
  ReportWaiverNotice,
  RunDiff,
  RunDiffCluster,
  RunDiffFinding,
  RunDiffPersisting,
  RunNotice,
  RunProblem,
  SeverityTally,
  StatusTally,
  ToolInfo,
  WaiverNotice,
  WaiverNotices,
} from '../model/report.js';
import type { RunInfo, ScopeResult, Trigger } from '../model/run.js';
import type { VersionIntelligence } from '../model/versions.js';
import { buildCompliance, compareControls, FRAMEWORK_LABELS } from './compliance.js';
import { buildVersionsSection } from './versions.js';

/** Everything a report is built from. The report stage reads no clock and no files: it is all here. */
export interface ReportInput {
  readonly tool: ToolInfo;
  readonly run: RunInfo;
  readonly scopes: readonly ScopeResult[];
  readonly clusters: readonly ClusterPosture[];
  /** The engine's findings, waivers applied. Order does not matter: the report sorts. */
  readonly findings: readonly Finding[];
  /** The check catalogue, in catalogue order. */
  readonly checks: readonly Check[];
  /** Benchmarks, for control titles and coverage in the compliance and provider-managed sections. */
  readonly benchmarks: readonly Benchmark[];
  readonly waiverNotices: WaiverNotices;
  /** Per provider, the controls the provider secures; only providers in the run are printed. */
  readonly providerManaged: ProviderManagedControls;
  /** Per provider, its shared-responsibility page. */
  readonly sharedResponsibilityPages: Readonly<Partial<Record<Provider, string>>>;
  /** Files, scopes and clusters that could not be read. */
  readonly problems: readonly RunProblem[];
  /** What the operator should know about what was read; the run stays complete. */
  readonly notices: readonly RunNotice[];
  /** Changes since the previous complete run, or why there is no comparison; absent: no section. */
  readonly diff?: RunDiff;
  /** The benchmark a `scan --framework` run was limited to: the report leads with it. */
  readonly frameworkView?: Framework;
  /** Version and support facts per cluster and estate-wide; absent: no section. */
  readonly versions?: VersionIntelligence;
}

/** Rows each diff list shows in HTML and Markdown; `report.json` carries every row. */
export const DIFF_ROWS_SHOWN = 25;

const STATUS_LABELS: Readonly<Record<Status, string>> = {
  fail: 'Fail',
  error: 'Error',
  unknown: 'Unknown',
  waived: 'Waived',
  pass: 'Pass',
  not_applicable: 'Not applicable',
};

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

const RESPONSIBILITY_LABELS: Readonly<Record<Responsibility, { label: string; description: string }>> = {
  customer: { label: 'Customer', description: 'The customer must configure it.' },
  shared: {
    label: 'Shared',
    description: 'The provider supplies it; the customer must enable or choose it.',
  },
  provider: {
    label: 'Provider-enforced',
    description: 'The provider enforces it; the customer cannot turn it off.',
  },
};

const TRIGGER_LABELS: Readonly<Record<Trigger, string>> = {
  cli: 'Command line',
  schedule: 'Schedule',
  http: 'HTTP request',
};

const MODE_LABELS: Readonly<Record<ClusterMode | 'unknown', string>> = {
  standard: 'Standard',
  'gke-autopilot': 'GKE Autopilot',
  'eks-auto-mode': 'EKS Auto Mode',
  'aks-automatic': 'AKS Automatic',
  unknown: 'Unknown',
};

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  identity: 'Identity and access',
  endpoint: 'API endpoint',
  nodes: 'Nodes',
  network: 'Network',
  audit: 'Audit',
  versions: 'Versions',
  'data-protection': 'Data protection',
  runtime: 'Runtime and admission',
};

const NOT_EVALUATED = 'Not evaluated';
const ATTENTION: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'unknown']);

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare: the report must sort the same on every machine.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function statusRank(status: Status | null): number {
  return status === null ? STATUSES.length : STATUSES.indexOf(status);
}

function worstStatus(statuses: Iterable<Status>): Status | null {
  let worst: Status | null = null;
  for (const status of statuses) if (statusRank(status) < statusRank(worst)) worst = status;
  return worst;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function tally(findings: readonly { readonly status: Status }[]): StatusTally {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const finding of findings) byStatus[finding.status] += 1;
  const cells = STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: byStatus[status] }));
  const nonZero = cells
    .filter((cell) => cell.count > 0)
    .map((cell) => `${cell.count} ${cell.label.toLowerCase()}`);
  return {
    byStatus,
    total: findings.length,
    needsAttention: byStatus.fail + byStatus.error + byStatus.unknown,
    cells,
    label: nonZero.length > 0 ? nonZero.join(', ') : 'none',
  };
}

function severityTally(findings: readonly ReportFinding[]): SeverityTally {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const finding of findings) bySeverity[finding.severity] += 1;
  return {
    bySeverity,
    total: findings.length,
    cells: SEVERITIES.map((severity) => ({
      severity,
      label: SEVERITY_LABELS[severity],
      count: bySeverity[severity],
    })),
  };
}

function link(url: string): ReportLink {
  // Only https links become clickable, so no data can put a javascript: URL into an href.
  if (!URL.canParse(url)) return { url, href: null };
  const parsed = new URL(url);
  return { url, href: parsed.protocol === 'https:' ? parsed.href : null };
}

function anchorFor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function complianceLabel(ref: ComplianceRef): string {
  return `${FRAMEWORK_LABELS[ref.framework]} ${ref.version} ${ref.control}`;
}

function reportCompliance(refs: readonly ComplianceRef[]): ReportComplianceRef[] {
  return refs.map((ref) => ({
    framework: ref.framework,
    version: ref.version,
    control: ref.control,
    label: complianceLabel(ref),
  }));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    statusRank(a.status) - statusRank(b.status) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.clusterId, b.clusterId) ||
    compareText(a.message, b.message)
  );
}

function durationLabel(startedAt: string, finishedAt: string): string {
  const millis = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(millis) || millis < 0) return 'unknown';
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function reportScope(scope: ScopeResult): ReportScope {
  return {
    provider: scope.provider,
    providerName: scope.provider === 'snapshot' ? 'Exported file' : PROVIDER_NAMES[scope.provider],
    scope: scope.scope,
    region: scope.region ?? null,
    status: scope.status,
    statusLabel: scope.status === 'ok' ? 'Read' : 'Not read',
    error: scope.error ?? null,
    clusters: scope.clusters,
  };
}

function compareScopes(a: ReportScope, b: ReportScope): number {
  const rank = (provider: ReportScope['provider']) =>
    provider === 'snapshot' ? PROVIDERS.length : PROVIDERS.indexOf(provider);
  return (
    rank(a.provider) - rank(b.provider) ||
    compareText(a.scope, b.scope) ||
    compareText(a.region ?? '', b.region ?? '')
  );
}

/** The identity of a cluster, from its posture or, when the posture is missing, from a finding. */
interface ClusterFacts {
  readonly id: string;
  readonly provider: Provider;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
  readonly version: string;
  readonly mode: ClusterMode | 'unknown';
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}

function clusterFacts(posture: ClusterPosture): ClusterFacts {
  return {
    id: posture.id,
    provider: posture.provider,
    scope: posture.scope,
    location: posture.location,
    name: posture.name,
    version: isUnknown(posture.version) ? 'unknown' : posture.version.value.raw,
    mode: isUnknown(posture.mode) ? 'unknown' : posture.mode.value,
    tags: Object.entries(posture.tags)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, value]) => ({ key, value })),
  };
}

function compareClusters(a: ClusterFacts, b: ClusterFacts): number {
  return (
    PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider) ||
    compareText(a.scope, b.scope) ||
    compareText(a.location, b.location) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

/** Clusters of the run, plus any a finding names without a posture, so every reference resolves. */
function collectClusters(input: ReportInput): ClusterFacts[] {
  const byId = new Map<string, ClusterFacts>();
  for (const posture of input.clusters) byId.set(posture.id, clusterFacts(posture));
  for (const finding of input.findings) {
    if (byId.has(finding.clusterId)) continue;
    byId.set(finding.clusterId, {
      id: finding.clusterId,
      provider: finding.provider,
      scope: 'unknown',
      location: 'unknown',
      name: finding.clusterId,
      version: 'unknown',
      mode: 'unknown',
      tags: [],
    });
  }
  return [...byId.values()].sort(compareClusters);
}

function reportFinding(
  finding: Finding,
  check: Check | undefined,
  cluster: ClusterFacts,
  clusterAnchor: string,
): ReportFinding {
  const fixCommand = finding.status === 'fail' ? (check?.remediation.cli[finding.provider] ?? null) : null;
  return {
    checkId: finding.checkId,
    checkTitle: check?.title ?? finding.checkId,
    checkAnchor: anchorFor('check', finding.checkId),
    clusterId: finding.clusterId,
    clusterName: cluster.name,
    clusterAnchor,
    provider: finding.provider,
    providerName: PROVIDER_NAMES[finding.provider],
    scope: cluster.scope,
    location: cluster.location,
    status: finding.status,
    statusLabel: STATUS_LABELS[finding.status],
    severity: finding.severity,
    severityLabel: SEVERITY_LABELS[finding.severity],
    responsibility: finding.responsibility,
    responsibilityLabel: RESPONSIBILITY_LABELS[finding.responsibility].label,
    message: finding.message,
    evidence: finding.evidence.map((field) => ({
      path: field.path,
      value: field.value,
      display: JSON.stringify(field.value),
    })),
    compliance: reportCompliance(finding.compliance),
    waiver: finding.waiver
      ? { ...finding.waiver, originalStatusLabel: STATUS_LABELS[finding.waiver.originalStatus] }
      : null,
    fixCommand,
    needsAttention: ATTENTION.has(finding.status),
  };
}

function reportCheck(id: string, check: Check | undefined, findings: readonly ReportFinding[]): ReportCheck {
  // Config may override a check's severity per finding; the check is as severe as its worst finding.
  const severity = findings.reduce<Severity>(
    (worst, finding) => (severityRank(finding.severity) < severityRank(worst) ? finding.severity : worst),
    findings[0]?.severity ?? check?.severity ?? 'info',
  );
  const worst = worstStatus(findings.map((finding) => finding.status));
  const failing = findings.filter((finding) => finding.status === 'fail');
  const failingProviders = new Set(failing.map((finding) => finding.provider));
  const failingClusters = new Map<string, ReportClusterRef>();
  for (const finding of failing) {
    failingClusters.set(finding.clusterId, {
      id: finding.clusterId,
      name: finding.clusterName,
      anchor: finding.clusterAnchor,
    });
  }
  const category = check?.category ?? 'unknown';
  return {
    id,
    title: check?.title ?? id,
    anchor: anchorFor('check', id),
    rationale: check?.rationale ?? '',
    category,
    categoryLabel: CATEGORY_LABELS[category] ?? category,
    severity,
    severityLabel: SEVERITY_LABELS[severity],
    worstStatus: worst,
    worstStatusLabel: worst === null ? NOT_EVALUATED : STATUS_LABELS[worst],
    needsAttention: findings.some((finding) => finding.needsAttention),
    failing: failing.length > 0,
    tally: tally(findings),
    remediationText: check?.remediation.text ?? '',
    commands: PROVIDERS.flatMap((provider) => {
      const command = check?.remediation.cli[provider];
      return failingProviders.has(provider) && command !== undefined
        ? [{ provider, providerName: PROVIDER_NAMES[provider], command }]
        : [];
    }),
    links: (check?.remediation.links ?? []).map(link),
    failingClusters: [...failingClusters.values()].sort((a, b) => compareText(a.id, b.id)),
    findings,
    unresolved: findings.filter((finding) => finding.needsAttention || finding.status === 'waived'),
  };
}

function compareChecks(a: ReportCheck, b: ReportCheck): number {
  return (
    statusRank(a.worstStatus) - statusRank(b.worstStatus) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.id, b.id)
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function providersInRun(clusters: readonly ClusterFacts[], scopes: readonly ScopeResult[]): Provider[] {
  const present = new Set<Provider>(clusters.map((cluster) => cluster.provider));
  for (const scope of scopes) if (scope.provider !== 'snapshot') present.add(scope.provider);
  return PROVIDERS.filter((provider) => present.has(provider));
}

function waiverNotice(notice: WaiverNotice, asOf: string, checkTitle: string): ReportWaiverNotice {
  const days = parseDay(asOf) && parseDay(notice.expires) ? daysBetween(asOf, notice.expires) : Number.NaN;
  let daysLabel: string;
  if (Number.isNaN(days)) daysLabel = `expiry date ${notice.expires} is not a valid day`;
  else if (days < 0) daysLabel = `expired ${plural(-days, 'day')} ago`;
  else if (days === 0) daysLabel = 'expires today';
  else daysLabel = `expires in ${plural(days, 'day')}`;
  return {
    check: notice.check,
    checkTitle,
    selector: notice.selector,
    owner: notice.owner,
    reason: notice.reason,
    expires: notice.expires,
    days,
    daysLabel,
  };
}

function compareNotices(a: ReportWaiverNotice, b: ReportWaiverNotice): number {
  return (
    compareText(a.expires, b.expires) ||
    compareText(a.check, b.check) ||
    compareText(a.selector, b.selector) ||
    compareText(a.owner, b.owner)
  );
}

function buildProviderManaged(
  input: Pick<ReportInput, 'providerManaged' | 'sharedResponsibilityPages' | 'benchmarks'>,
  providers: readonly Provider[],
): ReportProviderManaged[] {
  return providers.map((provider) => {
    const benchmarkControls = input.benchmarks
      .filter((benchmark) => benchmark.provider === provider)
      .flatMap((benchmark) =>
        benchmark.controls
          .filter((control) => control.coverage === 'provider-managed')
          .map((control) => ({ benchmark, control })),
      )
      .sort((a, b) => compareControls(a.control.control, b.control.control))
      .map(({ benchmark, control }) => ({
        label: complianceLabel({
          framework: benchmark.framework,
          version: benchmark.version,
          control: control.control,
        }),
        title: control.title,
      }));
    const controls = (input.providerManaged[provider] ?? []).map((control) => ({
      title: control.title,
      description: control.description,
      compliance: reportCompliance(control.compliance ?? []),
      reference: link(control.reference),
    }));
    const page = input.sharedResponsibilityPages[provider];
    return {
      provider,
      providerName: PROVIDER_NAMES[provider],
      sharedResponsibility: page === undefined ? null : link(page),
      controls,
      benchmarkControls,
      empty: controls.length === 0 && benchmarkControls.length === 0,
    };
  });
}

function reportProblem(problem: RunProblem): ReportProblem {
  const subjects = [
    ...(problem.file === undefined ? [] : [`file ${problem.file}`]),
    ...(problem.scope === undefined ? [] : [`scope ${problem.scope}`]),
    ...(problem.cluster === undefined ? [] : [`cluster ${problem.cluster}`]),
  ];
  const subject = subjects.length === 0 ? 'run' : subjects.join(', ');
  return {
    file: problem.file ?? null,
    scope: problem.scope ?? null,
    cluster: problem.cluster ?? null,
    reason: problem.reason,
    subject: subject.charAt(0).toUpperCase() + subject.slice(1),
  };
}

function compareProblems(a: ReportProblem, b: ReportProblem): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    compareText(a.scope ?? '', b.scope ?? '') ||
    compareText(a.cluster ?? '', b.cluster ?? '') ||
    compareText(a.reason, b.reason)
  );
}

function compareRunNotices(a: RunNotice, b: RunNotice): number {
  return compareText(a.cluster, b.cluster) || compareText(a.files.join('\n'), b.files.join('\n'));
}

function buildHeader(
  run: RunInfo,
  scopes: readonly ReportScope[],
  problems: readonly ReportProblem[],
): ReportHeader {
  const scopeErrors = scopes.filter((scope) => scope.status === 'error');
  const complete = run.complete && scopeErrors.length === 0 && problems.length === 0;
  // An exported file is a scope of its own; one that could not be read is not a listing that failed.
  const unlisted = scopeErrors.filter((scope) => scope.provider !== 'snapshot').length;
  const unread = scopeErrors.length - unlisted + problems.length;
  let completenessLabel: string;
  if (complete) completenessLabel = 'Complete: every scope and cluster was read.';
  else if (scopeErrors.length === 0 && problems.length === 0) {
    completenessLabel = 'Incomplete: the run could not read everything. Missing data is not a pass.';
  } else {
    const parts = [
      ...(unlisted > 0 ? [`${plural(unlisted, 'scope')} could not be listed`] : []),
      ...(unread > 0 ? [`${plural(unread, 'file or cluster', 'files or clusters')} could not be read`] : []),
    ];
    completenessLabel = `Incomplete: ${parts.join(' and ')}. Missing data is not a pass.`;
  }
  return {
    title: `kubeline report ${run.id}`,
    triggerLabel: TRIGGER_LABELS[run.trigger],
    durationLabel: durationLabel(run.startedAt, run.finishedAt),
    complete,
    completenessLabel,
    scopeErrors,
    apiCallsLabel:
      run.apiCalls.calls === 0
        ? 'none (exported files only)'
        : `${run.apiCalls.calls.toLocaleString('en-US')} (${run.apiCalls.retries.toLocaleString('en-US')} retried, ${run.apiCalls.failures.toLocaleString('en-US')} failed)`,
  };
}

/** What the diff's rows look up: check titles, and clusters with their anchors. */
interface DiffContext {
  readonly titleOf: (checkId: string) => string;
  readonly factsById: ReadonlyMap<string, ClusterFacts>;
  readonly anchors: ReadonlyMap<string, string>;
  /** The run's own day, `YYYY-MM-DD`, from which a persisting failure's age is counted. */
  readonly runDay: string;
}

function sinceLabel(firstSeen: string, runDay: string): string {
  if (!parseDay(firstSeen) || !parseDay(runDay)) return `since ${firstSeen}`;
  const days = daysBetween(firstSeen, runDay);
  return `since ${firstSeen} (${days === 0 ? 'today' : dayCount(days)})`;
}

function diffFindingRow(
  entry: RunDiffFinding | RunDiffPersisting,
  context: DiffContext,
): ReportDiffFindingRow {
  const cluster = context.factsById.get(entry.clusterId);
  return {
    checkId: entry.checkId,
    checkTitle: context.titleOf(entry.checkId),
    checkAnchor: anchorFor('check', entry.checkId),
    clusterId: entry.clusterId,
    clusterName: cluster?.name ?? entry.clusterId,
    clusterAnchor: context.anchors.get(entry.clusterId) ?? null,
    providerName: cluster ? PROVIDER_NAMES[cluster.provider] : 'unknown',
    severity: entry.severity,
    severityLabel: SEVERITY_LABELS[entry.severity],
    status: entry.status,
    statusLabel: STATUS_LABELS[entry.status],
    previousStatusLabel: entry.previousStatus === null ? NOT_EVALUATED : STATUS_LABELS[entry.previousStatus],
    sinceLabel: 'firstSeenFailing' in entry ? sinceLabel(entry.firstSeenFailing, context.runDay) : null,
  };
}

function diffClusterRow(cluster: RunDiffCluster): ReportDiffClusterRow {
  return {
    id: cluster.id,
    name: cluster.name,
    providerName: PROVIDER_NAMES[cluster.provider],
    scope: cluster.scope,
    location: cluster.location,
  };
}

/** The first rows of a diff list, and how many more `report.json` holds. */
function diffList<Entry, Row>(
  key: string,
  title: string,
  description: string,
  entries: readonly Entry[],
  row: (entry: Entry) => Row,
): ReportDiffList<Row> {
  const hidden = entries.length - DIFF_ROWS_SHOWN;
  return {
    key,
    title,
    description,
    total: entries.length,
    rows: entries.slice(0, DIFF_ROWS_SHOWN).map(row),
    moreLabel: hidden > 0 ? `…and ${hidden} more; report.json lists them all.` : null,
  };
}

function diffHeadline(diff: Exclude<RunDiff, { previousRun: null }>): string {
  const optional = [
    [diff.clustersAdded.length, plural(diff.clustersAdded.length, 'cluster'), 'added'],
    [diff.clustersRemoved.length, plural(diff.clustersRemoved.length, 'cluster'), 'removed'],
    [diff.clustersNotRead.length, plural(diff.clustersNotRead.length, 'cluster'), 'not seen'],
    [diff.scopesLost.length, plural(diff.scopesLost.length, 'scope'), 'no longer read'],
  ] as const;
  return [
    plural(diff.new.length, 'new failure'),
    `${diff.fixed.length} fixed`,
    `${diff.persisting.length} still failing`,
    `${diff.newlyUnknown.length} newly unknown`,
    ...optional.filter(([count]) => count > 0).map(([, counted, what]) => `${counted} ${what}`),
  ].join(', ');
}

function buildDiff(diff: RunDiff, context: DiffContext): ReportDiff {
  if (diff.previousRun === null) {
    const label = `No comparison with a previous run: ${diff.unavailable}`;
    return {
      data: diff,
      compared: false,
      previousRun: null,
      unavailableLabel: label,
      headline: label,
      findingLists: [],
      clusterLists: [],
      scopesLost: null,
      notices: diff.notices,
    };
  }
  const findingRow = (entry: RunDiffFinding) => diffFindingRow(entry, context);
  return {
    data: diff,
    compared: true,
    previousRun: diff.previousRun,
    unavailableLabel: null,
    headline: diffHeadline(diff),
    findingLists: [
      diffList(
        'new',
        'New failures',
        'Failing now; passing, unknown or not evaluated in the previous run.',
        diff.new,
        findingRow,
      ),
      diffList(
        'fixed',
        'Fixed',
        'Failing in the previous run; passing or not applicable now.',
        diff.fixed,
        findingRow,
      ),
      diffList(
        'newlyUnknown',
        'Newly unknown',
        'Unknown now (the input could not be read, which is never a pass); known or not evaluated in the previous run.',
        diff.newlyUnknown,
        findingRow,
      ),
      diffList(
        'persisting',
        'Still failing',
        'Failing in both runs, with the first day kubeline saw it failing.',
        diff.persisting,
        findingRow,
      ),
    ],
    clusterLists: [
      diffList(
        'clustersAdded',
        'Clusters added',
        'Read now; not in the previous run.',
        diff.clustersAdded,
        diffClusterRow,
      ),
      diffList(
        'clustersRemoved',
        'Clusters removed',
        'In the previous run; not found by this complete run. Their failures are not counted as fixed.',
        diff.clustersRemoved,
        diffClusterRow,
      ),
      diffList(
        'clustersNotRead',
        'Clusters not seen',
        'In the previous run; missing from this incomplete run, deleted or not read. Their failures are not counted as fixed.',
        diff.clustersNotRead,
        diffClusterRow,
      ),
    ],
    scopesLost: diffList(
      'scopesLost',
      'Scopes no longer read',
      'Not read by this run; read by the previous one.',
      diff.scopesLost,
      (scope): ReportDiffScopeRow => ({
        providerName: scope.provider === 'snapshot' ? 'Exported file' : PROVIDER_NAMES[scope.provider],
        scope: scope.scope,
        region: scope.region ?? null,
        error: scope.error ?? null,
        previousClusters: scope.previousClusters,
      }),
    ),
    notices: diff.notices,
  };
}

function complianceSection(
  input: ReportInput,
  findings: readonly ReportFinding[],
  clusters: readonly ReportCluster[],
  providers: readonly Provider[],
): Pick<ReportModel, 'compliance' | 'frameworkView'> {
  const { frameworks, view } = buildCompliance(
    {
      benchmarks: input.benchmarks,
      findings,
      clusters,
      providers,
      ...(input.frameworkView === undefined ? {} : { view: input.frameworkView }),
    },
    { statusLabels: STATUS_LABELS, tally },
  );
  return { compliance: frameworks, frameworkView: view };
}

/** Builds the report model of a run. Pure: the same input always gives a deep-equal model. */
export function buildReportModel(input: ReportInput): ReportModel {
  const checksById = new Map(input.checks.map((check) => [check.id, check]));
  const clusterFacts = collectClusters(input);
  const anchors = new Map(clusterFacts.map((cluster, index) => [cluster.id, `cluster-${index + 1}`]));
  const factsById = new Map(clusterFacts.map((cluster) => [cluster.id, cluster]));

  const findings = [...input.findings].sort(compareFindings).map((finding) => {
    const cluster = factsById.get(finding.clusterId);
    const anchor = anchors.get(finding.clusterId);
    if (!cluster || anchor === undefined) throw new Error(`no cluster collected for ${finding.clusterId}`);
    return reportFinding(finding, checksById.get(finding.checkId), cluster, anchor);
  });

  const findingsByCluster = groupBy(findings, (finding) => finding.clusterId);
  const clusters: ReportCluster[] = clusterFacts.map((cluster) => {
    const own = findingsByCluster.get(cluster.id) ?? [];
    return {
      ...cluster,
      providerName: PROVIDER_NAMES[cluster.provider],
      modeLabel: MODE_LABELS[cluster.mode],
      anchor: anchors.get(cluster.id) ?? '',
      tally: tally(own),
      failingChecks: [
        ...new Set(own.filter((finding) => finding.status === 'fail').map((finding) => finding.checkId)),
      ],
      findings: own,
    };
  });

  const findingsByCheck = groupBy(findings, (finding) => finding.checkId);
  const checkIds = [...new Set([...input.checks.map((check) => check.id), ...findingsByCheck.keys()])];
  const byCheck = checkIds
    .map((id) => reportCheck(id, checksById.get(id), findingsByCheck.get(id) ?? []))
    .sort(compareChecks);

  const scopes = input.scopes.map(reportScope).sort(compareScopes);
  const providers = providersInRun(clusterFacts, input.scopes);
  const problems = input.problems.map(reportProblem).sort(compareProblems);
  const titleOf = (checkId: string) => checksById.get(checkId)?.title ?? checkId;
  const expired = input.waiverNotices.expired
    .map((notice) => waiverNotice(notice, input.run.asOf, titleOf(notice.check)))
    .sort(compareNotices);
  const expiringSoon = input.waiverNotices.expiringSoon
    .map((notice) => waiverNotice(notice, input.run.asOf, titleOf(notice.check)))
    .sort(compareNotices);

  const totals = tally(findings);
  return {
    tool: input.tool,
    run: input.run,
    header: buildHeader(input.run, scopes, problems),
    statusColumns: STATUSES.map((status) => ({ status, label: STATUS_LABELS[status] })),
    scopes,
    clusters,
    catalogue: input.checks.map((check) => ({
      id: check.id,
      title: check.title,
      severity: check.severity,
      category: check.category,
      source: check.source,
    })),
    findings,
    summary: {
      clusters: clusters.length,
      totals,
      unresolved: totals.needsAttention + totals.byStatus.waived,
      failuresBySeverity: severityTally(findings.filter((finding) => finding.status === 'fail')),
      byProvider: providers.map((provider) => {
        const providerScopes = scopes.filter((scope) => scope.provider === provider);
        const providerClusters = clusters.filter((cluster) => cluster.provider === provider);
        // Accounts, projects or subscriptions seen: listed ones, and those of exported clusters.
        const scopeIds = new Set([...providerScopes, ...providerClusters].map((item) => item.scope));
        return {
          provider,
          providerName: PROVIDER_NAMES[provider],
          clusters: providerClusters.length,
          scopes: scopeIds.size,
          scopeErrors: providerScopes.filter((scope) => scope.status === 'error').length,
          tally: tally(findings.filter((finding) => finding.provider === provider)),
        };
      }),
      byResponsibility: RESPONSIBILITIES.map((responsibility) => ({
        responsibility,
        label: RESPONSIBILITY_LABELS[responsibility].label,
        description: RESPONSIBILITY_LABELS[responsibility].description,
        tally: tally(findings.filter((finding) => finding.responsibility === responsibility)),
      })),
      byCheck,
    },
    ...complianceSection(input, findings, clusters, providers),
    waiverNotices: { any: expired.length + expiringSoon.length > 0, expired, expiringSoon },
    providerManaged: buildProviderManaged(input, providers),
    problems,
    notices: [...input.notices].sort(compareRunNotices),
    diff:
      input.diff === undefined
        ? null
        : buildDiff(input.diff, {
            titleOf,
            factsById,
            anchors,
            runDay: input.run.startedAt.slice(0, 10),
          }),
    versions:
      input.versions === undefined
        ? null
        : buildVersionsSection(input.versions, (id) => anchors.get(id) ?? null),
  };
}
