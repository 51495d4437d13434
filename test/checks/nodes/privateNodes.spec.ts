import assert from 'node:assert/strict';
import { privateNodes } from '../../../checks/nodes/privateNodes.js';
import type { Verdict } from '../../../checks/types.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

describe('NODE-01 Nodes have no public IP addresses', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when no node group subnet maps public IPs', () => {
      // Prepare
      const cluster = eksPosture({ nodePools: known([nodePool(0), nodePool(1)]) });
      // Act
      const verdict = privateNodes.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [
          { path: 'nodePools[0].publicIps', value: false },
          { path: 'nodePools[1].publicIps', value: false },
        ],
      });
    });

    it('fails when one node group launches nodes with public IPs, with only that group as evidence', () => {
      const cluster = eksPosture({
        nodePools: known([nodePool(0), nodePool(1, { publicIps: at('nodePools[1].publicIps', true) })]),
      });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: 'nodePools[1].publicIps', value: true }],
      });
      assert.match(verdict.message, /pool-1/);
    });

    it('fails when one group is public even though another could not be read', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, { publicIps: unknown('DescribeSubnets denied') }),
          nodePool(1, { publicIps: at('nodePools[1].publicIps', true) }),
        ]),
      });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when a node group subnet could not be read', () => {
      const cluster = eksPosture({
        nodePools: known([nodePool(0), nodePool(1, { publicIps: unknown('DescribeSubnets denied') })]),
      });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'Public IP setting of node pool pool-1 could not be read: DescribeSubnets denied',
        },
      );
    });

    it('is unknown when node groups could not be listed', () => {
      const cluster = eksPosture({ nodePools: unknown('ListNodegroups not collected from a snapshot') });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'unknown');
    });

    it('is not applicable when the cluster has no node groups', () => {
      const cluster = eksPosture({ nodePools: known([]) });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.match(verdict.message, /no node pools/);
    });

    it('passes as provider-enforced on Fargate-only profiles whose subnets are not read', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, { name: 'fargate-default', managedBy: 'provider', publicIps: unknown('Fargate') }),
        ]),
      });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [] });
      assert.match(verdict.message, /Amazon EKS manages the nodes/);
    });

    it('is unknown on Auto Mode for a customer node group beside the Auto Mode pools', () => {
      const cluster = eksPosture({
        mode: at<ClusterMode>('cluster.computeConfig.enabled', 'eks-auto-mode', true),
        nodePools: known([
          nodePool(0, { name: 'general-purpose', managedBy: 'provider', publicIps: unknown('Auto Mode') }),
          nodePool(1, { publicIps: unknown('DescribeSubnets denied') }),
        ]),
      });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Auto Mode when only Auto Mode pools run', () => {
      const cluster = eksPosture({
        mode: at<ClusterMode>('cluster.computeConfig.enabled', 'eks-auto-mode', true),
        nodePools: known([
          nodePool(0, { name: 'general-purpose', managedBy: 'provider', publicIps: unknown('Auto Mode') }),
        ]),
      });
      assert.deepEqual(sided(privateNodes.evaluate(cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.computeConfig.enabled', value: true }],
      });
    });
  });

  describe('on GKE', () => {
    it('passes when every pool has private nodes', () => {
      const cluster = gkePosture({
        nodePools: known([
          nodePool(0, { publicIps: at('nodePools[0].networkConfig.enablePrivateNodes', false, true) }),
        ]),
      });
      assert.deepEqual(outcome(privateNodes.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: 'nodePools[0].networkConfig.enablePrivateNodes', value: true }],
      });
    });

    it('fails when a pool overrides the cluster default with public nodes', () => {
      const cluster = gkePosture({
        nodePools: known([
          nodePool(0),
          nodePool(1, { publicIps: at('nodePools[1].networkConfig.enablePrivateNodes', true, false) }),
        ]),
      });
      assert.deepEqual(outcome(privateNodes.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: 'nodePools[1].networkConfig.enablePrivateNodes', value: false }],
      });
    });

    it('is unknown when a pool network config could not be read', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0, { publicIps: unknown('networkConfig malformed') })]),
      });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Autopilot when pools are not listed', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        nodePools: unknown('Autopilot pools not listed'),
      });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.autopilot.enabled', value: true }],
      });
      assert.match(verdict.message, /GKE Autopilot manages the nodes/);
    });

    it('fails on Autopilot when the cluster was created with public nodes', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        nodePools: known([
          nodePool(0, {
            managedBy: 'provider',
            publicIps: at('cluster.networkConfig.defaultEnablePrivateNodes', true, false),
          }),
        ]),
      });
      assert.deepEqual(sided(privateNodes.evaluate(cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [{ path: 'cluster.networkConfig.defaultEnablePrivateNodes', value: false }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when no agent pool enables node public IPs', () => {
      const cluster = aksPosture({
        nodePools: known([
          nodePool(0, { publicIps: at('properties.agentPoolProfiles[0].enableNodePublicIP', false) }),
        ]),
      });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails when an agent pool enables node public IPs', () => {
      const cluster = aksPosture({
        nodePools: known([
          nodePool(0, { publicIps: at('properties.agentPoolProfiles[0].enableNodePublicIP', true) }),
        ]),
      });
      assert.deepEqual(outcome(privateNodes.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: 'properties.agentPoolProfiles[0].enableNodePublicIP', value: true }],
      });
    });

    it('is unknown when an agent pool could not be read', () => {
      const cluster = aksPosture({
        nodePools: known([nodePool(0, { publicIps: unknown('agentPoolProfiles malformed') })]),
      });
      assert.equal(privateNodes.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on AKS Automatic', () => {
      const cluster = aksPosture({
        mode: at<ClusterMode>('sku.name', 'aks-automatic', 'Automatic'),
        nodePools: known([nodePool(0, { publicIps: unknown('node auto-provisioning') })]),
      });
      const verdict = privateNodes.evaluate(cluster, ctx);
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'sku.name', value: 'Automatic' }],
      });
      assert.match(verdict.message, /AKS Automatic manages the nodes/);
    });
  });
});
