import assert from 'node:assert/strict';
import { auditLogExport } from '../../../checks/audit/auditLogExport.js';
import { unknown } from '../../../model/observed.js';
import type { AuditLogExport } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_LOGGING = 'cluster.logging.clusterLogging';
const GKE_LOGGING = 'cluster.loggingService';
const AKS_DIAGNOSTICS = 'diagnosticSettings[0].properties.logs';

const eksLogging = [
  { types: ['api', 'audit'], enabled: true },
  { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
];

describe('AUD-01 Kubernetes audit logs are exported off the control plane', () => {
  const ctx = evalContext();

  it('passes on EKS when the audit log type is enabled in one of several entries', () => {
    // Prepare
    const cluster = eksPosture({
      auditLogs: at<AuditLogExport>(
        EKS_LOGGING,
        { exported: true, categories: ['audit'], destinations: ['cloudwatch-logs'] },
        eksLogging,
      ),
    });
    // Act
    const verdict = auditLogExport.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: EKS_LOGGING, value: eksLogging }],
    });
    assert.equal(verdict.message, 'Kubernetes audit logs are exported (audit) to cloudwatch-logs.');
  });

  it('fails on EKS when the audit log type is disabled', () => {
    const raw = [
      { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ];
    const cluster = eksPosture({
      auditLogs: at<AuditLogExport>(EKS_LOGGING, { exported: false, categories: [], destinations: [] }, raw),
    });
    assert.deepEqual(outcome(auditLogExport.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: EKS_LOGGING, value: raw }],
    });
  });

  it('is unknown on EKS when logging could not be read', () => {
    const cluster = eksPosture({ auditLogs: unknown('logging absent from the export') });
    assert.equal(auditLogExport.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on GKE and notes that Admin Activity audit logs are always on', () => {
    const cluster = gkePosture({
      auditLogs: at<AuditLogExport>(
        GKE_LOGGING,
        { exported: true, categories: ['SYSTEM_COMPONENTS'], destinations: ['cloud-logging'] },
        'logging.googleapis.com/kubernetes',
      ),
    });
    const verdict = auditLogExport.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: GKE_LOGGING, value: 'logging.googleapis.com/kubernetes' }],
    });
    assert.match(verdict.message, /Admin Activity audit logs always go to Cloud Audit Logs/);
  });

  it('fails on GKE when logging is off, and still notes Admin Activity audit logs', () => {
    const cluster = gkePosture({
      auditLogs: at<AuditLogExport>(
        GKE_LOGGING,
        { exported: false, categories: [], destinations: [] },
        'none',
      ),
    });
    const verdict = auditLogExport.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: GKE_LOGGING, value: 'none' }] });
    assert.match(verdict.message, /Admin Activity audit logs always go to Cloud Audit Logs/);
  });

  it('is unknown on GKE when logging could not be read', () => {
    const cluster = gkePosture({ auditLogs: unknown('loggingConfig malformed') });
    assert.equal(auditLogExport.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS when a diagnostic setting exports kube-audit-admin', () => {
    const raw = [{ category: 'kube-audit-admin', enabled: true }];
    const cluster = aksPosture({
      auditLogs: at<AuditLogExport>(
        AKS_DIAGNOSTICS,
        { exported: true, categories: ['kube-audit-admin'], destinations: ['workspace-1'] },
        raw,
      ),
    });
    assert.deepEqual(outcome(auditLogExport.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: AKS_DIAGNOSTICS, value: raw }],
    });
  });

  it('fails on AKS when no diagnostic setting exports audit logs', () => {
    const cluster = aksPosture({
      auditLogs: at<AuditLogExport>(
        'diagnosticSettings',
        { exported: false, categories: [], destinations: [] },
        [],
      ),
    });
    assert.equal(auditLogExport.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when diagnostic settings could not be listed', () => {
    const cluster = aksPosture({ auditLogs: unknown('diagnosticSettings not collected: access denied') });
    const verdict = auditLogExport.evaluate(cluster, ctx);
    assert.deepEqual(
      { status: verdict.status, message: verdict.message },
      {
        status: 'unknown',
        message: 'Audit log export could not be read: diagnosticSettings not collected: access denied',
      },
    );
  });
});
