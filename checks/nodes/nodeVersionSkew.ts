import type { Known, Unknown } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { KubernetesVersion } from '../../model/version.js';
import { minorDistance } from '../../model/version.js';
import { managedModeOf, providerRuns, unknownNodePools } from '../support/providerNodes.js';
import { fail, notApplicable, pass, providerEnforced, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['mode', 'nodePools', 'nodePools[].version', 'version'],
  evaluate: evaluateSkew,
};

/** NODE-03: node and control-plane versions are within the allowed skew. */
export const nodeVersionSkew: Check = {
  id: 'NODE-03',
  title: 'Node and control-plane versions are within the allowed skew',
  rationale:
    'Nodes left behind the control plane miss kubelet and runtime security fixes, block the next control-plane upgrade, and drift toward unsupported version skew.',
  category: 'nodes',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Upgrade node pools to the control-plane version after each control-plane upgrade, or turn on node auto-upgrade where the provider offers it.',
    cli: {
      eks: 'aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <nodegroup>',
      gke: 'gcloud container clusters upgrade <cluster> --location <location> --node-pool <pool>',
      aks: 'az aks nodepool upgrade --resource-group <group> --cluster-name <cluster> --name <pool> --kubernetes-version <control-plane-version>',
    },
    links: [
      'https://kubernetes.io/releases/version-skew-policy/',
      'https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/upgrading-a-cluster',
      'https://learn.microsoft.com/azure/aks/upgrade-aks-cluster',
    ],
  },
};

function inStep(manager: string): string {
  return `${manager} manages the nodes and keeps them in step with the control plane.`;
}

/** Why a node version is out of the allowed skew, or undefined when it is within it. */
function skewProblem(
  controlPlane: KubernetesVersion,
  node: KubernetesVersion,
  maxSkew: number,
): string | undefined {
  const behind = minorDistance(controlPlane, node);
  if (Number.isNaN(behind)) return `runs ${node.raw}, a different major version`;
  if (behind < 0) return `runs ${node.raw}, newer than the control plane`;
  if (behind > maxSkew) return `runs ${node.raw}, ${behind} minors behind`;
  return undefined;
}

function evaluateSkew(cluster: ClusterPosture, ctx: EvalContext): Verdict {
  const { version: controlPlane, nodePools } = cluster;
  const managed = managedModeOf(cluster);
  const maxSkew = ctx.settings.maxNodeSkew;
  if (isUnknown(nodePools)) return unknownNodePools(nodePools, managed);
  if (nodePools.value.length === 0) {
    return managed
      ? providerEnforced(inStep(managed.name), managed.mode, nodePools)
      : notApplicable('The cluster has no node pools to compare with the control plane.', nodePools);
  }
  if (isUnknown(controlPlane)) return unknownVerdict('Control-plane version', controlPlane);

  const outOfSkew: string[] = [];
  const outOfSkewVersions: Known<KubernetesVersion>[] = [];
  const unread: { readonly pool: string; readonly cause: Unknown }[] = [];
  for (const pool of nodePools.value) {
    if (isUnknown(pool.version)) {
      unread.push({ pool: pool.name, cause: pool.version });
      continue;
    }
    const problem = skewProblem(controlPlane.value, pool.version.value, maxSkew);
    if (problem) {
      outOfSkew.push(`${pool.name} ${problem}`);
      outOfSkewVersions.push(pool.version);
    }
  }
  if (outOfSkew.length > 0) {
    return fail(
      `Node pools outside the allowed skew of ${maxSkew} minor(s) from control plane ${controlPlane.value.raw}: ${outOfSkew.join('; ')}.`,
      controlPlane,
      ...outOfSkewVersions,
    );
  }
  const [firstUnread] = unread;
  if (firstUnread) {
    return unknownVerdict(
      `Version of node pool ${firstUnread.pool}`,
      firstUnread.cause,
      ...unread.map((reading) => reading.cause),
    );
  }
  const poolVersions = nodePools.value.map((pool) => pool.version);
  if (managed && nodePools.value.every((pool) => providerRuns(managed, pool))) {
    return providerEnforced(inStep(managed.name), managed.mode, controlPlane, ...poolVersions);
  }
  return pass(
    `Every node pool is within ${maxSkew} minor(s) of control plane ${controlPlane.value.raw}.`,
    controlPlane,
    ...poolVersions,
  );
}
