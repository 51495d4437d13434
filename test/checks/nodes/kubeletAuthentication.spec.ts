import assert from 'node:assert/strict';
import { kubeletAuthentication } from '../../../checks/nodes/kubeletAuthentication.js';
import { kubeletReadOnlyPortDisabled } from '../../../checks/nodes/kubeletReadOnlyPortDisabled.js';
import type { InClusterRaw } from '../../../model/inCluster.js';
import type { JsonObject } from '../../../model/json.js';
import { known, unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { k8sList, listVersion, withInCluster } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const HARDENED = {
  readOnlyPort: 0,
  authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
  authorization: { mode: 'Webhook' },
};
const field = (node: string, path: string, value: JsonObject[string]) => ({
  path: `nodes[name=${node}].configz.kubeletconfig.${path}`,
  value,
});

function kubelets(configz: Record<string, JsonObject | string>, nodes = Object.keys(configz)): InClusterRaw {
  return {
    nodes: k8sList(nodes.map((name) => ({ metadata: { name } }))),
    configz: Object.fromEntries(
      Object.entries(configz).map(([node, config]) => [
        node,
        typeof config === 'string' ? config : { kubeletconfig: config },
      ]),
    ),
  };
}

describe('KUBELET-02 The kubelet rejects anonymous requests and authorizes with the API server', () => {
  const ctx = evalContext();

  for (const posture of [eksPosture(), gkePosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when every sampled kubelet rejects anonymous requests and uses Webhook', () => {
        // Prepare
        const cluster = withInCluster(posture, kubelets({ a: HARDENED }, ['a', 'b']));
        // Act
        const verdict = evaluateCheck(kubeletAuthentication, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [
            field('a', 'authentication.anonymous.enabled', false),
            field('a', 'authorization.mode', 'Webhook'),
          ],
        });
      });

      it('fails on a kubelet with anonymous requests on, or AlwaysAllow, with only those settings as evidence', () => {
        const cluster = withInCluster(
          posture,
          kubelets({
            a: HARDENED,
            b: { ...HARDENED, authentication: { anonymous: { enabled: true } } },
            c: { ...HARDENED, authorization: { mode: 'AlwaysAllow' } },
          }),
        );
        const verdict = evaluateCheck(kubeletAuthentication, cluster, ctx);
        assert.deepEqual(
          { ...outcome(verdict), message: verdict.message },
          {
            status: 'fail',
            evidence: [
              field('b', 'authentication.anonymous.enabled', true),
              field('c', 'authorization.mode', 'AlwaysAllow'),
            ],
            message:
              'The kubelet authentication and authorization is not compliant on b (anonymous requests allowed), c (authorization mode AlwaysAllow).',
          },
        );
      });

      it('fails on a known bad kubelet even when another could not be read', () => {
        const cluster = withInCluster(
          posture,
          kubelets({ a: '502 Bad Gateway', b: { ...HARDENED, authorization: { mode: 'AlwaysAllow' } } }),
        );
        assert.equal(evaluateCheck(kubeletAuthentication, cluster, ctx).status, 'fail');
      });

      it('is unknown when a sampled kubelet could not be read, or none was sampled', () => {
        const messages = [
          posture,
          withInCluster(posture, kubelets({ a: HARDENED, b: '502 Bad Gateway' })),
          withInCluster(posture, kubelets({}, ['a'])),
          withInCluster(posture, { configz: {} }),
          withInCluster(posture, {
            nodes: k8sList([{ metadata: { name: 'a' } }]),
            errors: { configz: 'timed out' },
          }),
        ].map((cluster) => evaluateCheck(kubeletAuthentication, cluster, ctx).message);
        assert.deepEqual(messages, [
          'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          'The kubelet authentication and authorization of node b could not be read: configz of node b could not be read: 502 Bad Gateway',
          'Kubelet configuration (configz) could not be read: no kubelet was sampled among the 1 node(s)',
          'The nodes of the cluster could not be read: nodes absent from the in-cluster read',
          'Kubelet configuration (configz) could not be read: configz could not be read from the API server: timed out',
        ]);
      });

      it('is not applicable when the cluster has no node', () => {
        const cluster = withInCluster(posture, kubelets({}));
        assert.deepEqual(outcome(evaluateCheck(kubeletAuthentication, cluster, ctx)), {
          status: 'not_applicable',
          evidence: [listVersion('nodes')],
        });
      });
    });
  }
});

describe('KUBELET-01 from the kubelets read in-cluster (EKS and AKS)', () => {
  const ctx = evalContext();
  const unreadPools = {
    nodePools: known([
      {
        name: 'general',
        managedBy: 'customer' as const,
        version: unknown('x'),
        publicIps: known(false),
        kubeletReadOnlyPort: unknown('needs in-cluster read (node configz)'),
        sshAccess: known('disabled' as const),
        secureBoot: unknown('x'),
        autoUpgrade: unknown('x'),
        serviceAccount: unknown('x'),
      },
    ]),
  };

  for (const posture of [eksPosture(unreadPools), aksPosture(unreadPools)]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when every sampled kubelet has the read-only port at 0 (absent in configz)', () => {
        const cluster = withInCluster(posture, kubelets({ a: { authorization: { mode: 'Webhook' } } }));
        assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
          status: 'pass',
          evidence: [field('a', 'readOnlyPort', null)],
        });
      });

      it('fails when a kubelet serves the read-only port', () => {
        const cluster = withInCluster(
          posture,
          kubelets({ a: HARDENED, b: { ...HARDENED, readOnlyPort: 10255 } }),
        );
        assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
          status: 'fail',
          evidence: [field('b', 'readOnlyPort', 10255)],
        });
      });

      it('fails on the kubelets read even when the cloud lists no managed pool (self-managed nodes)', () => {
        // Prepare: no managed pool, which alone would read as "no kubelet runs".
        const unmanaged = { ...posture, nodePools: known([]) };
        const cluster = withInCluster(unmanaged, kubelets({ a: { ...HARDENED, readOnlyPort: 10255 } }));
        // Act, Assess
        assert.deepEqual(outcome(evaluateCheck(kubeletReadOnlyPortDisabled, cluster, ctx)), {
          status: 'fail',
          evidence: [field('a', 'readOnlyPort', 10255)],
        });
        assert.equal(evaluateCheck(kubeletReadOnlyPortDisabled, unmanaged, ctx).status, 'not_applicable');
      });

      it('is unknown with the in-cluster reason when the pass is off', () => {
        const verdict = evaluateCheck(kubeletReadOnlyPortDisabled, posture, ctx);
        assert.deepEqual(
          { status: verdict.status, message: verdict.message },
          {
            status: 'unknown',
            message:
              'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          },
        );
      });
    });
  }
});
