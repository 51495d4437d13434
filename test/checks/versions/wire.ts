import { readFileSync } from 'node:fs';
import type {
  AksClusterPosture,
  EksClusterPosture,
  GkeClusterPosture,
  PostureOrigin,
} from '../../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../../providers/aws/normalise.js';
import { normaliseAks } from '../../../providers/azure/normalise.js';
import { collected, missing } from '../../../providers/collected.js';
import { normaliseGke } from '../../../providers/gcp/normalise.js';
import { isRawObject } from '../../../providers/reader.js';

/*
 * The version checks' clusters, built the way a scan builds them: wire-format objects (a
 * DescribeCluster `cluster`, a v1 `Cluster`, an ARM managed cluster, and the providers' version
 * responses) run through the real normalisers, so the support plan, the live dates and the
 * evidence paths are the ones a scan produces.
 */

const FIXTURES = new URL('../../fixtures/versions/', import.meta.url);

/** A recorded version response of test/fixtures/versions/, parsed. */
export function versionFixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
}

/** `clusterVersions` of the recorded DescribeClusterVersions (includeAll), in the wire format. */
export function recordedEksVersions(): readonly unknown[] {
  const response = versionFixture('eks-describe-cluster-versions.json');
  const list = isRawObject(response) ? response.clusterVersions : undefined;
  if (!Array.isArray(list)) throw new Error('the DescribeClusterVersions fixture has no clusterVersions');
  return list;
}

/** The recorded FetchClusterUpgradeInfo response for a cluster on `minor`. */
export function recordedGkeUpgradeInfo(minor: string): unknown {
  const byMinor = versionFixture('gke-cluster-upgrade-info.json');
  const info = isRawObject(byMinor) ? byMinor[minor] : undefined;
  if (info === undefined) throw new Error(`the FetchClusterUpgradeInfo fixture has no ${minor}`);
  return info;
}

const LIVE: PostureOrigin = { kind: 'api', api: 'version-test' };

const EKS_NOT_READ: Omit<EksCollected, 'cluster' | 'clusterVersions'> = {
  nodegroups: missing('node groups not read'),
  identityProviderConfigs: missing('identity provider configs not read'),
  addons: missing('add-ons not read'),
  accessEntries: missing('access entries not read'),
  auditLogGroup: missing('audit log group not read'),
  subnets: missing('subnets not read'),
  flowLogs: missing('flow logs not read'),
  guardDutyDetector: missing('GuardDuty detector not read'),
};

/** An EKS cluster on `version`; `supportType` undefined leaves `upgradePolicy` out, as older exports do. */
export function eksWire(options: {
  readonly version: string;
  readonly supportType?: string;
  readonly clusterVersions?: readonly unknown[];
}): EksClusterPosture {
  return normaliseEks(
    {
      ...EKS_NOT_READ,
      cluster: {
        name: 'payments',
        arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/payments',
        version: options.version,
        ...(options.supportType === undefined ? {} : { upgradePolicy: { supportType: options.supportType } }),
      },
      clusterVersions:
        options.clusterVersions === undefined
          ? missing('DescribeClusterVersions not read in a snapshot')
          : collected(options.clusterVersions),
    },
    LIVE,
  );
}

/** A GKE cluster on `version`; `channel` undefined leaves the release channel out (no channel). */
export function gkeWire(options: {
  readonly version: string;
  readonly channel?: string | number;
  readonly upgradeInfo?: unknown;
  readonly serverConfig?: unknown;
}): GkeClusterPosture {
  const live =
    options.upgradeInfo === undefined
      ? {}
      : {
          upgradeInfo: collected(options.upgradeInfo),
          serverConfig: collected(options.serverConfig ?? versionFixture('gke-server-config.json')),
        };
  return normaliseGke(
    {
      cluster: {
        name: 'checkout',
        selfLink:
          'https://container.googleapis.com/v1/projects/example-project/locations/europe-west1/clusters/checkout',
        location: 'europe-west1',
        currentMasterVersion: options.version,
        ...(options.channel === undefined ? {} : { releaseChannel: { channel: options.channel } }),
      },
      ...live,
    },
    LIVE,
  );
}

/** An AKS cluster (ARM wire JSON) on `version`; `supportPlan` undefined leaves it out (the API default). */
export function aksWire(options: {
  readonly version: string;
  readonly supportPlan?: string;
  readonly kubernetesVersions?: unknown;
}): AksClusterPosture {
  return normaliseAks(
    {
      managedCluster: {
        name: 'orders',
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-orders/providers/Microsoft.ContainerService/managedClusters/orders',
        location: 'westeurope',
        properties: {
          currentKubernetesVersion: options.version,
          ...(options.supportPlan === undefined ? {} : { supportPlan: options.supportPlan }),
        },
      },
      diagnosticSettings: missing('diagnostic settings not read'),
      ...(options.kubernetesVersions === undefined
        ? {}
        : { kubernetesVersions: collected(options.kubernetesVersions) }),
    },
    LIVE,
  );
}
