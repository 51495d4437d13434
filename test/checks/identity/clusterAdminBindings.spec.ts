import assert from 'node:assert/strict';
import { clusterAdminBindings } from '../../../checks/identity/clusterAdminBindings.js';
import { known, unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import {
  clusterRoleBinding,
  group,
  k8sList,
  listVersion,
  serviceAccount,
  user,
  withInCluster,
} from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const MASTERS = clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]);
const MASTERS_EVIDENCE = [
  {
    path: 'clusterrolebindings[name=cluster-admin].roleRef',
    value: { kind: 'ClusterRole', name: 'cluster-admin' },
  },
  {
    path: 'clusterrolebindings[name=cluster-admin].subjects',
    value: [{ kind: 'Group', name: 'system:masters' }],
  },
];
const CI_ADMIN = clusterRoleBinding('ci-admin', 'cluster-admin', [serviceAccount('ci', 'deployer')]);
const CI_EVIDENCE = [
  {
    path: 'clusterrolebindings[name=ci-admin].roleRef',
    value: { kind: 'ClusterRole', name: 'cluster-admin' },
  },
  {
    path: 'clusterrolebindings[name=ci-admin].subjects',
    value: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
  },
];

describe('RBAC-04 cluster-admin is bound only to allowed subjects', () => {
  const ctx = evalContext();

  for (const posture of [
    eksPosture(),
    gkePosture(),
    aksPosture({ aks: { adminGroupObjectIds: unknown('not read') } }),
  ]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when cluster-admin is bound only to system:masters; other roles do not count', () => {
        // Prepare
        const cluster = withInCluster(posture, {
          clusterrolebindings: k8sList([
            MASTERS,
            clusterRoleBinding('dev-view', 'view', [group('developers')]),
          ]),
        });
        // Act
        const verdict = evaluateCheck(clusterAdminBindings, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [listVersion('clusterrolebindings'), ...MASTERS_EVIDENCE],
        });
      });

      it('fails on a ServiceAccount bound to cluster-admin, with only the offending binding as evidence', () => {
        const cluster = withInCluster(posture, { clusterrolebindings: k8sList([MASTERS, CI_ADMIN]) });
        const verdict = evaluateCheck(clusterAdminBindings, cluster, ctx);
        assert.deepEqual(
          { ...outcome(verdict), message: verdict.message },
          {
            status: 'fail',
            evidence: CI_EVIDENCE,
            message:
              'cluster-admin is bound to ServiceAccount:ci/deployer, not in the allow list (ClusterRoleBinding ci-admin).',
          },
        );
      });

      it('passes when the subject is in clusterAdminAllow', () => {
        const cluster = withInCluster(posture, { clusterrolebindings: k8sList([MASTERS, CI_ADMIN]) });
        const allowing = evalContext({
          settings: { clusterAdminAllow: ['ServiceAccount:ci/deployer'] },
        });
        assert.equal(evaluateCheck(clusterAdminBindings, cluster, allowing).status, 'pass');
      });

      it('is unknown when the pass is off or ClusterRoleBindings were not read', () => {
        const statuses = [
          posture,
          withInCluster(posture, { errors: { clusterrolebindings: '403 Forbidden' } }),
        ].map((cluster) => evaluateCheck(clusterAdminBindings, cluster, ctx).message);
        assert.deepEqual(statuses, [
          'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          'The ClusterRoleBindings of the cluster could not be read: clusterrolebindings could not be read from the API server: 403 Forbidden',
        ]);
      });
    });
  }

  it("allows AKS's Entra ID admin groups, with aadProfile.adminGroupObjectIDs as evidence", () => {
    const groups = known(['00000000-aaaa'], {
      path: 'properties.aadProfile.adminGroupObjectIDs',
      value: ['00000000-aaaa'],
    });
    const binding = clusterRoleBinding('aks-cluster-admin-binding-aad', 'cluster-admin', [
      group('00000000-aaaa'),
    ]);
    const cluster = withInCluster(aksPosture({ aks: { adminGroupObjectIds: groups } }), {
      clusterrolebindings: k8sList([binding, clusterRoleBinding('x', 'cluster-admin', [user('mallory')])]),
    });
    const verdict = evaluateCheck(clusterAdminBindings, cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'fail',
      evidence: [
        {
          path: 'clusterrolebindings[name=x].roleRef',
          value: { kind: 'ClusterRole', name: 'cluster-admin' },
        },
        { path: 'clusterrolebindings[name=x].subjects', value: [{ kind: 'User', name: 'mallory' }] },
        { path: 'properties.aadProfile.adminGroupObjectIDs', value: ['00000000-aaaa'] },
      ],
    });
  });
});
