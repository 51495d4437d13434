import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, pass, unknownVerdict } from '../verdict.js';

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
  applies: {
    eks: { responsibility: 'shared' },
    gke: { responsibility: 'shared' },
    aks: { responsibility: 'shared' },
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
  evaluate(cluster) {
    const { auditLogs } = cluster;
    const gkeNote = cluster.provider === 'gke' ? ` ${GKE_ADMIN_ACTIVITY}` : '';
    if (isUnknown(auditLogs)) return unknownVerdict('Audit log export', auditLogs);
    const { exported, categories, destinations } = auditLogs.value;
    if (!exported) return fail(`Kubernetes audit logs are not exported.${gkeNote}`, auditLogs);
    // GKE's API default (no component list) collects the default components without naming them.
    const what = categories.length > 0 ? ` (${categories.join(', ')})` : '';
    return pass(
      `Kubernetes audit logs are exported${what} to ${destinations.join(', ')}.${gkeNote}`,
      auditLogs,
    );
  },
};
