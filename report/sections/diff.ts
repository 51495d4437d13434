import { dayCount, daysBetween, parseDay } from '../../model/dates.js';
import { PROVIDER_NAMES } from '../../model/posture.js';
import type {
  ReportDiff,
  ReportDiffClusterRow,
  ReportDiffFindingRow,
  ReportDiffList,
  ReportDiffScopeRow,
} from '../../model/reportView.js';
import type { RunDiff, RunDiffCluster, RunDiffFinding, RunDiffPersisting } from '../../model/runDiff.js';
import type { ClusterFacts } from './clusters.js';
import { NOT_EVALUATED, plural, SEVERITY_LABELS, STATUS_LABELS } from './labels.js';
import { anchorFor } from './links.js';

/** Rows each diff list shows in HTML and Markdown; `report.json` carries every row. */
export const DIFF_ROWS_SHOWN = 25;

/** What the diff's rows look up: check titles, and clusters with their anchors. */
export interface DiffContext {
  readonly titleOf: (checkId: string) => string;
  readonly factsById: ReadonlyMap<string, ClusterFacts>;
  readonly anchors: ReadonlyMap<string, string>;
  /**
   * Where each cluster's detail is: `#cluster-3` in report.html, or `clusters/<slug>.html` when
   * each cluster has its own page; absent for clusters not in this run. Defaults to the anchors.
   */
  readonly hrefs?: ReadonlyMap<string, string>;
  /** The run's own day, `YYYY-MM-DD`, from which a persisting failure's age is counted. */
  readonly runDay: string;
}

function sinceLabel(firstSeen: string, runDay: string): string {
  if (!parseDay(firstSeen) || !parseDay(runDay)) return `since ${firstSeen}`;
  const days = daysBetween(firstSeen, runDay);
  return `since ${firstSeen} (${days === 0 ? 'today' : dayCount(days)})`;
}

function clusterHref(clusterId: string, context: DiffContext): string | null {
  const href = context.hrefs?.get(clusterId);
  if (href !== undefined) return href;
  const anchor = context.anchors.get(clusterId);
  return anchor === undefined ? null : `#${anchor}`;
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
    clusterHref: clusterHref(entry.clusterId, context),
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

/** The diff section: the lists of changes since the previous run, each cut to its first rows. */
export function buildDiff(diff: RunDiff, context: DiffContext): ReportDiff {
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
