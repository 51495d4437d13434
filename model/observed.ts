import type { JsonValue } from './json.js';

/**
 * One raw API field that a value was read from: the evidence an auditor can check against the
 * provider's console or CLI. `value` is `null` when the field was absent from the response.
 */
export interface SourceField {
  /** Path in the provider's own response shape, e.g. `cluster.resourcesVpcConfig.endpointPublicAccess`. */
  readonly path: string;
  readonly value: JsonValue;
}

/** A value that was read, with the raw fields it was derived from. */
export interface Known<T> {
  readonly value: T;
  readonly from: readonly SourceField[];
}

/** A value that could not be read: access denied, API not collected, field missing or malformed. */
export interface Unknown {
  /** Why the value is unknown, in words an operator can act on. */
  readonly unknown: string;
  readonly from?: readonly SourceField[];
}

/** A posture field: a value, or `{ unknown: reason }`. Missing data is never `false`, `[]` or absent. */
export type Observed<T> = Known<T> | Unknown;

export function known<T>(value: T, ...from: SourceField[]): Known<T> {
  return { value, from };
}

export function unknown(reason: string, ...from: SourceField[]): Unknown {
  return from.length > 0 ? { unknown: reason, from } : { unknown: reason };
}

export function isUnknown<T>(observed: Observed<T>): observed is Unknown {
  return 'unknown' in observed;
}

/** The raw fields behind an observation, known or not. */
export function sourcesOf(observed: Observed<unknown>): readonly SourceField[] {
  return observed.from ?? [];
}
