import assert from 'node:assert/strict';
import { networkFlowLogging } from '../../../checks/network/networkFlowLogging.js';
import { known, unknown } from '../../../model/observed.js';
import type { EksClusterPosture } from '../../../model/posture.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { eksFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const VPC = 'vpc-0a1b2c3d';
const VPC_ID = 'cluster.resourcesVpcConfig.vpcId';
const EKS_FLOW_LOGS = `flowLogs[resourceId=${VPC}]`;
const GKE_INTRA_NODE = 'cluster.networkConfig.enableIntraNodeVisibility';
const GKE_METRICS = 'cluster.monitoringConfig.advancedDatapathObservabilityConfig.enableMetrics';
const AKS_OBSERVABILITY = 'properties.networkProfile.advancedNetworking.observability.enabled';

/** An EKS posture as a scan builds it, from DescribeCluster and the region's DescribeFlowLogs. */
function eksWithFlowLogs(flowLogs: readonly unknown[]): EksClusterPosture {
  return eksFromWire(
    { resourcesVpcConfig: { vpcId: VPC, endpointPublicAccess: false, endpointPrivateAccess: true } },
    { flowLogs: collected(flowLogs) },
  );
}

describe('NET-03 Network flows of the cluster are recorded', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when an ACTIVE flow log records the cluster VPC', () => {
      // Prepare
      const flowLog = { FlowLogId: 'fl-1', ResourceId: VPC, FlowLogStatus: 'ACTIVE' };
      // Act
      const verdict = evaluateCheck(networkFlowLogging, eksWithFlowLogs([flowLog]), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: VPC_ID, value: VPC },
          { path: EKS_FLOW_LOGS, value: [flowLog] },
        ],
      });
      assert.equal(verdict.message, 'Network flows are recorded (VPC flow logs on the cluster VPC).');
    });

    it('fails when the VPC has no flow logs', () => {
      // Prepare: a flow log on another VPC does not count.
      const elsewhere = { FlowLogId: 'fl-2', ResourceId: 'vpc-0other', FlowLogStatus: 'ACTIVE' };
      // Act
      const verdict = evaluateCheck(networkFlowLogging, eksWithFlowLogs([elsewhere]), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: VPC_ID, value: VPC },
          { path: EKS_FLOW_LOGS, value: [] },
        ],
      });
      assert.equal(verdict.message, 'Network flows are not recorded: the cluster VPC has no flow logs.');
    });

    it('is unknown, not a pass, when the only flow log has no FlowLogStatus', () => {
      // Prepare
      const flowLog = { FlowLogId: 'fl-3', ResourceId: VPC };
      // Act
      const verdict = evaluateCheck(networkFlowLogging, eksWithFlowLogs([flowLog]), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: VPC_ID, value: VPC },
          { path: EKS_FLOW_LOGS, value: [flowLog] },
        ],
      });
    });

    it('is unknown when flow logs were not read', () => {
      // Prepare
      const cluster = eksPosture({ networkFlowLogs: unknown('DescribeFlowLogs not collected') });
      // Act
      const verdict = evaluateCheck(networkFlowLogging, cluster, ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
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
      const verdict = evaluateCheck(networkFlowLogging, gkePosture({ networkFlowLogs: flows }), ctx);
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
      assert.deepEqual(
        outcome(evaluateCheck(networkFlowLogging, gkePosture({ networkFlowLogs: flows }), ctx)),
        {
          status: 'fail',
          evidence: [
            { path: GKE_INTRA_NODE, value: null },
            { path: GKE_METRICS, value: null },
          ],
        },
      );
    });

    it('is unknown when a switch is malformed', () => {
      const cluster = gkePosture({
        networkFlowLogs: unknown(`${GKE_INTRA_NODE} is the string "true", expected a boolean`, {
          path: GKE_INTRA_NODE,
          value: 'true',
        }),
      });
      assert.deepEqual(outcome(evaluateCheck(networkFlowLogging, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: GKE_INTRA_NODE, value: 'true' }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with advanced network observability on', () => {
      const cluster = aksPosture({ networkFlowLogs: at(AKS_OBSERVABILITY, true) });
      assert.deepEqual(outcome(evaluateCheck(networkFlowLogging, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AKS_OBSERVABILITY, value: true }],
      });
    });

    it('fails when advanced network observability is absent', () => {
      const cluster = aksPosture({ networkFlowLogs: at(AKS_OBSERVABILITY, false, null) });
      assert.deepEqual(outcome(evaluateCheck(networkFlowLogging, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AKS_OBSERVABILITY, value: null }],
      });
    });

    it('is unknown when the switch is malformed', () => {
      const cluster = aksPosture({
        networkFlowLogs: unknown(`${AKS_OBSERVABILITY} is a string`, {
          path: AKS_OBSERVABILITY,
          value: 'on',
        }),
      });
      assert.deepEqual(outcome(evaluateCheck(networkFlowLogging, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_OBSERVABILITY, value: 'on' }],
      });
    });
  });
});
