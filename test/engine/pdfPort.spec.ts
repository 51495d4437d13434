import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { runScan } from '../../engine/pipeline.js';
import type { PdfPrinter, PostureSource, ReportRenderer } from '../../engine/ports.js';
import type { PdfResult } from '../../model/reportFormats.js';
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

const PDF_BYTES = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x80]);

/** A printer that records the HTML it is handed and answers `result`. */
function recordingPrinter(result: PdfResult): { readonly print: PdfPrinter; readonly printed: string[] } {
  const printed: string[] = [];
  return {
    printed,
    print: async (html) => {
      printed.push(html);
      return result;
    },
  };
}

/** A renderer that records the formats it is asked for. */
function recordingRenderer(): { readonly render: ReportRenderer; readonly calls: string[] } {
  const calls: string[] = [];
  const names = {
    html: 'report.html',
    md: 'report.md',
    json: 'report.json',
    csv: 'findings.csv',
    junit: 'junit.xml',
    ocsf: 'findings.ocsf.json',
  } as const;
  return {
    calls,
    render: (model, format) => {
      calls.push(format);
      return [{ name: names[format], contentType: 'text/plain', body: `${format} of ${model.run.id}` }];
    },
  };
}

function manifestOf(sink: MemorySink) {
  return JSON.parse(sink.objects.get('runs/2026-11-29/run-1/manifest.json') ?? '{}');
}

describe('engine: the PDF port', () => {
  it('prints the HTML it published, writes report.pdf as bytes, and lists it in the manifest with its size and hash', async () => {
    // Prepare
    const sink = new MemorySink();
    const printer = recordingPrinter({ kind: 'pdf', body: PDF_BYTES, blockedRequests: [] });
    const renderer = recordingRenderer();
    const deps = {
      ...pipelineDeps({ sources: [source], sink }),
      render: renderer.render,
      pdf: printer.print,
    };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['html', 'pdf', 'json'] });
    // Assess
    assert.deepEqual(renderer.calls, ['html', 'json'], 'the HTML is rendered once');
    assert.deepEqual(printer.printed, ['html of run-1']);
    assert.deepEqual(sink.binaries.get('runs/2026-11-29/run-1/report.pdf'), PDF_BYTES);
    assert.deepEqual(
      manifestOf(sink).files.find((file: { name: string }) => file.name === 'report.pdf'),
      {
        name: 'report.pdf',
        bytes: PDF_BYTES.byteLength,
        sha256: createHash('sha256').update(PDF_BYTES).digest('hex'),
      },
    );
    assert.deepEqual(manifestOf(sink).pdf, { state: 'written', blockedRequests: [] });
    assert.deepEqual(outcome.pdf, { state: 'written', blockedRequests: [] });
    assert.deepEqual(
      outcome.files.map((file) => file.name),
      ['report.html', 'report.json', 'report.pdf'],
    );
  });

  it('renders the HTML for the PDF without publishing it when only the PDF is asked for, and keeps the refused requests', async () => {
    // Prepare
    const sink = new MemorySink();
    const blocked = ['https://cdn.example.com/x.css'];
    const printer = recordingPrinter({ kind: 'pdf', body: PDF_BYTES, blockedRequests: blocked });
    const renderer = recordingRenderer();
    const deps = {
      ...pipelineDeps({ sources: [source], sink }),
      render: renderer.render,
      pdf: printer.print,
    };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['pdf'] });
    // Assess
    assert.deepEqual(renderer.calls, ['html']);
    assert.deepEqual(printer.printed, ['html of run-1']);
    assert.deepEqual(
      outcome.files.map((file) => file.name),
      ['report.pdf'],
    );
    assert.deepEqual(outcome.pdf, { state: 'written', blockedRequests: blocked });
  });

  for (const [label, result] of [
    ['skipped', { kind: 'skipped', reason: 'PDF skipped: no Chromium found' }],
    ['failed', { kind: 'failed', reason: 'PDF not rendered with /usr/bin/chromium: crashed' }],
  ] as const) {
    it(`publishes the other formats and records why when the printer answers ${label}`, async () => {
      // Prepare
      const sink = new MemorySink();
      const printer = recordingPrinter(result);
      const deps = { ...pipelineDeps({ sources: [source], sink }), pdf: printer.print };
      // Act
      const outcome = await runScan(deps, { trigger: 'cli', formats: ['pdf', 'md'] });
      // Assess
      const expected = { state: result.kind, reason: result.reason };
      assert.deepEqual(
        {
          files: outcome.files.map((file) => file.name),
          pdf: outcome.pdf,
          manifest: manifestOf(sink).pdf,
          latest: outcome.latest.map((pointer) => pointer.state),
          binaries: sink.binaries.size,
        },
        { files: ['report.md'], pdf: expected, manifest: expected, latest: ['moved'], binaries: 0 },
      );
    });
  }

  it('skips the PDF, with the reason, when the deployment wires no printer', async () => {
    const sink = new MemorySink();
    const outcome = await runScan(pipelineDeps({ sources: [source], sink }), {
      trigger: 'cli',
      formats: ['json', 'pdf'],
    });
    assert.deepEqual(outcome.pdf, { state: 'skipped', reason: 'PDF skipped: this deployment prints no PDF' });
    assert.deepEqual(
      outcome.files.map((file) => file.name),
      ['report.json'],
    );
  });

  it('records a printer that throws despite its contract as a failed PDF, and the run goes on', async () => {
    const sink = new MemorySink();
    const deps = {
      ...pipelineDeps({ sources: [source], sink }),
      pdf: async () => {
        throw new Error('browser vanished');
      },
    };
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['pdf'] });
    assert.deepEqual(outcome.pdf, { state: 'failed', reason: 'PDF not rendered: browser vanished' });
    assert.equal(sink.objects.has('latest.json'), true);
  });

  it('records a non-Error thrown by the printer in words', async () => {
    const deps = {
      ...pipelineDeps({ sources: [source], sink: new MemorySink() }),
      pdf: async () => Promise.reject('no display'),
    };
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['pdf'] });
    assert.deepEqual(outcome.pdf, { state: 'failed', reason: 'PDF not rendered: no display' });
  });

  it('says nothing of a PDF when none is asked for, and never calls the printer', async () => {
    const sink = new MemorySink();
    const printer = recordingPrinter({ kind: 'pdf', body: PDF_BYTES, blockedRequests: [] });
    const deps = { ...pipelineDeps({ sources: [source], sink }), pdf: printer.print };
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['html'] });
    assert.deepEqual(
      { pdf: 'pdf' in outcome, manifest: 'pdf' in manifestOf(sink), printed: printer.printed },
      { pdf: false, manifest: false, printed: [] },
    );
  });
});
