import assert from 'node:assert/strict';
import { auditLogRetention } from '../../../checks/audit/auditLogRetention.js';
import { unknown } from '../../../model/observed.js';
import type { AuditLogExport } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_RETENTION = 'logGroups[/aws/eks/example/cluster].retentionInDays';
const EKS_LOGGING = 'cluster.logging.clusterLogging';
const GKE_BUCKET = 'cloudAuditLogs._Required.retentionDays';
const AKS_SETTINGS = 'diagnosticSettings[name=audit].properties.logs';

const exported = at<AuditLogExport>(
  EKS_LOGGING,
  { exported: true, categories: ['audit'], destinations: ['cloudwatch-logs'] },
  'audit on',
);
const notExported = at<AuditLogExport>(
  EKS_LOGGING,
  { exported: false, categories: [], destinations: [] },
  'audit off',
);

function eksKeeping(days: number | null) {
  return eksPosture({ auditLogs: exported, auditLogRetentionDays: at(EKS_RETENTION, days) });
}

describe('AUD-03 Exported audit logs are kept at least the minimum retention period', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when logs are kept exactly the minimum', () => {
      // Act
      const verdict = auditLogRetention.evaluate(eksKeeping(90), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_RETENTION, value: 90 },
          { path: EKS_LOGGING, value: 'audit on' },
        ],
      });
      assert.equal(verdict.message, 'Exported audit logs are kept 90 days (at least 90 days required).');
    });

    it('fails one day short of the minimum', () => {
      const verdict = auditLogRetention.evaluate(eksKeeping(89), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /kept only 89 days; at least 90 days are required/);
    });

    it('passes when logs never expire', () => {
      const verdict = auditLogRetention.evaluate(eksKeeping(null), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_RETENTION, value: null },
          { path: EKS_LOGGING, value: 'audit on' },
        ],
      });
      assert.equal(verdict.message, 'Exported audit logs never expire.');
    });

    it('follows a configured minimum', () => {
      const strict = evalContext({ settings: { minAuditRetentionDays: 365 } });
      assert.deepEqual(
        [
          auditLogRetention.evaluate(eksKeeping(364), strict).status,
          auditLogRetention.evaluate(eksKeeping(365), strict).status,
        ],
        ['fail', 'pass'],
      );
    });

    it('fails when audit logs are not exported at all, whatever the log group keeps', () => {
      const cluster = eksPosture({ auditLogs: notExported, auditLogRetentionDays: at(EKS_RETENTION, 365) });
      const verdict = auditLogRetention.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_LOGGING, value: 'audit off' }],
      });
      assert.match(verdict.message, /not exported \(AUD-01\)/);
    });

    it('still judges the retention when the export setting could not be read', () => {
      const cluster = eksPosture({
        auditLogs: unknown('logging absent'),
        auditLogRetentionDays: at(EKS_RETENTION, 30),
      });
      assert.equal(auditLogRetention.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the log group retention could not be read', () => {
      const cluster = eksPosture({
        auditLogs: exported,
        auditLogRetentionDays: unknown('DescribeLogGroups not collected'),
      });
      const verdict = auditLogRetention.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: EKS_LOGGING, value: 'audit on' }],
          message: 'Audit log retention could not be read: DescribeLogGroups not collected',
        },
      );
    });
  });

  describe('on GKE', () => {
    const bucket = at(GKE_BUCKET, 400);

    it('passes as provider-enforced: the _Required bucket keeps Admin Activity logs 400 days', () => {
      // Act
      const verdict = auditLogRetention.evaluate(gkePosture({ auditLogRetentionDays: bucket }), ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        { status: 'pass', evidence: [{ path: GKE_BUCKET, value: 400 }], responsibility: 'provider' },
      );
      assert.match(verdict.message, /kept 400 days in the _Required bucket/);
    });

    it('passes even when Cloud Logging is off, since Admin Activity logs bypass it', () => {
      const cluster = gkePosture({
        auditLogs: at<AuditLogExport>(
          'cluster.loggingService',
          { exported: false, categories: [], destinations: [] },
          'none',
        ),
        auditLogRetentionDays: bucket,
      });
      assert.equal(auditLogRetention.evaluate(cluster, ctx).status, 'pass');
    });

    it('is unknown when more than 400 days are required: a longer sink is not read', () => {
      const verdict = auditLogRetention.evaluate(
        gkePosture({ auditLogRetentionDays: bucket }),
        evalContext({ settings: { minAuditRetentionDays: 730 } }),
      );
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: GKE_BUCKET, value: 400 }] });
    });

    it('is unknown when the retention is unknown', () => {
      const cluster = gkePosture({ auditLogRetentionDays: unknown('not collected') });
      assert.equal(auditLogRetention.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    const raw = [{ category: 'kube-audit-admin', enabled: true }];
    const aksExported = at<AuditLogExport>(
      AKS_SETTINGS,
      { exported: true, categories: ['kube-audit-admin'], destinations: ['law-sec'] },
      raw,
    );

    it('is unknown with the normaliser reason when the destination holds the retention', () => {
      // Prepare
      const reason = 'retention is set on the Log Analytics workspace (table retention)';
      const cluster = aksPosture({
        auditLogs: aksExported,
        auditLogRetentionDays: unknown(reason, { path: AKS_SETTINGS, value: raw }),
      });
      // Act
      const verdict = auditLogRetention.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: AKS_SETTINGS, value: raw }],
          message: `Audit log retention could not be read: ${reason}`,
        },
      );
    });

    it('fails when no diagnostic setting exports audit logs', () => {
      const cluster = aksPosture({
        auditLogs: at<AuditLogExport>(
          'diagnosticSettings',
          { exported: false, categories: [], destinations: [] },
          [],
        ),
        auditLogRetentionDays: unknown('no diagnostic setting exports audit logs'),
      });
      assert.deepEqual(outcome(auditLogRetention.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: 'diagnosticSettings', value: [] }],
      });
    });

    it('passes and fails on a known workspace retention', () => {
      const keeping = (days: number) =>
        aksPosture({ auditLogs: aksExported, auditLogRetentionDays: at('workspace.retentionInDays', days) });
      assert.deepEqual(
        [
          auditLogRetention.evaluate(keeping(90), ctx).status,
          auditLogRetention.evaluate(keeping(30), ctx).status,
        ],
        ['pass', 'fail'],
      );
    });

    it('is unknown when diagnostic settings were not collected', () => {
      const cluster = aksPosture({
        auditLogs: unknown('diagnostic settings not exported'),
        auditLogRetentionDays: unknown('diagnostic settings not exported'),
      });
      assert.equal(auditLogRetention.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
