import type { FileBody } from './reportFormats.js';

/**
 * A file's body as the bytes a sink stores: text as UTF-8, bytes (a PDF) as they are. A
 * Uint8Array is wrapped without a copy, so a large body is never held twice.
 */
export function bodyBytes(body: FileBody): Buffer {
  return typeof body === 'string'
    ? Buffer.from(body, 'utf8')
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** The size in bytes of a file's body as a sink stores it. */
export function bodyByteLength(body: FileBody): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}
