import assert from 'node:assert/strict';
import { authenticatorLogExport } from '../../../checks/audit/authenticatorLogExport.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_LOGGING = 'cluster.logging.clusterLogging';
const WORKSPACE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-sec';

describe('AUD-02 Authentication logs are exported, so failed logins can be alerted on', () => {
  const ctx = evalContext();

  it('passes on EKS when the authenticator log type is enabled', () => {
    // Prepare
    const logging = [{ types: ['audit', 'authenticator'], enabled: true }];
    const cluster = eksFromWire({ logging: { clusterLogging: logging } });
    // Act
    const verdict = evaluateCheck(authenticatorLogExport, cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_LOGGING, value: logging }] });
    assert.equal(verdict.message, 'The authenticator log is exported.');
  });

  it('fails on EKS when the authenticator log type is disabled', () => {
    const logging = [
      { types: ['audit'], enabled: true },
      { types: ['authenticator'], enabled: false },
    ];
    const verdict = evaluateCheck(
      authenticatorLogExport,
      eksFromWire({ logging: { clusterLogging: logging } }),
      ctx,
    );
    assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: EKS_LOGGING, value: logging }] });
    assert.match(verdict.message, /^The authenticator log is not exported/);
  });

  it('is unknown on EKS when a clusterLogging entry has no enabled flag', () => {
    const logging = [{ types: ['authenticator'] }];
    const verdict = evaluateCheck(
      authenticatorLogExport,
      eksFromWire({ logging: { clusterLogging: logging } }),
      ctx,
    );
    assert.deepEqual(outcome(verdict), {
      status: 'unknown',
      evidence: [{ path: EKS_LOGGING, value: logging }],
    });
    assert.equal(
      verdict.message,
      'The authenticator log setting could not be read: cluster.logging.clusterLogging[0].enabled is absent',
    );
  });

  it('passes on GKE as provider-enforced, with no field to cite', () => {
    const verdict = evaluateCheck(authenticatorLogExport, gkeFromWire({ loggingService: 'none' }), ctx);
    assert.deepEqual(
      { ...outcome(verdict), responsibility: verdict.responsibility },
      { status: 'pass', evidence: [], responsibility: 'provider' },
    );
  });

  it('passes on AKS when a diagnostic setting sends the guard category to a workspace', () => {
    const logs = [{ category: 'guard', enabled: true }];
    const cluster = aksFromWire(
      {},
      collected([{ name: 'auth', properties: { workspaceId: WORKSPACE, logs } }]),
    );
    assert.deepEqual(outcome(evaluateCheck(authenticatorLogExport, cluster, ctx)), {
      status: 'pass',
      evidence: [
        { path: 'diagnosticSettings[name=auth].properties.logs', value: logs },
        { path: 'diagnosticSettings[name=auth].properties.workspaceId', value: WORKSPACE },
      ],
    });
  });

  it('fails on AKS when the diagnostic settings export audit logs but not guard', () => {
    const logs = [
      { category: 'kube-audit', enabled: true },
      { category: 'guard', enabled: false },
    ];
    const cluster = aksFromWire(
      {},
      collected([{ name: 'audit', properties: { workspaceId: WORKSPACE, logs } }]),
    );
    const verdict = evaluateCheck(authenticatorLogExport, cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'fail',
      evidence: [
        { path: 'diagnosticSettings[name=audit].properties.logs', value: logs },
        { path: 'diagnosticSettings[name=audit].properties.workspaceId', value: WORKSPACE },
      ],
    });
    assert.match(verdict.message, /^The guard log is not exported/);
  });

  it('is unknown on AKS when the diagnostic settings were not collected', () => {
    const verdict = evaluateCheck(authenticatorLogExport, aksFromWire({}), ctx);
    assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
    assert.equal(
      verdict.message,
      'The guard log setting could not be read: diagnostic settings not collected',
    );
  });
});
