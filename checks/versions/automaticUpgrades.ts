import { isUnknown, known } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { evaluatePoolFlag } from '../support/providerNodes.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const EKS_MANUAL =
  'EKS has no automatic minor-version upgrades; it upgrades a cluster only at the end of standard support under the STANDARD upgrade policy.';

/** VER-05: upgrades are automated. */
export const automaticUpgrades: Check = {
  id: 'VER-05',
  title: 'Upgrades are automated',
  rationale:
    'Clusters upgraded by hand fall behind: security patches wait for someone to find the time, and the gap grows until the provider forces an upgrade on its own schedule.',
  category: 'versions',
  severity: 'low',
  source: 'api',
  providers: {
    eks: { notApplicable: EKS_MANUAL },
    gke: {
      responsibility: 'customer',
      reads: ['gke.releaseChannel', 'mode', 'nodePools', 'nodePools[].autoUpgrade'],
      evaluate: evaluateGke,
    },
    aks: { responsibility: 'customer', reads: ['aks.upgradeChannel'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'Enrol GKE clusters in a release channel and keep node auto-upgrade on in every pool; choose an AKS auto-upgrade channel (patch or stable), with a planned maintenance window.',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --release-channel=regular && gcloud container node-pools update <pool> --cluster <cluster> --location <location> --enable-autoupgrade',
      aks: 'az aks update --resource-group <group> --name <cluster> --auto-upgrade-channel patch',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades',
      'https://learn.microsoft.com/azure/aks/auto-upgrade-cluster',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { releaseChannel } = cluster.gke;
  const noChannel = isUnknown(releaseChannel)
    ? releaseChannel
    : known(releaseChannel.value === 'UNSPECIFIED', ...releaseChannel.from);
  return evaluatePoolFlag(cluster, {
    setting: 'Node auto-upgrade setting',
    read: (pool) =>
      isUnknown(pool.autoUpgrade)
        ? pool.autoUpgrade
        : known(!pool.autoUpgrade.value, ...pool.autoUpgrade.from),
    clusterFlags: [{ name: 'the release channel', observed: noChannel }],
    messages: {
      on: (pools, clusterSettings) =>
        [
          ...(clusterSettings.length > 0
            ? ['The cluster is on no release channel, so its version is managed by hand.']
            : []),
          ...(pools.length > 0 ? [`Node auto-upgrade is off in node pool(s) ${pools.join(', ')}.`] : []),
        ].join(' '),
      // Reached only with the channel read; the channel's name is in the evidence.
      off: (count) =>
        `The cluster is on a release channel and every node pool auto-upgrades (${count} checked).`,
      providerManaged: (manager) => `${manager} upgrades the nodes itself.`,
      noPools: 'The cluster is on a release channel and has no node pools.',
    },
  });
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { upgradeChannel } = cluster.aks;
  if (isUnknown(upgradeChannel)) return unknownVerdict('Auto-upgrade channel', upgradeChannel);
  if (upgradeChannel.value.toLowerCase() === 'none') {
    return fail('No auto-upgrade channel is set: the cluster is upgraded only by hand.', upgradeChannel);
  }
  // node-image renews node images only; the Kubernetes version itself still waits for a manual upgrade.
  const note =
    upgradeChannel.value.toLowerCase() === 'node-image'
      ? ' It renews node images only; the Kubernetes version is still upgraded by hand.'
      : '';
  return pass(`The cluster upgrades itself on the ${upgradeChannel.value} channel.${note}`, upgradeChannel);
}
