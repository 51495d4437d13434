import assert from 'node:assert/strict';
import { secretsEnvelopeEncryption } from '../../../checks/data-protection/secretsEnvelopeEncryption.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GKE_KEY = 'projects/example-project/locations/europe-west1/keyRings/gke/cryptoKeys/etcd';
const AKS_KEY = 'https://kv-orders.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const AKS_KMS = 'properties.securityProfile.azureKeyVaultKms';

describe('ENC-01 Kubernetes Secrets are envelope-encrypted at the application layer', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with a customer KMS key for secrets, naming the key', () => {
      // Prepare
      const cluster = eksFromWire({
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: KEY_ARN } }],
      });
      // Act
      const verdict = evaluateCheck(secretsEnvelopeEncryption, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: 'cluster.encryptionConfig[0].provider.keyArn', value: KEY_ARN }],
      });
      assert.equal(
        verdict.message,
        `Secrets are envelope-encrypted with a customer-managed key (${KEY_ARN}).`,
      );
    });

    it('passes on 1.28 and later without encryptionConfig, naming the default AWS-owned key', () => {
      const verdict = evaluateCheck(secretsEnvelopeEncryption, eksFromWire({ version: '1.31' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: 'cluster.encryptionConfig', value: null },
          { path: 'cluster.version', value: '1.31' },
        ],
      });
      assert.equal(
        verdict.message,
        'Secrets have default envelope encryption with an AWS-owned key (EKS 1.28 and later).',
      );
    });

    it('fails before 1.28 without encryptionConfig', () => {
      assert.deepEqual(
        outcome(evaluateCheck(secretsEnvelopeEncryption, eksFromWire({ version: '1.27' }), ctx)),
        {
          status: 'fail',
          evidence: [
            { path: 'cluster.encryptionConfig', value: null },
            { path: 'cluster.version', value: '1.27' },
          ],
        },
      );
    });

    it('is unknown without encryptionConfig when the version, which decides the default, is absent', () => {
      const verdict = evaluateCheck(secretsEnvelopeEncryption, eksFromWire({ version: undefined }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'cluster.encryptionConfig', value: null }],
      });
      assert.equal(
        verdict.message,
        'Secrets encryption setting could not be read: no encryptionConfig covers secrets and the default depends on the version: cluster.version absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes when application-layer secrets encryption is ENCRYPTED with a Cloud KMS key', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'ENCRYPTED', keyName: GKE_KEY } });
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'ENCRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: GKE_KEY },
        ],
      });
    });

    it('fails when database encryption is DECRYPTED', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'DECRYPTED' } });
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'DECRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: null },
        ],
      });
    });

    it('is unknown when the state is ENCRYPTED but no key is named', () => {
      const cluster = gkeFromWire({ databaseEncryption: { state: 'ENCRYPTED' } });
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: 'cluster.databaseEncryption.state', value: 'ENCRYPTED' },
          { path: 'cluster.databaseEncryption.keyName', value: null },
        ],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with Key Vault KMS on', () => {
      const cluster = aksFromWire({
        securityProfile: { azureKeyVaultKms: { enabled: true, keyId: AKS_KEY } },
      });
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: `${AKS_KMS}.enabled`, value: true },
          { path: `${AKS_KMS}.keyId`, value: AKS_KEY },
        ],
      });
    });

    it('fails when the security profile has no Key Vault KMS, the ARM default', () => {
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, aksFromWire({}), ctx)), {
        status: 'fail',
        evidence: [
          { path: `${AKS_KMS}.enabled`, value: null },
          { path: `${AKS_KMS}.keyId`, value: null },
        ],
      });
    });

    it('is unknown when Key Vault KMS is on without a key id', () => {
      const cluster = aksFromWire({ securityProfile: { azureKeyVaultKms: { enabled: true } } });
      assert.deepEqual(outcome(evaluateCheck(secretsEnvelopeEncryption, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: `${AKS_KMS}.enabled`, value: true },
          { path: `${AKS_KMS}.keyId`, value: null },
        ],
      });
    });
  });
});
