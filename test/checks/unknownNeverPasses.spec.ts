import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHECKS } from '../../checks/registry.js';
import { evaluateChecks } from '../../engine/evaluate.js';
import type { Status } from '../../model/finding.js';
import type { ClusterPosture } from '../../model/posture.js';
import { evalContext } from '../fixtures/context.js';
import { type FieldPath, observedPaths, propertyPostures, withUnknown } from './propertyPostures.js';

// The product's first rule, as a property over every check: data that could not be read never
// makes a verdict better. Replacing any posture field with `unknown` may turn a pass into
// unknown or a fail into unknown, but never produces a pass that was not a pass before.

function statuses(posture: ClusterPosture, asOf: string): Map<string, Status> {
  const findings = evaluateChecks([posture], CHECKS, evalContext({ asOf }));
  return new Map(findings.map((finding) => [finding.checkId, finding.status]));
}

/** Check ids whose status became `pass` although it was not `pass` with every field read. */
function newPasses(posture: ClusterPosture, paths: readonly FieldPath[], asOf: string): string[] {
  const before = statuses(posture, asOf);
  const after = statuses(withUnknown(posture, paths), asOf);
  return [...after]
    .filter(([checkId, status]) => status === 'pass' && before.get(checkId) !== 'pass')
    .map(([checkId]) => `${checkId}: ${before.get(checkId)} → pass`);
}

describe('property: a field that could not be read never turns a verdict into a pass', () => {
  let postures: ClusterPosture[] = [];

  before(async () => {
    postures = await propertyPostures();
    assert.ok(postures.length >= 20, `${postures.length} postures read from the fixtures`);
    for (const provider of ['eks', 'gke', 'aks']) {
      assert.ok(
        postures.some((posture) => posture.provider === provider),
        `the fixtures hold ${provider} clusters`,
      );
    }
  });

  it('holds for every single field of every fixture cluster', () => {
    const broken: string[] = [];
    for (const posture of postures) {
      for (const path of observedPaths(posture)) {
        for (const change of newPasses(posture, [path], '2026-11-29')) {
          broken.push(`${posture.id} with ${path.join('.')} unknown: ${change}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('holds for any set of fields, on any day', () => {
    // Indexes rather than objects, so a counterexample prints as a few numbers.
    const scenario = fc.record({
      cluster: fc.nat(),
      fields: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 6 }),
      asOf: fc
        .date({
          min: new Date('2023-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((day) => day.toISOString().slice(0, 10)),
    });
    fc.assert(
      fc.property(scenario, ({ cluster, fields, asOf }) => {
        const posture = postures[cluster % postures.length] as ClusterPosture;
        const candidates = observedPaths(posture);
        const paths = fields.map((field) => candidates[field % candidates.length] as FieldPath);
        const where = paths.map((path) => path.join('.')).join(', ');
        assert.deepEqual(
          newPasses(posture, paths, asOf),
          [],
          `${posture.id} as of ${asOf} with ${where} unknown`,
        );
      }),
      { numRuns: 400 },
    );
  });
});
