import assert from 'node:assert/strict';
import { auditLogExport } from '../../../checks/audit/auditLogExport.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_LOGGING = 'cluster.logging.clusterLogging';
const GKE_SERVICE = 'cluster.loggingService';
const GKE_COMPONENTS = 'cluster.loggingConfig.componentConfig.enableComponents';
const WORKSPACE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-sec';
const GKE_NOTE = 'Admin Activity audit logs always go to Cloud Audit Logs.';

describe('AUD-01 Kubernetes audit logs are exported off the control plane', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the audit log type is enabled in one of several clusterLogging entries', () => {
      // Prepare
      const logging = [
        { types: ['api', 'audit'], enabled: true },
        { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
      ];
      const cluster = eksFromWire({ logging: { clusterLogging: logging } });
      // Act
      const verdict = evaluateCheck(auditLogExport, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: EKS_LOGGING, value: logging }],
      });
      assert.equal(verdict.message, 'Kubernetes audit logs are exported (audit) to cloudwatch-logs.');
    });

    it('fails when the audit log type sits in a disabled entry', () => {
      const logging = [
        { types: ['api'], enabled: true },
        { types: ['audit', 'authenticator'], enabled: false },
      ];
      const cluster = eksFromWire({ logging: { clusterLogging: logging } });
      assert.deepEqual(outcome(evaluateCheck(auditLogExport, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: EKS_LOGGING, value: logging }],
      });
    });

    it('is unknown when DescribeCluster has no logging block', () => {
      const verdict = evaluateCheck(auditLogExport, eksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.logging', value: null }],
      });
      assert.equal(
        verdict.message,
        'Audit log export could not be read: cluster.logging absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with the components Cloud Logging collects, and notes Admin Activity audit logs', () => {
      // Prepare
      const cluster = gkeFromWire({
        loggingService: 'logging.googleapis.com/kubernetes',
        loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER'] } },
      });
      // Act
      const verdict = evaluateCheck(auditLogExport, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_SERVICE, value: 'logging.googleapis.com/kubernetes' },
          { path: GKE_COMPONENTS, value: ['SYSTEM_COMPONENTS', 'APISERVER'] },
        ],
      });
      assert.equal(
        verdict.message,
        `Kubernetes audit logs are exported (SYSTEM_COMPONENTS, APISERVER) to cloud-logging. ${GKE_NOTE}`,
      );
    });

    it('passes on the API default, Cloud Logging with no component list, naming no components', () => {
      const verdict = evaluateCheck(auditLogExport, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_SERVICE, value: null },
          { path: GKE_COMPONENTS, value: null },
        ],
      });
      assert.equal(verdict.message, `Kubernetes audit logs are exported to cloud-logging. ${GKE_NOTE}`);
    });

    it('fails when loggingService is none, and still notes Admin Activity audit logs', () => {
      const verdict = evaluateCheck(auditLogExport, gkeFromWire({ loggingService: 'none' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_SERVICE, value: 'none' },
          { path: GKE_COMPONENTS, value: null },
        ],
      });
      assert.equal(verdict.message, `Kubernetes audit logs are not exported. ${GKE_NOTE}`);
    });

    it('is unknown when loggingService is malformed', () => {
      const verdict = evaluateCheck(auditLogExport, gkeFromWire({ loggingService: 5 }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: GKE_SERVICE, value: 5 }] });
    });
  });

  describe('on AKS', () => {
    it('passes when a diagnostic setting sends kube-audit-admin to a workspace', () => {
      // Prepare
      const logs = [{ category: 'kube-audit-admin', enabled: true }];
      const cluster = aksFromWire(
        {},
        collected([{ name: 'audit', properties: { workspaceId: WORKSPACE, logs } }]),
      );
      // Act
      const verdict = evaluateCheck(auditLogExport, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: 'diagnosticSettings[name=audit].properties.logs', value: logs },
          { path: 'diagnosticSettings[name=audit].properties.workspaceId', value: WORKSPACE },
        ],
      });
      assert.equal(verdict.message, `Kubernetes audit logs are exported (kube-audit-admin) to ${WORKSPACE}.`);
    });

    it('fails when the cluster has no diagnostic setting', () => {
      assert.deepEqual(outcome(evaluateCheck(auditLogExport, aksFromWire({}, collected([])), ctx)), {
        status: 'fail',
        evidence: [{ path: 'diagnosticSettings', value: [] }],
      });
    });

    it('is unknown when the diagnostic settings were not collected', () => {
      const verdict = evaluateCheck(auditLogExport, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
      assert.equal(verdict.message, 'Audit log export could not be read: diagnostic settings not collected');
    });
  });
});
