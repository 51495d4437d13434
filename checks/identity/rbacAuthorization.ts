import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { fail, pass, providerEnforced, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** RBAC-01: RBAC authorization is on and legacy ABAC is off. */
export const rbacAuthorization: Check = {
  id: 'RBAC-01',
  title: 'RBAC authorization is on and legacy ABAC is off',
  rationale:
    'Legacy ABAC grants broad, static permissions that RBAC bindings cannot narrow, and a cluster without RBAC gives every authenticated user and service account full control.',
  category: 'identity',
  severity: 'critical',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'provider',
      reads: [],
      evaluate: () =>
        providerEnforced('EKS always authorizes with Kubernetes RBAC; ABAC cannot be turned on.'),
    },
    gke: { responsibility: 'customer', reads: ['authorization.legacyAbac'], evaluate: evaluateGke },
    aks: { responsibility: 'customer', reads: ['authorization.rbac'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'On GKE disable legacy authorization. On AKS Kubernetes RBAC is chosen at creation: move workloads to a cluster created with RBAC (the default).',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --no-enable-legacy-authorization',
      aks: 'az aks create --resource-group <group> --name <cluster> --enable-aad (Kubernetes RBAC is on by default and chosen at creation: migrate workloads to the new cluster)',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-auth.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/role-based-access-control',
      'https://learn.microsoft.com/azure/aks/concepts-identity',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { legacyAbac } = cluster.authorization;
  if (isUnknown(legacyAbac)) return unknownVerdict('Legacy ABAC setting', legacyAbac);
  return legacyAbac.value
    ? fail('Legacy ABAC is on: it grants permissions that RBAC cannot narrow.', legacyAbac)
    : pass('Legacy ABAC is off; GKE authorizes with RBAC.', legacyAbac);
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { rbac } = cluster.authorization;
  if (isUnknown(rbac)) return unknownVerdict('RBAC setting', rbac);
  return rbac.value
    ? pass('Kubernetes RBAC is on.', rbac)
    : fail('Kubernetes RBAC is off: every authenticated user has full access.', rbac);
}
