import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHECKS } from '../../checks/registry.js';
import { ruleFor } from '../../checks/ruleFor.js';
import type { Check, Verdict } from '../../checks/types.js';
import { type ClusterPosture, PROVIDERS } from '../../model/posture.js';
import { evalContext } from '../fixtures/context.js';
import {
  type FieldPath,
  isObserved,
  observedPaths,
  propertyPostures,
  withUnknown,
} from './propertyPostures.js';

// Every check declares, per provider, the posture fields it reads. These properties hold the
// declarations to the code: (a) evaluating never touches an undeclared field, and every declared
// field is touched somewhere; (b) with every declared field unknown, no verdict passes or fails
// except on a fact of the provider (a pass filed on the provider's side).

const ctx = evalContext({ asOf: '2026-11-29' });

/**
 * A view of the posture that records the path of every observed field read through it, in the
 * notation of the declared reads (`endpoint.publicAccess`, `nodePools[].publicIps`).
 */
function recording<T>(node: T, path: string, reads: Set<string>): T {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    return new Proxy(node, {
      get(target, key, receiver) {
        const item: unknown = Reflect.get(target, key, receiver);
        return typeof key === 'string' && /^\d+$/.test(key) ? recording(item, `${path}[]`, reads) : item;
      },
    });
  }
  const observed = isObserved(node);
  return new Proxy(node, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      // An observed field's value lies at the field's own path; its sources are evidence, not posture.
      if (observed) return key === 'value' ? recording(child, path, reads) : child;
      const childPath = path === '' ? key : `${path}.${key}`;
      if (isObserved(child)) reads.add(childPath);
      return recording(child, childPath, reads);
    },
  });
}

/** A declared path and every path it lies inside, which reading it goes through. */
function withEnclosing(path: string): string[] {
  const paths = [path];
  for (let end = path.length - 1; end > 0; end -= 1) {
    if (path[end] === '.' || path.startsWith('[]', end)) paths.push(path.slice(0, end));
  }
  return paths;
}

/** The first observed field on a declared path, as a posture path: reading the path needs it. */
function firstObserved(posture: ClusterPosture, declared: string): FieldPath | undefined {
  let node: unknown = posture;
  const path: string[] = [];
  for (const segment of declared.split('.')) {
    const key = segment.replace('[]', '');
    node = node !== null && typeof node === 'object' ? Reflect.get(node, key) : undefined;
    path.push(key);
    if (isObserved(node)) return path;
  }
  return undefined;
}

/** The posture with every field the rule declares turned unknown. */
function declaredUnknown(posture: ClusterPosture, reads: readonly string[]): ClusterPosture {
  const paths = reads.flatMap((read) => {
    const path = firstObserved(posture, read);
    return path === undefined ? [] : [path];
  });
  return withUnknown(posture, paths);
}

interface Evaluation {
  readonly verdict: Verdict;
  readonly undeclared: readonly string[];
  readonly reads: ReadonlySet<string>;
}

/** Evaluates the check's rule for the posture's provider, recording what it reads; undefined where it does not apply. */
function evaluateRecorded(check: Check, posture: ClusterPosture): Evaluation | undefined {
  const reads = new Set<string>();
  const rule = ruleFor(check, recording(posture, '', reads));
  if ('notApplicable' in rule) return undefined;
  const verdict = rule.evaluate(ctx);
  const allowed = new Set(rule.reads.flatMap(withEnclosing));
  return { verdict, reads, undeclared: [...reads].filter((read) => !allowed.has(read)) };
}

describe('property: every check reads only the posture fields it declares', () => {
  let postures: ClusterPosture[] = [];

  before(async () => {
    postures = await propertyPostures();
    assert.ok(postures.length >= 25, `${postures.length} postures read from the fixtures`);
  });

  it('records reads through the view without changing any verdict', () => {
    for (const posture of postures) {
      for (const check of CHECKS) {
        const rule = ruleFor(check, posture);
        if ('notApplicable' in rule) continue;
        assert.deepEqual(
          evaluateRecorded(check, posture)?.verdict,
          rule.evaluate(ctx),
          `${check.id} ${posture.id}`,
        );
      }
    }
  });

  it('declares every field read, on every fixture cluster, as read and with its declared fields unknown', () => {
    const undeclared: string[] = [];
    for (const posture of postures) {
      for (const check of CHECKS) {
        const rule = ruleFor(check, posture);
        if ('notApplicable' in rule) continue;
        for (const variant of [posture, declaredUnknown(posture, rule.reads)]) {
          for (const read of evaluateRecorded(check, variant)?.undeclared ?? []) {
            undeclared.push(`${check.id} on ${posture.provider} reads ${read}`);
          }
        }
      }
    }
    assert.deepEqual([...new Set(undeclared)], []);
  });

  it('declares no field it never reads: each declared field is read on some fixture cluster', () => {
    const unread: string[] = [];
    for (const check of CHECKS) {
      for (const provider of PROVIDERS) {
        const entry = check.providers[provider];
        if ('notApplicable' in entry) continue;
        const seen = new Set<string>();
        for (const posture of postures.filter((candidate) => candidate.provider === provider)) {
          const variants = [posture, ...entry.reads.map((read) => declaredUnknown(posture, [read]))];
          for (const variant of variants) {
            for (const read of evaluateRecorded(check, variant)?.reads ?? []) seen.add(read);
          }
        }
        for (const read of entry.reads) {
          if (!seen.has(read)) unread.push(`${check.id} on ${provider} declares ${read}`);
        }
      }
    }
    assert.deepEqual(unread, []);
  });

  it('declares every field read with any set of fields unknown', () => {
    fc.assert(
      fc.property(
        fc.record({ cluster: fc.nat(), fields: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 6 }) }),
        ({ cluster, fields }) => {
          const posture = postures[cluster % postures.length] as ClusterPosture;
          const candidates = observedPaths(posture);
          const variant = withUnknown(
            posture,
            fields.map((field) => candidates[field % candidates.length] as FieldPath),
          );
          const undeclared = CHECKS.flatMap((check) =>
            (evaluateRecorded(check, variant)?.undeclared ?? []).map((read) => `${check.id} reads ${read}`),
          );
          assert.deepEqual(undeclared, [], posture.id);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: with every declared field unknown, no check passes or fails', () => {
  it('gives unknown (or not_applicable), or a pass only as a fact the provider enforces', async () => {
    const postures = await propertyPostures();
    const decided: string[] = [];
    for (const posture of postures) {
      for (const check of CHECKS) {
        const rule = ruleFor(check, posture);
        if ('notApplicable' in rule) continue;
        const { verdict } = evaluateRecorded(check, declaredUnknown(posture, rule.reads)) ?? {};
        const providerFact = verdict?.status === 'pass' && verdict.responsibility === 'provider';
        if ((verdict?.status === 'pass' || verdict?.status === 'fail') && !providerFact) {
          decided.push(`${check.id} on ${posture.provider}: ${verdict.status}`);
        }
      }
    }
    assert.deepEqual([...new Set(decided)], []);
  });
});
