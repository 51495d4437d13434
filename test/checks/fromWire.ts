import type {
  AksClusterPosture,
  EksClusterPosture,
  GkeClusterPosture,
  PostureOrigin,
} from '../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../providers/aws/normalise.js';
import { type AksCollected, normaliseAks } from '../../providers/azure/normalise.js';
import { missing } from '../../providers/collected.js';
import { normaliseGke } from '../../providers/gcp/normalise.js';

/*
 * Check tests build their clusters here: raw objects in each API's own wire shape, run through the
 * real normaliser, so a check is tested on the postures (values, defaults, unknowns, evidence
 * paths) that a scan really produces rather than on hand-built ones.
 */

const origin: PostureOrigin = { kind: 'snapshot', file: 'check-test.json', format: 'wire fixture' };

/** What a DescribeCluster `cluster` object needs for the normaliser to identify it. */
const EKS_IDENTITY = {
  name: 'payments',
  arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/payments',
  version: '1.33',
};

/** Calls a snapshot does not make; a test passes the ones it is about. */
const EKS_NOT_CALLED: Omit<EksCollected, 'cluster'> = {
  nodegroups: missing('node groups not collected'),
  identityProviderConfigs: missing('identity provider configs not collected'),
  addons: missing('add-ons not collected'),
  accessEntries: missing('access entries not collected'),
  clusterVersions: missing('cluster versions not collected'),
  auditLogGroup: missing('audit log group not collected'),
  subnets: missing('subnets not collected'),
  flowLogs: missing('flow logs not collected'),
  guardDutyDetector: missing('GuardDuty detector not collected'),
};

/** An EKS posture from the fields of a DescribeCluster `cluster` object and the other calls' results. */
export function eksFromWire(
  cluster: Readonly<Record<string, unknown>>,
  calls: Partial<Omit<EksCollected, 'cluster'>> = {},
): EksClusterPosture {
  return normaliseEks({ ...EKS_NOT_CALLED, ...calls, cluster: { ...EKS_IDENTITY, ...cluster } }, origin);
}

/** What a v1 `Cluster` resource needs for the normaliser to identify it. */
const GKE_IDENTITY = {
  name: 'checkout',
  selfLink:
    'https://container.googleapis.com/v1/projects/example-project/locations/europe-west1/clusters/checkout',
  location: 'europe-west1',
  currentMasterVersion: '1.33.5-gke.1080000',
};

/** A GKE posture from the fields of a v1 `Cluster` resource in REST (proto3) JSON. */
export function gkeFromWire(cluster: Readonly<Record<string, unknown>>): GkeClusterPosture {
  return normaliseGke({ cluster: { ...GKE_IDENTITY, ...cluster } }, origin);
}

/** What an ARM managed cluster needs for the normaliser to identify it. */
const AKS_IDENTITY = {
  name: 'orders',
  id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-orders/providers/Microsoft.ContainerService/managedClusters/orders',
  location: 'westeurope',
};

/**
 * An AKS posture from the `properties` of an ARM managed cluster and, when read, the diagnostic
 * settings on it (`value` of Diagnostic Settings - List).
 */
export function aksFromWire(
  properties: Readonly<Record<string, unknown>>,
  diagnosticSettings: AksCollected['diagnosticSettings'] = missing('diagnostic settings not collected'),
): AksClusterPosture {
  return normaliseAks(
    {
      managedCluster: { ...AKS_IDENTITY, properties: { kubernetesVersion: '1.33.2', ...properties } },
      diagnosticSettings,
    },
    origin,
  );
}
