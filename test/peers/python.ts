import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/*
 * Tools the tests drive live in the image's pyenv Python (moto, cfn-lint), which a bare PATH (CI,
 * `env -i`) does not reach: these find the interpreter that imports one.
 */

const PROBE_TIMEOUT_MS = 20_000;

/** What a probe printed (first line, the interpreter's real path) or why it failed. */
export type PythonProbe =
  | { readonly version: string; readonly executable: string }
  | { readonly reason: string };

/**
 * Runs `python -c code`, where the code prints a version, then `sys.executable` (a pyenv shim
 * resolves to the binary).
 */
export function probePython(python: string, code: string, env: NodeJS.ProcessEnv): Promise<PythonProbe> {
  return new Promise((resolve) => {
    execFile(python, ['-c', code], { env, timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error === null) {
        const [version = '', executable = python] = stdout.trim().split('\n');
        resolve({ version, executable: executable || python });
        return;
      }
      const code = 'code' in error ? error.code : undefined;
      const lastLine = stderr.trim().split('\n').at(-1);
      resolve({ reason: code === 'ENOENT' ? 'not found' : (lastLine ?? error.message) });
    });
  });
}

/** Interpreters of every pyenv version under a pyenv root, newest first. */
async function pyenvPythons(root: string): Promise<string[]> {
  const versions = await readdir(path.join(root, 'versions')).catch(() => []);
  return versions
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((version) => path.join(root, 'versions', version, 'bin', 'python3'));
}

/**
 * The interpreters to try, in order: the override alone when one is set; else python3 and python
 * on PATH, the pyenv versions (PYENV_ROOT, ~/.pyenv, /root/.pyenv) and the system interpreters.
 */
export async function pythonCandidates(
  override: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  if (override) return [override];
  const roots = [env.PYENV_ROOT, env.HOME && path.join(env.HOME, '.pyenv'), '/root/.pyenv'].filter(
    (root): root is string => typeof root === 'string' && root !== '',
  );
  return [
    ...new Set([
      'python3',
      'python',
      ...(await Promise.all(roots.map(pyenvPythons))).flat(),
      '/usr/local/bin/python3',
      '/usr/bin/python3',
    ]),
  ];
}
