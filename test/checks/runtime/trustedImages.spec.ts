import assert from 'node:assert/strict';
import { trustedImages } from '../../../checks/runtime/trustedImages.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const MODE = 'cluster.binaryAuthorization.evaluationMode';
const POLICY = 'properties.addonProfiles.azurepolicy.enabled';

describe('RUN-02 Only trusted images are admitted', () => {
  const ctx = evalContext();

  it('is not applicable on EKS', () => {
    assert.deepEqual(outcome(trustedImages.evaluate(eksPosture(), ctx)), {
      status: 'not_applicable',
      evidence: [],
    });
  });

  describe('on GKE', () => {
    it('passes when Binary Authorization enforces the project policy (given as the number 2)', () => {
      // Prepare
      const cluster = gkePosture({
        gke: { binaryAuthorization: at(MODE, 'PROJECT_SINGLETON_POLICY_ENFORCE', 2) },
      });
      // Act
      const verdict = trustedImages.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: 2 }] });
    });

    it('fails when Binary Authorization is off', () => {
      const cluster = gkePosture({ gke: { binaryAuthorization: at(MODE, 'DISABLED', null) } });
      assert.deepEqual(outcome(trustedImages.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: MODE, value: null }],
      });
    });

    it('fails on continuous validation alone, which only reports', () => {
      const cluster = gkePosture({ gke: { binaryAuthorization: at(MODE, 'POLICY_BINDINGS') } });
      assert.equal(trustedImages.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown for a mode it does not know, and when the mode could not be read', () => {
      for (const binaryAuthorization of [at(MODE, 'SOMETHING_NEW'), unknown(`${MODE} is the number 9`)]) {
        const cluster = gkePosture({ gke: { binaryAuthorization } });
        assert.equal(trustedImages.evaluate(cluster, ctx).status, 'unknown');
      }
    });
  });

  describe('on AKS', () => {
    it('passes with the Azure Policy add-on', () => {
      assert.deepEqual(outcome(trustedImages.evaluate(aksPosture(), ctx)), {
        status: 'pass',
        evidence: [{ path: POLICY, value: true }],
      });
    });

    it('fails without the Azure Policy add-on', () => {
      const cluster = aksPosture({ aks: { azurePolicy: at(POLICY, false, null) } });
      assert.equal(trustedImages.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the add-on could not be read', () => {
      const cluster = aksPosture({ aks: { azurePolicy: unknown(`${POLICY} is a string`) } });
      assert.equal(trustedImages.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
