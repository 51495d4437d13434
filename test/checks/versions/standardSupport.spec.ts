import assert from 'node:assert/strict';
import type { Verdict } from '../../../checks/types.js';
import { standardSupport } from '../../../checks/versions/standardSupport.js';
import { unknown } from '../../../model/observed.js';
import type { LiveVersionSupport, SupportPlan } from '../../../model/posture.js';
import type { VersionSupportWindow } from '../../../model/support.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';
import { AKS_VERSION, EKS_VERSION, eksAt, GKE_VERSION, LIVE, live } from './fixtures.js';

const AKS_PLAN = 'properties.supportPlan';

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

  describe('with live version data from the provider', () => {
    // The live dates differ from the calendar's (1.34 standard support ends there on 2026-12-02).
    const window134: VersionSupportWindow = {
      minorVersion: '1.34',
      releaseDate: '2025-10-06',
      endOfStandardSupport: '2027-01-10',
      endOfExtendedSupport: '2028-01-10',
    };

    it('judges by the live dates and names the API', () => {
      // Prepare
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(window134, '1.36'),
      });
      // Act
      const verdict = standardSupport.evaluate(cluster, evalContext({ asOf: '2026-12-05' }));
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_VERSION, value: '1.34' },
          { path: LIVE, value: { clusterVersion: '1.34', newest: '1.36' } },
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is in standard support until 2027-01-10 (per eks:DescribeClusterVersions).',
      );
    });

    it('fails past the live end of standard support, on extended support until the live date', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(window134, '1.36'),
      });
      const verdict = standardSupport.evaluate(cluster, evalContext({ asOf: '2027-02-01' }));
      assert.deepEqual([verdict.status, verdict.severity], ['fail', undefined]);
      assert.match(verdict.message, /extended support until 2028-01-10 \(per eks:DescribeClusterVersions\)/);
    });

    it('falls back to the calendar, and says so, when the live data lists no window for the version', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.35'), '1.35'),
        versionSupport: live(null, '1.36'),
      });
      const verdict = standardSupport.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_VERSION, value: '1.35' },
          { path: LIVE, value: { clusterVersion: null, newest: '1.36' } },
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.35 is in standard support until 2027-03-27 (eks:DescribeClusterVersions gives no support dates for 1.35; dates from the support calendar dated 2026-08-22).',
      );
    });

    it('does not use a live window of another minor', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.35'), '1.35'),
        versionSupport: live(window134, '1.36'),
      });
      assert.match(
        standardSupport.evaluate(cluster, ctx).message,
        /until 2027-03-27 \(eks:DescribeClusterVersions gives no/,
      );
    });

    it('is unknown when neither the live data nor the calendar lists the version', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.3'), '1.3'),
        versionSupport: live(null, '1.36'),
      });
      const verdict = standardSupport.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message:
            'Kubernetes 1.3 is listed neither by eks:DescribeClusterVersions nor in the support calendar dated 2026-08-22.',
        },
      );
    });

    it('reads a live GKE window for a minor the calendar does not know', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.37.0-gke.100'), '1.37.0-gke.100'),
        versionSupport: at<LiveVersionSupport>(
          'clusterUpgradeInfo',
          {
            window: {
              minorVersion: '1.37',
              releaseDate: '2026-10-01',
              endOfStandardSupport: '2027-12-01',
              endOfExtendedSupport: null,
            },
            newestMinorVersion: '1.37',
            source: 'gke:fetchClusterUpgradeInfo',
          },
          '2027-12-01',
        ),
      });
      const verdict = standardSupport.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_VERSION, value: '1.37.0-gke.100' },
          { path: 'clusterUpgradeInfo', value: '2027-12-01' },
        ],
      });
    });

    it('fails as critical past the live end of standard support without extended support listed', () => {
      const cluster = aksPosture({
        version: at(AKS_VERSION, version('1.34.2'), '1.34.2'),
        versionSupport: at<LiveVersionSupport>(
          'kubernetesVersions',
          {
            window: {
              minorVersion: '1.34',
              releaseDate: '2025-10-01',
              endOfStandardSupport: '2026-11-01',
              endOfExtendedSupport: null,
            },
            newestMinorVersion: '1.35',
            source: 'aks:listKubernetesVersions',
          },
          null,
        ),
      });
      const verdict = standardSupport.evaluate(cluster, ctx);
      assert.deepEqual([verdict.status, verdict.severity], ['fail', 'critical']);
      assert.match(verdict.message, /aks:listKubernetesVersions lists no extended support for it/);
    });
  });
});
