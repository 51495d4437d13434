import assert from 'node:assert/strict';
import { noLocalCredentials } from '../../../checks/identity/noLocalCredentials.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const USERNAME = 'cluster.masterAuth.username';
const ISSUE_CERT = 'cluster.masterAuth.clientCertificateConfig.issueClientCertificate';
const CLIENT_CERT = 'cluster.masterAuth.clientCertificate';
const CLIENT_KEY = 'cluster.masterAuth.clientKey';
const LOCAL_ACCOUNTS = 'properties.disableLocalAccounts';

/** The evidence of the certificate fields when none is issued and none is set. */
const NO_CERTIFICATE = [
  { path: ISSUE_CERT, value: null },
  { path: CLIENT_CERT, value: null },
  { path: CLIENT_KEY, value: null },
];

describe('AUTH-02 No static or local credentials can reach the API server', () => {
  const ctx = evalContext();

  it('is not applicable on EKS, which has no local accounts', () => {
    // Act
    const verdict = evaluateCheck(noLocalCredentials, eksFromWire({}), ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
    assert.deepEqual(noLocalCredentials.providers.eks, { notApplicable: verdict.message });
  });

  describe('on GKE', () => {
    it('passes without basic auth or a client certificate', () => {
      // Act
      const verdict = evaluateCheck(
        noLocalCredentials,
        gkeFromWire({ masterAuth: { clusterCaCertificate: 'LS0t' } }),
        ctx,
      );
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: USERNAME, value: null }, ...NO_CERTIFICATE],
      });
    });

    it('fails when a client certificate is issued, redacting it in the evidence', () => {
      const cluster = gkeFromWire({
        masterAuth: {
          clientCertificateConfig: { issueClientCertificate: true },
          clientCertificate: 'LS0tLS1CRUdJTi',
        },
      });
      const verdict = evaluateCheck(noLocalCredentials, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: USERNAME, value: null },
          { path: ISSUE_CERT, value: true },
          { path: CLIENT_CERT, value: '[redacted]' },
          { path: CLIENT_KEY, value: null },
        ],
      });
      assert.equal(verdict.message, 'The API server accepts a static client certificate.');
    });

    it('fails naming both when basic auth and a client certificate are set', () => {
      const cluster = gkeFromWire({
        masterAuth: { username: 'admin', clientCertificateConfig: { issueClientCertificate: true } },
      });
      const verdict = evaluateCheck(noLocalCredentials, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: USERNAME, value: 'admin' },
          { path: ISSUE_CERT, value: true },
          { path: CLIENT_CERT, value: null },
          { path: CLIENT_KEY, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'The API server accepts basic authentication (masterAuth.username) and a static client certificate.',
      );
    });

    it('fails when basic auth is set even if the certificate setting is malformed', () => {
      const cluster = gkeFromWire({
        masterAuth: { username: 'admin', clientCertificateConfig: { issueClientCertificate: 'no' } },
      });
      assert.deepEqual(outcome(evaluateCheck(noLocalCredentials, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: USERNAME, value: 'admin' },
          { path: ISSUE_CERT, value: 'no' },
        ],
      });
    });

    it('is unknown when the certificate setting is malformed and basic auth is off', () => {
      const cluster = gkeFromWire({
        masterAuth: { clientCertificateConfig: { issueClientCertificate: 'no' } },
      });
      const verdict = evaluateCheck(noLocalCredentials, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ISSUE_CERT, value: 'no' },
          { path: USERNAME, value: null },
        ],
      });
      assert.match(verdict.message, /^Static credential settings could not be read: /);
    });

    it('is unknown when the username is malformed and no certificate is issued', () => {
      const cluster = gkeFromWire({ masterAuth: { username: 42 } });
      assert.deepEqual(outcome(evaluateCheck(noLocalCredentials, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: USERNAME, value: 42 }, ...NO_CERTIFICATE],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when local accounts are disabled', () => {
      const verdict = evaluateCheck(noLocalCredentials, aksFromWire({ disableLocalAccounts: true }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: LOCAL_ACCOUNTS, value: true }],
      });
    });

    it('fails when disableLocalAccounts is absent, the ARM default', () => {
      const verdict = evaluateCheck(noLocalCredentials, aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: LOCAL_ACCOUNTS, value: null }],
      });
      assert.match(verdict.message, /^Local accounts are enabled/);
    });

    it('is unknown when disableLocalAccounts is malformed', () => {
      const verdict = evaluateCheck(noLocalCredentials, aksFromWire({ disableLocalAccounts: 'true' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: LOCAL_ACCOUNTS, value: 'true' }],
      });
    });
  });
});
