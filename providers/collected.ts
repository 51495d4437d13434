/**
 * The result of one API call family for one cluster: the response, or why there is none
 * (the call was not made, as in a snapshot; access denied; throttled out). Normalisers map a
 * missing input to `unknown` with this reason on every field it feeds.
 */
export type Collected<T> = { readonly ok: T } | { readonly missing: string };

export function collected<T>(value: T): Collected<T> {
  return { ok: value };
}

export function missing<T = never>(reason: string): Collected<T> {
  return { missing: reason };
}
