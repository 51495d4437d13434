import { isUnknown, type Observed } from '../../model/observed.js';
import type { AuditLogExport } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

// GKE writes Admin Activity audit logs to Cloud Audit Logs whatever the cluster's logging settings.
const GKE_ADMIN_ACTIVITY = 'Admin Activity audit logs always go to Cloud Audit Logs.';

/** AUD-01: Kubernetes audit logs are exported off the control plane. */
export const auditLogExport: Check = {
  id: 'AUD-01',
  title: 'Kubernetes audit logs are exported off the control plane',
  rationale:
    'Without exported audit logs there is no record of who read secrets, changed RBAC or exec-ed into pods: an incident cannot be investigated and tampering cannot be detected.',
  category: 'audit',
  severity: 'high',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'shared',
      reads: ['auditLogs'],
      evaluate: (cluster) => judgeExport(cluster.auditLogs, ''),
    },
    gke: {
      responsibility: 'shared',
      reads: ['auditLogs'],
      evaluate: (cluster) => judgeExport(cluster.auditLogs, ` ${GKE_ADMIN_ACTIVITY}`),
    },
    aks: {
      responsibility: 'shared',
      reads: ['auditLogs'],
      evaluate: (cluster) => judgeExport(cluster.auditLogs, ''),
    },
  },
  remediation: {
    text: 'Turn on control-plane audit logging: the audit log type on EKS, Cloud Logging with system components on GKE, a diagnostic setting with kube-audit-admin (or kube-audit) to a workspace or storage account on AKS.',
    cli: {
      eks: `aws eks update-cluster-config --name <cluster> --logging '{"clusterLogging":[{"types":["api","audit","authenticator"],"enabled":true}]}'`,
      gke: 'gcloud container clusters update <cluster> --location <location> --logging=SYSTEM,WORKLOAD,API_SERVER',
      aks: `az monitor diagnostic-settings create --name kube-audit --resource <cluster-resource-id> --workspace <workspace-id> --logs '[{"category":"kube-audit-admin","enabled":true}]'`,
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging',
      'https://learn.microsoft.com/azure/aks/monitor-aks',
    ],
  },
};

/** Exported or not; `note` follows each message (GKE's Admin Activity logs, which always go out). */
function judgeExport(auditLogs: Observed<AuditLogExport>, note: string): Verdict {
  if (isUnknown(auditLogs)) return unknownVerdict('Audit log export', auditLogs);
  const { exported, categories, destinations } = auditLogs.value;
  if (!exported) return fail(`Kubernetes audit logs are not exported.${note}`, auditLogs);
  // GKE's API default (no component list) collects the default components without naming them.
  const what = categories.length > 0 ? ` (${categories.join(', ')})` : '';
  return pass(`Kubernetes audit logs are exported${what} to ${destinations.join(', ')}.${note}`, auditLogs);
}
