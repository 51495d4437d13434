/**
 * A client (and the SDK it loads) made on the first call of `get` only: every later call shares
 * it. `made` is what was made, for closing it, and undefined when `get` was never called or the
 * making failed (a client whose SDK did not load has nothing to close).
 */
export interface FirstUse<T> {
  get(): Promise<T>;
  made(): Promise<T | undefined>;
}

export function onFirstUse<T>(make: () => Promise<T>): FirstUse<T> {
  let making: Promise<T> | undefined;
  return {
    get: () => {
      making ??= make();
      return making;
    },
    made: async () => (making === undefined ? undefined : making.catch(() => undefined)),
  };
}
