import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a peer process gets to exit on SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a peer process: SIGTERM, then SIGKILL if it is still running after a grace period. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([
    exited(child).then(() => true),
    delay(STOP_GRACE_MS).then(() => false),
  ]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited(child);
  }
}
