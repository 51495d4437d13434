import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BundleResult, bundleFunctions, type SourcemapMode } from '../scripts/bundle.js';

/**
 * The Lambda bundles: per function, the size of its zip, of its code (entry and every chunk) and
 * of what Lambda loads when it imports the entry (the entry and its static imports; SDK chunks
 * come later, with import()), and the cold import time: a fresh `node` process started in the
 * bundle folder, as Lambda's /var/task, imports index.mjs; median of N runs. Both source map
 * choices are built and measured: none, and external maps with --enable-source-maps.
 *   npm run bench:bundles -- --runs 5
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);

const IMPORT_SCRIPT = [
  'const started = performance.now();',
  "await import('./index.mjs');",
  'process.stdout.write(String(performance.now() - started));',
].join('\n');

/** One cold import: milliseconds inside the process, and of the whole process from spawn to exit. */
function coldImport(
  folder: string,
  sourcemap: SourcemapMode,
): Promise<{ importMs: number; processMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '--eval', IMPORT_SCRIPT], {
      cwd: folder,
      env: {
        PATH: process.env.PATH ?? '',
        ...(sourcemap === 'external' ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`importing ${folder} failed (exit ${code}): ${stderr.slice(-2000)}`));
      else resolve({ importMs: Number(stdout), processMs: performance.now() - started });
    });
  });
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Row {
  readonly sourcemap: SourcemapMode;
  readonly function: string;
  readonly zipKiB: number;
  readonly codeKiB: number;
  readonly chunks: number;
  readonly loadedOnImportKiB: number;
  readonly filesLoadedOnImport: number;
  readonly coldImportMs: number;
  readonly coldProcessMs: number;
}

async function measure(result: BundleResult, sourcemap: SourcemapMode): Promise<Row> {
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await coldImport(result.folder, sourcemap));
  const kib = (bytes: number) => Math.round(bytes / 1024);
  return {
    sourcemap,
    function: result.name,
    zipKiB: kib(result.zipBytes),
    codeKiB: kib(result.codeBytes),
    chunks: result.chunks,
    loadedOnImportKiB: kib(result.importBytes),
    filesLoadedOnImport: result.importFiles.length,
    coldImportMs: Math.round(median(runs.map((run) => run.importMs))),
    coldProcessMs: Math.round(median(runs.map((run) => run.processMs))),
  };
}

function table(rows: readonly Row[]): string {
  const header =
    '| source maps | function | zip | code (entry + chunks) | loaded on import | cold import | cold process |';
  const lines = rows.map(
    (row) =>
      `| ${row.sourcemap} | ${row.function} | ${row.zipKiB} KiB | ${row.codeKiB} KiB (1 + ${row.chunks}) | ` +
      `${row.loadedOnImportKiB} KiB (${row.filesLoadedOnImport} files) | ${row.coldImportMs} ms | ${row.coldProcessMs} ms |`,
  );
  return [header, '|---|---|---|---|---|---|---|', ...lines].join('\n');
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(`--runs must be a whole number ≥ 1, got ${values.runs}`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const work = await mkdtemp(join(tmpdir(), 'kubeline-bench-bundles-'));
  try {
    const rows: Row[] = [];
    for (const sourcemap of ['none', 'external'] as const) {
      const results = await bundleFunctions({ root, outDir: join(work, sourcemap), sourcemap });
      for (const result of results) rows.push(await measure(result, sourcemap));
    }
    process.stdout.write(
      `${JSON.stringify({ runs: RUNS, cores: availableParallelism(), node: process.version, rows }, null, 2)}\n\n`,
    );
    process.stdout.write(`${table(rows)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
