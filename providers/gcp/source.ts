import type { PostureSource, ReadProblem, SourceResult } from '../../engine/ports.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { ScopeResult } from '../../model/run.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { NormaliseError } from '../errors.js';
import { mapLimited } from '../limit.js';
import type { GcpClients } from './clients.js';
import { collectGkeProject } from './collect.js';
import { normaliseGke } from './normalise.js';
import { type GkeTargets, planGkeProjects } from './scopes.js';

export interface GkeSourceOptions {
  readonly targets: GkeTargets;
  readonly clients: GcpClients;
  /** Per-cluster calls in flight at once per project, and projects read at once. */
  readonly concurrency: { readonly perScope: number; readonly scopes: number };
}

/** The live GKE source: plans projects, collects each, normalises with the same mapping as `--from`. */
export interface GkeSource extends PostureSource {
  /** API calls made so far in this run. */
  stats(): ApiCallStats;
}

export function gkeSource(options: GkeSourceOptions): GkeSource {
  const calls = new ApiCalls();
  return {
    name: 'gke (live)',
    stats: () => calls.stats(),
    close: () => options.clients.close(),
    async collect(): Promise<SourceResult> {
      const plan = await planGkeProjects(options.targets, { clients: options.clients, calls });
      const collections = await mapLimited(plan.projects, options.concurrency.scopes, (project) =>
        collectGkeProject(project, {
          clients: options.clients,
          calls,
          concurrency: options.concurrency.perScope,
        }),
      );
      const postures: ClusterPosture[] = [];
      const problems: ReadProblem[] = [];
      const scopes: ScopeResult[] = [...plan.errors];
      for (const collection of collections) {
        scopes.push(collection.result);
        problems.push(...collection.problems);
        for (const cluster of collection.clusters) {
          try {
            postures.push(normaliseGke(cluster, { kind: 'api', api: 'gke' }));
          } catch (error) {
            if (!(error instanceof NormaliseError)) throw error;
            problems.push({
              scope: collection.result.scope,
              ...(error.context.cluster ? { cluster: error.context.cluster } : {}),
              reason: error.message,
            });
          }
        }
      }
      const { calls: made, retries, failures } = calls.stats();
      return { postures, scopes, problems, apiCalls: { calls: made, retries, failures } };
    },
  };
}
