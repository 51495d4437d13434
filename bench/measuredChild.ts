import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Loaded before the child's own code (`node --import`): as the process exits it writes its
 * resource usage to file descriptor 3, a pipe to the parent. Node tells a process its own peak
 * memory only, so each measured step runs in a process of its own and reports it this way,
 * whatever the step is (the built CLI included) and without changing it.
 */
const USAGE_PRELOAD =
  'data:text/javascript,import { writeSync } from "node:fs";' +
  'process.on("exit", () => writeSync(3, JSON.stringify(process.resourceUsage())));';

/** What a measured child did. */
export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** performance.now() of the parent when the child was spawned and when it exited. */
  readonly spawnedAt: number;
  readonly exitedAt: number;
  /** Peak resident memory of the child alone, in MiB; undefined if it died before reporting. */
  readonly peakRssMiB: number | undefined;
}

export interface ChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Extra options for node, before the preload (e.g. `--max-old-space-size=…`). */
  readonly nodeOptions?: readonly string[];
  /** Called once the child is spawned, with the parent's performance.now(). */
  readonly onSpawn?: (at: number) => void;
}

/** Runs `node [nodeOptions] --import <usage preload> ...args` and collects what it printed and its peak memory. */
export function runMeasuredChild(args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = spawn(
      process.execPath,
      [...(options.nodeOptions ?? []), '--import', USAGE_PRELOAD, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: options.env ?? process.env,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
    );
    options.onSpawn?.(spawnedAt);
    const output = { stdout: '', stderr: '', usage: '' };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output.stderr += chunk;
    });
    const usagePipe = child.stdio[3];
    if (usagePipe !== null && usagePipe !== undefined && 'setEncoding' in usagePipe) {
      usagePipe.setEncoding('utf8');
      usagePipe.on('data', (chunk: string) => {
        output.usage += chunk;
      });
    }
    child.once('error', reject);
    child.once('close', (code) => {
      const exitedAt = performance.now();
      let peakRssMiB: number | undefined;
      try {
        const usage = JSON.parse(output.usage) as { maxRSS?: unknown };
        if (typeof usage.maxRSS === 'number') peakRssMiB = Math.round(usage.maxRSS / 1024);
      } catch {
        // A child killed before its exit handler ran leaves no usage: its peak stays unknown.
      }
      resolve({ code, stdout: output.stdout, stderr: output.stderr, spawnedAt, exitedAt, peakRssMiB });
    });
  });
}

/** The last line of a child's stdout parsed as JSON: what the bench children print as their result. */
export function lastJsonLine<T>(run: ChildRun, what: string): T {
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || line === '') {
    throw new Error(`${what} exited ${run.code}: ${run.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  return JSON.parse(line) as T;
}
