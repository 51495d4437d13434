import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run.js';
import { startSandbox } from './sandbox.js';

/**
 * `npm run demo:live`: seeds the local AWS peer with the example fleet's EKS exports and the ARM
 * peer with its AKS exports (diagnostic settings included), the GKE gRPC peer with its GKE exports,
 * and scans all three with `kubeline scan --provider eks,gke,aks`, through the real SDK code paths,
 * into ./reports/live.
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
  process.stderr.write(
    `kubeline demo:live: ${sandbox.aksSeeded.length} AKS clusters seeded into the local ARM peer at ${sandbox.arm.endpoint}\n`,
  );
  process.stderr.write(
    `kubeline demo:live: ${sandbox.gkeSeeded.length} GKE clusters seeded into the local GKE peer at ${sandbox.gke.endpoint}\n`,
  );
  for (const note of sandbox.skipped)
    process.stderr.write(`kubeline demo:live: not seeded: ${note.file}: ${note.reason}\n`);
  process.exitCode = await runCli(
    [
      'scan',
      '--provider',
      'eks,gke,aks',
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
