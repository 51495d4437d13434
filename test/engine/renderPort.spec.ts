import assert from 'node:assert/strict';
import { runScan } from '../../engine/pipeline.js';
import type { Notifier, PostureSource, PublishedRun, ReportRenderer } from '../../engine/ports.js';
import type { ReportFileName, ReportFormat } from '../../model/reportFormats.js';
import { MemorySink } from '../fixtures/memorySink.js';
import { pipelineDeps } from '../fixtures/pipelineDeps.js';
import { eksPosture } from '../fixtures/postures.js';

const source: PostureSource = {
  name: 'fixture',
  collect: async () => ({
    postures: [eksPosture({ id: 'a' })],
    scopes: [{ provider: 'snapshot', scope: 'fixture.json', status: 'ok', clusters: 1 }],
    problems: [],
  }),
};

const FILE_NAMES: Readonly<Record<ReportFormat, ReportFileName>> = {
  html: 'report.html',
  md: 'report.md',
  json: 'report.json',
  csv: 'findings.csv',
  junit: 'junit.xml',
  ocsf: 'findings.ocsf.json',
};

/** A renderer that records what it is asked for and writes the run id and the format it was given. */
function recordingRenderer(): { readonly render: ReportRenderer; readonly calls: string[] } {
  const calls: string[] = [];
  const render: ReportRenderer = (model, format) => {
    calls.push(format);
    return {
      name: FILE_NAMES[format],
      contentType: 'text/plain',
      body: `${format} of ${model.run.id}: ${model.summary.totals.total} findings`,
    };
  };
  return { render, calls };
}

describe('engine: the render port', () => {
  it('renders each distinct format once through the renderer it is handed, in the order asked, and publishes what it returns', async () => {
    // Prepare
    const sink = new MemorySink();
    const renderer = recordingRenderer();
    const deps = { ...pipelineDeps({ sources: [source], sink }), render: renderer.render };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['md', 'json', 'md'] });
    // Assess
    const findings = outcome.findings.length;
    assert.deepEqual(renderer.calls, ['md', 'json']);
    assert.deepEqual(
      outcome.files.map((file) => [file.name, sink.objects.get(file.key)]),
      [
        ['report.md', `md of run-1: ${findings} findings`],
        ['report.json', `json of run-1: ${findings} findings`],
      ],
    );
  });

  it('renders the HTML again through the same renderer when a notifier asks for it', async () => {
    // Prepare
    const renderer = recordingRenderer();
    const seen: string[] = [];
    const notifier: Notifier = {
      name: 'recorder',
      notify: async (run: PublishedRun) => {
        seen.push(run.renderHtml());
        return { notifier: 'recorder', delivered: 1, failures: [] };
      },
    };
    const deps = {
      ...pipelineDeps({ sources: [source], sink: new MemorySink(), notifiers: [notifier] }),
      render: renderer.render,
    };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['json'] });
    // Assess
    assert.deepEqual(renderer.calls, ['json', 'html']);
    assert.deepEqual(seen, [`html of run-1: ${outcome.findings.length} findings`]);
  });
});
