import assert from 'node:assert/strict';
import { wildcardRoles } from '../../../checks/identity/wildcardRoles.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import {
  CLUSTER_ADMIN_ROLE,
  clusterRoleBinding,
  group,
  k8sList,
  listVersion,
  roleBinding,
  serviceAccount,
  withInCluster,
  without,
} from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const OPS_ROLE = {
  metadata: { name: 'ops' },
  rules: [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }],
};
const NARROW_ROLE = {
  metadata: { name: 'narrow' },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
};
const OPS_EVIDENCE = {
  path: 'clusterroles[name=ops].rules',
  value: [{ verbs: ['get'], apiGroups: ['apps'], resources: ['*'] }],
};

function raw(
  bindings: ReturnType<typeof clusterRoleBinding>[],
  roleBindings: ReturnType<typeof roleBinding>[] = [],
) {
  return {
    clusterroles: k8sList([CLUSTER_ADMIN_ROLE, OPS_ROLE, NARROW_ROLE]),
    clusterrolebindings: k8sList(bindings),
    rolebindings: k8sList(roleBindings),
  };
}

describe('RBAC-06 No ClusterRole bound to non-system subjects uses wildcards', () => {
  const ctx = evalContext();

  for (const posture of [eksPosture(), gkePosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when wildcard roles are bound only to system subjects, and cluster-admin is left to RBAC-04', () => {
        // Prepare
        const cluster = withInCluster(
          posture,
          raw([
            clusterRoleBinding('ops-nodes', 'ops', [group('system:nodes')]),
            clusterRoleBinding('admins', 'cluster-admin', [group('platform')]),
            clusterRoleBinding('narrow', 'narrow', [group('developers')]),
            clusterRoleBinding('ghost', 'missing-role', [group('developers')]),
          ]),
        );
        // Act
        const verdict = evaluateCheck(wildcardRoles, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [
            listVersion('clusterroles'),
            listVersion('clusterrolebindings'),
            listVersion('rolebindings'),
          ],
        });
      });

      it('fails when a RoleBinding gives a ServiceAccount a ClusterRole with a wildcard', () => {
        const cluster = withInCluster(
          posture,
          raw(
            [],
            [
              roleBinding('ci', 'ops', { kind: 'ClusterRole', name: 'ops' }, [
                serviceAccount('ci', 'deployer'),
              ]),
            ],
          ),
        );
        const verdict = evaluateCheck(wildcardRoles, cluster, ctx);
        assert.deepEqual(outcome(verdict), {
          status: 'fail',
          evidence: [
            OPS_EVIDENCE,
            { path: 'rolebindings[name=ci/ops].roleRef', value: { kind: 'ClusterRole', name: 'ops' } },
            {
              path: 'rolebindings[name=ci/ops].subjects',
              value: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
            },
          ],
        });
      });

      it('passes when the role is in wildcardRoleAllow', () => {
        const cluster = withInCluster(posture, raw([clusterRoleBinding('ops', 'ops', [group('ops-team')])]));
        assert.equal(
          evaluateCheck(wildcardRoles, cluster, evalContext({ settings: { wildcardRoleAllow: ['ops'] } }))
            .status,
          'pass',
        );
        assert.equal(evaluateCheck(wildcardRoles, cluster, ctx).status, 'fail');
      });

      it('is unknown when the pass is off or one of the three lists was not read', () => {
        const full = raw([]);
        const messages = [
          posture,
          withInCluster(posture, without(full, 'clusterroles')),
          withInCluster(posture, without(full, 'clusterrolebindings')),
          withInCluster(posture, without(full, 'rolebindings')),
        ].map((cluster) => evaluateCheck(wildcardRoles, cluster, ctx).message);
        assert.deepEqual(messages, [
          'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          'The ClusterRoles of the cluster could not be read: clusterroles absent from the in-cluster read',
          'The ClusterRoleBindings of the cluster could not be read: clusterrolebindings absent from the in-cluster read',
          'The RoleBindings of the cluster could not be read: rolebindings absent from the in-cluster read',
        ]);
      });
    });
  }
});
