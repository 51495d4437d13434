import { dayCount } from '../../model/dates.js';
import type { Observed } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { Check, Verdict } from '../types.js';
import { evidenceOf, fail, pass, providerEnforced, unknownVerdict } from '../verdict.js';

/** AUD-03: exported audit logs are kept at least `minAuditRetentionDays`. */
export const auditLogRetention: Check = {
  id: 'AUD-03',
  title: 'Exported audit logs are kept at least the minimum retention period',
  rationale:
    'Intrusions are often found months after they start; audit logs deleted before then cannot show what the attacker touched, and many regulations require a year or more of audit history.',
  category: 'audit',
  severity: 'medium',
  source: 'api',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'provider' },
    aks: { responsibility: 'customer' },
  },
  remediation: {
    text: 'Keep audit logs at least the minimum period: set the retention of the /aws/eks/<cluster>/cluster log group on EKS; on AKS set the retention of the audit tables in the Log Analytics workspace (or a lifecycle rule on the storage account) the diagnostic setting sends to. GKE keeps Admin Activity audit logs 400 days without configuration.',
    cli: {
      eks: 'aws logs put-retention-policy --log-group-name /aws/eks/<cluster>/cluster --retention-in-days 365',
      aks: 'az monitor log-analytics workspace table update --resource-group <group> --workspace-name <workspace> --name <AKSAudit-or-AKSAuditAdmin> --retention-time 365',
    },
    links: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      'https://cloud.google.com/logging/docs/routing/overview#required-bucket',
      'https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure',
    ],
  },
  evaluate(cluster, ctx) {
    const { auditLogs, auditLogRetentionDays } = cluster;
    const min = ctx.settings.minAuditRetentionDays;
    // Admin Activity audit logs reach the _Required bucket whatever the cluster's logging settings,
    // so AUD-01 failing on GKE does not shorten their retention.
    if (cluster.provider !== 'gke' && !isUnknown(auditLogs) && !auditLogs.value.exported) {
      return fail('Kubernetes audit logs are not exported (AUD-01), so none are kept.', auditLogs);
    }
    if (isUnknown(auditLogRetentionDays)) {
      return unknownVerdict('Audit log retention', auditLogRetentionDays, auditLogs);
    }
    const days = auditLogRetentionDays.value;
    if (cluster.provider === 'gke') return judgeRequiredBucket(days, min, auditLogRetentionDays);
    if (days !== null && days < min) {
      return fail(
        `Exported audit logs are kept only ${dayCount(days)}; at least ${dayCount(min)} are required.`,
        auditLogRetentionDays,
        auditLogs,
      );
    }
    // A long retention proves nothing while it is unknown whether audit logs reach the log group at all.
    if (isUnknown(auditLogs)) return unknownVerdict('Audit log export', auditLogs, auditLogRetentionDays);
    return pass(
      `Exported audit logs are kept ${retentionText(days)} (at least ${dayCount(min)} required).`,
      auditLogRetentionDays,
      auditLogs,
    );
  },
};

function retentionText(days: number | null): string {
  return days === null ? 'forever' : dayCount(days);
}

function judgeRequiredBucket(days: number | null, min: number, retention: Observed<number | null>): Verdict {
  if (days !== null && days < min) {
    // Longer retention on GKE means a log sink to a bucket of the customer's, which is not read.
    return {
      status: 'unknown',
      message: `The _Required bucket keeps Admin Activity audit logs ${dayCount(days)}, less than the ${dayCount(min)} required; a log sink to a bucket with longer retention is not read.`,
      evidence: evidenceOf(retention),
    };
  }
  return providerEnforced(
    `Admin Activity audit logs, which record every Kubernetes API write, are kept ${retentionText(days)} in the _Required bucket; nobody can shorten that. Data Access audit logs, when enabled, go to the _Default bucket, whose retention is set per project.`,
    retention,
  );
}
