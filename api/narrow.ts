import type { PostureSource, SourceResult } from '../engine/ports.js';
import type { ClusterPosture } from '../model/posture.js';
import type { ScopeResult } from '../model/run.js';
import type { ScanLaunchRequest } from './ports.js';

function wanted<T>(allowed: readonly T[] | undefined, value: T): boolean {
  return allowed === undefined || allowed.includes(value);
}

function keepsCluster(request: ScanLaunchRequest, posture: ClusterPosture): boolean {
  return (
    wanted(request.providers, posture.provider) &&
    wanted(request.scopes, posture.scope) &&
    wanted(request.clusters, posture.name)
  );
}

/** A scope outside the request is dropped, so a failure there does not make the narrowed run incomplete. */
function keepsScope(request: ScanLaunchRequest, scope: ScopeResult): boolean {
  // An exported file is not a cloud scope: the request narrows the clusters read from it instead.
  if (scope.provider === 'snapshot') return true;
  return wanted(request.providers, scope.provider) && wanted(request.scopes, scope.scope);
}

function narrowResult(result: SourceResult, request: ScanLaunchRequest): SourceResult {
  return {
    ...result,
    postures: result.postures.filter((posture) => keepsCluster(request, posture)),
    scopes: result.scopes.filter((scope) => keepsScope(request, scope)),
  };
}

/**
 * Keeps only the clusters and scopes a request names. The sources still read what they are
 * configured to read; narrowing after the read keeps every provider adapter unchanged.
 */
export function narrowSources(
  sources: readonly PostureSource[],
  request: ScanLaunchRequest,
): readonly PostureSource[] {
  return sources.map((source) => {
    const close = source.close?.bind(source);
    return {
      name: source.name,
      collect: async () => narrowResult(await source.collect(), request),
      ...(close ? { close } : {}),
    };
  });
}
