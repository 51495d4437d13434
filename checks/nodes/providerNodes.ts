import type { Known, Observed } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterMode, ClusterPosture, NodePool } from '../../model/posture.js';
import { PROVIDER_NAMES } from '../../model/posture.js';
import type { Verdict } from '../types.js';
import { fail, notApplicable, pass, providerEnforced, unknownVerdict } from '../verdict.js';

const MANAGED_MODE_NAMES: Readonly<Record<Exclude<ClusterMode, 'standard'>, string>> = {
  'gke-autopilot': 'GKE Autopilot',
  'eks-auto-mode': 'EKS Auto Mode',
  'aks-automatic': 'AKS Automatic',
};

/** A cluster mode in which the provider runs the nodes. */
export interface ManagedMode {
  /** `GKE Autopilot`, `EKS Auto Mode`, `AKS Automatic`. */
  readonly name: string;
  readonly mode: Known<ClusterMode>;
}

/** The provider-managed mode the cluster runs in; undefined for a standard cluster or an unreadable mode. */
export function managedModeOf(cluster: ClusterPosture): ManagedMode | undefined {
  const { mode } = cluster;
  if (isUnknown(mode) || mode.value === 'standard') return undefined;
  return { name: MANAGED_MODE_NAMES[mode.value], mode };
}

/** Who runs a pool's nodes, in words for messages: the managed mode, or the provider (Fargate and the like). */
export function nodeManagerName(cluster: ClusterPosture): string {
  return managedModeOf(cluster)?.name ?? PROVIDER_NAMES[cluster.provider];
}

/** Whether the provider runs this pool's nodes. */
export function runsOnProviderNodes(cluster: ClusterPosture, pool: NodePool): boolean {
  if (pool.managedBy === 'provider') return true;
  const managed = managedModeOf(cluster);
  // EKS Auto Mode runs beside managed node groups the customer still owns, so there the pool's own flag decides.
  return managed !== undefined && managed.mode.value !== 'eks-auto-mode';
}

/** A cluster-wide setting that must be off as well, such as GKE's default for new node pools. */
export interface ClusterFlag {
  /** Names the setting in messages: `The cluster default for new node pools`. */
  readonly name: string;
  readonly observed: Observed<boolean>;
}

/** A node-pool setting that must be off on every pool: public IPs, the kubelet read-only port. */
export interface PoolFlagRule {
  /** Names the setting in `unknown` messages: `Public IP setting`. */
  readonly setting: string;
  readonly read: (pool: NodePool) => Observed<boolean>;
  readonly clusterFlags?: readonly ClusterFlag[];
  readonly messages: {
    /** Names the pools, and the cluster settings, that have it on. */
    readonly on: (pools: readonly string[], clusterSettings: readonly string[]) => string;
    readonly off: (poolCount: number) => string;
    /** The provider runs every node; `manager` is `GKE Autopilot` or the provider's name. */
    readonly providerManaged: (manager: string) => string;
    readonly noPools: string;
  };
}

/**
 * Evaluates a setting that must be off on every node pool. A setting the API shows on fails whoever
 * runs the nodes; where the provider runs them, a value that cannot be read is the provider's to
 * keep, so it passes as provider-enforced instead of turning the finding `unknown`.
 */
export function evaluatePoolFlag(cluster: ClusterPosture, rule: PoolFlagRule): Verdict {
  const managed = managedModeOf(cluster);
  const { nodePools } = cluster;
  const clusterFlags = rule.clusterFlags ?? [];
  const pools = isUnknown(nodePools) ? [] : nodePools.value;
  const readings = pools.map((pool) => ({
    pool,
    observed: rule.read(pool),
    providerRun: runsOnProviderNodes(cluster, pool),
  }));

  const flagsOn = clusterFlags.filter((flag) => !isUnknown(flag.observed) && flag.observed.value);
  const poolsOn = readings.filter((reading) => !isUnknown(reading.observed) && reading.observed.value);
  if (flagsOn.length > 0 || poolsOn.length > 0) {
    return fail(
      rule.messages.on(
        poolsOn.map((reading) => reading.pool.name),
        flagsOn.map((flag) => flag.name),
      ),
      ...flagsOn.map((flag) => flag.observed),
      ...poolsOn.map((reading) => reading.observed),
    );
  }

  const unreadFlag = managed ? undefined : clusterFlags.find((flag) => isUnknown(flag.observed));
  if (unreadFlag && isUnknown(unreadFlag.observed)) {
    return unknownVerdict(sentenceCase(unreadFlag.name), unreadFlag.observed);
  }
  const flagObservations = clusterFlags.map((flag) => flag.observed);

  if (isUnknown(nodePools)) {
    return managed
      ? providerEnforced(rule.messages.providerManaged(managed.name), managed.mode, ...flagObservations)
      : unknownVerdict('Node pools', nodePools);
  }
  const unread = readings.filter((reading) => isUnknown(reading.observed) && !reading.providerRun);
  const [firstUnread] = unread;
  if (firstUnread && isUnknown(firstUnread.observed)) {
    return unknownVerdict(
      `${rule.setting} of node pool ${firstUnread.pool.name}`,
      firstUnread.observed,
      ...unread.map((reading) => reading.observed),
    );
  }
  if (readings.length === 0) {
    return managed
      ? providerEnforced(rule.messages.providerManaged(managed.name), managed.mode, ...flagObservations)
      : notApplicable(rule.messages.noPools, nodePools, ...flagObservations);
  }
  const observations = readings.map((reading) => reading.observed);
  if (readings.every((reading) => reading.providerRun)) {
    const modeEvidence = managed ? [managed.mode] : [];
    return providerEnforced(
      rule.messages.providerManaged(nodeManagerName(cluster)),
      ...modeEvidence,
      ...flagObservations,
      ...observations,
    );
  }
  return pass(rule.messages.off(readings.length), nodePools, ...flagObservations, ...observations);
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
