import assert from 'node:assert/strict';
import { eksAccessEntries } from '../../../checks/identity/eksAccessEntries.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const AUTH_MODE = 'cluster.accessConfig.authenticationMode';

describe('AUTH-03 Access is managed with EKS access entries, not only the aws-auth ConfigMap', () => {
  const ctx = evalContext();

  it('passes with authentication mode API', () => {
    // Prepare
    const cluster = eksPosture({ eks: { authenticationMode: at(AUTH_MODE, 'API') } });
    // Act
    const verdict = eksAccessEntries.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AUTH_MODE, value: 'API' }] });
  });

  it('passes with API_AND_CONFIG_MAP and asks to migrate', () => {
    const cluster = eksPosture({ eks: { authenticationMode: at(AUTH_MODE, 'API_AND_CONFIG_MAP') } });
    const verdict = eksAccessEntries.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: AUTH_MODE, value: 'API_AND_CONFIG_MAP' }],
    });
    assert.match(verdict.message, /migrate/);
  });

  it('fails with CONFIG_MAP only', () => {
    const cluster = eksPosture({ eks: { authenticationMode: at(AUTH_MODE, 'CONFIG_MAP') } });
    assert.deepEqual(outcome(eksAccessEntries.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: AUTH_MODE, value: 'CONFIG_MAP' }],
    });
  });

  it('is unknown when the authentication mode could not be read', () => {
    const cluster = eksPosture({ eks: { authenticationMode: unknown('accessConfig absent') } });
    assert.equal(eksAccessEntries.evaluate(cluster, ctx).status, 'unknown');
  });

  it('is not applicable on GKE and AKS', () => {
    assert.equal(eksAccessEntries.evaluate(gkePosture(), ctx).status, 'not_applicable');
    assert.equal(eksAccessEntries.evaluate(aksPosture(), ctx).status, 'not_applicable');
    assert.ok('notApplicable' in eksAccessEntries.applies.gke);
    assert.ok('notApplicable' in eksAccessEntries.applies.aks);
  });
});
