import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['endpoint.privateAccess'],
  evaluate: judgePrivateEndpoint,
};

/** EP-03: nodes reach the API server over the private network. */
export const privateEndpointForNodes: Check = {
  id: 'EP-03',
  title: 'Nodes reach the API server over the private network',
  rationale:
    'Without a private endpoint, kubelets and in-cluster clients talk to the control plane over the internet: the public endpoint cannot be closed or narrowed without cutting the nodes off, and node traffic leaves the network.',
  category: 'endpoint',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Turn on the private endpoint (EKS), use private nodes on a cluster with a private control-plane endpoint (GKE), or make the cluster private or use API Server VNet Integration (AKS). Older GKE and AKS clusters may need to be recreated.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true',
      gke: 'gcloud container clusters update <cluster> --location <location> --enable-private-nodes',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-apiserver-vnet-integration --apiserver-subnet-id <subnet-id>',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation',
      'https://learn.microsoft.com/azure/aks/api-server-vnet-integration',
    ],
  },
};

function judgePrivateEndpoint(cluster: ClusterPosture): Verdict {
  const { privateAccess } = cluster.endpoint;
  if (isUnknown(privateAccess)) return unknownVerdict('Private endpoint setting', privateAccess);
  return privateAccess.value
    ? pass('The API server has a private endpoint that nodes reach inside the network.', privateAccess)
    : fail('The API server has no private endpoint: nodes reach it over its public address.', privateAccess);
}
