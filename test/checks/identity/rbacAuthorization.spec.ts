import assert from 'node:assert/strict';
import { rbacAuthorization } from '../../../checks/identity/rbacAuthorization.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const LEGACY_ABAC = 'cluster.legacyAbac.enabled';
const ENABLE_RBAC = 'properties.enableRBAC';

describe('RBAC-01 RBAC authorization is on and legacy ABAC is off', () => {
  const ctx = evalContext();

  it('passes on EKS as provider-enforced, with no field to cite', () => {
    // Act
    const verdict = evaluateCheck(rbacAuthorization, eksFromWire({}), ctx);
    // Assess
    assert.deepEqual(
      { ...outcome(verdict), responsibility: verdict.responsibility },
      { status: 'pass', evidence: [], responsibility: 'provider' },
    );
  });

  describe('on GKE', () => {
    it('passes when legacyAbac is absent, which proto3 JSON means off', () => {
      assert.deepEqual(outcome(evaluateCheck(rbacAuthorization, gkeFromWire({ legacyAbac: {} }), ctx)), {
        status: 'pass',
        evidence: [{ path: LEGACY_ABAC, value: null }],
      });
    });

    it('fails when legacy ABAC is on', () => {
      const verdict = evaluateCheck(rbacAuthorization, gkeFromWire({ legacyAbac: { enabled: true } }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: LEGACY_ABAC, value: true }] });
      assert.equal(verdict.message, 'Legacy ABAC is on: it grants permissions that RBAC cannot narrow.');
    });

    it('is unknown when the legacy ABAC flag is malformed', () => {
      const verdict = evaluateCheck(
        rbacAuthorization,
        gkeFromWire({ legacyAbac: { enabled: 'false' } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: LEGACY_ABAC, value: 'false' }],
      });
      assert.match(verdict.message, /^Legacy ABAC setting could not be read: /);
    });
  });

  describe('on AKS', () => {
    it('passes when Kubernetes RBAC is on', () => {
      assert.deepEqual(outcome(evaluateCheck(rbacAuthorization, aksFromWire({ enableRBAC: true }), ctx)), {
        status: 'pass',
        evidence: [{ path: ENABLE_RBAC, value: true }],
      });
    });

    it('fails when Kubernetes RBAC is off', () => {
      const verdict = evaluateCheck(rbacAuthorization, aksFromWire({ enableRBAC: false }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: ENABLE_RBAC, value: false }] });
      assert.equal(verdict.message, 'Kubernetes RBAC is off: every authenticated user has full access.');
    });

    it('is unknown when enableRBAC is absent from the managed cluster', () => {
      const verdict = evaluateCheck(rbacAuthorization, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: ENABLE_RBAC, value: null }],
      });
      assert.equal(
        verdict.message,
        'RBAC setting could not be read: properties.enableRBAC absent from the managed cluster',
      );
    });
  });
});
