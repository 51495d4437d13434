import assert from 'node:assert/strict';
import { nodeSecureBoot } from '../../../checks/nodes/nodeSecureBoot.js';
import type { Verdict } from '../../../checks/types.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { agentPool, aksCluster, eksCluster, gkeCluster, gkePool, nodegroup } from './normalised.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

const SHIELDED = { path: 'cluster.shieldedNodes.enabled', value: true };
const AUTOPILOT = { path: 'cluster.autopilot.enabled', value: true };
const AUTOMATIC = { path: 'sku.name', value: 'Automatic' };

function gkeBoot(pool: string, value: boolean | string | null) {
  return { path: `cluster.nodePools[name=${pool}].config.shieldedInstanceConfig.enableSecureBoot`, value };
}

function aksBoot(pool: string, value: boolean | null) {
  return { path: `properties.agentPoolProfiles[name=${pool}].securityProfile.enableSecureBoot`, value };
}

describe('NODE-04 Nodes use a hardened, verified boot', () => {
  const ctx = evalContext();

  it('is not applicable on EKS', () => {
    const cluster = eksCluster({ nodegroups: collected([nodegroup('a')]) });
    assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
      status: 'not_applicable',
      evidence: [],
    });
  });

  describe('on GKE', () => {
    it('passes with Shielded GKE Nodes and Secure Boot on every pool', () => {
      // Prepare
      const cluster = gkeCluster({ nodePools: [gkePool('a'), gkePool('b')] });
      // Act
      const verdict = evaluateCheck(nodeSecureBoot, cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [SHIELDED, gkeBoot('a', true), gkeBoot('b', true)],
      });
    });

    it('fails when a pool boots without Secure Boot (proto3 drops the false)', () => {
      const cluster = gkeCluster({
        nodePools: [gkePool('a'), gkePool('b', { config: { shieldedInstanceConfig: {} } })],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'fail',
        evidence: [gkeBoot('b', null)],
      });
    });

    it('fails when Shielded GKE Nodes is off for the cluster', () => {
      const cluster = gkeCluster({ shieldedNodes: {}, nodePools: [gkePool('a')] });
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: 'cluster.shieldedNodes.enabled', value: null }],
      });
    });

    it('is unknown when the Shielded GKE Nodes setting is malformed', () => {
      const cluster = gkeCluster({ shieldedNodes: { enabled: 'true' }, nodePools: [gkePool('a')] });
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.shieldedNodes.enabled', value: 'true' }],
      });
    });

    it('is unknown when a pool Secure Boot setting is malformed', () => {
      const cluster = gkeCluster({
        nodePools: [gkePool('a', { config: { shieldedInstanceConfig: { enableSecureBoot: 'on' } } })],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'unknown',
        evidence: [gkeBoot('a', 'on')],
      });
    });

    it('is unknown, not not-applicable, when the export has no nodePools list', () => {
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, gkeCluster({}), ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }],
      });
    });

    it('passes as provider-enforced on Autopilot, from the settings its pools show', () => {
      const cluster = gkeCluster({ autopilot: { enabled: true }, nodePools: [gkePool('default-pool')] });
      assert.deepEqual(sided(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOPILOT, SHIELDED, gkeBoot('default-pool', true)],
      });
    });

    it('is unknown on Autopilot when the pools are not in the export', () => {
      const verdict = evaluateCheck(nodeSecureBoot, gkeCluster({ autopilot: { enabled: true } }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }, AUTOPILOT],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when every agent pool uses Trusted Launch with Secure Boot', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system')] });
      assert.deepEqual(sided(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [aksBoot('system', true)],
      });
    });

    it('fails when a pool has Secure Boot off (the ARM default)', () => {
      const cluster = aksCluster({
        agentPoolProfiles: [
          agentPool('system'),
          agentPool('user', { securityProfile: { sshAccess: 'Disabled' } }),
        ],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'fail',
        evidence: [aksBoot('user', null)],
      });
    });

    it('is not applicable when the cluster has no agent pools', () => {
      const verdict = evaluateCheck(nodeSecureBoot, aksCluster({ agentPoolProfiles: [] }), ctx);
      assert.deepEqual(sided(verdict), { status: 'not_applicable', responsibility: undefined, evidence: [] });
    });

    it('passes as provider-enforced on AKS Automatic when its pools boot with Secure Boot', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool')],
      });
      assert.deepEqual(sided(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOMATIC, aksBoot('systempool', true)],
      });
    });

    it('fails on AKS Automatic when a pool shows Secure Boot off', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool', { securityProfile: { sshAccess: 'Disabled' } })],
      });
      assert.deepEqual(sided(evaluateCheck(nodeSecureBoot, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [aksBoot('systempool', null)],
      });
    });

    it('passes as provider-enforced on AKS Automatic when it lists no pool', () => {
      const verdict = evaluateCheck(
        nodeSecureBoot,
        aksCluster({ sku: { name: 'Automatic' }, agentPoolProfiles: [] }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [AUTOMATIC] });
    });
  });
});
