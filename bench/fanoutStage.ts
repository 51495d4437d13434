import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/**
 * One step of the fan-out in a process of its own, as one Lambda invocation would run it:
 *   node --import tsx bench/fanoutStage.ts <plan|scanShard|finalize> <event.json> <measure.json>
 * The handler reads its settings from this process's environment. What it returns (or why it
 * failed) is written with the wall time of the invocation and the memory the process used, so
 * bench/fanoutScale.ts can measure each step alone, its peak RSS included.
 */

/** What one step measured; `output` is what the handler returned. */
export interface StageMeasure {
  readonly stage: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly wallSeconds: number;
  /** Resident memory once Node, the TypeScript loader and the handler's module were loaded. */
  readonly rssLoadedBytes: number;
  /** The process's peak resident memory (maxRSS), the invocation included. */
  readonly peakRssBytes: number;
}

type Handler = (event: unknown) => Promise<unknown>;

/** The handler of a step, built from this process's environment, as the function's `handler` export is. */
async function handlerOf(stage: string): Promise<Handler> {
  const options = { env: process.env };
  switch (stage) {
    case 'plan':
      return (await import('../functions/plan.js')).createPlanHandler(options);
    case 'scanShard':
      return (await import('../functions/scanShard.js')).createScanShardHandler(options);
    case 'finalize':
      return (await import('../functions/finalize.js')).createFinalizeHandler(options);
    default:
      throw new Error(`unknown stage ${JSON.stringify(stage)}: plan, scanShard or finalize`);
  }
}

const [stage = '', eventFile, measureFile] = process.argv.slice(2);
if (eventFile === undefined || measureFile === undefined)
  throw new Error('usage: fanoutStage.ts <plan|scanShard|finalize> <event.json> <measure.json>');

const handler = await handlerOf(stage);
const event: unknown = JSON.parse(await readFile(eventFile, 'utf8'));
const rssLoadedBytes = process.memoryUsage().rss;
const started = performance.now();
let outcome: { output: unknown } | { error: string };
try {
  outcome = { output: await handler(event) };
} catch (error) {
  outcome = { error: error instanceof Error ? error.message : String(error) };
}
const measure: StageMeasure = {
  stage,
  ...outcome,
  wallSeconds: (performance.now() - started) / 1000,
  rssLoadedBytes,
  // maxRSS is in kibibytes.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
await writeFile(measureFile, JSON.stringify(measure), 'utf8');
// Clients the handler keeps for the next invocation (sockets, gRPC channels) would hold the process open.
process.exit(0);
