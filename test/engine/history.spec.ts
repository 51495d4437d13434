import assert from 'node:assert/strict';
import {
  appendHistory,
  HISTORY_KEY,
  HISTORY_LIMIT,
  type HistoryEntry,
  historyEntry,
  parseHistory,
  readHistory,
  readPastRuns,
  readPreviousRun,
  recordRunInHistory,
  serialiseHistory,
} from '../../engine/history.js';
import type { VersionedObject } from '../../engine/ports.js';
import type { RunDiff } from '../../model/runDiff.js';
import { buildReportModel } from '../../report/build.js';
import { toReportJson } from '../../report/json.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { EKS_ID, finding, RUN, reportInput } from '../report/fixtures.js';

const COMPARED: RunDiff = {
  previousRun: { id: 'r0', startedAt: '2026-11-27T02:00:00.000Z', folder: 'runs/2026-11-27/r0' },
  new: [{ checkId: 'EP-01', clusterId: 'a', severity: 'high', status: 'fail', previousStatus: 'pass' }],
  fixed: [],
  persisting: [],
  newlyUnknown: [],
  clustersAdded: [{ id: 'a', provider: 'eks', scope: 's', location: 'l', name: 'a' }],
  clustersRemoved: [],
  clustersNotRead: [],
  scopesLost: [],
  notices: [],
};

/** A history entry of a run that started on `day` at 02:00 UTC. */
function entry(runId: string, day: string, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    runId,
    startedAt: `${day}T02:00:00.000Z`,
    folder: `runs/${day}/${runId}`,
    complete: true,
    clusters: 1,
    findings: { fail: 1, error: 0, unknown: 0, waived: 0, pass: 0, not_applicable: 0, total: 1 },
    failingBySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    diff: null,
    ...overrides,
  };
}

/** A sink whose reads or writes fail, for the paths where the sink, not the data, is the problem. */
class FailingSink extends MemorySink {
  constructor(
    private readonly failOn: ReadonlySet<'get' | 'getVersioned' | 'putIfMatch'>,
    private readonly failKey: string | null = null,
  ) {
    super();
  }

  #fails(operation: 'get' | 'getVersioned' | 'putIfMatch', key: string): boolean {
    return this.failOn.has(operation) && (this.failKey === null || this.failKey === key);
  }

  override async get(key: string): Promise<string | undefined> {
    if (this.#fails('get', key)) throw new Error(`AccessDenied reading ${key}`);
    return super.get(key);
  }

  override async getVersioned(key: string): Promise<VersionedObject | undefined> {
    if (this.#fails('getVersioned', key)) throw new Error(`AccessDenied reading ${key}`);
    return super.getVersioned(key);
  }

  override async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    if (this.#fails('putIfMatch', key)) throw new Error(`AccessDenied writing ${key}`);
    return super.putIfMatch(key, body, contentType, expected);
  }
}

/** A sink where another run appends to the history between our read and our write, `races` times. */
class RacingSink extends MemorySink {
  #races: number;

  constructor(races: number) {
    super();
    this.#races = races;
  }

  override async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    if (key === HISTORY_KEY && this.#races > 0) {
      this.#races -= 1;
      const theirs = parseHistory((await this.get(HISTORY_KEY)) ?? '[]').entries;
      await this.put(
        HISTORY_KEY,
        serialiseHistory(appendHistory(theirs, entry(`other-${this.#races}`, '2026-11-28'))),
      );
    }
    return super.putIfMatch(key, body, contentType, expected);
  }
}

describe('engine: history.json', () => {
  it('counts a run: findings per status, fail and error per severity, the diff list sizes', () => {
    // Prepare
    const findings = [
      { status: 'fail', severity: 'critical' },
      { status: 'error', severity: 'low' },
      { status: 'waived', severity: 'high' },
      { status: 'unknown', severity: 'high' },
      { status: 'pass', severity: 'high' },
      { status: 'pass', severity: 'medium' },
      { status: 'not_applicable', severity: 'info' },
    ] as const;
    const run = { runId: 'r1', startedAt: '2026-11-28T02:00:00.000Z', folder: 'runs/2026-11-28/r1' };
    // Act
    const compared = historyEntry({ ...run, complete: true, clusters: 3 }, findings, COMPARED);
    const first = historyEntry({ ...run, complete: false, clusters: 0 }, [], {
      previousRun: null,
      unavailable: 'no previous complete run',
      notices: [],
    });
    // Assess
    assert.deepEqual(
      [compared, first],
      [
        {
          ...run,
          complete: true,
          clusters: 3,
          findings: { fail: 1, error: 1, unknown: 1, waived: 1, pass: 2, not_applicable: 1, total: 7 },
          failingBySeverity: { critical: 1, high: 0, medium: 0, low: 1, info: 0 },
          diff: { new: 1, fixed: 0, persisting: 0, newlyUnknown: 0, clustersAdded: 1, clustersRemoved: 0 },
        },
        {
          ...run,
          complete: false,
          clusters: 0,
          findings: { fail: 0, error: 0, unknown: 0, waived: 0, pass: 0, not_applicable: 0, total: 0 },
          failingBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
          diff: null,
        },
      ],
    );
  });

  it('writes one run per line, a JSON list that reads back the same', () => {
    // Prepare
    const entries = [entry('r1', '2026-11-27'), entry('r2', '2026-11-28', { complete: false })];
    // Act
    const text = serialiseHistory(entries);
    // Assess
    assert.deepEqual(text.split('\n'), [
      '[',
      `${JSON.stringify(entries[0])},`,
      JSON.stringify(entries[1]),
      ']',
      '',
    ]);
    assert.deepEqual(parseHistory(text), { entries, notice: null });
  });

  it('keeps runs in start order, replaces a run recorded twice, and keeps only the newest', () => {
    // Prepare
    const days = Array.from({ length: HISTORY_LIMIT }, (_, index) =>
      new Date(Date.UTC(2026, 0, 1) + index * 86_400_000).toISOString().slice(0, 10),
    );
    const full = days.map((day, index) => entry(`r${String(index).padStart(3, '0')}`, day));
    const late = entry('r-late', '2025-12-31');
    // Act
    const appended = appendHistory(full, entry('r-new', '2027-06-01'));
    const rerun = appendHistory(
      [entry('a', '2026-11-27'), entry('b', '2026-11-28')],
      entry('a', '2026-11-27', { clusters: 9 }),
    );
    const small = appendHistory(
      [entry('b', '2026-11-28'), entry('c', '2026-11-29')],
      entry('a', '2026-11-27'),
      2,
    );
    const ordered = appendHistory([entry('y', '2026-11-28')], entry('x', '2026-11-28'));
    // Assess
    assert.deepEqual(
      {
        size: appended.length,
        first: appended[0]?.runId,
        last: appended.at(-1)?.runId,
        lateDropped: appendHistory(full, late).some((item) => item.runId === 'r-late'),
        rerun,
        small: small.map((item) => item.runId),
        ordered: ordered.map((item) => item.runId),
      },
      {
        size: HISTORY_LIMIT,
        first: 'r001',
        last: 'r-new',
        lateDropped: false,
        rerun: [entry('a', '2026-11-27', { clusters: 9 }), entry('b', '2026-11-28')],
        small: ['b', 'c'],
        ordered: ['x', 'y'],
      },
    );
  });

  it('starts a new history from a corrupt file, and drops only the entries that do not read', () => {
    // Prepare
    const good = entry('r1', '2026-11-27');
    const notJson = '[{"runId": "r1"';
    let parseMessage = '';
    try {
      JSON.parse(notJson);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    // Act
    const read = [notJson, '{"runs": []}', serialiseHistory([good]).replace(']', ',{"runId":"r2"},\n7]')].map(
      parseHistory,
    );
    // Assess
    assert.deepEqual(read, [
      {
        entries: [],
        notice: `history.json is not valid JSON (${parseMessage}); a new history starts with this run`,
      },
      { entries: [], notice: 'history.json is not a list of runs; a new history starts with this run' },
      { entries: [good], notice: '2 of the 3 entries of history.json could not be read and are dropped' },
    ]);
  });
});

describe('engine: reading past runs from the sink', () => {
  const reportText = `${JSON.stringify(
    toReportJson(
      buildReportModel(
        reportInput({
          run: { ...RUN, id: 'r1', startedAt: '2026-11-28T02:00:00.000Z' },
          findings: [finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' })],
        }),
      ),
    ),
  )}\n`;
  const latest = JSON.stringify({ runId: 'r1', folder: 'runs/2026-11-28/r1' });

  it('follows latest.json to the previous report', async () => {
    // Prepare
    const sink = new MemorySink();
    await sink.put('latest.json', latest);
    await sink.put('runs/2026-11-28/r1/report.json', reportText);
    // Act
    const read = await readPreviousRun(sink);
    // Assess
    assert.deepEqual('previous' in read ? read.previous.run : read, {
      id: 'r1',
      startedAt: '2026-11-28T02:00:00.000Z',
      folder: 'runs/2026-11-28/r1',
    });
  });

  it('says why there is no previous run: none yet, a bad pointer, a missing folder, a sink that fails', async () => {
    // Prepare
    const empty = new MemorySink();
    const badPointer = new MemorySink();
    await badPointer.put('latest.json', '{"runId": 7}');
    const missingFolder = new MemorySink();
    await missingFolder.put('latest.json', latest);
    const deniedPointer = new FailingSink(new Set(['get']), 'latest.json');
    const deniedReport = new FailingSink(new Set(['get']), 'runs/2026-11-28/r1/report.json');
    await deniedReport.put('latest.json', latest);
    const hungUp = new (class extends MemorySink {
      override get(): Promise<string | undefined> {
        // Some HTTP clients reject with a bare string; the reason still reaches the report.
        return Promise.reject('socket hang up');
      }
    })();
    // Act
    const reads = await Promise.all(
      [empty, badPointer, missingFolder, deniedPointer, deniedReport, hungUp].map(readPreviousRun),
    );
    // Assess
    assert.deepEqual(reads, [
      { unavailable: 'no previous complete run: the sink has no latest.json' },
      {
        unavailable:
          'latest.json names no run (runId: Invalid input: expected string, received number; folder: Invalid input: expected string, received undefined)',
      },
      {
        unavailable:
          'previous run r1: runs/2026-11-28/r1/report.json does not exist (its folder is gone, or it wrote no report.json)',
      },
      { unavailable: 'latest.json could not be read (AccessDenied reading latest.json)' },
      {
        unavailable:
          'previous run r1: runs/2026-11-28/r1/report.json could not be read (AccessDenied reading runs/2026-11-28/r1/report.json)',
      },
      { unavailable: 'latest.json could not be read (socket hang up)' },
    ]);
  });

  it('reads the history with its version, and tells a corrupt file from a sink that cannot be read', async () => {
    // Prepare
    const absent = new MemorySink();
    const present = new MemorySink();
    await present.put(HISTORY_KEY, serialiseHistory([entry('r1', '2026-11-28')]));
    const corrupt = new MemorySink();
    await corrupt.put(HISTORY_KEY, '{}');
    const denied = new FailingSink(new Set(['getVersioned']));
    // Act
    const reads = await Promise.all([absent, present, corrupt, denied].map(readHistory));
    const past = await readPastRuns(corrupt);
    // Assess
    assert.deepEqual(reads, [
      { readable: true, entries: [], version: null, notice: null },
      { readable: true, entries: [entry('r1', '2026-11-28')], version: '1', notice: null },
      {
        readable: true,
        entries: [],
        version: '1',
        notice: 'history.json is not a list of runs; a new history starts with this run',
      },
      {
        readable: false,
        notice:
          'history.json could not be read (AccessDenied reading history.json); this run is not added to it',
      },
    ]);
    assert.deepEqual(
      { sink: past.sink === corrupt, previous: past.previous, notices: past.notices },
      {
        sink: true,
        previous: { unavailable: 'no previous complete run: the sink has no latest.json' },
        notices: ['history.json is not a list of runs; a new history starts with this run'],
      },
    );
  });
});

describe('engine: recording a run in history.json', () => {
  const run = entry('r2', '2026-11-29');

  it('appends to the history read before rendering, and to a fresh read in every other sink', async () => {
    // Prepare
    const first = new MemorySink();
    await first.put(HISTORY_KEY, serialiseHistory([entry('r1', '2026-11-28')]));
    const second = new MemorySink();
    await second.put(HISTORY_KEY, serialiseHistory([entry('s1', '2026-11-27')]));
    const past = await readPastRuns(first);
    // Act
    const failures = await recordRunInHistory([first, second], run, past);
    // Assess
    assert.deepEqual(
      {
        failures,
        first: first.objects.get(HISTORY_KEY),
        second: second.objects.get(HISTORY_KEY),
      },
      {
        failures: [],
        first: serialiseHistory([entry('r1', '2026-11-28'), run]),
        second: serialiseHistory([entry('s1', '2026-11-27'), run]),
      },
    );
  });

  it('replaces a corrupt history with one that starts at this run', async () => {
    // Prepare
    const sink = new MemorySink();
    await sink.put(HISTORY_KEY, 'not json');
    const past = await readPastRuns(sink);
    // Act
    const failures = await recordRunInHistory([sink], run, past);
    // Assess
    assert.deepEqual(
      { failures, history: sink.objects.get(HISTORY_KEY) },
      { failures: [], history: serialiseHistory([run]) },
    );
  });

  it('merges with a run that wrote the history first, and gives up after five lost races', async () => {
    // Prepare
    const once = new RacingSink(1);
    const always = new RacingSink(5);
    // Act
    const failures = [
      await recordRunInHistory([once], run, await readPastRuns(once)),
      await recordRunInHistory([always], run, await readPastRuns(always)),
    ];
    // Assess
    assert.deepEqual(
      { failures, once: once.objects.get(HISTORY_KEY) },
      {
        failures: [
          [],
          [
            {
              runId: 'r2',
              sink: 'memory://reports',
              key: HISTORY_KEY,
              reason: 'history.json changed under each of 5 conditional writes',
            },
          ],
        ],
        once: serialiseHistory([entry('other-0', '2026-11-28'), run]),
      },
    );
  });

  it('leaves a history it could not read alone, and reports a write that fails', async () => {
    // Prepare
    const unreadable = new FailingSink(new Set(['getVersioned']));
    await unreadable.put(HISTORY_KEY, serialiseHistory([entry('r1', '2026-11-28')]));
    const unwritable = new FailingSink(new Set(['putIfMatch']));
    const lostThenUnreadable = new (class extends RacingSink {
      override async getVersioned(key: string): Promise<VersionedObject | undefined> {
        if (this.writes.includes(HISTORY_KEY)) throw new Error('connection reset');
        return super.getVersioned(key);
      }
    })(1);
    // Act
    const failures = [
      await recordRunInHistory([unreadable], run, await readPastRuns(unreadable)),
      await recordRunInHistory([unwritable], run, {
        sink: new MemorySink(),
        history: await readHistory(unwritable),
      }),
      await recordRunInHistory([lostThenUnreadable], run, await readPastRuns(lostThenUnreadable)),
    ];
    // Assess
    const failure = (reason: string) => [{ runId: 'r2', sink: 'memory://reports', key: HISTORY_KEY, reason }];
    assert.deepEqual(failures, [
      failure(
        'history.json could not be read (AccessDenied reading history.json); this run is not added to it',
      ),
      failure('AccessDenied writing history.json'),
      failure('history.json could not be read (connection reset); this run is not added to it'),
    ]);
    assert.equal(unreadable.objects.get(HISTORY_KEY), serialiseHistory([entry('r1', '2026-11-28')]));
  });
});
