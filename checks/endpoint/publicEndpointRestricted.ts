import type { Known } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { type Cidr, parseCidr } from '../support/cidr.js';
import { fail, notApplicable, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, EvalContext, SharedPosturePath, Verdict } from '../types.js';

const READS: readonly SharedPosturePath[] = ['endpoint.publicAccess', 'endpoint.authorizedNetworks'];

/** EP-02: a public endpoint, where one exists, admits only allow-listed networks. */
export const publicEndpointRestricted: Check = {
  id: 'EP-02',
  title: 'A public API endpoint admits only allow-listed networks',
  rationale:
    'A public endpoint open to the whole internet lets anyone probe the API server and try stolen or leaked credentials; an allow-list of known networks keeps that surface to the addresses that need it.',
  category: 'endpoint',
  severity: 'critical',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: READS,
      evaluate: (cluster, ctx) => judgeAllowList(cluster, ctx, noPublicEndpoint),
    },
    gke: {
      responsibility: 'customer',
      reads: [...READS, 'gke.dnsEndpointExternalTraffic'],
      evaluate: (cluster, ctx) =>
        judgeAllowList(cluster, ctx, (publicAccess) => noPublicIpEndpoint(cluster, publicAccess)),
    },
    aks: {
      responsibility: 'customer',
      reads: READS,
      evaluate: (cluster, ctx) => judgeAllowList(cluster, ctx, noPublicEndpoint),
    },
  },
  remediation: {
    text: 'Allow only the networks that administer the cluster (office, VPN, CI egress) as narrow CIDR blocks, remove 0.0.0.0/0 and ::/0, and on GKE turn off access from all Google Cloud public addresses. Better still, turn the public endpoint off (EP-01).',
    cli: {
      eks: 'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPublicAccess=true,publicAccessCidrs="<cidr-1>","<cidr-2>"',
      gke: 'gcloud container clusters update <cluster> --location <location> --enable-master-authorized-networks --master-authorized-networks <cidr-1>,<cidr-2> --no-enable-google-cloud-access',
      aks: 'az aks update --resource-group <group> --name <cluster> --api-server-authorized-ip-ranges <cidr-1>,<cidr-2>',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks',
      'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges',
    ],
  },
};

function shortestAllowedPrefix(cidr: Cidr, minPublicPrefix: number): number {
  return cidr.family === 4 ? minPublicPrefix : 4 * minPublicPrefix;
}

function names(cidrs: readonly Cidr[]): string {
  return cidrs.map((cidr) => cidr.text).join(', ');
}

function noPublicEndpoint(publicAccess: Known<boolean>): Verdict {
  return notApplicable(
    'The API server has no public endpoint, so there is no allow-list to check.',
    publicAccess,
  );
}

/** GKE's DNS endpoint is not filtered by authorized networks: IAM gates it, and EP-01 reports it. */
function noPublicIpEndpoint(cluster: GkeClusterPosture, publicAccess: Known<boolean>): Verdict {
  const dns = cluster.gke.dnsEndpointExternalTraffic;
  return !isUnknown(dns) && dns.value
    ? notApplicable(
        'The API server has no public IP endpoint, so there is no allow-list to check; its DNS endpoint accepts traffic from the internet, which Google Cloud IAM gates instead of an allow-list (EP-01).',
        publicAccess,
        dns,
      )
    : noPublicEndpoint(publicAccess);
}

/** The allow-list of a public endpoint; `closed` judges a cluster without one. */
function judgeAllowList(
  cluster: ClusterPosture,
  ctx: EvalContext,
  closed: (publicAccess: Known<boolean>) => Verdict,
): Verdict {
  const { publicAccess, authorizedNetworks } = cluster.endpoint;
  if (isUnknown(publicAccess)) return unknownVerdict('Public endpoint setting', publicAccess);
  if (!publicAccess.value) return closed(publicAccess);
  if (isUnknown(authorizedNetworks)) {
    return unknownVerdict('Public endpoint allow-list', authorizedNetworks, publicAccess);
  }
  const { enforced, cidrs, allowsCloudPublicRanges } = authorizedNetworks.value;
  if (!enforced) {
    return fail(
      'The public endpoint has no allow-list: any address on the internet can reach it.',
      publicAccess,
      authorizedNetworks,
    );
  }

  const problems: string[] = [];
  const parsed = cidrs.map((text) => ({ text, cidr: parseCidr(text) }));
  const invalid = parsed.filter((entry) => entry.cidr === undefined).map((entry) => entry.text);
  const blocks = parsed.flatMap((entry) => (entry.cidr ? [entry.cidr] : []));
  const open = blocks.filter((cidr) => cidr.prefix === 0);
  const broad = blocks.filter(
    (cidr) => cidr.prefix > 0 && cidr.prefix < shortestAllowedPrefix(cidr, ctx.settings.minPublicPrefix),
  );
  if (open.length > 0) problems.push(`it admits the whole internet (${names(open)})`);
  if (broad.length > 0) {
    problems.push(
      `it admits ranges broader than /${ctx.settings.minPublicPrefix} for IPv4 or /${4 * ctx.settings.minPublicPrefix} for IPv6 (${names(broad)})`,
    );
  }
  if (invalid.length > 0) {
    problems.push(`it holds entries that are not valid CIDR blocks (${invalid.join(', ')})`);
  }
  if (allowsCloudPublicRanges) {
    problems.push('it admits every Google Cloud public IP address (gcpPublicCidrsAccessEnabled)');
  }
  if (problems.length > 0) {
    return fail(
      `The public endpoint's allow-list is too open: ${problems.join('; ')}.`,
      publicAccess,
      authorizedNetworks,
    );
  }
  // An enforced empty list is GKE authorized networks on with no blocks; AKS reads an empty
  // authorizedIPRanges as "no restriction", which its normaliser reports as not enforced.
  return cidrs.length === 0
    ? pass(
        'The public endpoint admits no outside network: its allow-list is enforced and empty.',
        publicAccess,
        authorizedNetworks,
      )
    : pass(
        `The public endpoint admits only ${cidrs.length} allow-listed range(s): ${cidrs.join(', ')}.`,
        publicAccess,
        authorizedNetworks,
      );
}
