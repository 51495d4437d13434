import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, pass, unknownVerdict } from '../verdict.js';

/** ENC-02: Secrets encryption uses a customer-managed key. */
export const secretsCustomerKey: Check = {
  id: 'ENC-02',
  title: 'Secrets encryption uses a customer-managed key',
  rationale:
    'Only a customer-managed key lets the organisation control, audit and revoke access to Secrets independently of the cluster provider, and meet rules that require customer-held keys.',
  category: 'data-protection',
  severity: 'medium',
  source: 'api',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
  },
  remediation: {
    text: 'Encrypt Secrets with a key you own: a customer managed AWS KMS key on EKS, a Cloud KMS key on GKE, an Azure Key Vault key on AKS. Restrict who may use and disable the key.',
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
  evaluate(cluster) {
    const { secretsEncryption } = cluster;
    if (isUnknown(secretsEncryption)) return unknownVerdict('Secrets encryption setting', secretsEncryption);
    const { envelope, keyManagedBy, keyId } = secretsEncryption.value;
    if (envelope && keyManagedBy === 'customer') {
      return pass(`Secrets are encrypted with a customer-managed key (${keyId}).`, secretsEncryption);
    }
    // Only EKS has a provider-owned default, from 1.28 on; GKE and AKS envelope-encrypt Secrets with a customer key or not at all.
    if (envelope && keyManagedBy === 'provider') {
      return fail(
        'Secrets are encrypted with the default AWS-owned key, not a customer-managed KMS key.',
        secretsEncryption,
      );
    }
    return fail('Secrets are not envelope-encrypted with a customer-managed key.', secretsEncryption);
  },
};
