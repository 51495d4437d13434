import assert from 'node:assert/strict';
import { trustedImages } from '../../../checks/runtime/trustedImages.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const MODE = 'cluster.binaryAuthorization.evaluationMode';
const ENABLED = 'cluster.binaryAuthorization.enabled';
const POLICY = 'properties.addonProfiles.azurepolicy.enabled';

describe('RUN-02 Only trusted images are admitted', () => {
  const ctx = evalContext();

  it('is not applicable on EKS, with the reason applies gives', () => {
    const verdict = evaluateCheck(trustedImages, eksFromWire({}), ctx);
    assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    assert.deepEqual(trustedImages.providers.eks, { notApplicable: verdict.message });
  });

  describe('on GKE', () => {
    it('passes when Binary Authorization enforces the project policy (given as the number 2)', () => {
      // Prepare
      const cluster = gkeFromWire({ binaryAuthorization: { evaluationMode: 2 } });
      // Act
      const verdict = evaluateCheck(trustedImages, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: 2 }] });
      assert.equal(
        verdict.message,
        'Binary Authorization enforces the project policy at admission (PROJECT_SINGLETON_POLICY_ENFORCE); what the policy allows is not read.',
      );
    });

    it('passes when policy bindings come with the enforced project policy', () => {
      const mode = 'POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE';
      const verdict = evaluateCheck(
        trustedImages,
        gkeFromWire({ binaryAuthorization: { evaluationMode: mode } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: mode }] });
    });

    it('passes on an older cluster that only carries the deprecated enabled flag', () => {
      const verdict = evaluateCheck(
        trustedImages,
        gkeFromWire({ binaryAuthorization: { enabled: true } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: MODE, value: null },
          { path: ENABLED, value: true },
        ],
      });
    });

    it('fails when Binary Authorization is not configured', () => {
      const verdict = evaluateCheck(trustedImages, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: MODE, value: null },
          { path: ENABLED, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'Binary Authorization does not enforce a policy at admission (DISABLED).',
      );
    });

    it('fails on continuous validation alone, which only reports', () => {
      const cluster = gkeFromWire({ binaryAuthorization: { evaluationMode: 'POLICY_BINDINGS' } });
      assert.deepEqual(outcome(evaluateCheck(trustedImages, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: MODE, value: 'POLICY_BINDINGS' }],
      });
    });

    it('is unknown for a mode it does not know', () => {
      const cluster = gkeFromWire({ binaryAuthorization: { evaluationMode: 'SOMETHING_NEW' } });
      const verdict = evaluateCheck(trustedImages, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: MODE, value: 'SOMETHING_NEW' }],
      });
      assert.equal(verdict.message, 'Binary Authorization mode SOMETHING_NEW is not one kubeline knows.');
    });

    it('is unknown when the mode is a number outside the enum', () => {
      const cluster = gkeFromWire({ binaryAuthorization: { evaluationMode: 9 } });
      const verdict = evaluateCheck(trustedImages, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: MODE, value: 9 }] });
      assert.match(verdict.message, /^Binary Authorization mode could not be read: /);
    });
  });

  describe('on AKS', () => {
    it('passes with the Azure Policy add-on', () => {
      const cluster = aksFromWire({ addonProfiles: { azurepolicy: { enabled: true } } });
      assert.deepEqual(outcome(evaluateCheck(trustedImages, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: POLICY, value: true }],
      });
    });

    it('fails without the Azure Policy add-on, the ARM default', () => {
      const verdict = evaluateCheck(trustedImages, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: POLICY, value: null }] });
      assert.equal(
        verdict.message,
        'The Azure Policy add-on is off: no admission policy restricts the images pods run.',
      );
    });

    it('is unknown when the add-on switch is malformed', () => {
      const cluster = aksFromWire({ addonProfiles: { azurepolicy: { enabled: 'on' } } });
      assert.deepEqual(outcome(evaluateCheck(trustedImages, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: POLICY, value: 'on' }],
      });
    });
  });
});
