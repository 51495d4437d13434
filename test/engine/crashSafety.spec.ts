import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { composeScan } from '../../cli/compose.js';
import { parseHistory, readPreviousRun } from '../../engine/history.js';
import { runScan } from '../../engine/pipeline.js';
import type { ReportSink } from '../../engine/ports.js';
import type { ReportFormat } from '../../model/reportFormats.js';
import { FileSink } from '../../sinks/file.js';
import { createS3Sink } from '../../sinks/s3.js';
import { writeGeneratedFleet } from '../fixtures/generatedFleet.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { type AwsPeer, startAwsPeer } from '../peers/aws/awsPeer.js';

/**
 * Issue 14: a run killed mid-publish leaves the previous latest.json and no half-written run
 * visible to readers; two runs publishing to one sink at once both land and neither overwrites the
 * other. The killed runs are real `kubeline scan` processes, SIGKILLed at a point the test watches
 * for in the store itself: nothing in kubeline waits for the test.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'cli/main.ts');
const EXAMPLE_FLEET = join(ROOT, 'examples/fleet');
/**
 * Clusters in the fleet of the run that is killed: its report.json (about 9.4 MB) passes S3's 8 MiB
 * multipart threshold, and its findings.csv takes the best part of a second to render and write,
 * which is the window the folder test kills in.
 */
const LARGE_FLEET_CLUSTERS = 300;
/** JSON first, then CSV: the formats written in pieces, and the only ones the tests read. */
const FORMATS: readonly ReportFormat[] = ['json', 'csv'];
const REGION = 'us-east-1';
/** How long a watched-for moment may take to come: a child starts in about 2 s. */
const WAIT_MS = 30_000;
const TOOL = { name: 'kubeline', version: '0.0.0-test' };
/** Concurrent publishes per sink: each pair interleaves differently. */
const CONCURRENT_ROUNDS = 4;
/** The nights around the killed one, published in this process at fixed, past instants. */
const FIRST_NIGHT = '2001-01-01T02:00:00.000Z';
const THIRD_NIGHT = '2001-01-03T02:00:00.000Z';

interface ScanExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** A `kubeline scan` in a process of its own. */
interface ScanProcess {
  readonly child: ChildProcess;
  readonly exit: Promise<ScanExit>;
}

const running = new Set<ChildProcess>();

function startScan(from: string, out: string, env: Readonly<Record<string, string>> = {}): ScanProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'scan',
      '--from',
      from,
      '--out',
      out,
      '--format',
      FORMATS.join(','),
      '--fail-on',
      'none',
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exit = new Promise<ScanExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stderr });
    });
  });
  return { child, exit };
}

/** Runs a scan to its end; it must succeed. */
async function completeScan(from: string, out: string, env: Readonly<Record<string, string>> = {}) {
  const { code, stderr } = await startScan(from, out, env).exit;
  assert.equal(code, 0, `kubeline scan exited ${code}: ${stderr}`);
}

/**
 * Polls until `probe` finds what it looks for, while the scan still runs. A scan that ends first
 * got past the moment the test meant to kill it at: the test fails and says so.
 */
async function whileRunning<T>(
  scan: ScanProcess,
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + WAIT_MS;
  let ended: ScanExit | undefined;
  void scan.exit.then((exit) => {
    ended = exit;
  });
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (ended) assert.fail(`the scan ended (${ended.code ?? ended.signal}) before ${what}: ${ended.stderr}`);
    if (performance.now() > deadline) assert.fail(`no ${what} within ${WAIT_MS / 1000} s`);
    await delay(5);
  }
}

async function kill(scan: ScanProcess): Promise<void> {
  scan.child.kill('SIGKILL');
  const { signal } = await scan.exit;
  assert.equal(signal, 'SIGKILL');
}

/** The run ids the index lists, in its order; its "latest complete run" line apart. */
function indexView(html: string | undefined): {
  readonly latest: string | undefined;
  readonly runs: string[];
} {
  const text = html ?? '';
  const latest = /Latest complete run: <a [^>]*>([^<]+)<\/a>/.exec(text)?.[1];
  const runs = [...text.matchAll(/<tr[^>]*><th scope="row">(?:<a [^>]*>)?([^<]+)</g)].map(
    (match) => match[1] ?? '',
  );
  return { latest, runs };
}

function historyRunIds(text: string | undefined): string[] {
  return text === undefined ? [] : parseHistory(text).entries.map((entry) => entry.runId);
}

function latestRunId(text: string | undefined): string | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as { runId: string }).runId;
}

/** What readers of a sink see: the pointer, the history, the index, and where the previous run is found. */
async function readersView(sink: ReportSink) {
  const previous = await readPreviousRun(sink);
  return {
    latest: latestRunId(await sink.get('latest.json')),
    history: historyRunIds(await sink.get('history.json')),
    index: indexView(await sink.get('index.html')),
    previousRun: 'previous' in previous ? previous.previous.run.id : previous.unavailable,
  };
}

/** Every file under a folder, as paths relative to it; none when it does not exist. */
async function filesUnder(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Dependencies of a `--from examples/fleet` run publishing to one sink, started at `startedAt`. */
async function fleetDeps(sink: ReportSink, startedAt: string, runId: string) {
  let tick = Date.parse(startedAt);
  return {
    ...(await composeScan({}, { from: [EXAMPLE_FLEET], providers: [], out: undefined, tool: TOOL })),
    sinks: [sink] as [ReportSink],
    fallback: new MemorySink(),
    // Each reading of the clock a millisecond on: the run's start is the first.
    clock: () => new Date(tick++),
    newRunId: () => runId,
  };
}

/**
 * A night published in this process, complete: the nights before and after the killed one. Their
 * clocks are fixed far in the past, so the killed run, on the real clock, is never older.
 */
async function publishNight(sink: ReportSink, startedAt: string, runId: string): Promise<void> {
  const outcome = await runScan(await fleetDeps(sink, startedAt, runId), {
    trigger: 'cli',
    formats: [...FORMATS],
  });
  assert.deepEqual(outcome.publishFailures, []);
}

/**
 * Two runs of the example fleet publishing to the same store at once, each through a sink of its
 * own; the later one's clock starts a second after the earlier one's. The earlier one waits a few
 * milliseconds before it begins, a different number each round, so that each round interleaves
 * their reads and conditional writes differently.
 */
async function concurrentRuns(open: () => ReportSink, round: number) {
  const earlier = { runId: `round${round}-earlier`, startedAt: `2026-12-0${1 + round}T02:00:00.000Z` };
  const later = { runId: `round${round}-later`, startedAt: `2026-12-0${1 + round}T02:00:01.000Z` };
  const headStartMs = [0, 3, 11, 29][round % 4] ?? 0;
  const [first, second] = await Promise.all([
    delay(headStartMs).then(async () =>
      runScan(await fleetDeps(open(), earlier.startedAt, earlier.runId), {
        trigger: 'cli',
        formats: [...FORMATS],
      }),
    ),
    fleetDeps(open(), later.startedAt, later.runId).then((deps) =>
      runScan(deps, { trigger: 'cli', formats: [...FORMATS] }),
    ),
  ]);
  return { earlier, later, outcomes: [first, second] };
}

describe('crash safety of publishing (issue 14)', function () {
  this.timeout(60_000);
  let work: string;
  let largeFleet: string;
  let aws: AwsPeer;
  let s3: S3Client;
  let buckets = 0;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kubeline-crash-'));
    largeFleet = await writeGeneratedFleet(join(work, 'fleet'), LARGE_FLEET_CLUSTERS);
    aws = await startAwsPeer();
    s3 = new S3Client({
      region: REGION,
      endpoint: aws.endpoint,
      credentials: aws.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    for (const child of running) child.kill('SIGKILL');
    aws.clearFaults();
  });

  after(async () => {
    s3?.destroy();
    await aws?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function freshBucket(): Promise<string> {
    buckets += 1;
    const bucket = `kubeline-crash-${buckets}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  /** The object's text, read past the sink; undefined when there is none. */
  async function rawObject(bucket: string, key: string): Promise<string | undefined> {
    try {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await response.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async function rawKeys(bucket: string, prefix: string): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
  }

  const s3Env = () => ({ AWS_ENDPOINT_URL_S3: aws.endpoint, AWS_REGION: REGION });

  describe('a run killed mid-publish', () => {
    it('to a folder: the previous run stays latest, the killed run is listed nowhere, and the next run lands', async () => {
      // Prepare: a first night, complete
      const out = join(work, 'killed-folder');
      const sink = new FileSink(out);
      await publishNight(sink, FIRST_NIGHT, 'night-1');
      const published = {
        latest: await sink.get('latest.json'),
        history: await sink.get('history.json'),
        index: await sink.get('index.html'),
      };
      // Act: a second night, killed while findings.csv is written (report.json is already in)
      const killed = startScan(largeFleet, out);
      const partial = await whileRunning(killed, 'a findings.csv being written', async () => {
        const files = await filesUnder(join(out, 'runs'));
        return files.find((file) => /\/findings\.csv\.[0-9a-f]+\.tmp$/.test(file));
      });
      await kill(killed);
      // Assess: the killed run's folder holds whole files under final names, the cut one only
      // under a temporary name, and no manifest: nothing names it, so no reader goes there
      const [killedDay, killedRunId] = partial.split('/');
      const killedFolder = `runs/${killedDay}/${killedRunId}`;
      const left = await filesUnder(join(out, killedFolder));
      const reportJson = JSON.parse(await readFile(join(out, killedFolder, 'report.json'), 'utf8'));
      assert.deepEqual(
        {
          left: left.map((file) => file.replace(/\.[0-9a-f]+\.tmp$/, '.<random>.tmp')),
          // A file under its final name is whole: it parses, and it is the killed run's.
          wholeReportOf: reportJson.run.id,
          published: {
            latest: await sink.get('latest.json'),
            history: await sink.get('history.json'),
            index: await sink.get('index.html'),
          },
          readers: await readersView(sink),
        },
        {
          left: ['findings.csv.<random>.tmp', 'report.json'],
          wholeReportOf: killedRunId,
          published,
          readers: {
            latest: 'night-1',
            history: ['night-1'],
            index: { latest: 'night-1', runs: ['night-1'] },
            previousRun: 'night-1',
          },
        },
      );
      // Act: the next night
      await publishNight(sink, THIRD_NIGHT, 'night-3');
      // Assess: it moved latest.json, and the killed run stays unlisted
      assert.deepEqual(await readersView(sink), {
        latest: 'night-3',
        history: ['night-1', 'night-3'],
        index: { latest: 'night-3', runs: ['night-3', 'night-1'] },
        previousRun: 'night-3',
      });
    });

    it('to S3: the previous run stays latest, the cut multipart upload is no object, and the next run lands', async () => {
      // Prepare: a first night, complete
      const bucket = await freshBucket();
      const uri = `s3://${bucket}/reports`;
      const sink = createS3Sink(uri, { env: s3Env() });
      await publishNight(sink, FIRST_NIGHT, 'night-1');
      const published = {
        latest: await rawObject(bucket, 'reports/latest.json'),
        history: await rawObject(bucket, 'reports/history.json'),
        index: await rawObject(bucket, 'reports/index.html'),
      };
      // Act: a second night whose report.json (a multipart upload) has a part held unanswered,
      // killed once another part of it is in
      aws.clearCalls();
      aws.addFault({ service: 's3', operation: 'UploadPart', kind: 'timeout', times: 1 });
      const killed = startScan(largeFleet, uri, s3Env());
      await whileRunning(killed, 'one part held and another stored', async () => {
        const parts = aws.calls().filter((call) => call.operation === 'UploadPart');
        const held = parts.some((call) => call.status === 0);
        const stored = parts.some((call) => call.status === 200);
        return held && stored ? true : undefined;
      });
      await kill(killed);
      // Assess: the upload is left unfinished (a lifecycle rule aborts it; serverless.yml has one),
      // nothing of the run is an object, and every reader still sees the first night only
      const uploads = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
      const [upload] = uploads;
      const cutKey = upload?.Key ?? '';
      const parts = await s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: cutKey, UploadId: upload?.UploadId ?? '' }),
      );
      const killedFolder = cutKey.replace(/^reports\//, '').replace(/\/report\.json$/, '');
      assert.deepEqual(
        {
          uploads: uploads.length,
          cutKey: /^reports\/runs\/\d{4}-\d{2}-\d{2}\/[^/]+\/report\.json$/.test(cutKey),
          partsStored: parts.Parts?.length,
          objects: await rawKeys(bucket, `reports/${killedFolder}/`),
          published: {
            latest: await rawObject(bucket, 'reports/latest.json'),
            history: await rawObject(bucket, 'reports/history.json'),
            index: await rawObject(bucket, 'reports/index.html'),
          },
          readers: await readersView(sink),
        },
        {
          uploads: 1,
          cutKey: true,
          partsStored: 1,
          objects: [],
          published,
          readers: {
            latest: 'night-1',
            history: ['night-1'],
            index: { latest: 'night-1', runs: ['night-1'] },
            previousRun: 'night-1',
          },
        },
      );
      // Act: the next night, with S3 answering again
      aws.clearFaults();
      await publishNight(sink, THIRD_NIGHT, 'night-3');
      // Assess
      assert.deepEqual(await readersView(sink), {
        latest: 'night-3',
        history: ['night-1', 'night-3'],
        index: { latest: 'night-3', runs: ['night-3', 'night-1'] },
        previousRun: 'night-3',
      });
    });
  });

  describe('two runs publishing at once', () => {
    /** Both runs complete in the store, listed everywhere, and the later one latest. */
    async function assertBothLanded(sink: ReportSink, run: Awaited<ReturnType<typeof concurrentRuns>>) {
      const { earlier, later, outcomes } = run;
      const folderOf = ({ runId, startedAt }: { runId: string; startedAt: string }) =>
        `runs/${startedAt.slice(0, 10)}/${runId}`;
      const manifests = await Promise.all(
        [earlier, later].map(async (each) => {
          const text = await sink.get(`${folderOf(each)}/manifest.json`);
          return text === undefined
            ? undefined
            : (JSON.parse(text) as { runId: string; files: { name: string }[] });
        }),
      );
      assert.deepEqual(
        {
          outcomes: outcomes.map((outcome) => ({
            failures: outcome.publishFailures,
            history: outcome.historyFailures,
            index: outcome.indexFailures,
          })),
          manifests: manifests.map((manifest) => ({
            runId: manifest?.runId,
            files: manifest?.files.map((file) => file.name),
          })),
          readers: await readersView(sink),
        },
        {
          outcomes: [
            { failures: [], history: [], index: [] },
            { failures: [], history: [], index: [] },
          ],
          manifests: [
            { runId: earlier.runId, files: ['report.json', 'findings.csv'] },
            { runId: later.runId, files: ['report.json', 'findings.csv'] },
          ],
          readers: {
            latest: later.runId,
            history: [earlier.runId, later.runId],
            index: { latest: later.runId, runs: [later.runId, earlier.runId] },
            previousRun: later.runId,
          },
        },
      );
    }

    it(`to one folder, through two sinks: both land and neither is overwritten (${CONCURRENT_ROUNDS} rounds)`, async () => {
      for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
        const out = join(work, `concurrent-folder-${round}`);
        const run = await concurrentRuns(() => new FileSink(out), round);
        await assertBothLanded(new FileSink(out), run);
        assert.deepEqual(
          (await filesUnder(out)).filter((file) => file.endsWith('.tmp') || file.endsWith('.lock')),
          [],
          'no temporary file or lock left',
        );
      }
    });

    it(`to one S3 bucket, through two sinks: both land and neither is overwritten (${CONCURRENT_ROUNDS} rounds)`, async () => {
      for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
        const uri = `s3://${await freshBucket()}/reports`;
        const run = await concurrentRuns(() => createS3Sink(uri, { env: s3Env() }), round);
        await assertBothLanded(createS3Sink(uri, { env: s3Env() }), run);
      }
    });

    it('from two kubeline processes to one folder: both land, the later-started one latest', async () => {
      // Prepare: each process takes the folder's lock files in turn, as two hosts on a shared volume would
      const out = join(work, 'concurrent-processes');
      const sink = new FileSink(out);
      // Act
      await Promise.all([completeScan(EXAMPLE_FLEET, out), completeScan(EXAMPLE_FLEET, out)]);
      // Assess: history.json is in start order, so the later-started run is its last
      const history = parseHistory((await sink.get('history.json')) ?? '[]').entries;
      const runs = history.map(({ runId }) => runId);
      const manifests = await Promise.all(history.map(({ folder }) => sink.get(`${folder}/manifest.json`)));
      const laterStarted = runs.at(-1);
      assert.deepEqual(
        {
          runs: runs.length,
          sealed: manifests.every((manifest) => manifest !== undefined),
          readers: await readersView(sink),
          leftovers: (await filesUnder(out)).filter(
            (file) => file.endsWith('.tmp') || file.endsWith('.lock'),
          ),
        },
        {
          runs: 2,
          sealed: true,
          readers: {
            latest: laterStarted,
            history: runs,
            index: { latest: laterStarted, runs: [...runs].reverse() },
            previousRun: laterStarted,
          },
          leftovers: [],
        },
      );
    });
  });
});
