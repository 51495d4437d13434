import type { ClusterPosture } from '../../model/posture.js';
import { evaluateKubelets, kubeletSetting } from '../support/kubeletConfigz.js';
import { type ClusterFlag, evaluatePoolFlag } from '../support/providerNodes.js';
import type { Check, SharedPosturePath, Verdict } from '../types.js';

const POOLS_AND_KUBELETS: readonly SharedPosturePath[] = [
  'mode',
  'nodePools',
  'nodePools[].kubeletReadOnlyPort',
  'inCluster',
  'inCluster.nodeCount',
  'inCluster.kubelets',
  'inCluster.kubelets[].readOnlyPort',
];

/** KUBELET-01: the kubelet read-only port (10255) is disabled. */
export const kubeletReadOnlyPortDisabled: Check = {
  id: 'KUBELET-01',
  title: 'The kubelet read-only port (10255) is disabled',
  rationale:
    'The read-only port serves pod specs, environment variables and node details without authentication to anyone who can reach the node, handing an attacker a map of the workloads and often secrets passed as variables.',
  category: 'nodes',
  severity: 'high',
  source: 'api/k8s',
  providers: {
    eks: { responsibility: 'shared', reads: POOLS_AND_KUBELETS, evaluate: evaluatePoolsAndKubelets },
    gke: {
      responsibility: 'shared',
      reads: ['mode', 'nodePools', 'nodePools[].kubeletReadOnlyPort', 'gke.kubeletReadOnlyPortDefault'],
      evaluate: (cluster) =>
        evaluatePools(cluster, [
          {
            name: 'the cluster default for new node pools',
            observed: cluster.gke.kubeletReadOnlyPortDefault,
          },
        ]),
    },
    aks: { responsibility: 'shared', reads: POOLS_AND_KUBELETS, evaluate: evaluatePoolsAndKubelets },
  },
  remediation: {
    text: 'Set the kubelet readOnlyPort to 0: through the node configuration of a launch template on EKS, with the insecure kubelet read-only port flags on the cluster default and every pool on GKE (Autopilot included: clusters created before 1.32 keep the port open until it is turned off), by running a current node image on AKS.',
    cli: {
      eks: 'aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <nodegroup> --launch-template name=<template>,version=<version-with-readOnlyPort-0>',
      gke: 'gcloud container clusters update <cluster> --location <location> --no-enable-insecure-kubelet-readonly-port && gcloud container node-pools update <pool> --cluster <cluster> --location <location> --no-enable-insecure-kubelet-readonly-port (Autopilot: gcloud container clusters update <cluster> --location <location> --no-autoprovisioning-enable-insecure-kubelet-readonly-port)',
      aks: 'az aks nodepool upgrade --resource-group <group> --cluster-name <cluster> --name <pool> --node-image-only',
    },
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/disable-kubelet-readonly-port',
      'https://learn.microsoft.com/azure/aks/custom-node-configuration',
    ],
  },
};

/** The pools' setting, and the cluster-wide ones beside it (GKE's default for new pools). */
function evaluatePools(cluster: ClusterPosture, clusterFlags: readonly ClusterFlag[]): Verdict {
  return evaluatePoolFlag(cluster, {
    setting: 'Kubelet read-only port setting',
    read: (pool) => pool.kubeletReadOnlyPort,
    clusterFlags,
    // Autopilot runs the nodes, but the port stays open on Autopilot clusters created before 1.32
    // until the customer turns it off
    // (https://cloud.google.com/kubernetes-engine/docs/how-to/disable-kubelet-readonly-port).
    customerSetsIn: ['gke-autopilot'],
    messages: {
      on: (pools, clusterSettings) =>
        [
          ...clusterSettings.map((setting) => `The kubelet read-only port is open in ${setting}.`),
          ...(pools.length > 0
            ? [`The kubelet read-only port is open in node pool(s) ${pools.join(', ')}.`]
            : []),
        ].join(' '),
      off: (count) => `The kubelet read-only port is closed on every node pool (${count} checked).`,
      providerManaged: (manager) => `${manager} manages the nodes and their kubelet configuration.`,
      noPools: 'The cluster has no node pools, so no kubelet runs.',
    },
  });
}

/**
 * EKS and AKS show no kubelet setting in their APIs. A node's own configz is the kubelet's actual
 * setting, and it sees nodes no managed pool lists (self-managed groups, Karpenter): it decides
 * whenever it was read; where it was not, the pools do.
 */
function evaluatePoolsAndKubelets(cluster: ClusterPosture): Verdict {
  const fromPools = evaluatePools(cluster, []);
  const fromKubelets = evaluateKubelets(cluster, {
    setting: 'read-only port',
    settings: [
      kubeletSetting(
        (kubelet) => kubelet.readOnlyPort,
        (port) => (port === 0 ? undefined : `port ${port} open`),
      ),
    ],
    compliant: 'The read-only port is closed (readOnlyPort 0)',
  });
  // Both unknown: the in-cluster reason is the one to act on, the pools' evidence still shows what was read.
  if (fromKubelets.status !== 'unknown') return fromKubelets;
  if (fromPools.status !== 'unknown') return fromPools;
  return { ...fromKubelets, evidence: [...fromPools.evidence, ...fromKubelets.evidence] };
}
