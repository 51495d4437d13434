import assert from 'node:assert/strict';
import type { ReportSink } from '../../engine/ports.js';

/** A sink under test and how to put it away afterwards. */
export interface SinkUnderTest {
  readonly sink: ReportSink;
  /** Reads an object past the sink, straight from the store, to prove what really landed. */
  readonly readRaw?: (key: string) => Promise<Buffer | undefined>;
  readonly close?: () => Promise<void>;
}

/** Text that survives only a byte-exact store: multi-byte characters, a BOM-like start, CRLF, no final newline. */
const AWKWARD = '\uFEFF{"name":"prod-ü-集群-🚀","note":"line1\r\nline2\\u0000"}';

/**
 * The behaviour every ReportSink owes the pipeline, run against a real store (a folder, or a cloud
 * SDK client talking to a local peer). Each sink's spec calls this with a fresh, empty sink.
 */
export function describeSinkConformance(
  name: string,
  open: () => Promise<SinkUnderTest>,
  options: { readonly links: boolean },
): void {
  describe(`${name}: the ReportSink contract`, () => {
    let subject: SinkUnderTest;

    beforeEach(async () => {
      subject = await open();
    });

    afterEach(async () => {
      await subject.close?.();
    });

    it('writes nested keys and reads them back byte-exact', async () => {
      // Act
      await subject.sink.put('runs/2026-11-29/r1/report.json', AWKWARD, 'application/json');
      // Assess
      assert.equal(await subject.sink.get('runs/2026-11-29/r1/report.json'), AWKWARD);
      const raw = await subject.readRaw?.('runs/2026-11-29/r1/report.json');
      if (raw) assert.deepEqual(raw, Buffer.from(AWKWARD, 'utf8'));
    });

    it('answers undefined for an object that does not exist', async () => {
      assert.equal(await subject.sink.get('latest.json'), undefined);
      assert.equal(await subject.sink.getVersioned('latest.json'), undefined);
    });

    it('creates an object only while it is absent, when asked with no version', async () => {
      assert.equal(await subject.sink.putIfMatch('latest.json', '{"run":1}', 'application/json', null), true);
      assert.equal(
        await subject.sink.putIfMatch('latest.json', '{"run":2}', 'application/json', null),
        false,
      );
      assert.equal(await subject.sink.get('latest.json'), '{"run":1}');
    });

    it('replaces an object only at the version read, so a concurrent writer cannot be overwritten', async () => {
      // Prepare
      await subject.sink.put('latest.json', '{"run":1}', 'application/json');
      const first = await subject.sink.getVersioned('latest.json');
      assert.equal(first?.body, '{"run":1}');
      // Act: another writer moves it on between our read and our write
      await subject.sink.put('latest.json', '{"run":2}', 'application/json');
      const stale = await subject.sink.putIfMatch(
        'latest.json',
        '{"run":3}',
        'application/json',
        first?.version ?? null,
      );
      const second = await subject.sink.getVersioned('latest.json');
      const fresh = await subject.sink.putIfMatch(
        'latest.json',
        '{"run":4}',
        'application/json',
        second?.version ?? null,
      );
      // Assess
      assert.deepEqual({ stale, fresh }, { stale: false, fresh: true });
      assert.equal(await subject.sink.get('latest.json'), '{"run":4}');
      assert.notEqual(second?.version, first?.version);
    });

    it('names each object in a location that includes its key', async () => {
      assert.ok(subject.sink.locate('runs/d/r/report.html').endsWith('runs/d/r/report.html'));
    });

    if (options.links) {
      it('gives links that fetch the object without credentials', async () => {
        // Prepare
        await subject.sink.put('runs/d/r/report.html', '<p>ok</p>', 'text/html');
        assert.ok(subject.sink.link, 'the sink makes links');
        // Act
        const response = await fetch(await subject.sink.link('runs/d/r/report.html', 3600));
        // Assess
        assert.deepEqual(
          { status: response.status, body: await response.text() },
          { status: 200, body: '<p>ok</p>' },
        );
      });
    } else {
      it('makes no links: readers open the location instead', () => {
        assert.equal(subject.sink.link, undefined);
      });
    }
  });
}
