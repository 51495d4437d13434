import { isUnknown } from '../../model/observed.js';
import type { EksClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const NOT_EKS = 'The aws-auth ConfigMap and EKS access entries exist only on EKS.';

/** AUTH-03: access is managed with EKS access entries, not only the aws-auth ConfigMap. */
export const eksAccessEntries: Check = {
  id: 'AUTH-03',
  title: 'Access is managed with EKS access entries, not only the aws-auth ConfigMap',
  rationale:
    'The aws-auth ConfigMap is edited by hand inside the cluster, is invisible to IAM and CloudTrail, and one bad edit locks everyone out; access entries are managed, audited and scoped through the EKS API.',
  category: 'identity',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: { responsibility: 'customer', reads: ['eks.authenticationMode'], evaluate: evaluateEks },
    gke: { notApplicable: NOT_EKS },
    aks: { notApplicable: NOT_EKS },
  },
  remediation: {
    text: 'Switch the authentication mode to API_AND_CONFIG_MAP, recreate the aws-auth mappings as access entries, then switch to API. The mode cannot be switched back.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html',
    ],
  },
};

function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { authenticationMode } = cluster.eks;
  if (isUnknown(authenticationMode)) return unknownVerdict('Authentication mode', authenticationMode);
  switch (authenticationMode.value) {
    case 'API':
      return pass(
        'Access is managed only with EKS access entries (authentication mode API).',
        authenticationMode,
      );
    case 'API_AND_CONFIG_MAP':
      return pass(
        'Access entries are on, but the aws-auth ConfigMap is still read (API_AND_CONFIG_MAP): migrate its mappings and switch to API.',
        authenticationMode,
      );
    case 'CONFIG_MAP':
      return fail(
        'Access is managed only in the aws-auth ConfigMap (authentication mode CONFIG_MAP).',
        authenticationMode,
      );
  }
}
