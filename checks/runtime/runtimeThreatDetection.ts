import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fail, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, Verdict } from '../types.js';

const DETECTORS: Readonly<Record<string, string>> = {
  'guardduty-runtime-monitoring': 'GuardDuty Runtime Monitoring',
  'aws-guardduty-agent': 'the GuardDuty security agent add-on',
  'gke-security-posture': 'GKE security posture',
  defender: 'the Microsoft Defender for Containers sensor',
};

// GKE's security posture is the cluster-level switch the Cluster resource shows; Container Threat
// Detection is a Security Command Center service enabled per project or organization.
const GKE_NOTE =
  ' Container Threat Detection is a project-level Security Command Center service and is not read.';

/** RUN-01: runtime threat detection watches the cluster. */
export const runtimeThreatDetection: Check = {
  id: 'RUN-01',
  title: 'Runtime threat detection watches the cluster',
  rationale:
    'Misconfigurations are only half of the picture: a cryptominer, a reverse shell or a container escape happens at run time, and without a detector on the nodes nobody is told until the bill or the breach arrives.',
  category: 'runtime',
  severity: 'medium',
  source: 'api',
  providers: {
    eks: {
      responsibility: 'shared',
      reads: ['runtimeThreatDetection'],
      evaluate: (cluster) => judgeDetection(cluster, ''),
    },
    gke: {
      responsibility: 'shared',
      reads: ['runtimeThreatDetection'],
      evaluate: (cluster) => judgeDetection(cluster, GKE_NOTE),
    },
    aks: {
      responsibility: 'shared',
      reads: ['runtimeThreatDetection'],
      evaluate: (cluster) => judgeDetection(cluster, ''),
    },
  },
  remediation: {
    text: 'Turn on the provider runtime detector: GuardDuty Runtime Monitoring for EKS (or the aws-guardduty-agent add-on), GKE security posture (with Container Threat Detection in Security Command Center), the Defender for Containers sensor on AKS.',
    cli: {
      eks: 'aws eks create-addon --cluster-name <cluster> --addon-name aws-guardduty-agent',
      gke: 'gcloud container clusters update <cluster> --location <location> --security-posture=standard',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-defender',
    },
    links: [
      'https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/about-security-posture-dashboard',
      'https://cloud.google.com/security-command-center/docs/concepts-container-threat-detection-overview',
      'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction',
    ],
  },
};

/** `note` follows every message but the unknown one. */
function judgeDetection(cluster: ClusterPosture, note: string): Verdict {
  const { runtimeThreatDetection: detection } = cluster;
  if (isUnknown(detection)) return unknownVerdict('Runtime threat detection', detection);
  const { enabled, via } = detection.value;
  if (!enabled) return fail(`No runtime threat detection is turned on for the cluster.${note}`, detection);
  const detector = via === null ? 'a runtime detector' : (DETECTORS[via] ?? via);
  return pass(`Runtime threats are watched by ${detector}.${note}`, detection);
}
