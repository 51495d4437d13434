import type { ClusterRoleFacts, RbacBinding, RbacRule, RbacSubject } from '../../model/inCluster.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { bindingEvidence, bindingName, fields, inClusterFacts, listed } from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedPosturePath, Verdict } from '../types.js';

/*
 * EKS and AKS keep the API server's anonymous authentication on and expose no setting for it, so
 * RBAC alone decides what an anonymous request reaches. "Limited to health endpoints" means
 * precisely: the only binding of system:anonymous or system:unauthenticated is the default
 * ClusterRoleBinding system:public-info-viewer to the ClusterRole of that name, and that role
 * grants nothing but `get` on /healthz, /livez, /readyz, /version and /version/ (its default
 * rules, https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles).
 */
const PUBLIC_INFO_VIEWER = 'system:public-info-viewer';
const HEALTH_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

function isAnonymous(subject: RbacSubject): boolean {
  return (
    (subject.kind === 'User' && subject.name === 'system:anonymous') ||
    (subject.kind === 'Group' && subject.name === 'system:unauthenticated')
  );
}

function isPublicInfoViewer(binding: RbacBinding): boolean {
  return (
    binding.kind === 'ClusterRoleBinding' &&
    binding.name === PUBLIC_INFO_VIEWER &&
    binding.roleRef.kind === 'ClusterRole' &&
    binding.roleRef.name === PUBLIC_INFO_VIEWER
  );
}

/** Only `get` on health and version URLs, nothing on resources. */
function isHealthOnly(rule: RbacRule): boolean {
  return (
    rule.resources.length === 0 &&
    rule.verbs.every((verb) => verb === 'get') &&
    rule.nonResourceURLs.every((url) => HEALTH_URLS.includes(url))
  );
}

const IN_CLUSTER_READS: readonly SharedPosturePath[] = [
  'inCluster',
  'inCluster.clusterRoleBindings',
  'inCluster.roleBindings',
  'inCluster.clusterRoles',
];

/** AUTH-04: anonymous requests are limited to health endpoints. */
export const anonymousAuthLimited: Check = {
  id: 'AUTH-04',
  title: 'Anonymous requests are limited to health endpoints',
  rationale:
    'With anonymous authentication on every endpoint, one RoleBinding to system:anonymous or system:unauthenticated (a typo, a copied manifest) hands cluster access to anyone who can reach the API server.',
  category: 'identity',
  severity: 'high',
  source: 'api/k8s',
  providers: {
    eks: { responsibility: 'customer', reads: IN_CLUSTER_READS, evaluate: evaluateAnonymousBindings },
    gke: { responsibility: 'customer', reads: ['gke.anonymousAuthentication'], evaluate: evaluateGke },
    aks: { responsibility: 'customer', reads: IN_CLUSTER_READS, evaluate: evaluateAnonymousBindings },
  },
  remediation: {
    text: 'On GKE limit anonymous authentication to the health-check endpoints (/healthz, /livez, /readyz). On EKS and AKS delete every binding of system:anonymous or system:unauthenticated other than the default system:public-info-viewer, and restore that ClusterRole to its default rules.',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl delete clusterrolebinding <binding>',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl delete clusterrolebinding <binding>"',
      gke: 'gcloud container clusters update <cluster> --location <location> --anonymous-authentication-config=LIMITED',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict-anon-access',
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { anonymousAuthentication: mode } = cluster.gke;
  if (isUnknown(mode)) return unknownVerdict('Anonymous authentication mode', mode);
  if (mode.value === 'LIMITED') {
    return pass('Anonymous requests reach only the health-check endpoints (mode LIMITED).', mode);
  }
  // MODE_UNSPECIFIED is what a cluster that never set the mode returns: GKE then allows anonymous requests everywhere.
  return fail(
    `Anonymous requests are authenticated as system:anonymous on every endpoint (mode ${mode.value}).`,
    mode,
  );
}

/** EKS and AKS: what RBAC grants anonymous requests. */
function evaluateAnonymousBindings(cluster: ClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { clusterRoleBindings, roleBindings, clusterRoles } = read.facts;
  if (isUnknown(clusterRoleBindings))
    return unknownVerdict('The ClusterRoleBindings of the cluster', clusterRoleBindings);
  if (isUnknown(roleBindings)) return unknownVerdict('The RoleBindings of the cluster', roleBindings);
  if (isUnknown(clusterRoles)) return unknownVerdict('The ClusterRoles of the cluster', clusterRoles);
  const anonymous = [...clusterRoleBindings.value, ...roleBindings.value].filter((binding) =>
    binding.subjects.some(isAnonymous),
  );
  const extra = anonymous.filter((binding) => !isPublicInfoViewer(binding));
  const viewer = clusterRoles.value.find((role) => role.name === PUBLIC_INFO_VIEWER);
  const widened =
    viewer !== undefined && anonymous.some(isPublicInfoViewer) && !viewer.rules.every(isHealthOnly);
  if (extra.length > 0 || widened) {
    const problems = [
      ...(extra.length > 0 ? [`${listed(extra.map(bindingName))} grant rights to anonymous requests`] : []),
      ...(widened
        ? [`ClusterRole ${PUBLIC_INFO_VIEWER} grants more than get on the health and version endpoints`]
        : []),
    ];
    return fail(
      `${problems.join('; ')}.`,
      fields(...extra.flatMap(bindingEvidence), ...(widened ? roleEvidence(viewer) : [])),
    );
  }
  return pass(
    'Anonymous requests reach only the health and version endpoints (system:public-info-viewer).',
    fields(...anonymous.flatMap(bindingEvidence), ...(viewer === undefined ? [] : roleEvidence(viewer))),
  );
}

function roleEvidence(role: ClusterRoleFacts) {
  return [
    {
      path: `clusterroles[name=${role.name}].rules`,
      value: role.rules.map((rule) => ({
        verbs: [...rule.verbs],
        resources: [...rule.resources],
        nonResourceURLs: [...rule.nonResourceURLs],
      })),
    },
  ];
}
