import assert from 'node:assert/strict';
import { minorVersionLag } from '../../../checks/versions/minorVersionLag.js';
import type { LiveVersionSupport } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { at, eksPosture, version } from '../../fixtures/postures.js';
import { evaluateCheck, outcome } from '../outcome.js';
import { aksVersion, eksLive, eksVersion, gkeLive, gkeNewestOf, gkeVersion } from './fixtures.js';
import {
  aksWire,
  eksWire,
  gkeWire,
  recordedEksVersions,
  recordedGkeUpgradeInfo,
  versionFixture,
} from './wire.js';

// The calendar's newest minor released by 2026-11-29, the context's default day, is 1.36.
describe('VER-03 The control plane is at most the allowed number of minors behind the newest version', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes one minor behind the newest released version, naming it', () => {
      // Prepare
      const cluster = eksWire({ version: '1.35' });
      // Act
      const verdict = evaluateCheck(minorVersionLag, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksVersion('1.35')] });
      assert.equal(
        verdict.message,
        'Kubernetes 1.35 is 1 minor(s) behind the newest available version, 1.36.',
      );
    });

    it('passes on the newest version', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '1.36' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksVersion('1.36')] });
      assert.equal(verdict.message, 'Kubernetes 1.36 is the newest available version.');
    });

    it('fails two minors behind, naming the newest', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '1.34' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [eksVersion('1.34')] });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 2 minors behind the newest available version, 1.36 (at most 1 allowed).',
      );
    });

    it('ignores versions not yet released on the evaluation day', () => {
      const verdict = evaluateCheck(
        minorVersionLag,
        eksWire({ version: '1.34' }),
        evalContext({ asOf: '2026-06-01' }),
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksVersion('1.34')] });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 1 minor(s) behind the newest available version, 1.35.',
      );
    });

    it('passes two minors behind with a configured lag of two', () => {
      const verdict = evaluateCheck(
        minorVersionLag,
        eksWire({ version: '1.34' }),
        evalContext({ settings: { maxMinorLag: 2 } }),
      );
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [eksVersion('1.34')] });
    });

    it('fails for 1.30, six minors behind 1.36, compared as numbers', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '1.30' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [eksVersion('1.30')] });
      assert.match(verdict.message, /^Kubernetes 1\.30 is 6 minors behind/);
    });

    it('fails for a minor older than every minor of the calendar, measured from the newest', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '1.3' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [eksVersion('1.3')] });
      assert.equal(
        verdict.message,
        'Kubernetes 1.3 is 33 minors behind the newest available version, 1.36 (at most 1 allowed).',
      );
    });

    it('fails on another major version than the newest', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '0.9' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [eksVersion('0.9')] });
      assert.equal(
        verdict.message,
        'Kubernetes 0.9 is on a different major version from the newest available version, 1.36.',
      );
    });

    it('is unknown for a minor newer than the calendar knows', () => {
      const verdict = evaluateCheck(minorVersionLag, eksWire({ version: '1.99' }), ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [eksVersion('1.99')] });
    });

    it('is unknown when the calendar lists no version released by the evaluation day', () => {
      const verdict = evaluateCheck(
        minorVersionLag,
        eksWire({ version: '1.18' }),
        evalContext({ asOf: '2019-01-01' }),
      );
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [eksVersion('1.18')] });
      assert.equal(
        verdict.message,
        'The support calendar dated 2026-08-22 lists no version released by 2019-01-01.',
      );
    });

    it('is unknown when the version could not be read', () => {
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, eksWire({ version: '' }), ctx)), {
        status: 'unknown',
        evidence: [eksVersion('')],
      });
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version one minor behind', () => {
      const cluster = gkeWire({ version: '1.35.2-gke.1100000', channel: 'REGULAR' });
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, cluster, ctx)), {
        status: 'pass',
        evidence: [gkeVersion('1.35.2-gke.1100000')],
      });
    });

    it('fails with a suffixed version three minors behind', () => {
      const cluster = gkeWire({ version: '1.33.5-gke.1080000', channel: 'REGULAR' });
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, cluster, ctx)), {
        status: 'fail',
        evidence: [gkeVersion('1.33.5-gke.1080000')],
      });
    });

    it("measures the lag from the newest version of the cluster's channel, not the calendar's newest", () => {
      // Prepare: getServerConfig offers 1.35 at most on STABLE; the calendar's newest is 1.36.
      const cluster = gkeWire({
        version: '1.34.10-gke.1361000',
        channel: 'STABLE',
        upgradeInfo: recordedGkeUpgradeInfo('1.34'),
      });
      // Act
      const verdict = evaluateCheck(minorVersionLag, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          gkeVersion('1.34.10-gke.1361000'),
          ...gkeLive('2026-10-08', '2027-10-06'),
          gkeNewestOf('STABLE'),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 1 minor(s) behind the newest available version, 1.35 (per gke:fetchClusterUpgradeInfo).',
      );
    });

    it('is unknown when the version could not be read', () => {
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, gkeWire({ version: 'latest' }), ctx)), {
        status: 'unknown',
        evidence: [gkeVersion('latest')],
      });
    });
  });

  describe('on AKS', () => {
    it('passes one minor behind', () => {
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, aksWire({ version: '1.35.1' }), ctx)), {
        status: 'pass',
        evidence: [aksVersion('1.35.1')],
      });
    });

    it('fails three minors behind', () => {
      assert.deepEqual(outcome(evaluateCheck(minorVersionLag, aksWire({ version: '1.33.3' }), ctx)), {
        status: 'fail',
        evidence: [aksVersion('1.33.3')],
      });
    });

    it('measures from the newest generally available version of the location, skipping the preview', () => {
      const recorded = versionFixture('aks-kubernetes-versions.json');
      const verdict = evaluateCheck(
        minorVersionLag,
        aksWire({ version: '1.35.4', kubernetesVersions: recorded }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          aksVersion('1.35.4'),
          {
            path: 'kubernetesVersions.values[version=1.35]',
            value: {
              version: '1.35',
              isDefault: true,
              capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] },
              patchVersions: {
                '1.35.4': { upgrades: ['1.35.5', '1.36.2', '1.36.3'] },
                '1.35.5': { upgrades: ['1.36.2', '1.36.3'] },
              },
            },
          },
          { path: 'kubernetesVersions.values[newest].version', value: '1.36' },
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.35 is 1 minor(s) behind the newest available version, 1.36 (per aks:listKubernetesVersions).',
      );
    });
  });

  describe('with live version data from DescribeClusterVersions', () => {
    it('measures the lag from the newest version the provider lists, not the calendar', () => {
      // Prepare: the region lists nothing newer than 1.35, where the calendar's newest is 1.36.
      const upTo135 = recordedEksVersions().filter(
        (entry) => (entry as { clusterVersion?: string }).clusterVersion !== '1.36',
      );
      const cluster = eksWire({ version: '1.34', clusterVersions: upTo135 });
      // Act
      const verdict = evaluateCheck(minorVersionLag, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          eksVersion('1.34'),
          ...eksLive(
            {
              minorVersion: '1.34',
              releaseDate: '2025-10-08',
              endOfStandardSupport: '2026-12-09',
              endOfExtendedSupport: '2027-12-09',
            },
            '1.35',
          ),
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 1 minor(s) behind the newest available version, 1.35 (per eks:DescribeClusterVersions).',
      );
    });

    it('judges a version the calendar does not know yet from the live data', () => {
      const cluster = eksPosture({
        version: at('cluster.version', version('1.37'), '1.37'),
        versionSupport: at<LiveVersionSupport>(
          'clusterVersions',
          { window: null, newestMinorVersion: '1.37', source: 'eks:DescribeClusterVersions' },
          { newest: '1.37' },
        ),
      });
      const verdict = evaluateCheck(minorVersionLag, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [eksVersion('1.37'), { path: 'clusterVersions', value: { newest: '1.37' } }],
      });
    });

    it('falls back to the calendar, and says so, when the live newest version does not parse', () => {
      const cluster = eksPosture({
        version: at('cluster.version', version('1.34'), '1.34'),
        versionSupport: at<LiveVersionSupport>(
          'clusterVersions',
          { window: null, newestMinorVersion: 'latest', source: 'eks:DescribeClusterVersions' },
          { newest: 'latest' },
        ),
      });
      const verdict = evaluateCheck(minorVersionLag, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [eksVersion('1.34'), { path: 'clusterVersions', value: { newest: 'latest' } }],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 2 minors behind the newest available version, 1.36 (at most 1 allowed) (eks:DescribeClusterVersions names no usable newest version, "latest"; newest from the support calendar dated 2026-08-22).',
      );
    });
  });
});
