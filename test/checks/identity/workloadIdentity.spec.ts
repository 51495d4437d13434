import assert from 'node:assert/strict';
import { workloadIdentity } from '../../../checks/identity/workloadIdentity.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { outcome } from '../outcome.js';

const ADDONS = 'addons[].addonName';
const ISSUER = 'cluster.identity.oidc.issuer';
const ISSUER_URL = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000';
const POOL = 'cluster.workloadIdentityConfig.workloadPool';
const AKS_WORKLOAD_ID = 'properties.securityProfile.workloadIdentity.enabled';
const AKS_ISSUER = 'properties.oidcIssuerProfile.enabled';

/** An EKS cluster with its OIDC issuer and these add-ons installed (ListAddons, DescribeAddon). */
function eksWithAddons(names: readonly string[]) {
  return eksFromWire(
    { identity: { oidc: { issuer: ISSUER_URL } } },
    { addons: collected(names.map((addonName) => ({ addonName }))) },
  );
}

describe('IAM-01 Pods get cloud credentials through workload identity, not node credentials', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the eks-pod-identity-agent add-on is installed', () => {
      // Prepare
      const installed = ['vpc-cni', 'eks-pod-identity-agent'];
      // Act
      const verdict = workloadIdentity.evaluate(eksWithAddons(installed), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: ADDONS, value: installed }] });
    });

    it('is unknown without the add-on: whether an IAM OIDC provider exists for the issuer is not read', () => {
      const verdict = workloadIdentity.evaluate(eksWithAddons(['vpc-cni']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ADDONS, value: ['vpc-cni'] },
          { path: ISSUER, value: ISSUER_URL },
        ],
      });
      assert.equal(
        verdict.message,
        `Workload identity could not be decided: the eks-pod-identity-agent add-on is not installed, and whether an IAM OIDC provider exists for the issuer ${ISSUER_URL} (IAM roles for service accounts) is not read.`,
      );
    });

    it('is unknown from a snapshot, where add-ons are not exported, saying so', () => {
      const verdict = workloadIdentity.evaluate(
        eksFromWire({ identity: { oidc: { issuer: ISSUER_URL } } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: ISSUER, value: ISSUER_URL }],
      });
      assert.match(verdict.message, /: the add-ons could not be read \(add-ons not collected\), and whether/);
    });

    it('is unknown with the reason when the issuer is absent', () => {
      const verdict = workloadIdentity.evaluate(eksFromWire({}, { addons: collected([]) }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ISSUER, value: null },
          { path: ADDONS, value: [] },
        ],
      });
      assert.equal(
        verdict.message,
        'The cluster OIDC issuer could not be read: cluster.identity.oidc.issuer absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with a workload pool, naming it', () => {
      const cluster = gkeFromWire({
        workloadIdentityConfig: { workloadPool: 'example-project.svc.id.goog' },
      });
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: POOL, value: 'example-project.svc.id.goog' }],
      });
      assert.equal(
        verdict.message,
        'Workload Identity Federation is on (workload pool example-project.svc.id.goog).',
      );
    });

    it('fails without a workload pool', () => {
      const verdict = workloadIdentity.evaluate(gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: POOL, value: null }] });
    });

    it('is unknown when the pool is malformed', () => {
      const cluster = gkeFromWire({ workloadIdentityConfig: { workloadPool: 12 } });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: POOL, value: 12 }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes with Workload ID and the OIDC issuer on', () => {
      const cluster = aksFromWire({
        securityProfile: { workloadIdentity: { enabled: true } },
        oidcIssuerProfile: { enabled: true },
      });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: true },
          { path: AKS_ISSUER, value: true },
        ],
      });
    });

    it('fails naming both when neither is set, the ARM default', () => {
      const verdict = workloadIdentity.evaluate(aksFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: null },
          { path: AKS_ISSUER, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'Microsoft Entra Workload ID and the OIDC issuer are off: pods reach Azure only with the node identity or secrets.',
      );
    });

    it('fails naming Workload ID when only the OIDC issuer is on', () => {
      const verdict = workloadIdentity.evaluate(aksFromWire({ oidcIssuerProfile: { enabled: true } }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: null },
          { path: AKS_ISSUER, value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'Microsoft Entra Workload ID is off: pods reach Azure only with the node identity or secrets.',
      );
    });

    it('fails naming the OIDC issuer, as a sentence, when Workload ID is on without it', () => {
      const cluster = aksFromWire({ securityProfile: { workloadIdentity: { enabled: true } } });
      const verdict = workloadIdentity.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: true },
          { path: AKS_ISSUER, value: null },
        ],
      });
      assert.equal(
        verdict.message,
        'The OIDC issuer is off: pods reach Azure only with the node identity or secrets.',
      );
    });

    it('fails when Workload ID is off even though the issuer setting is malformed', () => {
      const cluster = aksFromWire({
        securityProfile: { workloadIdentity: { enabled: false } },
        oidcIssuerProfile: { enabled: 'yes' },
      });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: false },
          { path: AKS_ISSUER, value: 'yes' },
        ],
      });
    });

    it('is unknown when Workload ID is on and the issuer setting is malformed', () => {
      const cluster = aksFromWire({
        securityProfile: { workloadIdentity: { enabled: true } },
        oidcIssuerProfile: { enabled: 'yes' },
      });
      assert.deepEqual(outcome(workloadIdentity.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: AKS_ISSUER, value: 'yes' },
          { path: AKS_WORKLOAD_ID, value: true },
        ],
      });
    });
  });
});
