import assert from 'node:assert/strict';
import type { Verdict } from '../../../checks/types.js';
import { standardSupport } from '../../../checks/versions/standardSupport.js';
import { unknown } from '../../../model/observed.js';
import type { SupportPlan } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_VERSION = 'cluster.version';
const GKE_VERSION = 'cluster.currentMasterVersion';
const AKS_VERSION = 'properties.currentKubernetesVersion';
const AKS_PLAN = 'properties.supportPlan';

function eksAt(raw: string) {
  return eksPosture({ version: at(EKS_VERSION, version(raw), raw) });
}

function aksAt(raw: string, plan: SupportPlan, planRaw: string) {
  return aksPosture({
    version: at(AKS_VERSION, version(raw), raw),
    supportPlan: at(AKS_PLAN, plan, planRaw),
  });
}

function graded(verdict: Verdict) {
  return { ...outcome(verdict), severity: verdict.severity };
}

// The calendar is dated 2026-08-22; the context's default day is 2026-11-29.
describe("VER-01 The control plane's minor version is in standard support", () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the minor is in standard support', () => {
      // Prepare
      const cluster = eksAt('1.35');
      // Act
      const verdict = standardSupport.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(graded(verdict), {
        status: 'pass',
        severity: undefined,
        evidence: [{ path: EKS_VERSION, value: '1.35' }],
      });
      assert.equal(verdict.message, 'Kubernetes 1.35 is in standard support until 2027-03-27.');
    });

    it('passes on the last day of standard support and fails the day after', () => {
      assert.equal(
        standardSupport.evaluate(eksAt('1.34'), evalContext({ asOf: '2026-12-02' })).status,
        'pass',
      );
      assert.equal(
        standardSupport.evaluate(eksAt('1.34'), evalContext({ asOf: '2026-12-03' })).status,
        'fail',
      );
    });

    it('fails at the default severity when the minor is on extended support', () => {
      const verdict = standardSupport.evaluate(eksAt('1.33'), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [{ path: EKS_VERSION, value: '1.33' }],
      });
      assert.match(verdict.message, /extended support until 2027-07-29/);
    });

    it('fails as critical when extended support has ended', () => {
      const verdict = standardSupport.evaluate(eksAt('1.31'), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [{ path: EKS_VERSION, value: '1.31' }],
      });
      assert.match(verdict.message, /extended support ended on 2026-11-26/);
    });

    it('reads 1.30 as 1.30, not 1.3: critical past extended support', () => {
      assert.equal(standardSupport.evaluate(eksAt('1.30'), ctx).severity, 'critical');
    });

    it('is unknown for 1.3, which the calendar does not list (1.3 is not 1.30)', () => {
      const verdict = standardSupport.evaluate(eksAt('1.3'), ctx);
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: EKS_VERSION, value: '1.3' }],
          message: 'Kubernetes 1.3 is not in the support calendar dated 2026-08-22.',
        },
      );
    });

    it('is unknown when the version could not be read', () => {
      const cluster = eksPosture({ version: unknown('version absent') });
      assert.equal(standardSupport.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version in standard support', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.35.1-gke.1396000'), '1.35.1-gke.1396000'),
      });
      assert.deepEqual(outcome(standardSupport.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: GKE_VERSION, value: '1.35.1-gke.1396000' }],
      });
    });

    it('fails as critical past standard support, since the calendar lists no extended support', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.33.5-gke.1080000'), '1.33.5-gke.1080000'),
      });
      assert.deepEqual(graded(standardSupport.evaluate(cluster, ctx)), {
        status: 'fail',
        severity: 'critical',
        evidence: [{ path: GKE_VERSION, value: '1.33.5-gke.1080000' }],
      });
    });

    it('is unknown for a minor the calendar does not list', () => {
      const cluster = gkePosture({ version: at(GKE_VERSION, version('1.16.15-gke.1'), '1.16.15-gke.1') });
      assert.equal(standardSupport.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    it('passes when the minor is in standard support', () => {
      assert.equal(
        standardSupport.evaluate(aksAt('1.35.0', 'standard', 'KubernetesOfficial'), ctx).status,
        'pass',
      );
    });

    it('fails at the default severity past community support on the long-term support plan', () => {
      const verdict = standardSupport.evaluate(aksAt('1.33.3', 'extended', 'AKSLongTermSupport'), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          { path: AKS_VERSION, value: '1.33.3' },
          { path: AKS_PLAN, value: 'AKSLongTermSupport' },
        ],
      });
      assert.match(verdict.message, /long-term support until 2027-07-31/);
    });

    it('fails as critical past community support without the long-term support plan', () => {
      const verdict = standardSupport.evaluate(aksAt('1.33.3', 'standard', 'KubernetesOfficial'), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          { path: AKS_VERSION, value: '1.33.3' },
          { path: AKS_PLAN, value: 'KubernetesOfficial' },
        ],
      });
    });

    it('fails as critical past community support when the support plan could not be read', () => {
      const cluster = aksPosture({
        version: at(AKS_VERSION, version('1.33.3'), '1.33.3'),
        supportPlan: unknown('supportPlan malformed', { path: AKS_PLAN, value: 42 }),
      });
      const verdict = standardSupport.evaluate(cluster, ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          { path: AKS_VERSION, value: '1.33.3' },
          { path: AKS_PLAN, value: 42 },
        ],
      });
      assert.match(verdict.message, /support plan could not be read/);
    });

    it('fails as critical for a minor that never had long-term support', () => {
      assert.equal(
        standardSupport.evaluate(aksAt('1.26.6', 'extended', 'AKSLongTermSupport'), ctx).severity,
        'critical',
      );
    });

    it('is unknown when the version could not be read', () => {
      const cluster = aksPosture({ version: unknown('currentKubernetesVersion absent') });
      assert.equal(standardSupport.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
