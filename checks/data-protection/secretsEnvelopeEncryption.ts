import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = { responsibility: 'shared', reads: ['secretsEncryption'], evaluate: judgeEnvelope };

/** ENC-01: Kubernetes Secrets are envelope-encrypted at the application layer. */
export const secretsEnvelopeEncryption: Check = {
  id: 'ENC-01',
  title: 'Kubernetes Secrets are envelope-encrypted at the application layer',
  rationale:
    'Disk encryption of etcd does not protect Secrets from anyone who reads etcd or its backups; envelope encryption keeps them encrypted with a key held in a key management service.',
  category: 'data-protection',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Turn on envelope encryption of Secrets with a key management service key: AWS KMS on EKS (or run Kubernetes 1.28 or later), Cloud KMS application-layer secrets encryption on GKE, Azure Key Vault KMS on AKS.',
    cli: {
      eks: `aws eks associate-encryption-config --cluster-name <cluster> --encryption-config '[{"resources":["secrets"],"provider":{"keyArn":"<kms-key-arn>"}}]'`,
      gke: 'gcloud container clusters update <cluster> --location <location> --database-encryption-key projects/<project>/locations/<location>/keyRings/<key-ring>/cryptoKeys/<key>',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id>',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets',
      'https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption',
    ],
  },
};

function judgeEnvelope(cluster: ClusterPosture): Verdict {
  const { secretsEncryption } = cluster;
  if (isUnknown(secretsEncryption)) return unknownVerdict('Secrets encryption setting', secretsEncryption);
  const { envelope, keyManagedBy, keyId } = secretsEncryption.value;
  if (!envelope) {
    return fail('Secrets are not envelope-encrypted at the application layer.', secretsEncryption);
  }
  // Only EKS has a provider-owned default, from 1.28 on; GKE and AKS envelope-encrypt Secrets with a customer key or not at all.
  if (keyManagedBy === 'provider') {
    return pass(
      'Secrets have default envelope encryption with an AWS-owned key (EKS 1.28 and later).',
      secretsEncryption,
    );
  }
  return pass(`Secrets are envelope-encrypted with a customer-managed key (${keyId}).`, secretsEncryption);
}
