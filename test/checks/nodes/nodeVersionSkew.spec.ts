import assert from 'node:assert/strict';
import { nodeVersionSkew } from '../../../checks/nodes/nodeVersionSkew.js';
import type { Verdict } from '../../../checks/types.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { agentPool, aksCluster, eksCluster, gkeCluster, gkePool, nodegroup } from './normalised.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

const AUTO_MODE = { path: 'cluster.computeConfig.enabled', value: true };
const AUTOPILOT = { path: 'cluster.autopilot.enabled', value: true };
const AUTOMATIC = { path: 'sku.name', value: 'Automatic' };
const GKE_MASTER = { path: 'cluster.currentMasterVersion', value: '1.33.5-gke.1080000' };
const AKS_CONTROL_PLANE = { path: 'properties.currentKubernetesVersion', value: '1.33.2' };

function eksControlPlane(value: string) {
  return { path: 'cluster.version', value };
}

function groupVersion(group: string, value: string | null) {
  return { path: `nodegroups[name=${group}].version`, value };
}

function gkePoolVersion(pool: string, value: string | number) {
  return { path: `cluster.nodePools[name=${pool}].version`, value };
}

function aksPoolVersion(pool: string, value: string) {
  return { path: `properties.agentPoolProfiles[name=${pool}].currentOrchestratorVersion`, value };
}

describe('NODE-03 Node and control-plane versions are within the allowed skew', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    function eksWithGroups(controlPlane: string | null, ...versions: string[]) {
      return eksCluster({
        version: controlPlane,
        nodegroups: collected(versions.map((version, index) => nodegroup(`ng-${index}`, { version }))),
      });
    }

    it('passes when node groups are at most one minor behind', () => {
      // Prepare
      const cluster = eksWithGroups('1.33', '1.33', '1.32');
      // Act
      const verdict = evaluateCheck(nodeVersionSkew, cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [eksControlPlane('1.33'), groupVersion('ng-0', '1.33'), groupVersion('ng-1', '1.32')],
      });
    });

    it('fails when a node group is two minors behind, with only that group as pool evidence', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups('1.33', '1.33', '1.31'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksControlPlane('1.33'), groupVersion('ng-1', '1.31')],
      });
    });

    it('fails when a node group is newer than the control plane', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups('1.32', '1.33'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksControlPlane('1.32'), groupVersion('ng-0', '1.33')],
      });
    });

    it('fails when a node group runs another major version', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups('1.33', '2.0'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksControlPlane('1.33'), groupVersion('ng-0', '2.0')],
      });
    });

    it('passes when the configured skew allows two minors', () => {
      const verdict = evaluateCheck(
        nodeVersionSkew,
        eksWithGroups('1.33', '1.31'),
        evalContext({ settings: { maxNodeSkew: 2 } }),
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [eksControlPlane('1.33'), groupVersion('ng-0', '1.31')],
      });
    });

    it('passes when 1.30 nodes run under a 1.31 control plane, compared as numbers', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups('1.31', '1.30'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [eksControlPlane('1.31'), groupVersion('ng-0', '1.30')],
      });
    });

    it('fails when 1.3 nodes run under a 1.30 control plane (1.3 is not 1.30)', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups('1.30', '1.3'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksControlPlane('1.30'), groupVersion('ng-0', '1.3')],
      });
    });

    it('is unknown when the control-plane version could not be read', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksWithGroups(null, '1.33'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.version', value: null }],
      });
    });

    it('is unknown when a node group version could not be read', () => {
      const cluster = eksCluster({
        nodegroups: collected([nodegroup('ng-0'), nodegroup('ng-1', { version: null })]),
      });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'unknown',
        evidence: [groupVersion('ng-1', null)],
      });
    });

    it('is unknown when node groups are not in the export', () => {
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, eksCluster(), ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });

    it('is not applicable when the cluster has no node groups', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksCluster({ nodegroups: collected([]) }), ctx);
      assert.deepEqual(sided(verdict), { status: 'not_applicable', responsibility: undefined, evidence: [] });
    });

    it('is unknown on Auto Mode when node groups are not in the export', () => {
      const verdict = evaluateCheck(nodeVersionSkew, eksCluster({ autoMode: true }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [AUTO_MODE],
      });
    });

    it('passes as provider-enforced on Auto Mode when no node group runs beside the Auto Mode nodes', () => {
      const verdict = evaluateCheck(
        nodeVersionSkew,
        eksCluster({ autoMode: true, nodegroups: collected([]) }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [AUTO_MODE] });
    });

    it('fails on Auto Mode when a customer node group beside it falls behind', () => {
      const cluster = eksCluster({
        autoMode: true,
        nodegroups: collected([nodegroup('legacy', { version: '1.30' })]),
      });
      assert.deepEqual(sided(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [eksControlPlane('1.33'), groupVersion('legacy', '1.30')],
      });
    });
  });

  describe('on GKE', () => {
    it('passes with suffixed versions one minor apart', () => {
      const cluster = gkeCluster({
        nodePools: [gkePool('a'), gkePool('b', { version: '1.32.9-gke.1108000' })],
      });
      assert.deepEqual(sided(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [
          GKE_MASTER,
          gkePoolVersion('a', '1.33.5-gke.1080000'),
          gkePoolVersion('b', '1.32.9-gke.1108000'),
        ],
      });
    });

    it('fails with suffixed versions three minors apart', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a', { version: '1.30.14-gke.1000000' })] });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'fail',
        evidence: [GKE_MASTER, gkePoolVersion('a', '1.30.14-gke.1000000')],
      });
    });

    it('is unknown when a pool version is malformed', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a', { version: 133 })] });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'unknown',
        evidence: [gkePoolVersion('a', 133)],
      });
    });

    it('is unknown, not not-applicable, when the export has no nodePools list', () => {
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, gkeCluster({}), ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }],
      });
    });

    it('passes as provider-enforced on Autopilot when its pools run the control-plane version', () => {
      const cluster = gkeCluster({ autopilot: { enabled: true }, nodePools: [gkePool('default-pool')] });
      assert.deepEqual(sided(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOPILOT, GKE_MASTER, gkePoolVersion('default-pool', '1.33.5-gke.1080000')],
      });
    });

    it('is unknown on Autopilot when the pools are not in the export', () => {
      const verdict = evaluateCheck(nodeVersionSkew, gkeCluster({ autopilot: { enabled: true } }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [{ path: 'cluster.nodePools', value: null }, AUTOPILOT],
      });
    });

    it('is unknown on Autopilot when the control-plane version could not be read', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        currentMasterVersion: null,
        nodePools: [gkePool('default-pool')],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.currentMasterVersion', value: null }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when agent pools run the control-plane version', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system')] });
      assert.deepEqual(sided(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [AKS_CONTROL_PLANE, aksPoolVersion('system', '1.33.2')],
      });
    });

    it('fails when an agent pool is two minors behind', () => {
      const cluster = aksCluster({
        agentPoolProfiles: [agentPool('system'), agentPool('user', { currentOrchestratorVersion: '1.31.9' })],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'fail',
        evidence: [AKS_CONTROL_PLANE, aksPoolVersion('user', '1.31.9')],
      });
    });

    it('passes as provider-enforced on AKS Automatic from the versions of the pools it lists', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool')],
      });
      assert.deepEqual(sided(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOMATIC, AKS_CONTROL_PLANE, aksPoolVersion('systempool', '1.33.2')],
      });
    });

    it('is unknown on AKS Automatic when a listed pool reports no version', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool', { currentOrchestratorVersion: null })],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeVersionSkew, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: 'properties.agentPoolProfiles[name=systempool].orchestratorVersion', value: null },
        ],
      });
    });

    it('is unknown on AKS Automatic when the agent pools are not in the export', () => {
      assert.deepEqual(
        outcome(evaluateCheck(nodeVersionSkew, aksCluster({ sku: { name: 'Automatic' } }), ctx)),
        {
          status: 'unknown',
          evidence: [{ path: 'properties.agentPoolProfiles', value: null }, AUTOMATIC],
        },
      );
    });
  });
});
