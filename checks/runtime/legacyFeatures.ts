import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { fail, firstUnknown, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const EKS_NONE = 'EKS offers no dashboard add-on and no alpha clusters.';

/** HYG-01: no legacy dashboard or alpha features are enabled. */
export const legacyFeatures: Check = {
  id: 'HYG-01',
  title: 'No legacy dashboard or alpha features are enabled',
  rationale:
    'The Kubernetes Dashboard add-on ran with broad rights and was behind several cluster takeovers; alpha clusters run untested features, get no security patches through upgrades and have no SLA.',
  category: 'runtime',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: { notApplicable: EKS_NONE },
    gke: {
      responsibility: 'customer',
      reads: ['gke.kubernetesDashboard', 'gke.kubernetesAlpha'],
      evaluate: evaluateGke,
    },
    aks: { responsibility: 'customer', reads: ['aks.kubeDashboard'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'Turn the Kubernetes Dashboard add-on off and use the cloud console instead. Alpha is fixed at creation on GKE: move workloads to a cluster created without it.',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --update-addons=KubernetesDashboard=DISABLED',
      aks: 'az aks disable-addons --resource-group <group> --name <cluster> --addons kube-dashboard',
    },
    links: [
      'https://cloud.google.com/kubernetes-engine/docs/concepts/dashboards',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/alpha-clusters',
      'https://learn.microsoft.com/azure/aks/kubernetes-dashboard',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { kubernetesDashboard, kubernetesAlpha } = cluster.gke;
  const enabled = [
    ...(!isUnknown(kubernetesDashboard) && kubernetesDashboard.value
      ? ['the Kubernetes Dashboard add-on']
      : []),
    ...(!isUnknown(kubernetesAlpha) && kubernetesAlpha.value ? ['Kubernetes alpha features'] : []),
  ];
  if (enabled.length > 0) {
    return fail(`The cluster has ${enabled.join(' and ')} turned on.`, kubernetesDashboard, kubernetesAlpha);
  }
  const unread = firstUnknown(kubernetesDashboard, kubernetesAlpha);
  if (unread)
    return unknownVerdict('Dashboard and alpha settings', unread, kubernetesDashboard, kubernetesAlpha);
  return pass(
    'Neither the Kubernetes Dashboard add-on nor alpha features are on.',
    kubernetesDashboard,
    kubernetesAlpha,
  );
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { kubeDashboard } = cluster.aks;
  if (isUnknown(kubeDashboard)) return unknownVerdict('Kubernetes Dashboard add-on', kubeDashboard);
  return kubeDashboard.value
    ? fail(
        'The Kubernetes Dashboard add-on is on: enabled in addonProfiles, or on by default on AKS before Kubernetes 1.18 when addonProfiles has no entry for it.',
        kubeDashboard,
      )
    : pass('The Kubernetes Dashboard add-on is off.', kubeDashboard);
}
