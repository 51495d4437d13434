import assert from 'node:assert/strict';
import { eksAccessEntries } from '../../../checks/identity/eksAccessEntries.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const AUTH_MODE = 'cluster.accessConfig.authenticationMode';

function eksIn(authenticationMode: unknown) {
  return eksFromWire({
    accessConfig: { authenticationMode, bootstrapClusterCreatorAdminPermissions: false },
  });
}

describe('AUTH-03 Access is managed with EKS access entries, not only the aws-auth ConfigMap', () => {
  const ctx = evalContext();

  it('passes with authentication mode API', () => {
    // Act
    const verdict = evaluateCheck(eksAccessEntries, eksIn('API'), ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AUTH_MODE, value: 'API' }] });
    assert.equal(
      verdict.message,
      'Access is managed only with EKS access entries (authentication mode API).',
    );
  });

  it('passes with API_AND_CONFIG_MAP and asks to migrate off the ConfigMap', () => {
    const verdict = evaluateCheck(eksAccessEntries, eksIn('API_AND_CONFIG_MAP'), ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: AUTH_MODE, value: 'API_AND_CONFIG_MAP' }],
    });
    assert.equal(
      verdict.message,
      'Access entries are on, but the aws-auth ConfigMap is still read (API_AND_CONFIG_MAP): migrate its mappings and switch to API.',
    );
  });

  it('fails with CONFIG_MAP only', () => {
    assert.deepEqual(outcome(evaluateCheck(eksAccessEntries, eksIn('CONFIG_MAP'), ctx)), {
      status: 'fail',
      evidence: [{ path: AUTH_MODE, value: 'CONFIG_MAP' }],
    });
  });

  it('is unknown when the mode is not one EKS documents', () => {
    const verdict = evaluateCheck(eksAccessEntries, eksIn('OIDC_ONLY'), ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'unknown',
      evidence: [{ path: AUTH_MODE, value: 'OIDC_ONLY' }],
    });
    assert.equal(
      verdict.message,
      'Authentication mode could not be read: cluster.accessConfig.authenticationMode "OIDC_ONLY" is not a known mode',
    );
  });

  it('is not applicable on GKE and AKS, with the reason applies gives', () => {
    for (const cluster of [gkeFromWire({}), aksFromWire({})]) {
      const verdict = evaluateCheck(eksAccessEntries, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.deepEqual(eksAccessEntries.providers[cluster.provider], { notApplicable: verdict.message });
    }
  });
});
