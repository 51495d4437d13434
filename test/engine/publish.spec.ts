import assert from 'node:assert/strict';
import type { LatestRun, RunFile } from '../../engine/publish.js';
import { RunPublisher } from '../../engine/publish.js';
import { MemorySink } from '../fixtures/memorySink.js';

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

  override async put(key: string, body: string): Promise<void> {
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
