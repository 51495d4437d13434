import type { ClusterPosture } from '../../model/posture.js';
import { evaluateKubelets, kubeletSetting } from '../support/kubeletConfigz.js';
import type { Check, SharedRule, Verdict } from '../types.js';

const RULE: SharedRule = {
  responsibility: 'shared',
  reads: [
    'inCluster',
    'inCluster.nodeCount',
    'inCluster.kubelets',
    'inCluster.kubelets[].anonymousAuth',
    'inCluster.kubelets[].authorizationMode',
  ],
  evaluate: evaluateKubeletAuth,
};

/** KUBELET-02: the kubelet rejects anonymous requests and authorizes with the API server. */
export const kubeletAuthentication: Check = {
  id: 'KUBELET-02',
  title: 'The kubelet rejects anonymous requests and authorizes with the API server',
  rationale:
    'A kubelet that serves anonymous requests, or allows every request it authenticates, lets anyone who reaches port 10250 list pods, read logs and run commands in containers on that node.',
  category: 'nodes',
  severity: 'high',
  source: 'k8s',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Set authentication.anonymous.enabled to false and authorization.mode to Webhook in the kubelet configuration: through the node bootstrap (launch template) on EKS; the provider images set both on GKE and AKS, so a node that fails runs a custom or outdated image: upgrade it.',
    cli: {
      eks: 'aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <nodegroup> --launch-template name=<template>,version=<version-with-hardened-kubelet>',
      gke: 'gcloud container clusters upgrade <cluster> --location <location> --node-pool <pool>',
      aks: 'az aks nodepool upgrade --resource-group <group> --cluster-name <cluster> --name <pool> --node-image-only',
    },
    links: [
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
      'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
    ],
  },
};

function evaluateKubeletAuth(cluster: ClusterPosture): Verdict {
  return evaluateKubelets(cluster, {
    setting: 'authentication and authorization',
    settings: [
      kubeletSetting(
        (kubelet) => kubelet.anonymousAuth,
        (enabled) => (enabled ? 'anonymous requests allowed' : undefined),
      ),
      kubeletSetting(
        (kubelet) => kubelet.authorizationMode,
        (mode) => (mode === 'Webhook' ? undefined : `authorization mode ${mode}`),
      ),
    ],
    compliant: 'Anonymous requests are rejected and authorization is Webhook',
  });
}
