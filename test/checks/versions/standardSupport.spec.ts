import assert from 'node:assert/strict';
import type { EvalContext, Verdict } from '../../../checks/types.js';
import { standardSupport } from '../../../checks/versions/standardSupport.js';
import { SUPPORT_CALENDAR } from '../../../engine/versions/calendar.js';
import { unknown } from '../../../model/observed.js';
import type { VersionSupportWindow } from '../../../model/support.js';
import { evalContext } from '../../fixtures/context.js';
import { eksPosture } from '../../fixtures/postures.js';
import { evaluateCheck } from '../outcome.js';
import {
  aksPlan,
  aksVersion,
  calendar,
  eksLive,
  eksPolicy,
  eksVersion,
  gkeChannel,
  gkeLive,
  gkeNewestOf,
  gkeVersion,
} from './fixtures.js';
import { aksWire, eksWire, gkeWire, recordedEksVersions, recordedGkeUpgradeInfo } from './wire.js';

/** Status, severity and evidence: the parts of a VER-01 verdict a test compares whole. */
function graded(verdict: Verdict) {
  return { status: verdict.status, severity: verdict.severity, evidence: verdict.evidence };
}

// The calendar is dated 2026-08-22; the context's default day is 2026-11-29.
describe("VER-01 The control plane's minor version is in standard support", () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the minor is in standard support', () => {
      // Prepare
      const cluster = eksWire({ version: '1.35', supportType: 'STANDARD' });
      // Act
      const verdict = evaluateCheck(standardSupport, cluster, ctx);
      // Assess
      assert.deepEqual(graded(verdict), {
        status: 'pass',
        severity: undefined,
        evidence: [eksVersion('1.35'), calendar('eks', '1.35', '2027-03-27', '2028-03-27')],
      });
      assert.equal(verdict.message, 'Kubernetes 1.35 is in standard support until 2027-03-27.');
    });

    it('passes on the last day of standard support and fails the day after', () => {
      const cluster = eksWire({ version: '1.34', supportType: 'EXTENDED' });
      const window = calendar('eks', '1.34', '2026-12-02', '2027-12-02');
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, evalContext({ asOf: '2026-12-02' }))), {
        status: 'pass',
        severity: undefined,
        evidence: [eksVersion('1.34'), window],
      });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, evalContext({ asOf: '2026-12-03' }))), {
        status: 'fail',
        severity: undefined,
        evidence: [eksVersion('1.34'), window, eksPolicy('EXTENDED')],
      });
    });

    it('fails at the default severity on extended support under the EXTENDED policy', () => {
      const verdict = evaluateCheck(
        standardSupport,
        eksWire({ version: '1.33', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          eksVersion('1.33'),
          calendar('eks', '1.33', '2026-07-29', '2027-07-29'),
          eksPolicy('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-07-29; it runs on paid extended support (upgrade policy EXTENDED) until 2027-07-29.',
      );
    });

    it('fails as critical past standard support under the STANDARD policy, which gets no extended support', () => {
      const verdict = evaluateCheck(
        standardSupport,
        eksWire({ version: '1.33', supportType: 'STANDARD' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          eksVersion('1.33'),
          calendar('eks', '1.33', '2026-07-29', '2027-07-29'),
          eksPolicy('STANDARD'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-07-29; the upgrade policy is STANDARD, so it gets no extended support and EKS upgrades it automatically.',
      );
    });

    it('fails at the default severity, not critical, past standard support when the upgrade policy is not in the export', () => {
      const verdict = evaluateCheck(standardSupport, eksWire({ version: '1.33' }), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [eksVersion('1.33'), calendar('eks', '1.33', '2026-07-29', '2027-07-29'), eksPolicy(null)],
      });
    });

    it('fails as critical when extended support has ended', () => {
      const verdict = evaluateCheck(
        standardSupport,
        eksWire({ version: '1.31', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          eksVersion('1.31'),
          calendar('eks', '1.31', '2025-11-26', '2026-11-26'),
          eksPolicy('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.31 left standard support on 2025-11-26 and extended support ended on 2026-11-26.',
      );
    });

    it('fails as critical for a minor older than every minor of the calendar: it is past every support window', () => {
      const verdict = evaluateCheck(
        standardSupport,
        eksWire({ version: '1.17', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [eksVersion('1.17'), calendar('eks', '1.18', '2022-08-15', null)],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.17 is older than 1.18, the oldest minor in the support calendar dated 2026-08-22: it is past every support window.',
      );
    });

    it('reads 1.30 as 1.30 and 1.3 as 1.3: one in standard support in 2025, the other older than the calendar', () => {
      const day = evalContext({ asOf: '2025-01-01' });
      assert.deepEqual(graded(evaluateCheck(standardSupport, eksWire({ version: '1.30' }), day)), {
        status: 'pass',
        severity: undefined,
        evidence: [eksVersion('1.30'), calendar('eks', '1.30', '2025-07-23', '2026-07-23')],
      });
      assert.deepEqual(graded(evaluateCheck(standardSupport, eksWire({ version: '1.3' }), day)), {
        status: 'fail',
        severity: 'critical',
        evidence: [eksVersion('1.3'), calendar('eks', '1.18', '2022-08-15', null)],
      });
    });

    it('is unknown for a minor newer than the calendar knows', () => {
      const verdict = evaluateCheck(
        standardSupport,
        eksWire({ version: '1.99', supportType: 'STANDARD' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'unknown',
        severity: undefined,
        evidence: [eksVersion('1.99')],
      });
      assert.equal(verdict.message, 'Kubernetes 1.99 is not in the support calendar dated 2026-08-22.');
    });

    it('is unknown when the version could not be read', () => {
      const cluster = eksPosture({ version: unknown('version absent', eksVersion('')) });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, ctx)), {
        status: 'unknown',
        severity: undefined,
        evidence: [eksVersion('')],
      });
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version in standard support', () => {
      const cluster = gkeWire({ version: '1.35.1-gke.1396000', channel: 'REGULAR' });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, ctx)), {
        status: 'pass',
        severity: undefined,
        evidence: [gkeVersion('1.35.1-gke.1396000'), calendar('gke', '1.35', '2027-04-11', '2028-02-11')],
      });
    });

    it('fails at the default severity on the Extended channel past standard support, within extended support', () => {
      // Prepare
      const cluster = gkeWire({ version: '1.33.5-gke.1080000', channel: 'EXTENDED' });
      // Act
      const verdict = evaluateCheck(standardSupport, cluster, ctx);
      // Assess
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          gkeVersion('1.33.5-gke.1080000'),
          calendar('gke', '1.33', '2026-08-03', '2027-06-03'),
          gkeChannel('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-08-03; it runs on extended support on the Extended channel until 2027-06-03.',
      );
    });

    it('reads the Extended channel given as its proto enum number', () => {
      const cluster = gkeWire({ version: '1.33.5-gke.1080000', channel: 4 });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, ctx)), {
        status: 'fail',
        severity: undefined,
        evidence: [
          gkeVersion('1.33.5-gke.1080000'),
          calendar('gke', '1.33', '2026-08-03', '2027-06-03'),
          gkeChannel(4),
        ],
      });
    });

    it('fails as critical past standard support on another channel, which gets no extended support', () => {
      const verdict = evaluateCheck(
        standardSupport,
        gkeWire({ version: '1.33.5-gke.1080000', channel: 'REGULAR' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          gkeVersion('1.33.5-gke.1080000'),
          calendar('gke', '1.33', '2026-08-03', '2027-06-03'),
          gkeChannel('REGULAR'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-08-03; the cluster is not on the Extended channel, so it gets no extended support and GKE upgrades it automatically.',
      );
    });

    it('fails as critical past standard support on no channel', () => {
      const verdict = evaluateCheck(standardSupport, gkeWire({ version: '1.34.8-gke.1371000' }), ctx);
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          gkeVersion('1.34.8-gke.1371000'),
          calendar('gke', '1.34', '2026-10-01', '2027-09-30'),
          gkeChannel(null),
        ],
      });
    });

    it('fails as critical on the Extended channel once extended support has ended', () => {
      const verdict = evaluateCheck(
        standardSupport,
        gkeWire({ version: '1.31.14-gke.2470000', channel: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          gkeVersion('1.31.14-gke.2470000'),
          calendar('gke', '1.31', '2026-01-16', '2026-10-25'),
          gkeChannel('EXTENDED'),
        ],
      });
    });

    it('fails as critical on the Extended channel for a minor from before GKE extended support (1.26)', () => {
      const verdict = evaluateCheck(
        standardSupport,
        gkeWire({ version: '1.26.15-gke.1469001', channel: 'EXTENDED' }),
        evalContext({ asOf: '2024-08-01' }),
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          gkeVersion('1.26.15-gke.1469001'),
          calendar('gke', '1.26', '2024-06-30', null),
          gkeChannel('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.26 left standard support on 2024-06-30; the support calendar lists no extended support for it.',
      );
    });

    it('judges by the live end of extended support where it differs from the calendar', () => {
      // Prepare: the calendar ends 1.31 extended support on 2026-10-25, FetchClusterUpgradeInfo on 2026-10-30.
      const cluster = gkeWire({
        version: '1.31.14-gke.2470000',
        channel: 'EXTENDED',
        upgradeInfo: recordedGkeUpgradeInfo('1.31'),
      });
      // Act
      const verdict = evaluateCheck(standardSupport, cluster, evalContext({ asOf: '2026-10-28' }));
      // Assess
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          gkeVersion('1.31.14-gke.2470000'),
          ...gkeLive('2026-01-21', '2026-10-30'),
          gkeNewestOf('EXTENDED'),
          gkeChannel('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.31 left standard support on 2026-01-21; it runs on extended support on the Extended channel until 2026-10-30 (per gke:fetchClusterUpgradeInfo).',
      );
    });

    it('fails as critical for a minor older than every minor of the calendar', () => {
      const verdict = evaluateCheck(
        standardSupport,
        gkeWire({ version: '1.16.15-gke.1', channel: 'STABLE' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [gkeVersion('1.16.15-gke.1'), calendar('gke', '1.17', '2021-11-01', null)],
      });
    });
  });

  describe('on AKS', () => {
    it('passes when the minor is in standard support', () => {
      assert.deepEqual(graded(evaluateCheck(standardSupport, aksWire({ version: '1.35.0' }), ctx)), {
        status: 'pass',
        severity: undefined,
        evidence: [aksVersion('1.35.0'), calendar('aks', '1.35', '2027-03-31', '2028-03-31')],
      });
    });

    it('fails at the default severity past community support on the long-term support plan', () => {
      const verdict = evaluateCheck(
        standardSupport,
        aksWire({ version: '1.33.3', supportPlan: 'AKSLongTermSupport' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          aksVersion('1.33.3'),
          calendar('aks', '1.33', '2026-07-31', '2027-07-31'),
          aksPlan('AKSLongTermSupport'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-07-31; it runs on long-term support until 2027-07-31.',
      );
    });

    it('fails as critical past community support without the long-term support plan', () => {
      const verdict = evaluateCheck(
        standardSupport,
        aksWire({ version: '1.33.3', supportPlan: 'KubernetesOfficial' }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          aksVersion('1.33.3'),
          calendar('aks', '1.33', '2026-07-31', '2027-07-31'),
          aksPlan('KubernetesOfficial'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.33 left standard support on 2026-07-31; the cluster is not on the long-term support plan, so it has no support.',
      );
    });

    it('fails at the default severity, not critical, past community support when the support plan could not be read', () => {
      const verdict = evaluateCheck(
        standardSupport,
        aksWire({ version: '1.33.3', supportPlan: 42 as never }),
        ctx,
      );
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [
          aksVersion('1.33.3'),
          calendar('aks', '1.33', '2026-07-31', '2027-07-31'),
          aksPlan(42 as never),
        ],
      });
      assert.match(verdict.message, /the support plan could not be read/);
    });

    it('fails as critical for a minor that never had long-term support', () => {
      assert.deepEqual(
        graded(
          evaluateCheck(
            standardSupport,
            aksWire({ version: '1.26.6', supportPlan: 'AKSLongTermSupport' }),
            ctx,
          ),
        ),
        {
          status: 'fail',
          severity: 'critical',
          evidence: [
            aksVersion('1.26.6'),
            calendar('aks', '1.26', '2024-04-11', null),
            aksPlan('AKSLongTermSupport'),
          ],
        },
      );
    });

    it('is unknown when the version could not be read', () => {
      const cluster = aksWire({ version: 'latest' });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, ctx)), {
        status: 'unknown',
        severity: undefined,
        evidence: [aksVersion('latest')],
      });
    });
  });

  describe('with live version data from DescribeClusterVersions', () => {
    const live134 = {
      minorVersion: '1.34',
      releaseDate: '2025-10-08',
      endOfStandardSupport: '2026-12-09',
      endOfExtendedSupport: '2027-12-09',
    };

    it('judges by the live dates, which differ from the calendar, and names the API', () => {
      // Prepare: the calendar ends 1.34 standard support on 2026-12-02, the live data on 2026-12-09.
      const cluster = eksWire({
        version: '1.34',
        supportType: 'EXTENDED',
        clusterVersions: recordedEksVersions(),
      });
      // Act
      const verdict = evaluateCheck(standardSupport, cluster, evalContext({ asOf: '2026-12-05' }));
      // Assess
      assert.deepEqual(graded(verdict), {
        status: 'pass',
        severity: undefined,
        evidence: [eksVersion('1.34'), ...eksLive(live134, '1.36')],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is in standard support until 2026-12-09 (per eks:DescribeClusterVersions).',
      );
    });

    it('fails past the live end of standard support, on extended support until the live date', () => {
      const cluster = eksWire({
        version: '1.34',
        supportType: 'EXTENDED',
        clusterVersions: recordedEksVersions(),
      });
      const verdict = evaluateCheck(standardSupport, cluster, evalContext({ asOf: '2026-12-10' }));
      assert.deepEqual(graded(verdict), {
        status: 'fail',
        severity: undefined,
        evidence: [eksVersion('1.34'), ...eksLive(live134, '1.36'), eksPolicy('EXTENDED')],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 left standard support on 2026-12-09; it runs on paid extended support (upgrade policy EXTENDED) until 2027-12-09 (per eks:DescribeClusterVersions).',
      );
    });

    it('falls back to the calendar, and says so, when the live data lists no window for the version', () => {
      const without135 = recordedEksVersions().filter(
        (entry) => (entry as { clusterVersion?: string }).clusterVersion !== '1.35',
      );
      const cluster = eksWire({ version: '1.35', supportType: 'STANDARD', clusterVersions: without135 });
      const verdict = evaluateCheck(standardSupport, cluster, ctx);
      assert.deepEqual(graded(verdict), {
        status: 'pass',
        severity: undefined,
        evidence: [
          eksVersion('1.35'),
          ...eksLive(null, '1.36', '1.35'),
          calendar('eks', '1.35', '2027-03-27', '2028-03-27'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.35 is in standard support until 2027-03-27 (eks:DescribeClusterVersions gives no support dates for 1.35; dates from the support calendar dated 2026-08-22).',
      );
    });

    it('is unknown when neither the live data nor the calendar lists the version', () => {
      const cluster = eksWire({
        version: '1.99',
        supportType: 'STANDARD',
        clusterVersions: recordedEksVersions(),
      });
      const verdict = evaluateCheck(standardSupport, cluster, ctx);
      assert.deepEqual(graded(verdict), {
        status: 'unknown',
        severity: undefined,
        evidence: [eksVersion('1.99'), ...eksLive(null, '1.36', '1.99')],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.99 is listed neither by eks:DescribeClusterVersions nor in the support calendar dated 2026-08-22.',
      );
    });

    it('fails as critical for a minor older than both the live list and the calendar', () => {
      const cluster = eksWire({
        version: '1.17',
        supportType: 'EXTENDED',
        clusterVersions: recordedEksVersions(),
      });
      assert.deepEqual(graded(evaluateCheck(standardSupport, cluster, ctx)), {
        status: 'fail',
        severity: 'critical',
        evidence: [
          eksVersion('1.17'),
          ...eksLive(null, '1.36', '1.17'),
          calendar('eks', '1.18', '2022-08-15', null),
        ],
      });
    });
  });
  describe('with an EKS calendar other than the bundled one', () => {
    function withEksWindows(windows: readonly VersionSupportWindow[]): EvalContext {
      return {
        ...ctx,
        support: { ...SUPPORT_CALENDAR, windows: { ...SUPPORT_CALENDAR.windows, eks: windows } },
      };
    }

    it('is unknown, not past every window, when the calendar lists no EKS minor at all', () => {
      const verdict = evaluateCheck(standardSupport, eksWire({ version: '1.17' }), withEksWindows([]));
      assert.deepEqual(graded(verdict), {
        status: 'unknown',
        severity: undefined,
        evidence: [eksVersion('1.17')],
      });
    });

    it('skips calendar entries whose minor does not parse, and finds the oldest minor in any order', () => {
      const ctxWithTypo = withEksWindows([
        {
          minorVersion: '1.x',
          releaseDate: '2019-01-01',
          endOfStandardSupport: '2020-01-01',
          endOfExtendedSupport: null,
        },
        {
          minorVersion: '1.20',
          releaseDate: '2021-05-18',
          endOfStandardSupport: '2022-11-01',
          endOfExtendedSupport: null,
        },
        {
          minorVersion: '1.21',
          releaseDate: '2021-07-19',
          endOfStandardSupport: '2023-02-16',
          endOfExtendedSupport: null,
        },
      ]);
      assert.deepEqual(graded(evaluateCheck(standardSupport, eksWire({ version: '1.19' }), ctxWithTypo)), {
        status: 'fail',
        severity: 'critical',
        evidence: [eksVersion('1.19'), calendar('eks', '1.20', '2022-11-01', null)],
      });
    });
  });
});
