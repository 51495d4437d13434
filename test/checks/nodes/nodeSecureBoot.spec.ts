import assert from 'node:assert/strict';
import { nodeSecureBoot } from '../../../checks/nodes/nodeSecureBoot.js';
import type { Verdict } from '../../../checks/types.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const SHIELDED = 'cluster.shieldedNodes.enabled';

function secureBoot(index: number, value: boolean, raw: boolean | null = value) {
  return at(`nodePools[${index}].config.shieldedInstanceConfig.enableSecureBoot`, value, raw);
}

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

describe('NODE-04 Nodes use a hardened, verified boot', () => {
  const ctx = evalContext();

  it('is not applicable on EKS', () => {
    assert.deepEqual(outcome(nodeSecureBoot.evaluate(eksPosture(), ctx)), {
      status: 'not_applicable',
      evidence: [],
    });
  });

  describe('on GKE', () => {
    it('passes with Shielded GKE Nodes and Secure Boot on every pool', () => {
      // Prepare
      const cluster = gkePosture({ nodePools: known([nodePool(0, { secureBoot: secureBoot(0, true) })]) });
      // Act
      const verdict = nodeSecureBoot.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: SHIELDED, value: true },
          { path: 'nodePools[0].config.shieldedInstanceConfig.enableSecureBoot', value: true },
        ],
      });
    });

    it('fails when a pool boots without Secure Boot (proto3 drops the false)', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0), nodePool(1, { secureBoot: secureBoot(1, false, null) })]),
      });
      const verdict = nodeSecureBoot.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: 'nodePools[1].config.shieldedInstanceConfig.enableSecureBoot', value: null }],
      });
      assert.equal(verdict.message, 'Secure Boot is off in node pool(s) pool-1.');
    });

    it('fails when Shielded GKE Nodes is off for the cluster', () => {
      const cluster = gkePosture({ gke: { shieldedNodes: at(SHIELDED, false, null) } });
      const verdict = nodeSecureBoot.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: SHIELDED, value: null }] });
      assert.equal(verdict.message, 'The Shielded GKE Nodes setting is off.');
    });

    it('is unknown when the Shielded GKE Nodes setting could not be read', () => {
      const cluster = gkePosture({ gke: { shieldedNodes: unknown('cluster.shieldedNodes is a string') } });
      assert.equal(nodeSecureBoot.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Autopilot', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        nodePools: known([nodePool(0, { managedBy: 'provider', secureBoot: secureBoot(0, true) })]),
      });
      assert.equal(sided(nodeSecureBoot.evaluate(cluster, ctx)).responsibility, 'provider');
      assert.equal(nodeSecureBoot.evaluate(cluster, ctx).status, 'pass');
    });
  });

  describe('on AKS', () => {
    const BOOT = 'properties.agentPoolProfiles[0].securityProfile.enableSecureBoot';

    it('passes when every agent pool uses Trusted Launch with Secure Boot', () => {
      const cluster = aksPosture({ nodePools: known([nodePool(0, { secureBoot: at(BOOT, true) })]) });
      assert.deepEqual(outcome(nodeSecureBoot.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: BOOT, value: true }],
      });
    });

    it('fails when a pool has Secure Boot off (the ARM default)', () => {
      const cluster = aksPosture({ nodePools: known([nodePool(0, { secureBoot: at(BOOT, false, null) })]) });
      assert.equal(nodeSecureBoot.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when a pool could not be read', () => {
      const cluster = aksPosture({
        nodePools: known([nodePool(0, { secureBoot: unknown('securityProfile malformed') })]),
      });
      assert.equal(nodeSecureBoot.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on AKS Automatic', () => {
      const cluster = aksPosture({
        mode: at<ClusterMode>('sku.name', 'aks-automatic', 'Automatic'),
        nodePools: known([nodePool(0, { secureBoot: unknown('node auto-provisioning') })]),
      });
      assert.deepEqual(sided(nodeSecureBoot.evaluate(cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'sku.name', value: 'Automatic' }],
      });
    });
  });
});
