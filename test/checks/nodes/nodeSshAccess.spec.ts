import assert from 'node:assert/strict';
import { nodeSshAccess } from '../../../checks/nodes/nodeSshAccess.js';
import type { Verdict } from '../../../checks/types.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode, NodeSshAccess } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

function remoteAccess(index: number, access: NodeSshAccess, raw: import('../../../model/json.js').JsonValue) {
  return at<NodeSshAccess>(`nodegroups[${index}].remoteAccess`, access, raw);
}

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

describe('NODE-02 SSH to nodes is closed or limited to named sources', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when node groups have no remote access or name source security groups', () => {
      // Prepare
      const restricted = { ec2SshKey: 'ops', sourceSecurityGroups: ['sg-1'] };
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0, { sshAccess: remoteAccess(0, 'disabled', null) }),
          nodePool(1, { sshAccess: remoteAccess(1, 'restricted', restricted) }),
        ]),
      });
      // Act
      const verdict = nodeSshAccess.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: 'nodegroups[0].remoteAccess', value: null },
          { path: 'nodegroups[1].remoteAccess', value: restricted },
        ],
      });
    });

    it('fails when a key is set without source security groups: port 22 is open to 0.0.0.0/0', () => {
      const cluster = eksPosture({
        nodePools: known([
          nodePool(0),
          nodePool(1, { sshAccess: remoteAccess(1, 'open', { ec2SshKey: 'ops' }) }),
        ]),
      });
      const verdict = nodeSshAccess.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: 'nodegroups[1].remoteAccess', value: { ec2SshKey: 'ops' } }],
      });
      assert.match(verdict.message, /pool-1/);
    });

    it('is unknown from a snapshot, where node groups are not exported', () => {
      const cluster = eksPosture({ nodePools: unknown('ListNodegroups not collected from a snapshot') });
      assert.equal(nodeSshAccess.evaluate(cluster, ctx).status, 'unknown');
    });

    it('is unknown for a node group whose launch template is not read', () => {
      const cluster = eksPosture({
        nodePools: known([nodePool(0, { sshAccess: unknown('uses a launch template, which is not read') })]),
      });
      assert.equal(nodeSshAccess.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Auto Mode pools', () => {
      const cluster = eksPosture({
        mode: at<ClusterMode>('cluster.computeConfig.enabled', 'eks-auto-mode', true),
        nodePools: known([nodePool(0, { managedBy: 'provider', sshAccess: unknown('Auto Mode') })]),
      });
      assert.deepEqual(sided(nodeSshAccess.evaluate(cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.computeConfig.enabled', value: true }],
      });
    });
  });

  it('is not applicable on GKE, where firewall rules decide', () => {
    const verdict = nodeSshAccess.evaluate(gkePosture(), ctx);
    assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    assert.deepEqual(nodeSshAccess.applies.gke, { notApplicable: verdict.message });
  });

  describe('on AKS', () => {
    const SSH = 'properties.agentPoolProfiles[0].securityProfile.sshAccess';

    it('passes when every agent pool has SSH disabled', () => {
      const cluster = aksPosture({
        nodePools: known([nodePool(0, { sshAccess: at<NodeSshAccess>(SSH, 'disabled', 'Disabled') })]),
      });
      assert.deepEqual(outcome(nodeSshAccess.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: SSH, value: 'Disabled' }],
      });
    });

    it('is unknown when SSH is on with the default LocalUser: network security groups are not read', () => {
      const cluster = aksPosture({
        nodePools: known([
          nodePool(0, {
            sshAccess: unknown(
              'SSH is on (LocalUser (the default)); whether network security groups limit port 22 is not read',
              {
                path: SSH,
                value: null,
              },
            ),
          }),
        ]),
      });
      assert.deepEqual(outcome(nodeSshAccess.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: SSH, value: null }],
      });
    });

    it('passes as provider-enforced on AKS Automatic', () => {
      const cluster = aksPosture({
        mode: at<ClusterMode>('sku.name', 'aks-automatic', 'Automatic'),
        nodePools: known([nodePool(0, { sshAccess: unknown('SSH is on (LocalUser (the default))') })]),
      });
      assert.equal(sided(nodeSshAccess.evaluate(cluster, ctx)).responsibility, 'provider');
    });
  });
});
