import { isUnknown, type Observed } from '../../model/observed.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

// What "recorded" rests on differs per cloud; the messages say which switch was read.
const RECORDED_BY = {
  eks: 'VPC flow logs on the cluster VPC',
  gke: 'intranode visibility or Advanced Datapath Observability metrics',
  aks: 'Advanced Container Networking Services observability',
} as const;

const NOT_RECORDED = {
  eks: 'the cluster VPC has no flow logs',
  gke: 'intranode visibility and Advanced Datapath Observability metrics are both off',
  aks: 'Advanced Container Networking Services observability is off',
} as const;

// On GKE the subnet's own VPC flow logs are a Compute Engine setting that the Cluster resource does not hold.
const GKE_SUBNET_NOTE = ' VPC flow logs on the cluster subnet are a Compute Engine setting and are not read.';

/** NET-03: network flows of the cluster are recorded. */
export const networkFlowLogging: Check = {
  id: 'NET-03',
  title: 'Network flows of the cluster are recorded',
  rationale:
    'Without flow records there is no way to tell, after the fact, which pods or nodes talked to a compromised workload or sent data out of the cluster, and lateral movement goes unseen.',
  category: 'network',
  severity: 'low',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: ['networkFlowLogs'],
      evaluate: (cluster) => judgeFlows(cluster.networkFlowLogs, RECORDED_BY.eks, NOT_RECORDED.eks, ''),
    },
    gke: {
      responsibility: 'customer',
      reads: ['networkFlowLogs'],
      evaluate: (cluster) =>
        judgeFlows(cluster.networkFlowLogs, RECORDED_BY.gke, NOT_RECORDED.gke, GKE_SUBNET_NOTE),
    },
    aks: {
      responsibility: 'customer',
      reads: ['networkFlowLogs'],
      evaluate: (cluster) => judgeFlows(cluster.networkFlowLogs, RECORDED_BY.aks, NOT_RECORDED.aks, ''),
    },
  },
  remediation: {
    text: 'Record network flows: VPC flow logs on the cluster VPC on EKS; intranode visibility (with VPC flow logs on the subnet) or Advanced Datapath Observability on GKE; Advanced Container Networking Services observability on AKS.',
    cli: {
      eks: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type cloud-watch-logs --log-group-name <log-group> --deliver-logs-permission-arn <role-arn>',
      gke: 'gcloud container clusters update <cluster> --location <location> --enable-intra-node-visibility',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-acns',
    },
    links: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/intranode-visibility',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/about-dpv2-observability',
      'https://learn.microsoft.com/azure/aks/advanced-network-observability-concepts',
    ],
  },
};

/** `by` names the switch that was read; `note` follows every message but the unknown one. */
function judgeFlows(
  networkFlowLogs: Observed<boolean>,
  by: string,
  notRecorded: string,
  note: string,
): Verdict {
  if (isUnknown(networkFlowLogs))
    return unknownVerdict(`The flow recording setting (${by})`, networkFlowLogs);
  return networkFlowLogs.value
    ? pass(`Network flows are recorded (${by}).${note}`, networkFlowLogs)
    : fail(`Network flows are not recorded: ${notRecorded}.${note}`, networkFlowLogs);
}
