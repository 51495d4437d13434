import { PROVIDER_NAMES, PROVIDERS, type Provider } from '../../model/posture.js';
import type { ReportScope } from '../../model/reportView.js';
import type { ScopeResult } from '../../model/run.js';
import { compareText } from './order.js';

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

/** The listed scopes, sorted by provider, scope, region. */
export function buildScopes(scopes: readonly ScopeResult[]): ReportScope[] {
  return scopes.map(reportScope).sort(compareScopes);
}

/** The providers of the run's clusters and listed scopes, in provider order. */
export function providersInRun(
  clusters: readonly { readonly provider: Provider }[],
  scopes: readonly ScopeResult[],
): Provider[] {
  const present = new Set<Provider>(clusters.map((cluster) => cluster.provider));
  for (const scope of scopes) if (scope.provider !== 'snapshot') present.add(scope.provider);
  return PROVIDERS.filter((provider) => present.has(provider));
}
