import assert from 'node:assert/strict';
import { namespaceNetworkPolicies } from '../../../checks/network/namespaceNetworkPolicies.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { k8sList, listVersion, withInCluster } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const ns = (name: string) => ({ metadata: { name } });
const policy = (namespace: string) => ({ metadata: { name: 'default-deny', namespace } });
const SYSTEM = {
  eks: ['kube-system', 'kube-public', 'kube-node-lease', 'amazon-guardduty'],
  gke: ['kube-system', 'gke-managed-system', 'gmp-system', 'gmp-public'],
  aks: ['kube-system', 'aks-command', 'calico-system', 'tigera-operator'],
};

describe('NET-02 Every workload namespace has a NetworkPolicy', () => {
  const ctx = evalContext();

  for (const posture of [eksPosture(), gkePosture(), aksPosture()]) {
    const system = SYSTEM[posture.provider].map(ns);
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it("passes when every workload namespace has a policy; the system's and the provider's are left out", () => {
        // Prepare
        const cluster = withInCluster(posture, {
          namespaces: k8sList([...system, ns('default'), ns('shop')]),
          networkpolicies: k8sList([policy('default'), policy('shop')]),
        });
        // Act
        const verdict = evaluateCheck(namespaceNetworkPolicies, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [listVersion('namespaces'), listVersion('networkpolicies')],
        });
      });

      it('fails naming the workload namespaces without a policy, default included', () => {
        const cluster = withInCluster(posture, {
          namespaces: k8sList([...system, ns('default'), ns('shop')]),
          networkpolicies: k8sList([policy('shop'), policy('kube-system')]),
        });
        const verdict = evaluateCheck(namespaceNetworkPolicies, cluster, ctx);
        assert.deepEqual(outcome(verdict), {
          status: 'fail',
          evidence: [
            { path: 'networkpolicies[namespace=default]', value: null },
            listVersion('networkpolicies'),
          ],
        });
      });

      it('is not applicable with system namespaces only', () => {
        const cluster = withInCluster(posture, { namespaces: k8sList(system), networkpolicies: k8sList([]) });
        assert.deepEqual(outcome(evaluateCheck(namespaceNetworkPolicies, cluster, ctx)), {
          status: 'not_applicable',
          evidence: [listVersion('namespaces')],
        });
      });

      it('is unknown when the pass is off, or namespaces or policies were not read', () => {
        const messages = [
          posture,
          withInCluster(posture, { networkpolicies: k8sList([]) }),
          withInCluster(posture, {
            namespaces: k8sList([ns('shop')]),
            errors: { networkpolicies: '403 Forbidden' },
          }),
        ].map((cluster) => evaluateCheck(namespaceNetworkPolicies, cluster, ctx).message);
        assert.deepEqual(messages, [
          'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          'The namespaces of the cluster could not be read: namespaces absent from the in-cluster read',
          'The NetworkPolicies of the cluster could not be read: networkpolicies could not be read from the API server: 403 Forbidden',
        ]);
      });
    });
  }
});
