import { isUnknown } from '../../model/observed.js';
import type { EksClusterPosture } from '../../model/posture.js';
import { inClusterFacts, listed } from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const EKS_ONLY = 'The aws-auth ConfigMap exists only on EKS.';
const MASTERS = 'system:masters';

/** RBAC-05: the aws-auth ConfigMap maps no one into system:masters. */
export const awsAuthMasters: Check = {
  id: 'RBAC-05',
  title: 'The aws-auth ConfigMap maps no one into system:masters',
  rationale:
    'system:masters bypasses RBAC entirely and no binding can be removed to take it away: an IAM role or user mapped into it in aws-auth is cluster-admin for good, invisible to anyone reviewing ClusterRoleBindings.',
  category: 'identity',
  severity: 'high',
  source: 'k8s',
  providers: {
    eks: { responsibility: 'customer', reads: ['inCluster', 'inCluster.awsAuth'], evaluate: evaluateAwsAuth },
    gke: { notApplicable: EKS_ONLY },
    aks: { notApplicable: EKS_ONLY },
  },
  remediation: {
    text: 'Replace mappings into system:masters with EKS access entries and the AmazonEKSClusterAdminPolicy where admin is really needed, then remove them from kube-system/aws-auth.',
    cli: {
      eks: 'aws eks create-access-entry --cluster-name <cluster> --principal-arn <role-arn> && aws eks associate-access-policy --cluster-name <cluster> --principal-arn <role-arn> --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html',
      'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
    ],
  },
};

function evaluateAwsAuth(cluster: EksClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { awsAuth } = read.facts;
  if (isUnknown(awsAuth)) return unknownVerdict('The aws-auth ConfigMap', awsAuth);
  if (awsAuth.value === null) {
    return pass('kube-system/aws-auth does not exist: access is managed with access entries only.', awsAuth);
  }
  const masters = awsAuth.value.filter((mapping) => mapping.groups.includes(MASTERS));
  if (masters.length > 0) {
    return fail(
      `kube-system/aws-auth maps ${listed(masters.map((mapping) => mapping.arn))} into system:masters.`,
      awsAuth,
    );
  }
  return pass(
    `kube-system/aws-auth maps no one into system:masters (${awsAuth.value.length} mapping(s)).`,
    awsAuth,
  );
}
