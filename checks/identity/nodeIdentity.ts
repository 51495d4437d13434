import type { Observed } from '../../model/observed.js';
import { isUnknown, known } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture, NodePool } from '../../model/posture.js';
import { evaluatePoolFlag } from '../support/providerNodes.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

/** IAM-02: nodes do not run as the default or an over-broad identity. */
export const nodeIdentity: Check = {
  id: 'IAM-02',
  title: 'Nodes do not run as the default or an over-broad identity',
  rationale:
    "Every pod can reach the node's credentials through the metadata service; a node running as a default identity with broad roles turns any container escape or SSRF into control of the cloud project.",
  category: 'identity',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'customer',
      reads: [],
      // The node role is an IAM role; which policies it holds is IAM data kubeline does not collect.
      evaluate: () => ({
        status: 'unknown',
        message: 'The node IAM role could not be judged: the policies attached to it are not read (IAM).',
        evidence: [],
      }),
    },
    gke: {
      responsibility: 'customer',
      reads: ['mode', 'nodePools', 'nodePools[].serviceAccount'],
      evaluate: evaluateGke,
    },
    aks: { responsibility: 'customer', reads: ['aks.clusterIdentity'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'Run nodes as a dedicated identity with only the roles nodes need: a node IAM role with the EKS worker policies only, a GKE node service account with roles/container.defaultNodeServiceAccount instead of the Compute Engine default, a managed identity instead of a service principal on AKS.',
    cli: {
      eks: 'aws iam list-attached-role-policies --role-name <node-role> (detach every policy besides AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly and AmazonEKS_CNI_Policy)',
      gke: 'gcloud container node-pools create <new-pool> --cluster <cluster> --location <location> --service-account <nodes>@<project>.iam.gserviceaccount.com (then move workloads and delete the old pool)',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-managed-identity',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa',
      'https://learn.microsoft.com/azure/aks/use-managed-identity',
    ],
  },
};

function usesDefaultAccount(pool: NodePool): Observed<boolean> {
  const { serviceAccount } = pool;
  return isUnknown(serviceAccount)
    ? serviceAccount
    : known(serviceAccount.value.providerDefault, ...serviceAccount.from);
}

/** Pools on the default account with the cloud-platform scope: every Google API the account's roles allow. */
function fullScopePools(cluster: GkeClusterPosture): string[] {
  const { nodePools } = cluster;
  if (isUnknown(nodePools)) return [];
  return nodePools.value
    .filter(
      (pool) =>
        !isUnknown(pool.serviceAccount) &&
        pool.serviceAccount.value.providerDefault &&
        pool.serviceAccount.value.fullApiScope,
    )
    .map((pool) => pool.name);
}

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const worst = fullScopePools(cluster);
  return evaluatePoolFlag(cluster, {
    setting: 'Service account',
    read: usesDefaultAccount,
    // Autopilot runs the nodes, but they run as the service account the customer chose at cluster
    // creation (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa).
    customerSetsIn: ['gke-autopilot'],
    messages: {
      on: (pools) =>
        `Node pool(s) ${pools.join(', ')} run as the Compute Engine default service account, which holds the Editor role on the project by default.${
          worst.length > 0
            ? ` ${worst.join(', ')} also ${worst.length === 1 ? 'has' : 'have'} the cloud-platform scope, so any pod there can use all of it.`
            : ''
        }`,
      off: (count) => `Every node pool runs as a dedicated service account (${count} checked).`,
      providerManaged: (manager) => `${manager} manages the nodes and the identity they run as.`,
      noPools: 'The cluster has no node pools, so no node identity is in use.',
    },
  });
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { clusterIdentity } = cluster.aks;
  if (isUnknown(clusterIdentity)) return unknownVerdict('Cluster identity', clusterIdentity);
  return clusterIdentity.value === 'managed-identity'
    ? pass('The cluster and its nodes authenticate to Azure with a managed identity.', clusterIdentity)
    : fail(
        'The cluster authenticates to Azure with a service principal, whose secret sits on every node and expires unless rotated.',
        clusterIdentity,
      );
}
