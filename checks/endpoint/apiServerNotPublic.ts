import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, EksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** EP-01: the API server has no public endpoint. */
export const apiServerNotPublic: Check = {
  id: 'EP-01',
  title: 'The API server has no public endpoint',
  rationale:
    'A public control-plane endpoint is reachable by anyone on the internet who holds or steals a credential, and exposes the API server to unauthenticated probing and zero-day exploits.',
  category: 'endpoint',
  severity: 'high',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['endpoint.publicAccess', 'endpoint.privateAccess'],
      evaluate: evaluateEks,
    },
    gke: {
      responsibility: 'customer',
      reads: ['endpoint.publicAccess', 'endpoint.privateAccess', 'gke.dnsEndpointExternalTraffic'],
      evaluate: evaluateGke,
    },
    aks: {
      responsibility: 'customer',
      reads: ['endpoint.publicAccess', 'endpoint.privateAccess'],
      evaluate: judgeIpEndpoint,
    },
  },
  remediation: {
    text: 'Turn on the private endpoint and turn off public access; reach the API server over VPN, peering or a bastion inside the network. On GKE, also stop the DNS endpoint from accepting traffic from the internet; where it is the chosen way in, it is gated by IAM alone, so keep container.clusters.connect to few principals and fence it with VPC Service Controls.',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false',
      gke: 'gcloud container clusters update <cluster> --location <location> --enable-private-endpoint (public IP endpoint); gcloud container clusters update <cluster> --location <location> --no-enable-dns-access (DNS endpoint open to the internet)',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-private-cluster (private clusters are chosen at creation on older API versions)',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation',
      'https://cloud.google.com/blog/products/containers-kubernetes/new-dns-based-endpoint-for-the-gke-control-plane',
      'https://learn.microsoft.com/azure/aks/private-clusters',
    ],
  },
};

const PRIVATE_ONLY = 'The API server is reachable only through its private endpoint.';

/** Public or private, from the IP endpoint settings alone. */
function judgeIpEndpoint(cluster: ClusterPosture): Verdict {
  const { publicAccess, privateAccess } = cluster.endpoint;
  if (isUnknown(publicAccess)) return unknownVerdict('Public endpoint setting', publicAccess);
  return publicAccess.value
    ? fail('The API server has a public endpoint.', publicAccess, privateAccess)
    : pass(PRIVATE_ONLY, publicAccess, privateAccess);
}

/** EKS needs the private endpoint on for nodes to reach a cluster whose public endpoint is off. */
function evaluateEks(cluster: EksClusterPosture): Verdict {
  const { publicAccess, privateAccess } = cluster.endpoint;
  if (!isUnknown(publicAccess) && !publicAccess.value) {
    if (isUnknown(privateAccess)) {
      return unknownVerdict('Private endpoint setting', privateAccess, publicAccess);
    }
    if (!privateAccess.value) {
      return fail('Public access is off but the private endpoint is off too.', publicAccess, privateAccess);
    }
  }
  return judgeIpEndpoint(cluster);
}

/**
 * GKE's DNS-based endpoint sits beside the IP endpoints: with allowExternalTraffic it takes requests
 * from anywhere, authenticated by IAM before they reach the API server, so it is a public endpoint.
 * https://cloud.google.com/blog/products/containers-kubernetes/new-dns-based-endpoint-for-the-gke-control-plane
 */
function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { publicAccess, privateAccess } = cluster.endpoint;
  if (isUnknown(publicAccess)) return unknownVerdict('Public endpoint setting', publicAccess);
  const { dnsEndpointExternalTraffic: dns } = cluster.gke;
  const dnsOpen = !isUnknown(dns) && dns.value;
  if (publicAccess.value) {
    const alsoDns = dnsOpen
      ? ' Its DNS endpoint also accepts traffic from the internet, gated by Google Cloud IAM.'
      : '';
    return fail(`The API server has a public endpoint.${alsoDns}`, publicAccess, privateAccess, dns);
  }
  if (isUnknown(dns)) return unknownVerdict('The DNS endpoint setting', dns, publicAccess, privateAccess);
  return dnsOpen
    ? fail(
        'The API server has a public endpoint: its DNS endpoint accepts traffic from the internet (dnsEndpointConfig.allowExternalTraffic). Google Cloud IAM authenticates every request before it reaches the API server, so only principals with container.clusters.connect get through, but the endpoint is reachable from anywhere.',
        publicAccess,
        privateAccess,
        dns,
      )
    : pass(PRIVATE_ONLY, publicAccess, privateAccess, dns);
}
