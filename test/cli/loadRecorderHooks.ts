import { appendFileSync } from 'node:fs';

/** What Node's module customization hooks pass to `resolve` and what the next hook returns. */
interface ResolveContext {
  readonly conditions: readonly string[];
  readonly parentURL?: string;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;

/** Receives the log file from `module.register` (hooks run on their own thread, without argv). */
let logFile: string | undefined;

export async function initialize(data: { readonly logFile: string }): Promise<void> {
  logFile = data.logFile;
}

/** Records every module URL an `import` or `import()` resolves to, one per line. */
export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  if (logFile !== undefined) appendFileSync(logFile, `${result.url}\n`);
  return result;
}
