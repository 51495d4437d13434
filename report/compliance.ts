import type { Benchmark } from '../checks/frameworks/cis.js';
import { FRAMEWORKS, type Framework, STATUSES, type Status } from '../model/finding.js';
import type { Provider } from '../model/posture.js';
import type {
  ComplianceScore,
  ReportControl,
  ReportControlCluster,
  ReportFinding,
  ReportFramework,
  ReportFrameworkCluster,
  ReportFrameworkView,
  StatusTally,
} from '../model/reportView.js';

/** Short names of the frameworks, for labels (`CIS EKS 1.8.0 5.4.2`). */
export const FRAMEWORK_LABELS: Readonly<Record<Framework, string>> = {
  'cis-eks': 'CIS EKS',
  'cis-gke': 'CIS GKE',
  'cis-aks': 'CIS AKS',
};

/** Clusters each control lists in the Markdown report; HTML and `report.json` list them all. */
export const CONTROL_CLUSTERS_SHOWN = 10;

const COVERAGE_LABELS: Readonly<Record<ReportControl['coverage'], string>> = {
  automated: 'Automated',
  'provider-managed': 'Provider-managed',
  manual: 'Manual',
};

/** What stands in a non-automated control's status and result. */
const NOT_AUTOMATED_RESULT: Readonly<Record<'provider-managed' | 'manual', string>> = {
  'provider-managed': 'Provider-managed',
  manual: 'Manual',
};

const NOT_EVALUATED = 'Not evaluated';
const UNRESOLVED: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'unknown', 'waived']);

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Orders dotted control numbers numerically: `5.4.2` before `5.10.1`, `4.1` before `4.1.1`. */
export function compareControls(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const x = left[index];
    const y = right[index];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const byNumber = Number(x) - Number(y);
    const order = Number.isNaN(byNumber) ? compareText(x, y) : byNumber;
    if (order !== 0) return order;
  }
  return 0;
}

function worstStatus(statuses: Iterable<Status>): Status | null {
  let worst: Status | null = null;
  for (const status of statuses) {
    if (worst === null || STATUSES.indexOf(status) < STATUSES.indexOf(worst)) worst = status;
  }
  return worst;
}

function plural(count: number, singular: string): string {
  return `${count} ${count === 1 ? singular : `${singular}s`}`;
}

/** A cluster as the compliance section names it. */
export interface ComplianceCluster {
  readonly id: string;
  readonly name: string;
  readonly provider: Provider;
  readonly anchor: string;
}

/** What the compliance section is built from: all of it precomputed by the report builder. */
export interface ComplianceInput {
  readonly benchmarks: readonly Benchmark[];
  /** The run's findings, in report order. */
  readonly findings: readonly ReportFinding[];
  /** The run's clusters, in report order. */
  readonly clusters: readonly ComplianceCluster[];
  /** Providers in the run: each one's benchmarks are listed, even without clusters. */
  readonly providers: readonly Provider[];
  /** The benchmark a `scan --framework` run was limited to. */
  readonly view?: Framework;
}

/** The report builder's own status labels and tally, so every section counts and names alike. */
export interface ComplianceFormatting {
  readonly statusLabels: Readonly<Record<Status, string>>;
  readonly tally: (items: readonly { readonly status: Status }[]) => StatusTally;
}

/** A control to report: the benchmark's data, or a control only findings cite. */
interface ControlDraft {
  readonly control: string;
  readonly title: string;
  readonly assessment: ReportControl['assessment'];
  readonly coverage: ReportControl['coverage'];
  readonly checks: readonly string[];
  readonly verify: string | null;
  readonly note: string | null;
}

interface FrameworkDraft {
  readonly framework: Framework;
  readonly version: string;
  readonly title: string;
  readonly provider: Provider | null;
  readonly controls: Map<string, ControlDraft>;
}

function frameworkKey(framework: Framework, version: string): string {
  return `${framework}@${version}`;
}

const EMPTY_COUNTS = {
  passed: 0,
  failed: 0,
  unknown: 0,
  error: 0,
  waived: 0,
  notApplicable: 0,
  notEvaluated: 0,
};

type ScoreCounts = typeof EMPTY_COUNTS;

const COUNT_OF: Readonly<Record<Status, keyof ScoreCounts>> = {
  pass: 'passed',
  fail: 'failed',
  unknown: 'unknown',
  error: 'error',
  waived: 'waived',
  not_applicable: 'notApplicable',
};

/** `passed / decided` in whole percent, never rounded up to 100 nor down to 0. */
function percentOf(passed: number, decided: number): number | null {
  if (decided === 0) return null;
  const percent = Math.round((passed * 100) / decided);
  if (percent === 100 && passed < decided) return 99;
  if (percent === 0 && passed > 0) return 1;
  return percent;
}

/** The score of a set of automated control results (a null status: not evaluated). */
export function scoreOf(statuses: readonly (Status | null)[]): ComplianceScore {
  const counts: ScoreCounts = { ...EMPTY_COUNTS };
  for (const status of statuses) counts[status === null ? 'notEvaluated' : COUNT_OF[status]] += 1;
  const decided = counts.passed + counts.failed;
  const percent = percentOf(counts.passed, decided);
  const aside = [
    [counts.unknown, 'unknown'],
    [counts.error, 'error'],
    [counts.waived, 'waived (accepted exceptions)'],
    [counts.notApplicable, 'not applicable'],
    [counts.notEvaluated, 'not evaluated'],
  ] as const;
  const asideParts = aside.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return {
    ...counts,
    decided,
    percent,
    label: percent === null ? 'no decided controls' : `${counts.passed}/${decided} (${percent}%)`,
    asideLabel: asideParts.length > 0 ? asideParts.join(', ') : 'none',
  };
}

function fromBenchmark(benchmark: Benchmark): FrameworkDraft {
  const controls = new Map<string, ControlDraft>();
  for (const control of benchmark.controls) {
    controls.set(control.control, {
      control: control.control,
      title: control.title,
      assessment: control.assessment,
      coverage: control.coverage,
      checks: control.checks,
      verify: control.coverage === 'manual' ? control.verify : null,
      note: control.note ?? null,
    });
  }
  return {
    framework: benchmark.framework,
    version: benchmark.version,
    title: `${benchmark.title} ${benchmark.version}`,
    provider: benchmark.provider,
    controls,
  };
}

/**
 * The frameworks to report: each benchmark of a provider in the run (and the one a framework view
 * asks for), plus any framework or control a finding cites that the data does not describe, so
 * no citation is dropped.
 */
function frameworkDrafts(input: ComplianceInput): FrameworkDraft[] {
  const drafts = new Map<string, FrameworkDraft>();
  for (const benchmark of input.benchmarks) {
    if (!input.providers.includes(benchmark.provider) && benchmark.framework !== input.view) continue;
    drafts.set(frameworkKey(benchmark.framework, benchmark.version), fromBenchmark(benchmark));
  }
  for (const finding of input.findings) {
    for (const ref of finding.compliance) {
      const key = frameworkKey(ref.framework, ref.version);
      const draft = drafts.get(key) ?? {
        framework: ref.framework,
        version: ref.version,
        title: `${FRAMEWORK_LABELS[ref.framework]} ${ref.version}`,
        provider: null,
        controls: new Map<string, ControlDraft>(),
      };
      drafts.set(key, draft);
      const known = draft.controls.get(ref.control);
      if (known && (known.coverage !== 'automated' || known.checks.includes(finding.checkId))) continue;
      draft.controls.set(ref.control, {
        control: ref.control,
        title: known?.title ?? '',
        assessment: known?.assessment ?? null,
        coverage: 'automated',
        checks: [...new Set([...(known?.checks ?? []), finding.checkId])],
        verify: null,
        note: known?.note ?? null,
      });
    }
  }
  return [...drafts.values()].sort(
    (a, b) =>
      FRAMEWORKS.indexOf(a.framework) - FRAMEWORKS.indexOf(b.framework) ||
      compareControls(a.version, b.version),
  );
}

/** Findings per cluster id, each list in report order. */
function findingsByCluster(findings: readonly ReportFinding[]): Map<string, ReportFinding[]> {
  const byCluster = new Map<string, ReportFinding[]>();
  for (const finding of findings) {
    const list = byCluster.get(finding.clusterId);
    if (list) list.push(finding);
    else byCluster.set(finding.clusterId, [finding]);
  }
  return byCluster;
}

/**
 * Each cluster's findings per control of one framework: those of the control's checks and those
 * citing the control, each once and in the cluster's order. Built once per framework, so a control
 * looks its cells up instead of searching every finding of every cluster again.
 */
function findingsByControl(
  draft: FrameworkDraft,
  byCluster: ReadonlyMap<string, readonly ReportFinding[]>,
): Map<string, Map<string, ReportFinding[]>> {
  const controlsOfCheck = new Map<string, string[]>();
  for (const control of draft.controls.values()) {
    for (const check of control.checks) {
      const list = controlsOfCheck.get(check);
      if (list) list.push(control.control);
      else controlsOfCheck.set(check, [control.control]);
    }
  }
  const index = new Map<string, Map<string, ReportFinding[]>>();
  for (const [clusterId, findings] of byCluster) {
    const byControl = new Map<string, ReportFinding[]>();
    for (const finding of findings) {
      const controls = new Set(controlsOfCheck.get(finding.checkId));
      for (const ref of finding.compliance) {
        if (ref.framework === draft.framework && ref.version === draft.version) controls.add(ref.control);
      }
      for (const control of controls) {
        const list = byControl.get(control);
        if (list) list.push(finding);
        else byControl.set(control, [finding]);
      }
    }
    index.set(clusterId, byControl);
  }
  return index;
}

const NO_FINDINGS: readonly ReportFinding[] = [];

function controlClusters(
  control: ControlDraft,
  clusters: readonly ComplianceCluster[],
  byControl: ReadonlyMap<string, ReadonlyMap<string, readonly ReportFinding[]>>,
  formatting: ComplianceFormatting,
): ReportControlCluster[] {
  return clusters.map((cluster) => {
    const findings = byControl.get(cluster.id)?.get(control.control) ?? NO_FINDINGS;
    const status = worstStatus(findings.map((finding) => finding.status));
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      clusterAnchor: cluster.anchor,
      status,
      statusLabel: status === null ? NOT_EVALUATED : formatting.statusLabels[status],
      findings,
    };
  });
}

function reportControl(
  control: ControlDraft,
  cells: readonly ReportControlCluster[],
  formatting: ComplianceFormatting,
): ReportControl {
  const automated = control.coverage === 'automated';
  const evaluated = cells.flatMap((cell) => (cell.status === null ? [] : [{ status: cell.status }]));
  const status = worstStatus(evaluated.map((cell) => cell.status));
  const clusterTally = formatting.tally(evaluated);
  const notEvaluated = cells.length - evaluated.length;
  let statusLabel: string;
  let resultLabel: string;
  if (control.coverage === 'automated') {
    statusLabel = status === null ? NOT_EVALUATED : formatting.statusLabels[status];
    const parts = [
      ...(evaluated.length > 0 ? [clusterTally.label] : []),
      ...(notEvaluated > 0 ? [`${notEvaluated} not evaluated`] : []),
    ];
    resultLabel = parts.length > 0 ? parts.join(', ') : 'no cluster';
  } else {
    statusLabel = NOT_AUTOMATED_RESULT[control.coverage];
    resultLabel = control.coverage === 'manual' ? 'Verify by hand' : 'Secured by the provider';
  }
  const unresolved = [
    ...cells.filter((cell) => cell.status !== null && UNRESOLVED.has(cell.status)),
    ...cells.filter((cell) => cell.status === null),
  ];
  const hidden = unresolved.length - CONTROL_CLUSTERS_SHOWN;
  return {
    control: control.control,
    title: control.title,
    assessment: control.assessment,
    assessmentLabel: control.assessment ?? 'Not stated',
    coverage: control.coverage,
    coverageLabel: COVERAGE_LABELS[control.coverage],
    automated,
    providerManaged: control.coverage === 'provider-managed',
    manual: control.coverage === 'manual',
    checks: control.checks,
    verify: control.verify,
    note: control.note,
    status,
    statusLabel,
    clusterTally,
    resultLabel,
    clusters: cells,
    unresolved: unresolved.slice(0, CONTROL_CLUSTERS_SHOWN),
    unresolvedMoreLabel:
      hidden > 0 ? `…and ${hidden} more; report.html and report.json list every cluster.` : null,
  };
}

function coverageLabel(controls: readonly ReportControl[]): string {
  const count = (coverage: ReportControl['coverage']) =>
    controls.filter((control) => control.coverage === coverage).length;
  return `${plural(controls.length, 'control')}: ${count('automated')} automated, ${count('provider-managed')} provider-managed, ${count('manual')} manual`;
}

function buildFramework(
  draft: FrameworkDraft,
  input: ComplianceInput,
  byCluster: ReadonlyMap<string, readonly ReportFinding[]>,
  formatting: ComplianceFormatting,
): ReportFramework {
  const citing = new Set(
    input.findings
      .filter((finding) =>
        finding.compliance.some((ref) => ref.framework === draft.framework && ref.version === draft.version),
      )
      .map((finding) => finding.clusterId),
  );
  const clusters = input.clusters.filter(
    (cluster) => cluster.provider === draft.provider || citing.has(cluster.id),
  );
  const byControl = findingsByControl(draft, byCluster);
  const controls = [...draft.controls.values()]
    .sort((a, b) => compareControls(a.control, b.control))
    .map((control) =>
      reportControl(
        control,
        control.coverage === 'automated' ? controlClusters(control, clusters, byControl, formatting) : [],
        formatting,
      ),
    );
  const automated = controls.filter((control) => control.automated);
  const perCluster: ReportFrameworkCluster[] = clusters.map((cluster, index) => ({
    clusterId: cluster.id,
    clusterName: cluster.name,
    clusterAnchor: cluster.anchor,
    score: scoreOf(automated.map((control) => control.clusters[index]?.status ?? null)),
  }));
  return {
    framework: draft.framework,
    version: draft.version,
    title: draft.title,
    label: `${FRAMEWORK_LABELS[draft.framework]} ${draft.version}`,
    anchor: `compliance-${draft.framework}-${draft.version.replace(/[^A-Za-z0-9_-]/g, '-')}`,
    provider: draft.provider,
    score: scoreOf(automated.flatMap((control) => control.clusters.map((cell) => cell.status))),
    clusters: perCluster,
    coverageLabel: coverageLabel(controls),
    controls,
  };
}

/**
 * The compliance section: per benchmark, every control with the worst status of its checks on
 * each cluster, and the scores per cluster and estate-wide. Pure: the same input gives a
 * deep-equal result.
 */
export function buildCompliance(
  input: ComplianceInput,
  formatting: ComplianceFormatting,
): { readonly frameworks: ReportFramework[]; readonly view: ReportFrameworkView | null } {
  const byCluster = findingsByCluster(input.findings);
  const frameworks = frameworkDrafts(input).map((draft) =>
    buildFramework(draft, input, byCluster, formatting),
  );
  const viewed = frameworks.find((framework) => framework.framework === input.view);
  return {
    frameworks,
    view:
      viewed === undefined
        ? null
        : { framework: viewed.framework, version: viewed.version, title: viewed.title, label: viewed.label },
  };
}
