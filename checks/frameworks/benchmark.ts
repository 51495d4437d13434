import type { Framework } from '../../model/finding.js';
import type { Provider } from '../../model/posture.js';

/**
 * How the benchmark itself classes an item: `Automated` when its audit can be scripted, `Manual`
 * when it needs judgement. `null` where the published item list states neither (CIS AKS 1.8.0
 * 2.1.1).
 */
export type CisAssessment = 'Automated' | 'Manual' | null;

/** How kubeline covers a benchmark control. */
export const CONTROL_COVERAGES = ['automated', 'provider-managed', 'manual'] as const;
export type ControlCoverage = (typeof CONTROL_COVERAGES)[number];

interface ControlFacts {
  /** The benchmark's own item number, `5.4.2`. */
  readonly control: string;
  /** The benchmark's own title, verbatim. */
  readonly title: string;
  readonly assessment: CisAssessment;
  /** What a pass does not cover, or why the control sits where it does. */
  readonly note?: string;
}

/** A control kubeline decides: it is met when every one of its checks passes. */
export interface AutomatedControl extends ControlFacts {
  readonly coverage: 'automated';
  readonly checks: readonly [string, ...string[]];
}

/** A control the provider secures on the managed service; listed in the report, never evaluated. */
export interface ProviderManagedBenchmarkControl extends ControlFacts {
  readonly coverage: 'provider-managed';
  readonly checks: readonly [];
  /** What the provider does, and where the customer's part starts. */
  readonly note: string;
}

/** A control no kubeline check decides: node access, in-cluster objects kubeline does not read, or judgement. */
export interface ManualControl extends ControlFacts {
  readonly coverage: 'manual';
  readonly checks: readonly [];
  /** What to verify by hand: where to look (a command or a console page) and what a compliant answer is. */
  readonly verify: string;
}

export type BenchmarkControl = AutomatedControl | ProviderManagedBenchmarkControl | ManualControl;

/** One CIS benchmark: every item of it, in the benchmark's own order. */
export interface Benchmark {
  readonly framework: Framework;
  readonly provider: Provider;
  readonly version: string;
  readonly title: string;
  readonly controls: readonly BenchmarkControl[];
}

/** How an auditor gets a shell on a node of each provider, for the items only a node can answer. */
export const NODE_SHELL: Readonly<Record<Provider, string>> = {
  eks: 'On each node group (AWS Systems Manager Session Manager, or kubectl debug node/<node> -it --image=public.ecr.aws/docker/library/busybox and chroot /host)',
  gke: 'On each node pool (gcloud compute ssh <node>, or kubectl debug node/<node> -it --image=busybox and chroot /host)',
  aks: 'On each agent pool (kubectl debug node/<node> -it --image=mcr.microsoft.com/cbl-mariner/busybox:2.0 and chroot /host)',
};

/** A node file's permissions, read on the node. */
export function nodeFileModeVerify(provider: Provider, file: string): string {
  return `${NODE_SHELL[provider]}, run stat -c %a on ${file}: compliant is 644 or stricter (no write for group or others).`;
}

/** A node file's owner, read on the node. */
export function nodeFileOwnerVerify(provider: Provider, file: string): string {
  return `${NODE_SHELL[provider]}, run stat -c %U:%G on ${file}: compliant is root:root.`;
}

/** The kubeconfig the kubelet uses, named so that an auditor finds it on any image. */
export const KUBELET_KUBECONFIG = 'the file the kubelet --kubeconfig argument names (ps -o args -C kubelet)';

/** The kubelet configuration file, named so that an auditor finds it on any image. */
export const KUBELET_CONFIG_FILE = 'the file the kubelet --config argument names (ps -o args -C kubelet)';

/** A kubelet setting, read through the API server from each node's live configuration. */
export function configzVerify(setting: string, compliant: string): string {
  return `Read each node's live kubelet configuration with kubectl get --raw /api/v1/nodes/<node>/proxy/configz: compliant when kubeletconfig.${setting} ${compliant} on every node.`;
}

/** Who holds a sensitive RBAC right, from the roles and their bindings. */
export function rbacVerify(right: string, allowed: string): string {
  return `List the Roles and ClusterRoles granting ${right} (kubectl get clusterroles,roles -A -o yaml, wildcards included) and the subjects bound to them (kubectl get clusterrolebindings,rolebindings -A -o wide): compliant when only ${allowed} hold it.`;
}
