import assert from 'node:assert/strict';
import { workloadIdentity } from '../../../checks/identity/workloadIdentity.js';
import { unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const ADDONS = 'addons[].addonName';
const ISSUER = 'cluster.identity.oidc.issuer';
const ISSUER_URL = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE';
const POOL = 'cluster.workloadIdentityConfig.workloadPool';
const AKS_WORKLOAD_ID = 'properties.securityProfile.workloadIdentity.enabled';
const AKS_ISSUER = 'properties.oidcIssuerProfile.enabled';

describe('IAM-01 Pods get cloud credentials through workload identity, not node credentials', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the eks-pod-identity-agent add-on is installed', () => {
      // Prepare
      const installed = ['vpc-cni', 'eks-pod-identity-agent'];
      const cluster = eksPosture({ eks: { addons: at(ADDONS, installed) } });
      // Act
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: ADDONS, value: installed }] });
    });

    it('is unknown without the add-on: whether an IAM OIDC provider exists for the issuer is not read', () => {
      const cluster = eksPosture({
        eks: { addons: at(ADDONS, ['vpc-cni']), oidcIssuer: at(ISSUER, ISSUER_URL) },
      });
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ADDONS, value: ['vpc-cni'] },
          { path: ISSUER, value: ISSUER_URL },
        ],
      });
      assert.match(verdict.message, /IAM OIDC provider exists for the issuer/);
    });

    it('is unknown from a snapshot, where add-ons are not exported', () => {
      const cluster = eksPosture({ eks: { addons: unknown('ListAddons not collected from a snapshot') } });
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'unknown');
      assert.match(verdict.message, /add-ons could not be read \(ListAddons not collected from a snapshot\)/);
    });

    it('is unknown with the reason when the issuer is absent', () => {
      const cluster = eksPosture({
        eks: {
          addons: at(ADDONS, []),
          oidcIssuer: unknown('cluster.identity.oidc.issuer absent from DescribeCluster output'),
        },
      });
      assert.equal(
        workloadIdentity.evaluate(cluster, ctx).message,
        'The cluster OIDC issuer could not be read: cluster.identity.oidc.issuer absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with a workload pool', () => {
      const cluster = gkePosture({ gke: { workloadPool: at(POOL, 'acme.svc.id.goog') } });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: POOL, value: 'acme.svc.id.goog' }],
      });
    });

    it('passes on Autopilot, which always sets the pool', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        gke: { workloadPool: at(POOL, 'acme.svc.id.goog') },
      });
      assert.equal(workloadIdentity.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails without a workload pool', () => {
      const cluster = gkePosture({ gke: { workloadPool: at<string | null>(POOL, null) } });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: POOL, value: null }],
      });
    });

    it('is unknown when the pool could not be read', () => {
      const cluster = gkePosture({
        gke: { workloadPool: unknown(`${POOL} is a number, expected a string`) },
      });
      assert.equal(workloadIdentity.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    it('passes with Workload ID and the OIDC issuer on', () => {
      const cluster = aksPosture({
        aks: { workloadIdentity: at(AKS_WORKLOAD_ID, true), oidcIssuer: at(AKS_ISSUER, true) },
      });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: true },
          { path: AKS_ISSUER, value: true },
        ],
      });
    });

    it('fails when the OIDC issuer is on but Workload ID is off (ARM default)', () => {
      const cluster = aksPosture({
        aks: { workloadIdentity: at(AKS_WORKLOAD_ID, false, null), oidcIssuer: at(AKS_ISSUER, true) },
      });
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /^Microsoft Entra Workload ID is off/);
    });

    it('fails when Workload ID is off even though the issuer could not be read', () => {
      const cluster = aksPosture({
        aks: {
          workloadIdentity: at(AKS_WORKLOAD_ID, false),
          oidcIssuer: unknown('oidcIssuerProfile malformed'),
        },
      });
      assert.equal(workloadIdentity.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when Workload ID is on and the issuer could not be read', () => {
      const cluster = aksPosture({ aks: { oidcIssuer: unknown('oidcIssuerProfile malformed') } });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_WORKLOAD_ID, value: true }],
      });
    });
  });
});
