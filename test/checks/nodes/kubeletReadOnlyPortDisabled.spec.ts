import assert from 'node:assert/strict';
import { kubeletReadOnlyPortDisabled } from '../../../checks/nodes/kubeletReadOnlyPortDisabled.js';
import type { Verdict } from '../../../checks/types.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const GKE_DEFAULT =
  'cluster.nodePoolDefaults.nodeConfigDefaults.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled';
const CONFIGZ = 'needs in-cluster read access to node configz';

function gkePoolPort(index: number, value: boolean) {
  return nodePool(index, {
    kubeletReadOnlyPort: at(
      `nodePools[${index}].config.kubeletConfig.insecureKubeletReadonlyPortEnabled`,
      value,
    ),
  });
}

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

describe('KUBELET-01 The kubelet read-only port (10255) is disabled', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when the cluster default and every pool keep the port closed', () => {
      // Prepare
      const cluster = gkePosture({
        gke: { kubeletReadOnlyPortDefault: at(GKE_DEFAULT, false) },
        nodePools: known([gkePoolPort(0, false), gkePoolPort(1, false)]),
      });
      // Act
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_DEFAULT, value: false },
          { path: 'nodePools[0].config.kubeletConfig.insecureKubeletReadonlyPortEnabled', value: false },
          { path: 'nodePools[1].config.kubeletConfig.insecureKubeletReadonlyPortEnabled', value: false },
        ],
      });
    });

    it('fails when the default for new pools opens the port, even if current pools close it', () => {
      const cluster = gkePosture({
        gke: { kubeletReadOnlyPortDefault: at(GKE_DEFAULT, true) },
        nodePools: known([gkePoolPort(0, false)]),
      });
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: GKE_DEFAULT, value: true }] });
      assert.match(verdict.message, /cluster default for new node pools/);
    });

    it('fails when one pool opens the port', () => {
      const cluster = gkePosture({ nodePools: known([gkePoolPort(0, false), gkePoolPort(1, true)]) });
      assert.deepEqual(outcome(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: 'nodePools[1].config.kubeletConfig.insecureKubeletReadonlyPortEnabled', value: true },
        ],
      });
    });

    it('is unknown when the cluster default could not be read', () => {
      const cluster = gkePosture({
        gke: { kubeletReadOnlyPortDefault: unknown('nodePoolDefaults malformed') },
        nodePools: known([gkePoolPort(0, false)]),
      });
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'The cluster default for new node pools could not be read: nodePoolDefaults malformed',
        },
      );
    });

    it('is unknown when a pool setting could not be read', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0, { kubeletReadOnlyPort: unknown('kubeletConfig malformed') })]),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Autopilot when the settings are not reported', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        gke: { kubeletReadOnlyPortDefault: unknown('not set on Autopilot') },
        nodePools: known([nodePool(0, { managedBy: 'provider', kubeletReadOnlyPort: unknown('Autopilot') })]),
      });
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.autopilot.enabled', value: true }],
      });
      assert.match(verdict.message, /GKE Autopilot manages the nodes/);
    });

    it('fails on Autopilot when the API shows the port open', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        gke: { kubeletReadOnlyPortDefault: at(GKE_DEFAULT, true) },
        nodePools: unknown('Autopilot pools not listed'),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'fail');
    });
  });

  describe('on EKS', () => {
    it('is unknown for managed node groups without in-cluster configz', () => {
      const cluster = eksPosture({
        nodePools: known([nodePool(0, { kubeletReadOnlyPort: unknown(CONFIGZ) })]),
      });
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
          message: `Kubelet read-only port setting of node pool pool-0 could not be read: ${CONFIGZ}`,
        },
      );
    });

    it('passes when configz shows the port closed on every node group', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, {
            kubeletReadOnlyPort: at('nodes[ip-10-0-1-1].configz.kubeletconfig.readOnlyPort', false, 0),
          }),
        ]),
      });
      assert.deepEqual(outcome(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: 'nodes[ip-10-0-1-1].configz.kubeletconfig.readOnlyPort', value: 0 }],
      });
    });

    it('fails when configz shows the port open', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, {
            kubeletReadOnlyPort: at('nodes[ip-10-0-1-1].configz.kubeletconfig.readOnlyPort', true, 10255),
          }),
        ]),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'fail');
    });

    it('passes as provider-enforced on Auto Mode pools', () => {
      const cluster = eksPosture({
        mode: at<ClusterMode>('cluster.computeConfig.enabled', 'eks-auto-mode', true),
        nodePools: known([
          nodePool(0, { name: 'system', managedBy: 'provider', kubeletReadOnlyPort: unknown(CONFIGZ) }),
        ]),
      });
      const verdict = kubeletReadOnlyPortDisabled.evaluate(cluster, ctx);
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.computeConfig.enabled', value: true }],
      });
      assert.match(verdict.message, /EKS Auto Mode manages the nodes/);
    });
  });

  describe('on AKS', () => {
    it('is unknown for agent pools without in-cluster configz', () => {
      const cluster = aksPosture({
        nodePools: known([nodePool(0, { kubeletReadOnlyPort: unknown(CONFIGZ) })]),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes when every agent pool keeps the port closed', () => {
      const cluster = aksPosture({ nodePools: known([nodePool(0)]) });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails when an agent pool opens the port', () => {
      const cluster = aksPosture({
        nodePools: known([
          nodePool(0, { kubeletReadOnlyPort: at('nodePools[0].kubeletReadOnlyPort', true) }),
        ]),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'fail');
    });

    it('passes as provider-enforced on AKS Automatic', () => {
      const cluster = aksPosture({
        mode: at<ClusterMode>('sku.name', 'aks-automatic', 'Automatic'),
        nodePools: known([nodePool(0, { kubeletReadOnlyPort: unknown(CONFIGZ) })]),
      });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).responsibility, 'provider');
    });

    it('is not applicable when the cluster has no agent pools', () => {
      const cluster = aksPosture({ nodePools: known([]) });
      assert.equal(kubeletReadOnlyPortDisabled.evaluate(cluster, ctx).status, 'not_applicable');
    });
  });
});
