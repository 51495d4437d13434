import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  HISTORY_KEY,
  type HistoryEntry,
  readPastRuns,
  recordRunInHistory,
  serialiseHistory,
} from '../../engine/history.js';
import type { VersionedObject } from '../../engine/ports.js';
import type { LatestRun, RenderRunIndex, RunFile } from '../../engine/publish.js';
import { INDEX_KEY, RunPublisher, WRITES_AT_ONCE } from '../../engine/publish.js';
import { textChunks } from '../../model/fileBody.js';
import type { FileBody } from '../../model/reportFormats.js';
import { renderRunIndex } from '../../report/runIndex.js';
import { FileSink } from '../../sinks/file.js';
import { createS3Sink } from '../../sinks/s3.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { type AwsPeer, startAwsPeer } from '../peers/aws/awsPeer.js';

/** A store that refuses writes of one object, as a bucket does when a policy or the network gets in the way. */
class RefusingSink extends MemorySink {
  override readonly location: string;
  constructor(
    location: string,
    readonly refuses: string,
  ) {
    super();
    this.location = location;
  }

  override async put(key: string, body: FileBody): Promise<void> {
    if (key.endsWith(this.refuses)) throw new Error(`${this.location}/${key}: AccessDenied: Access Denied`);
    await super.put(key, body);
  }
}

const FOLDER = 'runs/2026-11-29/20261129T020000Z-aaaaaa';
const html: RunFile = { name: 'report.html', body: '<p>report</p>', contentType: 'text/html' };
const json: RunFile = { name: 'report.json', body: '{"schemaVersion":1}', contentType: 'application/json' };
const manifest: RunFile = { name: 'manifest.json', body: '{"files":[]}', contentType: 'application/json' };

function latestOf(runId: string, startedAt: string): LatestRun {
  const folder = `runs/${startedAt.slice(0, 10)}/${runId}`;
  return { runId, folder, manifest: `${folder}/manifest.json`, startedAt, finishedAt: startedAt };
}

const THIS_RUN = latestOf('20261129T020000Z-aaaaaa', '2026-11-29T02:00:00.000Z');

/** This run's publisher over one sink, with a fallback nobody looks at. */
function publisherFor(sink: MemorySink): RunPublisher {
  return new RunPublisher({
    sinks: [sink],
    fallback: new MemorySink(),
    runId: THIS_RUN.runId,
    folder: FOLDER,
  });
}

describe('engine: RunPublisher with text in pieces', () => {
  const PIECES = ['{"findings": [', '"é", "✓"', ']}\n'];
  const TEXT = PIECES.join('');

  /** A body in pieces that counts how often it is rendered. */
  function counted(): { readonly body: FileBody; readonly renders: () => number } {
    let renders = 0;
    return {
      body: textChunks(function* () {
        renders += 1;
        yield* PIECES;
      }),
      renders: () => renders,
    };
  }

  it('renders the body once per sink and measures it as the sink reads it', async () => {
    // Prepare
    const sink = new MemorySink();
    const publisher = publisherFor(sink);
    const { body, renders } = counted();
    // Act
    await publisher.write({ name: 'report.json', contentType: 'application/json', body });
    // Assess
    assert.equal(renders(), 1, 'no render of its own to hash or count it');
    assert.equal(sink.objects.get(`${FOLDER}/report.json`), TEXT);
    assert.deepEqual(
      publisher.files.map(({ bytes, sha256 }) => ({ bytes, sha256 })),
      [{ bytes: Buffer.byteLength(TEXT), sha256: createHash('sha256').update(TEXT).digest('hex') }],
    );
  });

  it('measures a body no sink read to the end by rendering it once more', async () => {
    // Prepare: a sink that takes the write without reading the body.
    const deaf = new MemorySink();
    deaf.put = async () => {};
    const publisher = publisherFor(deaf);
    const { body, renders } = counted();
    // Act
    await publisher.write({ name: 'report.json', contentType: 'application/json', body });
    // Assess
    assert.equal(renders(), 2, 'once for the size, once for the digest');
    assert.equal(publisher.files[0]?.sha256, createHash('sha256').update(TEXT).digest('hex'));
    assert.equal(publisher.files[0]?.bytes, Buffer.byteLength(TEXT));
  });
});

describe('engine: RunPublisher', () => {
  it('writes the files, then the manifest, then latest.json, to every sink in turn', async () => {
    // Prepare
    const first = new MemorySink();
    const second = new MemorySink();
    const publisher = new RunPublisher({
      sinks: [first, second],
      fallback: new MemorySink(),
      runId: THIS_RUN.runId,
      folder: FOLDER,
    });
    // Act
    await publisher.write(html);
    await publisher.write(json);
    const pointers = await publisher.seal(manifest, THIS_RUN, true);
    // Assess
    const expectedWrites = [
      `${FOLDER}/report.html`,
      `${FOLDER}/report.json`,
      `${FOLDER}/manifest.json`,
      'latest.json',
    ];
    assert.deepEqual(
      { first: first.writes, second: second.writes },
      { first: expectedWrites, second: expectedWrites },
    );
    assert.deepEqual(pointers, [
      { sink: first.location, state: 'moved' },
      { sink: second.location, state: 'moved' },
    ]);
    assert.deepEqual(
      publisher.files.map(({ name, key, location, bytes }) => ({ name, key, location, bytes })),
      [
        {
          name: 'report.html',
          key: `${FOLDER}/report.html`,
          location: `memory://reports/${FOLDER}/report.html`,
          bytes: 13,
        },
        {
          name: 'report.json',
          key: `${FOLDER}/report.json`,
          location: `memory://reports/${FOLDER}/report.json`,
          bytes: 19,
        },
      ],
    );
    assert.deepEqual(publisher.failures, []);
    assert.equal(publisher.fallbackLocation, undefined);
  });

  it('keeps the previous latest.json and the whole run in the fallback when a sink fails mid-publish', async () => {
    // Prepare
    const healthy = new MemorySink();
    const failing = new RefusingSink('s3://acme-reports/kubeline', 'report.json');
    await failing.put('latest.json', '{"runId":"previous"}');
    const fallback = new MemorySink();
    const publisher = new RunPublisher({
      sinks: [failing, healthy],
      fallback,
      runId: THIS_RUN.runId,
      folder: FOLDER,
    });
    // Act
    await publisher.write(html);
    await publisher.write(json);
    const pointers = await publisher.seal(manifest, THIS_RUN, true);
    // Assess
    assert.deepEqual(publisher.failures, [
      {
        runId: THIS_RUN.runId,
        sink: 's3://acme-reports/kubeline',
        key: `${FOLDER}/report.json`,
        reason: `s3://acme-reports/kubeline/${FOLDER}/report.json: AccessDenied: Access Denied`,
      },
    ]);
    assert.equal(await failing.get('latest.json'), '{"runId":"previous"}');
    assert.deepEqual(pointers, [
      { sink: 's3://acme-reports/kubeline', state: 'failed' },
      { sink: healthy.location, state: 'moved' },
    ]);
    assert.deepEqual(fallback.writes, [
      `${FOLDER}/report.html`,
      `${FOLDER}/report.json`,
      `${FOLDER}/manifest.json`,
    ]);
    assert.equal(publisher.fallbackLocation, `memory://reports/${FOLDER}`);
    assert.equal(publisher.primary, healthy, 'links and the next diff come from the sink that took the run');
  });

  it('does not move latest.json back when an older run finishes after a newer one', async () => {
    // Prepare
    const sink = new MemorySink();
    const newer = latestOf('20261129T030000Z-bbbbbb', '2026-11-29T03:00:00.000Z');
    await sink.put('latest.json', JSON.stringify(newer));
    const publisher = publisherFor(sink);
    // Act
    const pointers = await publisher.seal(manifest, THIS_RUN, true);
    // Assess
    assert.deepEqual(pointers, [{ sink: sink.location, state: 'newer-kept' }]);
    assert.deepEqual(JSON.parse((await sink.get('latest.json')) ?? '{}'), newer);
  });

  it('moves latest.json past an older run, and repairs a pointer that is not JSON', async () => {
    for (const current of [
      JSON.stringify(latestOf('20261128T020000Z-cccccc', '2026-11-28T02:00:00.000Z')),
      '{"runId":',
    ]) {
      // Prepare
      const sink = new MemorySink();
      await sink.put('latest.json', current);
      const publisher = publisherFor(sink);
      // Act
      const pointers = await publisher.seal(manifest, THIS_RUN, true);
      // Assess
      assert.deepEqual(pointers, [{ sink: sink.location, state: 'moved' }], current);
      assert.deepEqual(JSON.parse((await sink.get('latest.json')) ?? '{}'), THIS_RUN);
    }
  });

  it('re-reads the pointer when a concurrent run wins the conditional write, then keeps the newer one', async () => {
    // Prepare: between our read and our write, a newer run moves the pointer
    const sink = new MemorySink();
    const newer = latestOf('20261129T030000Z-bbbbbb', '2026-11-29T03:00:00.000Z');
    const read = sink.getVersioned.bind(sink);
    let raced = false;
    sink.getVersioned = async (key) => {
      const seen = await read(key);
      if (!raced) {
        raced = true;
        await sink.put('latest.json', JSON.stringify(newer));
      }
      return seen;
    };
    const publisher = publisherFor(sink);
    // Act
    const pointers = await publisher.seal(manifest, THIS_RUN, true);
    // Assess
    assert.deepEqual(pointers, [{ sink: sink.location, state: 'newer-kept' }]);
    assert.deepEqual(JSON.parse((await sink.get('latest.json')) ?? '{}'), newer);
  });

  it('leaves latest.json alone for an incomplete run, and fails a sink whose pointer never settles', async () => {
    // Prepare
    const incomplete = new MemorySink();
    const restless = new MemorySink();
    restless.putIfMatch = async () => false;
    const fallback = new MemorySink();
    const publisher = new RunPublisher({
      sinks: [incomplete],
      fallback,
      runId: THIS_RUN.runId,
      folder: FOLDER,
    });
    const other = new RunPublisher({ sinks: [restless], fallback, runId: THIS_RUN.runId, folder: FOLDER });
    // Act
    const incompletePointers = await publisher.seal(manifest, THIS_RUN, false);
    await other.write(html);
    const restlessPointers = await other.seal(manifest, THIS_RUN, true);
    // Assess
    assert.deepEqual(incompletePointers, [{ sink: incomplete.location, state: 'incomplete' }]);
    assert.equal(await incomplete.get('latest.json'), undefined);
    assert.deepEqual(restlessPointers, [{ sink: restless.location, state: 'failed' }]);
    assert.equal(other.failures[0]?.reason, 'latest.json changed under every one of 5 conditional writes');
    assert.deepEqual(fallback.writes, [`${FOLDER}/report.html`, `${FOLDER}/manifest.json`]);
  });

  it('replaces a pointer that names no run it can compare: one from an earlier kubeline, a list, null', async () => {
    const pointers = [
      JSON.stringify({
        runId: 'old',
        folder: 'runs/2026-11-01/old',
        manifest: 'runs/2026-11-01/old/manifest.json',
      }),
      '[]',
      'null',
      '42',
    ];
    for (const current of pointers) {
      // Prepare
      const sink = new MemorySink();
      await sink.put('latest.json', current);
      const publisher = publisherFor(sink);
      // Act
      const state = await publisher.seal(manifest, THIS_RUN, true);
      // Assess
      assert.deepEqual(state, [{ sink: sink.location, state: 'moved' }], current);
    }
  });

  it('breaks a tie of start times by run id, and keeps the pointer to this very run', async () => {
    for (const [runId, expected] of [
      ['20261129T020000Z-000000', 'moved'],
      [THIS_RUN.runId, 'newer-kept'],
      ['20261129T020000Z-ffffff', 'newer-kept'],
    ] as const) {
      // Prepare
      const sink = new MemorySink();
      await sink.put('latest.json', JSON.stringify({ ...THIS_RUN, runId }));
      const publisher = publisherFor(sink);
      // Act
      const state = await publisher.seal(manifest, THIS_RUN, true);
      // Assess
      assert.deepEqual(state, [{ sink: sink.location, state: expected }], runId);
    }
  });

  it('keeps no body it can render again: a failure renders each format once more and copies only the files written so far', async () => {
    // Prepare
    const sink = new RefusingSink('s3://acme/reports', 'junit.xml');
    const fallback = new MemorySink();
    const publisher = new RunPublisher({ sinks: [sink], fallback, runId: THIS_RUN.runId, folder: FOLDER });
    const page = (name: string): RunFile => ({ name, body: `<p>${name}</p>`, contentType: 'text/html' });
    const calls: string[] = [];
    const htmlFormat = () => {
      calls.push('html');
      return [html, page('clusters/a.html'), page('clusters/b.html')];
    };
    const jsonFormat = () => {
      calls.push('json');
      return [json];
    };
    const pdf: RunFile = {
      name: 'report.pdf',
      body: Uint8Array.from([37, 80, 68, 70]),
      contentType: 'application/pdf',
    };
    // Act: two of html's three files, report.json, the PDF kept whole, then junit.xml fails.
    await publisher.write(html, htmlFormat);
    await publisher.write(page('clusters/a.html'), htmlFormat);
    await publisher.write(json, jsonFormat);
    await publisher.write(pdf);
    await publisher.write({ name: 'junit.xml', body: '<testsuites/>', contentType: 'application/xml' });
    // Assess
    assert.deepEqual(calls, ['html', 'json'], 'each format rendered again once');
    assert.deepEqual(fallback.writes, [
      `${FOLDER}/report.html`,
      `${FOLDER}/clusters/a.html`,
      `${FOLDER}/report.json`,
      `${FOLDER}/report.pdf`,
      `${FOLDER}/junit.xml`,
    ]);
    assert.equal(fallback.objects.get(`${FOLDER}/clusters/a.html`), '<p>clusters/a.html</p>');
    assert.deepEqual(fallback.binaries.get(`${FOLDER}/report.pdf`), pdf.body);
    assert.equal(publisher.files[3]?.bytes, 4);
  });

  it('copies the run to the fallback once, however many sinks fail, whatever they throw', async () => {
    // Prepare
    const first = new MemorySink();
    first.put = async () => {
      throw 'connection reset';
    };
    const second = new RefusingSink('gs://acme/reports', 'report.json');
    const fallback = new MemorySink();
    const publisher = new RunPublisher({
      sinks: [first, second],
      fallback,
      runId: THIS_RUN.runId,
      folder: FOLDER,
    });
    // Act
    await publisher.write(html);
    await publisher.write(json);
    // Assess
    assert.deepEqual(
      publisher.failures.map(({ sink, key, reason }) => ({ sink, key, reason })),
      [
        { sink: first.location, key: `${FOLDER}/report.html`, reason: 'connection reset' },
        {
          sink: 'gs://acme/reports',
          key: `${FOLDER}/report.json`,
          reason: `gs://acme/reports/${FOLDER}/report.json: AccessDenied: Access Denied`,
        },
      ],
    );
    assert.deepEqual(fallback.writes, [`${FOLDER}/report.html`, `${FOLDER}/report.json`]);
    assert.equal(publisher.primary, undefined);
    assert.equal(publisher.files[1]?.location, `memory://reports/${FOLDER}/report.json`);
  });
});

/** The history entry of a run that started on `day` at 02:00 UTC. */
function entry(runId: string, day: string, complete = true): HistoryEntry {
  return {
    runId,
    startedAt: `${day}T02:00:00.000Z`,
    folder: `runs/${day}/${runId}`,
    complete,
    clusters: 2,
    findings: { fail: 1, error: 0, unknown: 1, waived: 0, pass: 3, not_applicable: 0, total: 5 },
    failingBySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    diff: null,
  };
}

const THIS_ENTRY = entry(THIS_RUN.runId, '2026-11-29');

/** A render port that keeps what it was given and prints it, so the stored index shows its input. */
function recordingRender() {
  const calls: { entries: string[]; latest: { runId: string; folder: string } | null }[] = [];
  const render: RenderRunIndex = (entries, latest) => {
    calls.push({ entries: entries.map((item) => item.runId), latest });
    return `<p>${entries.map((item) => item.runId).join(' ')} | ${latest?.runId ?? 'none'}</p>`;
  };
  return { calls, render };
}

/** A folder sink that keeps the content type of every conditional write, by key. */
class TypedFileSink extends FileSink {
  readonly contentTypes = new Map<string, string>();

  override async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    this.contentTypes.set(key, contentType);
    return super.putIfMatch(key, body, contentType, expected);
  }
}

/**
 * A store whose writes each wait until the test lets them end (in any order), and fail for keys it
 * refuses: how an object store's round trips overlap.
 */
class GatedSink extends MemorySink {
  readonly pending: { key: string; release: () => void }[] = [];
  inFlight = 0;
  mostInFlight = 0;
  constructor(readonly refuses: (key: string) => boolean = () => false) {
    super();
  }

  override async put(key: string, body: FileBody): Promise<void> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise<void>((release) => this.pending.push({ key, release }));
    this.inFlight -= 1;
    if (this.refuses(key)) throw new Error(`${key}: ServiceUnavailable`);
    await super.put(key, body);
  }

  /** Lets the writes waiting now end, the last started first. */
  releaseAll(): void {
    for (const write of this.pending.splice(0).reverse()) write.release();
  }
}

/** Keeps releasing a gated sink's writes until `work` settles. */
async function whileReleasing<T>(sink: GatedSink, work: Promise<T>): Promise<T> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  work.then(done, done);
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    sink.releaseAll();
  }
  return work;
}

/** Queues the files one after another and drains the publisher, while the sink's writes are let end. */
function queueAll(sink: GatedSink, publisher: RunPublisher, files: readonly RunFile[]): Promise<void> {
  return whileReleasing(
    sink,
    (async () => {
      for (const file of files) await publisher.queue(file);
      await publisher.drain();
    })(),
  );
}

const pages = (count: number): RunFile[] =>
  Array.from({ length: count }, (_, index) => ({
    name: `clusters/c-${index}.html`,
    body: `<p>${index}</p>`,
    contentType: 'text/html',
  }));

describe('engine: RunPublisher.queue, pages stored while the next ones render', () => {
  it('keeps at most WRITES_AT_ONCE writes in flight, and lists the files in the order they were queued', async () => {
    // Prepare
    const sink = new GatedSink();
    const publisher = publisherFor(sink);
    const files = pages(WRITES_AT_ONCE * 3);
    // Act: the writes end last-started first
    await queueAll(sink, publisher, files);
    // Assess
    assert.deepEqual(
      {
        mostInFlight: sink.mostInFlight,
        listed: publisher.files.map((file) => file.name),
        stored: sink.objects.size,
      },
      { mostInFlight: WRITES_AT_ONCE, listed: files.map((file) => file.name), stored: files.length },
    );
  });

  it('lists a file only once every sink has it: a page still in flight is not yet among the files', async () => {
    // Prepare
    const sink = new GatedSink();
    const publisher = publisherFor(sink);
    const [first, second] = pages(2);
    // Act: both queued, neither stored yet
    await publisher.queue(first as RunFile);
    await publisher.queue(second as RunFile);
    const whileInFlight = publisher.files.map((file) => file.name);
    await whileReleasing(sink, publisher.drain());
    // Assess
    assert.deepEqual(
      { whileInFlight, after: publisher.files.map((file) => file.name) },
      { whileInFlight: [], after: ['clusters/c-0.html', 'clusters/c-1.html'] },
    );
  });

  it('writes text in pieces before it returns, since it renders as the sink reads it', async () => {
    // Prepare
    const sink = new GatedSink();
    const publisher = publisherFor(sink);
    let returned = false;
    // Act
    const queued = publisher
      .queue({ name: 'report.json', body: textChunks(() => ['{', '}']), contentType: 'application/json' })
      .then(() => {
        returned = true;
      });
    await new Promise((resolve) => setImmediate(resolve));
    const beforeRelease = returned;
    await whileReleasing(sink, queued);
    // Assess
    assert.deepEqual(
      { beforeRelease, stored: sink.objects.get(`${FOLDER}/report.json`) },
      { beforeRelease: false, stored: '{}' },
    );
  });

  it('counts one failure for a sink that fails under overlapping writes, and the fallback gets every file', async () => {
    // Prepare: the sink fails every write from the third page on, with several in flight
    const sink = new GatedSink((key) => !/c-[01]\.html$/.test(key));
    const fallback = new MemorySink();
    const publisher = new RunPublisher({ sinks: [sink], fallback, runId: THIS_RUN.runId, folder: FOLDER });
    const files = pages(WRITES_AT_ONCE * 2);
    // Act
    await queueAll(sink, publisher, files);
    // Assess
    assert.deepEqual(
      {
        failures: publisher.failures.map((failure) => failure.sink),
        fallback: [...fallback.objects.keys()].sort(),
        listed: publisher.files.map((file) => file.name),
      },
      {
        failures: [sink.location],
        fallback: files.map((file) => `${FOLDER}/${file.name}`).sort(),
        listed: files.map((file) => file.name),
      },
    );
  });

  it("throws the fallback's own failure from the next queue or drain, never as an unhandled rejection", async () => {
    // Prepare: the sink fails and so does the local fallback
    const sink = new GatedSink(() => true);
    const fallback = new (class extends MemorySink {
      override async put(): Promise<void> {
        throw new Error('ENOSPC: no space left on device');
      }
    })();
    const publisher = new RunPublisher({ sinks: [sink], fallback, runId: THIS_RUN.runId, folder: FOLDER });
    // Act
    const attempt = queueAll(sink, publisher, pages(WRITES_AT_ONCE + 2));
    // Assess
    await assert.rejects(attempt, /ENOSPC/);
  });
});

describe('engine: RunPublisher rewrites index.html in the sink root', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubeline-index-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** This run's whole publish step over the given sinks: files, manifest, latest.json, history.json, index.html. */
  async function publish(
    sinks: readonly [FileSink, ...FileSink[]],
    options: { readonly complete?: boolean; readonly renderIndex?: RenderRunIndex } = {},
  ) {
    const fallback = new FileSink(join(root, 'fallback'));
    const publisher = new RunPublisher({
      sinks,
      fallback,
      runId: THIS_RUN.runId,
      folder: FOLDER,
      ...(options.renderIndex ? { renderIndex: options.renderIndex } : {}),
    });
    const complete = options.complete ?? true;
    await publisher.write(html);
    const pointers = await publisher.seal(manifest, THIS_RUN, complete);
    const past = await readPastRuns(sinks[0]);
    const healthy = sinks.filter((_sink, index) => pointers[index]?.state !== 'failed');
    const historyFailures = await recordRunInHistory(healthy, { ...THIS_ENTRY, complete }, past);
    const indexFailures = await publisher.refreshIndex();
    return { publisher, pointers, historyFailures, indexFailures, fallback };
  }

  it('renders the history and the pointer each sink holds once both are written, and stores it as HTML', async () => {
    // Prepare: the first sink has an earlier run and an index of it, the second nothing yet
    const first = new TypedFileSink(join(root, 'first'));
    await first.put(HISTORY_KEY, serialiseHistory([entry('r0', '2026-11-28')]), 'application/json');
    await first.put(INDEX_KEY, '<p>r0</p>', 'text/html; charset=utf-8');
    const second = new TypedFileSink(join(root, 'second'));
    const { calls, render } = recordingRender();
    // Act
    const outcome = await publish([first, second], { renderIndex: render });
    // Assess
    const pointer = { runId: THIS_RUN.runId, folder: THIS_RUN.folder };
    assert.deepEqual(
      {
        indexFailures: outcome.indexFailures,
        publishFailures: outcome.publisher.failures,
        calls,
        first: await first.get(INDEX_KEY),
        second: await second.get(INDEX_KEY),
        contentTypes: [first.contentTypes.get(INDEX_KEY), second.contentTypes.get(INDEX_KEY)],
      },
      {
        indexFailures: [],
        publishFailures: [],
        calls: [
          { entries: ['r0', THIS_RUN.runId], latest: pointer },
          { entries: [THIS_RUN.runId], latest: pointer },
        ],
        first: `<p>r0 ${THIS_RUN.runId} | ${THIS_RUN.runId}</p>`,
        second: `<p>${THIS_RUN.runId} | ${THIS_RUN.runId}</p>`,
        contentTypes: ['text/html; charset=utf-8', 'text/html; charset=utf-8'],
      },
    );
  });

  it('rewrites the index for an incomplete run, which lists it while latest.json keeps the earlier run', async () => {
    // Prepare
    const sink = new FileSink(join(root, 'sink'));
    const earlier = entry('r0', '2026-11-28');
    await sink.put(HISTORY_KEY, serialiseHistory([earlier]), 'application/json');
    await sink.put('latest.json', JSON.stringify(latestOf('r0', earlier.startedAt)), 'application/json');
    const { calls, render } = recordingRender();
    // Act
    const outcome = await publish([sink], { complete: false, renderIndex: render });
    // Assess
    assert.deepEqual(
      { pointers: outcome.pointers, indexFailures: outcome.indexFailures, calls },
      {
        pointers: [{ sink: sink.location, state: 'incomplete' }],
        indexFailures: [],
        calls: [{ entries: ['r0', THIS_RUN.runId], latest: { runId: 'r0', folder: 'runs/2026-11-28/r0' } }],
      },
    );
  });

  it('renders no runs without history.json, no latest run for a pointer it cannot read, and drops unreadable entries', async () => {
    // Prepare
    const bare = new FileSink(join(root, 'bare'));
    const corrupt = new FileSink(join(root, 'corrupt'));
    await corrupt.put('latest.json', '{"runId":', 'application/json');
    const history = `[${JSON.stringify(entry('r0', '2026-11-28'))},{"runId":"broken"}]`;
    await corrupt.put(HISTORY_KEY, history, 'application/json');
    const { calls, render } = recordingRender();
    const publisher = new RunPublisher({
      sinks: [bare, corrupt],
      fallback: new MemorySink(),
      runId: THIS_RUN.runId,
      folder: FOLDER,
      renderIndex: render,
    });
    // Act
    const failures = await publisher.refreshIndex();
    // Assess
    assert.deepEqual(
      { failures, calls, bare: await bare.get(INDEX_KEY) },
      {
        failures: [],
        calls: [
          { entries: [], latest: null },
          { entries: ['r0'], latest: null },
        ],
        bare: '<p> | none</p>',
      },
    );
  });

  it('writes no index without a renderer, and none to a sink that failed or to the fallback', async () => {
    // Prepare
    const plain = new FileSink(join(root, 'plain'));
    const refusing = new (class extends FileSink {
      override async put(key: string, body: string, contentType: string): Promise<void> {
        if (key.endsWith('report.html')) throw new Error(`${key}: AccessDenied`);
        await super.put(key, body, contentType);
      }
    })(join(root, 'refusing'));
    const healthy = new FileSink(join(root, 'healthy'));
    const { calls, render } = recordingRender();
    // Act
    const unrendered = await publish([plain]);
    const partly = await publish([refusing, healthy], { renderIndex: render });
    // Assess
    assert.deepEqual(
      {
        unrendered: unrendered.indexFailures,
        plain: await plain.get(INDEX_KEY),
        partly: partly.indexFailures,
        pointers: partly.pointers.map(({ state }) => state),
        refusing: await refusing.get(INDEX_KEY),
        healthy: await healthy.get(INDEX_KEY),
        fallback: await partly.fallback.get(INDEX_KEY),
        calls: calls.length,
      },
      {
        unrendered: [],
        plain: undefined,
        partly: [],
        pointers: ['failed', 'moved'],
        refusing: undefined,
        healthy: `<p>${THIS_RUN.runId} | ${THIS_RUN.runId}</p>`,
        fallback: undefined,
        calls: 1,
      },
    );
  });

  it('renders again when a concurrent run rewrites the index first, so the index keeps both runs', async () => {
    // Prepare: between our read of index.html and our write, another run adds itself and rewrites it
    const other = entry('other', '2026-11-29');
    const sink = new (class extends FileSink {
      #raced = false;
      override async getVersioned(key: string): Promise<VersionedObject | undefined> {
        const seen = await super.getVersioned(key);
        if (key === INDEX_KEY && !this.#raced) {
          this.#raced = true;
          await this.put(HISTORY_KEY, serialiseHistory([THIS_ENTRY, other]), 'application/json');
          await this.put(INDEX_KEY, '<p>the other run</p>', 'text/html; charset=utf-8');
        }
        return seen;
      }
    })(join(root, 'sink'));
    const { calls, render } = recordingRender();
    // Act
    const outcome = await publish([sink], { renderIndex: render });
    // Assess
    assert.deepEqual(
      { indexFailures: outcome.indexFailures, renders: calls.length, index: await sink.get(INDEX_KEY) },
      {
        indexFailures: [],
        renders: 2,
        index: `<p>${THIS_RUN.runId} other | ${THIS_RUN.runId}</p>`,
      },
    );
  });

  it('warns, and leaves the run published, when the index never settles, cannot be read or written, or does not render', async () => {
    // Prepare
    const restless = new (class extends FileSink {
      override async putIfMatch(
        key: string,
        body: string,
        contentType: string,
        expected: string | null,
      ): Promise<boolean> {
        return key === INDEX_KEY ? false : super.putIfMatch(key, body, contentType, expected);
      }
    })(join(root, 'restless'));
    const unreadable = new (class extends FileSink {
      override async get(key: string): Promise<string | undefined> {
        const body = await super.get(key);
        // history.json reads fine until it holds this run: the history is written, the index is not
        if (key === HISTORY_KEY && body?.includes(THIS_RUN.runId)) {
          throw new Error('history.json: AccessDenied reading');
        }
        return body;
      }
    })(join(root, 'unreadable'));
    const unwritable = new (class extends FileSink {
      override async putIfMatch(
        key: string,
        body: string,
        contentType: string,
        expected: string | null,
      ): Promise<boolean> {
        if (key === INDEX_KEY) throw 'connection reset';
        return super.putIfMatch(key, body, contentType, expected);
      }
    })(join(root, 'unwritable'));
    const unrendered = new FileSink(join(root, 'unrendered'));
    const broken: RenderRunIndex = () => {
      throw new Error('index.html.hbs: its argument is not defined in the context');
    };
    const { render } = recordingRender();
    // Act
    const outcomes = [
      await publish([restless], { renderIndex: render }),
      await publish([unreadable], { renderIndex: render }),
      await publish([unwritable], { renderIndex: render }),
      await publish([unrendered], { renderIndex: broken }),
    ];
    // Assess
    const warning = (sink: FileSink, reason: string) => [
      { runId: THIS_RUN.runId, sink: sink.location, key: INDEX_KEY, reason },
    ];
    assert.deepEqual(
      outcomes.map(({ indexFailures, publisher, pointers, historyFailures }) => ({
        indexFailures,
        publishFailures: publisher.failures,
        fallback: publisher.fallbackLocation,
        pointers: pointers.map(({ state }) => state),
        historyFailures,
      })),
      [
        warning(restless, 'index.html changed under each of 5 conditional writes'),
        warning(unreadable, 'history.json: AccessDenied reading'),
        warning(unwritable, 'connection reset'),
        warning(unrendered, 'index.html.hbs: its argument is not defined in the context'),
      ].map((indexFailures) => ({
        indexFailures,
        publishFailures: [],
        fallback: undefined,
        pointers: ['moved'],
        historyFailures: [],
      })),
    );
    assert.equal(await unrendered.get(INDEX_KEY), undefined);
  });
});

describe('engine: index.html in an S3 bucket (moto)', () => {
  const REGION = 'us-east-1';
  const BUCKET = 'kubeline-index';
  let peer: AwsPeer;
  let raw: S3Client;

  before(async function () {
    this.timeout(60_000);
    peer = await startAwsPeer();
    raw = new S3Client({
      region: REGION,
      endpoint: peer.endpoint,
      credentials: peer.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await raw.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  after(async () => {
    raw?.destroy();
    await peer?.close();
  });

  async function stored(key: string): Promise<string> {
    const object = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: `reports/${key}` }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  }

  /** One night's publish step with the real renderer, as the composition root wires it. */
  async function night(day: string, runId: string, complete: boolean) {
    const sink = createS3Sink(`s3://${BUCKET}/reports`, {
      env: { AWS_ENDPOINT_URL_S3: peer.endpoint, AWS_REGION: REGION },
    });
    const run = latestOf(runId, `${day}T02:00:00.000Z`);
    const publisher = new RunPublisher({
      sinks: [sink],
      fallback: new MemorySink(),
      runId,
      folder: run.folder,
      renderIndex: renderRunIndex,
    });
    await publisher.write(html);
    await publisher.seal(manifest, run, complete);
    await recordRunInHistory([sink], entry(runId, day, complete), await readPastRuns(sink));
    return { indexFailures: await publisher.refreshIndex(), publishFailures: publisher.failures };
  }

  it('lists every night newest first, each linking to a report.html in the bucket, the latest complete one marked', async function () {
    this.timeout(60_000);
    // Act
    const nights = [await night('2026-11-28', 'run-1', true), await night('2026-11-29', 'run-2', false)];
    // Assess
    assert.deepEqual(nights, [
      { indexFailures: [], publishFailures: [] },
      { indexFailures: [], publishFailures: [] },
    ]);
    const head = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `reports/${INDEX_KEY}` }));
    assert.deepEqual(
      { contentType: head.ContentType, contentDisposition: head.ContentDisposition },
      { contentType: 'text/html; charset=utf-8', contentDisposition: undefined },
    );
    const index = await stored(INDEX_KEY);
    const rows = [
      ...index.matchAll(/<tr( class="[a-z]+")?><th scope="row"><a href="([^"]+)">([^<]+)<\/a>/g),
    ].map((match) => ({ rowClass: match[1] ?? '', href: match[2], runId: match[3] }));
    assert.deepEqual(rows, [
      { rowClass: ' class="incomplete"', href: 'runs/2026-11-29/run-2/report.html', runId: 'run-2' },
      { rowClass: ' class="latest"', href: 'runs/2026-11-28/run-1/report.html', runId: 'run-1' },
    ]);
    // Each link, resolved beside index.html, is the run's report in the bucket.
    for (const { href } of rows) {
      const key = new URL(href ?? '', `https://${BUCKET}.invalid/reports/${INDEX_KEY}`).pathname.slice(1);
      const object = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      assert.equal(await object.Body?.transformToString('utf8'), html.body, key);
    }
  });

  it('warns when the bucket refuses index.html, and the night is published all the same', async function () {
    this.timeout(60_000);
    // Prepare
    peer.addFault({
      service: 's3',
      operation: 'PutObject',
      key: `reports/${INDEX_KEY}`,
      kind: 'access-denied',
    });
    // Act
    const outcome = await night('2026-11-30', 'run-3', true);
    peer.clearFaults();
    // Assess
    assert.deepEqual(
      {
        warnings: outcome.indexFailures,
        publishFailures: outcome.publishFailures,
        latest: JSON.parse(await stored('latest.json')).runId,
      },
      {
        warnings: [
          {
            runId: 'run-3',
            sink: `s3://${BUCKET}/reports`,
            key: INDEX_KEY,
            reason: `s3://${BUCKET}/reports/${INDEX_KEY}: AccessDenied: User: arn:aws:iam::123456789012:role/kubeline-read is not authorized to perform: s3:PutObject (fault injected by the kubeline AWS test peer) (PutObject, HTTP 403)`,
          },
        ],
        publishFailures: [],
        latest: 'run-3',
      },
    );
  });
});
