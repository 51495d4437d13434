import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeScan } from '../../cli/compose.js';
import { configSchema } from '../../config/schema.js';
import { runScan } from '../../engine/pipeline.js';
import type { ReportModel } from '../../model/reportView.js';
import { writeGeneratedFleet } from '../fixtures/generatedFleet.js';

const TOOL = { name: 'kubeline', version: 'test' } as const;

/**
 * The report model of a generated estate of `clusters` clusters, as the real pipeline builds it
 * from exported files: every check, the CIS benchmarks, version intelligence, a waiver, and a diff
 * against a previous run that evaluated fewer checks (so the diff has new findings to list). The
 * model is taken from the render port, where the pipeline hands it over.
 */
export async function estateModel(clusters: number): Promise<ReportModel> {
  const work = await mkdtemp(join(tmpdir(), 'kubeline-estate-'));
  try {
    const fleet = await writeGeneratedFleet(join(work, 'fleet'), clusters);
    const out = join(work, 'out');
    const waivers = [
      {
        check: 'EP-01',
        clusters: { name: 'eks-1*' },
        reason: 'VPN migration',
        owner: 'ops@acme.example',
        expires: '2027-01-15',
      },
    ];
    await scan(fleet, out, { checks: { disable: ['EP-01', 'AUD-01'] } }, '2026-11-28T02:00:00Z');
    return await scan(fleet, out, { waivers }, '2026-11-29T02:00:00Z');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function scan(fleet: string, out: string, config: unknown, startedAt: string): Promise<ReportModel> {
  const deps = await composeScan(configSchema.parse(config), {
    from: [fleet],
    providers: [],
    out,
    tool: TOOL,
  });
  let model: ReportModel | undefined;
  await runScan(
    {
      ...deps,
      clock: () => new Date(startedAt),
      newRunId: () => `run-${startedAt.slice(0, 10)}`,
      render: (built, format) => {
        model = built;
        return deps.render(built, format);
      },
    },
    { trigger: 'cli', asOf: startedAt.slice(0, 10), formats: ['json'], notify: false },
  );
  if (!model) throw new Error('the pipeline rendered no report');
  return model;
}
