import assert from 'node:assert/strict';
import { kubeletReadOnlyPortDisabled } from '../../../checks/nodes/kubeletReadOnlyPortDisabled.js';
import type { Verdict } from '../../../checks/types.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { agentPool, aksCluster, eksCluster, gkeCluster, gkePool, nodegroup } from './normalised.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

const STANDARD_DEFAULT =
  'cluster.nodePoolDefaults.nodeConfigDefaults.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled';
const AUTOPILOT_DEFAULT = 'cluster.nodePoolAutoConfig.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled';
const AUTOPILOT = { path: 'cluster.autopilot.enabled', value: true };
const AUTO_MODE = { path: 'cluster.computeConfig.enabled', value: true };
const AUTOMATIC = { path: 'sku.name', value: 'Automatic' };

function poolPort(pool: string, value: boolean | string | null) {
  return {
    path: `cluster.nodePools[name=${pool}].config.kubeletConfig.insecureKubeletReadonlyPortEnabled`,
    value,
  };
}

function created(value: string | null) {
  return { path: 'cluster.initialClusterVersion', value };
}

/** A pool that leaves the port to GKE's default. */
function unsetPool(name: string) {
  return gkePool(name, { config: { kubeletConfig: {} } });
}

function closedByDefault(value: boolean) {
  return { nodeConfigDefaults: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: value } } };
}

describe('KUBELET-01 The kubelet read-only port (10255) is disabled', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when the cluster default and every pool close the port explicitly', () => {
      // Prepare
      const cluster = gkeCluster({
        initialClusterVersion: '1.27.3-gke.100',
        nodePoolDefaults: closedByDefault(false),
        nodePools: [gkePool('a'), gkePool('b')],
      });
      // Act
      const verdict = evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [{ path: STANDARD_DEFAULT, value: false }, poolPort('a', false), poolPort('b', false)],
      });
    });

    it('passes when nothing is set in a cluster created at 1.32 or later, where GKE closes the port by default', () => {
      const cluster = gkeCluster({
        initialClusterVersion: '1.32.2-gke.1182003',
        nodePools: [unsetPool('a')],
      });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: STANDARD_DEFAULT, value: null },
          created('1.32.2-gke.1182003'),
          poolPort('a', null),
        ],
      });
    });

    it('fails when nothing is set in a cluster created before 1.32, where the port stays open by default', () => {
      const cluster = gkeCluster({
        initialClusterVersion: '1.29.1-gke.1589000',
        nodePools: [unsetPool('a')],
      });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: STANDARD_DEFAULT, value: null },
          created('1.29.1-gke.1589000'),
          poolPort('a', null),
        ],
      });
    });

    it('fails when the default for new pools opens the port, even if current pools close it', () => {
      const cluster = gkeCluster({ nodePoolDefaults: closedByDefault(true), nodePools: [gkePool('a')] });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: STANDARD_DEFAULT, value: true }],
      });
    });

    it('fails when one pool opens the port, with only that pool as evidence', () => {
      const cluster = gkeCluster({
        nodePoolDefaults: closedByDefault(false),
        nodePools: [
          gkePool('a'),
          gkePool('b', { config: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: true } } }),
        ],
      });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'fail',
        evidence: [poolPort('b', true)],
      });
    });

    it('is unknown when nothing is set and the export does not say which version the cluster was created at', () => {
      const cluster = gkeCluster({ initialClusterVersion: null, nodePools: [unsetPool('a')] });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: STANDARD_DEFAULT, value: null },
          created(null),
          { path: 'cluster.currentMasterVersion', value: '1.33.5-gke.1080000' },
        ],
      });
    });

    it('is unknown when a pool setting is malformed', () => {
      const cluster = gkeCluster({
        nodePoolDefaults: closedByDefault(false),
        nodePools: [
          gkePool('a', { config: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: 'false' } } }),
        ],
      });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [poolPort('a', 'false')],
      });
    });

    it('is unknown, not not-applicable, when the export has no nodePools list', () => {
      const cluster = gkeCluster({ nodePoolDefaults: closedByDefault(false) });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }],
      });
    });

    it('passes on Autopilot on the customer side, who turns the port off', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        initialClusterVersion: '1.30.2-gke.1587003',
        nodePoolAutoConfig: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false } },
        nodePools: [gkePool('default-pool')],
      });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [{ path: AUTOPILOT_DEFAULT, value: false }, poolPort('default-pool', false)],
      });
    });

    it('fails on an Autopilot cluster created before 1.32 that never turned the port off', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        initialClusterVersion: '1.30.2-gke.1587003',
        nodePools: [unsetPool('default-pool')],
      });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [
          { path: AUTOPILOT_DEFAULT, value: null },
          { path: STANDARD_DEFAULT, value: null },
          created('1.30.2-gke.1587003'),
          poolPort('default-pool', null),
        ],
      });
    });

    it('is unknown on Autopilot when the pools are not in the export', () => {
      const verdict = evaluateCheck(
        kubeletReadOnlyPortDisabled,
        gkeCluster({ autopilot: { enabled: true } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }, AUTOPILOT],
      });
    });

    it('is not applicable on Autopilot when the cluster lists no pool', () => {
      const cluster = gkeCluster({ autopilot: { enabled: true }, nodePools: [] });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'not_applicable',
        responsibility: undefined,
        evidence: [
          { path: AUTOPILOT_DEFAULT, value: null },
          { path: STANDARD_DEFAULT, value: null },
          created('1.33.5-gke.1080000'),
        ],
      });
    });
  });

  describe('on EKS', () => {
    it('is unknown for managed node groups: the kubelet configuration needs in-cluster read access', () => {
      const cluster = eksCluster({ nodegroups: collected([nodegroup('a')]) });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });

    it('is not applicable when the cluster has no node groups', () => {
      const verdict = evaluateCheck(
        kubeletReadOnlyPortDisabled,
        eksCluster({ nodegroups: collected([]) }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    });

    it('is unknown on Auto Mode when node groups are not in the export', () => {
      const verdict = evaluateCheck(kubeletReadOnlyPortDisabled, eksCluster({ autoMode: true }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [AUTO_MODE],
      });
    });

    it('passes as provider-enforced on Auto Mode when no node group runs beside the Auto Mode nodes', () => {
      const cluster = eksCluster({ autoMode: true, nodegroups: collected([]) });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTO_MODE],
      });
    });

    it('is unknown on Auto Mode for a customer node group beside the Auto Mode nodes', () => {
      const cluster = eksCluster({ autoMode: true, nodegroups: collected([nodegroup('batch')]) });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });
  });

  describe('on AKS', () => {
    it('is unknown for agent pools: the kubelet configuration needs in-cluster read access', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system')] });
      assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });

    it('is unknown on AKS Automatic too, where the pools it lists show no kubelet setting', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool')],
      });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [],
      });
    });

    it('passes as provider-enforced on AKS Automatic when it lists no pool', () => {
      const cluster = aksCluster({ sku: { name: 'Automatic' }, agentPoolProfiles: [] });
      assert.deepEqual(sided(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOMATIC],
      });
    });

    it('is not applicable when the cluster has no agent pools', () => {
      const verdict = evaluateCheck(kubeletReadOnlyPortDisabled, aksCluster({ agentPoolProfiles: [] }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    });
  });
});
