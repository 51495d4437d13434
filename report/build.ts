import type { Benchmark } from '../checks/frameworks/cis.js';
import type { Check } from '../checks/types.js';
import { type Finding, type Framework, STATUSES } from '../model/finding.js';
import type { ClusterPosture, Provider } from '../model/posture.js';
import type { ToolInfo } from '../model/reportJson.js';
import type {
  ProviderManagedControls,
  ReportCluster,
  ReportClusterScore,
  ReportFinding,
  ReportFramework,
  ReportModel,
  RunProblem,
  WaiverNotices,
} from '../model/reportView.js';
import type { RunInfo, RunNotice, ScopeResult } from '../model/run.js';
import type { RunDiff } from '../model/runDiff.js';
import type { ReportVersionRow, ReportVersions, VersionIntelligence } from '../model/versions.js';
import type { TrendRun } from './charts/failureTrend.js';
import { buildCompliance } from './compliance.js';
import { buildCatalogue, buildChecks } from './sections/catalogue.js';
import { buildCharts } from './sections/charts.js';
import { buildClusters, clusterAnchors, collectClusters } from './sections/clusters.js';
import { buildDiff } from './sections/diff.js';
import { buildFindings } from './sections/findings.js';
import { buildHeader } from './sections/header.js';
import { buildHeadline } from './sections/headline.js';
import { plural, STATUS_LABELS } from './sections/labels.js';
import { buildAttentionMatrix, buildMatrix, matrixPages } from './sections/matrix.js';
import { buildProblems, sortRunNotices } from './sections/problems.js';
import { buildProviderManaged } from './sections/providerManaged.js';
import { buildScopes, providersInRun } from './sections/scopes.js';
import { buildSummary } from './sections/summary.js';
import { tally } from './sections/tally.js';
import { buildWaiverNotices } from './sections/waivers.js';
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
  /**
   * The sink's run history for the failure trend, this run's own entry included so the trend ends
   * today (engine/history.ts `HistoryEntry`s fit as they are); absent: no trend.
   */
  readonly history?: readonly TrendRun[];
  /** Above this many clusters each cluster's detail moves to its own page; default `DEFAULT_CLUSTER_PAGES_ABOVE`. */
  readonly clusterPagesAbove?: number;
}

/**
 * Clusters report.html holds in full. In the example fleet a cluster costs about 60 KB of HTML
 * (every finding with its evidence, and its share of the findings by check), so 100 clusters keep
 * report.html near 6 MB, under the 10 MB the issue allows and quick to open; above it each
 * cluster's detail is its own page.
 */
export const DEFAULT_CLUSTER_PAGES_ABOVE = 100;

function layoutOf(clusters: number, clusterPagesAbove: number): ReportModel['layout'] {
  const clusterPages = clusters > clusterPagesAbove;
  return {
    clusterPages,
    clusterPagesAbove,
    note: clusterPages
      ? `${plural(clusters, 'cluster')} is more than the ${clusterPagesAbove} this page shows in full: each cluster's findings are on its own page, linked from the matrix, and this page lists only what needs attention. report.json and findings.csv hold every finding.`
      : null,
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

/**
 * Each cluster with its own row of the version table and its score against each benchmark, so its
 * detail (its section, or its page in a large estate) says where it stands without the reader
 * searching estate-wide tables for it.
 */
function withSupportAndScores(
  clusters: readonly ReportCluster[],
  versions: ReportVersions | null,
  frameworks: readonly ReportFramework[],
): ReportCluster[] {
  const supportByAnchor = new Map<string, ReportVersionRow>();
  for (const row of versions?.rows ?? [])
    if (row.clusterAnchor !== null) supportByAnchor.set(row.clusterAnchor, row);
  const scoresById = new Map<string, ReportClusterScore[]>();
  for (const framework of frameworks) {
    for (const entry of framework.clusters) {
      const scores = scoresById.get(entry.clusterId) ?? [];
      scores.push({ title: framework.title, anchor: framework.anchor, score: entry.score });
      scoresById.set(entry.clusterId, scores);
    }
  }
  return clusters.map((cluster) => ({
    ...cluster,
    support: supportByAnchor.get(cluster.anchor) ?? null,
    scores: scoresById.get(cluster.id) ?? [],
  }));
}

/**
 * The matrix report.html prints, and the pages of the whole matrix: every cluster below the
 * cluster-page threshold; above it, the clusters needing attention most, with every cluster on
 * pages of its own (each page's rows are built when it is rendered, never all at once).
 */
function matrixSection(
  clusters: readonly ReportCluster[],
  catalogue: ReportModel['catalogue'],
  findings: readonly ReportFinding[],
  clusterPages: boolean,
): Pick<ReportModel, 'matrix' | 'matrixPages'> {
  if (!clusterPages) return { matrix: buildMatrix(clusters, catalogue, findings), matrixPages: [] };
  const pages = matrixPages(clusters);
  return { matrix: buildAttentionMatrix(clusters, catalogue, pages), matrixPages: pages };
}

/**
 * Builds the report model of a run, one section after another (report/sections/). Pure: the same
 * input always gives a deep-equal model.
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const checksById = new Map(input.checks.map((check) => [check.id, check]));
  const clusterFacts = collectClusters(input.clusters, input.findings);
  const anchors = clusterAnchors(clusterFacts);
  const factsById = new Map(clusterFacts.map((cluster) => [cluster.id, cluster]));
  const findings = buildFindings(input.findings, checksById, factsById, anchors);
  const layout = layoutOf(clusterFacts.length, input.clusterPagesAbove ?? DEFAULT_CLUSTER_PAGES_ABOVE);
  const clusters = buildClusters(clusterFacts, anchors, findings, layout.clusterPages);
  const scopes = buildScopes(input.scopes);
  const providers = providersInRun(clusterFacts, input.scopes);
  const problems = buildProblems(input.problems);
  const titleOf = (checkId: string) => checksById.get(checkId)?.title ?? checkId;
  const catalogue = buildCatalogue(input.checks);
  const summary = buildSummary({
    findings,
    clusters,
    scopes,
    providers,
    byCheck: buildChecks(input.checks, findings),
  });
  const diff =
    input.diff === undefined
      ? null
      : buildDiff(input.diff, {
          titleOf,
          factsById,
          anchors,
          hrefs: new Map(clusters.map((cluster) => [cluster.id, cluster.href])),
          runDay: input.run.startedAt.slice(0, 10),
        });
  const compliance = complianceSection(input, findings, clusters, providers);
  const versions =
    input.versions === undefined
      ? null
      : buildVersionsSection(input.versions, (id) => anchors.get(id) ?? null);
  return {
    tool: input.tool,
    run: input.run,
    header: buildHeader(input.run, scopes, problems),
    statusColumns: STATUSES.map((status) => ({ status, label: STATUS_LABELS[status] })),
    scopes,
    clusters: withSupportAndScores(clusters, versions, compliance.compliance),
    catalogue,
    findings,
    summary,
    ...compliance,
    waiverNotices: buildWaiverNotices(input.waiverNotices, input.run.asOf, titleOf),
    providerManaged: buildProviderManaged(input, providers),
    problems,
    notices: sortRunNotices(input.notices),
    diff,
    versions,
    layout,
    headline: buildHeadline({ clusters: clusters.length, scopes, problems, findings, diff }),
    charts: buildCharts({
      summary,
      asOf: input.run.asOf,
      ...(input.history === undefined ? {} : { history: input.history }),
      ...(input.versions === undefined ? {} : { versions: input.versions }),
    }),
    ...matrixSection(clusters, catalogue, findings, layout.clusterPages),
  };
}
