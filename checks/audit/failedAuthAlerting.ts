import { isUnknown, type Observed } from '../../model/observed.js';
import type { EksClusterPosture, FailedAuthAlerting } from '../../model/posture.js';
import { listed } from '../support/inCluster.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const DEFENDER = 'defender-for-containers';

/** AUD-04: failed API authentications raise an alert. */
export const failedAuthAlerting: Check = {
  id: 'AUD-04',
  title: 'Failed API authentications raise an alert',
  rationale:
    'Stolen and guessed credentials are tried against the API server long before one works; without an alert on the 401 and 403 responses they cause, the attempts sit unread in the logs until after the breach.',
  category: 'audit',
  severity: 'low',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['failedAuthAlerting', 'authenticatorLogs'],
      evaluate: evaluateEks,
    },
    gke: {
      responsibility: 'customer',
      reads: ['failedAuthAlerting'],
      evaluate: (cluster) => judgeAlerting(cluster.failedAuthAlerting, ''),
    },
    aks: {
      responsibility: 'customer',
      reads: ['failedAuthAlerting'],
      evaluate: (cluster) => judgeAlerting(cluster.failedAuthAlerting, ''),
    },
  },
  remediation: {
    text: "Alert on failed authentications to the API server: on EKS a CloudWatch Logs metric filter on the cluster's log group matching 401 and 403 responses (with the authenticator log exported, AUD-02) and an alarm on its metric; on GKE a log-based metric on k8s_cluster audit entries with those codes and an alerting policy on it; on AKS a scheduled query alert rule over the AKSAudit and AKSAuditAdmin tables of the workspace, or Defender for Containers, which alerts on them.",
    cli: {
      eks: `aws logs put-metric-filter --log-group-name /aws/eks/<cluster>/cluster --filter-name failed-api-auth --filter-pattern '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }' --metric-transformations metricName=FailedApiAuth,metricNamespace=<namespace>,metricValue=1 && aws cloudwatch put-metric-alarm --alarm-name <cluster>-failed-api-auth --namespace <namespace> --metric-name FailedApiAuth --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --alarm-actions <sns-topic-arn>`,
      gke: `gcloud logging metrics create failed-api-auth --project <project> --log-filter='resource.type="k8s_cluster" AND (protoPayload.status.code=(7 OR 16) OR protoPayload.response.code=(401 OR 403))' && gcloud alpha monitoring policies create --project <project> --policy-from-file <policy-on-logging.googleapis.com/user/failed-api-auth>.json`,
      aks: `az monitor scheduled-query create --resource-group <group> --name failed-api-auth --scopes <workspace-id> --condition "count 'FailedAuth' > 0" --condition-query FailedAuth="union AKSAudit, AKSAuditAdmin | where ResponseStatus.code in (401, 403)" --evaluation-frequency 5m --window-size 5m --action-groups <action-group-id> (or: az security pricing create -n Containers --tier standard)`,
    },
    links: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_alarm_log_group_metric_filter.html',
      'https://cloud.google.com/logging/docs/logs-based-metrics',
      'https://cloud.google.com/logging/docs/alerting/log-based-metrics',
      'https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule',
      'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction',
    ],
  },
};

/** How an alert is named in a message; Defender for Containers alerts on its own. */
function alertName(alert: string): string {
  return alert === DEFENDER ? 'Microsoft Defender for Containers' : alert;
}

/** Alerts found pass; rules that match failed authentications without an alert are named in a fail. */
function judgeAlerting(
  alerting: Observed<FailedAuthAlerting>,
  failNote: string,
  ...also: Observed<unknown>[]
): Verdict {
  if (isUnknown(alerting)) return unknownVerdict('Failed-authentication alerting', alerting);
  const { alerts, unalerted } = alerting.value;
  if (alerts.length > 0) {
    return pass(`Failed API authentications raise an alert: ${listed(alerts.map(alertName))}.`, alerting);
  }
  const rules =
    unalerted.length > 0
      ? ` ${listed(unalerted)} ${unalerted.length === 1 ? 'matches' : 'match'} them, with no alert on ${unalerted.length === 1 ? 'it' : 'them'}.`
      : '';
  return fail(`No alert fires on failed API authentications.${rules}${failNote}`, alerting, ...also);
}

/** EKS: a metric filter can only match what reaches the log group, so AUD-02 is named when it fails. */
function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { failedAuthAlerting: alerting, authenticatorLogs } = cluster;
  const notExported = !isUnknown(authenticatorLogs) && !authenticatorLogs.value;
  return notExported
    ? judgeAlerting(
        alerting,
        ' The authenticator log is not exported (AUD-02), and a metric filter on failed logins needs it in CloudWatch Logs.',
        authenticatorLogs,
      )
    : judgeAlerting(alerting, '');
}
