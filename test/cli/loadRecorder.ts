/**
 * `node --import tsx --import ./test/cli/loadRecorder.ts …` writes, to KUBELINE_LOAD_LOG, every
 * module the process loads: ES modules through a resolve hook, CommonJS ones (which a CommonJS
 * package requires without passing through the hook) from the require cache when it exits.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const logFile = process.env.KUBELINE_LOAD_LOG;
if (logFile === undefined) throw new Error('loadRecorder: set KUBELINE_LOAD_LOG to the file to write');

register('./loadRecorderHooks.ts', import.meta.url, { data: { logFile } });
const requireCache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const files = Object.keys(requireCache);
  if (files.length > 0) appendFileSync(logFile, `${files.join('\n')}\n`);
});
