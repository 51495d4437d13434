import assert from 'node:assert/strict';
import { paidExtendedSupport } from '../../../checks/versions/paidExtendedSupport.js';
import { unknown } from '../../../model/observed.js';
import type { SupportPlan } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_VERSION = 'cluster.version';
const EKS_PLAN = 'cluster.upgradePolicy.supportType';
const GKE_VERSION = 'cluster.currentMasterVersion';
const GKE_CHANNEL = 'cluster.releaseChannel.channel';
const AKS_PLAN = 'properties.supportPlan';
const EKS_COST = [
  { path: 'pricing.eksExtendedSupport.extraUsdPerClusterHour', value: 0.5 },
  { path: 'pricing.eksExtendedSupport.extraUsdPerYear', value: 4380 },
];

function eks(raw: string, plan: SupportPlan | undefined, planRaw: string) {
  return eksPosture({
    version: at(EKS_VERSION, version(raw), raw),
    supportPlan:
      plan === undefined
        ? unknown(`${EKS_PLAN} absent from DescribeCluster output`)
        : at(EKS_PLAN, plan, planRaw),
  });
}

function gke(raw: string, plan: SupportPlan, channel: string) {
  return gkePosture({
    version: at(GKE_VERSION, version(raw), raw),
    supportPlan: at(GKE_CHANNEL, plan, channel),
  });
}

// The context's default day is 2026-11-29: EKS 1.33 and GKE 1.31 are past standard support then.
describe('VER-04 The cluster does not run on paid extended or long-term support', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes in standard support under the STANDARD upgrade policy', () => {
      // Prepare
      const cluster = eks('1.35', 'standard', 'STANDARD');
      // Act
      const verdict = paidExtendedSupport.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_VERSION, value: '1.35' },
          { path: EKS_PLAN, value: 'STANDARD' },
        ],
      });
    });

    it('fails under the EXTENDED upgrade policy, with the extra cost in the evidence', () => {
      const verdict = paidExtendedSupport.evaluate(eks('1.35', 'extended', 'EXTENDED'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_PLAN, value: 'EXTENDED' }, { path: EKS_VERSION, value: '1.35' }, ...EKS_COST],
      });
      assert.equal(
        verdict.message,
        'The cluster is enrolled in the EXTENDED upgrade policy (upgradePolicy.supportType): it applies from 2027-03-27, when standard support for Kubernetes 1.35 ends. Extended support costs 0.50 USD per cluster-hour more than standard support, 4,380 USD a year.',
      );
    });

    it('says a cluster past standard support under EXTENDED is billed now', () => {
      const verdict = paidExtendedSupport.evaluate(eks('1.33', 'extended', 'EXTENDED'), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(
        verdict.message,
        /Kubernetes 1\.33 left standard support on \d{4}-\d{2}-\d{2}, so it runs on it now\./,
      );
    });

    it('fails past the end of standard support even when the policy could not be read', () => {
      const verdict = paidExtendedSupport.evaluate(eks('1.33', undefined, ''), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_VERSION, value: '1.33' }, ...EKS_COST],
      });
      assert.match(verdict.message, /^Kubernetes 1\.33 left standard support on /);
    });

    it('is unknown in standard support when the policy could not be read', () => {
      const verdict = paidExtendedSupport.evaluate(eks('1.35', undefined, ''), ctx);
      assert.equal(verdict.status, 'unknown');
      assert.match(verdict.message, /upgradePolicy\.supportType absent from DescribeCluster output/);
    });

    it('is unknown for a version the support data does not know', () => {
      assert.equal(paidExtendedSupport.evaluate(eks('1.99', 'standard', 'STANDARD'), ctx).status, 'unknown');
    });
  });

  describe('on GKE', () => {
    it('passes on a standard channel in standard support', () => {
      assert.equal(
        paidExtendedSupport.evaluate(gke('1.35.1-gke.1', 'standard', 'REGULAR'), ctx).status,
        'pass',
      );
    });

    it('fails on the Extended channel, without an EKS price', () => {
      const verdict = paidExtendedSupport.evaluate(gke('1.35.1-gke.1', 'extended', 'EXTENDED'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_CHANNEL, value: 'EXTENDED' },
          { path: GKE_VERSION, value: '1.35.1-gke.1' },
        ],
      });
    });

    it('fails past the end of standard support', () => {
      assert.equal(
        paidExtendedSupport.evaluate(gke('1.31.9-gke.1', 'standard', 'STABLE'), ctx).status,
        'fail',
      );
    });

    it('is unknown when the version could not be read', () => {
      const cluster = gkePosture({ version: unknown('cluster.currentMasterVersion absent') });
      assert.equal(paidExtendedSupport.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    it('passes on the KubernetesOfficial plan, even past community support (VER-01 covers that)', () => {
      const cluster = aksPosture({
        version: at('properties.currentKubernetesVersion', version('1.33.2'), '1.33.2'),
        supportPlan: at<SupportPlan>(AKS_PLAN, 'standard', null),
      });
      assert.deepEqual(outcome(paidExtendedSupport.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AKS_PLAN, value: null }],
      });
    });

    it('fails on long-term support', () => {
      const cluster = aksPosture({
        supportPlan: at<SupportPlan>(AKS_PLAN, 'extended', 'AKSLongTermSupport'),
      });
      assert.deepEqual(outcome(paidExtendedSupport.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AKS_PLAN, value: 'AKSLongTermSupport' }],
      });
    });

    it('is unknown when the plan could not be read', () => {
      const cluster = aksPosture({ supportPlan: unknown('properties.supportPlan is a number') });
      assert.equal(paidExtendedSupport.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
