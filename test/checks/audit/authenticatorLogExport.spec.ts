import assert from 'node:assert/strict';
import { authenticatorLogExport } from '../../../checks/audit/authenticatorLogExport.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_LOGGING = 'cluster.logging.clusterLogging';
const AKS_DIAGNOSTICS = 'diagnosticSettings[0].properties.logs';

describe('AUD-02 Authentication logs are exported, so failed logins can be alerted on', () => {
  const ctx = evalContext();

  it('passes on EKS when the authenticator log is enabled', () => {
    // Prepare
    const cluster = eksPosture({
      authenticatorLogs: at(EKS_LOGGING, true, [{ types: ['authenticator'], enabled: true }]),
    });
    // Act
    const verdict = authenticatorLogExport.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: EKS_LOGGING, value: [{ types: ['authenticator'], enabled: true }] }],
    });
  });

  it('fails on EKS when the authenticator log is disabled', () => {
    const cluster = eksPosture({
      authenticatorLogs: at(EKS_LOGGING, false, [{ types: ['authenticator'], enabled: false }]),
    });
    assert.equal(authenticatorLogExport.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on EKS when logging could not be read', () => {
    const cluster = eksPosture({ authenticatorLogs: unknown('logging absent') });
    assert.equal(authenticatorLogExport.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on GKE as provider-enforced even when the posture field is unknown', () => {
    const cluster = gkePosture({ authenticatorLogs: unknown('GKE has no such setting') });
    const verdict = authenticatorLogExport.evaluate(cluster, ctx);
    assert.deepEqual(
      { ...outcome(verdict), responsibility: verdict.responsibility },
      { status: 'pass', evidence: [], responsibility: 'provider' },
    );
  });

  it('passes on AKS when the guard category is exported', () => {
    const cluster = aksPosture({
      authenticatorLogs: at(AKS_DIAGNOSTICS, true, [{ category: 'guard', enabled: true }]),
    });
    assert.deepEqual(outcome(authenticatorLogExport.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: AKS_DIAGNOSTICS, value: [{ category: 'guard', enabled: true }] }],
    });
  });

  it('fails on AKS when the guard category is not exported', () => {
    const cluster = aksPosture({ authenticatorLogs: at(AKS_DIAGNOSTICS, false, []) });
    const verdict = authenticatorLogExport.evaluate(cluster, ctx);
    assert.equal(verdict.status, 'fail');
    assert.match(verdict.message, /guard/);
  });

  it('is unknown on AKS when diagnostic settings could not be listed', () => {
    const cluster = aksPosture({ authenticatorLogs: unknown('access denied') });
    assert.equal(authenticatorLogExport.evaluate(cluster, ctx).status, 'unknown');
  });
});
