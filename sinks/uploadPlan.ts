import { bodyByteChunks, bodyBytes, isTextChunks } from '../model/fileBody.js';
import type { FileBody } from '../model/reportFormats.js';

/**
 * How an object store sink sends one body. `whole`: the bytes, at most the sink's single-request
 * limit, in one request (S3 PutObject, a GCS multipart insert, one Put Blob). `streamed`: larger,
 * so the store's own streaming upload takes it (S3 multipart, a GCS resumable upload, staged
 * blocks) from `pieces`, which encodes the body anew on every call: a report of hundreds of
 * megabytes is never whole in memory, and an upload that starts over can read it again.
 */
export type UploadPlan =
  | { readonly kind: 'whole'; readonly bytes: Buffer }
  | { readonly kind: 'streamed'; readonly pieces: () => Generator<Buffer, void, undefined> };

/**
 * Chooses how to send a body given the largest one the sink sends in one request. Text in pieces
 * has no length until it is rendered, so its pieces are read until they pass the limit: a small
 * body is then joined (it is at most the limit), and a large one is streamed from its start again,
 * which renders its first `wholeLimit` bytes twice rather than holding them.
 */
export function planUpload(body: FileBody, wholeLimit: number): UploadPlan {
  const streamed: UploadPlan = { kind: 'streamed', pieces: () => bodyByteChunks(body) };
  if (typeof body === 'string') {
    // Measured without encoding: a large string is encoded once, as it streams.
    return Buffer.byteLength(body, 'utf8') <= wholeLimit
      ? { kind: 'whole', bytes: bodyBytes(body) }
      : streamed;
  }
  if (!isTextChunks(body)) {
    return body.byteLength <= wholeLimit ? { kind: 'whole', bytes: bodyBytes(body) } : streamed;
  }
  const held: Buffer[] = [];
  let length = 0;
  // Piece by piece, so no more is rendered than it takes to pass the limit.
  for (const piece of bodyByteChunks(body, 0)) {
    length += piece.length;
    if (length > wholeLimit) return streamed;
    held.push(piece);
  }
  return { kind: 'whole', bytes: Buffer.concat(held, length) };
}
