import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Start-up of the built CLI (issue 14): `kubeline --help`, `kubeline checks`, and a live scan of
 * each cloud from process start to its first request, median of N fresh processes each, with the
 * peak RSS. A scan's "first request" is the first bytes to reach a loopback TCP server standing
 * for the cloud's endpoint (the STS call of EKS, the HTTP/2 preface of GKE's gRPC, the TLS
 * ClientHello of ARM); the server then drops the connection and the scan is stopped. The
 * handlers' cold import times are measured by `npm run bench:bundles`.
 *   npm run build && npm run bench:startup -- --runs 5
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    // Another build's entry point (say, of the previous commit) to compare against.
    cli: { type: 'string' },
  },
});
const RUNS = Number(values.runs);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = values.cli ?? join(ROOT, 'dist', 'cli', 'main.js');

/** Issue 14's targets. */
const TARGET_MS = { command: 300, firstRequest: 500 } as const;

/** A run that has printed nothing useful by then has hung. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Preloaded into every measured process: writes its peak RSS (KiB) and CPU time (µs, every
 * thread) where KUBELINE_BENCH_USAGE says, as it exits. A data: URL, so the measured process loads
 * no file of ours besides the CLI.
 */
const USAGE_RECORDER = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    "process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.KUBELINE_BENCH_USAGE, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); });",
)}`;

/**
 * One measurement. CPU time beside wall time, because on a shared machine the wall time also
 * counts the time spent waiting for a core.
 */
interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly peakRssKiB: number;
}

/** Clock ticks per second of /proc/PID/stat (USER_HZ), 100 on every common Linux. */
function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
const CLOCK_TICKS = clockTicksPerSecond();

/** The environment of a measured run: no cloud credentials, and a HOME of its own. */
function isolatedEnv(work: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: work, ...extra };
}

/** One `node ARGS` to exit: wall time from spawn, and peak RSS. */
async function timeProcess(args: readonly string[], work: string): Promise<Sample> {
  const usageFile = join(work, 'usage.json');
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', USAGE_RECORDER, ...args], {
      env: isolatedEnv(work, { KUBELINE_BENCH_USAGE: usageFile }),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve({ code: exitCode, stderr: errors }));
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  const [peakRssKiB, cpuMicros] = JSON.parse(await readFile(usageFile, 'utf8')) as [number, number];
  return { ms, cpuMs: cpuMicros / 1000, peakRssKiB };
}

/**
 * CPU time and peak RSS so far of a running process, from Linux's /proc (utime + stime of every
 * thread; VmHWM); NaN where there is no /proc.
 */
function usageNow(pid: number): { cpuMs: number; peakRssKiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(stat[11]) + Number(stat[12]);
    return {
      cpuMs: (ticks * 1000) / CLOCK_TICKS,
      peakRssKiB: Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN),
    };
  } catch {
    return { cpuMs: Number.NaN, peakRssKiB: Number.NaN };
  }
}

/** A loopback TCP server that reports when the first bytes of any connection arrive, then drops it. */
async function firstBytesServer(onFirstBytes: () => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      onFirstBytes();
      socket.destroy();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP port');
  return { server, port: address.port };
}

/** A live scan of one cloud, with its endpoint on `port`: the configuration and the environment. */
interface LiveTarget {
  readonly provider: 'eks' | 'gke' | 'aks';
  readonly config: (port: number) => string;
  readonly env: (port: number) => Record<string, string>;
}

const LIVE_TARGETS: readonly LiveTarget[] = [
  {
    provider: 'eks',
    config: () => 'targets:\n  eks:\n    regions: [us-east-1]\n    maxAttempts: 1\n',
    env: (port) => ({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_REGION: 'us-east-1' }),
  },
  {
    provider: 'gke',
    config: (port) =>
      `targets:\n  gke:\n    projects: [kubeline-bench]\n    apiEndpoint: 127.0.0.1:${port}\n    maxAttempts: 1\n`,
    env: () => ({}),
  },
  {
    provider: 'aks',
    config: (port) =>
      'targets:\n  aks:\n    subscriptions: ["00000000-0000-0000-0000-000000000001"]\n' +
      `    endpoint: https://127.0.0.1:${port}\n    maxAttempts: 1\n`,
    env: () => ({}),
  },
];

/** One live scan from spawn to its first request: the time, and the peak RSS by then. */
async function timeFirstRequest(target: LiveTarget, work: string): Promise<Sample> {
  let child: ReturnType<typeof spawn> | undefined;
  let arrived: ((sample: Sample) => void) | undefined;
  let started = 0;
  const first = new Promise<Sample>((resolve) => {
    arrived = resolve;
  });
  const { server, port } = await firstBytesServer(() => {
    const ms = performance.now() - started;
    const usage =
      child?.pid === undefined ? { cpuMs: Number.NaN, peakRssKiB: Number.NaN } : usageNow(child.pid);
    arrived?.({ ms, ...usage });
    arrived = undefined;
  });
  try {
    const config = join(work, `${target.provider}.config.yaml`);
    await writeFile(config, target.config(port));
    const args = ['scan', '--provider', target.provider, '--config', config, '--out', join(work, 'out')];
    started = performance.now();
    const spawned = spawn(process.execPath, [CLI, ...args, '--no-notify'], {
      env: isolatedEnv(work, target.env(port)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = spawned;
    let stderr = '';
    spawned.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<never>((_, reject) => {
      spawned.once('exit', (code) =>
        reject(
          new Error(`${target.provider} scan exited ${code} before any request: ${stderr.slice(-2000)}`),
        ),
      );
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${target.provider} scan made no request in ${RUN_TIMEOUT_MS} ms`)),
        RUN_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([first, exited, timedOut]);
    } finally {
      clearTimeout(timer);
      // Only the start is measured: what the scan does after its first request is not.
      exited.catch(() => undefined);
      spawned.kill();
      if (spawned.exitCode === null) await new Promise((resolve) => spawned.once('exit', resolve));
    }
  } finally {
    server.close();
  }
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Row {
  readonly what: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly targetMs?: number;
}

async function measure(
  what: string,
  targetMs: number | undefined,
  once: () => Promise<Sample>,
): Promise<Row> {
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run += 1) samples.push(await once());
  const times = samples.map((sample) => sample.ms);
  return {
    what,
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    cpuMs: Math.round(median(samples.map((sample) => sample.cpuMs))),
    peakRssMiB: Math.round(median(samples.map((sample) => sample.peakRssKiB)) / 1024),
    ...(targetMs === undefined ? {} : { targetMs }),
  };
}

function table(rows: readonly Row[]): string {
  const lines = rows.map(
    (row) =>
      `| ${row.what} | ${row.medianMs} ms | ${row.minMs}–${row.maxMs} ms | ${row.cpuMs} ms | ${row.peakRssMiB} MiB | ` +
      `${row.targetMs === undefined ? '' : `< ${row.targetMs} ms: ${row.medianMs < row.targetMs ? 'met' : 'missed'}`} |`,
  );
  return [
    `| what (median of ${RUNS}) | wall | range | CPU | peak RSS | target (wall) |`,
    '|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(`--runs must be a whole number ≥ 1, got ${values.runs}`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const work = await mkdtemp(join(tmpdir(), 'kubeline-bench-startup-'));
  try {
    const rows: Row[] = [];
    // Node itself, for scale: what no change to kubeline can take away.
    rows.push(await measure('node -e 0 (Node alone)', undefined, () => timeProcess(['-e', '0'], work)));
    rows.push(await measure('kubeline --help', TARGET_MS.command, () => timeProcess([CLI, '--help'], work)));
    rows.push(await measure('kubeline checks', TARGET_MS.command, () => timeProcess([CLI, 'checks'], work)));
    for (const target of LIVE_TARGETS) {
      rows.push(
        await measure(
          `kubeline scan --provider ${target.provider}: first request`,
          TARGET_MS.firstRequest,
          () => timeFirstRequest(target, work),
        ),
      );
    }
    // The load average says how far the wall times are from an idle machine's.
    const context = { cli: CLI, runs: RUNS, cores: availableParallelism(), node: process.version };
    process.stdout.write(`${JSON.stringify({ ...context, loadAverage: loadavg(), rows }, null, 2)}\n\n`);
    process.stdout.write(`${table(rows)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
