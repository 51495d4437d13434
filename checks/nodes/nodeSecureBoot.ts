import type { Observed } from '../../model/observed.js';
import { isUnknown, known } from '../../model/observed.js';
import type { ClusterPosture, NodePool } from '../../model/posture.js';
import { type ClusterFlag, evaluatePoolFlag } from '../support/providerNodes.js';
import type { Check, Verdict } from '../types.js';

const EKS_NO_SETTING =
  'EKS node groups expose no secure boot setting; the AMI and the instance type decide it.';

function negate(observed: Observed<boolean>): Observed<boolean> {
  return isUnknown(observed) ? observed : known(!observed.value, ...observed.from);
}

function secureBootOff(pool: NodePool): Observed<boolean> {
  return negate(pool.secureBoot);
}

/** NODE-04: nodes use a hardened, verified boot. */
export const nodeSecureBoot: Check = {
  id: 'NODE-04',
  title: 'Nodes use a hardened, verified boot',
  rationale:
    'Without Secure Boot a rootkit or tampered kernel module survives reboots and hides from everything running on the node; Shielded GKE Nodes also stop a stolen node identity from being used to join the cluster.',
  category: 'nodes',
  severity: 'low',
  source: 'api',
  providers: {
    eks: { notApplicable: EKS_NO_SETTING },
    gke: {
      responsibility: 'customer',
      reads: ['mode', 'nodePools', 'nodePools[].secureBoot', 'gke.shieldedNodes'],
      evaluate: (cluster) =>
        evaluateSecureBoot(
          cluster,
          [{ name: 'the Shielded GKE Nodes setting', observed: negate(cluster.gke.shieldedNodes) }],
          (count) =>
            `Shielded GKE Nodes is on and every node pool boots with Secure Boot (${count} checked).`,
        ),
    },
    aks: {
      responsibility: 'customer',
      reads: ['mode', 'nodePools', 'nodePools[].secureBoot'],
      evaluate: (cluster) =>
        evaluateSecureBoot(
          cluster,
          [],
          (count) => `Every agent pool boots with Secure Boot (${count} checked).`,
        ),
    },
  },
  remediation: {
    text: 'Turn on Shielded GKE Nodes and Secure Boot on every GKE node pool; on AKS use Trusted Launch with Secure Boot on every agent pool.',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --enable-shielded-nodes && gcloud container node-pools update <pool> --cluster <cluster> --location <location> --shielded-secure-boot',
      aks: 'az aks nodepool update --resource-group <group> --cluster-name <cluster> --name <pool> --enable-secure-boot',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes',
      'https://learn.microsoft.com/azure/aks/use-trusted-launch',
    ],
  },
};

function evaluateSecureBoot(
  cluster: ClusterPosture,
  clusterFlags: readonly ClusterFlag[],
  off: (count: number) => string,
): Verdict {
  return evaluatePoolFlag(cluster, {
    setting: 'Secure Boot setting',
    read: secureBootOff,
    clusterFlags,
    messages: {
      on: (pools, clusterSettings) =>
        [
          ...clusterSettings.map(
            (setting) => `${setting.charAt(0).toUpperCase()}${setting.slice(1)} is off.`,
          ),
          ...(pools.length > 0 ? [`Secure Boot is off in node pool(s) ${pools.join(', ')}.`] : []),
        ].join(' '),
      off,
      providerManaged: (manager) => `${manager} manages the nodes and their boot settings.`,
      noPools: 'The cluster has no node pools, so no node boots.',
    },
  });
}
