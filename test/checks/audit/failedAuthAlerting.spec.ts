import assert from 'node:assert/strict';
import { failedAuthAlerting } from '../../../checks/audit/failedAuthAlerting.js';
import { unknown } from '../../../model/observed.js';
import type { FailedAuthAlerting } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { evaluateCheck } from '../outcome.js';

const ALERTING = 'failedAuthAlerting';
const AUTHENTICATOR = 'cluster.logging.clusterLogging[types=authenticator].enabled';

function alerting(alerts: readonly string[], unalerted: readonly string[] = []) {
  const value: FailedAuthAlerting = { alerts, unalerted };
  return at(ALERTING, value, { alerts: [...alerts], unalerted: [...unalerted] });
}

function evidence(alerts: readonly string[], unalerted: readonly string[] = []) {
  return { path: ALERTING, value: { alerts: [...alerts], unalerted: [...unalerted] } };
}

describe('AUD-04 Failed API authentications raise an alert', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with a CloudWatch alarm on a metric filter, naming the alarm', () => {
      // Prepare
      const cluster = eksPosture({ failedAuthAlerting: alerting(['cloudwatch-alarm:payments-failed-auth']) });
      // Act
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      // Assess
      assert.deepEqual(verdict, {
        status: 'pass',
        message: 'Failed API authentications raise an alert: cloudwatch-alarm:payments-failed-auth.',
        evidence: [evidence(['cloudwatch-alarm:payments-failed-auth'])],
      });
    });

    it('fails naming the metric filter without an alarm', () => {
      // Prepare
      const cluster = eksPosture({ failedAuthAlerting: alerting([], ['metric-filter:failed-auth']) });
      // Act
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      // Assess
      assert.deepEqual(verdict, {
        status: 'fail',
        message:
          'No alert fires on failed API authentications. metric-filter:failed-auth matches them, with no alert on it.',
        evidence: [evidence([], ['metric-filter:failed-auth'])],
      });
    });

    it('fails saying the authenticator log (AUD-02) is not exported, which a metric filter needs', () => {
      // Prepare
      const cluster = eksPosture({
        failedAuthAlerting: alerting([]),
        authenticatorLogs: at(AUTHENTICATOR, false),
      });
      // Act
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      // Assess
      assert.deepEqual(verdict, {
        status: 'fail',
        message:
          'No alert fires on failed API authentications. The authenticator log is not exported (AUD-02), and a metric filter on failed logins needs it in CloudWatch Logs.',
        evidence: [evidence([]), { path: AUTHENTICATOR, value: false }],
      });
    });

    it('fails without the AUD-02 note when the authenticator setting could not be read', () => {
      const cluster = eksPosture({
        failedAuthAlerting: alerting([]),
        authenticatorLogs: unknown('DescribeCluster: denied'),
      });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(verdict, {
        status: 'fail',
        message: 'No alert fires on failed API authentications.',
        evidence: [evidence([])],
      });
    });

    it('passes when an alarm exists although the authenticator log is not exported (an audit-log filter)', () => {
      const cluster = eksPosture({
        failedAuthAlerting: alerting(['cloudwatch-alarm:a']),
        authenticatorLogs: at(AUTHENTICATOR, false),
      });
      assert.equal(evaluateCheck(failedAuthAlerting, cluster, ctx).status, 'pass');
    });

    it('is unknown with the reason when the metric filters could not be read', () => {
      // Prepare
      const cluster = eksPosture({
        failedAuthAlerting: unknown('logs:DescribeMetricFilters failed: AccessDeniedException'),
        authenticatorLogs: at(AUTHENTICATOR, false),
      });
      // Act
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      // Assess
      assert.deepEqual(verdict, {
        status: 'unknown',
        message:
          'Failed-authentication alerting could not be read: logs:DescribeMetricFilters failed: AccessDeniedException',
        evidence: [],
      });
    });
  });

  describe('on GKE', () => {
    it('passes with an alerting policy on a log-based metric', () => {
      const cluster = gkePosture({
        failedAuthAlerting: alerting([
          'monitoring-alert-policy:k8s-failed-auth',
          'monitoring-alert-policy:b',
        ]),
      });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(verdict, {
        status: 'pass',
        message:
          'Failed API authentications raise an alert: monitoring-alert-policy:k8s-failed-auth, monitoring-alert-policy:b.',
        evidence: [evidence(['monitoring-alert-policy:k8s-failed-auth', 'monitoring-alert-policy:b'])],
      });
    });

    it('fails naming every log-based metric without an alerting policy', () => {
      const cluster = gkePosture({ failedAuthAlerting: alerting([], ['log-metric:a', 'log-metric:b']) });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(verdict, {
        status: 'fail',
        message:
          'No alert fires on failed API authentications. log-metric:a, log-metric:b match them, with no alert on them.',
        evidence: [evidence([], ['log-metric:a', 'log-metric:b'])],
      });
    });

    it('is unknown with the reason when the project metrics could not be read', () => {
      const cluster = gkePosture({ failedAuthAlerting: unknown('logging.logMetrics.list denied') });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'Failed-authentication alerting could not be read: logging.logMetrics.list denied',
        },
      );
    });
  });

  describe('on AKS', () => {
    it('passes with Defender for Containers, which alerts on failed authentications', () => {
      const cluster = aksPosture({ failedAuthAlerting: alerting(['defender-for-containers']) });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(verdict, {
        status: 'pass',
        message: 'Failed API authentications raise an alert: Microsoft Defender for Containers.',
        evidence: [evidence(['defender-for-containers'])],
      });
    });

    it('passes with a scheduled query rule over the audit tables', () => {
      const cluster = aksPosture({ failedAuthAlerting: alerting(['scheduled-query-rule:failed-auth']) });
      assert.equal(evaluateCheck(failedAuthAlerting, cluster, ctx).status, 'pass');
    });

    it('fails naming a disabled query rule', () => {
      const cluster = aksPosture({
        failedAuthAlerting: alerting([], ['scheduled-query-rule:failed-auth (disabled)']),
      });
      const verdict = evaluateCheck(failedAuthAlerting, cluster, ctx);
      assert.deepEqual(verdict, {
        status: 'fail',
        message:
          'No alert fires on failed API authentications. scheduled-query-rule:failed-auth (disabled) matches them, with no alert on it.',
        evidence: [evidence([], ['scheduled-query-rule:failed-auth (disabled)'])],
      });
    });

    it('is unknown with the reason when the rules could not be read', () => {
      const cluster = aksPosture({
        failedAuthAlerting: unknown('scheduledQueryRules/read: AuthorizationFailed'),
      });
      assert.deepEqual(evaluateCheck(failedAuthAlerting, cluster, ctx), {
        status: 'unknown',
        message:
          'Failed-authentication alerting could not be read: scheduledQueryRules/read: AuthorizationFailed',
        evidence: [],
      });
    });
  });

  it('is filed on the customer side on every cloud, with a fix per cloud', () => {
    for (const provider of ['eks', 'gke', 'aks'] as const) {
      const entry = failedAuthAlerting.providers[provider];
      assert.equal('responsibility' in entry ? entry.responsibility : undefined, 'customer', provider);
      assert.ok(failedAuthAlerting.remediation.cli[provider], provider);
    }
  });
});
