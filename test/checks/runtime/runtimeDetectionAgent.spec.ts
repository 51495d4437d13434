import assert from 'node:assert/strict';
import { runtimeDetectionAgent } from '../../../checks/runtime/runtimeDetectionAgent.js';
import type { JsonObject } from '../../../model/json.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { k8sList, listVersion, withInCluster } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

function daemonSet(
  namespace: string,
  name: string,
  image: string,
  desired: number,
  ready: number,
): JsonObject {
  return {
    metadata: { name, namespace },
    spec: { template: { spec: { containers: [{ name, image }] } } },
    status: { desiredNumberScheduled: desired, numberReady: ready },
  };
}
const NODES = (count: number) =>
  k8sList(Array.from({ length: count }, (_, index) => ({ metadata: { name: `n${index}` } })));
const status = (namespace: string, name: string, desired: number, ready: number) => [
  { path: `daemonsets[name=${namespace}/${name}].status.desiredNumberScheduled`, value: desired },
  { path: `daemonsets[name=${namespace}/${name}].status.numberReady`, value: ready },
];
const KUBE_PROXY = daemonSet('kube-system', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.33.0', 3, 3);

describe('RUN-03 A runtime detection agent runs on every node', () => {
  const ctx = evalContext();

  const agents: readonly [string, JsonObject][] = [
    [
      'the GuardDuty agent',
      daemonSet(
        'amazon-guardduty',
        'aws-guardduty-agent',
        '602401143452.dkr.ecr.eu-west-1.amazonaws.com/aws-guardduty-agent:v1.7.0',
        3,
        3,
      ),
    ],
    [
      'the Defender sensor',
      daemonSet(
        'kube-system',
        'microsoft-defender-collector-ds',
        'mcr.microsoft.com/azuredefender/stable/pod-collector:1.0',
        3,
        3,
      ),
    ],
    [
      'Falco renamed by its Helm release',
      daemonSet('security', 'runtime', 'docker.io/falcosecurity/falco-no-driver:0.39.0', 3, 3),
    ],
    ['Falco pinned by digest', daemonSet('falco', 'falco', 'falcosecurity/falco@sha256:abc', 3, 3)],
    [
      'Tetragon on a private registry',
      daemonSet('kube-system', 'agent', 'registry.example:5000/cilium/tetragon:v1.2', 3, 3),
    ],
  ];
  for (const [what, agent] of agents) {
    it(`passes with ${what} ready on all nodes`, () => {
      const cluster = withInCluster(eksPosture(), {
        daemonsets: k8sList([KUBE_PROXY, agent]),
        nodes: NODES(3),
      });
      const metadata = agent.metadata as { name: string; namespace: string };
      assert.deepEqual(outcome(evaluateCheck(runtimeDetectionAgent, cluster, ctx)), {
        status: 'pass',
        evidence: [...status(metadata.namespace, metadata.name, 3, 3), listVersion('nodes')],
      });
    });
  }

  for (const posture of [eksPosture(), gkePosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('fails without any agent DaemonSet', () => {
        const cluster = withInCluster(posture, { daemonsets: k8sList([KUBE_PROXY]), nodes: NODES(3) });
        assert.deepEqual(outcome(evaluateCheck(runtimeDetectionAgent, cluster, ctx)), {
          status: 'fail',
          evidence: [listVersion('daemonsets'), listVersion('nodes')],
        });
      });

      it('fails when the agent is not ready on every node, or scheduled on fewer nodes than the cluster has', () => {
        const cluster = withInCluster(posture, {
          daemonsets: k8sList([
            daemonSet('falco', 'falco', 'falcosecurity/falco:0.39.0', 3, 2),
            daemonSet('kube-system', 'tetragon', 'quay.io/cilium/tetragon:v1.2', 2, 2),
          ]),
          nodes: NODES(3),
        });
        assert.deepEqual(outcome(evaluateCheck(runtimeDetectionAgent, cluster, ctx)), {
          status: 'fail',
          evidence: [
            ...status('falco', 'falco', 3, 2),
            ...status('kube-system', 'tetragon', 2, 2),
            listVersion('nodes'),
          ],
        });
      });

      it('is not applicable without nodes, and unknown when the pass is off or a list was not read', () => {
        const verdicts = [
          withInCluster(posture, { daemonsets: k8sList([]), nodes: NODES(0) }),
          posture,
          withInCluster(posture, { nodes: NODES(1), errors: { daemonsets: '403 Forbidden' } }),
          withInCluster(posture, { daemonsets: k8sList([]) }),
        ].map((cluster) => evaluateCheck(runtimeDetectionAgent, cluster, ctx).status);
        assert.deepEqual(verdicts, ['not_applicable', 'unknown', 'unknown', 'unknown']);
      });
    });
  }
});
