import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { composeScan } from '../cli/compose.js';
import { packageInfo } from '../cli/packageInfo.js';
import { runScan } from '../engine/pipeline.js';
import { writeGeneratedFleet } from '../test/fixtures/generatedFleet.js';

/**
 * Scans a generated fleet of exported clusters end to end (load, normalise, evaluate, render all
 * five formats, write to a folder) and prints wall time per stage and peak memory.
 * Usage: npm run bench -- --clusters 5000
 */
const { values } = parseArgs({
  options: { clusters: { type: 'string', default: '5000' }, keep: { type: 'boolean' } },
});
const count = Number(values.clusters);
if (!Number.isSafeInteger(count) || count < 1) throw new Error('--clusters takes a positive whole number');

const work = await mkdtemp(join(tmpdir(), 'kubeline-bench-'));
const fleet = await writeGeneratedFleet(join(work, 'fleet'), count);
const started = performance.now();
const deps = await composeScan(
  {},
  { from: [fleet], providers: [], out: join(work, 'reports'), tool: packageInfo() },
);
const outcome = await runScan(deps, {
  trigger: 'cli',
  asOf: '2026-11-29',
  formats: ['html', 'md', 'json', 'csv', 'junit'],
});
const wallMs = performance.now() - started;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const result = {
  clusters: outcome.clusters.length,
  findings: outcome.findings.length,
  complete: outcome.complete,
  problems: outcome.problems.length,
  wallSeconds: Number((wallMs / 1000).toFixed(2)),
  msPerCluster: Number((wallMs / outcome.clusters.length).toFixed(3)),
  stagesMs: outcome.timings,
  peakRssMiB: Math.round(peakRssMiB),
  reportBytes: Object.fromEntries(outcome.files.map((file) => [file.name, file.bytes])),
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (!values.keep) await rm(work, { recursive: true, force: true });
if (!outcome.complete || outcome.clusters.length !== count) process.exitCode = 1;
