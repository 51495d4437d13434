import { composePipeline } from '../cli/compose.js';
import type { KubelineConfig } from '../config/schema.js';
import { fanoutKeys, parseRunPlan, type RunPlan, storedShardsSource } from '../engine/fanout.js';
import { type PipelineDeps, runScan, type ScanOutcome } from '../engine/pipeline.js';
import type { ReportFormat } from '../model/reportFormats.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface FinalizeRunDeps {
  readonly config: KubelineConfig;
  readonly env: Env;
  /** The report bucket: the plan and the shards are read from it, and the run is published to it. */
  readonly reportUri: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly formats: readonly ReportFormat[];
  readonly clock: () => Date;
}

export interface FinalizedRun {
  readonly plan: RunPlan;
  readonly outcome: ScanOutcome;
}

/**
 * Merges what every shard of a run stored and finishes the run as the CLI would: evaluate,
 * diff, render, publish, notify. A shard that stored nothing makes its scopes unread and the run
 * incomplete; it never stops the run from being published.
 */
export async function finalizeRun(runId: string, deps: FinalizeRunDeps): Promise<FinalizedRun> {
  const composed = await composePipeline(deps.config, [], {
    out: deps.reportUri,
    tool: deps.tool,
    env: deps.env,
  });
  const [bucket] = composed.sinks;
  const planKey = fanoutKeys.plan(runId);
  const text = await bucket.get(planKey);
  if (text === undefined) {
    throw new Error(`run ${runId}: no plan at ${bucket.locate(planKey)}; the run was never planned`);
  }
  const plan = parseRunPlan(text, bucket.locate(planKey));
  if (plan.runId !== runId) {
    throw new Error(`${bucket.locate(planKey)} is the plan of run ${plan.runId}, not of run ${runId}`);
  }
  const pipeline: PipelineDeps = {
    ...composed,
    sources: [storedShardsSource(plan, (key) => bucket.get(key))],
    clock: deps.clock,
  };
  const outcome = await runScan(pipeline, {
    trigger: plan.trigger,
    formats: deps.formats,
    notify: plan.notify,
    run: { id: plan.runId, startedAt: new Date(plan.startedAt) },
  });
  return { plan, outcome };
}
