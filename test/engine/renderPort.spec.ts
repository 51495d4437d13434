import assert from 'node:assert/strict';
import { runScan } from '../../engine/pipeline.js';
import type { Notifier, PostureSource, PublishedRun, ReportRenderer } from '../../engine/ports.js';
import type { FileBody, RenderedFormat, ReportFileName } from '../../model/reportFormats.js';
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

const FILE_NAMES: Readonly<Record<RenderedFormat, ReportFileName>> = {
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
    return [
      {
        name: FILE_NAMES[format],
        contentType: 'text/plain',
        body: `${format} of ${model.run.id}: ${model.summary.totals.total} findings`,
      },
    ];
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

  it("writes a format's files one at a time: each is written before the renderer makes the next", async () => {
    // Prepare
    const sink = new MemorySink();
    const events: string[] = [];
    const put = sink.put.bind(sink);
    sink.put = async (key: string, body: FileBody) => {
      events.push(`put ${key.split('/').slice(3).join('/')}`);
      return put(key, body);
    };
    const render: ReportRenderer = function* (_model, format) {
      for (const name of ['report.html', 'clusters/a.html', 'clusters/b.html'] as const) {
        events.push(`render ${name}`);
        yield { name, contentType: 'text/html', body: `${format} ${name}` };
      }
    };
    // Act
    const outcome = await runScan(
      { ...pipelineDeps({ sources: [source], sink }), render },
      {
        trigger: 'cli',
        formats: ['html'],
      },
    );
    // Assess
    assert.deepEqual(events.slice(0, 6), [
      'render report.html',
      'put report.html',
      'render clusters/a.html',
      'put clusters/a.html',
      'render clusters/b.html',
      'put clusters/b.html',
    ]);
    assert.deepEqual(
      outcome.files.map((file) => file.name),
      ['report.html', 'clusters/a.html', 'clusters/b.html'],
    );
  });

  it('renders only report.html, never the cluster pages after it, when a notifier asks for the HTML', async () => {
    // Prepare
    const rendered: string[] = [];
    const render: ReportRenderer = function* (_model, format) {
      if (format !== 'html') {
        yield { name: 'report.json', contentType: 'application/json', body: '{}' };
        return;
      }
      for (const name of ['report.html', 'clusters/a.html'] as const) {
        rendered.push(name);
        yield { name, contentType: 'text/html', body: `<p>${name}</p>` };
      }
    };
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
      render,
    };
    // Act
    await runScan(deps, { trigger: 'cli', formats: ['json'] });
    // Assess
    assert.deepEqual(seen, ['<p>report.html</p>']);
    assert.deepEqual(rendered, ['report.html']);
  });

  it('records a notifier failure when the HTML renderer produces no file', async () => {
    // Prepare
    const notifier: Notifier = {
      name: 'recorder',
      notify: async (run: PublishedRun) => {
        run.renderHtml();
        return { notifier: 'recorder', delivered: 1, failures: [] };
      },
    };
    const deps = {
      ...pipelineDeps({ sources: [source], sink: new MemorySink(), notifiers: [notifier] }),
      render: () => [],
    };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['json'] });
    // Assess
    assert.match(
      outcome.notifications[0]?.failures[0]?.reason ?? '',
      /the HTML renderer produced no report\.html/,
    );
  });

  it("publishes a large estate's cluster and matrix pages beside report.html and lists them in the manifest", async () => {
    // Prepare: the real renderer, the threshold below the fixture's one cluster.
    const sink = new MemorySink();
    const deps = { ...pipelineDeps({ sources: [source], sink }), clusterPagesAbove: 0 };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['html'] });
    // Assess
    const names = outcome.files.map((file) => file.name);
    assert.equal(names[0], 'report.html');
    assert.equal(names.length, 3);
    assert.match(names[1] ?? '', /^clusters\/[a-z0-9-]+\.html$/);
    assert.equal(names[2], 'matrix/1.html');
    const page = sink.objects.get(`runs/2026-11-29/run-1/${names[1]}`);
    assert.match(String(page), /← Back to the report/);
    const matrixPage = sink.objects.get('runs/2026-11-29/run-1/matrix/1.html');
    assert.match(String(matrixPage), new RegExp(`<a href="\\.\\./${names[1]}">`));
    const manifest = JSON.parse(String(sink.objects.get('runs/2026-11-29/run-1/manifest.json')));
    assert.deepEqual(
      manifest.files.map((file: { name: string }) => file.name),
      names,
    );
  });

  describe('the failure trend', () => {
    /** The model's trend chart, as a notifier sees it. */
    async function trendOf(sink: MemorySink): Promise<string> {
      let trend: string | null = null;
      const notifier: Notifier = {
        name: 'recorder',
        notify: async (run: PublishedRun) => {
          trend = run.model.charts.trend;
          return { notifier: 'recorder', delivered: 1, failures: [] };
        },
      };
      await runScan(pipelineDeps({ sources: [source], sink, notifiers: [notifier] }), {
        trigger: 'cli',
        formats: ['json'],
      });
      return trend ?? '';
    }

    it("ends with this run, after the runs of the sink's history", async () => {
      // Prepare: one earlier run in history.json.
      const sink = new MemorySink();
      const first = await runScan(pipelineDeps({ sources: [source], sink }), {
        trigger: 'cli',
        formats: ['json'],
      });
      assert.equal(first.historyFailures.length, 0);
      // Act
      const trend = await trendOf(sink);
      // Assess
      assert.match(trend, /2 runs/);
    });

    it('starts with this run when the history cannot be read', async () => {
      // Prepare
      const sink = new MemorySink();
      await runScan(pipelineDeps({ sources: [source], sink }), { trigger: 'cli', formats: ['json'] });
      const getVersioned = sink.getVersioned.bind(sink);
      sink.getVersioned = async (key: string) => {
        if (key === 'history.json') throw new Error('denied');
        return getVersioned(key);
      };
      // Act
      const trend = await trendOf(sink);
      // Assess
      assert.match(trend, /1 run\b/);
      assert.doesNotMatch(trend, /2 runs/);
    });
  });
});
