import assert from 'node:assert/strict';
import { secretsCustomerKey } from '../../../checks/data-protection/secretsCustomerKey.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GKE_KEY = 'projects/example-project/locations/europe-west1/keyRings/gke/cryptoKeys/etcd';
const AKS_KEY = 'https://kv-orders.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const AKS_KMS = 'properties.securityProfile.azureKeyVaultKms';

describe('ENC-02 Secrets encryption uses a customer-managed key', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with a customer KMS key for secrets, naming the key', () => {
      // Prepare
      const cluster = eksFromWire({
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: KEY_ARN } }],
      });
      // Act
      const verdict = evaluateCheck(secretsCustomerKey, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: 'cluster.encryptionConfig[0].provider.keyArn', value: KEY_ARN }],
      });
      assert.equal(verdict.message, `Secrets are encrypted with a customer-managed key (${KEY_ARN}).`);
    });

    it('fails on 1.28 and later with only the default AWS-owned key', () => {
      const verdict = evaluateCheck(secretsCustomerKey, eksFromWire({ version: '1.31' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: 'cluster.encryptionConfig', value: null },
          { path: 'cluster.version', value: '1.31' },
        ],
      });
      assert.equal(
        verdict.message,
        'Secrets are encrypted with the default AWS-owned key, not a customer-managed KMS key.',
      );
    });

    it('fails before 1.28 without encryptionConfig', () => {
      const verdict = evaluateCheck(secretsCustomerKey, eksFromWire({ version: '1.27' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: 'cluster.encryptionConfig', value: null },
          { path: 'cluster.version', value: '1.27' },
        ],
      });
      assert.equal(verdict.message, 'Secrets are not envelope-encrypted with a customer-managed key.');
    });

    it('is unknown when an encryptionConfig entry covers secrets but names no key', () => {
      const cluster = eksFromWire({ encryptionConfig: [{ resources: ['secrets'], provider: {} }] });
      const verdict = evaluateCheck(secretsCustomerKey, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.encryptionConfig[0].provider.keyArn', value: null }],
      });
      assert.equal(
        verdict.message,
        'Secrets encryption setting could not be read: cluster.encryptionConfig[0] covers secrets but has no provider.keyArn',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with a Cloud KMS key', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'ENCRYPTED', keyName: GKE_KEY } });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'ENCRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: GKE_KEY },
        ],
      });
    });

    it('fails when database encryption is DECRYPTED', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'DECRYPTED' } });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'DECRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: null },
        ],
      });
    });

    it('is unknown when the state is not one GKE documents', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'ROTATING', keyName: GKE_KEY } });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'ROTATING' },
          { path: 'cluster.databaseEncryption.keyName', value: GKE_KEY },
        ],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with a Key Vault key', () => {
      const cluster = aksFromWire({
        securityProfile: { azureKeyVaultKms: { enabled: true, keyId: AKS_KEY } },
      });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: `${AKS_KMS}.enabled`, value: true },
          { path: `${AKS_KMS}.keyId`, value: AKS_KEY },
        ],
      });
    });

    it('fails when Key Vault KMS is turned off', () => {
      const cluster = aksFromWire({
        securityProfile: { azureKeyVaultKms: { enabled: false, keyId: AKS_KEY } },
      });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: `${AKS_KMS}.enabled`, value: false },
          { path: `${AKS_KMS}.keyId`, value: AKS_KEY },
        ],
      });
    });

    it('is unknown when the Key Vault KMS switch is malformed', () => {
      const cluster = aksFromWire({
        securityProfile: { azureKeyVaultKms: { enabled: 'yes', keyId: AKS_KEY } },
      });
      assert.deepEqual(outcome(evaluateCheck(secretsCustomerKey, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: `${AKS_KMS}.enabled`, value: 'yes' }],
      });
    });
  });
});
