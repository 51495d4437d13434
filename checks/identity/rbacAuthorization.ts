import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, pass, providerEnforced, unknownVerdict } from '../verdict.js';

/** RBAC-01: RBAC authorization is on and legacy ABAC is off. */
export const rbacAuthorization: Check = {
  id: 'RBAC-01',
  title: 'RBAC authorization is on and legacy ABAC is off',
  rationale:
    'Legacy ABAC grants broad, static permissions that RBAC bindings cannot narrow, and a cluster without RBAC gives every authenticated user and service account full control.',
  category: 'identity',
  severity: 'critical',
  source: 'api',
  applies: {
    eks: { responsibility: 'provider' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
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
  evaluate(cluster) {
    switch (cluster.provider) {
      case 'eks':
        return providerEnforced('EKS always authorizes with Kubernetes RBAC; ABAC cannot be turned on.');
      case 'gke': {
        const { legacyAbac } = cluster.authorization;
        if (isUnknown(legacyAbac)) return unknownVerdict('Legacy ABAC setting', legacyAbac);
        return legacyAbac.value
          ? fail('Legacy ABAC is on: it grants permissions that RBAC cannot narrow.', legacyAbac)
          : pass('Legacy ABAC is off; GKE authorizes with RBAC.', legacyAbac);
      }
      case 'aks': {
        const { rbac } = cluster.authorization;
        if (isUnknown(rbac)) return unknownVerdict('RBAC setting', rbac);
        return rbac.value
          ? pass('Kubernetes RBAC is on.', rbac)
          : fail('Kubernetes RBAC is off: every authenticated user has full access.', rbac);
      }
    }
  },
};
