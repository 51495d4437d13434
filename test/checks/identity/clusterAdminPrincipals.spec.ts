import assert from 'node:assert/strict';
import {
  clusterAdminPrincipals,
  EKS_CLUSTER_ADMIN_POLICY,
} from '../../../checks/identity/clusterAdminPrincipals.js';
import { unknown } from '../../../model/observed.js';
import type { EksAccessEntry } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksClusterAdmin, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const ENTRIES = 'accessEntries';
const ADMINS = 'accessEntries[policyArn=AmazonEKSClusterAdminPolicy,scope=cluster].principalArn';
const BOOTSTRAP = 'cluster.accessConfig.bootstrapClusterCreatorAdminPermissions';
const ADMIN_GROUPS = 'properties.aadProfile.adminGroupObjectIDs';

const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

function eksWith(entries: readonly EksAccessEntry[], bootstrap = false) {
  return eksPosture({
    eks: {
      accessEntries: at(
        ENTRIES,
        entries,
        entries.map((entry) => entry.principalArn),
      ),
      bootstrapClusterCreatorAdmin: at(BOOTSTRAP, bootstrap),
    },
  });
}

function aksWith(groups: readonly string[]) {
  return aksPosture({ aks: { adminGroupObjectIds: at(ADMIN_GROUPS, groups, [...groups]) } });
}

describe('RBAC-02 Cluster-admin access granted through cloud IAM is limited to a few principals', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with exactly maxClusterAdmins admin entries and lists them in the evidence', () => {
      // Prepare
      const cluster = eksWith([eksClusterAdmin(role('break-glass')), eksClusterAdmin(role('platform'))]);
      // Act
      const verdict = clusterAdminPrincipals.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('break-glass'), role('platform')] },
          { path: ENTRIES, value: [role('break-glass'), role('platform')] },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        '2 IAM principals hold AmazonEKSClusterAdminPolicy at cluster scope (at most 2 allowed).',
      );
    });

    it('fails with one admin entry more than allowed', () => {
      const admins = ['a', 'b', 'c'].map((name) => eksClusterAdmin(role(name)));
      const verdict = clusterAdminPrincipals.evaluate(eksWith(admins), ctx);
      assert.equal(verdict.status, 'fail');
      assert.deepEqual(verdict.evidence[0], { path: ADMINS, value: [role('a'), role('b'), role('c')] });
      assert.match(verdict.message, /more than the 2 allowed/);
    });

    it('counts only the cluster-admin policy at cluster scope', () => {
      // Prepare
      const entries: EksAccessEntry[] = [
        eksClusterAdmin(role('admin')),
        {
          principalArn: role('team-a'),
          policies: [{ policyArn: EKS_CLUSTER_ADMIN_POLICY, scope: 'namespace' }],
        },
        {
          principalArn: role('ops'),
          policies: [
            { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', scope: 'cluster' },
          ],
        },
        { principalArn: role('nodes'), policies: [] },
      ];
      // Act
      const verdict = clusterAdminPrincipals.evaluate(
        eksWith(entries),
        evalContext({ settings: { maxClusterAdmins: 1 } }),
      );
      // Assess
      assert.deepEqual(
        [verdict.status, verdict.evidence[0]],
        ['pass', { path: ADMINS, value: [role('admin')] }],
      );
    });

    it('passes with no admin entry at all', () => {
      assert.equal(clusterAdminPrincipals.evaluate(eksWith([]), ctx).status, 'pass');
    });

    it('follows a configured maximum of zero', () => {
      const verdict = clusterAdminPrincipals.evaluate(
        eksWith([eksClusterAdmin(role('admin'))]),
        evalContext({ settings: { maxClusterAdmins: 0 } }),
      );
      assert.equal(verdict.status, 'fail');
    });

    it('notes when the cluster creator was made cluster-admin at creation', () => {
      const verdict = clusterAdminPrincipals.evaluate(eksWith([eksClusterAdmin(role('creator'))], true), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('creator')] },
          { path: ENTRIES, value: [role('creator')] },
          { path: BOOTSTRAP, value: true },
        ],
      });
      assert.match(verdict.message, /bootstrapClusterCreatorAdminPermissions/);
    });

    it('does not mention the creator when the bootstrap setting could not be read', () => {
      const cluster = eksPosture({
        eks: {
          accessEntries: at(ENTRIES, [eksClusterAdmin(role('admin'))], [role('admin')]),
          bootstrapClusterCreatorAdmin: unknown('accessConfig absent'),
        },
      });
      const verdict = clusterAdminPrincipals.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'pass');
      assert.doesNotMatch(verdict.message, /creator/);
    });

    it('is unknown when the access entries could not be listed', () => {
      const cluster = eksPosture({
        eks: { accessEntries: unknown('ListAccessEntries denied', { path: ENTRIES, value: null }) },
      });
      const verdict = clusterAdminPrincipals.evaluate(cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: ENTRIES, value: null }],
          message: 'Access entries could not be read: ListAccessEntries denied',
        },
      );
    });
  });

  describe('on GKE', () => {
    it('is not applicable: cluster-admin through Google IAM needs an IAM policy review', () => {
      const verdict = clusterAdminPrincipals.evaluate(gkePosture(), ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.match(verdict.message, /IAM policy review/);
      assert.ok('notApplicable' in clusterAdminPrincipals.applies.gke);
    });
  });

  describe('on AKS', () => {
    it('passes with exactly maxClusterAdmins admin groups', () => {
      // Act
      const verdict = clusterAdminPrincipals.evaluate(aksWith(['group-a', 'group-b']), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: ADMIN_GROUPS, value: ['group-a', 'group-b'] }],
      });
    });

    it('fails with more admin groups than allowed', () => {
      const verdict = clusterAdminPrincipals.evaluate(aksWith(['group-a', 'group-b', 'group-c']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: ADMIN_GROUPS, value: ['group-a', 'group-b', 'group-c'] }],
      });
    });

    it('passes without admin groups (no Entra ID: local accounts are AUTH-02)', () => {
      const cluster = aksPosture({ aks: { adminGroupObjectIds: at(ADMIN_GROUPS, [], null) } });
      assert.equal(clusterAdminPrincipals.evaluate(cluster, ctx).status, 'pass');
    });

    it('is unknown when the admin group list is malformed', () => {
      const cluster = aksPosture({
        aks: { adminGroupObjectIds: unknown(`${ADMIN_GROUPS} is a string, expected a list`) },
      });
      assert.equal(clusterAdminPrincipals.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
