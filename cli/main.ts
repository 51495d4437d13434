#!/usr/bin/env node
import module from 'node:module';

/*
 * Node 22.1 and later keep V8's compiled code of the modules a run loads in a cache on disk
 * (NODE_COMPILE_CACHE, else the temporary folder), so later runs skip most of the compiling; it
 * never throws, and NODE_DISABLE_COMPILE_CACHE turns it off. Node 20 has no such function. It
 * applies to modules loaded after the call, hence run.js is imported below and not above.
 */
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { runCli } = await import('./run.js');
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
});
process.exitCode = code;
