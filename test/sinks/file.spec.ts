import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSink } from '../../sinks/file.js';

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
});
