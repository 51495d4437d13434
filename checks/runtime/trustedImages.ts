import { isUnknown } from '../../model/observed.js';
import type { AksClusterPosture, GkeClusterPosture } from '../../model/posture.js';
import { evidenceOf, fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const EKS_IN_CLUSTER =
  'EKS has no cluster setting for image admission; it is done in-cluster (Kyverno, Gatekeeper, signature verification webhooks).';

/** Modes that enforce the project's Binary Authorization policy at admission. */
const ENFORCING_MODES = [
  'PROJECT_SINGLETON_POLICY_ENFORCE',
  'POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE',
];
/** Modes that admit any image: off, or continuous validation alone, which only reports. */
const ADMITTING_MODES = ['DISABLED', 'EVALUATION_MODE_UNSPECIFIED', 'POLICY_BINDINGS'];

/** RUN-02: only trusted images are admitted. */
export const trustedImages: Check = {
  id: 'RUN-02',
  title: 'Only trusted images are admitted',
  rationale:
    'Without an admission policy on images, anyone who can create a pod can run any image from any registry, including a typosquatted or backdoored one, and nothing proves what runs was built by the pipeline.',
  category: 'runtime',
  severity: 'low',
  source: 'api',
  providers: {
    eks: { notApplicable: EKS_IN_CLUSTER },
    gke: { responsibility: 'customer', reads: ['gke.binaryAuthorization'], evaluate: evaluateGke },
    aks: { responsibility: 'customer', reads: ['aks.azurePolicy'], evaluate: evaluateAks },
  },
  remediation: {
    text: 'On GKE enforce the project Binary Authorization policy and make it require attestations or allowed registries; on AKS turn on the Azure Policy add-on and assign the policies that allow only approved registries or signed images.',
    cli: {
      gke: 'gcloud container clusters update <cluster> --location <location> --binauthz-evaluation-mode=PROJECT_SINGLETON_POLICY_ENFORCE',
      aks: 'az aks enable-addons --resource-group <group> --name <cluster> --addons azure-policy',
    },
    links: [
      'https://cloud.google.com/binary-authorization/docs/overview',
      'https://learn.microsoft.com/azure/aks/use-azure-policy',
    ],
  },
};

function evaluateGke(cluster: GkeClusterPosture): Verdict {
  const { binaryAuthorization: mode } = cluster.gke;
  if (isUnknown(mode)) return unknownVerdict('Binary Authorization mode', mode);
  if (ENFORCING_MODES.includes(mode.value)) {
    return pass(
      `Binary Authorization enforces the project policy at admission (${mode.value}); what the policy allows is not read.`,
      mode,
    );
  }
  if (ADMITTING_MODES.includes(mode.value)) {
    return fail(`Binary Authorization does not enforce a policy at admission (${mode.value}).`, mode);
  }
  return {
    status: 'unknown',
    message: `Binary Authorization mode ${mode.value} is not one kubeline knows.`,
    evidence: evidenceOf(mode),
  };
}

function evaluateAks(cluster: AksClusterPosture): Verdict {
  const { azurePolicy } = cluster.aks;
  if (isUnknown(azurePolicy)) return unknownVerdict('Azure Policy add-on', azurePolicy);
  // The add-on runs Gatekeeper; which policy assignments (allowed registries, signed images) apply is Azure Policy data.
  return azurePolicy.value
    ? pass(
        'The Azure Policy add-on enforces admission policies; which policies are assigned is not read.',
        azurePolicy,
      )
    : fail('The Azure Policy add-on is off: no admission policy restricts the images pods run.', azurePolicy);
}
