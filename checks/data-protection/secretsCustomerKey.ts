import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['secretsEncryption'],
  evaluate: judgeCustomerKey,
};

/** ENC-02: Secrets encryption uses a customer-managed key. */
export const secretsCustomerKey: Check = {
  id: 'ENC-02',
  title: 'Secrets encryption uses a customer-managed key',
  rationale:
    'Only a customer-managed key lets the organisation control, audit and revoke access to Secrets independently of the cluster provider, and meet rules that require customer-held keys.',
  category: 'data-protection',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
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
};

function judgeCustomerKey(cluster: ClusterPosture): Verdict {
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
}
