import type { PostureOrigin } from '../model/posture.js';

/** Raw input that cannot be turned into a posture at all (no name, not an object). */
export class NormaliseError extends Error {
  override readonly name = 'NormaliseError';
  constructor(
    message: string,
    readonly context: { readonly provider: string; readonly source: string; readonly cluster?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `source` of a NormaliseError context: the file of a snapshot, or the API a live read came from. */
export function originSource(origin: PostureOrigin): string {
  return origin.kind === 'snapshot' ? origin.file : origin.api;
}
