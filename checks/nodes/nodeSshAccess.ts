import type { Observed } from '../../model/observed.js';
import { isUnknown, known } from '../../model/observed.js';
import type { ClusterPosture, NodePool } from '../../model/posture.js';
import { evaluatePoolFlag } from '../support/providerNodes.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const GKE_FIREWALL =
  'SSH to GKE nodes is allowed or denied by VPC firewall rules, which belong to the network, not the cluster, and are not read.';

/** Whether SSH is open to any source; restricted to named security groups counts as closed. */
function sshOpen(pool: NodePool): Observed<boolean> {
  const { sshAccess } = pool;
  return isUnknown(sshAccess) ? sshAccess : known(sshAccess.value === 'open', ...sshAccess.from);
}

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['mode', 'nodePools', 'nodePools[].sshAccess'],
  evaluate: evaluateSsh,
};

/** NODE-02: SSH to nodes is closed or limited to named sources. */
export const nodeSshAccess: Check = {
  id: 'NODE-02',
  title: 'SSH to nodes is closed or limited to named sources',
  rationale:
    'SSH open to any address exposes every node to password and key attacks from the internet or the whole network, and a shell on a node reaches every pod, secret and credential on it.',
  category: 'nodes',
  severity: 'high',
  source: 'api',
  providers: {
    eks: RULE,
    gke: { notApplicable: GKE_FIREWALL },
    aks: RULE,
  },
  remediation: {
    text: 'Turn SSH off and reach nodes through the provider (SSM Session Manager on EKS, az aks command invoke or kubectl debug on AKS); where SSH must stay, name the security groups that may connect.',
    cli: {
      eks: 'aws eks create-nodegroup --cluster-name <cluster> --nodegroup-name <new-group> --remote-access ec2SshKey=<key>,sourceSecurityGroups=<sg-id> (remote access is fixed per node group: replace the group, or create it without remote access)',
      aks: 'az aks nodepool update --resource-group <group> --cluster-name <cluster> --name <pool> --ssh-access disabled',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html',
      'https://learn.microsoft.com/azure/aks/manage-ssh-node-access',
    ],
  },
};

function evaluateSsh(cluster: ClusterPosture): Verdict {
  return evaluatePoolFlag(cluster, {
    setting: 'SSH access',
    read: sshOpen,
    messages: {
      on: (pools) =>
        `Node pool(s) ${pools.join(', ')} accept SSH from any address: an SSH key is set with no source security groups, which opens port 22 to 0.0.0.0/0.`,
      off: (count) => `SSH is off or limited to named security groups on every node pool (${count} checked).`,
      providerManaged: (manager) => `${manager} manages the nodes and offers no SSH to them.`,
      noPools: 'The cluster has no node pools, so no node accepts SSH.',
    },
  });
}
