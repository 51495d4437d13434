import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import JSZip from 'jszip';
import { ConfigError, parseConfig } from '../config/load.js';

/** The Lambda functions of serverless.yml, each bundled from functions/<name>.ts. */
export const FUNCTION_NAMES = ['nightly', 'http', 'plan', 'scanShard', 'finalize'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The deployment configuration copied into every bundle as config/ (KUBELINE_CONFIG points there). */
export const DEFAULT_DEPLOY_CONFIG_DIR = 'deploy/aws/config';
export const DEPLOY_CONFIG_FILE = 'kubeline.config.yaml';

/**
 * `none`: no source maps. `external`: a .map beside every file, used only with
 * NODE_OPTIONS=--enable-source-maps. bench/README.md has the measurements behind the default.
 */
export type SourcemapMode = 'none' | 'external';
export const DEFAULT_SOURCEMAP: SourcemapMode = 'none';

/** Where each bundle starts on Lambda: `index.handler` in the zip's root. */
export const ENTRY_FILE = 'index.mjs';

/*
 * Bundled CommonJS code calls require(), and reads __dirname/__filename at load time (google-gax
 * derives a protos folder from it). An ES module has neither, so every output file gets its own,
 * from its own URL: a chunk's require() then resolves from the bundle folder.
 */
const BANNER = [
  "import { createRequire as __kubelineCreateRequire } from 'node:module';",
  "import { fileURLToPath as __kubelineFileURLToPath } from 'node:url';",
  "import { dirname as __kubelineDirname } from 'node:path';",
  'const require = __kubelineCreateRequire(import.meta.url);',
  'const __filename = __kubelineFileURLToPath(import.meta.url);',
  'const __dirname = __kubelineDirname(__filename);',
].join(' ');

/**
 * Files a bundled module reads from disk at run time, which esbuild cannot see. Each is copied
 * into the bundles whose code includes the module that reads it, at the path it is read from.
 */
interface RuntimeFile {
  /** The source module (relative to the repository) that reads the file. */
  readonly readBy: string;
  /** The file's path below the repository, and below the bundle folder. */
  readonly path: string;
}

const RUNTIME_FILES: readonly RuntimeFile[] = [
  // The proto3 JSON of GKE's messages, loaded with require() by package name (providers/gcp/protoJson.ts).
  {
    readBy: 'providers/gcp/protoJson.ts',
    path: 'node_modules/@google-cloud/container/build/protos/protos.json',
  },
  {
    readBy: 'providers/gcp/protoJson.ts',
    path: 'node_modules/@google-cloud/logging-api/build/protos/protos.json',
  },
  {
    readBy: 'providers/gcp/protoJson.ts',
    path: 'node_modules/@google-cloud/monitoring/build/protos/protos.json',
  },
];

/** Modules that find kubeline's package root: a folder with package.json beside templates/. */
const PACKAGE_ROOT_READERS = ['report/templates.ts', 'cli/packageInfo.ts'];

export interface BundleOptions {
  /** The repository root. */
  readonly root: string;
  /** Bundles go to <outDir>/functions/<name>/, zips to <outDir>/<name>.zip. Default <root>/.build. */
  readonly outDir?: string;
  /** Default `KUBELINE_DEPLOY_CONFIG_DIR`, else deploy/aws/config. */
  readonly configDir?: string;
  readonly sourcemap?: SourcemapMode;
}

/** One function's bundle. */
export interface BundleResult {
  readonly name: FunctionName;
  /** The bundle folder: what the zip holds. */
  readonly folder: string;
  readonly zip: string;
  readonly zipBytes: number;
  /** JavaScript written by esbuild: the entry and every chunk (source maps excluded). */
  readonly codeBytes: number;
  readonly chunks: number;
  /** Every file in the bundle folder, with its size. */
  readonly fileBytes: number;
  /** JavaScript loaded when Lambda imports the entry: it and its static imports, not import() chunks. */
  readonly importBytes: number;
  /** The files counted in importBytes, relative to the bundle folder. */
  readonly importFiles: readonly string[];
}

/** A problem that stops bundling, printed as one line. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

/** Reads and validates the deployment configuration folder; returns its absolute path. */
export async function validateDeployConfig(configDir: string): Promise<string> {
  const file = join(configDir, DEPLOY_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BundleError(
      `deployment configuration ${file}: cannot read it (${code}); set KUBELINE_DEPLOY_CONFIG_DIR to a folder holding ${DEPLOY_CONFIG_FILE}`,
      { cause: error },
    );
  }
  try {
    parseConfig(text, file);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new BundleError(`invalid deployment configuration: ${error.message}`, { cause: error });
    throw error;
  }
  return configDir;
}

/** Every function's entry file; fails naming each one that is missing. */
export async function functionEntries(root: string): Promise<Record<FunctionName, string>> {
  const entries = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, join(root, 'functions', `${name}.ts`)]),
  ) as Record<FunctionName, string>;
  const missing: string[] = [];
  for (const name of FUNCTION_NAMES) {
    const found = await stat(entries[name]).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!found) missing.push(relative(root, entries[name]));
  }
  if (missing.length > 0) {
    throw new BundleError(`cannot bundle: missing function entry ${missing.join(', ')}`);
  }
  return entries;
}

/**
 * Packages a dependency imports with import() although they ship CommonJS only (gaxios loads
 * https-proxy-agent when a proxy is set): through import() esbuild gives such a package only a
 * default export, so `(await import('https-proxy-agent')).HttpsProxyAgent` would read undefined.
 * Each is imported through a module that names its exports, read from the package at bundle time.
 */
const COMMONJS_DYNAMIC_IMPORTS = ['https-proxy-agent'] as const;

function namedDynamicImports(): Plugin {
  const listed = new Set<string>(COMMONJS_DYNAMIC_IMPORTS);
  return {
    name: 'kubeline-named-dynamic-imports',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) =>
        args.kind === 'dynamic-import' && listed.has(args.path)
          ? { path: args.path, namespace: 'kubeline-named', pluginData: args.resolveDir }
          : undefined,
      );
      builder.onLoad({ filter: /.*/, namespace: 'kubeline-named' }, (args) => {
        const resolveDir = String(args.pluginData);
        // The copy the importer would get: a dependency may carry its own version of the package.
        const exported = createRequire(join(resolveDir, 'importer.js'))(args.path) as object;
        const names = Object.keys(exported).filter(
          (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
        );
        const contents = [
          `import * as commonjs from ${JSON.stringify(args.path)};`,
          ...names.map((name) => `export const ${name} = commonjs.${name};`),
          'export default commonjs.default ?? commonjs;',
        ].join('\n');
        return { contents, resolveDir, loader: 'js' };
      });
    },
  };
}

/** One esbuild run for every function: shared modules are parsed and minified once. */
async function esbuildAll(
  root: string,
  entries: Record<FunctionName, string>,
  outDir: string,
  sourcemap: SourcemapMode,
): Promise<Metafile> {
  const result = await build({
    // Paths in the metafile are relative to the root.
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Each lazily imported SDK, sink and notifier becomes a chunk loaded only when import() runs.
    splitting: true,
    // A package's ES module build first: through import() esbuild gives a CommonJS build only a
    // default export, so `const { EKSClient } = await import('@aws-sdk/client-eks')` would read
    // undefined. Packages with no ES module build (Google's) are imported by name in a module of
    // kubeline's own (providers/gcp/*Sdk.ts, providers/azure/auditSdk.ts); test/deploy/bundle.spec.ts
    // fails on any chunk loaded by import() that exports only a default.
    mainFields: ['module', 'main'],
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Error and class names stay readable in logs and in `name` checks.
    keepNames: true,
    sourcemap: sourcemap === 'external' ? 'external' : false,
    banner: { js: BANNER },
    // No Lambda runtime has a Chromium, so report/pdf.ts skips a PDF there before it would import
    // playwright-core: left out, it would only add about 1 MB to every zip.
    external: ['playwright-core'],
    plugins: [namedDynamicImports()],
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/**
 * The output files (relative to the esbuild folder) a function can load: its entry and every chunk
 * reachable from it through static and dynamic imports.
 */
function reachableOutputs(
  metafile: Metafile,
  esbuildDir: string,
  root: string,
  name: FunctionName,
  kinds: ReadonlySet<string> = new Set(['import-statement', 'dynamic-import']),
): string[] {
  const toOutput = (file: string) => relative(esbuildDir, join(root, file)).split(sep).join('/');
  const byOutput = new Map(
    Object.entries(metafile.outputs).map(([path, output]) => [toOutput(path), output]),
  );
  const seen = new Set<string>();
  const pending = [`${name}.mjs`];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of byOutput.get(file)?.imports ?? []) {
      if (!imported.external && kinds.has(imported.kind)) pending.push(toOutput(imported.path));
    }
  }
  return [...seen].sort();
}

/** The source modules (relative to the root, / separators) bundled into the given output files. */
function sourcesOf(
  metafile: Metafile,
  esbuildDir: string,
  root: string,
  outputs: readonly string[],
): Set<string> {
  const wanted = new Set(outputs);
  const sources = new Set<string>();
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (!wanted.has(relative(esbuildDir, join(root, path)).split(sep).join('/'))) continue;
    for (const input of Object.keys(output.inputs)) sources.add(input.split(sep).join('/'));
  }
  return sources;
}

/**
 * Copies a function's outputs into its bundle folder, its entry as index.mjs. Chunks keep their
 * names and the entry stays beside chunks/, so every relative import still resolves.
 */
async function copyOutputs(
  esbuildDir: string,
  folder: string,
  name: FunctionName,
  outputs: readonly string[],
  sourcemap: SourcemapMode,
): Promise<void> {
  for (const file of outputs) {
    const isEntry = file === `${name}.mjs`;
    const target = join(folder, isEntry ? ENTRY_FILE : file);
    await mkdir(dirname(target), { recursive: true });
    if (isEntry && sourcemap === 'external') {
      const code = await readFile(join(esbuildDir, file), 'utf8');
      await writeFile(
        target,
        code.replace(`sourceMappingURL=${name}.mjs.map`, `sourceMappingURL=${ENTRY_FILE}.map`),
      );
    } else {
      await copyFile(join(esbuildDir, file), target);
    }
    if (sourcemap === 'external') await copyFile(join(esbuildDir, `${file}.map`), `${target}.map`);
  }
}

/** Copies the run-time files and package-root markers the bundled code reads. */
async function copyRuntimeFiles(root: string, folder: string, sources: Set<string>): Promise<void> {
  for (const file of RUNTIME_FILES) {
    if (!sources.has(file.readBy)) continue;
    await mkdir(dirname(join(folder, file.path)), { recursive: true });
    await copyFile(join(root, file.path), join(folder, file.path));
  }
  if (PACKAGE_ROOT_READERS.some((reader) => sources.has(reader))) {
    await cp(join(root, 'templates'), join(folder, 'templates'), { recursive: true });
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    // Name and version only: the report's tool field. "type" keeps .js out of the picture.
    await writeFile(
      join(folder, 'package.json'),
      `${JSON.stringify({ name: manifest.name, version: manifest.version, type: 'module', private: true }, null, 2)}\n`,
    );
  }
}

/** Every file below a folder, relative to it, sorted: the zip's content in a stable order. */
export async function filesBelow(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A zip of the folder with fixed dates and modes, so the same bundle gives the same bytes. */
async function zipFolder(folder: string, files: readonly string[], target: string): Promise<number> {
  const zip = new JSZip();
  const fixedDate = new Date(Date.UTC(2000, 0, 1));
  for (const file of files) {
    zip.file(file, await readFile(join(folder, file)), { date: fixedDate, unixPermissions: 0o644 });
  }
  const bytes = await zip.generateAsync({
    type: 'nodebuffer',
    platform: 'UNIX',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  });
  await writeFile(target, bytes);
  return bytes.length;
}

async function bundleFunction(
  name: FunctionName,
  built: { metafile: Metafile; esbuildDir: string },
  options: { root: string; outDir: string; configDir: string; sourcemap: SourcemapMode },
): Promise<BundleResult> {
  const folder = join(options.outDir, 'functions', name);
  const outputs = reachableOutputs(built.metafile, built.esbuildDir, options.root, name);
  const atImport = reachableOutputs(
    built.metafile,
    built.esbuildDir,
    options.root,
    name,
    new Set(['import-statement']),
  ).map((file) => (file === `${name}.mjs` ? ENTRY_FILE : file));
  await copyOutputs(built.esbuildDir, folder, name, outputs, options.sourcemap);
  await copyRuntimeFiles(
    options.root,
    folder,
    sourcesOf(built.metafile, built.esbuildDir, options.root, outputs),
  );
  await cp(options.configDir, join(folder, 'config'), { recursive: true });
  const files = await filesBelow(folder);
  const sizes = await Promise.all(files.map(async (file) => (await stat(join(folder, file))).size));
  const code = files.filter((file) => file.endsWith('.mjs') && !file.startsWith('config/'));
  const codeSizes = sizes.filter((_size, index) => code.includes(files[index] ?? ''));
  const zip = join(options.outDir, `${name}.zip`);
  return {
    name,
    folder,
    zip,
    zipBytes: await zipFolder(folder, files, zip),
    codeBytes: codeSizes.reduce((sum, size) => sum + size, 0),
    chunks: code.length - 1,
    fileBytes: sizes.reduce((sum, size) => sum + size, 0),
    importBytes: sizes
      .filter((_size, index) => atImport.includes(files[index] ?? ''))
      .reduce((sum, size) => sum + size, 0),
    importFiles: atImport,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error);
}

/**
 * Bundles every function with esbuild into <outDir>/functions/<name>/ (an ESM entry, index.mjs,
 * and its chunks, the files its code reads at run time and config/) and zips each folder into
 * <outDir>/<name>.zip, the artifact serverless.yml deploys. Fails before writing anything when a
 * function entry is missing or the deployment configuration is invalid.
 */
export async function bundleFunctions(options: BundleOptions): Promise<BundleResult[]> {
  const root = options.root;
  const outDir = options.outDir ?? join(root, '.build');
  const configDir = await validateDeployConfig(
    options.configDir ??
      join(root, process.env.KUBELINE_DEPLOY_CONFIG_DIR?.trim() || DEFAULT_DEPLOY_CONFIG_DIR),
  );
  const entries = await functionEntries(root);
  const esbuildDir = join(outDir, 'esbuild');
  await Promise.all([
    rm(join(outDir, 'functions'), { recursive: true, force: true }),
    rm(esbuildDir, { recursive: true, force: true }),
    ...FUNCTION_NAMES.map((name) => rm(join(outDir, `${name}.zip`), { force: true })),
  ]);
  await mkdir(outDir, { recursive: true });
  const sourcemap = options.sourcemap ?? DEFAULT_SOURCEMAP;
  let metafile: Metafile;
  try {
    metafile = await esbuildAll(root, entries, esbuildDir, sourcemap);
  } catch (error) {
    throw new BundleError(`esbuild failed: ${describe(error)}`, { cause: error });
  }
  const results: BundleResult[] = [];
  // One function after another: the zips are compressed in this process.
  for (const name of FUNCTION_NAMES) {
    results.push(
      await bundleFunction(name, { metafile, esbuildDir }, { root, outDir, configDir, sourcemap }),
    );
  }
  return results;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const requested = process.env.KUBELINE_BUNDLE_SOURCEMAP?.trim();
  if (requested !== undefined && requested !== '' && requested !== 'none' && requested !== 'external') {
    throw new BundleError(`KUBELINE_BUNDLE_SOURCEMAP=${requested}: use none or external`);
  }
  const results = await bundleFunctions({
    root,
    ...(requested ? { sourcemap: requested as SourcemapMode } : {}),
  });
  for (const result of results) {
    console.log(
      `${result.name}: ${relative(root, result.zip)} ${kib(result.zipBytes)} (code ${kib(result.codeBytes)} in 1 entry + ${result.chunks} chunks, ${kib(result.importBytes)} loaded on import; ${kib(result.fileBytes)} unzipped)`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`bundle: ${error instanceof BundleError ? error.message : describe(error)}`);
    process.exitCode = 1;
  });
}
