import assert from 'node:assert/strict';
import { paidExtendedSupport } from '../../../checks/versions/paidExtendedSupport.js';
import { evalContext } from '../../fixtures/context.js';
import { evaluateCheck, outcome } from '../outcome.js';
import {
  aksPlan,
  aksVersion,
  calendar,
  EKS_EXTENDED_COST,
  eksLive,
  eksPolicy,
  eksVersion,
  gkeChannel,
  gkeLive,
  gkeNewestOf,
  gkeVersion,
} from './fixtures.js';
import { aksWire, eksWire, gkeWire, recordedEksVersions, recordedGkeUpgradeInfo } from './wire.js';

// The context's default day is 2026-11-29 and the warning period 90 days.
describe('VER-04 The cluster does not run on paid extended or long-term support', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes under the STANDARD policy, which is never billed for extended support', () => {
      // Prepare
      const cluster = eksWire({ version: '1.35', supportType: 'STANDARD' });
      // Act
      const verdict = evaluateCheck(paidExtendedSupport, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksPolicy('STANDARD')] });
      assert.equal(
        verdict.message,
        'The upgrade policy is STANDARD: EKS upgrades the cluster at the end of standard support instead of billing extended support.',
      );
    });

    it('passes under the STANDARD policy past standard support too: VER-01 reports the version', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '1.33', supportType: 'STANDARD' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksPolicy('STANDARD')] });
    });

    it("passes under AWS's default EXTENDED policy while standard support has more than the warning period left", () => {
      // Prepare: 1.35 is in standard support until 2027-03-27, 118 days away.
      const cluster = eksWire({ version: '1.35', supportType: 'EXTENDED' });
      // Act
      const verdict = evaluateCheck(paidExtendedSupport, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          eksPolicy('EXTENDED'),
          eksVersion('1.35'),
          calendar('eks', '1.35', '2027-03-27', '2028-03-27'),
          ...EKS_EXTENDED_COST,
        ],
      });
      assert.equal(
        verdict.message,
        "The upgrade policy is EXTENDED (AWS's default), which bills extended support only past standard support: Kubernetes 1.35 is in standard support until 2027-03-27, 118 days away. Extended support costs 0.50 USD per cluster-hour more than standard support, 4,380 USD a year.",
      );
    });

    it('fails under the EXTENDED policy with exactly the warning period left, and passes the day before', () => {
      const cluster = eksWire({ version: '1.35', supportType: 'EXTENDED' });
      const evidence = [
        eksPolicy('EXTENDED'),
        eksVersion('1.35'),
        calendar('eks', '1.35', '2027-03-27', '2028-03-27'),
        ...EKS_EXTENDED_COST,
      ];
      const warned = evaluateCheck(paidExtendedSupport, cluster, evalContext({ asOf: '2026-12-27' }));
      assert.deepEqual(outcome(warned), { status: 'fail', evidence });
      assert.equal(
        warned.message,
        "The upgrade policy is EXTENDED (AWS's default), which bills extended support past standard support: standard support for Kubernetes 1.35 ends on 2027-03-27, in 90 days (warning period 90 days). Extended support costs 0.50 USD per cluster-hour more than standard support, 4,380 USD a year.",
      );
      assert.deepEqual(
        outcome(evaluateCheck(paidExtendedSupport, cluster, evalContext({ asOf: '2026-12-26' }))),
        {
          status: 'pass',
          evidence,
        },
      );
    });

    it('fails under the EXTENDED policy past standard support: the cluster is billed now', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '1.33', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          eksPolicy('EXTENDED'),
          eksVersion('1.33'),
          calendar('eks', '1.33', '2026-07-29', '2027-07-29'),
          ...EKS_EXTENDED_COST,
        ],
      });
      assert.equal(
        verdict.message,
        "The upgrade policy is EXTENDED (AWS's default) and Kubernetes 1.33 left standard support on 2026-07-29: the cluster is billed for extended support now, until 2027-07-29. Extended support costs 0.50 USD per cluster-hour more than standard support, 4,380 USD a year.",
      );
    });

    it('fails under the EXTENDED policy once extended support has ended too', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '1.31', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          eksPolicy('EXTENDED'),
          eksVersion('1.31'),
          calendar('eks', '1.31', '2025-11-26', '2026-11-26'),
          ...EKS_EXTENDED_COST,
        ],
      });
      assert.match(
        verdict.message,
        /^The upgrade policy is EXTENDED \(AWS's default\) and Kubernetes 1\.31 left standard support on 2025-11-26 and extended support on 2026-11-26: /,
      );
    });

    it('fails under the EXTENDED policy for a minor with no extended support at all', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '1.20', supportType: 'EXTENDED' }),
        evalContext({ asOf: '2022-12-01' }),
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          eksPolicy('EXTENDED'),
          eksVersion('1.20'),
          calendar('eks', '1.20', '2022-11-01', null),
          ...EKS_EXTENDED_COST,
        ],
      });
    });

    it('judges by the live end of standard support where it differs from the calendar', () => {
      // Prepare: the calendar ends 1.35 standard support on 2027-03-27 (87 days on 2026-12-30),
      // DescribeClusterVersions on 2027-03-31 (91 days).
      const cluster = eksWire({
        version: '1.35',
        supportType: 'EXTENDED',
        clusterVersions: recordedEksVersions(),
      });
      // Act
      const verdict = evaluateCheck(paidExtendedSupport, cluster, evalContext({ asOf: '2026-12-30' }));
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          eksPolicy('EXTENDED'),
          eksVersion('1.35'),
          ...eksLive(
            {
              minorVersion: '1.35',
              releaseDate: '2026-01-30',
              endOfStandardSupport: '2027-03-31',
              endOfExtendedSupport: '2028-03-31',
            },
            '1.36',
          ),
          ...EKS_EXTENDED_COST,
        ],
      });
      assert.match(verdict.message, /until 2027-03-31, 91 days away \(per eks:DescribeClusterVersions\)\./);
    });

    it('is unknown when the upgrade policy is not in the export', () => {
      const verdict = evaluateCheck(paidExtendedSupport, eksWire({ version: '1.33' }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [eksPolicy(null), eksVersion('1.33')],
      });
      assert.equal(
        verdict.message,
        'Support plan could not be read: cluster.upgradePolicy.supportType absent from DescribeCluster output',
      );
    });

    it('is unknown under the EXTENDED policy for a minor the support data does not know', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '1.99', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [eksVersion('1.99')] });
    });

    it('is unknown under the EXTENDED policy when the version could not be read', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        eksWire({ version: '', supportType: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [eksVersion(''), eksPolicy('EXTENDED')],
      });
    });
  });

  describe('on GKE', () => {
    it('passes off the Extended channel, even past standard support: GKE bills extended support only there', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        gkeWire({ version: '1.34.8-gke.1371000', channel: 'REGULAR' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [gkeChannel('REGULAR')] });
      assert.equal(
        verdict.message,
        'The cluster is not on the Extended release channel, the only one GKE bills extended support on: GKE upgrades it at the end of standard support.',
      );
    });

    it('passes on no channel', () => {
      const verdict = evaluateCheck(paidExtendedSupport, gkeWire({ version: '1.35.1-gke.1' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [gkeChannel(null)] });
    });

    it('passes on the Extended channel while standard support has more than the warning period left', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        gkeWire({ version: '1.35.1-gke.1', channel: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          gkeChannel('EXTENDED'),
          gkeVersion('1.35.1-gke.1'),
          calendar('gke', '1.35', '2027-04-11', '2028-02-11'),
        ],
      });
      assert.equal(
        verdict.message,
        'The cluster is on the Extended release channel, which bills extended support only past standard support: Kubernetes 1.35 is in standard support until 2027-04-11, 133 days away.',
      );
    });

    it('fails on the Extended channel past standard support, without an EKS price', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        gkeWire({ version: '1.33.5-gke.1', channel: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          gkeChannel('EXTENDED'),
          gkeVersion('1.33.5-gke.1'),
          calendar('gke', '1.33', '2026-08-03', '2027-06-03'),
        ],
      });
      assert.equal(
        verdict.message,
        'The cluster is on the Extended release channel and Kubernetes 1.33 left standard support on 2026-08-03: the cluster is billed for extended support now, until 2027-06-03.',
      );
    });

    it('fails on the Extended channel with the warning period left', () => {
      const cluster = gkeWire({ version: '1.35.8-gke.1150000', channel: 'EXTENDED' });
      const verdict = evaluateCheck(paidExtendedSupport, cluster, evalContext({ asOf: '2027-01-11' }));
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          gkeChannel('EXTENDED'),
          gkeVersion('1.35.8-gke.1150000'),
          calendar('gke', '1.35', '2027-04-11', '2028-02-11'),
        ],
      });
    });

    it('passes on the Extended channel by the live end of standard support, where the calendar would warn', () => {
      // Prepare: the calendar ends 1.35 standard support on 2027-04-11 (90 days on 2027-01-11),
      // FetchClusterUpgradeInfo on 2027-04-15 (94 days).
      const cluster = gkeWire({
        version: '1.35.8-gke.1150000',
        channel: 'EXTENDED',
        upgradeInfo: recordedGkeUpgradeInfo('1.35'),
      });
      // Act
      const verdict = evaluateCheck(paidExtendedSupport, cluster, evalContext({ asOf: '2027-01-11' }));
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          gkeChannel('EXTENDED'),
          gkeVersion('1.35.8-gke.1150000'),
          ...gkeLive('2027-04-15', '2028-02-18'),
          gkeNewestOf('EXTENDED'),
        ],
      });
      assert.equal(
        verdict.message,
        'The cluster is on the Extended release channel, which bills extended support only past standard support: Kubernetes 1.35 is in standard support until 2027-04-15, 94 days away (per gke:fetchClusterUpgradeInfo).',
      );
    });

    it('is unknown on the Extended channel when the version could not be read', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        gkeWire({ version: 'latest', channel: 'EXTENDED' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [gkeVersion('latest'), gkeChannel('EXTENDED')],
      });
    });

    it('is unknown when the release channel could not be read', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        gkeWire({ version: '1.35.1-gke.1', channel: 9 }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [gkeChannel(9), gkeVersion('1.35.1-gke.1')],
      });
    });
  });

  describe('on AKS', () => {
    it('passes on the KubernetesOfficial plan, even past community support (VER-01 covers that)', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        aksWire({ version: '1.33.2', supportPlan: 'KubernetesOfficial' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [aksPlan('KubernetesOfficial')] });
    });

    it('passes when the plan is left to the API default, KubernetesOfficial', () => {
      const verdict = evaluateCheck(paidExtendedSupport, aksWire({ version: '1.35.2' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [aksPlan(null)] });
    });

    it('fails on long-term support, billed through the Premium tier from enrolment', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        aksWire({ version: '1.35.2', supportPlan: 'AKSLongTermSupport' }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [aksPlan('AKSLongTermSupport')] });
      assert.equal(
        verdict.message,
        'The cluster is on long-term support (supportPlan AKSLongTermSupport), which needs the Premium tier: it is billed from enrolment, whatever the version.',
      );
    });

    it('is unknown when the plan could not be read', () => {
      const verdict = evaluateCheck(
        paidExtendedSupport,
        aksWire({ version: '1.35.2', supportPlan: 42 as never }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [aksPlan(42 as never), aksVersion('1.35.2')],
      });
    });
  });
});
