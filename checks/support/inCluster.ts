import type { InClusterPosture, RbacBinding, RbacSubject } from '../../model/inCluster.js';
import type { JsonValue } from '../../model/json.js';
import { isUnknown, known, type Observed, type SourceField } from '../../model/observed.js';
import type { ClusterPosture, Provider } from '../../model/posture.js';
import type { Verdict } from '../types.js';
import { unknownVerdict } from './verdict.js';

/*
 * What the checks that read inside the cluster share: the in-cluster facts or the verdict when
 * the pass did not read them, evidence named by the paths the in-cluster normaliser uses
 * (`clusterrolebindings[name=x].subjects`), and the namespaces kubeline treats as the system's.
 */

/** The in-cluster facts, or the unknown verdict carrying the reason the pass did not read them. */
export function inClusterFacts(cluster: ClusterPosture): { readonly facts: InClusterPosture } | Verdict {
  const { inCluster } = cluster;
  if (isUnknown(inCluster)) return unknownVerdict('In-cluster data', inCluster);
  return { facts: inCluster.value };
}

/** Raw fields as an observation, so they join a verdict's evidence beside other observations. */
export function fields(...from: readonly SourceField[]): Observed<null> {
  return known(null, ...from);
}

/** `ns/name` for namespaced objects, `name` otherwise. */
function qualified(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** `User:jane`, `Group:system:masters`, `ServiceAccount:ns/name`: the form of `clusterAdminAllow`. */
export function subjectKey(subject: RbacSubject): string {
  return `${subject.kind}:${qualified(subject.namespace, subject.name)}`;
}

function subjectJson(subject: RbacSubject): JsonValue {
  return subject.namespace === undefined
    ? { kind: subject.kind, name: subject.name }
    : { kind: subject.kind, name: subject.name, namespace: subject.namespace };
}

/** A binding's path as the in-cluster normaliser names it. */
export function bindingPath(binding: RbacBinding): string {
  const list = binding.kind === 'ClusterRoleBinding' ? 'clusterrolebindings' : 'rolebindings';
  return `${list}[name=${qualified(binding.namespace, binding.name)}]`;
}

/** The evidence of a binding: what it binds (roleRef) and to whom (subjects). */
export function bindingEvidence(binding: RbacBinding): SourceField[] {
  const path = bindingPath(binding);
  return [
    { path: `${path}.roleRef`, value: { kind: binding.roleRef.kind, name: binding.roleRef.name } },
    { path: `${path}.subjects`, value: binding.subjects.map(subjectJson) },
  ];
}

/** `ClusterRoleBinding x` / `RoleBinding ns/x`, for messages. */
export function bindingName(binding: RbacBinding): string {
  return `${binding.kind} ${qualified(binding.namespace, binding.name)}`;
}

/**
 * Namespaces the Kubernetes control plane or the provider creates and runs, which NET-02 and
 * POD-01 leave out: every `kube-*` namespace (kube-system, kube-public, kube-node-lease), and the
 * provider's own: GKE's `gke-managed-*`, `gmp-system` and `gmp-public` (Managed Service for
 * Prometheus); AKS's `aks-command` (command invoke), `calico-system` and `tigera-operator` (the
 * Calico network policy engine AKS installs); EKS's `amazon-guardduty` (the GuardDuty agent
 * add-on). `default` is a workload namespace: anything deployed without a namespace lands there.
 */
const SYSTEM_NAMESPACES: Readonly<
  Record<Provider, { readonly exact: readonly string[]; readonly prefixes: readonly string[] }>
> = {
  eks: { exact: ['amazon-guardduty'], prefixes: ['kube-'] },
  gke: { exact: ['gmp-system', 'gmp-public'], prefixes: ['kube-', 'gke-managed-'] },
  aks: { exact: ['aks-command', 'calico-system', 'tigera-operator'], prefixes: ['kube-'] },
};

/** Whether a namespace is the system's or the provider's rather than the customer's workloads'. */
export function isSystemNamespace(provider: Provider, namespace: string): boolean {
  const system = SYSTEM_NAMESPACES[provider];
  return system.exact.includes(namespace) || system.prefixes.some((prefix) => namespace.startsWith(prefix));
}

/** Words for a list in a message: at most `limit` names, then how many more. */
export function listed(names: readonly string[], limit = 10): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
