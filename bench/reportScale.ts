import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { writeGeneratedFleet } from '../test/fixtures/generatedFleet.js';
import { runMeasuredChild } from './measuredChild.js';

/**
 * The report at scale: for each estate size, a `--from` scan of generated exports (the five default
 * formats, to a folder) by the built CLI in a child process of its own, so its maxRSS is that
 * scan's peak alone;
 * then the size of report.html and of the biggest `clusters/*.html` page, and the time headless
 * Chromium takes to load report.html from a local HTTP server and lay it out (median of `--runs`).
 * Usage: npm run bench:report -- --clusters 1000,5000 [--runs 3] [--json FILE] [--keep]
 */

/** Issue 13's targets, printed beside the figures. */
const TARGETS = { htmlBytes: 10 * 1024 * 1024, loadMs: 2_000, peakRssMiB: 600 } as const;
const CHROMIUM = process.env.KUBELINE_CHROMIUM || '/usr/bin/chromium';
const FORMATS = ['html', 'md', 'json', 'csv', 'junit'] as const;
/** The built CLI: `npm run build` first. */
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** How long one load may take before the size is recorded as not loaded (Infinity). */
const LOAD_TIMEOUT_MS = 60_000;

/** What one scan did, as the built CLI's child process reports it. */
interface ScanMeasure {
  readonly clusters: number;
  readonly findings: number;
  readonly runFolder: string;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  /** Bytes of each file at the run folder's root, from its manifest. */
  readonly files: Readonly<Record<string, number>>;
}

/**
 * One `kubeline scan --from` of the exports in `fleet` to `out`, the five default formats, by the
 * built CLI (what users run: no TypeScript loader in its memory) in a child process of its own,
 * whose peak RSS is that scan's alone.
 */
async function scanInChild(fleet: string, out: string): Promise<ScanMeasure> {
  const started = performance.now();
  const run = await runMeasuredChild([
    CLI,
    'scan',
    '--from',
    fleet,
    '--out',
    out,
    '--fail-on',
    'none',
    '--as-of',
    '2026-11-29',
    '--format',
    FORMATS.join(','),
  ]);
  if (run.code !== 0) throw new Error(`the scan exited ${run.code}: ${run.stderr.trim().split('\n').at(-1)}`);
  const counts = /kubeline: (\d+) clusters, (\d+) findings/.exec(run.stderr);
  const runFolder = run.stdout.trim().split('\n').at(-1) ?? '';
  const manifest = JSON.parse(await readFile(join(runFolder, 'manifest.json'), 'utf8')) as {
    files: { name: string; bytes: number }[];
  };
  return {
    clusters: Number(counts?.[1]),
    findings: Number(counts?.[2]),
    runFolder,
    wallMs: Math.round(performance.now() - started),
    peakRssMiB: run.peakRssMiB ?? Number.NaN,
    files: Object.fromEntries(
      manifest.files.filter((file) => !file.name.includes('/')).map((file) => [file.name, file.bytes]),
    ),
  };
}

/** The biggest per-cluster page and how many there are; none until the report pages its clusters. */
async function clusterPages(
  runFolder: string,
): Promise<{ readonly count: number; readonly biggestBytes: number | null }> {
  let names: string[];
  try {
    names = (await readdir(join(runFolder, 'clusters'))).filter((name) => name.endsWith('.html'));
  } catch {
    return { count: 0, biggestBytes: null };
  }
  const sizes = await Promise.all(
    names.map(async (name) => (await stat(join(runFolder, 'clusters', name))).size),
  );
  return { count: names.length, biggestBytes: sizes.length === 0 ? null : Math.max(...sizes) };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.xml': 'application/xml',
  '.md': 'text/markdown',
};

/** Serves `root` on 127.0.0.1 at a port the system picks, as object storage would: files as they are. */
async function serveFolder(root: string): Promise<{ readonly server: Server; readonly url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(root, path);
    if (!file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('open', () => {
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      stream.pipe(response);
    });
    stream.on('error', () => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Run in the page before its own scripts: forces a layout of the whole document once it has loaded. */
const LAYOUT_PROBE =
  "addEventListener('load', () => { void document.body.offsetHeight; window.laidOutAt = performance.now(); });";

/**
 * Milliseconds from navigation start to the end of the first layout after the load event: a
 * `load` handler reads `document.body.offsetHeight`, which forces layout of the whole document.
 */
async function loadTimes(url: string, runs: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      // A fresh context each time, so no run is served from the cache of another.
      const context = await browser.newContext();
      await context.addInitScript({ content: LAYOUT_PROBE });
      const page = await context.newPage();
      try {
        await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
        await page.waitForFunction('"laidOutAt" in window', undefined, { timeout: LOAD_TIMEOUT_MS });
        times.push(Number(await page.evaluate('window.laidOutAt')));
      } catch (error) {
        // A report that does not load in time is a figure too: the rest of the sizes still run.
        process.stderr.write(
          `${url}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
        );
        times.push(Number.POSITIVE_INFINITY);
        await context.close();
        break;
      }
      await context.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const MiB = 1024 * 1024;
const mib = (bytes: number | null) => (bytes === null ? 'none' : `${(bytes / MiB).toFixed(1)} MiB`);
const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

async function measureSize(work: string, clusters: number, runs: number) {
  const fleet = await writeGeneratedFleet(join(work, `fleet-${clusters}`), clusters);
  const scan = await scanInChild(fleet, join(work, `reports-${clusters}`));
  const htmlBytes = (await stat(join(scan.runFolder, 'report.html'))).size;
  const pages = await clusterPages(scan.runFolder);
  const { server, url } = await serveFolder(scan.runFolder);
  let times: number[];
  try {
    times = await loadTimes(`${url}/report.html`, runs);
  } finally {
    server.close();
  }
  const loadMs = Math.round(median(times));
  const loaded = Number.isFinite(loadMs);
  return {
    clusters: scan.clusters,
    findings: scan.findings,
    reportHtmlBytes: htmlBytes,
    clusterPages: pages.count,
    biggestClusterPageBytes: pages.biggestBytes,
    loadAndLayoutMs: loaded
      ? { median: loadMs, runs: times.map(Math.round) }
      : { median: null, notLoadedWithinMs: LOAD_TIMEOUT_MS },
    peakRssMiB: scan.peakRssMiB,
    scanWallMs: scan.wallMs,
    files: scan.files,
    targets: {
      reportHtml: verdict(htmlBytes < TARGETS.htmlBytes),
      load: verdict(loaded && loadMs < TARGETS.loadMs),
      peakRss: verdict(scan.peakRssMiB < TARGETS.peakRssMiB),
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '1000,5000' },
      runs: { type: 'string', default: '3' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const sizes = values.clusters.split(',').map(Number);
  const runs = Number(values.runs);
  if (
    sizes.some((size) => !Number.isSafeInteger(size) || size < 1) ||
    !Number.isSafeInteger(runs) ||
    runs < 1
  ) {
    throw new Error(
      '--clusters takes positive whole numbers separated by commas, --runs a positive whole number',
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'kubeline-report-bench-'));
  const results = [];
  for (const size of sizes) results.push(await measureSize(work, size, runs));
  const rows = results.map(
    (result) =>
      `| ${result.clusters.toLocaleString('en')} | ${mib(result.reportHtmlBytes)} (${result.targets.reportHtml} < 10 MiB) | ${mib(result.biggestClusterPageBytes)} | ${result.loadAndLayoutMs.median === null ? `not loaded in ${LOAD_TIMEOUT_MS / 1000} s` : `${result.loadAndLayoutMs.median} ms`} (${result.targets.load} < 2,000 ms) | ${result.peakRssMiB} MiB (${result.targets.peakRss} < 600 MiB) |`,
  );
  process.stdout.write(
    [
      '| clusters | report.html | biggest clusters/*.html | load and layout (median) | scan peak RSS |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  const json = values.json ?? join(tmpdir(), 'kubeline-report-scale.json');
  await writeFile(
    json,
    `${JSON.stringify({ node: process.version, chromium: CHROMIUM, runs, targets: TARGETS, results }, null, 2)}\n`,
  );
  process.stdout.write(`figures written to ${json}\n`);
  if (!values.keep) await rm(work, { recursive: true, force: true });
}

await main();
