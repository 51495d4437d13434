import assert from 'node:assert/strict';
import {
  clusterAdminPrincipals,
  EKS_CLUSTER_ADMIN_POLICY,
} from '../../../checks/identity/clusterAdminPrincipals.js';
import type { EksAuthenticationMode, EksClusterPosture } from '../../../model/posture.js';
import type { EksAccessEntryCollected } from '../../../providers/aws/normalise.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { gkePosture } from '../../fixtures/postures.js';
import { aksFromWire, eksFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const MODE = 'cluster.accessConfig.authenticationMode';
const BOOTSTRAP = 'cluster.accessConfig.bootstrapClusterCreatorAdminPermissions';
const ADMINS = 'accessEntries[policyArn=AmazonEKSClusterAdminPolicy,scope=cluster].principalArn';
const ADMIN_GROUPS = 'properties.aadProfile.adminGroupObjectIDs';
const VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const ADMIN_POLICY_ALIKE = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy';

const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const policiesPath = (principal: string) =>
  `accessEntries[principalArn=${principal}].associatedAccessPolicies`;

/** A ListAssociatedAccessPolicies entry in the API's wire shape. */
function association(policyArn: string, type: 'cluster' | 'namespace' = 'cluster') {
  return { policyArn, accessScope: type === 'cluster' ? { type } : { type, namespaces: ['team-a'] } };
}

/** What the collector hands over for one access entry: its principal and its associated policies. */
function entry(principal: string, ...policies: ReturnType<typeof association>[]): EksAccessEntryCollected {
  return { principalArn: principal, associatedAccessPolicies: collected(policies) };
}

const admin = (principal: string) => entry(principal, association(EKS_CLUSTER_ADMIN_POLICY));

/** The evidence the normaliser gives for one entry: the raw policies ListAssociatedAccessPolicies returned. */
function entryEvidence(principal: string, ...policies: ReturnType<typeof association>[]) {
  return { path: policiesPath(principal), value: policies };
}

const adminEvidence = (principal: string) => entryEvidence(principal, association(EKS_CLUSTER_ADMIN_POLICY));

/** An EKS posture as a scan builds it, from DescribeCluster's accessConfig and the access entry calls. */
function eksCluster(options: {
  mode?: EksAuthenticationMode;
  bootstrap?: boolean;
  accessEntries: Collected<readonly EksAccessEntryCollected[]>;
}): EksClusterPosture {
  const accessConfig = {
    ...(options.mode === undefined ? {} : { authenticationMode: options.mode }),
    ...(options.bootstrap === undefined
      ? {}
      : { bootstrapClusterCreatorAdminPermissions: options.bootstrap }),
  };
  return eksFromWire({ accessConfig }, { accessEntries: options.accessEntries });
}

const ENTRA_MANAGED = 'properties.aadProfile.managed';

/** An AKS posture from an ARM managed cluster with managed Entra ID and these admin groups. */
function aksWith(groups: unknown) {
  return aksFromWire({ aadProfile: { managed: true, adminGroupObjectIDs: groups } });
}

describe('RBAC-02 Cluster-admin access granted through cloud IAM is limited to a few principals', () => {
  const ctx = evalContext();

  describe('on EKS with access entries only (authenticationMode API)', () => {
    it('passes with exactly maxClusterAdmins admin entries and lists them in the evidence', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: false,
        accessEntries: collected([admin(role('break-glass')), admin(role('platform'))]),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('break-glass'), role('platform')] },
          adminEvidence(role('break-glass')),
          adminEvidence(role('platform')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        '2 IAM principals hold AmazonEKSClusterAdminPolicy at cluster scope (at most 2 allowed).',
      );
    });

    it('fails with one admin entry more than allowed', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: false,
        accessEntries: collected(['a', 'b', 'c'].map((name) => admin(role(name)))),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: ADMINS, value: [role('a'), role('b'), role('c')] },
          adminEvidence(role('a')),
          adminEvidence(role('b')),
          adminEvidence(role('c')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.match(verdict.message, /more than the 2 allowed/);
    });

    it('counts only the cluster-admin policy at cluster scope', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: false,
        accessEntries: collected([
          admin(role('admin')),
          entry(role('team-a'), association(EKS_CLUSTER_ADMIN_POLICY, 'namespace')),
          entry(role('ops'), association(ADMIN_POLICY_ALIKE)),
          entry(role('viewers'), association(VIEW_POLICY)),
          entry(role('nodes')),
        ]),
      });
      // Act
      const verdict = evaluateCheck(
        clusterAdminPrincipals,
        cluster,
        evalContext({ settings: { maxClusterAdmins: 1 } }),
      );
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('admin')] },
          adminEvidence(role('admin')),
          entryEvidence(role('team-a'), association(EKS_CLUSTER_ADMIN_POLICY, 'namespace')),
          entryEvidence(role('ops'), association(ADMIN_POLICY_ALIKE)),
          entryEvidence(role('viewers'), association(VIEW_POLICY)),
          entryEvidence(role('nodes')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: false },
        ],
      });
    });

    it('passes with no access entry at all', () => {
      const verdict = evaluateCheck(
        clusterAdminPrincipals,
        eksCluster({ mode: 'API', bootstrap: false, accessEntries: collected([]) }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [] },
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.match(verdict.message, /^0 IAM principals hold/);
    });

    it('follows a configured maximum of zero', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: false,
        accessEntries: collected([admin(role('a'))]),
      });
      // Act
      const verdict = evaluateCheck(
        clusterAdminPrincipals,
        cluster,
        evalContext({ settings: { maxClusterAdmins: 0 } }),
      );
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: ADMINS, value: [role('a')] },
          adminEvidence(role('a')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        '1 IAM principal holds AmazonEKSClusterAdminPolicy at cluster scope, more than the 0 allowed.',
      );
    });

    it('notes when the cluster creator was made cluster-admin at creation', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: true,
        accessEntries: collected([admin(role('creator'))]),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('creator')] },
          adminEvidence(role('creator')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: true },
        ],
      });
      assert.match(verdict.message, /bootstrapClusterCreatorAdminPermissions/);
    });

    it('does not mention the creator when the bootstrap setting could not be read', () => {
      // Prepare: an export from before bootstrapClusterCreatorAdminPermissions existed.
      const cluster = eksCluster({ mode: 'API', accessEntries: collected([admin(role('admin'))]) });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: ADMINS, value: [role('admin')] },
          adminEvidence(role('admin')),
          { path: MODE, value: 'API' },
          { path: BOOTSTRAP, value: null },
        ],
      });
      assert.doesNotMatch(verdict.message, /creator/);
    });

    it('is unknown when the access entries could not be listed', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API',
        bootstrap: false,
        accessEntries: missing('eks:ListAccessEntries failed: AccessDeniedException'),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
          message: 'Access entries could not be read: eks:ListAccessEntries failed: AccessDeniedException',
        },
      );
    });
  });

  describe('on EKS authenticating through the aws-auth ConfigMap only (CONFIG_MAP)', () => {
    it('is unknown, not a pass on an empty list, naming the in-cluster checks and the hidden creator', () => {
      // Prepare: what the collector handed over before it stopped listing nothing for CONFIG_MAP clusters.
      const cluster = eksCluster({ mode: 'CONFIG_MAP', bootstrap: true, accessEntries: collected([]) });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: MODE, value: 'CONFIG_MAP' },
          { path: BOOTSTRAP, value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'Cluster-admin holders cannot be counted through the EKS API: the cluster authenticates through the aws-auth ConfigMap only (authenticationMode CONFIG_MAP), which may map any IAM role or user into system:masters. The in-cluster checks RBAC-05 (aws-auth maps no one into system:masters) and RBAC-04 (cluster-admin bindings) decide it, with in-cluster read access. The IAM principal that created the cluster also holds system:masters, which no configuration shows (bootstrapClusterCreatorAdminPermissions).',
      );
    });

    it('is unknown the same way for a describe-cluster export, which lacks the bootstrap flag when old', () => {
      const cluster = eksCluster({
        mode: 'CONFIG_MAP',
        accessEntries: missing('access entries are not part of `aws eks describe-cluster` output'),
      });
      assert.deepEqual(outcome(evaluateCheck(clusterAdminPrincipals, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: MODE, value: 'CONFIG_MAP' },
          { path: BOOTSTRAP, value: null },
        ],
      });
    });
  });

  describe('on EKS with access entries and the aws-auth ConfigMap (API_AND_CONFIG_MAP)', () => {
    it('is unknown when the entries are within the limit: aws-auth may add more admins', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API_AND_CONFIG_MAP',
        bootstrap: false,
        accessEntries: collected([admin(role('platform'))]),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ADMINS, value: [role('platform')] },
          adminEvidence(role('platform')),
          { path: MODE, value: 'API_AND_CONFIG_MAP' },
          { path: BOOTSTRAP, value: false },
        ],
      });
      assert.equal(
        verdict.message,
        '1 IAM principal holds AmazonEKSClusterAdminPolicy at cluster scope (at most 2 allowed), but the cluster also authenticates through the aws-auth ConfigMap (authenticationMode API_AND_CONFIG_MAP), which may map more into system:masters: the in-cluster checks RBAC-05 and RBAC-04 decide it, with in-cluster read access.',
      );
    });

    it('fails when the access entries alone exceed the limit', () => {
      // Prepare
      const cluster = eksCluster({
        mode: 'API_AND_CONFIG_MAP',
        bootstrap: true,
        accessEntries: collected(['a', 'b', 'c'].map((name) => admin(role(name)))),
      });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: ADMINS, value: [role('a'), role('b'), role('c')] },
          adminEvidence(role('a')),
          adminEvidence(role('b')),
          adminEvidence(role('c')),
          { path: MODE, value: 'API_AND_CONFIG_MAP' },
          { path: BOOTSTRAP, value: true },
        ],
      });
      assert.match(verdict.message, /more than the 2 allowed/);
    });
  });

  describe('on EKS whose authentication mode could not be read', () => {
    it('is unknown within the limit, since the aws-auth ConfigMap may grant more', () => {
      // Prepare: an export from before access entries, which has no accessConfig.authenticationMode.
      const cluster = eksCluster({ accessEntries: collected([admin(role('platform'))]) });
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ADMINS, value: [role('platform')] },
          adminEvidence(role('platform')),
          { path: MODE, value: null },
          { path: BOOTSTRAP, value: null },
        ],
      });
      assert.match(
        verdict.message,
        /the authentication mode could not be read \(cluster\.accessConfig\.authenticationMode absent from DescribeCluster output\), so the aws-auth ConfigMap may map more into system:masters/,
      );
    });
  });

  describe('on GKE', () => {
    it('is not applicable: cluster-admin through Google IAM needs an IAM policy review', () => {
      const verdict = evaluateCheck(clusterAdminPrincipals, gkePosture(), ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.match(verdict.message, /IAM policy review/);
      assert.ok('notApplicable' in clusterAdminPrincipals.providers.gke);
    });
  });

  describe('on AKS', () => {
    it('passes with exactly maxClusterAdmins admin groups', () => {
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, aksWith(['group-a', 'group-b']), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: ADMIN_GROUPS, value: ['group-a', 'group-b'] }],
      });
    });

    it('fails with more admin groups than allowed', () => {
      const verdict = evaluateCheck(clusterAdminPrincipals, aksWith(['group-a', 'group-b', 'group-c']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: ADMIN_GROUPS, value: ['group-a', 'group-b', 'group-c'] }],
      });
    });

    it('passes with one admin group, in the singular', () => {
      const verdict = evaluateCheck(clusterAdminPrincipals, aksWith(['group-a']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: ADMIN_GROUPS, value: ['group-a'] }],
      });
      assert.match(verdict.message, /^1 Entra ID group is cluster-admin/);
    });

    it('passes with managed Entra ID and no admin group named', () => {
      const verdict = evaluateCheck(clusterAdminPrincipals, aksWith(null), ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: ADMIN_GROUPS, value: null }] });
    });

    it('is not applicable, not a pass on "0 groups", without managed Entra ID: admin access is the local account', () => {
      // Prepare: no aadProfile at all, as ARM returns a cluster without Entra ID
      const cluster = aksFromWire({});
      // Act
      const verdict = evaluateCheck(clusterAdminPrincipals, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'not_applicable',
        evidence: [{ path: ENTRA_MANAGED, value: null }],
      });
      assert.match(verdict.message, /AUTH-02/);
    });

    it('is unknown when the Entra ID integration cannot be read', () => {
      const cluster = aksFromWire({ aadProfile: { managed: 'yes', adminGroupObjectIDs: ['group-a'] } });
      assert.deepEqual(outcome(evaluateCheck(clusterAdminPrincipals, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: ENTRA_MANAGED, value: 'yes' }],
      });
    });

    it('is unknown when the admin group list is malformed', () => {
      const verdict = evaluateCheck(clusterAdminPrincipals, aksWith('group-a'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: ADMIN_GROUPS, value: 'group-a' }],
      });
    });
  });
});
