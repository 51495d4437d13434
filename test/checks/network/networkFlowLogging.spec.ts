import assert from 'node:assert/strict';
import { networkFlowLogging } from '../../../checks/network/networkFlowLogging.js';
import { known, unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_FLOW_LOGS = 'flowLogs[resourceId=vpc-0a1b2c3d]';
const GKE_INTRA_NODE = 'cluster.networkConfig.enableIntraNodeVisibility';
const GKE_METRICS = 'cluster.monitoringConfig.advancedDatapathObservabilityConfig.enableMetrics';
const AKS_OBSERVABILITY = 'properties.networkProfile.advancedNetworking.observability.enabled';

describe('NET-03 Network flows of the cluster are recorded', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when VPC flow logs exist', () => {
      // Prepare
      const cluster = eksPosture({ networkFlowLogs: at(EKS_FLOW_LOGS, true, ['fl-1']) });
      // Act
      const verdict = networkFlowLogging.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: EKS_FLOW_LOGS, value: ['fl-1'] }],
      });
      assert.equal(verdict.message, 'Network flows are recorded (VPC flow logs on the cluster VPC).');
    });

    it('fails when the VPC has no flow logs', () => {
      const cluster = eksPosture({ networkFlowLogs: at(EKS_FLOW_LOGS, false, []) });
      assert.equal(networkFlowLogging.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when flow logs were not read', () => {
      const cluster = eksPosture({ networkFlowLogs: unknown('DescribeFlowLogs not collected') });
      const verdict = networkFlowLogging.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message:
            'The flow recording setting (VPC flow logs on the cluster VPC) could not be read: DescribeFlowLogs not collected',
        },
      );
    });
  });

  describe('on GKE', () => {
    it('passes on intranode visibility and says the subnet flow logs are not read', () => {
      // Prepare
      const flows = known(true, { path: GKE_INTRA_NODE, value: true }, { path: GKE_METRICS, value: null });
      // Act
      const verdict = networkFlowLogging.evaluate(gkePosture({ networkFlowLogs: flows }), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_INTRA_NODE, value: true },
          { path: GKE_METRICS, value: null },
        ],
      });
      assert.match(verdict.message, /subnet are a Compute Engine setting and are not read/);
    });

    it('fails when both switches are off', () => {
      const flows = known(false, { path: GKE_INTRA_NODE, value: null }, { path: GKE_METRICS, value: null });
      assert.equal(networkFlowLogging.evaluate(gkePosture({ networkFlowLogs: flows }), ctx).status, 'fail');
    });

    it('is unknown when a switch is malformed', () => {
      const cluster = gkePosture({
        networkFlowLogs: unknown(`${GKE_INTRA_NODE} is the string "true", expected a boolean`),
      });
      assert.equal(networkFlowLogging.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    it('passes with advanced network observability on', () => {
      const cluster = aksPosture({ networkFlowLogs: at(AKS_OBSERVABILITY, true) });
      assert.deepEqual(outcome(networkFlowLogging.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AKS_OBSERVABILITY, value: true }],
      });
    });

    it('fails when advanced network observability is absent', () => {
      const cluster = aksPosture({ networkFlowLogs: at(AKS_OBSERVABILITY, false, null) });
      assert.deepEqual(outcome(networkFlowLogging.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AKS_OBSERVABILITY, value: null }],
      });
    });

    it('is unknown when the switch is malformed', () => {
      const cluster = aksPosture({ networkFlowLogs: unknown('observability.enabled is a string') });
      assert.equal(networkFlowLogging.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
