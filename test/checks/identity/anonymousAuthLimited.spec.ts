import assert from 'node:assert/strict';
import { anonymousAuthLimited } from '../../../checks/identity/anonymousAuthLimited.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture } from '../../fixtures/postures.js';
import { gkeFromWire } from '../fromWire.js';
import { defaultRbac, k8sList, roleBinding, user, withInCluster, without } from '../inClusterWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const MODE = 'cluster.anonymousAuthenticationConfig.mode';

describe('AUTH-04 Anonymous requests are limited to health endpoints', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when the mode is LIMITED', () => {
      // Prepare
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 'LIMITED' } });
      // Act
      const verdict = evaluateCheck(anonymousAuthLimited, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: 'LIMITED' }] });
    });

    it('passes on Autopilot with the mode read as a number (LIMITED = 2) like on Standard', () => {
      const cluster = gkeFromWire({
        autopilot: { enabled: true },
        anonymousAuthenticationConfig: { mode: 2 },
      });
      assert.deepEqual(outcome(evaluateCheck(anonymousAuthLimited, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: MODE, value: 2 }],
      });
    });

    it('fails when the mode was never set, which GKE treats as ENABLED', () => {
      const verdict = evaluateCheck(anonymousAuthLimited, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: MODE, value: null }] });
      assert.equal(
        verdict.message,
        'Anonymous requests are authenticated as system:anonymous on every endpoint (mode MODE_UNSPECIFIED).',
      );
    });

    it('fails when the mode is ENABLED', () => {
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 'ENABLED' } });
      assert.deepEqual(outcome(evaluateCheck(anonymousAuthLimited, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: MODE, value: 'ENABLED' }],
      });
    });

    it('is unknown when the mode is a number outside the enum', () => {
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 7 } });
      const verdict = evaluateCheck(anonymousAuthLimited, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: MODE, value: 7 }] });
      assert.match(verdict.message, /^Anonymous authentication mode could not be read: /);
    });
  });

  for (const posture of [eksPosture(), aksPosture()]) {
    describe(`on ${posture.provider.toUpperCase()}, from the anonymous bindings read in-cluster`, () => {
      const VIEWER_EVIDENCE = [
        {
          path: 'clusterrolebindings[name=system:public-info-viewer].roleRef',
          value: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
        },
        {
          path: 'clusterrolebindings[name=system:public-info-viewer].subjects',
          value: [
            { kind: 'Group', name: 'system:authenticated' },
            { kind: 'Group', name: 'system:unauthenticated' },
          ],
        },
      ];
      const viewerRules = (nonResourceURLs: string[], verbs = ['get']) => ({
        path: 'clusterroles[name=system:public-info-viewer].rules',
        value: [{ verbs, resources: [], nonResourceURLs }],
      });
      const DEFAULT_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

      it('passes when only the default public-info-viewer binding, with its default rules, serves anonymous requests', () => {
        // Prepare
        const cluster = withInCluster(posture, defaultRbac());
        // Act
        const verdict = evaluateCheck(anonymousAuthLimited, cluster, ctx);
        // Assess
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [...VIEWER_EVIDENCE, viewerRules(DEFAULT_URLS)],
        });
      });

      it('passes when the public-info-viewer role is not there at all: the binding grants nothing', () => {
        const cluster = withInCluster(posture, { ...defaultRbac(), clusterroles: k8sList([]) });
        assert.deepEqual(outcome(evaluateCheck(anonymousAuthLimited, cluster, ctx)), {
          status: 'pass',
          evidence: VIEWER_EVIDENCE,
        });
      });

      it('fails when the public-info-viewer role grants more than get on the health endpoints', () => {
        const cluster = withInCluster(posture, {
          ...defaultRbac(),
          clusterroles: k8sList([
            {
              metadata: { name: 'system:public-info-viewer' },
              rules: [{ verbs: ['get', 'list'], nonResourceURLs: ['/metrics'] }],
            },
          ]),
        });
        assert.deepEqual(outcome(evaluateCheck(anonymousAuthLimited, cluster, ctx)), {
          status: 'fail',
          evidence: [viewerRules(['/metrics'], ['get', 'list'])],
        });
      });

      it('fails on any other binding of system:anonymous', () => {
        const cluster = withInCluster(posture, {
          ...defaultRbac(),
          rolebindings: k8sList([
            roleBinding('web', 'anon', { kind: 'ClusterRole', name: 'view' }, [user('system:anonymous')]),
          ]),
        });
        assert.deepEqual(outcome(evaluateCheck(anonymousAuthLimited, cluster, ctx)), {
          status: 'fail',
          evidence: [
            { path: 'rolebindings[name=web/anon].roleRef', value: { kind: 'ClusterRole', name: 'view' } },
            {
              path: 'rolebindings[name=web/anon].subjects',
              value: [{ kind: 'User', name: 'system:anonymous' }],
            },
          ],
        });
      });

      it('is unknown when the in-cluster pass is off, or a list it needs was not read', () => {
        const messages = [
          posture,
          withInCluster(posture, without(defaultRbac(), 'clusterrolebindings')),
          withInCluster(posture, without(defaultRbac(), 'rolebindings')),
          withInCluster(posture, without(defaultRbac(), 'clusterroles')),
        ].map((cluster) => {
          const verdict = evaluateCheck(anonymousAuthLimited, cluster, ctx);
          return `${verdict.status}: ${verdict.message}`;
        });
        assert.deepEqual(messages, [
          'unknown: In-cluster data could not be read: the in-cluster pass is off (inCluster.enabled in the configuration)',
          'unknown: The ClusterRoleBindings of the cluster could not be read: clusterrolebindings absent from the in-cluster read',
          'unknown: The RoleBindings of the cluster could not be read: rolebindings absent from the in-cluster read',
          'unknown: The ClusterRoles of the cluster could not be read: clusterroles absent from the in-cluster read',
        ]);
      });
    });
  }
});
