import type { FileBody, RenderedBody, TextChunks } from './reportFormats.js';

/** Text in pieces from a function that renders them anew on each call. */
export function textChunks(chunks: () => Iterable<string>): TextChunks {
  return { kind: 'chunks', chunks };
}

/** Whether a body is text in pieces rather than one string or bytes. */
export function isTextChunks(body: FileBody): body is TextChunks {
  return typeof body === 'object' && !(body instanceof Uint8Array);
}

/**
 * A file's body as the bytes a sink stores: text as UTF-8, bytes (a PDF) as they are. A
 * Uint8Array is wrapped without a copy; text in pieces is joined, so only small files and tests
 * should ask for it whole.
 */
export function bodyBytes(body: FileBody): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (isTextChunks(body)) return Buffer.from(bodyText(body), 'utf8');
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** The whole text of a rendered body: for small files, the PDF's HTML and tests. */
export function bodyText(body: RenderedBody): string {
  return typeof body === 'string' ? body : [...body.chunks()].join('');
}

/**
 * The most bytes `bodyByteChunks` gathers into one chunk: each chunk costs a sink one write (a
 * system call through libuv's thread pool for a file), so 32K-character pieces written one by one
 * spent more time waiting than rendering. A megabyte lives outside V8's heap, briefly.
 */
export const BYTE_CHUNK_SIZE = 1 << 20;

/**
 * A body as a sequence of byte chunks, for a sink that streams: text pieces are encoded as they
 * come, gathered into chunks of at most `gather` bytes (a piece that alone could pass it is a
 * chunk of its own; 0: every piece), so a body in pieces is never whole in memory. With `reuse`,
 * every gathered chunk is a view of one buffer, valid only until the next is asked for: for a
 * consumer that is done with each chunk before it asks for the next (a file write), so a report
 * of hundreds of megabytes allocates one megabyte instead of hundreds left to the collector.
 */
export function* bodyByteChunks(
  body: FileBody,
  gather = BYTE_CHUNK_SIZE,
  reuse = false,
): Generator<Buffer, void, undefined> {
  if (!isTextChunks(body)) {
    yield bodyBytes(body);
    return;
  }
  let batch = Buffer.allocUnsafe(gather);
  let used = 0;
  for (const chunk of body.chunks()) {
    if (chunk.length === 0) continue;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a piece whose bound fits is written without measuring it.
    const bound = chunk.length * 3;
    if (used > 0 && used + bound > gather) {
      yield batch.subarray(0, used);
      if (!reuse) batch = Buffer.allocUnsafe(gather);
      used = 0;
    }
    if (bound > gather) yield Buffer.from(chunk, 'utf8');
    else used += batch.write(chunk, used, 'utf8');
  }
  if (used > 0) yield batch.subarray(0, used);
}

/** The size in bytes of a file's body as a sink stores it (text in pieces is rendered to count it). */
export function bodyByteLength(body: FileBody): number {
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (!isTextChunks(body)) return body.byteLength;
  let bytes = 0;
  for (const chunk of body.chunks()) bytes += Buffer.byteLength(chunk, 'utf8');
  return bytes;
}
