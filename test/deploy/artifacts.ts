import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { probePython, pythonCandidates } from '../peers/python.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TEMPLATE_PATH = path.join(ROOT, '.serverless', 'cloudformation-template-update-stack.json');
/** What `npm run package` passes for the parameters that have no default. */
export const CI_JWT = { issuer: 'https://auth.example.com/', audience: 'kubeline' } as const;
export const CI_STAGE = 'ci';

const PACKAGE_TIMEOUT_MS = 120_000;
const OUTPUT_TAIL_CHARS = 6_000;

export interface CloudFormationResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
}

export interface CloudFormationTemplate {
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, CloudFormationResource>;
  readonly Outputs?: Record<string, unknown>;
}

/**
 * The environment the packaging runs in: this one without any AWS credential, profile or endpoint,
 * to prove packaging needs none.
 */
function offlineEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
}

function runPackage(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'package'], {
      cwd: ROOT,
      env: offlineEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run npm run package: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`npm run package failed (${signal ?? `exit ${code}`}); its output ends with:\n${output}`),
        );
    });
  });
}

let packaged: Promise<CloudFormationTemplate> | undefined;

/**
 * Runs `npm run package` (bundle every function, then `serverless package` of the CI stage) once
 * per test process, and returns the CloudFormation template it wrote.
 */
export function packagedTemplate(): Promise<CloudFormationTemplate> {
  packaged ??= runPackage().then(
    async () => JSON.parse(await readFile(TEMPLATE_PATH, 'utf8')) as CloudFormationTemplate,
  );
  return packaged;
}

/** Resources of a type, by logical id. */
export function resourcesOfType(
  template: CloudFormationTemplate,
  type: string,
): [string, CloudFormationResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

const CFN_LINT_PROBE =
  'import cfnlint.version, sys; print(cfnlint.version.__version__); print(sys.executable)';
/** cfn-lint's console script, run through the interpreter: `python -m cfnlint` has no __main__. */
export const CFN_LINT_MAIN =
  'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())';

/**
 * The Python interpreter that imports cfnlint: `CFN_LINT_PYTHON` when set (and only it), else
 * python3 and python on PATH, the pyenv versions (PYENV_ROOT, ~/.pyenv, /root/.pyenv) and the
 * system interpreters. cfn-lint ships in the image's pyenv Python, which a bare PATH misses.
 */
export async function findCfnLintPython(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const override = env.CFN_LINT_PYTHON?.trim();
  const candidates = await pythonCandidates(override, env);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const result = await probePython(candidate, CFN_LINT_PROBE, env);
    if ('version' in result) return result.executable;
    tried.push(`  ${candidate}: ${result.reason}`);
  }
  throw new Error(
    `No Python interpreter that imports cfnlint was found${override ? ' (CFN_LINT_PYTHON is set, so only it was tried)' : ''}:\n` +
      `${tried.join('\n')}\n` +
      "cfn-lint ships in the image's pyenv Python (/root/.pyenv/versions/3.11.7/bin/python3); install it with " +
      '`python3 -m pip install cfn-lint` (.ci/run does) or set CFN_LINT_PYTHON to an interpreter that has it.',
  );
}

export interface CfnLintResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs cfn-lint on a template with the given extra arguments. */
export async function runCfnLint(template: string, args: readonly string[]): Promise<CfnLintResult> {
  const python = await findCfnLintPython();
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', CFN_LINT_MAIN, ...args, '--', template],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (exitCode === -1) reject(new Error(`cfn-lint did not run: ${error?.message}`, { cause: error }));
        else resolve({ exitCode, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}
