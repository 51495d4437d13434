import assert from 'node:assert/strict';
import { secretsCustomerKey } from '../../../checks/data-protection/secretsCustomerKey.js';
import { unknown } from '../../../model/observed.js';
import type { SecretsEncryption } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_ENCRYPTION = 'cluster.encryptionConfig';
const GKE_ENCRYPTION = 'cluster.databaseEncryption';
const AKS_KMS = 'properties.securityProfile.azureKeyVaultKms';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('ENC-02 Secrets encryption uses a customer-managed key', () => {
  const ctx = evalContext();

  it('passes on EKS with a customer KMS key', () => {
    // Prepare
    const raw = [{ resources: ['secrets'], provider: { keyArn: KEY_ARN } }];
    const cluster = eksPosture({
      secretsEncryption: at<SecretsEncryption>(
        EKS_ENCRYPTION,
        { envelope: true, keyManagedBy: 'customer', keyId: KEY_ARN },
        raw,
      ),
    });
    // Act
    const verdict = secretsCustomerKey.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_ENCRYPTION, value: raw }] });
  });

  it('fails on EKS 1.28 and later with only the default AWS-owned key', () => {
    const cluster = eksPosture({
      secretsEncryption: at<SecretsEncryption>(
        'cluster.version',
        { envelope: true, keyManagedBy: 'provider', keyId: null },
        '1.31',
      ),
    });
    const verdict = secretsCustomerKey.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'fail',
      evidence: [{ path: 'cluster.version', value: '1.31' }],
    });
    assert.match(verdict.message, /AWS-owned key/);
  });

  it('fails on EKS without envelope encryption', () => {
    const cluster = eksPosture({
      secretsEncryption: at<SecretsEncryption>(
        EKS_ENCRYPTION,
        { envelope: false, keyManagedBy: 'none', keyId: null },
        null,
      ),
    });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on EKS when encryptionConfig could not be read', () => {
    const cluster = eksPosture({ secretsEncryption: unknown('encryptionConfig malformed') });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on GKE with a Cloud KMS key', () => {
    const raw = { state: 'ENCRYPTED', keyName: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' };
    const cluster = gkePosture({
      secretsEncryption: at<SecretsEncryption>(
        GKE_ENCRYPTION,
        { envelope: true, keyManagedBy: 'customer', keyId: raw.keyName },
        raw,
      ),
    });
    assert.deepEqual(outcome(secretsCustomerKey.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: GKE_ENCRYPTION, value: raw }],
    });
  });

  it('fails on GKE without application-layer encryption', () => {
    const cluster = gkePosture({
      secretsEncryption: at<SecretsEncryption>(
        GKE_ENCRYPTION,
        { envelope: false, keyManagedBy: 'none', keyId: null },
        { state: 'DECRYPTED' },
      ),
    });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on GKE when database encryption could not be read', () => {
    const cluster = gkePosture({ secretsEncryption: unknown('unrecognised state 7') });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS with a Key Vault key', () => {
    const raw = { enabled: true, keyId: 'https://vault.vault.azure.net/keys/k/1' };
    const cluster = aksPosture({
      secretsEncryption: at<SecretsEncryption>(
        AKS_KMS,
        { envelope: true, keyManagedBy: 'customer', keyId: raw.keyId },
        raw,
      ),
    });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on AKS with a platform-managed key', () => {
    const cluster = aksPosture({
      secretsEncryption: at<SecretsEncryption>(
        AKS_KMS,
        { envelope: true, keyManagedBy: 'provider', keyId: null },
        { enabled: true },
      ),
    });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when the security profile could not be read', () => {
    const cluster = aksPosture({ secretsEncryption: unknown('securityProfile malformed') });
    assert.equal(secretsCustomerKey.evaluate(cluster, ctx).status, 'unknown');
  });
});
