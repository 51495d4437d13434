import { dayCount } from '../../model/dates.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { evidenceOf, fail, pass, providerEnforced, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, Verdict } from '../types.js';

/** AUD-03: exported audit logs are kept at least `minAuditRetentionDays`. */
export const auditLogRetention: Check = {
  id: 'AUD-03',
  title: 'Exported audit logs are kept at least the minimum retention period',
  rationale:
    'Intrusions are often found months after they start; audit logs deleted before then cannot show what the attacker touched, and many regulations require a year or more of audit history.',
  category: 'audit',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['auditLogs', 'auditLogRetentionDays'],
      evaluate: judgeExported,
    },
    gke: {
      responsibility: 'provider',
      reads: ['auditLogs', 'auditLogRetentionDays', 'gke.defaultLogBucketRetentionDays'],
      evaluate: judgeCloudLogging,
    },
    aks: {
      responsibility: 'customer',
      reads: ['auditLogs', 'auditLogRetentionDays'],
      evaluate: judgeExported,
    },
  },
  remediation: {
    text: 'Keep audit logs at least the minimum period: set the retention of the /aws/eks/<cluster>/cluster log group on EKS; on AKS set the retention of the audit tables in the Log Analytics workspace (or a lifecycle rule on the storage account) the diagnostic setting sends to. GKE keeps Admin Activity audit logs 400 days without configuration; set the retention of the _Default log bucket of the project, where Data Access audit logs go.',
    cli: {
      eks: 'aws logs put-retention-policy --log-group-name /aws/eks/<cluster>/cluster --retention-in-days 365',
      gke: 'gcloud logging buckets update _Default --location global --project <project> --retention-days 365',
      aks: 'az monitor log-analytics workspace table update --resource-group <group> --workspace-name <workspace> --name <AKSAudit-or-AKSAuditAdmin> --retention-time 365',
    },
    links: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      'https://cloud.google.com/logging/docs/routing/overview#required-bucket',
      'https://cloud.google.com/logging/docs/buckets#custom-retention',
      'https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure',
    ],
  },
};

/** EKS and AKS: the retention of the log group or workspace the cluster's audit logs are exported to. */
function judgeExported(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const { auditLogs, auditLogRetentionDays } = cluster;
  const min = ctx.settings.minAuditRetentionDays;
  if (!isUnknown(auditLogs) && !auditLogs.value.exported) {
    return fail('Kubernetes audit logs are not exported (AUD-01), so none are kept.', auditLogs);
  }
  if (isUnknown(auditLogRetentionDays)) {
    return unknownVerdict('Audit log retention', auditLogRetentionDays, auditLogs);
  }
  const days = auditLogRetentionDays.value;
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
}

/**
 * GKE: Admin Activity audit logs reach the _Required bucket whatever the cluster's logging settings,
 * so AUD-01 failing does not shorten their retention; Data Access audit logs go to the project's
 * _Default bucket, whose retention the customer sets.
 */
function judgeCloudLogging(cluster: GkeClusterPosture, ctx: EvalContext): Verdict {
  const { auditLogs, auditLogRetentionDays } = cluster;
  if (isUnknown(auditLogRetentionDays)) {
    return unknownVerdict('Audit log retention', auditLogRetentionDays, auditLogs);
  }
  return judgeRequiredBucket(cluster, auditLogRetentionDays.value, ctx.settings.minAuditRetentionDays);
}

function retentionText(days: number | null): string {
  return days === null ? 'forever' : dayCount(days);
}

function judgeRequiredBucket(cluster: GkeClusterPosture, days: number | null, min: number): Verdict {
  const retention = cluster.auditLogRetentionDays;
  if (days !== null && days < min) {
    // Longer retention on GKE means a log sink to a bucket of the customer's, which is not read.
    return {
      status: 'unknown',
      message: `The _Required bucket keeps Admin Activity audit logs ${dayCount(days)}, less than the ${dayCount(min)} required; a log sink to a bucket with longer retention is not read.`,
      evidence: evidenceOf(retention),
    };
  }
  const adminActivity = `Admin Activity audit logs, which record every Kubernetes API write, are kept ${retentionText(days)} in the _Required bucket; nobody can shorten that.`;
  const { defaultLogBucketRetentionDays: defaultBucket } = cluster.gke;
  if (isUnknown(defaultBucket)) {
    return {
      status: 'unknown',
      message: `${adminActivity} How long the _Default bucket keeps Data Access audit logs could not be read: ${defaultBucket.unknown}`,
      evidence: evidenceOf(retention, defaultBucket),
    };
  }
  const kept = defaultBucket.value;
  if (kept < min) {
    return {
      ...fail(
        `Data Access audit logs are kept only ${dayCount(kept)} in _Default, the project's log bucket they go to; at least ${dayCount(min)} are required. ${adminActivity}`,
        retention,
        defaultBucket,
      ),
      responsibility: 'customer',
    };
  }
  return providerEnforced(
    `${adminActivity} Data Access audit logs, when enabled, go to the _Default bucket, which keeps them ${dayCount(kept)}.`,
    retention,
    defaultBucket,
  );
}
