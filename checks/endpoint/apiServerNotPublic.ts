import { isUnknown } from '../../model/observed.js';
import type { Check } from '../types.js';
import { fail, pass, unknownVerdict } from '../verdict.js';

/** EP-01: the API server has no public endpoint. */
export const apiServerNotPublic: Check = {
  id: 'EP-01',
  title: 'The API server has no public endpoint',
  rationale:
    'A public control-plane endpoint is reachable by anyone on the internet who holds or steals a credential, and exposes the API server to unauthenticated probing and zero-day exploits.',
  category: 'endpoint',
  severity: 'high',
  source: 'api',
  applies: {
    eks: { responsibility: 'customer' },
    gke: { responsibility: 'customer' },
    aks: { responsibility: 'customer' },
  },
  remediation: {
    text: 'Turn on the private endpoint and turn off public access; reach the API server over VPN, peering or a bastion inside the network.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false',
      gke: 'gcloud container clusters update <cluster> --location <location> --no-enable-ip-access --enable-private-endpoint',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-private-cluster (private clusters are chosen at creation on older API versions)',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation',
      'https://learn.microsoft.com/azure/aks/private-clusters',
    ],
  },
  evaluate(cluster) {
    const { publicAccess, privateAccess } = cluster.endpoint;
    if (isUnknown(publicAccess)) return unknownVerdict('Public endpoint setting', publicAccess);
    if (!publicAccess.value && cluster.provider === 'eks') {
      // EKS needs the private endpoint on for nodes to reach a cluster whose public endpoint is off.
      if (isUnknown(privateAccess)) {
        return unknownVerdict('Private endpoint setting', privateAccess, publicAccess);
      }
      if (!privateAccess.value) {
        return fail('Public access is off but the private endpoint is off too.', publicAccess, privateAccess);
      }
    }
    return publicAccess.value
      ? fail('The API server has a public endpoint.', publicAccess, privateAccess)
      : pass('The API server is reachable only through its private endpoint.', publicAccess, privateAccess);
  },
};
