import assert from 'node:assert/strict';
import { secretsEnvelopeEncryption } from '../../../checks/data-protection/secretsEnvelopeEncryption.js';
import { unknown } from '../../../model/observed.js';
import type { SecretsEncryption } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_ENCRYPTION = 'cluster.encryptionConfig';
const EKS_VERSION = 'cluster.version';
const GKE_ENCRYPTION = 'cluster.databaseEncryption';
const AKS_KMS = 'properties.securityProfile.azureKeyVaultKms';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('ENC-01 Kubernetes Secrets are envelope-encrypted at the application layer', () => {
  const ctx = evalContext();

  it('passes on EKS with a customer KMS key for secrets', () => {
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
    const verdict = secretsEnvelopeEncryption.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_ENCRYPTION, value: raw }] });
  });

  it('passes on EKS 1.28 and later without a customer key, naming the default AWS-owned key', () => {
    const cluster = eksPosture({
      secretsEncryption: at<SecretsEncryption>(
        EKS_VERSION,
        { envelope: true, keyManagedBy: 'provider', keyId: null },
        '1.31',
      ),
    });
    const verdict = secretsEnvelopeEncryption.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_VERSION, value: '1.31' }] });
    assert.match(verdict.message, /default envelope encryption with an AWS-owned key/);
  });

  it('fails on EKS before 1.28 without encryptionConfig', () => {
    const cluster = eksPosture({
      secretsEncryption: at<SecretsEncryption>(
        EKS_ENCRYPTION,
        { envelope: false, keyManagedBy: 'none', keyId: null },
        null,
      ),
    });
    assert.deepEqual(outcome(secretsEnvelopeEncryption.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: EKS_ENCRYPTION, value: null }],
    });
  });

  it('is unknown on EKS when encryptionConfig could not be read', () => {
    const cluster = eksPosture({ secretsEncryption: unknown('encryptionConfig malformed') });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on GKE when database encryption is ENCRYPTED', () => {
    const raw = { state: 'ENCRYPTED', keyName: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' };
    const cluster = gkePosture({
      secretsEncryption: at<SecretsEncryption>(
        GKE_ENCRYPTION,
        { envelope: true, keyManagedBy: 'customer', keyId: raw.keyName },
        raw,
      ),
    });
    assert.deepEqual(outcome(secretsEnvelopeEncryption.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: GKE_ENCRYPTION, value: raw }],
    });
  });

  it('fails on GKE when database encryption is DECRYPTED', () => {
    const cluster = gkePosture({
      secretsEncryption: at<SecretsEncryption>(
        GKE_ENCRYPTION,
        { envelope: false, keyManagedBy: 'none', keyId: null },
        { state: 'DECRYPTED' },
      ),
    });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on GKE when database encryption could not be read', () => {
    const cluster = gkePosture({ secretsEncryption: unknown('unrecognised state 7') });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS with Key Vault KMS on', () => {
    const raw = { enabled: true, keyId: 'https://vault.vault.azure.net/keys/k/1' };
    const cluster = aksPosture({
      secretsEncryption: at<SecretsEncryption>(
        AKS_KMS,
        { envelope: true, keyManagedBy: 'customer', keyId: raw.keyId },
        raw,
      ),
    });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on AKS without Key Vault KMS', () => {
    const cluster = aksPosture({
      secretsEncryption: at<SecretsEncryption>(
        AKS_KMS,
        { envelope: false, keyManagedBy: 'none', keyId: null },
        null,
      ),
    });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when the security profile could not be read', () => {
    const cluster = aksPosture({ secretsEncryption: unknown('securityProfile malformed') });
    assert.equal(secretsEnvelopeEncryption.evaluate(cluster, ctx).status, 'unknown');
  });
});
