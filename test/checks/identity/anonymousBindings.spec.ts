import assert from 'node:assert/strict';
import { anonymousBindings } from '../../../checks/identity/anonymousBindings.js';
import { known, unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import {
  clusterRoleBinding,
  defaultRbac,
  group,
  k8sList,
  listVersion,
  PUBLIC_INFO_VIEWER_BINDING,
  roleBinding,
  serviceAccount,
  user,
  withInCluster,
  without,
} from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const UNAUTHENTICATED = 'cluster.rbacBindingConfig.enableInsecureBindingSystemUnauthenticated';
const AUTHENTICATED = 'cluster.rbacBindingConfig.enableInsecureBindingSystemAuthenticated';

describe('RBAC-03 No RoleBinding grants rights to anonymous or unauthenticated users', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('is unknown when GKE rejects new bindings to both groups: bindings made before need an in-cluster read', () => {
      // Prepare
      const cluster = gkeFromWire({
        rbacBindingConfig: {
          enableInsecureBindingSystemUnauthenticated: false,
          enableInsecureBindingSystemAuthenticated: false,
        },
      });
      // Act
      const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: UNAUTHENTICATED, value: false },
          { path: AUTHENTICATED, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        'GKE rejects new bindings to system:anonymous, system:unauthenticated and system:authenticated, but bindings made before that stay and were not read: In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
      );
    });

    it('fails when rbacBindingConfig is unset, which leaves both kinds of binding allowed', () => {
      const verdict = evaluateCheck(anonymousBindings, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: UNAUTHENTICATED, value: null },
          { path: AUTHENTICATED, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'GKE accepts new bindings to system:anonymous and system:unauthenticated and system:authenticated (any Google account) (rbacBindingConfig).',
      );
    });

    it('fails when only system:authenticated bindings are allowed: any Google account is in it', () => {
      const cluster = gkeFromWire({
        rbacBindingConfig: { enableInsecureBindingSystemUnauthenticated: false },
      });
      const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: UNAUTHENTICATED, value: false },
          { path: AUTHENTICATED, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'GKE accepts new bindings to system:authenticated (any Google account) (rbacBindingConfig).',
      );
    });

    it('fails when only system:anonymous and system:unauthenticated bindings are allowed', () => {
      const cluster = gkeFromWire({
        rbacBindingConfig: {
          enableInsecureBindingSystemUnauthenticated: true,
          enableInsecureBindingSystemAuthenticated: false,
        },
      });
      const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: UNAUTHENTICATED, value: true },
          { path: AUTHENTICATED, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        'GKE accepts new bindings to system:anonymous and system:unauthenticated (rbacBindingConfig).',
      );
    });

    it('is unknown when rbacBindingConfig is malformed', () => {
      const cluster = gkeFromWire({
        rbacBindingConfig: { enableInsecureBindingSystemUnauthenticated: 'false' },
      });
      assert.deepEqual(outcome(evaluateCheck(anonymousBindings, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: UNAUTHENTICATED, value: 'false' }],
      });
    });
  });

  it('is unknown on EKS and AKS when the in-cluster pass is off, with its reason', () => {
    for (const cluster of [eksFromWire({}), aksFromWire({})]) {
      const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
          message:
            'In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
        },
      );
    }
  });
});

describe('RBAC-03 in-cluster: the bindings read through the Kubernetes API', () => {
  const ctx = evalContext();
  const ANONYMOUS_BINDING = clusterRoleBinding('anon-view', 'view', [user('system:anonymous')]);
  const ANONYMOUS_EVIDENCE = [
    { path: 'clusterrolebindings[name=anon-view].roleRef', value: { kind: 'ClusterRole', name: 'view' } },
    {
      path: 'clusterrolebindings[name=anon-view].subjects',
      value: [{ kind: 'User', name: 'system:anonymous' }],
    },
  ];

  it('does not excuse system:anonymous under the name of a default binding', () => {
    const cluster = withInCluster(eksPosture(), {
      ...defaultRbac(),
      clusterrolebindings: k8sList([
        clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
          user('system:anonymous'),
        ]),
      ]),
    });
    assert.equal(evaluateCheck(anonymousBindings, cluster, ctx).status, 'fail');
  });

  for (const posture of [eksPosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}`, () => {
      it('passes when only the default public-info-viewer binding names unauthenticated users', () => {
        // Prepare
        const cluster = withInCluster(posture, defaultRbac());
        // Act
        const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [listVersion('clusterrolebindings'), listVersion('rolebindings')],
        });
      });

      it('fails on a ClusterRoleBinding to system:anonymous, with that binding as evidence', () => {
        const raw = defaultRbac();
        const cluster = withInCluster(posture, {
          ...raw,
          clusterrolebindings: k8sList([
            PUBLIC_INFO_VIEWER_BINDING,
            ANONYMOUS_BINDING,
            clusterRoleBinding('ci', 'edit', [serviceAccount('ci', 'system:anonymous')]),
          ]),
        });
        assert.deepEqual(outcome(evaluateCheck(anonymousBindings, cluster, ctx)), {
          status: 'fail',
          evidence: ANONYMOUS_EVIDENCE,
        });
      });

      it('fails on a RoleBinding to system:unauthenticated, and on a default name bound to another role', () => {
        const cluster = withInCluster(posture, {
          ...defaultRbac(),
          clusterrolebindings: k8sList([
            clusterRoleBinding('system:public-info-viewer', 'edit', [group('system:unauthenticated')]),
          ]),
          rolebindings: k8sList([
            roleBinding('shop', 'open', { kind: 'Role', name: 'reader' }, [group('system:unauthenticated')]),
          ]),
        });
        const verdict = evaluateCheck(anonymousBindings, cluster, ctx);
        assert.deepEqual(outcome(verdict), {
          status: 'fail',
          evidence: [
            {
              path: 'clusterrolebindings[name=system:public-info-viewer].roleRef',
              value: { kind: 'ClusterRole', name: 'edit' },
            },
            {
              path: 'clusterrolebindings[name=system:public-info-viewer].subjects',
              value: [{ kind: 'Group', name: 'system:unauthenticated' }],
            },
            { path: 'rolebindings[name=shop/open].roleRef', value: { kind: 'Role', name: 'reader' } },
            {
              path: 'rolebindings[name=shop/open].subjects',
              value: [{ kind: 'Group', name: 'system:unauthenticated' }],
            },
          ],
        });
        assert.equal(
          verdict.message,
          'ClusterRoleBinding system:public-info-viewer, RoleBinding shop/open grant rights to anonymous or unauthenticated users.',
        );
      });

      it('is unknown with the collector reason when ClusterRoleBindings or RoleBindings were not read', () => {
        const forbidden = withInCluster(posture, {
          ...without(defaultRbac(), 'clusterrolebindings'),
          errors: { clusterrolebindings: '403 Forbidden' },
        });
        const noRoleBindings = withInCluster(posture, without(defaultRbac(), 'rolebindings'));
        assert.deepEqual(
          [forbidden, noRoleBindings].map(
            (cluster) => evaluateCheck(anonymousBindings, cluster, ctx).message,
          ),
          [
            'The ClusterRoleBindings of the cluster could not be read: clusterrolebindings could not be read from the API server: 403 Forbidden',
            'The RoleBindings of the cluster could not be read: rolebindings absent from the in-cluster read',
          ],
        );
      });
    });
  }

  describe('on GKE, combined with rbacBindingConfig', () => {
    const blocking = gkePosture();
    const API_EVIDENCE = {
      path: 'cluster.rbacBindingConfig',
      value: {
        enableInsecureBindingSystemUnauthenticated: false,
        enableInsecureBindingSystemAuthenticated: false,
      },
    };

    it('passes when GKE rejects new bindings and none exists beyond the defaults', () => {
      const raw = defaultRbac();
      const cluster = withInCluster(blocking, {
        ...raw,
        clusterrolebindings: k8sList([
          PUBLIC_INFO_VIEWER_BINDING,
          clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
        ]),
      });
      assert.deepEqual(outcome(evaluateCheck(anonymousBindings, cluster, ctx)), {
        status: 'pass',
        evidence: [API_EVIDENCE, listVersion('clusterrolebindings'), listVersion('rolebindings')],
      });
    });

    it('fails on an old binding to system:authenticated although GKE now rejects new ones', () => {
      const cluster = withInCluster(blocking, {
        ...defaultRbac(),
        clusterrolebindings: k8sList([
          clusterRoleBinding('all-google', 'view', [group('system:authenticated')]),
        ]),
      });
      assert.deepEqual(outcome(evaluateCheck(anonymousBindings, cluster, ctx)), {
        status: 'fail',
        evidence: [
          API_EVIDENCE,
          {
            path: 'clusterrolebindings[name=all-google].roleRef',
            value: { kind: 'ClusterRole', name: 'view' },
          },
          {
            path: 'clusterrolebindings[name=all-google].subjects',
            value: [{ kind: 'Group', name: 'system:authenticated' }],
          },
        ],
      });
    });

    it('fails on the API half even when the cluster holds no such binding', () => {
      const cluster = withInCluster(
        gkePosture({ gke: { insecureRbacBindings: known({ unauthenticated: true, authenticated: false }) } }),
        defaultRbac(),
      );
      assert.equal(evaluateCheck(anonymousBindings, cluster, ctx).status, 'fail');
    });

    it('is unknown when the API half is unknown and the cluster holds no such binding', () => {
      const cluster = withInCluster(
        gkePosture({ gke: { insecureRbacBindings: unknown('not read') } }),
        defaultRbac(),
      );
      assert.deepEqual(outcome(evaluateCheck(anonymousBindings, cluster, ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });
  });
});
