import type { DaemonSetFacts } from '../../model/inCluster.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import { fields, inClusterFacts, listed } from '../support/inCluster.js';
import { fail, notApplicable, pass, unknownVerdict } from '../support/verdict.js';
import type { Check, SharedRule, Verdict } from '../types.js';

/**
 * Runtime detection agents kubeline recognises, by DaemonSet name or by image repository (a Helm
 * release may rename the DaemonSet, rarely the image).
 */
const AGENTS: readonly { readonly name: string; readonly matches: (daemonSet: DaemonSetFacts) => boolean }[] =
  [
    {
      name: 'The GuardDuty security agent',
      matches: (ds) =>
        ds.name === 'aws-guardduty-agent' ||
        ds.images.some((image) => repository(image).endsWith('/aws-guardduty-agent')),
    },
    {
      name: 'The Microsoft Defender sensor',
      matches: (ds) => ds.name.startsWith('microsoft-defender-'),
    },
    {
      name: 'Falco',
      matches: (ds) =>
        ds.name === 'falco' ||
        ds.images.some((image) =>
          /(^|\/)falcosecurity\/falco(-no-driver|-distroless)?$/.test(repository(image)),
        ),
    },
    {
      name: 'Tetragon',
      matches: (ds) =>
        ds.name === 'tetragon' ||
        ds.images.some((image) => /(^|\/)cilium\/tetragon$/.test(repository(image))),
    },
  ];

/** An image reference without its tag or digest: `registry/path/name`. */
function repository(image: string): string {
  const digest = image.indexOf('@');
  const withoutDigest = digest === -1 ? image : image.slice(0, digest);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const tag = withoutDigest.indexOf(':', lastSlash + 1);
  return tag === -1 ? withoutDigest : withoutDigest.slice(0, tag);
}

function daemonSetEvidence(ds: DaemonSetFacts) {
  const path = `daemonsets[name=${ds.namespace}/${ds.name}].status`;
  return [
    { path: `${path}.desiredNumberScheduled`, value: ds.desired },
    { path: `${path}.numberReady`, value: ds.ready },
  ];
}

const RULE: SharedRule = {
  responsibility: 'shared',
  reads: ['inCluster', 'inCluster.daemonSets', 'inCluster.nodeCount'],
  evaluate: evaluateAgents,
};

/** RUN-03: a runtime detection agent runs on every node. */
export const runtimeDetectionAgent: Check = {
  id: 'RUN-03',
  title: 'A runtime detection agent runs on every node',
  rationale:
    'A detector switched on in the cloud console sees nothing on a node where its agent is not running: the nodes it misses are where a cryptominer or a container escape goes unnoticed.',
  category: 'runtime',
  severity: 'medium',
  source: 'k8s',
  providers: {
    eks: RULE,
    gke: RULE,
    aks: RULE,
  },
  remediation: {
    text: 'Run a runtime detection agent as a DaemonSet ready on every node: the GuardDuty agent (EKS Runtime Monitoring), the Defender for Containers sensor, Falco or Tetragon; check tolerations if it misses tainted nodes.',
    cli: {
      eks: 'aws eks create-addon --cluster-name <cluster> --addon-name aws-guardduty-agent',
      gke: 'gcloud container clusters get-credentials <cluster> --location <location> && helm install falco falcosecurity/falco --namespace falco --create-namespace',
      aks: 'az aks update --resource-group <group> --name <cluster> --enable-defender',
    },
    links: [
      'https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html',
      'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction',
      'https://falco.org/docs/',
      'https://tetragon.io/docs/',
    ],
  },
};

function evaluateAgents(cluster: ClusterPosture): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { daemonSets, nodeCount } = read.facts;
  if (isUnknown(daemonSets)) return unknownVerdict('The DaemonSets of the cluster', daemonSets);
  if (isUnknown(nodeCount)) return unknownVerdict('The nodes of the cluster', nodeCount);
  if (nodeCount.value === 0) return notApplicable('The cluster has no node to watch.', nodeCount);
  const agents = daemonSets.value.flatMap((ds) =>
    AGENTS.filter((agent) => agent.matches(ds)).map((agent) => ({ agent, ds })),
  );
  if (agents.length === 0) {
    return fail(
      'No runtime detection agent (GuardDuty agent, Defender sensor, Falco, Tetragon) runs as a DaemonSet.',
      daemonSets,
      nodeCount,
    );
  }
  const everywhere = agents.find(({ ds }) => ds.ready === ds.desired && ds.desired === nodeCount.value);
  const evidence = fields(...agents.flatMap(({ ds }) => daemonSetEvidence(ds)));
  if (everywhere) {
    return pass(`${everywhere.agent.name} is ready on all ${nodeCount.value} node(s).`, evidence, nodeCount);
  }
  return fail(
    `${listed(agents.map(({ agent, ds }) => `${agent.name} (${ds.namespace}/${ds.name}: ${ds.ready} ready of ${ds.desired} scheduled)`))} do not cover all ${nodeCount.value} node(s).`,
    evidence,
    nodeCount,
  );
}
