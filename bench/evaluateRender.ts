import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { composeScan } from '../cli/compose.js';
import { packageInfo } from '../cli/packageInfo.js';
import { runScan } from '../engine/pipeline.js';
import type { ReportSink, VersionedObject } from '../engine/ports.js';
import { bodyByteChunks } from '../model/fileBody.js';
import type { FileBody } from '../model/reportFormats.js';

/**
 * Evaluate and render only, for estates larger than a live scan reaches: N clusters loaded from
 * generated exports (test/fixtures/generatedFleet.ts, written by the runner), then the pipeline
 * from evaluation on (checks, waivers, the report model, the five formats) into a sink that
 * reads every body chunk by chunk, as a sink writing a stream does, and keeps nothing. The time
 * is the pipeline's own: evaluate, build and render (a body in pieces renders as the sink reads
 * it, so publish here is rendering too). Run by `npm run bench` in a process of its own:
 *   node --import tsx bench/evaluateRender.ts --fleet DIR
 */

/** The five default formats, as `npm run bench` renders them. */
const FORMATS = ['html', 'md', 'json', 'csv', 'junit'] as const;

/** What the child prints. */
export interface EvaluateRenderResult {
  readonly clusters: number;
  readonly findings: number;
  /** Reading and normalising the exports: not part of what is measured, but what it costs. */
  readonly loadSeconds: number;
  /** evaluate + report + publish of the pipeline: evaluation, the model and every file rendered and read. */
  readonly seconds: number;
  readonly stagesMs: Readonly<Record<string, number>>;
  readonly rssAfterLoadMiB: number;
  /** Bytes per file; a large estate's cluster pages are summed under `clusters/*.html`. */
  readonly bytes: Readonly<Record<string, number>>;
}

/** A sink that reads each body as a stream would and keeps only its size: rendering without storage. */
export class CountingSink implements ReportSink {
  readonly location = 'discard://';
  readonly bytes = new Map<string, number>();

  async put(key: string, body: FileBody): Promise<void> {
    let size = 0;
    for (const chunk of bodyByteChunks(body)) size += chunk.length;
    const name = key.includes('/clusters/') ? 'clusters/*.html' : (key.split('/').at(-1) ?? key);
    this.bytes.set(name, (this.bytes.get(name) ?? 0) + size);
  }

  async get(): Promise<string | undefined> {
    return undefined;
  }

  async getVersioned(): Promise<VersionedObject | undefined> {
    return undefined;
  }

  async putIfMatch(key: string, body: string): Promise<boolean> {
    await this.put(key, body);
    return true;
  }

  locate(key: string): string {
    return `${this.location}${key}`;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fleet: { type: 'string' } } });
  if (values.fleet === undefined) throw new Error('--fleet DIR is required');
  // The folder sink composed here is replaced by the counting sink before anything is written.
  const deps = await composeScan(
    {},
    { from: [values.fleet], providers: [], out: tmpdir(), tool: packageInfo() },
  );
  const loadStart = performance.now();
  const loaded = await Promise.all(deps.sources.map((source) => source.collect()));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const rssAfterLoadMiB = Math.round(process.memoryUsage.rss() / 1024 / 1024);
  const sink = new CountingSink();
  const started = performance.now();
  const outcome = await runScan(
    {
      ...deps,
      sources: loaded.map((result, index) => ({ name: `loaded ${index}`, collect: async () => result })),
      sinks: [sink],
    },
    { trigger: 'cli', asOf: '2026-11-29', formats: FORMATS, notify: false },
  );
  const seconds = (performance.now() - started) / 1000;
  const result: EvaluateRenderResult = {
    clusters: outcome.clusters.length,
    findings: outcome.findings.length,
    loadSeconds,
    seconds,
    stagesMs: outcome.timings,
    rssAfterLoadMiB,
    bytes: Object.fromEntries(sink.bytes),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
