import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composePipeline, readingStarted } from '../../cli/compose.js';
import { UsageError } from '../../cli/errors.js';
import type { PostureSource, SourceResult } from '../../engine/ports.js';

const EMPTY: SourceResult = { postures: [], scopes: [], problems: [] };
const TOOL = { name: 'kubeline', version: '0.0.0-test' };

/** A source that counts its collects and closes, answering with `answer`. */
function countingSource(answer: () => Promise<SourceResult>) {
  const counts = { collects: 0, closes: 0 };
  const source: PostureSource = {
    name: 'counting',
    collect: () => {
      counts.collects += 1;
      return answer();
    },
    async close() {
      counts.closes += 1;
    },
  };
  return { source, counts };
}

describe('cli: reading starts before the renderers load (readEarly)', () => {
  it('starts each source at once, and gives the pipeline that same reading, once', async () => {
    // Prepare
    const { source, counts } = countingSource(async () => EMPTY);
    // Act
    const [started] = readingStarted([source]);
    const afterWrap = counts.collects;
    const [first, second] = await Promise.all([started?.collect(), started?.collect()]);
    await started?.close?.();
    // Assess
    assert.deepEqual(
      {
        afterWrap,
        collects: counts.collects,
        closes: counts.closes,
        name: started?.name,
        same: first === second,
      },
      { afterWrap: 1, collects: 1, closes: 1, name: 'counting', same: true },
    );
  });

  it('keeps a failed reading for the pipeline to report, not as an unhandled rejection', async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const { source } = countingSource(async () => {
      throw new Error('ListClusters: AccessDenied');
    });
    try {
      // Act: the rejection settles before anyone awaits it.
      const [started] = readingStarted([source]);
      await new Promise((resolve) => setImmediate(resolve));
      const reason = await started?.collect().then(
        () => 'collected',
        (error: Error) => error.message,
      );
      // Assess
      assert.deepEqual({ reason, unhandled }, { reason: 'ListClusters: AccessDenied', unhandled: [] });
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('reads nothing when a sink is misconfigured', async () => {
    // Prepare
    const { source, counts } = countingSource(async () => EMPTY);
    // Act
    const error = await composePipeline({}, [source], {
      out: 'ftp://host/reports',
      tool: TOOL,
      env: {},
      readEarly: true,
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    // Assess
    assert.deepEqual(
      { usage: error instanceof UsageError, collects: counts.collects },
      { usage: true, collects: 0 },
    );
  });

  it('has reading under way when the pipeline is composed, and only with readEarly', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'kubeline-read-early-'));
    const early = countingSource(async () => EMPTY);
    const late = countingSource(async () => EMPTY);
    // Act
    const deps = await composePipeline({}, [early.source], { out, tool: TOOL, env: {}, readEarly: true });
    await composePipeline({}, [late.source], { out, tool: TOOL, env: {} });
    const result = await deps.sources[0]?.collect();
    // Assess
    assert.deepEqual(
      { early: early.counts.collects, late: late.counts.collects, result },
      { early: 1, late: 0, result: EMPTY },
    );
  });
});
