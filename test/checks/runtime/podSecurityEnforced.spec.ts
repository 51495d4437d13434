import assert from 'node:assert/strict';
import { podSecurityEnforced } from '../../../checks/runtime/podSecurityEnforced.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { k8sList, listVersion, withInCluster } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const LABEL = 'pod-security.kubernetes.io/enforce';
const ns = (name: string, level?: string) => ({
  metadata: { name, ...(level ? { labels: { [LABEL]: level } } : {}) },
});
const at = (name: string, value: string | null) => ({
  path: `namespaces[name=${name}].metadata.labels.${LABEL}`,
  value,
});

describe('POD-01 Workload namespaces enforce a Pod Security Admission level', () => {
  const ctx = evalContext();

  for (const posture of [eksPosture(), gkePosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when every workload namespace enforces baseline or restricted; kube-system is left out', () => {
        // Prepare
        const cluster = withInCluster(posture, {
          namespaces: k8sList([ns('kube-system'), ns('default', 'baseline'), ns('shop', 'restricted')]),
        });
        // Act
        const verdict = evaluateCheck(podSecurityEnforced, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [listVersion('namespaces'), at('default', 'baseline'), at('shop', 'restricted')],
        });
      });

      it('fails on a namespace without the label or enforcing privileged', () => {
        const cluster = withInCluster(posture, {
          namespaces: k8sList([ns('default'), ns('shop', 'privileged'), ns('web', 'restricted')]),
        });
        assert.deepEqual(outcome(evaluateCheck(podSecurityEnforced, cluster, ctx)), {
          status: 'fail',
          evidence: [at('default', null), at('shop', 'privileged')],
        });
      });

      it('is not applicable with system namespaces only, and unknown when namespaces were not read', () => {
        const onlySystem = withInCluster(posture, { namespaces: k8sList([ns('kube-system')]) });
        const unread = withInCluster(posture, { errors: { namespaces: '403 Forbidden' } });
        assert.deepEqual(
          [posture, onlySystem, unread].map(
            (cluster) => evaluateCheck(podSecurityEnforced, cluster, ctx).status,
          ),
          ['unknown', 'not_applicable', 'unknown'],
        );
      });
    });
  }
});
