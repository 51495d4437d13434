import assert from 'node:assert/strict';
import { nodeIdentity } from '../../../checks/identity/nodeIdentity.js';
import type { Verdict } from '../../../checks/types.js';
import type { JsonValue } from '../../../model/json.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { agentPool, aksCluster, eksCluster, gkeCluster, gkePool, nodegroup } from '../nodes/normalised.js';
import { evaluateCheck, outcome } from '../outcome.js';

function sided(verdict: Verdict) {
  return { ...outcome(verdict), responsibility: verdict.responsibility };
}

const AUTOPILOT = { path: 'cluster.autopilot.enabled', value: true };
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const COMPUTE_DEFAULT = '123456789012-compute@developer.gserviceaccount.com';

function account(pool: string, value: JsonValue) {
  return { path: `cluster.nodePools[name=${pool}].config.serviceAccount`, value };
}

function scopes(pool: string, value: JsonValue) {
  return { path: `cluster.nodePools[name=${pool}].config.oauthScopes`, value };
}

function dedicated(pool: string) {
  return account(pool, `${pool}-nodes@acme-shop.iam.gserviceaccount.com`);
}

/** A pool whose config names this service account (or none, which is how the API says "default"). */
function poolAs(name: string, config: Record<string, unknown>) {
  return gkePool(name, { config: { serviceAccount: undefined, ...config } });
}

describe('IAM-02 Nodes do not run as the default or an over-broad identity', () => {
  const ctx = evalContext();

  it('is unknown on EKS: the node role policies are not read', () => {
    // Prepare
    const cluster = eksCluster({ nodegroups: collected([nodegroup('a')]) });
    // Act
    const verdict = evaluateCheck(nodeIdentity, cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [] });
  });

  describe('on GKE', () => {
    it('passes when every pool runs as a dedicated service account', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a'), gkePool('b')] });
      assert.deepEqual(sided(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [dedicated('a'), scopes('a', null), dedicated('b'), scopes('b', null)],
      });
    });

    it('fails on a pool that runs as the default service account, with only that pool as evidence', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a'), poolAs('b', {})] });
      const verdict = evaluateCheck(nodeIdentity, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [account('b', null), scopes('b', null)],
      });
    });

    it('fails on the Compute Engine default account named by its email, and names the cloud-platform scope', () => {
      const cluster = gkeCluster({
        nodePools: [poolAs('a', { serviceAccount: COMPUTE_DEFAULT, oauthScopes: [CLOUD_PLATFORM] })],
      });
      const verdict = evaluateCheck(nodeIdentity, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [account('a', COMPUTE_DEFAULT), scopes('a', [CLOUD_PLATFORM])],
      });
      assert.match(verdict.message, / a also has the cloud-platform scope/);
    });

    it('names every pool that has the cloud-platform scope on the default account', () => {
      const cluster = gkeCluster({
        nodePools: [
          poolAs('a', { oauthScopes: [CLOUD_PLATFORM] }),
          poolAs('b', { serviceAccount: COMPUTE_DEFAULT, oauthScopes: [CLOUD_PLATFORM] }),
        ],
      });
      const verdict = evaluateCheck(nodeIdentity, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          account('a', null),
          scopes('a', [CLOUD_PLATFORM]),
          account('b', COMPUTE_DEFAULT),
          scopes('b', [CLOUD_PLATFORM]),
        ],
      });
      assert.match(verdict.message, / a, b also have the cloud-platform scope/);
    });

    it('is unknown when a pool scope list is malformed', () => {
      const cluster = gkeCluster({ nodePools: [gkePool('a', { config: { oauthScopes: CLOUD_PLATFORM } })] });
      assert.deepEqual(outcome(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'unknown',
        evidence: [dedicated('a'), scopes('a', CLOUD_PLATFORM)],
      });
    });

    it('is unknown, not not-applicable, when the export has no nodePools list', () => {
      assert.deepEqual(outcome(evaluateCheck(nodeIdentity, gkeCluster({}), ctx)), {
        status: 'unknown',
        evidence: [{ path: 'cluster.nodePools', value: null }],
      });
    });

    it('passes on Autopilot on the customer side, who chose the node service account', () => {
      const cluster = gkeCluster({ autopilot: { enabled: true }, nodePools: [gkePool('default-pool')] });
      assert.deepEqual(sided(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'pass',
        responsibility: undefined,
        evidence: [dedicated('default-pool'), scopes('default-pool', null)],
      });
    });

    it('fails on Autopilot when its pools run as the default service account', () => {
      const cluster = gkeCluster({
        autopilot: { enabled: true },
        nodePools: [poolAs('default-pool', { serviceAccount: 'default', oauthScopes: [CLOUD_PLATFORM] })],
      });
      assert.deepEqual(sided(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'fail',
        responsibility: undefined,
        evidence: [account('default-pool', 'default'), scopes('default-pool', [CLOUD_PLATFORM])],
      });
    });

    it('is unknown on Autopilot when the pools are not in the export', () => {
      const verdict = evaluateCheck(nodeIdentity, gkeCluster({ autopilot: { enabled: true } }), ctx);
      assert.deepEqual(sided(verdict), {
        status: 'unknown',
        responsibility: undefined,
        evidence: [{ path: 'cluster.nodePools', value: null }, AUTOPILOT],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with a managed identity', () => {
      const cluster = aksCluster({
        identity: { type: 'SystemAssigned' },
        agentPoolProfiles: [agentPool('system')],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: 'identity.type', value: 'SystemAssigned' }],
      });
    });

    it('fails with a service principal', () => {
      const cluster = aksCluster({
        servicePrincipalProfile: { clientId: '11111111-1111-1111-1111-111111111111' },
        agentPoolProfiles: [agentPool('system')],
      });
      assert.deepEqual(outcome(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: 'identity.type', value: null },
          { path: 'properties.servicePrincipalProfile.clientId', value: '[service principal client id]' },
        ],
      });
    });

    it('is unknown when neither an identity nor a service principal is in the export', () => {
      const cluster = aksCluster({ agentPoolProfiles: [agentPool('system')] });
      assert.deepEqual(outcome(evaluateCheck(nodeIdentity, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: 'identity.type', value: null },
          { path: 'properties.servicePrincipalProfile.clientId', value: null },
        ],
      });
    });
  });
});
