import assert from 'node:assert/strict';
import { workloadIdentity } from '../../../checks/identity/workloadIdentity.js';
import { unknown } from '../../../model/observed.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { at, eksPosture } from '../../fixtures/postures.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const ADDONS = 'addons[].addonName';
const ISSUER = 'cluster.identity.oidc.issuer';
const ISSUER_URL = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000';
const POOL = 'cluster.workloadIdentityConfig.workloadPool';
const AKS_WORKLOAD_ID = 'properties.securityProfile.workloadIdentity.enabled';
const AKS_ISSUER = 'properties.oidcIssuerProfile.enabled';

const OIDC_PROVIDERS_UNREAD = 'iam:ListOpenIDConnectProviders failed: AccessDenied';
const IRSA_PROVIDER_ARN =
  'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000';

/**
 * An EKS cluster with its OIDC issuer, these add-ons installed (ListAddons, DescribeAddon) and the
 * account's IAM OIDC providers (ListOpenIDConnectProviders), not readable unless a test says.
 */
function eksWithAddons(
  names: readonly string[],
  iamOidcProviders: Collected<readonly unknown[]> = missing(OIDC_PROVIDERS_UNREAD),
) {
  return eksFromWire(
    { identity: { oidc: { issuer: ISSUER_URL } } },
    { addons: collected(names.map((addonName) => ({ addonName }))), iamOidcProviders },
  );
}

describe('IAM-01 Pods get cloud credentials through workload identity, not node credentials', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the eks-pod-identity-agent add-on is installed', () => {
      // Prepare
      const installed = ['vpc-cni', 'eks-pod-identity-agent'];
      // Act
      const verdict = evaluateCheck(workloadIdentity, eksWithAddons(installed), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: ADDONS, value: installed }] });
    });

    it('passes without the add-on when an IAM OIDC provider exists for the issuer (IRSA)', () => {
      // Act
      const verdict = evaluateCheck(
        workloadIdentity,
        eksWithAddons(['vpc-cni'], collected([{ Arn: IRSA_PROVIDER_ARN }])),
        ctx,
      );
      // Assess
      assert.equal(verdict.status, 'pass');
      assert.deepEqual(
        verdict.evidence.map((field) => field.path),
        [ADDONS, ISSUER, verdict.evidence[2]?.path],
      );
      assert.equal(verdict.evidence[2]?.value, IRSA_PROVIDER_ARN);
      assert.equal(
        verdict.message,
        `An IAM OIDC provider exists for the cluster issuer ${ISSUER_URL}: pods can get IAM roles through IAM roles for service accounts.`,
      );
    });

    it('passes on an IAM OIDC provider read for the issuer even when the issuer itself is not shown', () => {
      // Prepare: a posture whose provider list was matched although the issuer's own field is unknown.
      const cluster = eksPosture({
        eks: {
          addons: at('addons[].addonName', [], []),
          oidcIssuer: unknown('not read in this test'),
          iamOidcProvider: at('iam.openIDConnectProviders[url=oidc.example]', true, IRSA_PROVIDER_ARN),
        },
      });
      // Act
      const verdict = evaluateCheck(workloadIdentity, cluster, ctx);
      // Assess
      assert.deepEqual(verdict, {
        status: 'pass',
        message:
          'An IAM OIDC provider exists for the cluster issuer: pods can get IAM roles through IAM roles for service accounts.',
        evidence: [
          { path: 'addons[].addonName', value: [] },
          { path: 'iam.openIDConnectProviders[url=oidc.example]', value: IRSA_PROVIDER_ARN },
        ],
      });
    });

    it('fails without the add-on when no IAM OIDC provider exists for the issuer', () => {
      // Act
      const verdict = evaluateCheck(
        workloadIdentity,
        eksWithAddons(
          ['vpc-cni'],
          collected([{ Arn: 'arn:aws:iam::111111111111:oidc-provider/example.com/other' }]),
        ),
        ctx,
      );
      // Assess
      assert.equal(verdict.status, 'fail');
      assert.deepEqual(verdict.evidence.slice(0, 2), [
        { path: ADDONS, value: ['vpc-cni'] },
        { path: ISSUER, value: ISSUER_URL },
      ]);
      assert.equal(
        verdict.message,
        `Pods have no workload identity: the eks-pod-identity-agent add-on is not installed and no IAM OIDC provider exists for the issuer ${ISSUER_URL}, so IAM roles for service accounts cannot be used; they call AWS APIs with the node role.`,
      );
    });

    it('is unknown when no IAM OIDC provider exists but the add-ons could not be read', () => {
      // Act
      const verdict = evaluateCheck(
        workloadIdentity,
        eksFromWire({ identity: { oidc: { issuer: ISSUER_URL } } }, { iamOidcProviders: collected([]) }),
        ctx,
      );
      // Assess
      assert.equal(verdict.status, 'unknown');
      assert.equal(
        verdict.message,
        `Workload identity could not be decided: no IAM OIDC provider exists for the issuer ${ISSUER_URL}, so IAM roles for service accounts cannot be used, and the add-ons could not be read (add-ons not collected).`,
      );
    });

    it('is unknown without the add-on when the IAM OIDC providers could not be read, with the reason', () => {
      const verdict = evaluateCheck(workloadIdentity, eksWithAddons(['vpc-cni']), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: ADDONS, value: ['vpc-cni'] },
          { path: ISSUER, value: ISSUER_URL },
        ],
      });
      assert.equal(
        verdict.message,
        `Workload identity could not be decided: the eks-pod-identity-agent add-on is not installed, and whether an IAM OIDC provider exists for the issuer ${ISSUER_URL} (IAM roles for service accounts) could not be read: ${OIDC_PROVIDERS_UNREAD}`,
      );
    });

    it('is unknown from a snapshot, where add-ons are not exported, saying so', () => {
      const verdict = evaluateCheck(
        workloadIdentity,
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
      const verdict = evaluateCheck(workloadIdentity, eksFromWire({}, { addons: collected([]) }), ctx);
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
      const verdict = evaluateCheck(workloadIdentity, cluster, ctx);
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
      const verdict = evaluateCheck(workloadIdentity, gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: POOL, value: null }] });
    });

    it('is unknown when the pool is malformed', () => {
      const cluster = gkeFromWire({ workloadIdentityConfig: { workloadPool: 12 } });
      assert.deepEqual(outcome(evaluateCheck(workloadIdentity, cluster, ctx)), {
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
      assert.deepEqual(outcome(evaluateCheck(workloadIdentity, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_WORKLOAD_ID, value: true },
          { path: AKS_ISSUER, value: true },
        ],
      });
    });

    it('fails naming both when neither is set, the ARM default', () => {
      const verdict = evaluateCheck(workloadIdentity, aksFromWire({}), ctx);
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
      const verdict = evaluateCheck(
        workloadIdentity,
        aksFromWire({ oidcIssuerProfile: { enabled: true } }),
        ctx,
      );
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
      const verdict = evaluateCheck(workloadIdentity, cluster, ctx);
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
      assert.deepEqual(outcome(evaluateCheck(workloadIdentity, cluster, ctx)), {
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
      assert.deepEqual(outcome(evaluateCheck(workloadIdentity, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: AKS_ISSUER, value: 'yes' },
          { path: AKS_WORKLOAD_ID, value: true },
        ],
      });
    });
  });
});
