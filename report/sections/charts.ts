import type { ReportCharts, ReportSummary } from '../../model/reportView.js';
import type { VersionIntelligence } from '../../model/versions.js';
import { failureTrendSvg, type TrendRun } from '../charts/failureTrend.js';
import { mergeOutcomeGroups, outcomeBarsSvg } from '../charts/outcomeBars.js';
import { supportTimelineRows, supportTimelineSvg } from '../charts/supportTimeline.js';

/** What the charts are drawn from. */
export interface ChartParts {
  readonly summary: ReportSummary;
  /** The run's `asOf` day: the support timeline's today. */
  readonly asOf: string;
  /** The sink's history, this run included; absent: no trend. */
  readonly history?: readonly TrendRun[];
  readonly versions?: Pick<VersionIntelligence, 'clusters'>;
}

/**
 * The report's charts as inline SVG: outcomes by provider, by side of the shared-responsibility
 * line and by check area (each bar as long as its share, so small groups stay readable), the
 * failures of the last runs, and the support timeline of the minors in use.
 */
export function buildCharts(parts: ChartParts): ReportCharts {
  const { summary } = parts;
  return {
    byProvider: outcomeBarsSvg({
      id: 'chart-provider',
      title: 'Outcome by provider',
      groups: summary.byProvider.map((entry) => ({
        label: entry.providerName,
        counts: entry.tally.byStatus,
      })),
    }),
    byResponsibility: outcomeBarsSvg({
      id: 'chart-responsibility',
      title: 'Outcome by side of the shared-responsibility line',
      groups: summary.byResponsibility.map((entry) => ({ label: entry.label, counts: entry.tally.byStatus })),
    }),
    byArea: outcomeBarsSvg({
      id: 'chart-area',
      title: 'Outcome by check area',
      groups: mergeOutcomeGroups(
        summary.byCheck.map((check) => ({ label: check.categoryLabel, counts: check.tally.byStatus })),
      ),
      scale: 'share',
    }),
    trend:
      parts.history === undefined
        ? null
        : failureTrendSvg({ id: 'chart-trend', title: 'Failures over the last runs', runs: parts.history }),
    supportTimeline:
      parts.versions === undefined
        ? null
        : supportTimelineSvg({
            id: 'chart-support',
            title: 'Support timeline of the minors in use',
            asOf: parts.asOf,
            rows: supportTimelineRows(parts.versions),
          }),
  };
}
