import type { SourceField } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, EksClusterPosture } from '../../model/posture.js';
import { evidenceOf, notApplicable, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, Verdict } from '../types.js';

/** The EKS access policy that maps an IAM principal to Kubernetes cluster-admin. */
export const EKS_CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const GKE_IAM =
  'Cluster-admin through Google IAM (roles/container.admin and similar) needs an IAM policy review.';

/** RBAC-02: cluster-admin access granted through cloud IAM is limited to a few principals. */
export const clusterAdminPrincipals: Check = {
  id: 'RBAC-02',
  title: 'Cluster-admin access granted through cloud IAM is limited to a few principals',
  rationale:
    'Every principal with cluster-admin can read every Secret, run anything on any node and erase its own traces; the more roles and groups hold it, the more credentials an attacker can steal to own the cluster.',
  category: 'identity',
  severity: 'high',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['eks.authenticationMode', 'eks.accessEntries', 'eks.bootstrapClusterCreatorAdmin'],
      evaluate: evaluateEks,
    },
    gke: { notApplicable: GKE_IAM },
    aks: {
      responsibility: 'customer',
      reads: ['aks.entraIdManaged', 'aks.adminGroupObjectIds'],
      evaluate: evaluateAks,
    },
  },
  remediation: {
    text: 'Keep cluster-admin for a break-glass role or group or two: on EKS disassociate AmazonEKSClusterAdminPolicy from the other access entries and grant narrower access policies or Kubernetes groups, and move clusters off the aws-auth ConfigMap (authentication mode API) so every admin grant shows in the EKS API; on AKS name at most a couple of Entra ID admin groups and give everyone else Kubernetes or Azure RBAC roles.',
    cli: {
      eks: 'aws eks disassociate-access-policy --cluster-name <cluster> --principal-arn <principal-arn> --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      aks: 'az aks update --resource-group <group> --name <cluster> --aad-admin-group-object-ids <group-object-id>',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html',
      'https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id',
    ],
  },
};

/** The in-cluster checks that see who aws-auth and ClusterRoleBindings make cluster-admin. */
const IN_CLUSTER_CHECKS = 'the in-cluster checks RBAC-05 and RBAC-04 decide it, with in-cluster read access';

function evaluateEks(cluster: EksClusterPosture, ctx: EvalContext): Verdict {
  const { authenticationMode, accessEntries, bootstrapClusterCreatorAdmin } = cluster.eks;
  if (!isUnknown(authenticationMode) && authenticationMode.value === 'CONFIG_MAP') {
    return configMapOnly(cluster);
  }
  if (isUnknown(accessEntries)) return unknownVerdict('Access entries', accessEntries);
  // A namespace-scoped association grants admin in those namespaces only, not cluster-admin.
  const admins = accessEntries.value
    .filter((entry) =>
      entry.policies.some(
        (policy) => policy.policyArn === EKS_CLUSTER_ADMIN_POLICY && policy.scope === 'cluster',
      ),
    )
    .map((entry) => entry.principalArn);
  const listed: SourceField = {
    path: 'accessEntries[policyArn=AmazonEKSClusterAdminPolicy,scope=cluster].principalArn',
    value: admins,
  };
  const evidence = [listed, ...evidenceOf(accessEntries, authenticationMode, bootstrapClusterCreatorAdmin)];
  // The creator's entry is counted like any other while it exists; the note says where it came from.
  const bootstrapNote =
    !isUnknown(bootstrapClusterCreatorAdmin) && bootstrapClusterCreatorAdmin.value
      ? ' The cluster creator was made cluster-admin at creation (bootstrapClusterCreatorAdminPermissions); remove that entry once other admins exist.'
      : '';
  const statement = `${admins.length} IAM ${admins.length === 1 ? 'principal holds' : 'principals hold'} AmazonEKSClusterAdminPolicy at cluster scope`;
  const max = ctx.settings.maxClusterAdmins;
  const accessEntriesOnly = !isUnknown(authenticationMode) && authenticationMode.value === 'API';
  // aws-auth can only add admins: too many entries fail whatever it holds, but a pass would rest on
  // a ConfigMap the cloud API cannot read.
  if (admins.length > max || accessEntriesOnly) {
    return judgeCount(ctx, admins.length, statement, bootstrapNote, evidence);
  }
  const awsAuth = isUnknown(authenticationMode)
    ? `the authentication mode could not be read (${authenticationMode.unknown}), so the aws-auth ConfigMap`
    : 'the cluster also authenticates through the aws-auth ConfigMap (authenticationMode API_AND_CONFIG_MAP), which';
  return {
    status: 'unknown',
    message: `${statement} (at most ${max} allowed), but ${awsAuth} may map more into system:masters: ${IN_CLUSTER_CHECKS}.${bootstrapNote}`,
    evidence,
  };
}

/**
 * A CONFIG_MAP cluster has no access entries: aws-auth alone says who is admin, and the creator holds
 * system:masters invisibly (EKS requires bootstrapClusterCreatorAdminPermissions true in this mode).
 * https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html
 */
function configMapOnly(cluster: EksClusterPosture): Verdict {
  const { authenticationMode, accessEntries, bootstrapClusterCreatorAdmin } = cluster.eks;
  return {
    status: 'unknown',
    message: `Cluster-admin holders cannot be counted through the EKS API: the cluster authenticates through the aws-auth ConfigMap only (authenticationMode CONFIG_MAP), which may map any IAM role or user into system:masters. The in-cluster checks RBAC-05 (aws-auth maps no one into system:masters) and RBAC-04 (cluster-admin bindings) decide it, with in-cluster read access. The IAM principal that created the cluster also holds system:masters, which no configuration shows (bootstrapClusterCreatorAdminPermissions).`,
    evidence: evidenceOf(authenticationMode, accessEntries, bootstrapClusterCreatorAdmin),
  };
}

function evaluateAks(cluster: AksClusterPosture, ctx: EvalContext): Verdict {
  const { adminGroupObjectIds, entraIdManaged } = cluster.aks;
  if (isUnknown(entraIdManaged)) return unknownVerdict('Managed Entra ID integration', entraIdManaged);
  // Without managed Entra ID, adminGroupObjectIDs grants nothing: "0 groups" would read as a count
  // of admins when admin access is really the local account or in-cluster bindings.
  if (!entraIdManaged.value) {
    return notApplicable(
      'The cluster has no managed Entra ID integration, so AKS makes no Entra ID group cluster-admin: admin access is the local admin account (AUTH-02) or in-cluster bindings (RBAC-04).',
      entraIdManaged,
    );
  }
  if (isUnknown(adminGroupObjectIds)) return unknownVerdict('Entra ID admin groups', adminGroupObjectIds);
  const count = adminGroupObjectIds.value.length;
  // Groups, not people: each group may hold many members, and Azure RBAC role assignments
  // (Azure Kubernetes Service RBAC Cluster Admin) are a separate grant this field does not show.
  return judgeCount(
    ctx,
    count,
    `${count} Entra ID ${count === 1 ? 'group is' : 'groups are'} cluster-admin through aadProfile.adminGroupObjectIDs`,
    ' Azure RBAC role assignments on the cluster are not read.',
    evidenceOf(adminGroupObjectIds),
  );
}

function judgeCount(
  ctx: EvalContext,
  count: number,
  statement: string,
  note: string,
  evidence: readonly SourceField[],
): Verdict {
  const max = ctx.settings.maxClusterAdmins;
  return count <= max
    ? { status: 'pass', message: `${statement} (at most ${max} allowed).${note}`, evidence }
    : { status: 'fail', message: `${statement}, more than the ${max} allowed.${note}`, evidence };
}
