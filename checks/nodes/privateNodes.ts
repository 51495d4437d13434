import type { ClusterPosture } from '../../model/posture.js';
import { evaluatePoolFlag } from '../support/providerNodes.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['mode', 'nodePools', 'nodePools[].publicIps'],
  evaluate: evaluatePublicIps,
};

/** NODE-01: nodes have no public IP addresses. */
export const privateNodes: Check = {
  id: 'NODE-01',
  title: 'Nodes have no public IP addresses',
  rationale:
    'A node with a public address exposes the kubelet, SSH and any NodePort service to the internet, one firewall mistake away from a direct foothold on the data plane.',
  category: 'nodes',
  severity: 'high',
  source: 'api',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Run nodes in private subnets and reach the internet through NAT. On EKS stop the node subnets from assigning public IPs and replace the nodes; on GKE enable private nodes; on AKS public IPs are fixed per pool: add a pool without them, move workloads, delete the old pool.',
    cli: {
      eks: 'aws ec2 modify-subnet-attribute --subnet-id <node-subnet-id> --no-map-public-ip-on-launch',
      gke: 'gcloud container node-pools update <pool> --cluster <cluster> --location <location> --enable-private-nodes',
      aks: 'az aks nodepool add --resource-group <group> --cluster-name <cluster> --name <new-pool> (without --enable-node-public-ip; then move workloads and delete the old pool)',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/best-practices/subnets.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation',
      'https://learn.microsoft.com/azure/aks/use-node-public-ips',
    ],
  },
};

function evaluatePublicIps(cluster: ClusterPosture): Verdict {
  return evaluatePoolFlag(cluster, {
    setting: 'Public IP setting',
    read: (pool) => pool.publicIps,
    // Autopilot runs the nodes, but private nodes are set by the customer on the cluster and per workload
    // (https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation).
    customerSetsIn: ['gke-autopilot'],
    messages: {
      on: (pools) => `Nodes get public IP addresses in node pool(s) ${pools.join(', ')}.`,
      off: (count) => `No node gets a public IP address (${count} node pool(s) checked).`,
      providerManaged: (manager) => `${manager} manages the nodes and gives them no public IP addresses.`,
      noPools: 'The cluster has no node pools, so no node can have a public IP address.',
    },
  });
}
