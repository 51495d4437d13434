import assert from 'node:assert/strict';
import { evidenceOf, firstUnknown, unknownVerdict } from '../../../checks/support/verdict.js';
import { known, unknown } from '../../../model/observed.js';

const PUBLIC = { path: 'properties.apiServerAccessProfile.enablePrivateCluster', value: null };
const VNET = { path: 'properties.apiServerAccessProfile.enableVnetIntegration', value: true };
const RANGES = { path: 'properties.apiServerAccessProfile.authorizedIPRanges', value: 'x' };

describe('verdict helpers', () => {
  it('cites each raw field once, in the order the observations give them', () => {
    // Prepare: two observations read from the same field, as AKS public and private access are.
    const publicAccess = known(true, PUBLIC);
    const privateAccess = known(true, PUBLIC, VNET);
    // Act
    const evidence = evidenceOf(publicAccess, privateAccess, unknown('no source'));
    // Assess
    assert.deepEqual(evidence, [PUBLIC, VNET]);
  });

  it('names the first unknown input, and none when every input was read', () => {
    const cause = unknown('authorizedIPRanges is a string', RANGES);
    assert.deepEqual(
      [firstUnknown(known(true, PUBLIC), cause, unknown('later')), firstUnknown(known(true, PUBLIC))],
      [cause, undefined],
    );
  });

  it('makes an unknown verdict that gives the reason and cites the cause before the other inputs', () => {
    const cause = unknown('authorizedIPRanges is a string', RANGES);
    assert.deepEqual(unknownVerdict('Public endpoint allow-list', cause, known(true, PUBLIC), cause), {
      status: 'unknown',
      message: 'Public endpoint allow-list could not be read: authorizedIPRanges is a string',
      evidence: [RANGES, PUBLIC],
    });
  });
});
