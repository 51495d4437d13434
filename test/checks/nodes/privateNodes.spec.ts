import assert from 'node:assert/strict';
import { privateNodes } from '../../../checks/nodes/privateNodes.js';
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
const PRIVATE_SUBNET = { path: 'subnets[id=subnet-private-a].MapPublicIpOnLaunch', value: false };
const PUBLIC_SUBNET = { path: 'subnets[id=subnet-public-a].MapPublicIpOnLaunch', value: true };

function subnetsOf(group: string, ...ids: string[]) {
  return { path: `nodegroups[name=${group}].subnets`, value: ids };
}

function poolPrivate(pool: string, value: boolean | string | null) {
  return { path: `cluster.nodePools[name=${pool}].networkConfig.enablePrivateNodes`, value };
}

describe('NODE-01 Nodes have no public IP addresses', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when no node group subnet maps public IPs', () => {
      // Prepare
      const cluster = eksCluster({ nodegroups: collected([nodegroup('a'), nodegroup('b')]) });
      // Act
      const verdict = evaluateCheck(privateNodes, cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [subnetsOf('a', 'subnet-private-a'), PRIVATE_SUBNET, subnetsOf('b', 'subnet-private-a')],
      });
    });

    it('fails when one node group launches nodes in a public subnet, with only that group as evidence', () => {
      const cluster = eksCluster({
        nodegroups: collected([nodegroup('a'), nodegroup('b', { subnets: ['subnet-public-a'] })]),
      });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [subnetsOf('b', 'subnet-public-a'), PUBLIC_SUBNET],
      });
    });

    it('fails when one group is public even though another could not be read', () => {
      const cluster = eksCluster({
        nodegroups: collected([
          nodegroup('a', { subnets: ['subnet-unlisted'] }),
          nodegroup('b', { subnets: ['subnet-public-a'] }),
        ]),
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        evidence: [subnetsOf('b', 'subnet-public-a'), PUBLIC_SUBNET],
      });
    });

    it('is unknown when a node group subnet was not returned by DescribeSubnets', () => {
      const cluster = eksCluster({
        nodegroups: collected([nodegroup('a'), nodegroup('b', { subnets: ['subnet-unlisted'] })]),
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [subnetsOf('b', 'subnet-unlisted')],
      });
    });

    it('is unknown when node groups are not in the export', () => {
      const verdict = evaluateCheck(privateNodes, eksCluster(), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
    });

    it('is not applicable when the cluster has no node groups', () => {
      const verdict = evaluateCheck(privateNodes, eksCluster({ nodegroups: collected([]) }), ctx);
      assert.deepEqual(sided(verdict), { status: 'not_applicable', responsibility: undefined, evidence: [] });
    });

    it('is unknown on Auto Mode when node groups are not in the export: customer node groups run beside Auto Mode', () => {
      const verdict = evaluateCheck(privateNodes, eksCluster({ autoMode: true }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [AUTO_MODE],
      });
    });

    it('passes as provider-enforced on Auto Mode when no node group runs beside the Auto Mode nodes', () => {
      const verdict = evaluateCheck(
        privateNodes,
        eksCluster({ autoMode: true, nodegroups: collected([]) }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [AUTO_MODE] });
    });

    it('judges a customer node group beside the Auto Mode nodes like any other', () => {
      const cluster = eksCluster({
        autoMode: true,
        nodegroups: collected([nodegroup('batch', { subnets: ['subnet-public-a'] })]),
      });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [subnetsOf('batch', 'subnet-public-a'), PUBLIC_SUBNET],
      });
    });
  });

  describe('on GKE', () => {
    it('passes when every pool has private nodes', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a'), gkePool('b')] });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [poolPrivate('a', true), poolPrivate('b', true)],
      });
    });

    it('passes when pools inherit the cluster-wide private nodes setting', () => {
      const cluster = gkeCluster({
        privateClusterConfig: { enablePrivateNodes: true },
        nodePools: [gkePool('a', { networkConfig: {} })],
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'pass',
        evidence: [
          poolPrivate('a', null),
          { path: 'cluster.privateClusterConfig.enablePrivateNodes', value: true },
        ],
      });
    });

    it('fails when a pool overrides the cluster default with public nodes', () => {
      const cluster = gkeCluster({
        networkConfig: { defaultEnablePrivateNodes: true },
        nodePools: [gkePool('a'), gkePool('b', { networkConfig: { enablePrivateNodes: false } })],
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        evidence: [poolPrivate('b', false)],
      });
    });

    it('is unknown when a pool network config is malformed', () => {
      const cluster = gkeCluster({
        nodePools: [gkePool('a', { networkConfig: { enablePrivateNodes: 'yes' } })],
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [poolPrivate('a', 'yes')],
      });
    });

    it('is unknown, not not-applicable, when the export has no nodePools list', () => {
      const verdict = evaluateCheck(privateNodes, gkeCluster({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }],
      });
    });

    it('passes on Autopilot from the private-nodes setting the customer chose, on the customer side', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        networkConfig: { defaultEnablePrivateNodes: true },
        nodePools: [gkePool('default-pool', { networkConfig: {} })],
      });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [
          poolPrivate('default-pool', null),
          { path: 'cluster.networkConfig.defaultEnablePrivateNodes', value: true },
        ],
      });
    });

    it('fails on Autopilot when the cluster was created with public nodes', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        nodePools: [gkePool('default-pool', { networkConfig: {} })],
      });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [
          poolPrivate('default-pool', null),
          { path: 'cluster.privateClusterConfig.enablePrivateNodes', value: null },
        ],
      });
    });

    it('is unknown on Autopilot when the pools are not in the export: private nodes are the customer choice', () => {
      const verdict = evaluateCheck(privateNodes, gkeCluster({ autopilot: { enabled: true } }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }, AUTOPILOT],
      });
    });

    it('is not applicable on Autopilot when the cluster lists no pool, as no node runs yet', () => {
      const verdict = evaluateCheck(
        privateNodes,
        gkeCluster({ autopilot: { enabled: true }, nodePools: [] }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'not_applicable', responsibility: undefined, evidence: [] });
    });
  });

  describe('on AKS', () => {
    const publicIp = (pool: string, value: boolean | string) => ({
      path: `properties.agentPoolProfiles[name=${pool}].enableNodePublicIP`,
      value,
    });

    it('passes when no agent pool enables node public IPs', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system'), agentPool('user')] });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [publicIp('system', false), publicIp('user', false)],
      });
    });

    it('fails when an agent pool enables node public IPs', () => {
      const cluster = aksCluster({
        agentPoolProfiles: [agentPool('system'), agentPool('user', { enableNodePublicIp: true })],
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'fail',
        evidence: [publicIp('user', true)],
      });
    });

    it('is unknown when an agent pool setting is malformed', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system', { enableNodePublicIp: 'no' })] });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [publicIp('system', 'no')],
      });
    });

    it('passes as provider-enforced on AKS Automatic from the pools it lists', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool')],
      });
      assert.deepEqual(sided(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOMATIC, publicIp('systempool', false)],
      });
    });

    it('is unknown on AKS Automatic when a listed pool cannot be read', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool', { enableNodePublicIp: 'no' })],
      });
      assert.deepEqual(outcome(evaluateCheck(privateNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [publicIp('systempool', 'no')],
      });
    });

    it('is unknown on AKS Automatic when the agent pools are not in the export', () => {
      const verdict = evaluateCheck(privateNodes, aksCluster({ sku: { name: 'Automatic' } }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [{ path: 'properties.agentPoolProfiles', value: null }, AUTOMATIC],
      });
    });

    it('passes as provider-enforced on AKS Automatic when it lists no pool: AKS runs the system and autoprovisioned nodes', () => {
      const verdict = evaluateCheck(
        privateNodes,
        aksCluster({ sku: { name: 'Automatic' }, agentPoolProfiles: [] }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [AUTOMATIC] });
    });
  });
});
