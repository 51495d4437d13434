import assert from 'node:assert/strict';
import { anonymousBindings } from '../../../checks/identity/anonymousBindings.js';
import { known, unknown } from '../../../model/observed.js';
import type { InsecureRbacBindings } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const UNAUTHENTICATED = 'cluster.rbacBindingConfig.enableInsecureBindingSystemUnauthenticated';
const AUTHENTICATED = 'cluster.rbacBindingConfig.enableInsecureBindingSystemAuthenticated';

function bindings(
  value: InsecureRbacBindings,
  unauthenticatedRaw: boolean | null,
  authenticatedRaw: boolean | null,
) {
  return known(
    value,
    { path: UNAUTHENTICATED, value: unauthenticatedRaw },
    { path: AUTHENTICATED, value: authenticatedRaw },
  );
}

describe('RBAC-03 No RoleBinding grants rights to anonymous or unauthenticated users', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when GKE rejects bindings to both groups, and says existing bindings are not read', () => {
      // Prepare
      const cluster = gkePosture({
        gke: {
          insecureRbacBindings: bindings({ unauthenticated: false, authenticated: false }, false, false),
        },
      });
      // Act
      const verdict = anonymousBindings.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: UNAUTHENTICATED, value: false },
          { path: AUTHENTICATED, value: false },
        ],
      });
      assert.match(verdict.message, /bindings created before that are not read/);
    });

    it('fails when rbacBindingConfig is unset, which leaves the bindings allowed', () => {
      const cluster = gkePosture({
        gke: { insecureRbacBindings: bindings({ unauthenticated: true, authenticated: true }, null, null) },
      });
      const verdict = anonymousBindings.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: UNAUTHENTICATED, value: null },
          { path: AUTHENTICATED, value: null },
        ],
      });
      assert.match(verdict.message, /system:anonymous and system:unauthenticated and system:authenticated/);
    });

    it('fails when only system:authenticated bindings are allowed: any Google account is in it', () => {
      const cluster = gkePosture({
        gke: { insecureRbacBindings: bindings({ unauthenticated: false, authenticated: true }, false, null) },
      });
      assert.equal(anonymousBindings.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when rbacBindingConfig could not be read', () => {
      const cluster = gkePosture({
        gke: { insecureRbacBindings: unknown('cluster.rbacBindingConfig is a list, expected an object') },
      });
      assert.deepEqual(outcome(anonymousBindings.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [],
      });
    });
  });

  it('is unknown on EKS and AKS, where only an in-cluster read of the bindings can decide', () => {
    for (const cluster of [eksPosture(), aksPosture()]) {
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
