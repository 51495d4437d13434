import assert from 'node:assert/strict';
import { nodeIdentity } from '../../../checks/identity/nodeIdentity.js';
import type { Verdict } from '../../../checks/types.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode, NodeServiceAccount } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const DEFAULT_ACCOUNT: NodeServiceAccount = {
  account: 'default',
  providerDefault: true,
  fullApiScope: false,
};
const DEFAULT_FULL_SCOPE: NodeServiceAccount = { ...DEFAULT_ACCOUNT, fullApiScope: true };
const IDENTITY = 'identity.type';
const AUTOPILOT = at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true);

function account(index: number, value: NodeServiceAccount, raw: string | null) {
  return at(`nodePools[${index}].config.serviceAccount`, value, raw);
}

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

describe('IAM-02 Nodes do not run as the default or an over-broad identity', () => {
  const ctx = evalContext();

  it('is unknown on EKS: the node role policies are not read', () => {
    // Prepare
    const cluster = eksPosture();
    // Act
    const verdict = nodeIdentity.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
    assert.match(verdict.message, /policies attached to it are not read/);
  });

  describe('on GKE', () => {
    it('passes when every pool runs as a dedicated service account', () => {
      const cluster = gkePosture({ nodePools: known([nodePool(0), nodePool(1)]) });
      assert.equal(nodeIdentity.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails on a pool that runs as the default service account, with only that pool as evidence', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0), nodePool(1, { serviceAccount: account(1, DEFAULT_ACCOUNT, null) })]),
      });
      const verdict = nodeIdentity.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: 'nodePools[1].config.serviceAccount', value: null }],
      });
      assert.doesNotMatch(verdict.message, /cloud-platform/);
    });

    it('names the worst case: the default account with the cloud-platform scope', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0, { serviceAccount: account(0, DEFAULT_FULL_SCOPE, 'default') })]),
      });
      const verdict = nodeIdentity.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /pool-0 also has the cloud-platform scope/);
    });

    it('is unknown when a pool service account could not be read', () => {
      const cluster = gkePosture({
        nodePools: known([
          nodePool(0, { serviceAccount: unknown('config.oauthScopes is a string, expected a list') }),
        ]),
      });
      assert.equal(nodeIdentity.evaluate(cluster, ctx).status, 'unknown');
    });

    it('passes as provider-enforced on Autopilot when the pools are not listed', () => {
      const cluster = gkePosture({ mode: AUTOPILOT, nodePools: unknown('Autopilot pools not listed') });
      assert.deepEqual(sided(nodeIdentity.evaluate(cluster, ctx)), {
        status: 'pass',
        responsibility: 'provider',
        evidence: [{ path: 'cluster.autopilot.enabled', value: true }],
      });
    });

    it('still fails on Autopilot when its pools show the default service account', () => {
      const cluster = gkePosture({
        mode: AUTOPILOT,
        nodePools: known([
          nodePool(0, { managedBy: 'provider', serviceAccount: account(0, DEFAULT_ACCOUNT, 'default') }),
        ]),
      });
      assert.deepEqual(sided(nodeIdentity.evaluate(cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [{ path: 'nodePools[0].config.serviceAccount', value: 'default' }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with a managed identity', () => {
      const cluster = aksPosture();
      assert.deepEqual(outcome(nodeIdentity.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: IDENTITY, value: 'SystemAssigned' }],
      });
    });

    it('fails with a service principal', () => {
      const cluster = aksPosture({
        aks: {
          clusterIdentity: at<'managed-identity' | 'service-principal'>(
            'properties.servicePrincipalProfile.clientId',
            'service-principal',
            '[service principal client id]',
          ),
        },
      });
      assert.equal(nodeIdentity.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the identity could not be read', () => {
      const cluster = aksPosture({
        aks: { clusterIdentity: unknown('no identity and no servicePrincipalProfile') },
      });
      assert.equal(nodeIdentity.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
