/** A sink could not store or read an object. */
export class SinkError extends Error {
  override readonly name = 'SinkError';
  constructor(
    message: string,
    readonly context: { readonly sink: string; readonly key: string },
    options?: { cause?: unknown },
  ) {
    super(`${context.sink}/${context.key}: ${message}`, options);
  }
}

/** A sink URI or option that cannot be used: the user must fix the configuration (exit 64). */
export class SinkConfigError extends Error {
  override readonly name = 'SinkConfigError';
}
