import type {
  AksClusterPosture,
  EksClusterPosture,
  GkeClusterPosture,
  PostureOrigin,
} from '../../../model/posture.js';
import { normaliseEks } from '../../../providers/aws/normalise.js';
import { normaliseAks } from '../../../providers/azure/normalise.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { normaliseGke } from '../../../providers/gcp/normalise.js';

// Node-check postures built the way a scan builds them: raw objects in each API's wire shape, run
// through the provider's normaliser, so a check never sees a posture no normaliser produces.

const ORIGIN: PostureOrigin = { kind: 'snapshot', file: 'fixture.json', format: 'test' };

/** Why node groups are unknown in an EKS export: DescribeCluster does not hold them. */
export const NODEGROUPS_NOT_EXPORTED = 'ListNodegroups is not part of a describe-cluster export';

/** Subnets of the region (EC2 DescribeSubnets): `private-a` maps no public IP, `public-a` does. */
export const SUBNETS = [
  { SubnetId: 'subnet-private-a', MapPublicIpOnLaunch: false },
  { SubnetId: 'subnet-public-a', MapPublicIpOnLaunch: true },
];

/** A DescribeNodegroup `nodegroup`, in private subnets without remote access unless overridden. */
export function nodegroup(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { nodegroupName: name, version: '1.33', subnets: ['subnet-private-a'], ...fields };
}

/** An EKS cluster as normalised from DescribeCluster and, when given, its node groups. */
export function eksCluster(
  options: {
    readonly autoMode?: boolean;
    /** The control-plane version; null leaves it out of the response. */
    readonly version?: string | null;
    readonly nodegroups?: Collected<readonly unknown[]>;
  } = {},
): EksClusterPosture {
  const cluster = {
    name: 'web',
    arn: 'arn:aws:eks:eu-central-1:111111111111:cluster/web',
    version: options.version === undefined ? '1.33' : options.version,
    resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    accessConfig: { authenticationMode: 'API' },
    ...(options.autoMode
      ? {
          computeConfig: {
            enabled: true,
            nodePools: ['general-purpose', 'system'],
            nodeRoleArn: 'arn:aws:iam::111111111111:role/web-auto-node',
          },
        }
      : {}),
  };
  return normaliseEks(
    {
      cluster,
      nodegroups: options.nodegroups ?? missing(NODEGROUPS_NOT_EXPORTED),
      identityProviderConfigs: missing('not read in this test'),
      addons: missing('not read in this test'),
      accessEntries: missing('not read in this test'),
      clusterVersions: missing('not read in this test'),
      auditLogGroup: missing('not read in this test'),
      subnets: collected(SUBNETS),
      flowLogs: missing('not read in this test'),
      guardDutyDetector: missing('not read in this test'),
    },
    ORIGIN,
  );
}

/** A GKE v1 `Cluster` (proto3 JSON, as gcloud prints it) with the given fields, normalised. */
export function gkeCluster(fields: Record<string, unknown>): GkeClusterPosture {
  return normaliseGke(
    {
      cluster: {
        name: 'shop',
        selfLink:
          'https://container.googleapis.com/v1/projects/acme-shop/locations/europe-west1/clusters/shop',
        location: 'europe-west1',
        currentMasterVersion: '1.33.5-gke.1080000',
        initialClusterVersion: '1.33.5-gke.1080000',
        shieldedNodes: { enabled: true },
        ...fields,
      },
    },
    ORIGIN,
  );
}

/** A GKE `NodePool`: private nodes, a dedicated service account, Secure Boot, port closed, unless overridden. */
export function gkePool(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const { config, ...rest } = fields;
  return {
    name,
    version: '1.33.5-gke.1080000',
    networkConfig: { enablePrivateNodes: true },
    management: { autoUpgrade: true },
    config: {
      serviceAccount: `${name}-nodes@acme-shop.iam.gserviceaccount.com`,
      shieldedInstanceConfig: { enableSecureBoot: true },
      kubeletConfig: { insecureKubeletReadonlyPortEnabled: false },
      ...(typeof config === 'object' && config !== null ? config : {}),
    },
    ...rest,
  };
}

/** An AKS managed cluster as `az aks show` prints it (flattened), normalised. */
export function aksCluster(fields: Record<string, unknown>): AksClusterPosture {
  return normaliseAks(
    {
      managedCluster: {
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/shop',
        name: 'shop',
        location: 'swedencentral',
        currentKubernetesVersion: '1.33.2',
        enableRbac: true,
        ...fields,
      },
      diagnosticSettings: missing('not read in this test'),
    },
    ORIGIN,
  );
}

/** An `agentPoolProfiles` entry: SSH disabled, Trusted Launch with Secure Boot, unless overridden. */
export function agentPool(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    mode: 'System',
    currentOrchestratorVersion: '1.33.2',
    enableNodePublicIp: false,
    securityProfile: { sshAccess: 'Disabled', enableSecureBoot: true },
    ...fields,
  };
}
