import type { Status } from '../../model/finding.js';
import type {
  ReportCheck,
  ReportFramework,
  ReportFrameworkCluster,
  ReportModel,
  ReportScope,
} from '../../model/reportView.js';
import type { ReportVersionList, ReportVersions } from '../../model/versions.js';
import { formatCount } from '../charts/svg.js';
import { plural } from './labels.js';

/**
 * Clusters a collapsed list names before it counts the rest: enough to start on, few enough that
 * 40 checks × 20 links stay near 100 KB whatever the estate's size.
 */
export const PAGED_LIST_MAX = 20;

/** A cluster named in a collapsed section, linked to its own page. */
export interface PagedClusterLink {
  readonly name: string;
  /** `clusters/<slug>.html`. */
  readonly href: string;
  readonly status: Status;
  readonly statusLabel: string;
}

/** One check in the findings section of a paged report: the clusters that need attention, capped. */
export interface PagedCheck {
  /** Distinct clusters whose finding fails, errored, is unknown or waived. */
  readonly total: number;
  /** `3 clusters need attention here or are waived; each links to its page, which has the evidence.` */
  readonly label: string;
  readonly clusters: readonly PagedClusterLink[];
  /** `…and 12 more; each cluster's page and report.json have them all.`; null when all are named. */
  readonly moreLabel: string | null;
}

/** A cluster's score against a benchmark, linked to its page. */
export interface PagedScore extends ReportFrameworkCluster {
  readonly href: string;
}

/** One benchmark of a paged report: the clusters with the most failing controls, capped. */
export interface PagedFramework {
  readonly total: number;
  readonly lowest: readonly PagedScore[];
  readonly moreLabel: string | null;
}

/** A version list of a paged report, capped, its clusters linked to their pages. */
export interface PagedVersionList extends Omit<ReportVersionList, 'rows'> {
  readonly rows: readonly (ReportVersionList['rows'][number] & { readonly href: string | null })[];
  readonly moreLabel: string | null;
}

/**
 * What report.html prints instead of a row per cluster when each cluster has its own page: the
 * sections stay the size of the estate's problems, capped, and report.json keeps every row.
 */
export interface PagedSections {
  /** How many clusters a list names before it counts the rest (`PAGED_LIST_MAX`). */
  readonly listMax: number;
  /** Per check id. */
  readonly checks: Readonly<Record<string, PagedCheck>>;
  /** Per benchmark anchor. */
  readonly frameworks: Readonly<Record<string, PagedFramework>>;
  /** The estate-wide version lists, capped; empty without version intelligence. */
  readonly versionLists: readonly PagedVersionList[];
  /** Every scope that was not read, then the first of those read completely. */
  readonly scopes: PagedScopes;
}

/** The scopes table of a paged report: its problems in full, the rest capped. */
export interface PagedScopes {
  readonly rows: readonly ReportScope[];
  /** `…and 1,716 more scopes read completely; report.json lists every scope.`; null when all are shown. */
  readonly moreLabel: string | null;
}

function moreLabel(total: number, shown: number): string | null {
  return total > shown
    ? `…and ${formatCount(total - shown)} more; each cluster's page and report.json have them all.`
    : null;
}

function pagedCheck(check: ReportCheck, hrefOf: ReadonlyMap<string, string>): PagedCheck {
  // `unresolved` is sorted worst status first, so a cluster's first appearance is its worst finding.
  const seen = new Map<string, PagedClusterLink>();
  for (const finding of check.unresolved) {
    if (seen.has(finding.clusterId)) continue;
    seen.set(finding.clusterId, {
      name: finding.clusterName,
      href: hrefOf.get(finding.clusterId) ?? `#${finding.clusterAnchor}`,
      status: finding.status,
      statusLabel: finding.statusLabel,
    });
  }
  const clusters = [...seen.values()];
  return {
    total: clusters.length,
    label: `${plural(clusters.length, 'cluster')} where it fails, errored, is unknown or waived; each links to its page, which has the evidence.`,
    clusters: clusters.slice(0, PAGED_LIST_MAX),
    moreLabel: moreLabel(clusters.length, PAGED_LIST_MAX),
  };
}

/** Most failed controls first, then most unknown, then report order. */
function worstScoresFirst(a: ReportFrameworkCluster, b: ReportFrameworkCluster): number {
  return b.score.failed - a.score.failed || b.score.unknown - a.score.unknown;
}

function pagedFramework(framework: ReportFramework, hrefOf: ReadonlyMap<string, string>): PagedFramework {
  const lowest = [...framework.clusters]
    .sort(worstScoresFirst)
    .slice(0, PAGED_LIST_MAX)
    .map((cluster) => ({ ...cluster, href: hrefOf.get(cluster.clusterId) ?? `#${cluster.clusterAnchor}` }));
  return {
    total: framework.clusters.length,
    lowest,
    moreLabel: moreLabel(framework.clusters.length, PAGED_LIST_MAX),
  };
}

function pagedVersionLists(
  versions: ReportVersions | null,
  hrefOfAnchor: ReadonlyMap<string, string>,
): PagedVersionList[] {
  return (versions?.lists ?? []).map((list) => ({
    key: list.key,
    title: list.title,
    total: list.total,
    rows: list.rows.slice(0, PAGED_LIST_MAX).map((row) => ({
      ...row,
      href: row.clusterAnchor === null ? null : (hrefOfAnchor.get(row.clusterAnchor) ?? null),
    })),
    moreLabel: moreLabel(list.total, PAGED_LIST_MAX),
  }));
}

/**
 * Every scope that could not be read (each is a problem of the run, so none is ever left out),
 * then the first `PAGED_LIST_MAX` of those read completely, in report order.
 */
function pagedScopes(scopes: readonly ReportScope[]): PagedScopes {
  const read = scopes.filter((scope) => scope.status === 'ok');
  const shown = new Set(read.slice(0, PAGED_LIST_MAX));
  const hidden = read.length - shown.size;
  return {
    rows: scopes.filter((scope) => scope.status !== 'ok' || shown.has(scope)),
    moreLabel:
      hidden > 0
        ? `…and ${formatCount(hidden)} more ${hidden === 1 ? 'scope' : 'scopes'} read completely; report.json lists every scope.`
        : null,
  };
}

/**
 * The collapsed sections of a report whose clusters have their own pages; null when report.html
 * holds every cluster, so a small estate's report is exactly as it was.
 */
export function buildPagedSections(model: ReportModel): PagedSections | null {
  if (!model.layout.clusterPages) return null;
  const hrefOf = new Map(model.clusters.map((cluster) => [cluster.id, cluster.href]));
  const hrefOfAnchor = new Map(model.clusters.map((cluster) => [cluster.anchor, cluster.href]));
  return {
    listMax: PAGED_LIST_MAX,
    checks: Object.fromEntries(model.summary.byCheck.map((check) => [check.id, pagedCheck(check, hrefOf)])),
    frameworks: Object.fromEntries(
      model.compliance.map((framework) => [framework.anchor, pagedFramework(framework, hrefOf)]),
    ),
    versionLists: pagedVersionLists(model.versions, hrefOfAnchor),
    scopes: pagedScopes(model.scopes),
  };
}
