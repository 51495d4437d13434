import assert from 'node:assert/strict';
import { centralIdentityProvider } from '../../../checks/identity/centralIdentityProvider.js';
import { collected, missing } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const AUTH_MODE = 'cluster.accessConfig.authenticationMode';
const IDPS = 'identityProviderConfigs';
const GROUPS = 'cluster.authenticatorGroupsConfig.enabled';
const IDENTITY_SERVICE = 'cluster.identityServiceConfig.enabled';
const AAD = 'properties.aadProfile.managed';

/** An EKS cluster in `authenticationMode`, with the given ListIdentityProviderConfigs result. */
function eksIn(authenticationMode: unknown, identityProviderConfigs = collected<readonly unknown[]>([])) {
  return eksFromWire({ accessConfig: { authenticationMode } }, { identityProviderConfigs });
}

describe('AUTH-01 Human access to the API server goes through a central identity provider', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when access entries are on (API)', () => {
      // Act
      const verdict = evaluateCheck(centralIdentityProvider, eksIn('API'), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AUTH_MODE, value: 'API' }] });
    });

    it('passes when access entries are on beside the ConfigMap (API_AND_CONFIG_MAP)', () => {
      const verdict = evaluateCheck(centralIdentityProvider, eksIn('API_AND_CONFIG_MAP'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: AUTH_MODE, value: 'API_AND_CONFIG_MAP' }],
      });
      assert.equal(
        verdict.message,
        'Access is granted to IAM principals through EKS access entries (authentication mode API_AND_CONFIG_MAP).',
      );
    });

    it('passes with CONFIG_MAP when an OIDC identity provider is associated, naming it', () => {
      const configs = [{ type: 'oidc', name: 'corporate-sso' }];
      const verdict = evaluateCheck(centralIdentityProvider, eksIn('CONFIG_MAP', collected(configs)), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: AUTH_MODE, value: 'CONFIG_MAP' },
          { path: IDPS, value: configs },
        ],
      });
      assert.equal(
        verdict.message,
        'Access goes through the associated OIDC identity provider(s) corporate-sso.',
      );
    });

    it('fails with CONFIG_MAP and no OIDC identity provider', () => {
      assert.deepEqual(outcome(evaluateCheck(centralIdentityProvider, eksIn('CONFIG_MAP'), ctx)), {
        status: 'fail',
        evidence: [
          { path: AUTH_MODE, value: 'CONFIG_MAP' },
          { path: IDPS, value: [] },
        ],
      });
    });

    it('is unknown with CONFIG_MAP when identity provider configs could not be listed', () => {
      const cluster = eksIn('CONFIG_MAP', missing('eks:ListIdentityProviderConfigs: AccessDeniedException'));
      const verdict = evaluateCheck(centralIdentityProvider, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: AUTH_MODE, value: 'CONFIG_MAP' }],
      });
      assert.equal(
        verdict.message,
        'OIDC identity provider configs could not be read: eks:ListIdentityProviderConfigs: AccessDeniedException',
      );
    });

    it('is unknown when an export from before access entries has no authentication mode', () => {
      const verdict = evaluateCheck(centralIdentityProvider, eksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: AUTH_MODE, value: null }] });
      assert.equal(
        verdict.message,
        'Authentication mode could not be read: cluster.accessConfig.authenticationMode absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes as provider-enforced, saying which identity features are on', () => {
      // Prepare
      const cluster = gkeFromWire({
        authenticatorGroupsConfig: { enabled: true, securityGroup: 'gke-security-groups@example.com' },
      });
      // Act
      const verdict = evaluateCheck(centralIdentityProvider, cluster, ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'pass',
          evidence: [
            { path: GROUPS, value: true },
            { path: IDENTITY_SERVICE, value: null },
          ],
          responsibility: 'provider',
        },
      );
      assert.equal(
        verdict.message,
        'GKE authenticates users with Google identities; Google Groups for RBAC is on, GKE Identity Service is off.',
      );
    });

    it('still passes as provider-enforced when a feature setting is malformed, and says it could not be read', () => {
      const cluster = gkeFromWire({ identityServiceConfig: { enabled: 'yes' } });
      const verdict = evaluateCheck(centralIdentityProvider, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GROUPS, value: null },
          { path: IDENTITY_SERVICE, value: 'yes' },
        ],
      });
      assert.match(
        verdict.message,
        /Google Groups for RBAC is off, GKE Identity Service could not be read \(cluster\.identityServiceConfig\.enabled is the string "yes", expected a boolean\)\.$/,
      );
    });
  });

  describe('on AKS', () => {
    it('passes with managed Entra ID integration', () => {
      const cluster = aksFromWire({ aadProfile: { managed: true, enableAzureRBAC: true } });
      assert.deepEqual(outcome(evaluateCheck(centralIdentityProvider, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AAD, value: true }],
      });
    });

    it('fails without an aadProfile, where users authenticate with cluster certificates', () => {
      const verdict = evaluateCheck(centralIdentityProvider, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: AAD, value: null }] });
      assert.equal(
        verdict.message,
        'Managed Entra ID integration is off: users authenticate with cluster-issued certificates.',
      );
    });

    it('is unknown when aadProfile.managed is malformed', () => {
      const cluster = aksFromWire({ aadProfile: { managed: 'true' } });
      assert.deepEqual(outcome(evaluateCheck(centralIdentityProvider, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AAD, value: 'true' }],
      });
    });
  });
});
