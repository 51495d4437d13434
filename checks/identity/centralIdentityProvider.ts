import type { Observed } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, EksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { fail, pass, providerEnforced, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** AUTH-01: human access to the API server goes through a central identity provider. */
export const centralIdentityProvider: Check = {
  id: 'AUTH-01',
  title: 'Human access to the API server goes through a central identity provider',
  rationale:
    'Users managed inside the cluster outlive the people they belong to: leavers keep access, MFA and conditional access do not apply, and nobody can answer who may reach the cluster from the directory alone.',
  category: 'identity',
  severity: 'high',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['eks.authenticationMode', 'eks.oidcIdentityProviders'],
      evaluate: evaluateEks,
    },
    gke: {
      responsibility: 'provider',
      reads: ['gke.googleGroupsForRbac', 'gke.identityService'],
      evaluate: evaluateGke,
    },
    aks: { responsibility: 'customer', reads: ['aks.entraIdManaged'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'Grant access through the cloud directory: EKS access entries for IAM principals (or an associated OIDC identity provider), Google identities and Google Groups for RBAC on GKE, managed Entra ID integration on AKS.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API_AND_CONFIG_MAP',
      gke: 'gcloud container clusters update <cluster> --location <location> --security-group gke-security-groups@<domain>',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-aad --aad-admin-group-object-ids <group-object-id>',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/authenticate-oidc-identity-provider.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac',
      'https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id',
    ],
  },
};

function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { authenticationMode, oidcIdentityProviders } = cluster.eks;
  if (isUnknown(authenticationMode)) return unknownVerdict('Authentication mode', authenticationMode);
  if (authenticationMode.value !== 'CONFIG_MAP') {
    return pass(
      `Access is granted to IAM principals through EKS access entries (authentication mode ${authenticationMode.value}).`,
      authenticationMode,
    );
  }
  if (isUnknown(oidcIdentityProviders)) {
    return unknownVerdict('OIDC identity provider configs', oidcIdentityProviders, authenticationMode);
  }
  return oidcIdentityProviders.value.length > 0
    ? pass(
        `Access goes through the associated OIDC identity provider(s) ${oidcIdentityProviders.value.join(', ')}.`,
        authenticationMode,
        oidcIdentityProviders,
      )
    : fail(
        'Access is managed only in the aws-auth ConfigMap (authentication mode CONFIG_MAP) and no OIDC identity provider is associated.',
        authenticationMode,
        oidcIdentityProviders,
      );
}

function describeSetting(name: string, setting: Observed<boolean>): string {
  if (isUnknown(setting)) return `${name} could not be read (${setting.unknown})`;
  return `${name} is ${setting.value ? 'on' : 'off'}`;
}

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { googleGroupsForRbac, identityService } = cluster.gke;
  // GKE authenticates every user with a Google identity (or GKE Identity Service federation); it has no in-cluster users to fall back on.
  return providerEnforced(
    `GKE authenticates users with Google identities; ${describeSetting('Google Groups for RBAC', googleGroupsForRbac)}, ${describeSetting('GKE Identity Service', identityService)}.`,
    googleGroupsForRbac,
    identityService,
  );
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { entraIdManaged } = cluster.aks;
  if (isUnknown(entraIdManaged)) return unknownVerdict('Entra ID integration', entraIdManaged);
  return entraIdManaged.value
    ? pass('Users sign in with Microsoft Entra ID (managed integration).', entraIdManaged)
    : fail(
        'Managed Entra ID integration is off: users authenticate with cluster-issued certificates.',
        entraIdManaged,
      );
}
