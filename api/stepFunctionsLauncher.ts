import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { defaultRunId } from '../engine/pipeline.js';
import { isLoopbackEndpoint } from '../providers/endpoint.js';
import { type ExecutionInput, requestOfExecution } from './executionInput.js';
import {
  isFullScan,
  type LaunchResult,
  type RunCatalogue,
  type RunSummary,
  type RunView,
  type ScanLauncher,
  type ScanLaunchRequest,
} from './ports.js';

/** The environment variable that names the state machine a run starts. */
export const STATE_MACHINE_ARN_VARIABLE = 'KUBELINE_STATE_MACHINE_ARN';

/** Credentials kubeline presents to a local API peer: never real ones, whatever the environment holds. */
const LOCAL_PEER_CREDENTIALS = { accessKeyId: 'kubeline-local-peer', secretAccessKey: 'kubeline-local-peer' };

const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[\w-]{1,80}$/;
/** What Step Functions accepts as an execution name; a run id that is not one was never an execution. */
const EXECUTION_NAME = /^[\w-]{1,80}$/;

/** The state machine's ARN from `KUBELINE_STATE_MACHINE_ARN`; a clear error when it is missing or malformed. */
export function stateMachineArnFrom(env: Readonly<Record<string, string | undefined>>): string {
  const arn = env[STATE_MACHINE_ARN_VARIABLE]?.trim();
  if (!arn)
    throw new Error(`${STATE_MACHINE_ARN_VARIABLE} is not set; it names the state machine a scan starts`);
  if (!STATE_MACHINE_ARN.test(arn)) {
    throw new Error(`${STATE_MACHINE_ARN_VARIABLE} ${arn} is not a Step Functions state machine ARN`);
  }
  return arn;
}

/**
 * A Step Functions client in the state machine's region. `AWS_ENDPOINT_URL_SFN`, else
 * `AWS_ENDPOINT_URL`, points it elsewhere; a loopback endpoint is a local peer and gets fixed
 * dummy credentials. Otherwise the SDK's default chain (the function's role) signs.
 */
export function stepFunctionsClientFor(
  stateMachineArn: string,
  env: Readonly<Record<string, string | undefined>>,
): SFNClient {
  const region = STATE_MACHINE_ARN.exec(stateMachineArn)?.[1];
  const endpoint = env.AWS_ENDPOINT_URL_SFN?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;
  return new SFNClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(isLoopbackEndpoint(endpoint) ? { credentials: LOCAL_PEER_CREDENTIALS } : {}),
  });
}

/** `arn:…:stateMachine:NAME` → `arn:…:execution:NAME:RUN`. */
function executionArnOf(stateMachineArn: string, runId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;
}

export interface StepFunctionsLauncherOptions {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
  readonly clock: () => Date;
  readonly newRunId?: (startedAt: Date) => string;
  /** What starts the runs: the HTTP trigger, or the nightly schedule. @default 'http' */
  readonly trigger?: ExecutionInput['trigger'];
}

/** A running execution, as the launcher and the catalogue need it. */
interface RunningExecution {
  readonly runId: string;
  readonly startedAt: Date;
  /** Undefined when the input is not kubeline's; such a run is treated as a full scan. */
  readonly request: ScanLaunchRequest | undefined;
}

function runningSummary(execution: RunningExecution): RunSummary {
  return {
    runId: execution.runId,
    status: 'running',
    startedAt: execution.startedAt.toISOString(),
    finishedAt: null,
    counts: null,
  };
}

/**
 * Runs as Step Functions executions: `start` begins one (execution name = run id), and the
 * executions answer for runs the report history does not hold yet.
 *
 * The full-scan check (ListExecutions, then StartExecution) is two calls, so two requests that
 * arrive in the same instant on two containers can both start a full scan: Step Functions has no
 * conditional start. Undoing the later one would need StopExecution, a write the function's role
 * is not meant to have.
 */
export class StepFunctionsLauncher implements ScanLauncher {
  readonly #options: StepFunctionsLauncherOptions;

  constructor(options: StepFunctionsLauncherOptions) {
    this.#options = options;
  }

  async start(request: ScanLaunchRequest): Promise<LaunchResult> {
    if (isFullScan(request)) {
      const runningFull = (await this.running()).find(
        (execution) => execution.request === undefined || isFullScan(execution.request),
      );
      if (runningFull) return { state: 'busy', runningRunId: runningFull.runId };
    }
    const runId = (this.#options.newRunId ?? defaultRunId)(this.#options.clock());
    const input: ExecutionInput = {
      runId,
      trigger: this.#options.trigger ?? 'http',
      ...(isFullScan(request) && request.notify === undefined ? {} : { request }),
    };
    try {
      await this.#options.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#options.stateMachineArn,
          name: runId,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      throw new Error(
        `run ${runId}: cannot start an execution of ${this.#options.stateMachineArn}: ${describe(error)}`,
        { cause: error },
      );
    }
    return { state: 'started', runId };
  }

  /** The executions running now, oldest first, with the request each carries. */
  async running(): Promise<readonly RunningExecution[]> {
    const names: { readonly runId: string; readonly startedAt: Date }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#listRunning(nextToken);
      for (const execution of page.executions ?? []) {
        if (execution.name && execution.startDate) {
          names.push({ runId: execution.name, startedAt: execution.startDate });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
    // ListExecutions leaves the input out; a handful of running executions is a handful of calls.
    const described = await Promise.all(
      names.map(async (name) => ({
        ...name,
        request: requestOfExecution((await this.#describe(name.runId))?.input),
      })),
    );
    return described.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  /** A run the history does not hold: running, or an execution that ended without publishing. */
  async view(runId: string): Promise<RunView | undefined> {
    const execution = await this.#describe(runId);
    if (!execution?.status || !execution.startDate) return undefined;
    const base = { runId, startedAt: execution.startDate.toISOString(), counts: null, reports: [] };
    if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') {
      return { ...base, status: 'running', finishedAt: null };
    }
    const finishedAt = execution.stopDate?.toISOString() ?? null;
    // Only the error name: the cause may quote internal paths or payloads.
    const why =
      execution.status === 'SUCCEEDED'
        ? 'the execution succeeded but its run is not in the report history'
        : `the execution ended ${execution.status}${execution.error ? ` (${execution.error})` : ''}`;
    return { ...base, status: 'failed', finishedAt, error: why };
  }

  async #listRunning(nextToken: string | undefined) {
    try {
      return await this.#options.client.send(
        new ListExecutionsCommand({
          stateMachineArn: this.#options.stateMachineArn,
          statusFilter: 'RUNNING',
          ...(nextToken ? { nextToken } : {}),
        }),
      );
    } catch (error) {
      throw new Error(
        `cannot list the running executions of ${this.#options.stateMachineArn}: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  async #describe(runId: string): Promise<DescribeExecutionCommandOutput | undefined> {
    if (!EXECUTION_NAME.test(runId)) return undefined;
    const executionArn = executionArnOf(this.#options.stateMachineArn, runId);
    try {
      return await this.#options.client.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw new Error(`run ${runId}: cannot describe execution ${executionArn}: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  // Code-unit order, not localeCompare: ISO timestamps and run ids sort the same on every machine.
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}

/**
 * The runs behind API Gateway: the report history first (finished runs, with links), then the
 * executions, so a run is readable from the moment `POST /scans` answers until it publishes.
 */
export class ExecutionAwareCatalogue implements RunCatalogue {
  readonly #stored: RunCatalogue;
  readonly #scans: StepFunctionsLauncher;

  constructor(stored: RunCatalogue, scans: StepFunctionsLauncher) {
    this.#stored = stored;
    this.#scans = scans;
  }

  async get(runId: string): Promise<RunView | undefined> {
    return (await this.#stored.get(runId)) ?? this.#scans.view(runId);
  }

  async recent(limit: number): Promise<readonly RunSummary[]> {
    const [stored, running] = await Promise.all([this.#stored.recent(limit), this.#scans.running()]);
    const known = new Set(stored.map((run) => run.runId));
    const inProgress = running.filter((execution) => !known.has(execution.runId)).map(runningSummary);
    return [...inProgress, ...stored].sort(newestFirst).slice(0, limit);
  }
}
