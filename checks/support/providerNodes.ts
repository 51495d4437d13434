import type { Known, Observed, Unknown } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterMode, ClusterPosture, NodePool } from '../../model/posture.js';
import type { Verdict } from '../types.js';
import { fail, notApplicable, pass, providerEnforced, unknownVerdict } from './verdict.js';

const MANAGED_MODE_NAMES: Readonly<Record<Exclude<ClusterMode, 'standard'>, string>> = {
  'gke-autopilot': 'GKE Autopilot',
  'eks-auto-mode': 'EKS Auto Mode',
  'aks-automatic': 'AKS Automatic',
};

/**
 * A cluster mode in which the provider runs nodes of its own. No managed mode rules out node pools
 * a check must still read: EKS Auto Mode runs beside managed node groups the customer owns
 * (https://docs.aws.amazon.com/eks/latest/best-practices/automode.html, FAQ); AKS Automatic keeps
 * customer-managed nodes apart from the AKS-managed system nodes
 * (https://learn.microsoft.com/azure/aks/automatic/aks-automatic-managed-system-node-pools-about);
 * GKE Autopilot lists every node pool in the cluster resource. So an unread pool list is unknown
 * in every mode, and a pool the provider runs passes on the provider's side only from its data.
 */
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

/**
 * Who a node setting belongs to in this cluster: the managed mode that runs the nodes, unless the
 * customer chooses the setting in that mode (private nodes on GKE Autopilot), in which case the
 * check judges it on the customer's side like on a standard cluster.
 */
function providerSideOf(
  cluster: ClusterPosture,
  customerSetsIn: readonly ClusterMode[] = [],
): ManagedMode | undefined {
  const managed = managedModeOf(cluster);
  return managed && !customerSetsIn.includes(managed.mode.value) ? managed : undefined;
}

/** Whether a pool's setting is filed on the provider's side: the provider runs the pool and owns the setting. */
export function providerRuns(providerSide: ManagedMode | undefined, pool: NodePool): boolean {
  return providerSide !== undefined && pool.managedBy === 'provider';
}

/** A cluster-wide setting that must be off as well, such as GKE's default for new node pools. */
export interface ClusterFlag {
  /** Names the setting in messages: `the cluster default for new node pools`. */
  readonly name: string;
  readonly observed: Observed<boolean>;
}

/** A node-pool setting that must be off on every pool: public IPs, the kubelet read-only port. */
export interface PoolFlagRule {
  /** Names the setting in `unknown` messages: `Public IP setting`. */
  readonly setting: string;
  readonly read: (pool: NodePool) => Observed<boolean>;
  readonly clusterFlags?: readonly ClusterFlag[];
  /** Managed modes in which the customer chooses the setting although the provider runs the nodes. */
  readonly customerSetsIn?: readonly ClusterMode[];
  readonly messages: {
    /** Names the pools, and the cluster settings, that have it on. */
    readonly on: (pools: readonly string[], clusterSettings: readonly string[]) => string;
    readonly off: (poolCount: number) => string;
    /** The provider runs every node; `manager` is the managed mode, `GKE Autopilot`. */
    readonly providerManaged: (manager: string) => string;
    readonly noPools: string;
  };
}

/**
 * Evaluates a setting that must be off on every node pool. A setting the API shows on fails whoever
 * runs the nodes, and a setting that could not be read is unknown whoever runs them: a managed mode
 * only moves a pass to the provider's side, it never stands in for data.
 */
export function evaluatePoolFlag(cluster: ClusterPosture, rule: PoolFlagRule): Verdict {
  const providerSide = providerSideOf(cluster, rule.customerSetsIn);
  const managed = managedModeOf(cluster);
  const { nodePools } = cluster;
  const clusterFlags = rule.clusterFlags ?? [];
  const pools = isUnknown(nodePools) ? [] : nodePools.value;
  const readings = pools.map((pool) => ({ pool, observed: rule.read(pool) }));

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

  const [unreadFlag] = clusterFlags.flatMap(({ name, observed }) =>
    isUnknown(observed) ? [{ name, cause: observed }] : [],
  );
  if (unreadFlag) return unknownVerdict(sentenceCase(unreadFlag.name), unreadFlag.cause);
  const flagObservations = clusterFlags.map((flag) => flag.observed);

  if (isUnknown(nodePools)) return unknownNodePools(nodePools, managed);
  const unread = readings.flatMap(({ pool, observed }) =>
    isUnknown(observed) ? [{ pool, cause: observed }] : [],
  );
  const [firstUnread] = unread;
  if (firstUnread) {
    return unknownVerdict(
      `${rule.setting} of node pool ${firstUnread.pool.name}`,
      firstUnread.cause,
      ...unread.map((reading) => reading.cause),
    );
  }
  if (readings.length === 0) {
    return providerSide
      ? providerEnforced(
          rule.messages.providerManaged(providerSide.name),
          providerSide.mode,
          nodePools,
          ...flagObservations,
        )
      : notApplicable(rule.messages.noPools, nodePools, ...flagObservations);
  }
  const observations = readings.map((reading) => reading.observed);
  if (providerSide && pools.every((pool) => providerRuns(providerSide, pool))) {
    return providerEnforced(
      rule.messages.providerManaged(providerSide.name),
      providerSide.mode,
      ...flagObservations,
      ...observations,
    );
  }
  return pass(rule.messages.off(readings.length), nodePools, ...flagObservations, ...observations);
}

/** Node pools that could not be listed; in a managed mode the evidence says which mode it was. */
export function unknownNodePools(nodePools: Unknown, managed: ManagedMode | undefined): Verdict {
  return managed
    ? unknownVerdict(`Node pools of this ${managed.name} cluster`, nodePools, managed.mode)
    : unknownVerdict('Node pools', nodePools);
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
