import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSink } from '../../sinks/file.js';
import { describeSinkConformance } from './conformance.js';

describeSinkConformance(
  'FileSink',
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'kubeline-sink-'));
    return {
      sink: new FileSink(root),
      readRaw: (key) => readFile(join(root, key)).catch(() => undefined),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  { links: false },
);

describe('sinks: FileSink', () => {
  it('writes nested keys, reads them back and leaves no temporary files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kubeline-sink-'));
    const sink = new FileSink(root);
    await sink.put('runs/2026-11-29/r1/report.json', '{"a":1}\n', 'application/json');
    assert.equal(await readFile(join(root, 'runs/2026-11-29/r1/report.json'), 'utf8'), '{"a":1}\n');
    assert.equal(await sink.get('runs/2026-11-29/r1/report.json'), '{"a":1}\n');
    assert.deepEqual(await readdir(join(root, 'runs/2026-11-29/r1')), ['report.json']);
    assert.equal(sink.locate('latest.json'), join(root, 'latest.json'));
  });

  it('returns undefined for a missing key', async () => {
    const sink = new FileSink(await mkdtemp(join(tmpdir(), 'kubeline-sink-')));
    assert.equal(await sink.get('latest.json'), undefined);
  });

  it('refuses keys that escape the folder', async () => {
    const sink = new FileSink(await mkdtemp(join(tmpdir(), 'kubeline-sink-')));
    await assert.rejects(sink.put('../outside.txt', 'x', 'text/plain'), { name: 'SinkError' });
    await assert.rejects(sink.put('/etc/passwd', 'x', 'text/plain'), { name: 'SinkError' });
  });

  it('lets exactly one of two concurrent conditional writes create the object', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'kubeline-sink-'));
    const sink = new FileSink(root);
    // Act
    const written = await Promise.all([
      sink.putIfMatch('latest.json', '{"run":1}', 'application/json', null),
      sink.putIfMatch('latest.json', '{"run":2}', 'application/json', null),
    ]);
    // Assess
    assert.deepEqual([...written].sort(), [false, true]);
    assert.deepEqual(await readdir(root), ['latest.json']);
  });

  it('does not take over a lock left behind, and names the file to remove', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'kubeline-sink-'));
    const sink = new FileSink(root);
    await writeFile(join(root, 'latest.json.lock'), '');
    // Act
    const attempt = sink.putIfMatch('latest.json', '{"run":1}', 'application/json', null);
    // Assess
    await assert.rejects(attempt, {
      name: 'SinkError',
      message: `${root}/latest.json: ${join(root, 'latest.json.lock')} has been locked for over 2 s: another kubeline is writing here, or one stopped mid-write; remove that file if no kubeline is running`,
    });
    assert.equal(await sink.get('latest.json'), undefined);
  });
});
