import assert from 'node:assert/strict';
import { anonymousBindings } from '../../../checks/identity/anonymousBindings.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { outcome } from '../outcome.js';

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
      const verdict = anonymousBindings.evaluate(cluster, ctx);
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
        'GKE rejects new bindings to system:anonymous, system:unauthenticated and system:authenticated, but bindings made before that stay: they need an in-cluster read of ClusterRoleBindings and RoleBindings, which is not made.',
      );
    });

    it('fails when rbacBindingConfig is unset, which leaves both kinds of binding allowed', () => {
      const verdict = anonymousBindings.evaluate(gkeFromWire({}), ctx);
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
      const verdict = anonymousBindings.evaluate(cluster, ctx);
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
      const verdict = anonymousBindings.evaluate(cluster, ctx);
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
      assert.deepEqual(outcome(anonymousBindings.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: UNAUTHENTICATED, value: 'false' }],
      });
    });
  });

  it('is unknown on EKS and AKS, where only an in-cluster read of the bindings can decide', () => {
    for (const cluster of [eksFromWire({}), aksFromWire({})]) {
      const verdict = anonymousBindings.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
          message:
            'The bindings of the cluster: needs in-cluster read of ClusterRoleBindings and RoleBindings, which is not read.',
        },
      );
    }
  });
});
