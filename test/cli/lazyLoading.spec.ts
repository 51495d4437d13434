import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Packages of the clouds and transports a run loads only when it uses them. */
const GOOGLE = /\/node_modules\/@google-cloud\//;
const AZURE = /\/node_modules\/@azure\//;
const ANY_AWS = /\/node_modules\/@aws-sdk\//;
const S3 = /\/node_modules\/@aws-sdk\/client-s3\//;
const MAIL = /\/node_modules\/nodemailer\//;
const EKS = /\/node_modules\/@aws-sdk\/client-eks\//;

/** A child process that has not finished by then has hung: fail instead of waiting for mocha. */
const CHILD_TIMEOUT_MS = 15_000;

interface Loaded {
  readonly code: number;
  readonly modules: readonly string[];
}

/**
 * Runs the CLI from source in a fresh process with test/cli/loadRecorder.ts, and returns its exit
 * code and every module it loaded. The environment is only what is given (no cloud credentials).
 */
async function kubelineLoads(argv: readonly string[], env: Record<string, string> = {}): Promise<Loaded> {
  return modulesLoadedBy(['cli/main.ts', ...argv], env);
}

/** Runs a script from source in a fresh process with the load recorder; see kubelineLoads. */
async function modulesLoadedBy(script: readonly string[], env: Record<string, string>): Promise<Loaded> {
  const work = await mkdtemp(join(tmpdir(), 'kubeline-lazy-'));
  const log = join(work, 'modules.log');
  await writeFile(log, '');
  const args = ['--import', 'tsx', '--import', './test/cli/loadRecorder.ts', ...script];
  const code = await run(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: work, KUBELINE_LOAD_LOG: log, ...env },
    timeout: CHILD_TIMEOUT_MS,
  }).then(
    () => 0,
    (error: { code?: unknown }) => {
      if (typeof error.code !== 'number') throw error;
      return error.code;
    },
  );
  const modules = (await readFile(log, 'utf8')).split('\n').filter((line) => line.length > 0);
  return { code, modules };
}

/** Which of the patterns match at least one loaded module. */
function loadedOf(modules: readonly string[], patterns: Readonly<Record<string, RegExp>>): string[] {
  return Object.entries(patterns)
    .filter(([, pattern]) => modules.some((module) => pattern.test(module)))
    .map(([name]) => name);
}

describe('cli: modules are loaded only when the run needs them', function () {
  // Each case starts Node with the TypeScript loader: seconds, not milliseconds.
  this.timeout(3 * CHILD_TIMEOUT_MS);

  it('kubeline checks loads no cloud SDK and no mail library', async () => {
    // Act
    const { code, modules } = await kubelineLoads(['checks']);
    // Assess
    assert.deepEqual(
      {
        code,
        recorded: loadedOf(modules, { cli: /\/cli\/run\.ts$/ }),
        loaded: loadedOf(modules, { GOOGLE, AZURE, ANY_AWS, MAIL }),
      },
      { code: 0, recorded: ['cli'], loaded: [] },
    );
  });

  it('a --from scan to a folder loads no cloud SDK and no mail library', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'kubeline-lazy-out-'));
    // Act
    const { code, modules } = await kubelineLoads([
      'scan',
      '--from',
      'examples/fleet',
      '--out',
      out,
      '--fail-on',
      'none',
    ]);
    // Assess
    assert.deepEqual(
      {
        code,
        recorded: loadedOf(modules, { snapshots: /\/providers\/snapshot\/load\.ts$/ }),
        loaded: loadedOf(modules, { GOOGLE, AZURE, ANY_AWS, MAIL }),
      },
      { code: 0, recorded: ['snapshots'], loaded: [] },
    );
  });

  it('an EKS-only scan loads the EKS clients, but no Google, Azure, S3 or mail code', async () => {
    // Prepare: a closed loopback port stands for the AWS endpoint, so the scope fails at once.
    const work = await mkdtemp(join(tmpdir(), 'kubeline-lazy-eks-'));
    const config = join(work, 'kubeline.config.yaml');
    await writeFile(config, 'targets:\n  eks:\n    regions: [us-east-1]\n    maxAttempts: 1\n');
    // Act
    const { code, modules } = await kubelineLoads(
      ['scan', '--provider', 'eks', '--config', config, '--out', join(work, 'out')],
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1' },
    );
    // Assess: exit 2, the scope unread; the EKS client shows the recorder sees SDK loads.
    assert.deepEqual(
      { code, loaded: loadedOf(modules, { EKS, GOOGLE, AZURE, S3, MAIL }) },
      { code: 2, loaded: ['EKS'] },
    );
  });

  it('a Lambda shard of EKS scopes loads the EKS and S3 clients, but no Google, Azure or mail code', async () => {
    // Prepare: a closed loopback port stands for AWS, so the scope fails and the result cannot be stored.
    const item = {
      runId: '20270315T102030Z-lazy01',
      shard: 0,
      shards: 1,
      scopes: [{ provider: 'eks', account: '111111111111', region: 'us-east-1' }],
    };
    // Act
    const { code, modules } = await modulesLoadedBy(
      ['test/functions/invokeHandler.ts', 'scanShard', JSON.stringify(item)],
      {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_REGION: 'us-east-1',
        AWS_MAX_ATTEMPTS: '1',
        KUBELINE_CONFIG: 'targets:\n  eks:\n    maxAttempts: 1\n',
        KUBELINE_REPORT_URI: 's3://kubeline-reports/kubeline',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    );
    // Assess: the handler fails (nothing stored), having loaded only AWS code.
    assert.deepEqual(
      { code, loaded: loadedOf(modules, { EKS, S3, GOOGLE, AZURE, MAIL }) },
      { code: 1, loaded: ['EKS', 'S3'] },
    );
  });
});
