import type { PlannedScopes, PlanningSource } from '../../engine/fanout.js';
import type { SourceResult } from '../../engine/ports.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { type LiveConcurrency, mapLimited, scopeConcurrency } from '../limit.js';
import { sourceResultOf } from '../sourceResult.js';
import type { GcpClients } from './clients.js';
import { collectGkeProject } from './collect.js';
import { normaliseGke } from './normalise.js';
import { type GkeTargets, planGkeProjects } from './scopes.js';

export interface GkeSourceOptions {
  readonly targets: GkeTargets;
  readonly clients: GcpClients;
  /**
   * API calls in flight per project: `perScope` at the start, growing to `maxPerScope` (default
   * DEFAULT_MAX_PER_SCOPE) while no call is throttled or retried; and projects read at once.
   */
  readonly concurrency: LiveConcurrency;
}

/** The live GKE source: plans projects, collects each, normalises with the same mapping as `--from`. */
export interface GkeSource extends PlanningSource {
  /** API calls made so far in this run. */
  stats(): ApiCallStats;
}

export function gkeSource(options: GkeSourceOptions): GkeSource {
  const calls = new ApiCalls();
  return {
    name: 'gke (live)',
    stats: () => calls.stats(),
    close: () => options.clients.close(),
    async plan(): Promise<PlannedScopes> {
      const plan = await planGkeProjects(options.targets, { clients: options.clients, calls });
      const { calls: made, retries, failures } = calls.stats();
      return {
        scopes: plan.projects.map((project) => ({ provider: 'gke', project })),
        errors: plan.errors,
        apiCalls: { calls: made, retries, failures },
      };
    },
    async collect(): Promise<SourceResult> {
      const plan = await planGkeProjects(options.targets, { clients: options.clients, calls });
      const collections = await mapLimited(plan.projects, options.concurrency.scopes, (project) =>
        collectGkeProject(project, {
          clients: options.clients,
          calls,
          concurrency: scopeConcurrency(options.concurrency.perScope, options.concurrency.maxPerScope),
        }),
      );
      return sourceResultOf(
        plan.errors,
        collections,
        (cluster) => normaliseGke(cluster, { kind: 'api', api: 'gke' }),
        calls.stats(),
      );
    },
  };
}
