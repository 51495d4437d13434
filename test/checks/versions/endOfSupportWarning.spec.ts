import assert from 'node:assert/strict';
import { endOfSupportWarning } from '../../../checks/versions/endOfSupportWarning.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { aksVersion, calendar, eksLive, eksVersion, gkeLive, gkeNewestOf, gkeVersion } from './fixtures.js';
import { aksWire, eksWire, gkeWire, recordedEksVersions, recordedGkeUpgradeInfo } from './wire.js';

// The calendar is dated 2026-08-22; the context's default day is 2026-11-29.
describe('VER-02 End of standard support is more than the warning period away', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    const window135 = calendar('eks', '1.35', '2027-03-27', '2028-03-27');

    it('passes when standard support ends more than 90 days from now', () => {
      // Prepare
      const cluster = eksWire({ version: '1.35' });
      // Act
      const verdict = evaluateCheck(endOfSupportWarning, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksVersion('1.35'), window135] });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.35 ends on 2027-03-27, 118 days away.',
      );
    });

    it('fails when standard support ends within the warning period', () => {
      const verdict = evaluateCheck(endOfSupportWarning, eksWire({ version: '1.34' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksVersion('1.34'), calendar('eks', '1.34', '2026-12-02', '2027-12-02')],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.34 ends on 2026-12-02, in 3 days (warning period 90 days).',
      );
    });

    it('fails with exactly 90 days left and passes with 91', () => {
      const cluster = eksWire({ version: '1.35' });
      assert.deepEqual(
        outcome(evaluateCheck(endOfSupportWarning, cluster, evalContext({ asOf: '2026-12-27' }))),
        {
          status: 'fail',
          evidence: [eksVersion('1.35'), window135],
        },
      );
      assert.deepEqual(
        outcome(evaluateCheck(endOfSupportWarning, cluster, evalContext({ asOf: '2026-12-26' }))),
        {
          status: 'pass',
          evidence: [eksVersion('1.35'), window135],
        },
      );
    });

    it('fails when standard support has already ended', () => {
      const verdict = evaluateCheck(endOfSupportWarning, eksWire({ version: '1.33' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksVersion('1.33'), calendar('eks', '1.33', '2026-07-29', '2027-07-29')],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.33 ended on 2026-07-29, 123 days ago.',
      );
    });

    it('fails with a longer configured warning period', () => {
      const verdict = evaluateCheck(
        endOfSupportWarning,
        eksWire({ version: '1.35' }),
        evalContext({ settings: { eosWarningDays: 180 } }),
      );
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [eksVersion('1.35'), window135] });
    });

    it('fails for a minor older than every minor of the calendar', () => {
      const verdict = evaluateCheck(endOfSupportWarning, eksWire({ version: '1.17' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksVersion('1.17'), calendar('eks', '1.18', '2022-08-15', null)],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.17 is older than 1.18, the oldest minor in the support calendar dated 2026-08-22: its standard support ended before 2022-08-15.',
      );
    });

    it('is unknown for a minor newer than the calendar knows', () => {
      const verdict = evaluateCheck(endOfSupportWarning, eksWire({ version: '1.99' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [eksVersion('1.99')] });
      assert.equal(verdict.message, 'Kubernetes 1.99 is not in the support calendar dated 2026-08-22.');
    });

    it('is unknown when the version could not be read', () => {
      assert.deepEqual(outcome(evaluateCheck(endOfSupportWarning, eksWire({ version: '' }), ctx)), {
        status: 'unknown',
        evidence: [eksVersion('')],
      });
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version far from its end of support', () => {
      const cluster = gkeWire({ version: '1.36.0-gke.1200000', channel: 'RAPID' });
      assert.deepEqual(outcome(evaluateCheck(endOfSupportWarning, cluster, ctx)), {
        status: 'pass',
        evidence: [gkeVersion('1.36.0-gke.1200000'), calendar('gke', '1.36', '2027-08-09', '2028-06-09')],
      });
    });

    it('fails when standard support has ended', () => {
      const cluster = gkeWire({ version: '1.34.1-gke.1', channel: 'REGULAR' });
      assert.deepEqual(outcome(evaluateCheck(endOfSupportWarning, cluster, ctx)), {
        status: 'fail',
        evidence: [gkeVersion('1.34.1-gke.1'), calendar('gke', '1.34', '2026-10-01', '2027-09-30')],
      });
    });

    it('counts the days to the live end of standard support, which differs from the calendar', () => {
      const cluster = gkeWire({
        version: '1.34.1-gke.1',
        channel: 'EXTENDED',
        upgradeInfo: recordedGkeUpgradeInfo('1.34'),
      });
      const verdict = evaluateCheck(endOfSupportWarning, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          gkeVersion('1.34.1-gke.1'),
          ...gkeLive('2026-10-08', '2027-10-06'),
          gkeNewestOf('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.34 ended on 2026-10-08, 52 days ago (per gke:fetchClusterUpgradeInfo).',
      );
    });
  });

  describe('on AKS', () => {
    it('passes when standard support ends more than 90 days from now', () => {
      assert.deepEqual(outcome(evaluateCheck(endOfSupportWarning, aksWire({ version: '1.35.1' }), ctx)), {
        status: 'pass',
        evidence: [aksVersion('1.35.1'), calendar('aks', '1.35', '2027-03-31', '2028-03-31')],
      });
    });

    it('fails the day before standard support ends', () => {
      const verdict = evaluateCheck(endOfSupportWarning, aksWire({ version: '1.34.2' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [aksVersion('1.34.2'), calendar('aks', '1.34', '2026-11-30', '2027-11-30')],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.34 ends on 2026-11-30, in 1 day (warning period 90 days).',
      );
    });

    it('fails for 1.19, older than every minor of the calendar', () => {
      assert.deepEqual(outcome(evaluateCheck(endOfSupportWarning, aksWire({ version: '1.19.11' }), ctx)), {
        status: 'fail',
        evidence: [aksVersion('1.19.11'), calendar('aks', '1.21', '2022-07-31', null)],
      });
    });
  });

  describe('with live version data from DescribeClusterVersions', () => {
    it('counts the days to the live end of standard support, which differs from the calendar', () => {
      // Prepare: the calendar ends 1.34 standard support on 2026-12-02, the live data on 2026-12-09.
      const cluster = eksWire({ version: '1.34', clusterVersions: recordedEksVersions() });
      // Act
      const verdict = evaluateCheck(endOfSupportWarning, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          eksVersion('1.34'),
          ...eksLive(
            {
              minorVersion: '1.34',
              releaseDate: '2025-10-08',
              endOfStandardSupport: '2026-12-09',
              endOfExtendedSupport: '2027-12-09',
            },
            '1.36',
          ),
        ],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.34 ends on 2026-12-09, in 10 days (warning period 90 days) (per eks:DescribeClusterVersions).',
      );
    });

    it('falls back to the calendar, and says so, when the live data lists no window', () => {
      const without134 = recordedEksVersions().filter(
        (entry) => (entry as { clusterVersion?: string }).clusterVersion !== '1.34',
      );
      const verdict = evaluateCheck(
        endOfSupportWarning,
        eksWire({ version: '1.34', clusterVersions: without134 }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          eksVersion('1.34'),
          ...eksLive(null, '1.36', '1.34'),
          calendar('eks', '1.34', '2026-12-02', '2027-12-02'),
        ],
      });
      assert.equal(
        verdict.message,
        'Standard support for Kubernetes 1.34 ends on 2026-12-02, in 3 days (warning period 90 days) (eks:DescribeClusterVersions gives no support dates for 1.34; dates from the support calendar dated 2026-08-22).',
      );
    });
  });
});
