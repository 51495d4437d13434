import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LogLine } from '../../api/middleware.js';
import type { HistoryEntry } from '../../engine/history.js';
import { createHttpHandler, type HttpApiEvent, type HttpHandler } from '../../functions/http.js';
import { type StepFunctionsPeer, startStepFunctionsPeer } from './stepFunctionsPeer.js';

/** Every run starts at this instant: no test reads the wall clock. */
const RUN_STARTED = new Date('2027-03-15T10:20:30Z');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.never-logged.signature';
const CLAIMS = { sub: 'user-4711', iss: 'https://issuer.example', aud: 'kubeline' };

const STORED_RUN: HistoryEntry = {
  runId: '20200314T020000Z-aaaaaa',
  startedAt: '2020-03-14T02:00:00.000Z',
  folder: 'runs/2020-03-14/20200314T020000Z-aaaaaa',
  complete: true,
  clusters: 3,
  findings: { fail: 1, error: 0, unknown: 0, waived: 0, pass: 2, not_applicable: 0, total: 3 },
  failingBySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
  diff: null,
};

interface EventOptions {
  readonly body?: string;
  readonly base64?: boolean;
  /** Null leaves the authorizer's claims off, as on a route deployed without the authorizer. */
  readonly claims?: Readonly<Record<string, string>> | null;
}

/** An API Gateway HTTP API event, payload format 2.0, as the JWT authorizer passes it on. */
function httpEvent(method: string, path: string, options: EventOptions = {}): HttpApiEvent {
  const claims = options.claims === undefined ? CLAIMS : options.claims;
  const body = options.body ?? null;
  return {
    version: '2.0',
    routeKey: `${method} ${path.startsWith('/scans/') ? '/scans/{runId}' : '/scans'}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      host: 'api.example.com',
    },
    body: body !== null && options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authentication: null,
      authorizer: claims === null ? {} : { jwt: { claims: { ...claims }, scopes: null } },
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'curl/8.5.0' },
      requestId: 'request-1',
      routeKey: `${method} /scans`,
      stage: '$default',
      time: '15/Mar/2027:10:20:30 +0000',
      timeEpoch: RUN_STARTED.getTime(),
    },
  };
}

async function invoke(
  handler: HttpHandler,
  event: HttpApiEvent,
): Promise<{ status: number; body: unknown; location: string | undefined }> {
  const result = await handler(event);
  const location = 'headers' in result ? result.headers?.location : undefined;
  return {
    status: result.statusCode,
    body: JSON.parse(result.body),
    location: typeof location === 'string' ? location : undefined,
  };
}

describe('functions/http: the HTTP API on Lambda, over moto Step Functions', function () {
  this.timeout(60_000);
  let peer: StepFunctionsPeer;
  let sfn: SFNClient;
  let stateMachineArn: string;
  let out: string;
  let logs: LogLine[];
  let handler: HttpHandler;
  let runs: number;

  before(async () => {
    peer = await startStepFunctionsPeer();
    sfn = peer.sfn;
  });
  after(async () => {
    await peer?.stop();
  });

  beforeEach(async () => {
    stateMachineArn = await peer.freshStateMachine();
    out = await mkdtemp(join(tmpdir(), 'kubeline-http-fn-'));
    logs = [];
    runs = 0;
    handler = createHttpHandler({
      env: {
        KUBELINE_CONFIG: JSON.stringify({ output: { sinks: [out] } }),
        KUBELINE_STATE_MACHINE_ARN: stateMachineArn,
        AWS_ENDPOINT_URL: peer.endpoint,
      },
      log: (line) => logs.push(line),
      clock: () => RUN_STARTED,
      elapsed: () => 0,
      newRunId: () => {
        runs += 1;
        return `20270315T102030Z-run${runs}`;
      },
    });
  });

  async function inputOf(runId: string): Promise<unknown> {
    const execution = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`,
      }),
    );
    return { status: execution.status, input: JSON.parse(execution.input ?? 'null') };
  }

  it('POST /scans answers 202 and starts an execution named by the run id with the request as input', async () => {
    // Act
    const answer = await invoke(
      handler,
      httpEvent('POST', '/scans', { body: JSON.stringify({ providers: ['eks'], notify: false }) }),
    );

    // Assess
    assert.deepEqual(answer, {
      status: 202,
      body: { runId: '20270315T102030Z-run1', location: '/scans/20270315T102030Z-run1', fullScan: false },
      location: '/scans/20270315T102030Z-run1',
    });
    assert.deepEqual(await inputOf('20270315T102030Z-run1'), {
      status: 'RUNNING',
      input: {
        runId: '20270315T102030Z-run1',
        trigger: 'http',
        request: { providers: ['eks'], notify: false },
      },
    });
  });

  it('decodes a base64 body as API Gateway sends it', async () => {
    // Act
    const answer = await invoke(
      handler,
      httpEvent('POST', '/scans', { body: JSON.stringify({ clusters: ['prod-eu'] }), base64: true }),
    );

    // Assess
    assert.equal(answer.status, 202);
    assert.deepEqual(await inputOf('20270315T102030Z-run1'), {
      status: 'RUNNING',
      input: { runId: '20270315T102030Z-run1', trigger: 'http', request: { clusters: ['prod-eu'] } },
    });
  });

  it('answers 409 with the running run id to a second full scan, and still starts a narrowed one', async () => {
    // Prepare
    const first = await invoke(handler, httpEvent('POST', '/scans'));

    // Act
    const second = await invoke(handler, httpEvent('POST', '/scans', { body: '{}' }));
    const narrowed = await invoke(
      handler,
      httpEvent('POST', '/scans', { body: '{"scopes":["111122223333"]}' }),
    );

    // Assess
    assert.deepEqual(
      [first.status, second, narrowed.status],
      [
        202,
        {
          status: 409,
          body: { error: 'a full scan is already running', runId: '20270315T102030Z-run1' },
          location: undefined,
        },
        202,
      ],
    );
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    assert.deepEqual(running.executions?.map((execution) => execution.name).sort(), [
      '20270315T102030Z-run1',
      '20270315T102030Z-run2',
    ]);
  });

  it('starts a full scan again once the previous one has stopped', async () => {
    // Prepare
    await invoke(handler, httpEvent('POST', '/scans'));
    await sfn.send(
      new StopExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:20270315T102030Z-run1`,
      }),
    );

    // Act
    const answer = await invoke(handler, httpEvent('POST', '/scans'));

    // Assess
    assert.deepEqual(answer.body, {
      runId: '20270315T102030Z-run2',
      location: '/scans/20270315T102030Z-run2',
      fullScan: true,
    });
  });

  it('shows a run whose execution was stopped before it published as failed, with the reason', async () => {
    // Prepare
    await invoke(handler, httpEvent('POST', '/scans'));
    await sfn.send(
      new StopExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:20270315T102030Z-run1`,
      }),
    );

    // Act
    const answer = await invoke(handler, httpEvent('GET', '/scans/20270315T102030Z-run1'));

    // Assess
    const { startedAt, finishedAt } = answer.body as { startedAt: string; finishedAt: string };
    assert.deepEqual(answer, {
      status: 200,
      body: {
        runId: '20270315T102030Z-run1',
        status: 'failed',
        startedAt,
        finishedAt,
        counts: null,
        reports: [],
        error: 'the execution ended ABORTED',
      },
      location: undefined,
    });
    assert.ok(finishedAt >= startedAt);
  });

  it('treats a running execution whose input is not kubeline’s (the schedule’s) as a full scan', async () => {
    // Prepare: the EventBridge schedule starts the state machine with its own input.
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'nightly-1', input: '{"source":"aws.events"}' }),
    );

    // Act
    const answer = await invoke(handler, httpEvent('POST', '/scans'));

    // Assess
    assert.deepEqual(answer.body, { error: 'a full scan is already running', runId: 'nightly-1' });
  });

  for (const [label, event] of [
    ['a POST', httpEvent('POST', '/scans', { claims: null })],
    ['a GET', httpEvent('GET', '/scans', { claims: null })],
  ] as const) {
    it(`answers 401 to ${label} without JWT claims, and starts nothing`, async () => {
      // Act
      const answer = await invoke(handler, event);

      // Assess
      assert.deepEqual(answer, {
        status: 401,
        body: { error: 'the request carries no verified JWT claims' },
        location: undefined,
      });
      const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      assert.deepEqual(executions.executions, []);
    });
  }

  for (const [body, expected] of [
    ['{"providers":["openshift"]}', 'providers.0: Invalid option: expected one of "eks"|"gke"|"aks"'],
    ['{"clusters":[]}', 'clusters: must name at least one'],
    ['{"regions":["eu-west-1"]}', 'Unrecognized key: "regions"'],
    ['{"notify":"yes"}', 'notify: Invalid input: expected boolean, received string'],
    // The parser's own words follow, and they differ between Node versions.
    ['not json', /^the body is not JSON: \S/],
  ] as const) {
    it(`answers 400 saying what is wrong with ${body}, and starts nothing`, async () => {
      // Act
      const answer = await invoke(handler, httpEvent('POST', '/scans', { body }));

      // Assess
      const { error } = answer.body as { error: string };
      assert.deepEqual(answer, { status: 400, body: { error }, location: undefined });
      if (typeof expected === 'string') assert.equal(error, expected);
      else assert.match(error, expected);
      const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      assert.deepEqual(executions.executions, []);
    });
  }

  it('answers 404 to GET /scans/{runId} of a run neither the history nor Step Functions knows', async () => {
    // Act
    const unknownRun = await invoke(handler, httpEvent('GET', '/scans/20270101T000000Z-ffffff'));
    const notAName = await invoke(handler, httpEvent('GET', `/scans/${encodeURIComponent('a b:c')}`));

    // Assess
    assert.deepEqual(
      [unknownRun, notAName],
      [
        { status: 404, body: { error: 'no run 20270101T000000Z-ffffff' }, location: undefined },
        { status: 404, body: { error: 'no run a b:c' }, location: undefined },
      ],
    );
  });

  it('shows a started run as running before it publishes, and lists it with the stored runs', async () => {
    // Prepare
    await writeFile(join(out, 'history.json'), JSON.stringify([STORED_RUN]));
    await invoke(handler, httpEvent('POST', '/scans'));

    // Act
    const started = await invoke(handler, httpEvent('GET', '/scans/20270315T102030Z-run1'));
    const stored = await invoke(handler, httpEvent('GET', `/scans/${STORED_RUN.runId}`));
    const recent = await invoke(handler, httpEvent('GET', '/scans'));

    // Assess
    const running = {
      runId: '20270315T102030Z-run1',
      status: 'running',
      startedAt: (started.body as { startedAt: string }).startedAt,
      finishedAt: null,
      counts: null,
    };
    const storedSummary = {
      runId: STORED_RUN.runId,
      status: 'complete',
      startedAt: STORED_RUN.startedAt,
      finishedAt: null,
      counts: { clusters: 3, findings: STORED_RUN.findings, failingBySeverity: STORED_RUN.failingBySeverity },
    };
    assert.deepEqual(started, { status: 200, body: { ...running, reports: [] }, location: undefined });
    assert.deepEqual(stored, { status: 200, body: { ...storedSummary, reports: [] }, location: undefined });
    assert.deepEqual(recent, { status: 200, body: { runs: [running, storedSummary] }, location: undefined });
  });

  it('logs the caller’s sub with each request and never the token', async () => {
    // Act
    await invoke(handler, httpEvent('GET', '/scans'));

    // Assess
    assert.deepEqual(logs, [
      { event: 'caller', method: 'GET', path: '/scans', sub: 'user-4711' },
      { event: 'request', method: 'GET', path: '/scans', status: 200, ms: 0 },
    ]);
    assert.ok(!JSON.stringify(logs).includes('never-logged'));
  });

  it('answers 500 and logs one line when the function is not configured, and builds again next time', async () => {
    // Prepare
    const lines: LogLine[] = [];
    const misconfigured = createHttpHandler({ env: {}, log: (line) => lines.push(line) });

    // Act
    const first = await invoke(misconfigured, httpEvent('GET', '/scans'));
    const second = await invoke(misconfigured, httpEvent('GET', '/scans'));

    // Assess
    const failure = {
      event: 'error',
      phase: 'startup',
      error: 'KUBELINE_STATE_MACHINE_ARN is not set; it names the state machine a scan starts',
    };
    assert.deepEqual(
      [first, second],
      [
        { status: 500, body: { error: 'internal error' }, location: undefined },
        { status: 500, body: { error: 'internal error' }, location: undefined },
      ],
    );
    assert.deepEqual(lines, [failure, failure]);
  });
});
