import { fileURLToPath } from 'node:url';
import type { InClusterRaw } from '../../model/inCluster.js';
import { unknown } from '../../model/observed.js';
import type { ClusterPosture, PostureOrigin } from '../../model/posture.js';
import { type EksCollected, normaliseEks } from '../../providers/aws/normalise.js';
import { collected, missing } from '../../providers/collected.js';
import { isRawObject } from '../../providers/reader.js';
import { loadSnapshots } from '../../providers/snapshot/load.js';
import { aksPosture, eksPosture, gkePosture } from '../fixtures/postures.js';
import { RAW_FIXTURES, rawFixture, rawFixtureList } from '../providers/rawFixture.js';
import { defaultRbac, k8sList, withInCluster } from './inClusterWire.js';

/*
 * The postures the catalogue-wide property tests run on: the example fleet and the raw provider
 * fixtures as `--from` reads them, EKS clusters as a live scan collects them, the compliant
 * fixtures of test/fixtures/postures.ts, and clusters whose in-cluster pass read everything.
 */

const EXAMPLE_FLEET = fileURLToPath(new URL('../../examples/fleet/', import.meta.url));
const LIVE_ORIGIN: PostureOrigin = { kind: 'api', api: 'eks:DescribeCluster' };

/** A path to one `Observed` field of a posture: object keys and array indexes. */
export type FieldPath = readonly (string | number)[];

export function isObserved(node: unknown): boolean {
  if (!isRawObject(node)) return false;
  return typeof node.unknown === 'string' || ('value' in node && Array.isArray(node.from));
}

/** Every `Observed` field of a posture, the fields inside a known value (node pools) included. */
export function observedPaths(node: unknown, path: FieldPath = []): FieldPath[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => observedPaths(item, [...path, index]));
  if (!isRawObject(node)) return [];
  if (isObserved(node)) {
    return 'value' in node ? [path, ...observedPaths(node.value, [...path, 'value'])] : [path];
  }
  return Object.entries(node)
    .filter(([key]) => key !== 'origin' && key !== 'tags')
    .flatMap(([key, value]) => observedPaths(value, [...path, key]));
}

/** A copy of the posture with the fields at `paths` replaced by `unknown`. */
export function withUnknown(posture: ClusterPosture, paths: readonly FieldPath[]): ClusterPosture {
  const copy = structuredClone(posture);
  for (const path of paths) {
    const parents = path.slice(0, -1);
    let container: unknown = copy;
    for (const key of parents) {
      // A field inside a value already replaced by an outer path is gone: nothing left to replace.
      if (typeof container !== 'object' || container === null) break;
      container = Reflect.get(container, key);
    }
    if (typeof container !== 'object' || container === null) continue;
    Reflect.set(
      container,
      path[path.length - 1] as string | number,
      unknown('replaced by the property test'),
    );
  }
  return copy;
}

/** The `cluster` object of an `aws eks describe-cluster` fixture. */
function describedCluster(file: string): unknown {
  const document = rawFixture(`eks/${file}`);
  return isRawObject(document) ? (document.cluster ?? document.Cluster) : undefined;
}

/** An EKS cluster as a live scan collects it: node groups, add-ons, identity providers, region-wide reads. */
function liveEks(file: string): ClusterPosture {
  const input: EksCollected = {
    cluster: describedCluster(file),
    nodegroups: collected(rawFixtureList('eks/nodegroups.json')),
    addons: collected(rawFixtureList('eks/addons.json')),
    identityProviderConfigs: collected(rawFixtureList('eks/identity-provider-configs.json')),
    accessEntries: collected([]),
    clusterVersions: missing('not read in this test'),
    auditLogGroup: collected({ logGroupName: '/aws/eks/x/cluster', retentionInDays: 30 }),
    subnets: collected([
      { SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', VpcId: 'vpc-0aaaaaaaaaaaaaaa1', MapPublicIpOnLaunch: true },
    ]),
    flowLogs: collected([]),
    guardDutyDetector: collected({ Status: 'ENABLED', Features: [] }),
  };
  return normaliseEks(input, LIVE_ORIGIN);
}

/** In-cluster facts every in-cluster check passes on, so the properties can turn each of them unknown. */
const COMPLIANT_IN_CLUSTER: InClusterRaw = {
  ...defaultRbac(),
  awsAuth: null,
  namespaces: k8sList([
    { metadata: { name: 'kube-system' } },
    { metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
  ]),
  networkpolicies: k8sList([{ metadata: { name: 'default-deny', namespace: 'shop' } }]),
  nodes: k8sList([{ metadata: { name: 'n1', labels: { 'eks.amazonaws.com/nodegroup': 'general' } } }]),
  configz: {
    n1: {
      kubeletconfig: {
        authentication: { anonymous: { enabled: false } },
        authorization: { mode: 'Webhook' },
      },
    },
  },
  daemonsets: k8sList([
    {
      metadata: { name: 'aws-guardduty-agent', namespace: 'amazon-guardduty' },
      status: { desiredNumberScheduled: 1, numberReady: 1 },
    },
  ]),
};

/** Every posture the properties run on; at least 20, of all three providers. */
export async function propertyPostures(): Promise<ClusterPosture[]> {
  const exported = await loadSnapshots([EXAMPLE_FLEET, RAW_FIXTURES]);
  return [
    ...exported.postures,
    liveEks('describe-cluster-private.json'),
    liveEks('describe-cluster-auto-mode.json'),
    withInCluster(liveEks('describe-cluster-private.json'), COMPLIANT_IN_CLUSTER),
    eksPosture(),
    gkePosture(),
    aksPosture(),
    withInCluster(gkePosture(), COMPLIANT_IN_CLUSTER),
    withInCluster(aksPosture(), COMPLIANT_IN_CLUSTER),
  ];
}
