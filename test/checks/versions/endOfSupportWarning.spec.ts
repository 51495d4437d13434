import assert from 'node:assert/strict';
import { endOfSupportWarning } from '../../../checks/versions/endOfSupportWarning.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';
import { AKS_VERSION, EKS_VERSION, eksAt, GKE_VERSION, LIVE, live } from './fixtures.js';

describe('VER-02 End of standard support is more than the warning period away', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when standard support ends more than 90 days from now', () => {
      // Prepare
      const cluster = eksAt('1.35');
      // Act
      const verdict = endOfSupportWarning.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: EKS_VERSION, value: '1.35' }],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.35 ends on 2027-03-27, 118 days away.',
      );
    });

    it('fails when standard support ends within the warning period', () => {
      const verdict = endOfSupportWarning.evaluate(eksAt('1.34'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_VERSION, value: '1.34' }],
      });
      assert.match(verdict.message, /in 3 days/);
    });

    it('fails with exactly 90 days left and passes with 91', () => {
      assert.equal(
        endOfSupportWarning.evaluate(eksAt('1.35'), evalContext({ asOf: '2026-12-27' })).status,
        'fail',
      );
      assert.equal(
        endOfSupportWarning.evaluate(eksAt('1.35'), evalContext({ asOf: '2026-12-26' })).status,
        'pass',
      );
    });

    it('fails when standard support has already ended', () => {
      const verdict = endOfSupportWarning.evaluate(eksAt('1.33'), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /ended on 2026-07-29, 123 days ago/);
    });

    it('fails with a longer configured warning period', () => {
      const verdict = endOfSupportWarning.evaluate(
        eksAt('1.35'),
        evalContext({ settings: { eosWarningDays: 180 } }),
      );
      assert.equal(verdict.status, 'fail');
    });

    it('is unknown for a version the calendar does not list', () => {
      const verdict = endOfSupportWarning.evaluate(eksAt('1.3'), ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        { status: 'unknown', message: 'Kubernetes 1.3 is not in the support calendar dated 2026-08-22.' },
      );
    });

    it('is unknown when the version could not be read', () => {
      assert.equal(
        endOfSupportWarning.evaluate(eksPosture({ version: unknown('version absent') }), ctx).status,
        'unknown',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version far from its end of support', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.36.0-gke.1200000'), '1.36.0-gke.1200000'),
      });
      assert.deepEqual(outcome(endOfSupportWarning.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: GKE_VERSION, value: '1.36.0-gke.1200000' }],
      });
    });

    it('fails when standard support has ended', () => {
      const cluster = gkePosture({ version: at(GKE_VERSION, version('1.34.1-gke.1'), '1.34.1-gke.1') });
      assert.equal(endOfSupportWarning.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the version could not be read', () => {
      assert.equal(
        endOfSupportWarning.evaluate(gkePosture({ version: unknown('absent') }), ctx).status,
        'unknown',
      );
    });
  });

  describe('on AKS', () => {
    it('passes when standard support ends more than 90 days from now', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.35.1'), '1.35.1') });
      assert.equal(endOfSupportWarning.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails the day before standard support ends', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.34.2'), '1.34.2') });
      const verdict = endOfSupportWarning.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /in 1 day \(/);
    });

    it('is unknown for a version the calendar does not list', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.19.11'), '1.19.11') });
      assert.equal(endOfSupportWarning.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('with live version data from the provider', () => {
    it('counts the days to the live end of standard support', () => {
      // Prepare
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(
          {
            minorVersion: '1.34',
            releaseDate: '2025-10-06',
            endOfStandardSupport: '2027-06-01',
            endOfExtendedSupport: '2028-06-01',
          },
          '1.36',
        ),
      });
      // Act
      const verdict = endOfSupportWarning.evaluate(cluster, ctx);
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
        'Standard support for Kubernetes 1.34 ends on 2027-06-01, 184 days away (per eks:DescribeClusterVersions).',
      );
    });

    it('falls back to the calendar, and says so, when the live data lists no window', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(null, '1.36'),
      });
      const verdict = endOfSupportWarning.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(
        verdict.message,
        /in 3 days .*gives no support dates for 1\.34; dates from the support calendar/,
      );
    });
  });
});
