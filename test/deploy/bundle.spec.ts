import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { BundleError, functionEntries, validateDeployConfig } from '../../scripts/bundle.js';
import { type AwsPeer, startAwsPeer } from '../peers/aws/awsPeer.js';
import {
  READ_ROLE_NAME,
  readEksExports,
  seedEksAccountResources,
  seedEksExports,
} from '../peers/aws/seed.js';
import { type GkePeer, startGkePeer } from '../peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../peers/gcp/seed.js';
import { packagedTemplate, ROOT } from './artifacts.js';

const BUCKET = 'kubeline-reports';
const REGION = 'us-east-1';
const RUN_ID = '20270315T102030Z-b0b0b0';
const STARTED_AT = '2027-03-15T10:20:30.000Z';
const PROJECTS = ['acme-a', 'acme-b', 'acme-c'];
const RESULT_MARKER = 'KUBELINE_TEST_RESULT ';
const INVOKE_TIMEOUT_MS = 60_000;

/**
 * Imports a bundle's index.mjs in a fresh `node` (no tsx, no test hooks), from the bundle folder
 * as Lambda does (/var/task), and calls its handler with one event. Its stdout carries the
 * function's JSON logs, then the handler's result on a marked line.
 */
function invokeBundle(folder: string, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = [
    "const { handler } = await import('./index.mjs');",
    'const result = await handler(JSON.parse(process.env.KUBELINE_TEST_EVENT));',
    `process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify(result) + '\\n');`,
    // gRPC channels would keep the process alive; Lambda freezes it instead.
    'process.exit(0);',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', ...env, KUBELINE_TEST_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), INVOKE_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.split('\n').find((text) => text.startsWith(RESULT_MARKER));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line.slice(RESULT_MARKER.length)));
      else
        reject(
          new Error(`${path.basename(folder)} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`),
        );
    });
  });
}

describe('deploy: the bundle script', () => {
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'kubeline-bundle-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('refuses to bundle while any function entry is missing, naming each one', async () => {
    // Prepare
    const root = path.join(scratch, 'partial');
    await mkdir(path.join(root, 'functions'), { recursive: true });
    await writeFile(path.join(root, 'functions', 'http.ts'), 'export const handler = () => 1;\n');
    await writeFile(path.join(root, 'functions', 'plan.ts'), 'export const handler = () => 1;\n');

    // Act
    const attempt = functionEntries(root);

    // Assess
    await assert.rejects(attempt, {
      name: 'BundleError',
      message:
        'cannot bundle: missing function entry functions/nightly.ts, functions/scanShard.ts, functions/finalize.ts',
    });
  });

  it('refuses a deployment configuration folder without kubeline.config.yaml', async () => {
    // Prepare
    const folder = path.join(scratch, 'empty-config');
    await mkdir(folder, { recursive: true });

    // Act
    const attempt = validateDeployConfig(folder);

    // Assess
    await assert.rejects(attempt, {
      name: 'BundleError',
      message: `deployment configuration ${path.join(folder, 'kubeline.config.yaml')}: cannot read it (ENOENT); set KUBELINE_DEPLOY_CONFIG_DIR to a folder holding kubeline.config.yaml`,
    });
  });

  it('refuses an invalid deployment configuration with what is wrong in it', async () => {
    // Prepare
    const folder = path.join(scratch, 'bad-config');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'kubeline.config.yaml'), 'targets:\n  eks:\n    regions: 5\n');

    // Act
    const attempt = validateDeployConfig(folder);

    // Assess
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof BundleError);
      assert.match(
        error.message,
        new RegExp(
          `^invalid deployment configuration: ${path.join(folder, 'kubeline.config.yaml')}: targets\\.eks\\.regions: `,
        ),
      );
      return true;
    });
  });

  it('accepts the example deployment configuration', async () => {
    // Act
    const folder = await validateDeployConfig(path.join(ROOT, 'deploy', 'aws', 'config'));

    // Assess
    assert.equal(folder, path.join(ROOT, 'deploy', 'aws', 'config'));
  });
});

describe('deploy: the plan and scanShard bundles scan the local GKE peer in a plain node process', function () {
  // Bundling (shared with the template spec) and the peers start here.
  this.timeout(120_000);
  let aws: AwsPeer;
  let gke: GkePeer;
  let s3: S3Client;
  let outside: string;
  let env: Record<string, string>;

  /**
   * A bundle copied outside the repository, so that nothing resolves from the repository's
   * node_modules: what the zip holds is all it has, as on Lambda. The deployment configuration
   * in it is replaced by one scanning the peer.
   */
  async function lambdaCopy(
    name: string,
    config: unknown = { targets: { gke: { projects: PROJECTS, apiEndpoint: gke.endpoint, maxAttempts: 1 } } },
    cloud = 'gke',
  ): Promise<string> {
    const folder = path.join(outside, `${cloud}-${name}`);
    await cp(path.join(ROOT, '.build', 'functions', name), folder, { recursive: true });
    await writeFile(path.join(folder, 'config', 'kubeline.config.yaml'), stringify(config));
    return folder;
  }

  async function objectJson(key: string): Promise<unknown> {
    const response = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return JSON.parse((await response.Body?.transformToString('utf8')) ?? 'null');
  }

  before(async () => {
    await packagedTemplate();
    outside = await mkdtemp(path.join(tmpdir(), 'kubeline-lambda-'));
    [aws, gke] = await Promise.all([startAwsPeer(), startGkePeer()]);
    s3 = new S3Client({
      region: REGION,
      endpoint: aws.endpoint,
      credentials: aws.credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    env = {
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      AWS_REGION: REGION,
      KUBELINE_CONFIG: 'config/kubeline.config.yaml',
      KUBELINE_REPORT_URI: `s3://${BUCKET}/kubeline`,
      KUBELINE_SCOPES_PER_SHARD: '2',
    };
  });

  after(async () => {
    s3?.destroy();
    await Promise.all([aws?.close(), gke?.close()]);
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  it('gives every chunk a function loads on first use its names: none is a CommonJS package with only a default', async () => {
    // Prepare: the chunks each function's code imports with import(), from every file of the function
    const offenders: string[] = [];
    let targets = 0;
    for (const name of await readdir(path.join(ROOT, '.build', 'functions'))) {
      const chunks = path.join(ROOT, '.build', 'functions', name, 'chunks');
      const files = (await readdir(chunks)).filter((file) => file.endsWith('.mjs'));
      const imported = new Set<string>();
      for (const file of files) {
        const code = await readFile(path.join(chunks, file), 'utf8');
        for (const match of code.matchAll(/import\("\.\/([^"]+\.mjs)"\)/g)) imported.add(match[1] ?? '');
      }
      // Act: a chunk that exports only `default` is a CommonJS package imported by import() at a call
      // site, whose names esbuild cannot see: "const { Client } = await import(...)" gets undefined.
      for (const file of imported) {
        targets += 1;
        const code = await readFile(path.join(chunks, file), 'utf8');
        if (!/export\s*\{/.test(code)) offenders.push(`${name}/chunks/${file}`);
      }
    }
    // Assess
    assert.ok(targets > 10, `only ${targets} chunks loaded with import()`);
    assert.deepEqual(offenders, []);
  });

  it('plans the projects into shards, then each shard reads its clusters, a denied project unread', async () => {
    // Prepare
    const seeded = seedGkeFleet(gke, { count: 6, projects: PROJECTS });
    gke.addFault({ kind: 'permission-denied', method: 'ListClusters', project: 'acme-c' });
    const [planFolder, shardFolder] = await Promise.all([lambdaCopy('plan'), lambdaCopy('scanShard')]);

    // Act
    const plan = await invokeBundle(
      planFolder,
      { execution: { runId: RUN_ID, trigger: 'schedule' }, startedAt: STARTED_AT },
      env,
    );
    const items = (await objectJson(`kubeline/work/${RUN_ID}/shards.json`)) as unknown[];
    const shards = [];
    for (const item of items) shards.push(await invokeBundle(shardFolder, item, env));
    const stored = (await objectJson(`kubeline/work/${RUN_ID}/shards/0000.json`)) as {
      result: { postures: { scope: string; name: string }[] };
    };

    // Assess
    assert.deepEqual(plan, {
      runId: RUN_ID,
      bucket: BUCKET,
      planKey: `kubeline/work/${RUN_ID}/plan.json`,
      shardsKey: `kubeline/work/${RUN_ID}/shards.json`,
      resultsPrefix: `kubeline/work/${RUN_ID}/map`,
      shards: 2,
      scopes: 3,
    });
    assert.deepEqual(shards, [
      { runId: RUN_ID, shard: 0, clusters: 4, failedScopes: 0 },
      { runId: RUN_ID, shard: 1, clusters: 0, failedScopes: 1 },
    ]);
    assert.deepEqual(
      stored.result.postures.map((posture) => `${posture.scope}/${posture.name}`).sort(),
      seeded
        .filter((cluster) => cluster.project !== 'acme-c')
        .map((cluster) => `${cluster.project}/${cluster.name}`)
        .sort(),
    );
  });

  it('plans EKS accounts and regions, then each shard reads their clusters through the AWS SDKs it loads on first use', async () => {
    // Prepare: the example fleet's EKS clusters in the AWS peer, each account with its read role
    const runId = '20270315T102030Z-e0e0e0';
    const seeded = await seedEksExports(aws, (await readEksExports('examples/fleet/eks')).clusters);
    await seedEksAccountResources(aws, seeded);
    const accounts = [...new Set(seeded.map((cluster) => cluster.account))].sort();
    const config = {
      targets: {
        eks: {
          regions: [...new Set(seeded.map((cluster) => cluster.region))].sort(),
          accounts: accounts.map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/${READ_ROLE_NAME}` })),
          maxAttempts: 1,
        },
      },
    };
    const [planFolder, shardFolder] = await Promise.all([
      lambdaCopy('plan', config, 'eks'),
      lambdaCopy('scanShard', config, 'eks'),
    ]);

    // Act
    await invokeBundle(planFolder, { execution: { runId, trigger: 'schedule' }, startedAt: STARTED_AT }, env);
    const items = (await objectJson(`kubeline/work/${runId}/shards.json`)) as unknown[];
    const shards = [];
    for (const item of items)
      shards.push((await invokeBundle(shardFolder, item, env)) as { clusters: number; failedScopes: number });

    // Assess: every cluster read, no scope lost (the EKS, EC2, Logs, GuardDuty and IAM clients
    // are chunks the shard imports by name once a scope is reached)
    assert.deepEqual(
      {
        clusters: shards.reduce((sum, shard) => sum + shard.clusters, 0),
        failedScopes: shards.reduce((sum, shard) => sum + shard.failedScopes, 0),
      },
      { clusters: seeded.length, failedScopes: 0 },
    );
  });
});
