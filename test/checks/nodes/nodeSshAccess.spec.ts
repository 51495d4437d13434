import assert from 'node:assert/strict';
import { nodeSshAccess } from '../../../checks/nodes/nodeSshAccess.js';
import type { Verdict } from '../../../checks/types.js';
import type { JsonValue } from '../../../model/json.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { agentPool, aksCluster, eksCluster, gkeCluster, gkePool, nodegroup } from './normalised.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

const AUTO_MODE = { path: 'cluster.computeConfig.enabled', value: true };
const AUTOMATIC = { path: 'sku.name', value: 'Automatic' };

function remoteAccess(group: string, value: JsonValue) {
  return { path: `nodegroups[name=${group}].remoteAccess`, value };
}

function aksSsh(pool: string, value: string | null) {
  return { path: `properties.agentPoolProfiles[name=${pool}].securityProfile.sshAccess`, value };
}

describe('NODE-02 SSH to nodes is closed or limited to named sources', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when node groups have no remote access or name source security groups', () => {
      // Prepare
      const restricted = { ec2SshKey: 'ops', sourceSecurityGroups: ['sg-0aaaaaaaaaaaaaaa1'] };
      const cluster = eksCluster({
        nodegroups: collected([nodegroup('a'), nodegroup('b', { remoteAccess: restricted })]),
      });
      // Act
      const verdict = evaluateCheck(nodeSshAccess, cluster, ctx);
      // Assess
      assert.deepEqual(sided(verdict), {
        status: 'pass',
        responsibility: undefined,
        evidence: [remoteAccess('a', null), remoteAccess('b', restricted)],
      });
    });

    it('fails when a key is set without source security groups: port 22 is open to 0.0.0.0/0', () => {
      const cluster = eksCluster({
        nodegroups: collected([nodegroup('a'), nodegroup('b', { remoteAccess: { ec2SshKey: 'ops' } })]),
      });
      assert.deepEqual(outcome(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'fail',
        evidence: [remoteAccess('b', { ec2SshKey: 'ops' })],
      });
    });

    it('is unknown for a node group whose launch template is not read', () => {
      const template = { name: 'web-nodes', version: '3' };
      const cluster = eksCluster({ nodegroups: collected([nodegroup('a', { launchTemplate: template })]) });
      assert.deepEqual(outcome(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'unknown',
        evidence: [remoteAccess('a', null), { path: 'nodegroups[name=a].launchTemplate', value: template }],
      });
    });

    it('is unknown when node groups are not in the export', () => {
      assert.deepEqual(outcome(evaluateCheck(nodeSshAccess, eksCluster(), ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });

    it('is not applicable when the cluster has no node groups', () => {
      const verdict = evaluateCheck(nodeSshAccess, eksCluster({ nodegroups: collected([]) }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    });

    it('is unknown on Auto Mode when node groups are not in the export', () => {
      const verdict = evaluateCheck(nodeSshAccess, eksCluster({ autoMode: true }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [AUTO_MODE],
      });
    });

    it('passes as provider-enforced on Auto Mode when no node group runs beside the Auto Mode nodes', () => {
      const verdict = evaluateCheck(
        nodeSshAccess,
        eksCluster({ autoMode: true, nodegroups: collected([]) }),
        ctx,
      );
      assert.deepEqual(sided(verdict), { status: 'pass', responsibility: 'provider', evidence: [AUTO_MODE] });
    });

    it('fails on Auto Mode when a customer node group beside it opens SSH', () => {
      const cluster = eksCluster({
        autoMode: true,
        nodegroups: collected([nodegroup('debug', { remoteAccess: { ec2SshKey: 'ops' } })]),
      });
      assert.deepEqual(sided(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [remoteAccess('debug', { ec2SshKey: 'ops' })],
      });
    });
  });

  it('is not applicable on GKE, where firewall rules decide', () => {
    const verdict = evaluateCheck(nodeSshAccess, gkeCluster({ nodePools: [gkePool('a')] }), ctx);
    assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    assert.deepEqual(nodeSshAccess.providers.gke, { notApplicable: verdict.message });
  });

  describe('on AKS', () => {
    it('passes when every agent pool has SSH disabled', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system'), agentPool('user')] });
      assert.deepEqual(sided(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [aksSsh('system', 'Disabled'), aksSsh('user', 'Disabled')],
      });
    });

    it('is unknown when SSH is on with the default LocalUser: network security groups are not read', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system', { securityProfile: {} })] });
      assert.deepEqual(outcome(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'unknown',
        evidence: [aksSsh('system', null)],
      });
    });

    it('passes as provider-enforced on AKS Automatic when its pools show SSH disabled', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool')],
      });
      assert.deepEqual(sided(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [AUTOMATIC, aksSsh('systempool', 'Disabled')],
      });
    });

    it('is unknown on AKS Automatic when a pool shows SSH on', () => {
      const cluster = aksCluster({
        sku: { name: 'Automatic' },
        agentPoolProfiles: [agentPool('systempool', { securityProfile: { sshAccess: 'LocalUser' } })],
      });
      assert.deepEqual(sided(evaluateCheck(nodeSshAccess, cluster, ctx)), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [aksSsh('systempool', 'LocalUser')],
      });
    });

    it('is unknown on AKS Automatic when the agent pools are not in the export', () => {
      assert.deepEqual(
        outcome(evaluateCheck(nodeSshAccess, aksCluster({ sku: { name: 'Automatic' } }), ctx)),
        {
          status: 'unknown',
          evidence: [{ path: 'properties.agentPoolProfiles', value: null }, AUTOMATIC],
        },
      );
    });
  });
});
