import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, pass, providerEnforced, unknownVerdict } from '../verdict.js';

/** AUD-02: authentication logs are exported, so failed logins can be alerted on. */
export const authenticatorLogExport: Check = {
  id: 'AUD-02',
  title: 'Authentication logs are exported, so failed logins can be alerted on',
  rationale:
    'Failed and unusual authentications are the first sign of stolen credentials or brute force against the API server; if the authenticator logs stay on the control plane nobody can alert on them.',
  category: 'audit',
  severity: 'medium',
  source: 'api',
  applies: {
    eks: { responsibility: 'shared' },
    gke: { responsibility: 'provider' },
    aks: { responsibility: 'shared' },
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
  evaluate(cluster) {
    if (cluster.provider === 'gke') {
      return providerEnforced(
        'GKE records API server authentication in Cloud Audit Logs; it cannot be turned off.',
      );
    }
    const { authenticatorLogs } = cluster;
    const log = cluster.provider === 'eks' ? 'authenticator' : 'guard';
    if (isUnknown(authenticatorLogs)) return unknownVerdict(`The ${log} log setting`, authenticatorLogs);
    return authenticatorLogs.value
      ? pass(`The ${log} log is exported.`, authenticatorLogs)
      : fail(
          `The ${log} log is not exported: failed logins leave no trace outside the control plane.`,
          authenticatorLogs,
        );
  },
};
