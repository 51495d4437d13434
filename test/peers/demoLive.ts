import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run.js';
import { startSandbox } from './sandbox.js';

/**
 * `npm run demo:live`: seeds the local AWS peer with the example fleet's EKS exports and scans it
 * with `kubeline scan --provider eks`, through the real SDK code path, into ./reports/live.
 * GKE and AKS exports are skipped until their peers join the sandbox.
 */
const folder = await mkdtemp(join(tmpdir(), 'kubeline-demo-live-'));
const sandbox = await startSandbox({
  seed: 'examples/fleet',
  writeConfig: join(folder, 'kubeline.sandbox.yaml'),
});
try {
  process.stderr.write(
    `kubeline demo:live: ${sandbox.seeded.length} EKS clusters seeded into the local AWS peer at ${sandbox.peer.endpoint}\n`,
  );
  for (const note of sandbox.skipped)
    process.stderr.write(`kubeline demo:live: not seeded: ${note.file}: ${note.reason}\n`);
  process.exitCode = await runCli(
    [
      'scan',
      '--provider',
      'eks',
      '--config',
      sandbox.configPath ?? '',
      '--out',
      './reports/live',
      '--fail-on',
      'none',
    ],
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: { ...process.env, ...sandbox.env },
      stderrIsTty: process.stderr.isTTY === true,
    },
  );
} finally {
  await sandbox.stop();
}
