import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Packages of the clouds and transports a run loads only when it uses them. */
const GOOGLE = /\/node_modules\/@google-cloud\//;
const AZURE = /\/node_modules\/@azure\//;
const ANY_AWS = /\/node_modules\/@aws-sdk\//;
const S3 = /\/node_modules\/@aws-sdk\/client-s3\//;
const MAIL = /\/node_modules\/nodemailer\//;
const EKS = /\/node_modules\/@aws-sdk\/client-eks\//;
const STS = /\/node_modules\/@aws-sdk\/client-sts\//;
const EC2 = /\/node_modules\/@aws-sdk\/client-ec2\//;
const IAM = /\/node_modules\/@aws-sdk\/client-iam\//;
const CLOUDWATCH = /\/node_modules\/@aws-sdk\/client-cloudwatch\//;
const LOGS = /\/node_modules\/@aws-sdk\/client-cloudwatch-logs\//;
const GUARDDUTY = /\/node_modules\/@aws-sdk\/client-guardduty\//;
const ORGANIZATIONS = /\/node_modules\/@aws-sdk\/client-organizations\//;
const GKE = /\/node_modules\/@google-cloud\/container\//;
const LOGGING = /\/node_modules\/@google-cloud\/logging-api\//;
const MONITORING = /\/node_modules\/@google-cloud\/monitoring\//;
const RESOURCE_MANAGER = /\/node_modules\/@google-cloud\/resource-manager\//;
const AKS = /\/node_modules\/@azure\/arm-containerservice\//;
const MONITOR = /\/node_modules\/@azure\/arm-monitor\//;
const LOG_ANALYTICS = /\/node_modules\/@azure\/arm-operationalinsights\//;
const DEFENDER = /\/node_modules\/@azure\/arm-security\//;
const SUBSCRIPTIONS = /\/node_modules\/@azure\/arm-resources-subscriptions\//;
/** What a scan needs and the catalogue does not: the configuration's validator and parser, the engine, the renderer. */
const ZOD = /\/node_modules\/zod\//;
const YAML = /\/node_modules\/yaml\//;
const HANDLEBARS = /\/node_modules\/handlebars\//;
const ENGINE = /\/engine\/[^/]+\.ts$/;
const REPORT = /\/report\/[^/]+\.ts$/;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Written into the load log by the test when the first request reaches its server. */
const FIRST_REQUEST = '--- first request ---';

/** A child process that has not finished by then has hung: fail instead of waiting for mocha. */
const CHILD_TIMEOUT_MS = 30_000;

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

/**
 * Runs a script from source in a fresh process with the load recorder, which writes to `log` (a
 * new file by default); see kubelineLoads.
 */
async function modulesLoadedBy(
  script: readonly string[],
  env: Record<string, string>,
  log?: string,
): Promise<Loaded> {
  const work = await mkdtemp(join(tmpdir(), 'kubeline-lazy-'));
  const logFile = log ?? join(work, 'modules.log');
  await writeFile(logFile, '');
  const args = ['--import', 'tsx', '--import', './test/cli/loadRecorder.ts', ...script];
  const code = await run(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: work, KUBELINE_LOAD_LOG: logFile, ...env },
    timeout: CHILD_TIMEOUT_MS,
  }).then(
    () => 0,
    (error: { code?: unknown }) => {
      if (typeof error.code !== 'number') throw error;
      return error.code;
    },
  );
  const modules = (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.length > 0);
  return { code, modules };
}

/** kubeline's own modules in a load log, as paths from the repository root, each once. */
function ownModules(modules: readonly string[]): string[] {
  const own = modules
    .filter((module) => module.startsWith('file://') && !module.includes('/node_modules/'))
    .map((module) => relative(ROOT, fileURLToPath(module)));
  return [...new Set(own)].sort();
}

/**
 * A loopback TCP server standing for a cloud endpoint: when the first bytes of a request arrive,
 * it writes FIRST_REQUEST into the load log, then drops the connection, so the call fails at once.
 */
async function firstRequestMarker(log: string): Promise<{ port: number; close: () => void }> {
  let marked = false;
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      if (!marked) appendFileSync(log, `${FIRST_REQUEST}\n`);
      marked = true;
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the marker server has no port');
  return { port: address.port, close: () => server.close() };
}

/**
 * Which of the patterns match a module resolved before, and after, FIRST_REQUEST. Only the lines
 * of the resolve hook (file: URLs) count: the CommonJS modules the recorder lists from the require
 * cache come at exit, whenever they were loaded.
 */
function loadedAround(
  modules: readonly string[],
  patterns: Readonly<Record<string, RegExp>>,
): { before: string[]; after: string[]; marked: boolean } {
  const index = modules.indexOf(FIRST_REQUEST);
  const resolved = (lines: readonly string[]) => lines.filter((line) => line.startsWith('file://'));
  return {
    before: loadedOf(resolved(index < 0 ? modules : modules.slice(0, index)), patterns),
    after: loadedOf(resolved(index < 0 ? [] : modules.slice(index + 1)), patterns),
    marked: index >= 0,
  };
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

  it('kubeline --help loads the dispatcher and nothing else of kubeline, and no package', async () => {
    // Act
    const { code, modules } = await kubelineLoads(['--help']);
    // Assess
    assert.deepEqual(
      {
        code,
        own: ownModules(modules),
        packages: modules.filter(
          (module) => module.startsWith('file://') && module.includes('/node_modules/'),
        ),
      },
      { code: 0, own: ['cli/errors.ts', 'cli/io.ts', 'cli/main.ts', 'cli/run.ts'], packages: [] },
    );
  });

  for (const argv of [['checks'], ['checks', '--json'], ['explain', 'EP-01']]) {
    it(`kubeline ${argv.join(' ')} loads the catalogue, but no configuration validator, engine, renderer, cloud SDK or mail library`, async () => {
      // Act
      const { code, modules } = await kubelineLoads(argv);
      // Assess
      assert.deepEqual(
        {
          code,
          recorded: loadedOf(modules, { catalogue: /\/checks\/registry\.ts$/ }),
          loaded: loadedOf(modules, { ZOD, YAML, ENGINE, REPORT, HANDLEBARS, GOOGLE, AZURE, ANY_AWS, MAIL }),
        },
        { code: 0, recorded: ['catalogue'], loaded: [] },
      );
    });
  }

  it('kubeline checks prints its table from the checks alone: no CIS benchmark data, no API-call table', async () => {
    // Act
    const { code, modules } = await kubelineLoads(['checks']);
    // Assess
    assert.deepEqual(
      {
        code,
        loaded: loadedOf(modules, {
          benchmarks: /\/checks\/frameworks\//,
          apiCalls: /\/providers\/fieldApis\.ts$/,
          catalogueDoc: /\/checks\/catalogueDoc\.ts$/,
        }),
      },
      { code: 0, loaded: [] },
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

  it('an EKS scan sends its first request (STS) before it loads the SDKs of EKS, EC2, IAM, CloudWatch and GuardDuty', async () => {
    // Prepare: the marker server stands for AWS; the run's STS call reaches it and fails.
    const work = await mkdtemp(join(tmpdir(), 'kubeline-lazy-first-'));
    const log = join(work, 'modules.log');
    const marker = await firstRequestMarker(log);
    const config = join(work, 'kubeline.config.yaml');
    await writeFile(config, 'targets:\n  eks:\n    regions: [us-east-1]\n    maxAttempts: 1\n');
    try {
      // Act
      const { code, modules } = await modulesLoadedBy(
        ['cli/main.ts', 'scan', '--provider', 'eks', '--config', config, '--out', join(work, 'out')],
        { AWS_ENDPOINT_URL: `http://127.0.0.1:${marker.port}`, AWS_REGION: 'us-east-1' },
        log,
      );
      // Assess: exit 2, the account unread; only STS came before the request, the collector's SDKs after it.
      const sdks = { STS, EKS, EC2, IAM, CLOUDWATCH, LOGS, GUARDDUTY, ORGANIZATIONS };
      assert.deepEqual(
        { code, ...loadedAround(modules, sdks) },
        {
          code: 2,
          before: ['STS'],
          after: ['EKS', 'EC2', 'IAM', 'CLOUDWATCH', 'LOGS', 'GUARDDUTY'],
          marked: true,
        },
      );
    } finally {
      marker.close();
    }
  });

  /**
   * A live scan of one cloud against the marker server, which fails its first call: the modules
   * loaded before and after that request.
   */
  async function firstRequestOf(
    provider: 'gke' | 'aks',
    target: (port: number) => string,
    sdks: Readonly<Record<string, RegExp>>,
  ) {
    const work = await mkdtemp(join(tmpdir(), `kubeline-lazy-${provider}-`));
    const log = join(work, 'modules.log');
    const marker = await firstRequestMarker(log);
    const config = join(work, 'kubeline.config.yaml');
    await writeFile(config, `targets:\n  ${provider}:\n${target(marker.port)}    maxAttempts: 1\n`);
    try {
      const { code, modules } = await modulesLoadedBy(
        ['cli/main.ts', 'scan', '--provider', provider, '--config', config, '--out', join(work, 'out')],
        {},
        log,
      );
      return { code, ...loadedAround(modules, sdks) };
    } finally {
      marker.close();
    }
  }

  it('a GKE scan of named projects sends its first request (ListClusters) having loaded no Logging, Monitoring or Resource Manager SDK', async () => {
    // Act: the marker server stands for the Kubernetes Engine API; the project's listing fails.
    const loaded = await firstRequestOf(
      'gke',
      (port) => `    projects: [kubeline-lazy]\n    apiEndpoint: 127.0.0.1:${port}\n`,
      { GKE, LOGGING, MONITORING, RESOURCE_MANAGER },
    );
    // Assess: exit 2, the project unread. Logging and Monitoring load once a project has listed
    // its clusters (none here), Resource Manager only to discover projects.
    assert.deepEqual(loaded, { code: 2, before: ['GKE'], after: [], marked: true });
  });

  it('an AKS scan of named subscriptions sends its first request (managedClusters list) having loaded no Monitor, Log Analytics, Defender or subscriptions SDK', async () => {
    // Act: the marker server stands for Resource Manager (its TLS handshake is the first bytes).
    const loaded = await firstRequestOf(
      'aks',
      (port) =>
        `    subscriptions: ["00000000-0000-0000-0000-000000000001"]\n    endpoint: https://127.0.0.1:${port}\n`,
      { AKS, MONITOR, LOG_ANALYTICS, DEFENDER, SUBSCRIPTIONS },
    );
    // Assess: exit 2, the subscription unread; the other SDKs load for its clusters (none here).
    assert.deepEqual(loaded, { code: 2, before: ['AKS'], after: [], marked: true });
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
