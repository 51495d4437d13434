import { aksSourceFor, eksSourceFor, gkeSourceFor } from '../cli/compose.js';
import type { KubelineConfig } from '../config/schema.js';
import {
  fanoutKeys,
  type PlanningSource,
  type RunPlan,
  type ScanSelection,
  type ShardScope,
  scopeIdOf,
  selectScopes,
  splitIntoShards,
} from '../engine/fanout.js';
import type { ReportSink } from '../engine/ports.js';
import { PROVIDERS, type Provider } from '../model/posture.js';
import type { ApiCallTotals, ScopeResult, Trigger } from '../model/run.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A run as the scheduler or the HTTP trigger started it. */
export interface PlanRunInput {
  readonly runId: string;
  readonly trigger: Trigger;
  readonly startedAt: Date;
  readonly selection: ScanSelection;
  readonly notify: boolean;
}

export interface PlanRunDeps {
  readonly config: KubelineConfig;
  readonly env: Env;
  /** The report bucket: the plan is written under `work/<runId>/`. */
  readonly sink: ReportSink;
  readonly scopesPerShard: number;
  /** Builds the live source of a cloud; the CLI's own builders by default. */
  readonly sourceFor?: (provider: Provider, config: KubelineConfig, env: Env) => Promise<PlanningSource>;
}

export interface PlannedRun {
  readonly plan: RunPlan;
  readonly planKey: string;
  readonly shardsKey: string;
}

/** The live source of one cloud, with only that cloud's SDK loaded. */
export function liveSourceFor(provider: Provider, config: KubelineConfig, env: Env): Promise<PlanningSource> {
  switch (provider) {
    case 'eks':
      return eksSourceFor(config, env);
    case 'gke':
      return gkeSourceFor(config);
    case 'aks':
      return aksSourceFor(config, env);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The listing failures a narrowed run must report. A failure under another provider cannot hide
 * what the request wants; one elsewhere in the same cloud (an organization not listed) can, unless
 * every scope the request names was found anyway.
 */
function errorsFor(selection: ScanSelection, planned: readonly ShardScope[], errors: readonly ScopeResult[]) {
  const wanted = errors.filter(
    (error) => selection.providers === undefined || selection.providers.includes(error.provider),
  );
  const named = selection.scopes;
  if (named === undefined) return wanted;
  const found = new Set(planned.map(scopeIdOf));
  const allFound = named.every((id) => found.has(id));
  return wanted.filter((error) => !allFound || named.includes(error.scope));
}

/**
 * Lists the scopes of every configured cloud the request wants, without reading a cluster, and
 * writes the plan and the shards (the Distributed Map's items) to the report bucket. A cloud whose
 * listing fails is an unread scope, so the run goes on and ends incomplete.
 */
export async function planRun(input: PlanRunInput, deps: PlanRunDeps): Promise<PlannedRun> {
  const providers = PROVIDERS.filter(
    (provider) =>
      deps.config.targets?.[provider] !== undefined &&
      (input.selection.providers === undefined || input.selection.providers.includes(provider)),
  );
  const build = deps.sourceFor ?? liveSourceFor;
  const scopes: ShardScope[] = [];
  const errors: ScopeResult[] = [];
  const apiCalls: { -readonly [K in keyof ApiCallTotals]: number } = { calls: 0, retries: 0, failures: 0 };
  for (const provider of providers) {
    let source: PlanningSource | undefined;
    try {
      source = await build(provider, deps.config, deps.env);
      const planned = await source.plan();
      scopes.push(...planned.scopes);
      errors.push(...planned.errors);
      apiCalls.calls += planned.apiCalls.calls;
      apiCalls.retries += planned.apiCalls.retries;
      apiCalls.failures += planned.apiCalls.failures;
    } catch (error) {
      errors.push({
        provider,
        scope: `${provider} targets`,
        status: 'error',
        error: `cannot list the scopes to scan: ${describe(error)}`,
        clusters: 0,
      });
    } finally {
      await source?.close?.();
    }
  }
  const selected = selectScopes(scopes, input.selection);
  const plan: RunPlan = {
    schemaVersion: 1,
    runId: input.runId,
    trigger: input.trigger,
    startedAt: input.startedAt.toISOString(),
    notify: input.notify,
    shards: splitIntoShards(input.runId, selected, deps.scopesPerShard, input.selection.clusters),
    errors: errorsFor(input.selection, selected, errors),
    apiCalls,
  };
  const planKey = fanoutKeys.plan(input.runId);
  const shardsKey = fanoutKeys.shards(input.runId);
  // The plan first: a Map that starts always finds the plan finalize will read.
  await deps.sink.put(planKey, `${JSON.stringify(plan, null, 2)}\n`, 'application/json');
  await deps.sink.put(shardsKey, `${JSON.stringify(plan.shards)}\n`, 'application/json');
  return { plan, planKey, shardsKey };
}
