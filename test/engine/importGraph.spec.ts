import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What the pipeline must not load: the renderer, the run index and the PDF printer, the templates,
 * Handlebars itself and the browser driver.
 */
const RENDERING: ReadonlySet<string> = new Set([
  'report/render.ts',
  'report/runIndex.ts',
  'report/pdf.ts',
  'report/templates.ts',
  'handlebars',
  'playwright-core',
]);

/** Imports that load their module when the importer loads; an `import()` loads only when it runs. */
const STATIC_KINDS: ReadonlySet<string> = new Set(['import-statement', 'require-call']);

/** Every module of engine/, as a path from the repository root. */
function engineModules(): string[] {
  return readdirSync(join(ROOT, 'engine'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `engine/${file.split('\\').join('/')}`)
    .sort();
}

/**
 * The import graph esbuild resolves from the entries, as it would bundle them: type-only imports
 * are gone, and npm packages and Node built-ins are leaves named by their specifier.
 */
async function importGraph(entries: readonly string[]): Promise<Metafile> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [...entries],
    bundle: true,
    write: false,
    outdir: 'import-graph',
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** `handlebars` for `handlebars/runtime`, `@scope/name` for `@scope/name/sub`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** The shortest chain of static imports from `entry` to one of `targets`, or null when there is none. */
function staticPath(graph: Metafile, entry: string, targets: ReadonlySet<string>): string[] | null {
  const importer = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let index = 0; index < queue.length; index += 1) {
    const module = queue[index] as string;
    if (targets.has(module)) {
      const chain = [module];
      for (let link = importer.get(module); link; link = importer.get(link)) chain.unshift(link);
      return chain;
    }
    for (const imported of graph.inputs[module]?.imports ?? []) {
      if (!STATIC_KINDS.has(imported.kind)) continue;
      const next = imported.external ? packageName(imported.path) : imported.path;
      if (importer.has(next)) continue;
      importer.set(next, module);
      queue.push(next);
    }
  }
  return null;
}

describe('engine import graph', () => {
  it('has no static import path from any engine module to the renderer, the templates or Handlebars', async () => {
    const modules = engineModules();
    const graph = await importGraph(modules);

    const paths = modules.flatMap((module) => {
      const path = staticPath(graph, module, RENDERING);
      return path === null ? [] : [path.join(' -> ')];
    });

    assert.ok(modules.includes('engine/pipeline.ts'), 'the walk starts at every engine module');
    assert.deepEqual(paths, []);
  });

  it('finds such a path where one exists: the renderer reaches Handlebars through the templates', async () => {
    const graph = await importGraph(['report/render.ts']);

    const path = staticPath(graph, 'report/render.ts', new Set(['handlebars']));

    assert.deepEqual(path, ['report/render.ts', 'report/templates.ts', 'handlebars']);
  });

  it('keeps Handlebars out of what the plan and scanShard Lambdas load at start, though they import the composition root', async () => {
    const entries = ['functions/plan.ts', 'functions/scanShard.ts'];
    const graph = await importGraph(entries);

    const paths = entries.map((entry) => staticPath(graph, entry, RENDERING));
    const composeRoot = entries.map(
      (entry) => staticPath(graph, entry, new Set(['cli/compose.ts'])) !== null,
    );

    assert.deepEqual(paths, [null, null]);
    assert.deepEqual(composeRoot, [true, true]);
  });
});
