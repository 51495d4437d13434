import assert from 'node:assert/strict';
import { rbacAuthorization } from '../../../checks/identity/rbacAuthorization.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const LEGACY_ABAC = 'cluster.legacyAbac.enabled';
const ENABLE_RBAC = 'properties.enableRBAC';

describe('RBAC-01 RBAC authorization is on and legacy ABAC is off', () => {
  const ctx = evalContext();

  it('passes on EKS as provider-enforced, whatever the posture says', () => {
    // Prepare
    const cluster = eksPosture({
      authorization: { rbac: unknown('not exposed by EKS'), legacyAbac: unknown('n/a') },
    });
    // Act
    const verdict = rbacAuthorization.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(
      { ...outcome(verdict), responsibility: verdict.responsibility },
      { status: 'pass', evidence: [], responsibility: 'provider' },
    );
  });

  it('passes on GKE when legacy ABAC is off', () => {
    const cluster = gkePosture({ authorization: { legacyAbac: at(LEGACY_ABAC, false, null) } });
    assert.deepEqual(outcome(rbacAuthorization.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: LEGACY_ABAC, value: null }],
    });
  });

  it('fails on GKE when legacy ABAC is on', () => {
    const cluster = gkePosture({ authorization: { legacyAbac: at(LEGACY_ABAC, true) } });
    assert.deepEqual(outcome(rbacAuthorization.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: LEGACY_ABAC, value: true }],
    });
  });

  it('is unknown on GKE when the legacy ABAC setting could not be read', () => {
    const cluster = gkePosture({ authorization: { legacyAbac: unknown('legacyAbac malformed') } });
    assert.equal(rbacAuthorization.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS when Kubernetes RBAC is on', () => {
    const cluster = aksPosture({ authorization: { rbac: at(ENABLE_RBAC, true) } });
    assert.deepEqual(outcome(rbacAuthorization.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: ENABLE_RBAC, value: true }],
    });
  });

  it('fails on AKS when Kubernetes RBAC is off', () => {
    const cluster = aksPosture({ authorization: { rbac: at(ENABLE_RBAC, false) } });
    assert.equal(rbacAuthorization.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when enableRBAC could not be read', () => {
    const cluster = aksPosture({ authorization: { rbac: unknown('field absent') } });
    assert.equal(rbacAuthorization.evaluate(cluster, ctx).status, 'unknown');
  });
});
