import { RESPONSIBILITIES } from '../../model/finding.js';
import { PROVIDER_NAMES, type Provider } from '../../model/posture.js';
import type {
  ReportCheck,
  ReportCluster,
  ReportFinding,
  ReportScope,
  ReportSummary,
} from '../../model/reportView.js';
import { RESPONSIBILITY_LABELS } from './labels.js';
import { severityTally, tally } from './tally.js';

/** What the summary counts: the report's sorted findings, clusters, scopes and checks. */
export interface SummaryParts {
  readonly findings: readonly ReportFinding[];
  readonly clusters: readonly ReportCluster[];
  readonly scopes: readonly ReportScope[];
  /** The providers in the run, in provider order. */
  readonly providers: readonly Provider[];
  readonly byCheck: readonly ReportCheck[];
}

/** Every number the summary prints: totals, failures per severity, per provider, per side of the line. */
export function buildSummary({
  findings,
  clusters,
  scopes,
  providers,
  byCheck,
}: SummaryParts): ReportSummary {
  const totals = tally(findings);
  return {
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
  };
}
