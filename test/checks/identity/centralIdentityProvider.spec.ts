import assert from 'node:assert/strict';
import { centralIdentityProvider } from '../../../checks/identity/centralIdentityProvider.js';
import { known, unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const AUTH_MODE = 'cluster.accessConfig.authenticationMode';
const IDPS = 'identityProviderConfigs';
const GROUPS = 'cluster.authenticatorGroupsConfig.enabled';
const IDENTITY_SERVICE = 'cluster.identityServiceConfig.enabled';
const AAD = 'properties.aadProfile.managed';

describe('AUTH-01 Human access to the API server goes through a central identity provider', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when access entries are on (API)', () => {
      // Prepare
      const cluster = eksPosture({ eks: { authenticationMode: at(AUTH_MODE, 'API') } });
      // Act
      const verdict = centralIdentityProvider.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AUTH_MODE, value: 'API' }] });
    });

    it('passes when access entries are on beside the ConfigMap (API_AND_CONFIG_MAP)', () => {
      const cluster = eksPosture({ eks: { authenticationMode: at(AUTH_MODE, 'API_AND_CONFIG_MAP') } });
      assert.equal(centralIdentityProvider.evaluate(cluster, ctx).status, 'pass');
    });

    it('passes with CONFIG_MAP when an OIDC identity provider is associated', () => {
      const cluster = eksPosture({
        eks: {
          authenticationMode: at(AUTH_MODE, 'CONFIG_MAP'),
          oidcIdentityProviders: at(IDPS, ['corp-okta'], [{ type: 'oidc', name: 'corp-okta' }]),
        },
      });
      assert.deepEqual(outcome(centralIdentityProvider.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AUTH_MODE, value: 'CONFIG_MAP' },
          { path: IDPS, value: [{ type: 'oidc', name: 'corp-okta' }] },
        ],
      });
    });

    it('fails with CONFIG_MAP and no OIDC identity provider', () => {
      const cluster = eksPosture({
        eks: { authenticationMode: at(AUTH_MODE, 'CONFIG_MAP'), oidcIdentityProviders: at(IDPS, [], []) },
      });
      assert.deepEqual(outcome(centralIdentityProvider.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AUTH_MODE, value: 'CONFIG_MAP' },
          { path: IDPS, value: [] },
        ],
      });
    });

    it('is unknown with CONFIG_MAP when identity provider configs could not be listed', () => {
      const cluster = eksPosture({
        eks: {
          authenticationMode: at(AUTH_MODE, 'CONFIG_MAP'),
          oidcIdentityProviders: unknown('ListIdentityProviderConfigs not collected from a snapshot'),
        },
      });
      const verdict = centralIdentityProvider.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: AUTH_MODE, value: 'CONFIG_MAP' }],
          message:
            'OIDC identity provider configs could not be read: ListIdentityProviderConfigs not collected from a snapshot',
        },
      );
    });

    it('is unknown when the authentication mode could not be read', () => {
      const cluster = eksPosture({ eks: { authenticationMode: unknown('accessConfig absent') } });
      assert.equal(centralIdentityProvider.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on GKE', () => {
    it('passes as provider-enforced and says Google Groups for RBAC is on', () => {
      const cluster = gkePosture({
        gke: { googleGroupsForRbac: at(GROUPS, true), identityService: at(IDENTITY_SERVICE, false) },
      });
      const verdict = centralIdentityProvider.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'pass',
          responsibility: 'provider',
          evidence: [
            { path: GROUPS, value: true },
            { path: IDENTITY_SERVICE, value: false },
          ],
        },
      );
      assert.match(verdict.message, /Google Groups for RBAC is on, GKE Identity Service is off/);
    });

    it('passes as provider-enforced and says so when the settings could not be read', () => {
      const cluster = gkePosture({
        gke: { googleGroupsForRbac: unknown('field malformed'), identityService: unknown('field malformed') },
      });
      const verdict = centralIdentityProvider.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        { status: 'pass', responsibility: 'provider', evidence: [] },
      );
      assert.match(verdict.message, /Google Groups for RBAC could not be read \(field malformed\)/);
    });
  });

  describe('on AKS', () => {
    it('passes with managed Entra ID integration', () => {
      const cluster = aksPosture({ aks: { entraIdManaged: at(AAD, true) } });
      assert.deepEqual(outcome(centralIdentityProvider.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AAD, value: true }],
      });
    });

    it('fails without Entra ID integration', () => {
      const cluster = aksPosture({ aks: { entraIdManaged: at(AAD, false, null) } });
      assert.deepEqual(outcome(centralIdentityProvider.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AAD, value: null }],
      });
    });

    it('is unknown when the AAD profile could not be read', () => {
      const cluster = aksPosture({ aks: { entraIdManaged: unknown('aadProfile malformed') } });
      assert.equal(centralIdentityProvider.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  it('fails on EKS when CONFIG_MAP meets a known empty provider list that has no source fields', () => {
    const cluster = eksPosture({
      eks: { authenticationMode: at(AUTH_MODE, 'CONFIG_MAP'), oidcIdentityProviders: known([]) },
    });
    assert.deepEqual(outcome(centralIdentityProvider.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: AUTH_MODE, value: 'CONFIG_MAP' }],
    });
  });
});
