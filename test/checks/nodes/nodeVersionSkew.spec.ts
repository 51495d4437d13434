import assert from 'node:assert/strict';
import { nodeVersionSkew } from '../../../checks/nodes/nodeVersionSkew.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

function poolAt(index: number, raw: string) {
  return nodePool(index, { version: at(`nodePools[${index}].version`, version(raw), raw) });
}

function controlPlane(path: string, raw: string) {
  return at(path, version(raw), raw);
}

describe('NODE-03 Node and control-plane versions are within the allowed skew', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when node groups are at most one minor behind', () => {
      // Prepare
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.33'),
        nodePools: known([poolAt(0, '1.33'), poolAt(1, '1.32')]),
      });
      // Act
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: 'cluster.version', value: '1.33' },
          { path: 'nodePools[0].version', value: '1.33' },
          { path: 'nodePools[1].version', value: '1.32' },
        ],
      });
    });

    it('fails when a node group is two minors behind, with only that group as pool evidence', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.33'),
        nodePools: known([poolAt(0, '1.33'), poolAt(1, '1.31')]),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: 'cluster.version', value: '1.33' },
          { path: 'nodePools[1].version', value: '1.31' },
        ],
      });
      assert.match(verdict.message, /pool-1 runs 1\.31, 2 minors behind/);
    });

    it('fails when a node group is newer than the control plane', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.32'),
        nodePools: known([poolAt(0, '1.33')]),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /newer than the control plane/);
    });

    it('passes when the configured skew allows two minors', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.33'),
        nodePools: known([poolAt(0, '1.31')]),
      });
      assert.equal(
        nodeVersionSkew.evaluate(cluster, evalContext({ settings: { maxNodeSkew: 2 } })).status,
        'pass',
      );
    });

    it('passes when 1.30 nodes run under a 1.31 control plane, compared as numbers', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.31'),
        nodePools: known([poolAt(0, '1.30')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails when 1.3 nodes run under a 1.30 control plane (1.3 is not 1.30)', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.30'),
        nodePools: known([poolAt(0, '1.3')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the control-plane version could not be read', () => {
      const cluster = eksPosture({
        version: unknown('version absent'),
        nodePools: known([poolAt(0, '1.33')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'unknown');
    });

    it('is unknown when a node group version could not be read', () => {
      const cluster = eksPosture({
        version: controlPlane('cluster.version', '1.33'),
        nodePools: known([poolAt(0, '1.33'), nodePool(1, { version: unknown('DescribeNodegroup denied') })]),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'Version of node pool pool-1 could not be read: DescribeNodegroup denied',
        },
      );
    });

    it('is not applicable when the cluster has no node groups', () => {
      const cluster = eksPosture({ nodePools: known([]) });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'not_applicable');
    });

    it('passes as provider-enforced for Fargate profiles whose version is not reported', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, { managedBy: 'provider', version: unknown('Fargate reports no version') }),
        ]),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        { status: 'pass', responsibility: 'provider', evidence: [{ path: 'version', value: '1.33' }] },
      );
    });
  });

  describe('on GKE', () => {
    it('passes with suffixed versions one minor apart', () => {
      const cluster = gkePosture({
        version: controlPlane('cluster.currentMasterVersion', '1.33.5-gke.1080000'),
        nodePools: known([poolAt(0, '1.32.9-gke.1108000')]),
      });
      assert.deepEqual(outcome(nodeVersionSkew.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: 'cluster.currentMasterVersion', value: '1.33.5-gke.1080000' },
          { path: 'nodePools[0].version', value: '1.32.9-gke.1108000' },
        ],
      });
    });

    it('fails with suffixed versions three minors apart', () => {
      const cluster = gkePosture({
        version: controlPlane('cluster.currentMasterVersion', '1.33.5-gke.1080000'),
        nodePools: known([poolAt(0, '1.30.14-gke.1000000')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when a pool version could not be read', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0, { version: unknown('version malformed') })]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Autopilot', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        nodePools: unknown('Autopilot pools not listed'),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'pass',
          responsibility: 'provider',
          evidence: [{ path: 'cluster.autopilot.enabled', value: true }],
        },
      );
      assert.match(verdict.message, /GKE Autopilot manages the nodes/);
    });
  });

  describe('on AKS', () => {
    it('passes when agent pools run the control-plane version', () => {
      const cluster = aksPosture({
        version: controlPlane('properties.currentKubernetesVersion', '1.33.2'),
        nodePools: known([poolAt(0, '1.33.2')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails when an agent pool is two minors behind', () => {
      const cluster = aksPosture({
        version: controlPlane('properties.currentKubernetesVersion', '1.33.2'),
        nodePools: known([poolAt(0, '1.31.9')]),
      });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the control-plane version could not be read', () => {
      const cluster = aksPosture({ version: unknown('currentKubernetesVersion absent') });
      assert.equal(nodeVersionSkew.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on AKS Automatic when pool versions are not reported', () => {
      const cluster = aksPosture({
        mode: at<ClusterMode>('sku.name', 'aks-automatic', 'Automatic'),
        nodePools: known([nodePool(0, { version: unknown('node auto-provisioning') })]),
      });
      const verdict = nodeVersionSkew.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, responsibility: verdict.responsibility },
        { status: 'pass', responsibility: 'provider' },
      );
    });
  });
});
