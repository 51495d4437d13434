import { isUnknown, type Observed } from '../../model/observed.js';
import type { EksClusterPosture, NetworkPolicyEnforcement } from '../../model/posture.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** Prose names of the engines the normalisers report; NET-01's tests name each one. */
const ENGINE_NAMES: Readonly<Record<string, string>> = {
  'dataplane-v2': 'GKE Dataplane V2',
  'vpc-cni': 'the Amazon VPC CNI',
  azure: 'Azure Network Policy Manager',
  calico: 'Calico',
  cilium: 'Cilium',
};

/** NET-01: network policy enforcement is available. */
export const networkPolicyEnforcement: Check = {
  id: 'NET-01',
  title: 'Network policy enforcement is available',
  rationale:
    'Without an engine that enforces NetworkPolicy objects every pod can reach every other pod, so one compromised workload can reach databases and control components; policies written for the cluster silently do nothing.',
  category: 'network',
  severity: 'high',
  source: 'api',
  providers: {
    eks: { responsibility: 'shared', reads: ['networkPolicy'], evaluate: evaluateEks },
    gke: {
      responsibility: 'shared',
      reads: ['networkPolicy'],
      evaluate: (cluster) => judgeEnforcement(cluster.networkPolicy),
    },
    aks: {
      responsibility: 'shared',
      reads: ['networkPolicy'],
      evaluate: (cluster) => judgeEnforcement(cluster.networkPolicy),
    },
  },
  remediation: {
    text: 'Turn on network policy enforcement: the VPC CNI network policy agent on EKS, Dataplane V2 or the network policy add-on on GKE, Azure, Calico or Cilium network policy on AKS.',
    cli: {
      eks: `aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni --configuration-values '{"enableNetworkPolicy":"true"}'`,
      gke: 'gcloud container clusters update <cluster> --location <location> --update-addons=NetworkPolicy=ENABLED && gcloud container clusters update <cluster> --location <location> --enable-network-policy',
      aks: 'az aks update --resource-group <group> --name <cluster> --network-policy azure',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy',
      'https://learn.microsoft.com/azure/aks/use-network-policies',
    ],
  },
};

function judgeEnforcement(networkPolicy: Observed<NetworkPolicyEnforcement>): Verdict {
  if (isUnknown(networkPolicy)) return unknownVerdict('Network policy setting', networkPolicy);
  const { enforced, engine } = networkPolicy.value;
  if (!enforced) return fail('No network policy engine is enforcing NetworkPolicy objects.', networkPolicy);
  // Every normaliser that reports enforcement names the engine that enforces it.
  return pass(`Network policies are enforced by ${ENGINE_NAMES[String(engine)]}.`, networkPolicy);
}

function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { networkPolicy } = cluster;
  if (!isUnknown(networkPolicy) && !networkPolicy.value.enforced) {
    // Calico beside the VPC CNI needs the CNI's own enforcement off and leaves no trace in the EKS
    // API (https://docs.tigera.io/calico/latest/getting-started/kubernetes/managed-public-cloud/eks).
    return {
      status: 'unknown',
      message:
        'The VPC CNI add-on does not enforce network policy (enableNetworkPolicy is not "true"); whether an engine installed in the cluster (Calico, Cilium) does needs an in-cluster read, which is not made.',
      evidence: evidenceOf(networkPolicy),
    };
  }
  return judgeEnforcement(networkPolicy);
}
