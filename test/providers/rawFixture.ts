import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NormaliseError } from '../../providers/errors.js';
import { isRawObject } from '../../providers/reader.js';

/** Folder of the wire-format fixtures: test/fixtures/raw/{eks,gke,aks}/. */
export const RAW_FIXTURES = fileURLToPath(new URL('../fixtures/raw/', import.meta.url));

/** The text of a raw fixture, exactly as stored. */
export function rawFixtureText(relative: string): string {
  return readFileSync(`${RAW_FIXTURES}${relative}`, 'utf8');
}

/** A raw fixture, parsed the way the snapshot loader parses files. */
export function rawFixture(relative: string): unknown {
  return JSON.parse(rawFixtureText(relative));
}

/** A raw fixture as a list (node groups, add-ons, diagnostic settings). */
export function rawFixtureList(relative: string): readonly unknown[] {
  const parsed = rawFixture(relative);
  if (!Array.isArray(parsed)) throw new Error(`fixture ${relative} is not a list`);
  return parsed;
}

/**
 * A deep copy of `document` with the field at a dotted path set to `value`, or removed when
 * `value` is undefined. Intermediate objects must exist: a typo fails the test instead of
 * silently testing something else.
 */
export function withField(document: unknown, path: string, value: unknown): unknown {
  const copy: unknown = structuredClone(document);
  const keys = path.split('.');
  const last = keys.pop();
  let container: unknown = copy;
  for (const key of keys) {
    const next: unknown = Array.isArray(container)
      ? container[Number(key)]
      : isRawObject(container)
        ? container[key]
        : undefined;
    if (typeof next !== 'object' || next === null)
      throw new Error(`fixture has no object at ${key} of ${path}`);
    container = next;
  }
  if (last === undefined || typeof container !== 'object' || container === null)
    throw new Error(`bad path ${path}`);
  if (value === undefined) Reflect.deleteProperty(container, last);
  else Reflect.set(container, last, value);
  return copy;
}

/** The NormaliseError `run` throws; fails the test when it throws nothing or something else. */
export function normaliseError(run: () => unknown): NormaliseError {
  try {
    run();
  } catch (error) {
    if (error instanceof NormaliseError) return error;
    throw error;
  }
  return assert.fail('expected a NormaliseError');
}
