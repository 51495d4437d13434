import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ReportSink } from '../../engine/ports.js';
import { textChunks } from '../../model/fileBody.js';
import type { TextChunks } from '../../model/reportFormats.js';

/** A sink under test and how to put it away afterwards. */
export interface SinkUnderTest {
  readonly sink: ReportSink;
  /** Reads an object past the sink, straight from the store, to prove what really landed. */
  readonly readRaw?: (key: string) => Promise<Buffer | undefined>;
  readonly close?: () => Promise<void>;
}

/** Text that survives only a byte-exact store: multi-byte characters, a BOM-like start, CRLF, no final newline. */
const AWKWARD = '\uFEFF{"name":"prod-ü-集群-🚀","note":"line1\r\nline2\\u0000"}';

const MB = 1000 * 1000;
const BIG_BODY_TIMEOUT_MS = 60_000;
/** A rendered piece's usual size (report/chunked.ts). */
const PIECE_BYTES = 64 * 1024;

/**
 * Pieces of about `pieceBytes` bytes each that together make at least `totalBytes`: every piece
 * begins and ends with a multi-byte character (2, 3 and 4 bytes of UTF-8, a surrogate pair in
 * JavaScript), so a sink that cut or re-encoded the text where one piece meets the next would
 * store something else.
 */
export function awkwardPieces(totalBytes: number, pieceBytes: number = PIECE_BYTES): string[] {
  const unit = 'prod-ü-集群-🚀,"x"\r\n';
  const middle = unit.repeat(Math.max(1, Math.floor(pieceBytes / Buffer.byteLength(unit, 'utf8'))));
  const pieces: string[] = [];
  for (let bytes = 0, index = 0; bytes < totalBytes; index += 1) {
    const piece = `🚀${index}${middle}集ü`;
    pieces.push(piece);
    bytes += Buffer.byteLength(piece, 'utf8');
  }
  return pieces;
}

/** Text in the given pieces, handed out anew on every call as a renderer does. */
export function piecesBody(pieces: readonly string[]): TextChunks {
  return textChunks(() => pieces.values());
}

/** Text whose rendering fails after `afterBytes`: a renderer that throws mid-way. */
function failingBody(afterBytes: number): TextChunks {
  return textChunks(function* () {
    let bytes = 0;
    for (const piece of awkwardPieces(afterBytes)) {
      yield piece;
      bytes += Buffer.byteLength(piece, 'utf8');
    }
    throw new Error(`the renderer failed after ${bytes} bytes`);
  });
}

/** Asserts two byte strings are equal, naming their sizes and digests when not (a 12 MB diff helps nobody). */
function assertSameBytes(actual: Buffer | undefined, expected: Buffer, what: string): void {
  const digest = (bytes: Buffer | undefined) =>
    bytes === undefined
      ? 'absent'
      : `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;
  assert.ok(actual?.equals(expected), `${what}: stored ${digest(actual)}, expected ${digest(expected)}`);
}

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

    it("writes 12 MB of text in 64 KB pieces byte-exact: past every store's single-request size", async function () {
      // Moto takes seconds over a multipart upload of this size, more on a busy machine.
      this.timeout(BIG_BODY_TIMEOUT_MS);
      // Prepare
      const pieces = awkwardPieces(12 * MB);
      const expected = Buffer.from(pieces.join(''), 'utf8');
      // Act
      await subject.sink.put('runs/2026-11-29/r1/report.json', piecesBody(pieces), 'application/json');
      // Assess
      const stored = await subject.sink.get('runs/2026-11-29/r1/report.json');
      assertSameBytes(stored === undefined ? undefined : Buffer.from(stored, 'utf8'), expected, 'read back');
      if (subject.readRaw) {
        assertSameBytes(await subject.readRaw('runs/2026-11-29/r1/report.json'), expected, 'in the store');
      }
    });

    it('keeps multi-byte characters whole where one piece ends and the next begins', async () => {
      // Prepare: tiny pieces, each a single character or two, and pieces that are empty
      const pieces = ['ü', '集', '🚀', '', '\uFEFF', 'é\r', '\n', '群🚀', 'ü'];
      // Act
      await subject.sink.put('runs/2026-11-29/r1/findings.csv', piecesBody(pieces), 'text/csv');
      // Assess
      const expected = Buffer.from(pieces.join(''), 'utf8');
      assert.equal(expected.length, 25);
      const raw = await subject.readRaw?.('runs/2026-11-29/r1/findings.csv');
      if (raw) assertSameBytes(raw, expected, 'in the store');
      assert.equal(await subject.sink.get('runs/2026-11-29/r1/findings.csv'), pieces.join(''));
    });

    it('leaves no object under the key when the body fails part-way, whether small or streamed', async function () {
      this.timeout(BIG_BODY_TIMEOUT_MS);
      for (const [key, afterBytes] of [
        ['runs/2026-11-29/r1/junit.xml', 1000],
        ['runs/2026-11-29/r1/report.json', 9 * MB],
      ] as const) {
        // Act
        await assert.rejects(subject.sink.put(key, failingBody(afterBytes), 'application/xml'), {
          name: 'SinkError',
        });
        // Assess
        assert.equal(await subject.sink.get(key), undefined, key);
      }
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
