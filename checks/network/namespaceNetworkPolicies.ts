import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fields, inClusterFacts, isSystemNamespace, listed } from '../support/inCluster.js';
import { fail, notApplicable, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['inCluster', 'inCluster.namespaces', 'inCluster.networkPolicies'],
  evaluate: evaluateNamespaces,
};

/** NET-02: every workload namespace has a NetworkPolicy. */
export const namespaceNetworkPolicies: Check = {
  id: 'NET-02',
  title: 'Every workload namespace has a NetworkPolicy',
  rationale:
    'Without a NetworkPolicy every pod accepts traffic from every other pod in the cluster: one compromised workload can reach the databases and internal APIs of all the others.',
  category: 'network',
  severity: 'medium',
  source: 'k8s',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Give each workload namespace a default-deny NetworkPolicy and allow the flows it needs; a policy only takes effect where a network policy engine runs (NET-01).',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl apply -n <namespace> -f default-deny.yaml',
      gke: 'gcloud container clusters get-credentials <cluster> --location <location> && kubectl apply -n <namespace> -f default-deny.yaml',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl apply -n <namespace> -f default-deny.yaml" --file default-deny.yaml',
    },
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies'],
  },
};

function evaluateNamespaces(cluster: ClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { namespaces, networkPolicies } = read.facts;
  if (isUnknown(namespaces)) return unknownVerdict('The namespaces of the cluster', namespaces);
  if (isUnknown(networkPolicies))
    return unknownVerdict('The NetworkPolicies of the cluster', networkPolicies);
  const workload = namespaces.value.filter(
    (namespace) => !isSystemNamespace(cluster.provider, namespace.name),
  );
  if (workload.length === 0) {
    return notApplicable('The cluster has no workload namespace, only system ones.', namespaces);
  }
  const covered = new Set(networkPolicies.value.map((policy) => policy.namespace));
  const bare = workload
    .filter((namespace) => !covered.has(namespace.name))
    .map((namespace) => namespace.name);
  if (bare.length > 0) {
    return fail(
      `Namespace(s) ${listed(bare)} have no NetworkPolicy: their pods accept traffic from any pod.`,
      fields(...bare.map((name) => ({ path: `networkpolicies[namespace=${name}]`, value: null }))),
      networkPolicies,
    );
  }
  return pass(
    `Every workload namespace has a NetworkPolicy (${workload.length} namespace(s)).`,
    namespaces,
    networkPolicies,
  );
}
