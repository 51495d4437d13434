import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BYTE_CHUNK_SIZE, bodyByteChunks, textChunks } from '../../model/fileBody.js';

/** The chunks a body streams as, with their sizes. */
function streamed(pieces: readonly string[]): { bytes: Buffer; sizes: number[] } {
  const chunks = [...bodyByteChunks(textChunks(() => pieces))];
  return { bytes: Buffer.concat(chunks), sizes: chunks.map((chunk) => chunk.length) };
}

describe('model: a body streamed as byte chunks', () => {
  it('gathers small pieces into chunks of at most a megabyte, and the bytes are the UTF-8 of the whole text', () => {
    // Prepare: 100 pieces of 32K characters, some of them three bytes each.
    const pieces = Array.from({ length: 100 }, (_, index) => (index % 3 === 0 ? '€' : 'a').repeat(32 * 1024));
    // Act
    const { bytes, sizes } = streamed(pieces);
    // Assess
    assert.equal(bytes.equals(Buffer.from(pieces.join(''), 'utf8')), true);
    assert.equal(
      sizes.every((size) => size > 0 && size <= BYTE_CHUNK_SIZE),
      true,
    );
    // 100 pieces of 32K characters (a third of them 96K bytes) in far fewer writes than pieces.
    assert.ok(sizes.length <= 6, `${sizes.length} chunks`);
  });

  it('gives a piece that could pass a megabyte a chunk of its own, and nothing for empty pieces', () => {
    const big = 'é'.repeat(BYTE_CHUNK_SIZE / 2);
    assert.deepEqual(streamed(['ab', big, '', 'cd']).sizes, [2, BYTE_CHUNK_SIZE, 2]);
    assert.deepEqual(streamed(['', '']).sizes, []);
  });

  it('keeps every character whole across chunk boundaries (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.constant('😀'.repeat(120_000))), {
          maxLength: 12,
        }),
        (pieces) => {
          const { bytes, sizes } = streamed(pieces);
          assert.equal(bytes.toString('utf8'), pieces.join(''));
          assert.equal(
            sizes.every((size) => size > 0 && size <= BYTE_CHUNK_SIZE),
            true,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('hands out views of one buffer with reuse, each right when read before the next is asked for', () => {
    // Prepare
    const pieces = Array.from({ length: 80 }, (_, index) => `${index}:${'ü'.repeat(16 * 1024)}`);
    // Act: copied as a file write would have written it
    const chunks = bodyByteChunks(
      textChunks(() => pieces),
      BYTE_CHUNK_SIZE,
      true,
    );
    const copies: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    for (const chunk of chunks) {
      copies.push(Buffer.from(chunk));
      memory.add(chunk.buffer);
    }
    // Assess: one buffer behind every gathered chunk, and the bytes of the whole text
    assert.deepEqual(
      {
        text: Buffer.concat(copies).toString('utf8') === pieces.join(''),
        chunks: copies.length > 1,
        buffers: memory.size,
      },
      { text: true, chunks: true, buffers: 1 },
    );
  });
});
