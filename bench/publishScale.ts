import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { composeScan } from '../cli/compose.js';
import { packageInfo } from '../cli/packageInfo.js';
import { runScan } from '../engine/pipeline.js';
import type { ReportSink } from '../engine/ports.js';
import { bodyByteLength } from '../model/fileBody.js';
import type { FileBody, ReportFormat } from '../model/reportFormats.js';
import { writeGeneratedFleet } from '../test/fixtures/generatedFleet.js';
import { startAwsPeer } from '../test/peers/aws/awsPeer.js';
import { startAzurite, startBlobProxy } from '../test/peers/azure/azurite.js';
import { startGcsPeer } from '../test/peers/gcp/gcsPeer.js';

/**
 * Publishing at scale: a generated fleet of N exported clusters scanned by the real pipeline
 * (`--from`, the five default formats, no notifiers) into each sink twice, a first night and a
 * second one that reads the first through `latest.json` for the diff and `history.json`. The
 * sinks: a local folder, S3 on moto, GCS on the in-repo peer and Azure Blob on Azurite, each peer
 * started and stopped here. Every night runs in a child process of its own, so its peak RSS is
 * kubeline's alone: the peers, which hold every object in memory, stay in this process or their own.
 * Requests are counted from each peer's call log; bytes are the object bodies the sink stored.
 *   npm run bench:publish -- --clusters 1000
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    // One night, run by this script in a child process: the day, the fleet and the sink URI.
    night: { type: 'string' },
    from: { type: 'string' },
    out: { type: 'string' },
  },
});

const FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv', 'junit'];
const NIGHTS = ['2026-12-05', '2026-12-06'] as const;
const REGION = 'us-east-1';
const BUCKET = 'kubeline-reports';

/** What one night reports to the parent, as one JSON document on stdout. */
interface NightResult {
  readonly clusters: number;
  readonly complete: boolean;
  readonly publishFailures: number;
  readonly historyFailures: number;
  readonly latest: string;
  /** The previous run the diff compared with, or why there was none. */
  readonly diff: string;
  readonly publishSeconds: number;
  readonly wallSeconds: number;
  readonly objectsWritten: number;
  readonly bytesWritten: number;
  readonly peakRssMiB: number;
}

/** A store a sink URI points at, with the environment that reaches its peer and its call log. */
interface Store {
  readonly name: string;
  readonly out: string;
  readonly env: Readonly<Record<string, string>>;
  /** Requests the peer received since the last call, per operation; undefined for a local folder. */
  takeRequests(): Record<string, number> | undefined;
  stop(): Promise<void>;
}

function seconds(milliseconds: number): number {
  return Number((milliseconds / 1000).toFixed(2));
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

/** The sink with a tally of the objects it stored and their bytes: writes that did not land are not counted. */
function countingSink(sink: ReportSink) {
  const written = { objects: 0, bytes: 0 };
  const tally = (body: FileBody) => {
    written.objects += 1;
    written.bytes += bodyByteLength(body);
  };
  const counted: ReportSink = {
    location: sink.location,
    get: (key) => sink.get(key),
    getVersioned: (key) => sink.getVersioned(key),
    locate: (key) => sink.locate(key),
    async put(key, body, contentType) {
      await sink.put(key, body, contentType);
      tally(body);
    },
    async putIfMatch(key, body, contentType, expected) {
      const stored = await sink.putIfMatch(key, body, contentType, expected);
      if (stored) tally(body);
      return stored;
    },
  };
  return { sink: counted, written };
}

/**
 * One nightly `kubeline scan --from FLEET --out URI` as the CLI composes it, at 02:00 UTC on `day`
 * by a clock that then runs in real time, so the stage timings are real.
 */
async function publishNight(day: string, fleet: string, out: string): Promise<NightResult> {
  const started = performance.now();
  const composed = await composeScan(
    {},
    { from: [fleet], providers: [], out, tool: packageInfo(), env: process.env },
  );
  const counted = countingSink(composed.sinks[0]);
  const clockOffset = Date.parse(`${day}T02:00:00Z`) - started;
  const outcome = await runScan(
    { ...composed, sinks: [counted.sink], clock: () => new Date(clockOffset + performance.now()) },
    { trigger: 'cli', asOf: day, formats: FORMATS },
  );
  const wallMs = performance.now() - started;
  return {
    clusters: outcome.clusters.length,
    complete: outcome.complete,
    publishFailures: outcome.publishFailures.length,
    historyFailures: outcome.historyFailures.length,
    latest: outcome.latest.map((pointer) => pointer.state).join(', '),
    diff:
      outcome.diff.previousRun === null
        ? `none: ${outcome.diff.unavailable}`
        : `against ${outcome.diff.previousRun.id}`,
    publishSeconds: seconds(outcome.timings.publish),
    wallSeconds: seconds(wallMs),
    objectsWritten: counted.written.objects,
    bytesWritten: counted.written.bytes,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** Runs one night in a child process (this script with `--night`) against the store. */
async function nightInChild(day: string, fleet: string, store: Store): Promise<NightResult> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--night',
      day,
      '--from',
      fleet,
      '--out',
      store.out,
    ],
    { env: { ...process.env, ...store.env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`the ${store.name} night of ${day} exited with ${code}`);
  return JSON.parse(stdout) as NightResult;
}

function folderStore(root: string): Store {
  return {
    name: 'folder',
    out: root,
    env: {},
    takeRequests: () => undefined,
    stop: async () => {},
  };
}

/** moto behind the front proxy, as test/sinks/s3.spec.ts runs it, with one bucket. */
async function s3Store(): Promise<Store> {
  const peer = await startAwsPeer();
  const admin = new S3Client({
    region: REGION,
    endpoint: peer.endpoint,
    credentials: peer.credentials,
    forcePathStyle: true,
  });
  try {
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (error) {
    await peer.close();
    throw error;
  } finally {
    admin.destroy();
  }
  peer.clearCalls();
  return {
    name: 's3',
    out: `s3://${BUCKET}/reports`,
    env: { AWS_ENDPOINT_URL_S3: peer.endpoint, AWS_REGION: REGION },
    takeRequests() {
      const calls = peer.calls().filter((call) => call.service === 's3');
      peer.clearCalls();
      return countBy(calls, (call) => call.operation);
    },
    stop: () => peer.close(),
  };
}

/** The in-repo JSON API peer, reached as the CLI reaches an emulator: `STORAGE_EMULATOR_HOST`. */
async function gcsStore(): Promise<Store> {
  const peer = await startGcsPeer();
  peer.createBucket(BUCKET);
  return {
    name: 'gcs',
    out: `gs://${BUCKET}/reports`,
    env: { STORAGE_EMULATOR_HOST: peer.endpoint },
    takeRequests() {
      const calls = peer.calls();
      peer.clearCalls();
      return countBy(calls, (call) => `${call.method} ${call.operation}`);
    },
    stop: () => peer.close(),
  };
}

/** Azurite behind its recording proxy, with one container; requests named by method and `comp`. */
async function azureBlobStore(): Promise<Store> {
  const azurite = await startAzurite();
  try {
    const proxy = await startBlobProxy(azurite);
    const container = await azurite.createContainer();
    let seen = 0;
    return {
      name: 'azureBlob',
      out: `${proxy.blobEndpoint}/${container.containerName}/reports`,
      env: {},
      takeRequests() {
        const requests = proxy.requests.slice(seen);
        seen = proxy.requests.length;
        return countBy(requests, (request) => {
          const comp = new URL(request.url, 'http://proxy.invalid').searchParams.get('comp');
          return comp === null ? request.method : `${request.method} comp=${comp}`;
        });
      },
      async stop() {
        await proxy.close();
        await azurite.stop();
      },
    };
  } catch (error) {
    await azurite.stop();
    throw error;
  }
}

/** Both nights into one store; the store is stopped whatever happens. */
async function benchStore(start: () => Promise<Store>, fleet: string) {
  const store = await start();
  try {
    const nights = [];
    for (const [index, day] of NIGHTS.entries()) {
      process.stderr.write(`${store.name}: night ${index + 1} (${day})…\n`);
      const result = await nightInChild(day, fleet, store);
      const byOperation = store.takeRequests();
      const requests =
        byOperation === undefined
          ? { requests: result.objectsWritten, requestsCounted: 'files written' }
          : {
              requests: Object.values(byOperation).reduce((sum, calls) => sum + calls, 0),
              requestsCounted: "the peer's call log",
              byOperation,
            };
      nights.push({ sink: store.name, location: store.out, night: index + 1, day, ...requests, ...result });
    }
    return nights;
  } finally {
    await store.stop();
  }
}

async function main(): Promise<void> {
  const count = Number(values.clusters);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error('--clusters takes a positive whole number');
  const work = await mkdtemp(join(tmpdir(), 'kubeline-bench-publish-'));
  try {
    const fleet = await writeGeneratedFleet(join(work, 'fleet'), count);
    const stores: (() => Promise<Store>)[] = [
      async () => folderStore(join(work, 'reports')),
      s3Store,
      gcsStore,
      azureBlobStore,
    ];
    const nights = [];
    for (const start of stores) nights.push(...(await benchStore(start, fleet)));
    const report = {
      clusters: count,
      formats: FORMATS,
      stores: 'local peers on 127.0.0.1 (moto, the GCS peer, Azurite), not the clouds',
      nights,
      cores: availableParallelism(),
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const whole = (night: NightResult) =>
      night.complete &&
      night.clusters === count &&
      night.publishFailures === 0 &&
      night.historyFailures === 0;
    const compared = nights.every((night) => night.night === 1 || night.diff.startsWith('against '));
    if (!nights.every(whole) || !compared) process.exitCode = 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (values.night !== undefined) {
  if (values.from === undefined || values.out === undefined)
    throw new Error('--night needs --from and --out');
  process.stdout.write(JSON.stringify(await publishNight(values.night, values.from, values.out)));
} else {
  await main();
}
