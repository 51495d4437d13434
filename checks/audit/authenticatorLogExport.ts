import { isUnknown, type Observed } from '../../model/observed.js';
import { fail, pass, providerEnforced, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** AUD-02: authentication logs are exported, so failed logins can be alerted on. */
export const authenticatorLogExport: Check = {
  id: 'AUD-02',
  title: 'Authentication logs are exported, so failed logins can be alerted on',
  rationale:
    'Failed and unusual authentications are the first sign of stolen credentials or brute force against the API server; if the authenticator logs stay on the control plane nobody can alert on them.',
  category: 'audit',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'shared',
      reads: ['authenticatorLogs'],
      evaluate: (cluster) => judgeExport('authenticator', cluster.authenticatorLogs),
    },
    gke: {
      responsibility: 'provider',
      reads: [],
      evaluate: () =>
        providerEnforced(
          'GKE records API server authentication in Cloud Audit Logs; it cannot be turned off.',
        ),
    },
    aks: {
      responsibility: 'shared',
      reads: ['authenticatorLogs'],
      evaluate: (cluster) => judgeExport('guard', cluster.authenticatorLogs),
    },
  },
  remediation: {
    text: 'Export the authentication log: the authenticator log type on EKS, the guard category in a diagnostic setting on AKS. GKE records authentication in Cloud Audit Logs without configuration.',
    cli: {
      eks: `aws eks update-cluster-config --name <cluster> --logging '{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}'`,
      aks: `az monitor diagnostic-settings create --name kube-guard --resource <cluster-resource-id> --workspace <workspace-id> --logs '[{"category":"guard","enabled":true}]'`,
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging',
      'https://learn.microsoft.com/azure/aks/monitor-aks-reference',
    ],
  },
};

/** The authentication log, named as the provider names it: EKS `authenticator`, AKS `guard`. */
function judgeExport(log: string, authenticatorLogs: Observed<boolean>): Verdict {
  if (isUnknown(authenticatorLogs)) return unknownVerdict(`The ${log} log setting`, authenticatorLogs);
  return authenticatorLogs.value
    ? pass(`The ${log} log is exported.`, authenticatorLogs)
    : fail(
        `The ${log} log is not exported: failed logins leave no trace outside the control plane.`,
        authenticatorLogs,
      );
}
