/**
 * How much text a chunk of a body in pieces holds at least, in UTF-16 code units: large enough
 * that a sink writes few pieces (a finding's row is a few hundred characters), small enough that
 * no chunk grows with the estate.
 */
export const CHUNK_LENGTH = 32 * 1024;

/**
 * Joins small pieces of text into chunks of at least `length` code units (the last may be
 * shorter), in order. A chunk ends after the piece that filled it, so it stays under `length`
 * plus one piece.
 */
export function* inChunks(
  pieces: Iterable<string>,
  length: number = CHUNK_LENGTH,
): Generator<string, void, undefined> {
  let held: string[] = [];
  let heldLength = 0;
  for (const piece of pieces) {
    held.push(piece);
    heldLength += piece.length;
    if (heldLength >= length) {
      yield held.join('');
      held = [];
      heldLength = 0;
    }
  }
  if (heldLength > 0) yield held.join('');
}
