import type { GkePeer } from './gkePeer.js';

/** What one project of the sandbox holds in Cloud Logging and Cloud Monitoring (proto3 JSON). */
export interface SandboxProjectLogging {
  /** `_Default` bucket retention; Cloud Logging's own 30 days when absent. */
  readonly defaultBucketRetentionDays?: number;
  readonly logMetrics?: readonly { readonly [key: string]: unknown }[];
  readonly alertPolicies?: readonly { readonly [key: string]: unknown }[];
}

const FAILED_AUTH_FILTER =
  'resource.type="k8s_cluster" AND log_id("cloudaudit.googleapis.com/activity") AND protoPayload.status.code=(7 OR 16)';

function thresholdOn(metric: string): { readonly [key: string]: unknown } {
  return {
    displayName: `${metric} above zero`,
    conditionThreshold: {
      filter: `metric.type="logging.googleapis.com/user/${metric}" AND resource.type="k8s_cluster"`,
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
      duration: '0s',
    },
  };
}

/**
 * The example fleet's projects: one alerts on failed authentications and keeps the _Default
 * bucket 400 days; one counts them in a metric nobody alerts on; one watches only a cluster that
 * no longer exists; one (acme-ml-dev) has Cloud Logging's defaults and nothing else.
 */
export const EXAMPLE_FLEET_PROJECT_LOGGING: Readonly<Record<string, SandboxProjectLogging>> = {
  'acme-payments-prod': {
    defaultBucketRetentionDays: 400,
    logMetrics: [
      {
        name: 'gke-failed-authentications',
        description: 'Kubernetes API requests refused as unauthenticated or forbidden',
        filter: FAILED_AUTH_FILTER,
      },
    ],
    alertPolicies: [
      {
        displayName: 'GKE failed authentications',
        enabled: true,
        combiner: 'OR',
        conditions: [thresholdOn('gke-failed-authentications')],
      },
    ],
  },
  'acme-data-prod': {
    logMetrics: [
      {
        name: 'k8s-denied-requests',
        filter: 'resource.type="k8s_cluster" AND protoPayload.authorizationInfo.granted=false',
      },
    ],
  },
  'acme-corp-legacy': {
    defaultBucketRetentionDays: 90,
    logMetrics: [
      {
        name: 'old-reporting-forbidden',
        filter:
          'resource.type="k8s_cluster" AND resource.labels.cluster_name="reporting-2019" AND protoPayload.response.code=403',
      },
    ],
    alertPolicies: [
      {
        displayName: 'Old reporting cluster: forbidden requests',
        enabled: true,
        combiner: 'OR',
        conditions: [thresholdOn('old-reporting-forbidden')],
      },
    ],
  },
};

/** Puts the logging settings of each listed project into the peer. */
export function seedGkeProjectLogging(
  peer: GkePeer,
  projects: Readonly<Record<string, SandboxProjectLogging>>,
): void {
  for (const [project, logging] of Object.entries(projects)) {
    if (logging.defaultBucketRetentionDays !== undefined) {
      peer.setLogBucket(project, '_Default', {
        description: 'Default bucket',
        retentionDays: logging.defaultBucketRetentionDays,
        lifecycleState: 'ACTIVE',
      });
    }
    peer.putLogMetrics(project, logging.logMetrics ?? []);
    peer.putAlertPolicies(project, logging.alertPolicies ?? []);
  }
}
