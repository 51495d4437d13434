import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { terminate as stopChild } from '../childProcess.js';
import { probePython, pythonCandidates } from '../python.js';

/** The moto whose internals moto_peer.py patches. */
export const REQUIRED_MOTO_VERSION = '5.2.1';

/** Prints moto's version and the interpreter's real path (a pyenv shim resolves to the binary). */
const PROBE = 'import sys, moto, flask, flask_cors; print(moto.__version__); print(sys.executable)';
const READY_TIMEOUT_MS = 30_000;
const LOG_TAIL_CHARS = 8_000;
const MOTO_PEER_SCRIPT = fileURLToPath(new URL('./moto_peer.py', import.meta.url));
const FOUND_PYTHONS = new Map<string, Promise<string>>();

/**
 * The Python interpreter that can run moto_peer.py: `MOTO_PYTHON` when set (and only it), else
 * the first of python3 and python on PATH, pyenv versions (PYENV_ROOT, ~/.pyenv, /root/.pyenv) and
 * the system interpreters that imports moto 5.2.1 with its server dependencies. moto ships in the
 * image's pyenv Python, which a bare PATH (CI, `env -i`) does not reach.
 */
export function findMotoPython(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // Probing imports moto in each candidate (about 0.3 s): once per process and environment is enough.
  const key = JSON.stringify([env.MOTO_PYTHON, env.PATH, env.HOME, env.PYENV_ROOT]);
  let found = FOUND_PYTHONS.get(key);
  if (found === undefined) {
    found = probeCandidates(env);
    FOUND_PYTHONS.set(key, found);
    found.catch(() => FOUND_PYTHONS.delete(key));
  }
  return found;
}

async function probeCandidates(env: NodeJS.ProcessEnv): Promise<string> {
  const override = env.MOTO_PYTHON?.trim();
  const candidates = await pythonCandidates(override, env);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const result = await probePython(candidate, PROBE, env);
    if ('version' in result && result.version === REQUIRED_MOTO_VERSION) return result.executable;
    tried.push(
      `  ${candidate}: ${'version' in result ? `moto ${result.version}, not ${REQUIRED_MOTO_VERSION}` : result.reason}`,
    );
  }
  throw new Error(
    `No Python interpreter with moto ${REQUIRED_MOTO_VERSION}, flask and flask_cors was found` +
      `${override ? ' (MOTO_PYTHON is set, so only it was tried)' : ''}:\n${tried.join('\n')}\n` +
      "moto ships in the image's pyenv Python (/root/.pyenv/versions/3.11.7/bin/python3); " +
      'set MOTO_PYTHON to an interpreter that has it.',
  );
}

/** Asks the kernel for a free loopback port. moto binds it a moment later; a lost race is retried. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function resetOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/moto-api/reset', timeout: 2_000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

/** A running moto_peer.py. */
export interface MotoProcess {
  readonly port: number;
  readonly pid: number | undefined;
  /** The last lines moto wrote, for error messages. */
  logTail(): string;
  /** POST /moto-api/reset: every service, region and account back to empty. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

class StartFailure extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

async function launch(python: string, logFile: WriteStream | undefined): Promise<MotoProcess> {
  const port = await freePort();
  const child = spawn(python, [MOTO_PEER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_PEER_EXIT_ON_STDIN_EOF: '1', PYTHONUNBUFFERED: '1' },
  });
  // moto_peer.py exits when this pipe closes, so moto dies with us even when we are SIGKILLed.
  child.stdin?.on('error', () => undefined);
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
    logFile?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const terminate = async (): Promise<void> => {
    process.off('exit', killOnExit);
    child.stdin?.end();
    await stopChild(child);
  };

  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let delayMs = 10;
  while (!(await resetOnce(port))) {
    const gone = spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > deadline) {
      await terminate();
      const why = spawnError
        ? `could not start ${python}: ${spawnError.message}`
        : gone
          ? `moto exited (code ${child.exitCode ?? child.signalCode})`
          : `moto did not answer POST /moto-api/reset within ${READY_TIMEOUT_MS / 1000} s`;
      throw new StartFailure(
        `${why}; its output ends with:\n${tail}`,
        tail.includes('Address already in use'),
      );
    }
    // A poll interval, not a wait for readiness: the loop ends as soon as moto answers.
    await delay(delayMs);
    delayMs = Math.min(delayMs * 2, 100);
  }
  return {
    port,
    pid: child.pid,
    logTail: () => tail,
    async reset() {
      if (!(await resetOnce(port))) throw new Error(`moto did not reset; its output ends with:\n${tail}`);
    },
    async stop() {
      await terminate();
      await new Promise<void>((resolve) => (logFile ? logFile.end(resolve) : resolve()));
    },
  };
}

/** Starts moto_peer.py on a free loopback port and waits until it answers. */
export async function startMoto(python: string, logFilePath?: string): Promise<MotoProcess> {
  const logFile = logFilePath === undefined ? undefined : createWriteStream(logFilePath, { flags: 'a' });
  try {
    try {
      return await launch(python, logFile);
    } catch (error) {
      // Another process took the free port between our probe and moto's bind: once more.
      if (error instanceof StartFailure && error.portTaken) return await launch(python, logFile);
      throw error;
    }
  } catch (error) {
    logFile?.end();
    throw error;
  }
}
