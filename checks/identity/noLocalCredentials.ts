import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { fail, firstUnknown, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** AUTH-02: no static or local credentials can reach the API server. */
export const noLocalCredentials: Check = {
  id: 'AUTH-02',
  title: 'No static or local credentials can reach the API server',
  rationale:
    'Static passwords, client certificates and local admin kubeconfigs cannot be revoked one by one, bypass the identity provider and its MFA, and keep working after the person who fetched them has left.',
  category: 'identity',
  severity: 'high',
  source: 'api',
  providers: {
    eks: { notApplicable: 'EKS has no local accounts; see AUTH-03' },
    gke: {
      responsibility: 'customer',
      reads: ['gke.basicAuth', 'gke.clientCertificate'],
      evaluate: evaluateGke,
    },
    aks: { responsibility: 'customer', reads: ['aks.localAccountsDisabled'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'On AKS disable local accounts once Entra ID integration is on. On GKE basic authentication and client certificates are fixed at creation: move workloads to a cluster created without them.',
    cli: {
      gke: 'gcloud container clusters create <cluster> --location <location> --no-issue-client-certificate (client certificates are chosen at creation: migrate workloads to the new cluster)',
      aks: 'az aks update --resource-group <group> --name <cluster> --disable-local-accounts',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication',
      'https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { basicAuth, clientCertificate } = cluster.gke;
  const enabled: string[] = [];
  if (!isUnknown(basicAuth) && basicAuth.value) enabled.push('basic authentication (masterAuth.username)');
  if (!isUnknown(clientCertificate) && clientCertificate.value) enabled.push('a static client certificate');
  if (enabled.length > 0) {
    return fail(`The API server accepts ${enabled.join(' and ')}.`, basicAuth, clientCertificate);
  }
  const unread = firstUnknown(basicAuth, clientCertificate);
  if (unread) return unknownVerdict('Static credential settings', unread, basicAuth, clientCertificate);
  return pass(
    'Neither basic authentication nor a static client certificate is configured.',
    basicAuth,
    clientCertificate,
  );
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { localAccountsDisabled } = cluster.aks;
  if (isUnknown(localAccountsDisabled)) return unknownVerdict('Local account setting', localAccountsDisabled);
  return localAccountsDisabled.value
    ? pass(
        'Local accounts are disabled: no cluster-admin kubeconfig with static credentials can be fetched.',
        localAccountsDisabled,
      )
    : fail(
        'Local accounts are enabled: anyone allowed to list cluster admin credentials gets a static cluster-admin kubeconfig.',
        localAccountsDisabled,
      );
}
