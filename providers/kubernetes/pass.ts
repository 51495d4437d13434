import type { PostureSource, SourceResult } from '../../engine/ports.js';
import { globToRegExp } from '../../engine/waivers.js';
import type { InClusterPosture } from '../../model/inCluster.js';
import { known, type Observed, unknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { mapLimited } from '../limit.js';
import type { InClusterAccess } from './access.js';
import { collectInCluster, type InClusterOutcome } from './collect.js';
import { normaliseInCluster } from './normalise.js';

/** The settings of `inCluster` a configuration leaves out. */
export const IN_CLUSTER_DEFAULTS = {
  concurrency: 4,
  timeoutSeconds: 60,
  nodesPerPool: 3,
  pageSize: 500,
} as const;

/** The cluster tag (label on GKE) that keeps the pass off one cluster: `kubeline:in-cluster=skip`. */
export const IN_CLUSTER_SKIP_TAG = 'kubeline:in-cluster';

export interface InClusterPassOptions {
  readonly access: InClusterAccess;
  /** Clusters read at once. */
  readonly concurrency: number;
  /** Limit for the whole pass of one cluster. */
  readonly timeoutMs: number;
  readonly nodesPerPool: number;
  readonly pageSize: number;
  /** `inCluster.skip`: globs on cluster names. */
  readonly skip: readonly string[];
  /** Why every cluster is skipped (`--no-in-cluster`); nothing is read then. */
  readonly skipAll?: string;
}

/** Why the pass leaves a cluster alone, or undefined to read it. */
function skipReason(posture: ClusterPosture, options: InClusterPassOptions): string | undefined {
  if (options.skipAll !== undefined) return options.skipAll;
  if (posture.tags[IN_CLUSTER_SKIP_TAG]?.trim().toLowerCase() === 'skip')
    return `tag ${IN_CLUSTER_SKIP_TAG}=skip`;
  if (options.skip.some((glob) => globToRegExp(glob).test(posture.name))) return 'inCluster.skip';
  return undefined;
}

/** The unknown reasons of a cluster that could not be read; the wording is the contract's. */
function reasonOf(outcome: Exclude<InClusterOutcome, { raw: unknown }>): string {
  if ('unreachable' in outcome) {
    return `endpoint not reachable from the scanner; run the container image inside the network (${outcome.unreachable})`;
  }
  if ('refused' in outcome) return `the API server refused kubeline's credentials (${outcome.refused})`;
  return `the API server's certificate did not verify against the cluster's CA (${outcome.untrusted})`;
}

async function readCluster(
  posture: ClusterPosture,
  options: InClusterPassOptions,
): Promise<Observed<InClusterPosture>> {
  const skipped = skipReason(posture, options);
  if (skipped !== undefined) return unknown(`the in-cluster pass was skipped for this cluster (${skipped})`);
  const access = await options.access.connect(posture);
  if ('unavailable' in access) return unknown(access.unavailable);
  const { kubeConfig, via } = access.connection;
  const outcome = await collectInCluster(kubeConfig, {
    provider: posture.provider,
    pageSize: options.pageSize,
    nodesPerPool: options.nodesPerPool,
    timeoutMs: options.timeoutMs,
  });
  const server = { path: 'kubernetes.server', value: kubeConfig.getCurrentCluster()?.server ?? null };
  if (!('raw' in outcome)) return unknown(reasonOf(outcome), server);
  return known(normaliseInCluster(outcome.raw, { provider: posture.provider }), server, {
    path: 'kubernetes.authenticatedAs',
    value: via,
  });
}

/**
 * Wraps a live source: once it has collected, each cluster it read is read again through its
 * Kubernetes API, `concurrency` clusters at once, and its posture gets `inCluster`. A cluster
 * that cannot be read in-cluster keeps every other finding; only the in-cluster checks go unknown.
 */
export function withInClusterPass<S extends PostureSource>(source: S, options: InClusterPassOptions): S {
  return {
    // Planning, statistics and close stay the source's own: the fan-out plans with the same object.
    ...source,
    async collect(): Promise<SourceResult> {
      const result = await source.collect();
      const postures = await mapLimited(result.postures, options.concurrency, async (posture) => ({
        ...posture,
        inCluster: await readCluster(posture, options),
      }));
      return { ...result, postures };
    },
  };
}
