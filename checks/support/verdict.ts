import type { SourceField, Unknown } from '../../model/observed.js';
import { isUnknown, type Observed, sourcesOf } from '../../model/observed.js';
import type { Verdict } from '../types.js';

/** The raw fields behind a set of observations, de-duplicated by path, in order. */
export function evidenceOf(...observed: readonly Observed<unknown>[]): SourceField[] {
  const seen = new Set<string>();
  const fields: SourceField[] = [];
  for (const item of observed) {
    for (const field of sourcesOf(item)) {
      if (seen.has(field.path)) continue;
      seen.add(field.path);
      fields.push(field);
    }
  }
  return fields;
}

export function pass(message: string, ...observed: readonly Observed<unknown>[]): Verdict {
  return { status: 'pass', message, evidence: evidenceOf(...observed) };
}

export function fail(message: string, ...observed: readonly Observed<unknown>[]): Verdict {
  return { status: 'fail', message, evidence: evidenceOf(...observed) };
}

export function notApplicable(message: string, ...observed: readonly Observed<unknown>[]): Verdict {
  return { status: 'not_applicable', message, evidence: evidenceOf(...observed) };
}

/** An `unknown` verdict that carries the normaliser's reason for the first unknown input. */
export function unknownVerdict(
  what: string,
  cause: Unknown,
  ...observed: readonly Observed<unknown>[]
): Verdict {
  return {
    status: 'unknown',
    message: `${what} could not be read: ${cause.unknown}`,
    evidence: evidenceOf(cause, ...observed),
  };
}

/** The first unknown among the inputs, if any: a check cannot decide when one of them is missing. */
export function firstUnknown(...observed: readonly Observed<unknown>[]): Unknown | undefined {
  return observed.find(isUnknown);
}

/** A pass filed under the provider's side: the provider enforces the control and the customer cannot change it. */
export function providerEnforced(message: string, ...observed: readonly Observed<unknown>[]): Verdict {
  return { status: 'pass', message, evidence: evidenceOf(...observed), responsibility: 'provider' };
}
