import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, EksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { evidenceOf, fail, firstUnknown, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

/** IAM-01: pods get cloud credentials through workload identity, not node credentials. */
export const workloadIdentity: Check = {
  id: 'IAM-01',
  title: 'Pods get cloud credentials through workload identity, not node credentials',
  rationale:
    'Without workload identity every pod that needs a cloud API borrows the node identity, so one compromised pod acts with the rights of every workload on the node and the audit trail cannot tell them apart.',
  category: 'identity',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['eks.addons', 'eks.oidcIssuer', 'eks.iamOidcProvider'],
      evaluate: evaluateEks,
    },
    gke: { responsibility: 'customer', reads: ['gke.workloadPool'], evaluate: evaluateGke },
    aks: {
      responsibility: 'customer',
      reads: ['aks.workloadIdentity', 'aks.oidcIssuer'],
      evaluate: evaluateAks,
    },
  },
  remediation: {
    text: 'Give pods their own cloud identity: EKS Pod Identity (or IAM roles for service accounts, with an IAM OIDC provider for the cluster issuer) on EKS, Workload Identity Federation for GKE, Microsoft Entra Workload ID with the OIDC issuer on AKS.',
    cli: {
      eks: 'aws eks create-addon --cluster-name <cluster> --addon-name eks-pod-identity-agent',
      gke: 'gcloud container clusters update <cluster> --location <location> --workload-pool=<project>.svc.id.goog',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-oidc-issuer --enable-workload-identity',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
      'https://learn.microsoft.com/azure/aks/workload-identity-overview',
    ],
  },
};

/**
 * EKS offers two ways: EKS Pod Identity (the add-on) and IAM roles for service accounts, which need an
 * IAM OIDC provider for the cluster's issuer; that provider lives in IAM (ListOpenIDConnectProviders).
 */
function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { addons, oidcIssuer, iamOidcProvider } = cluster.eks;
  if (!isUnknown(addons) && addons.value.includes(POD_IDENTITY_AGENT)) {
    return pass(
      `The ${POD_IDENTITY_AGENT} add-on is installed: pods can get IAM roles through EKS Pod Identity.`,
      addons,
    );
  }
  if (!isUnknown(iamOidcProvider) && iamOidcProvider.value) {
    const issuer = isUnknown(oidcIssuer) ? '' : ` ${oidcIssuer.value}`;
    return pass(
      `An IAM OIDC provider exists for the cluster issuer${issuer}: pods can get IAM roles through IAM roles for service accounts.`,
      addons,
      oidcIssuer,
      iamOidcProvider,
    );
  }
  if (isUnknown(oidcIssuer)) return unknownVerdict('The cluster OIDC issuer', oidcIssuer, addons);
  const addonNote = isUnknown(addons)
    ? `the add-ons could not be read (${addons.unknown})`
    : `the ${POD_IDENTITY_AGENT} add-on is not installed`;
  if (isUnknown(iamOidcProvider)) {
    return {
      status: 'unknown',
      message: `Workload identity could not be decided: ${addonNote}, and whether an IAM OIDC provider exists for the issuer ${oidcIssuer.value} (IAM roles for service accounts) could not be read: ${iamOidcProvider.unknown}`,
      evidence: evidenceOf(addons, oidcIssuer, iamOidcProvider),
    };
  }
  const noIrsa = `no IAM OIDC provider exists for the issuer ${oidcIssuer.value}, so IAM roles for service accounts cannot be used`;
  if (isUnknown(addons)) {
    return {
      status: 'unknown',
      message: `Workload identity could not be decided: ${noIrsa}, and ${addonNote}.`,
      evidence: evidenceOf(addons, oidcIssuer, iamOidcProvider),
    };
  }
  return fail(
    `Pods have no workload identity: ${addonNote} and ${noIrsa}; they call AWS APIs with the node role.`,
    addons,
    oidcIssuer,
    iamOidcProvider,
  );
}

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { workloadPool } = cluster.gke;
  if (isUnknown(workloadPool)) return unknownVerdict('Workload Identity setting', workloadPool);
  return workloadPool.value === null
    ? fail(
        'Workload Identity Federation is off: pods call Google APIs as the node service account.',
        workloadPool,
      )
    : pass(`Workload Identity Federation is on (workload pool ${workloadPool.value}).`, workloadPool);
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { workloadIdentity: workloadId, oidcIssuer } = cluster.aks;
  const off = [
    ...(!isUnknown(workloadId) && !workloadId.value ? ['Microsoft Entra Workload ID'] : []),
    ...(!isUnknown(oidcIssuer) && !oidcIssuer.value ? ['the OIDC issuer'] : []),
  ];
  if (off.length > 0) {
    const named = off.join(' and ');
    return fail(
      `${named.charAt(0).toUpperCase()}${named.slice(1)} ${off.length === 1 ? 'is' : 'are'} off: pods reach Azure only with the node identity or secrets.`,
      workloadId,
      oidcIssuer,
    );
  }
  const unread = firstUnknown(workloadId, oidcIssuer);
  if (unread) return unknownVerdict('Workload identity settings', unread, workloadId, oidcIssuer);
  return pass('Microsoft Entra Workload ID and the OIDC issuer are on.', workloadId, oidcIssuer);
}
