import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MAX_BODY_BYTES } from '../../api/app.js';
import type { LogLine } from '../../api/middleware.js';
import type { RunView } from '../../api/ports.js';
import { type Serving, startServe } from '../../api/serve.js';
import { composeScan } from '../../cli/compose.js';
import type { HistoryEntry } from '../../engine/history.js';
import type { PostureSource } from '../../engine/ports.js';

const TOKEN = 'serve-spec-token-4f1c9a';
/** Every run starts at this instant: no test reads the wall clock. */
const RUN_STARTED = new Date('2027-03-15T10:20:30Z');
const RUN_FOLDER = 'runs/2027-03-15';
/** A bounded wait for a background run; the fleet scans in well under a second. */
const RUN_WAIT_MS = 15_000;

interface Harness {
  readonly serving: Serving;
  readonly out: string;
  readonly logs: LogLine[];
  /** Lets gated scans read their input. */
  readonly release: () => void;
}

/** A source that waits for the test before it reads, so its scan is still running when the test needs it to be. */
function gated(source: PostureSource, gate: Promise<void>): PostureSource {
  return { name: source.name, collect: async () => gate.then(() => source.collect()) };
}

async function startHarness(options: { readonly gateScans: boolean }): Promise<Harness> {
  const out = await mkdtemp(join(tmpdir(), 'kubeline-serve-'));
  const logs: LogLine[] = [];
  let release = () => {};
  const gate = options.gateScans
    ? new Promise<void>((resolve) => {
        release = resolve;
      })
    : Promise.resolve();
  let runs = 0;
  const serving = await startServe({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    compose: async () => {
      const deps = await composeScan(
        {},
        {
          from: ['examples/fleet'],
          providers: [],
          out,
          tool: { name: 'kubeline', version: 'test' },
          env: {},
        },
      );
      return { ...deps, sources: deps.sources.map((source) => gated(source, gate)) };
    },
    formats: ['json', 'md'],
    clock: () => RUN_STARTED,
    elapsed: () => 0,
    log: (line) => logs.push(line),
    newRunId: () => {
      runs += 1;
      return `run-${runs}`;
    },
  });
  return { serving, out, logs, release };
}

function call(
  harness: Harness,
  method: string,
  path: string,
  options: { readonly body?: string; readonly token?: string | null } = {},
): Promise<Response> {
  const token = options.token === undefined ? TOKEN : options.token;
  return fetch(`${harness.serving.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

async function answer(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() };
}

/** Polls the run until it is no longer running, within a bounded wait. */
async function finishedRun(harness: Harness, runId: string): Promise<RunView> {
  const deadline = performance.now() + RUN_WAIT_MS;
  while (performance.now() < deadline) {
    const run = (await (await call(harness, 'GET', `/scans/${runId}`)).json()) as RunView;
    if (run.status !== 'running') return run;
    await delay(20);
  }
  throw new Error(`run ${runId} still running after ${RUN_WAIT_MS} ms`);
}

async function historyOf(harness: Harness): Promise<HistoryEntry[]> {
  return JSON.parse(await readFile(join(harness.out, 'history.json'), 'utf8')) as HistoryEntry[];
}

describe('api: kubeline serve over HTTP', () => {
  let harness: Harness;

  afterEach(async () => {
    harness.release();
    await harness.serving.stop();
  });

  describe('authentication, validation and routing', () => {
    beforeEach(async () => {
      harness = await startHarness({ gateScans: false });
    });

    for (const [label, token] of [
      ['without a token', null],
      ['with a wrong token', 'not-the-token'],
      ['with a token that only starts like the right one', `${TOKEN}x`],
      ['with an empty bearer token', ''],
    ] as const) {
      it(`answers 401 with WWW-Authenticate ${label}, and starts no run`, async () => {
        // Act
        const response = await call(harness, 'POST', '/scans', { body: '{}', token });

        // Assess
        assert.deepEqual(
          { ...(await answer(response)), challenge: response.headers.get('www-authenticate') },
          {
            status: 401,
            body: { error: 'a valid bearer token is required' },
            challenge: 'Bearer realm="kubeline"',
          },
        );
        assert.deepEqual(await answer(await call(harness, 'GET', '/scans')), {
          status: 200,
          body: { runs: [] },
        });
      });
    }

    it('answers 401 to a Basic authorization header carrying the token', async () => {
      const response = await fetch(`${harness.serving.url}/scans`, {
        headers: { authorization: `Basic ${Buffer.from(`kubeline:${TOKEN}`).toString('base64')}` },
      });
      assert.equal(response.status, 401);
    });

    for (const [label, body, error] of [
      ['a body that is not JSON', '{"providers": [', 'the body is not JSON'],
      ['an unknown provider', '{"providers":["ecs"]}', 'providers.0: Invalid option: expected one of'],
      ['an empty provider list', '{"providers":[]}', 'providers: must name at least one'],
      ['an empty cluster name', '{"clusters":[""]}', 'clusters.0: must not be empty'],
      ['scopes that are not a list', '{"scopes":"111111111111"}', 'scopes: Invalid input: expected array'],
      ['notify that is not a boolean', '{"notify":"yes"}', 'notify: Invalid input: expected boolean'],
      ['an unknown field', '{"cluster":["prod-payments"]}', 'Unrecognized key: "cluster"'],
      ['a JSON list', '[]', 'Invalid input: expected object, received array'],
    ] as const) {
      it(`answers 400 saying what is wrong with ${label}`, async () => {
        // Act
        const { status, body: answered } = await answer(await call(harness, 'POST', '/scans', { body }));

        // Assess
        const message = (answered as { error: string }).error;
        assert.deepEqual(
          { status, starts: message.startsWith(error) },
          { status: 400, starts: true },
          message,
        );
      });
    }

    it('names every problem of a body in one 400', async () => {
      const result = await answer(
        await call(harness, 'POST', '/scans', { body: '{"providers":["eks","ecs"],"notify":1}' }),
      );
      assert.deepEqual(result, {
        status: 400,
        body: {
          error:
            'providers.1: Invalid option: expected one of "eks"|"gke"|"aks"; notify: Invalid input: expected boolean, received number',
        },
      });
    });

    it('answers 413 to a body over 64 KiB, and judges one of exactly 64 KiB on its content', async () => {
      // Prepare: JSON padded with spaces, so only the size differs
      const over = `{"notify":false}${' '.repeat(MAX_BODY_BYTES)}`;
      const content = `{"clusters":["${'x'.repeat(300)}"]}`;
      const under = content.padEnd(MAX_BODY_BYTES, ' ');

      // Act
      const tooLarge = await answer(await call(harness, 'POST', '/scans', { body: over }));
      const small = await answer(await call(harness, 'POST', '/scans', { body: under }));

      // Assess
      assert.deepEqual(tooLarge, {
        status: 413,
        body: { error: `the body is larger than ${MAX_BODY_BYTES} bytes` },
      });
      assert.deepEqual(small, { status: 400, body: { error: 'clusters.0: must be at most 256 characters' } });
    });

    it('answers 404 to unknown routes and unknown runs, and 405 with Allow to wrong methods', async () => {
      const results = {
        unknownRoute: await answer(await call(harness, 'GET', '/nope')),
        unknownRun: await answer(await call(harness, 'GET', '/scans/run-404')),
        deleteScans: await call(harness, 'DELETE', '/scans'),
        putRun: await call(harness, 'PUT', '/scans/run-1', { body: '{}' }),
      };
      assert.deepEqual(
        {
          unknownRoute: results.unknownRoute,
          unknownRun: results.unknownRun,
          deleteScans: [results.deleteScans.status, results.deleteScans.headers.get('allow')],
          putRun: [results.putRun.status, results.putRun.headers.get('allow')],
        },
        {
          unknownRoute: { status: 404, body: { error: 'no route GET /nope' } },
          unknownRun: { status: 404, body: { error: 'no run run-404' } },
          deleteScans: [405, 'GET, POST'],
          putRun: [405, 'GET'],
        },
      );
    });

    it('logs one JSON line per request and never the token', async () => {
      await call(harness, 'GET', '/scans');
      await call(harness, 'GET', '/scans', { token: 'wrong' });
      assert.deepEqual(harness.logs, [
        { event: 'request', method: 'GET', path: '/scans', status: 200, ms: 0 },
        { event: 'request', method: 'GET', path: '/scans', status: 401, ms: 0 },
      ]);
      assert.equal(JSON.stringify(harness.logs).includes(TOKEN), false);
    });
  });

  describe('scans', () => {
    it('accepts a scan with 202, then shows the finished run with counts and report links', async () => {
      // Prepare
      harness = await startHarness({ gateScans: false });

      // Act
      const accepted = await call(harness, 'POST', '/scans', { body: '{"notify":false}' });
      const acceptedBody = await accepted.json();
      const run = await finishedRun(harness, 'run-1');
      const listed = await answer(await call(harness, 'GET', '/scans'));

      // Assess
      const [entry] = await historyOf(harness);
      assert.ok(entry);
      const folder = join(harness.out, RUN_FOLDER, 'run-1');
      assert.deepEqual(
        { status: accepted.status, location: accepted.headers.get('location'), body: acceptedBody },
        {
          status: 202,
          location: '/scans/run-1',
          body: { runId: 'run-1', location: '/scans/run-1', fullScan: true },
        },
      );
      const summary = {
        runId: 'run-1',
        status: entry.complete ? 'complete' : 'incomplete',
        startedAt: RUN_STARTED.toISOString(),
        finishedAt: RUN_STARTED.toISOString(),
        counts: { clusters: 15, findings: entry.findings, failingBySeverity: entry.failingBySeverity },
      };
      assert.deepEqual(run, {
        ...summary,
        reports: [
          { name: 'report.json', href: join(folder, 'report.json') },
          { name: 'report.md', href: join(folder, 'report.md') },
        ],
      });
      assert.deepEqual(listed, { status: 200, body: { runs: [summary] } });
      assert.deepEqual(
        harness.logs.filter((line) => line.event === 'run'),
        [
          { event: 'run', runId: 'run-1', status: 'running', fullScan: true },
          {
            event: 'run',
            runId: 'run-1',
            status: summary.status,
            clusters: 15,
            findings: entry.findings.total,
            location: folder,
          },
        ],
      );
    });

    it('reads back runs of an earlier process from the sink, newest first', async () => {
      // Prepare: one process scans, stops; a second serves the same sink
      harness = await startHarness({ gateScans: false });
      await call(harness, 'POST', '/scans', { body: '{"notify":false}' });
      await finishedRun(harness, 'run-1');
      await harness.serving.stop();
      const first = harness;
      const second = await startServe({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        compose: () =>
          composeScan(
            {},
            {
              from: ['examples/fleet/eks'],
              providers: [],
              out: first.out,
              tool: { name: 'kubeline', version: 'test' },
              env: {},
            },
          ),
        formats: ['json'],
        clock: () => new Date('2027-03-16T00:00:00Z'),
        elapsed: () => 0,
        log: () => {},
        newRunId: () => 'run-2',
      });
      harness = { ...first, serving: second };

      // Act
      await call(harness, 'POST', '/scans', { body: '{"notify":false}' });
      await finishedRun(harness, 'run-2');
      const earlier = (await (await call(harness, 'GET', '/scans/run-1')).json()) as RunView;
      const listed = (await (await call(harness, 'GET', '/scans')).json()) as { runs: RunView[] };

      // Assess
      const folder = join(first.out, RUN_FOLDER, 'run-1');
      assert.deepEqual(
        {
          reports: earlier.reports,
          finishedAt: earlier.finishedAt,
          order: listed.runs.map((run) => run.runId),
        },
        {
          reports: [
            { name: 'report.json', href: join(folder, 'report.json') },
            { name: 'report.md', href: join(folder, 'report.md') },
            { name: 'manifest.json', href: join(folder, 'manifest.json') },
          ],
          finishedAt: RUN_STARTED.toISOString(),
          order: ['run-2', 'run-1'],
        },
      );
    });

    it('answers 409 with the running run id to a second full scan, yet runs a narrowed one', async () => {
      // Prepare
      harness = await startHarness({ gateScans: true });
      const first = await answer(await call(harness, 'POST', '/scans', { body: '{"notify":false}' }));

      // Act
      const second = await answer(await call(harness, 'POST', '/scans', { body: '{}' }));
      const running = await answer(await call(harness, 'GET', '/scans/run-1'));
      const narrowed = await answer(
        await call(harness, 'POST', '/scans', {
          body: '{"providers":["eks"],"clusters":["prod-payments","legacy-billing"],"notify":false}',
        }),
      );
      harness.release();
      const narrowedRun = await finishedRun(harness, 'run-2');
      await finishedRun(harness, 'run-1');
      const afterwards = await answer(await call(harness, 'POST', '/scans', { body: '{"notify":false}' }));

      // Assess
      assert.deepEqual(
        {
          first,
          second,
          running,
          narrowed,
          narrowedClusters: narrowedRun.counts?.clusters,
          afterwards,
        },
        {
          first: { status: 202, body: { runId: 'run-1', location: '/scans/run-1', fullScan: true } },
          second: { status: 409, body: { error: 'a full scan is already running', runId: 'run-1' } },
          running: {
            status: 200,
            body: {
              runId: 'run-1',
              status: 'running',
              startedAt: RUN_STARTED.toISOString(),
              finishedAt: null,
              counts: null,
              reports: [],
            },
          },
          narrowed: { status: 202, body: { runId: 'run-2', location: '/scans/run-2', fullScan: false } },
          narrowedClusters: 2,
          afterwards: { status: 202, body: { runId: 'run-3', location: '/scans/run-3', fullScan: true } },
        },
      );
      await finishedRun(harness, 'run-3');
    });

    it('shows a run whose composition throws as failed, with the reason', async () => {
      // Prepare: the first composition (at start-up) succeeds, the run's own fails
      const out = await mkdtemp(join(tmpdir(), 'kubeline-serve-'));
      let compositions = 0;
      const serving = await startServe({
        host: '127.0.0.1',
        port: 0,
        token: TOKEN,
        compose: async () => {
          compositions += 1;
          if (compositions > 1) throw new Error('targets.gke needs projects');
          return composeScan(
            {},
            {
              from: ['examples/fleet/eks'],
              providers: [],
              out,
              tool: { name: 'kubeline', version: 'test' },
              env: {},
            },
          );
        },
        formats: ['json'],
        clock: () => RUN_STARTED,
        elapsed: () => 0,
        log: () => {},
        newRunId: () => 'run-failing',
      });
      harness = { serving, out, logs: [], release: () => {} };

      // Act
      await call(harness, 'POST', '/scans', { body: '{}' });
      const run = await finishedRun(harness, 'run-failing');

      // Assess
      assert.deepEqual(run, {
        runId: 'run-failing',
        status: 'failed',
        startedAt: RUN_STARTED.toISOString(),
        finishedAt: RUN_STARTED.toISOString(),
        counts: null,
        error: 'targets.gke needs projects',
        reports: [],
      });
    });
  });
});
