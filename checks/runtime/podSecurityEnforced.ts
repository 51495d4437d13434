import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fields, inClusterFacts, isSystemNamespace, listed } from '../support/inCluster.js';
import { fail, notApplicable, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

/** `privileged` is a level too, but it enforces nothing. */
const ENFORCING_LEVELS = ['baseline', 'restricted'];

const RULE: SharedRule = {
  responsibility: 'customer',
  reads: ['inCluster', 'inCluster.namespaces'],
  evaluate: evaluateNamespaces,
};

/** POD-01: workload namespaces enforce a Pod Security Admission level. */
export const podSecurityEnforced: Check = {
  id: 'POD-01',
  title: 'Workload namespaces enforce a Pod Security Admission level',
  rationale:
    'Without an enforced Pod Security level any pod spec is admitted: privileged containers, host namespaces and host paths turn one compromised deployment into a compromised node.',
  category: 'runtime',
  severity: 'low',
  source: 'k8s',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Label each workload namespace pod-security.kubernetes.io/enforce=baseline (or restricted), after checking with the warn label what it would reject.',
    cli: {
      eks: 'aws eks update-kubeconfig --name <cluster> && kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline',
      gke: 'gcloud container clusters get-credentials <cluster> --location <location> && kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline',
      aks: 'az aks command invoke --resource-group <group> --name <cluster> --command "kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline"',
    },
    links: [
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/',
    ],
  },
};

function evaluateNamespaces(cluster: ClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { namespaces } = read.facts;
  if (isUnknown(namespaces)) return unknownVerdict('The namespaces of the cluster', namespaces);
  const workload = namespaces.value.filter(
    (namespace) => !isSystemNamespace(cluster.provider, namespace.name),
  );
  if (workload.length === 0) {
    return notApplicable('The cluster has no workload namespace, only system ones.', namespaces);
  }
  const open = workload.filter(
    (namespace) =>
      namespace.podSecurityEnforce === null || !ENFORCING_LEVELS.includes(namespace.podSecurityEnforce),
  );
  if (open.length > 0) {
    return fail(
      `Namespace(s) ${listed(open.map((namespace) => namespace.name))} enforce no Pod Security level (baseline or restricted).`,
      fields(
        ...open.map((namespace) => ({
          path: `namespaces[name=${namespace.name}].metadata.labels.pod-security.kubernetes.io/enforce`,
          value: namespace.podSecurityEnforce,
        })),
      ),
    );
  }
  return pass(
    `Every workload namespace enforces baseline or restricted (${workload.length} namespace(s)).`,
    namespaces,
    fields(
      ...workload.map((namespace) => ({
        path: `namespaces[name=${namespace.name}].metadata.labels.pod-security.kubernetes.io/enforce`,
        value: namespace.podSecurityEnforce,
      })),
    ),
  );
}
