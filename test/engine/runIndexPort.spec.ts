import assert from 'node:assert/strict';
import { runScan } from '../../engine/pipeline.js';
import type { PostureSource } from '../../engine/ports.js';
import type { RenderRunIndex } from '../../engine/publish.js';
import { renderRunIndex } from '../../report/runIndex.js';
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

const renderIndex: RenderRunIndex = (entries, latest) => renderRunIndex(entries, latest);

/** A memory sink whose conditional write of `index.html` fails, as a bucket without that permission would. */
class IndexRefusingSink extends MemorySink {
  override async putIfMatch(
    key: string,
    body: string,
    contentType: string,
    expected: string | null,
  ): Promise<boolean> {
    if (key === 'index.html') throw new Error('AccessDenied');
    return super.putIfMatch(key, body, contentType, expected);
  }
}

describe('engine: the run index after a run', () => {
  it('writes index.html last, once history.json holds the run, listing the run and linking its report', async () => {
    // Prepare
    const sink = new MemorySink();
    const deps = { ...pipelineDeps({ sources: [source], sink }), renderIndex };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['html'] });
    // Assess
    const index = sink.objects.get('index.html') ?? '';
    assert.deepEqual(sink.writes.slice(-3), ['latest.json', 'history.json', 'index.html']);
    assert.deepEqual(outcome.indexFailures, []);
    assert.match(index, /run-1/);
    assert.match(index, /href="runs\/2026-11-29\/run-1\/report\.html"/);
  });

  it('lists both runs after a second run, newest first', async () => {
    const sink = new MemorySink();
    await runScan(
      { ...pipelineDeps({ sources: [source], sink }), renderIndex },
      { trigger: 'cli', formats: ['json'] },
    );
    await runScan(
      {
        ...pipelineDeps({ sources: [source], sink, runId: 'run-2', start: '2026-11-30T02:00:00Z' }),
        renderIndex,
      },
      { trigger: 'cli', formats: ['json'] },
    );
    const index = sink.objects.get('index.html') ?? '';
    assert.ok(index.indexOf('run-2') >= 0 && index.indexOf('run-2') < index.indexOf('run-1'), index);
  });

  it('returns a sink that refused index.html as a warning: the run is still published and latest.json moved', async () => {
    // Prepare
    const sink = new IndexRefusingSink();
    const deps = { ...pipelineDeps({ sources: [source], sink }), renderIndex };
    // Act
    const outcome = await runScan(deps, { trigger: 'cli', formats: ['json'] });
    // Assess
    assert.deepEqual(
      {
        indexFailures: outcome.indexFailures,
        publishFailures: outcome.publishFailures,
        latest: outcome.latest.map((pointer) => pointer.state),
      },
      {
        indexFailures: [
          { runId: 'run-1', sink: 'memory://reports', key: 'index.html', reason: 'AccessDenied' },
        ],
        publishFailures: [],
        latest: ['moved'],
      },
    );
  });

  it('writes no index without a renderer', async () => {
    const sink = new MemorySink();
    const outcome = await runScan(pipelineDeps({ sources: [source], sink }), {
      trigger: 'cli',
      formats: ['json'],
    });
    assert.deepEqual(
      { index: sink.objects.has('index.html'), failures: outcome.indexFailures },
      { index: false, failures: [] },
    );
  });
});
