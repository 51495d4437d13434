import assert from 'node:assert/strict';
import { auditLogRetention } from '../../../checks/audit/auditLogRetention.js';
import { type Observed, unknown } from '../../../model/observed.js';
import { collected, missing } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { at, gkePosture } from '../../fixtures/postures.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_LOGGING = 'cluster.logging.clusterLogging';
const EKS_RETENTION = 'logGroups[name=/aws/eks/payments/cluster].retentionInDays';
const AUDIT_ON = [{ types: ['api', 'audit'], enabled: true }];
const AUDIT_OFF = [{ types: ['api', 'audit'], enabled: false }];
const GKE_BUCKET = 'cloudAuditLogs._Required.retentionDays';
const WORKSPACE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-sec';

/** An EKS cluster whose DescribeCluster logging is `clusterLogging` and whose log group keeps logs `retentionInDays`. */
function eksKeeping(retentionInDays: number | undefined, clusterLogging: unknown = AUDIT_ON) {
  const group =
    retentionInDays === undefined
      ? { logGroupName: '/aws/eks/payments/cluster' }
      : { logGroupName: '/aws/eks/payments/cluster', retentionInDays };
  return eksFromWire({ logging: { clusterLogging } }, { auditLogGroup: collected(group) });
}

describe('AUD-03 Exported audit logs are kept at least the minimum retention period', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the log group keeps logs exactly the minimum', () => {
      // Act
      const verdict = evaluateCheck(auditLogRetention, eksKeeping(90), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_RETENTION, value: 90 },
          { path: EKS_LOGGING, value: AUDIT_ON },
        ],
      });
      assert.equal(verdict.message, 'Exported audit logs are kept 90 days (at least 90 days required).');
    });

    it('fails when the log group keeps logs one day short of the minimum', () => {
      const verdict = evaluateCheck(auditLogRetention, eksKeeping(89), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: EKS_RETENTION, value: 89 },
          { path: EKS_LOGGING, value: AUDIT_ON },
        ],
      });
      assert.equal(
        verdict.message,
        'Exported audit logs are kept only 89 days; at least 90 days are required.',
      );
    });

    it('passes when the log group has no retention, so logs never expire', () => {
      const verdict = evaluateCheck(auditLogRetention, eksKeeping(undefined), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_RETENTION, value: null },
          { path: EKS_LOGGING, value: AUDIT_ON },
        ],
      });
      assert.equal(verdict.message, 'Exported audit logs are kept forever (at least 90 days required).');
    });

    it('fails and passes around a configured minimum', () => {
      const strict = evalContext({ settings: { minAuditRetentionDays: 365 } });
      assert.deepEqual(
        [
          outcome(evaluateCheck(auditLogRetention, eksKeeping(364), strict)),
          outcome(evaluateCheck(auditLogRetention, eksKeeping(365), strict)),
        ],
        [
          {
            status: 'fail',
            evidence: [
              { path: EKS_RETENTION, value: 364 },
              { path: EKS_LOGGING, value: AUDIT_ON },
            ],
          },
          {
            status: 'pass',
            evidence: [
              { path: EKS_RETENTION, value: 365 },
              { path: EKS_LOGGING, value: AUDIT_ON },
            ],
          },
        ],
      );
    });

    it('fails when audit logs are not exported, whatever the log group keeps', () => {
      const verdict = evaluateCheck(auditLogRetention, eksKeeping(365, AUDIT_OFF), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_LOGGING, value: AUDIT_OFF }],
      });
      assert.equal(verdict.message, 'Kubernetes audit logs are not exported (AUD-01), so none are kept.');
    });

    it('fails when the log group keeps too little, even if the export setting could not be read', () => {
      const cluster = eksFromWire(
        {},
        { auditLogGroup: collected({ logGroupName: '/aws/eks/payments/cluster', retentionInDays: 30 }) },
      );
      assert.deepEqual(outcome(evaluateCheck(auditLogRetention, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: EKS_RETENTION, value: 30 },
          { path: 'cluster.logging', value: null },
        ],
      });
    });

    it('is unknown when the log group keeps logs long enough but the export setting could not be read', () => {
      // Prepare: a long retention proves nothing when audit logs may not reach the group at all.
      const cluster = eksFromWire(
        {},
        { auditLogGroup: collected({ logGroupName: '/aws/eks/payments/cluster', retentionInDays: 365 }) },
      );
      // Act
      const verdict = evaluateCheck(auditLogRetention, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: 'cluster.logging', value: null },
          { path: EKS_RETENTION, value: 365 },
        ],
      });
      assert.equal(
        verdict.message,
        'Audit log export could not be read: cluster.logging absent from DescribeCluster output',
      );
    });

    it('is unknown when the log group could not be read', () => {
      const cluster = eksFromWire(
        { logging: { clusterLogging: AUDIT_ON } },
        { auditLogGroup: missing('logs:DescribeLogGroups: AccessDeniedException') },
      );
      const verdict = evaluateCheck(auditLogRetention, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: EKS_LOGGING, value: AUDIT_ON }],
      });
      assert.equal(
        verdict.message,
        'Audit log retention could not be read: logs:DescribeLogGroups: AccessDeniedException',
      );
    });
  });

  describe('on GKE', () => {
    const DEFAULT_BUCKET = 'logBuckets._Default.retentionDays';

    /** A GKE cluster whose project keeps `_Default` entries this many days (Cloud Logging GetBucket). */
    function gkeWithDefaultBucket(days: Observed<number>, cluster: Readonly<Record<string, unknown>> = {}) {
      const posture = gkeFromWire(cluster);
      return { ...posture, gke: { ...posture.gke, defaultLogBucketRetentionDays: days } };
    }

    it('passes as provider-enforced: the _Required bucket keeps Admin Activity logs 400 days, _Default long enough', () => {
      // Act
      const verdict = evaluateCheck(auditLogRetention, gkeWithDefaultBucket(at(DEFAULT_BUCKET, 365)), ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'pass',
          evidence: [
            { path: GKE_BUCKET, value: 400 },
            { path: DEFAULT_BUCKET, value: 365 },
          ],
          responsibility: 'provider',
        },
      );
      assert.equal(
        verdict.message,
        'Admin Activity audit logs, which record every Kubernetes API write, are kept 400 days in the _Required bucket; nobody can shorten that. Data Access audit logs, when enabled, go to the _Default bucket, which keeps them 365 days.',
      );
    });

    it('passes even when Cloud Logging is off, since Admin Activity logs bypass it', () => {
      const verdict = evaluateCheck(
        auditLogRetention,
        gkeWithDefaultBucket(at(DEFAULT_BUCKET, 90), { loggingService: 'none' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_BUCKET, value: 400 },
          { path: DEFAULT_BUCKET, value: 90 },
        ],
      });
    });

    it('fails on the customer side when _Default keeps Data Access audit logs less than required', () => {
      // Act
      const verdict = evaluateCheck(auditLogRetention, gkeWithDefaultBucket(at(DEFAULT_BUCKET, 30)), ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'fail',
          evidence: [
            { path: GKE_BUCKET, value: 400 },
            { path: DEFAULT_BUCKET, value: 30 },
          ],
          responsibility: 'customer',
        },
      );
      assert.match(
        verdict.message,
        /^Data Access audit logs are kept only 30 days in _Default, the project's log bucket they go to; at least 90 days are required\./,
      );
    });

    it('is unknown with the reason when the _Default bucket could not be read: missing data is never a pass', () => {
      // Act
      const verdict = evaluateCheck(
        auditLogRetention,
        gkeWithDefaultBucket(unknown('logging.buckets.get: PERMISSION_DENIED')),
        ctx,
      );
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: GKE_BUCKET, value: 400 }] });
      assert.match(
        verdict.message,
        /How long the _Default bucket keeps Data Access audit logs could not be read: logging\.buckets\.get: PERMISSION_DENIED$/,
      );
    });

    it('is unknown with the reason when the _Required retention is unknown', () => {
      const verdict = evaluateCheck(
        auditLogRetention,
        gkePosture({ auditLogRetentionDays: unknown('not read in this test') }),
        ctx,
      );
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        { status: 'unknown', message: 'Audit log retention could not be read: not read in this test' },
      );
    });

    it('is unknown when more than 400 days are required: a longer log sink is not read', () => {
      const verdict = evaluateCheck(
        auditLogRetention,
        gkeWithDefaultBucket(at(DEFAULT_BUCKET, 3650)),
        evalContext({ settings: { minAuditRetentionDays: 730 } }),
      );
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: GKE_BUCKET, value: 400 }] });
      assert.match(
        verdict.message,
        /keeps Admin Activity audit logs 400 days, less than the 730 days required/,
      );
    });
  });

  describe('on AKS', () => {
    const logs = [{ category: 'kube-audit-admin', enabled: true }];

    it('is unknown with the place the retention is set when a setting sends audit logs to a workspace', () => {
      // Prepare
      const cluster = aksFromWire(
        {},
        collected([{ name: 'audit', properties: { workspaceId: WORKSPACE, logs } }]),
      );
      // Act
      const verdict = evaluateCheck(auditLogRetention, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: 'diagnosticSettings[name=audit].properties.logs', value: logs },
          { path: 'diagnosticSettings[name=audit].properties.workspaceId', value: WORKSPACE },
        ],
      });
      assert.match(verdict.message, /retention is set on the Log Analytics workspace \(table retention\)/);
    });

    it('fails when no diagnostic setting exports audit logs', () => {
      assert.deepEqual(outcome(evaluateCheck(auditLogRetention, aksFromWire({}, collected([])), ctx)), {
        status: 'fail',
        evidence: [{ path: 'diagnosticSettings', value: [] }],
      });
    });

    it('is unknown when the diagnostic settings were not collected', () => {
      const verdict = evaluateCheck(auditLogRetention, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
      assert.equal(
        verdict.message,
        'Audit log retention could not be read: diagnostic settings not collected',
      );
    });
  });
});
