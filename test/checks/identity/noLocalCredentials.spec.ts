import assert from 'node:assert/strict';
import { noLocalCredentials } from '../../../checks/identity/noLocalCredentials.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const USERNAME = 'cluster.masterAuth.username';
const CLIENT_CERT = 'cluster.masterAuth.clientCertificateConfig.issueClientCertificate';
const LOCAL_ACCOUNTS = 'properties.disableLocalAccounts';

describe('AUTH-02 No static or local credentials can reach the API server', () => {
  const ctx = evalContext();

  it('is not applicable on EKS, which has no local accounts', () => {
    // Prepare
    const cluster = eksPosture();
    // Act
    const verdict = noLocalCredentials.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(
      { ...outcome(verdict), message: verdict.message },
      { status: 'not_applicable', evidence: [], message: 'EKS has no local accounts; see AUTH-03' },
    );
    assert.deepEqual(noLocalCredentials.applies.eks, {
      notApplicable: 'EKS has no local accounts; see AUTH-03',
    });
  });

  describe('on GKE', () => {
    it('passes without basic auth or a client certificate', () => {
      const cluster = gkePosture({
        gke: { basicAuth: at(USERNAME, false, null), clientCertificate: at(CLIENT_CERT, false) },
      });
      assert.deepEqual(outcome(noLocalCredentials.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: USERNAME, value: null },
          { path: CLIENT_CERT, value: false },
        ],
      });
    });

    it('fails when a client certificate is issued', () => {
      const cluster = gkePosture({ gke: { clientCertificate: at(CLIENT_CERT, true) } });
      assert.deepEqual(outcome(noLocalCredentials.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: USERNAME, value: null },
          { path: CLIENT_CERT, value: true },
        ],
      });
    });

    it('fails when basic auth is set even if the certificate setting could not be read', () => {
      const cluster = gkePosture({
        gke: { basicAuth: at(USERNAME, true, 'admin'), clientCertificate: unknown('masterAuth malformed') },
      });
      assert.deepEqual(outcome(noLocalCredentials.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: USERNAME, value: 'admin' }],
      });
    });

    it('is unknown when the certificate setting could not be read and basic auth is off', () => {
      const cluster = gkePosture({ gke: { clientCertificate: unknown('masterAuth malformed') } });
      assert.deepEqual(outcome(noLocalCredentials.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: USERNAME, value: null }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when local accounts are disabled', () => {
      const cluster = aksPosture({ aks: { localAccountsDisabled: at(LOCAL_ACCOUNTS, true) } });
      assert.deepEqual(outcome(noLocalCredentials.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: LOCAL_ACCOUNTS, value: true }],
      });
    });

    it('fails when local accounts are enabled', () => {
      const cluster = aksPosture({ aks: { localAccountsDisabled: at(LOCAL_ACCOUNTS, false) } });
      assert.equal(noLocalCredentials.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the setting could not be read', () => {
      const cluster = aksPosture({ aks: { localAccountsDisabled: unknown('field absent') } });
      assert.equal(noLocalCredentials.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
