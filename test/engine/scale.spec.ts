import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '../../checks/registry.js';
import { composeScan } from '../../cli/compose.js';
import { runScan } from '../../engine/pipeline.js';
import { writeGeneratedFleet } from '../fixtures/generatedFleet.js';

describe('engine: a large exported estate', function () {
  // Sized for the 5,000-cluster scan on a 2-core machine; the time is measured in bench/, not asserted here.
  this.timeout(120_000);

  it('scans 5,000 exported clusters across the three clouds into all five formats without error', async () => {
    // Prepare
    const work = await mkdtemp(join(tmpdir(), 'kubeline-scale-'));
    try {
      const fleet = await writeGeneratedFleet(join(work, 'fleet'), 5000);
      const deps = await composeScan(
        {},
        { from: [fleet], providers: [], out: join(work, 'out'), tool: { name: 'kubeline', version: 'test' } },
      );
      // Act
      const outcome = await runScan(
        { ...deps, clock: () => new Date('2026-11-29T02:00:00Z') },
        {
          trigger: 'cli',
          asOf: '2026-11-29',
          formats: ['html', 'md', 'json', 'csv', 'junit'],
        },
      );
      // Assess
      assert.deepEqual(
        { complete: outcome.complete, problems: outcome.problems, clusters: outcome.clusters.length },
        { complete: true, problems: [], clusters: 5000 },
      );
      assert.equal(outcome.findings.length, 5000 * CHECKS.length);
      assert.equal(outcome.findings.filter((finding) => finding.status === 'error').length, 0);
      const latest = JSON.parse(await readFile(join(work, 'out', 'latest.json'), 'utf8'));
      assert.equal(latest.runId, outcome.runId);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
