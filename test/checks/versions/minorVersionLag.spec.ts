import assert from 'node:assert/strict';
import { minorVersionLag } from '../../../checks/versions/minorVersionLag.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, version } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';
import { AKS_VERSION, EKS_VERSION, eksAt, GKE_VERSION, LIVE, live } from './fixtures.js';

describe('VER-03 The control plane is at most the allowed number of minors behind the newest version', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes one minor behind the newest released version, naming it', () => {
      // Prepare
      const cluster = eksAt('1.35');
      // Act
      const verdict = minorVersionLag.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: EKS_VERSION, value: '1.35' }],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.35 is 1 minor(s) behind the newest available version, 1.36.',
      );
    });

    it('passes on the newest version', () => {
      assert.equal(minorVersionLag.evaluate(eksAt('1.36'), ctx).status, 'pass');
    });

    it('fails two minors behind, naming the newest', () => {
      const verdict = minorVersionLag.evaluate(eksAt('1.34'), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: EKS_VERSION, value: '1.34' }],
      });
      assert.match(verdict.message, /2 minors behind the newest available version, 1\.36/);
    });

    it('ignores versions not yet released on the evaluation day', () => {
      const verdict = minorVersionLag.evaluate(eksAt('1.34'), evalContext({ asOf: '2026-06-01' }));
      assert.equal(verdict.status, 'pass');
      assert.match(verdict.message, /newest available version, 1\.35/);
    });

    it('passes two minors behind with a configured lag of two', () => {
      assert.equal(
        minorVersionLag.evaluate(eksAt('1.34'), evalContext({ settings: { maxMinorLag: 2 } })).status,
        'pass',
      );
    });

    it('fails for 1.30, six minors behind 1.36, compared as numbers', () => {
      const verdict = minorVersionLag.evaluate(eksAt('1.30'), ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /6 minors behind/);
    });

    it('is unknown for 1.3, which the calendar does not list', () => {
      assert.equal(minorVersionLag.evaluate(eksAt('1.3'), ctx).status, 'unknown');
    });

    it('is unknown when the version could not be read', () => {
      assert.equal(
        minorVersionLag.evaluate(eksPosture({ version: unknown('version absent') }), ctx).status,
        'unknown',
      );
    });
  });

  describe('on GKE', () => {
    it('passes with a suffixed version one minor behind', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.35.2-gke.1100000'), '1.35.2-gke.1100000'),
      });
      assert.deepEqual(outcome(minorVersionLag.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: GKE_VERSION, value: '1.35.2-gke.1100000' }],
      });
    });

    it('fails with a suffixed version three minors behind', () => {
      const cluster = gkePosture({
        version: at(GKE_VERSION, version('1.33.5-gke.1080000'), '1.33.5-gke.1080000'),
      });
      assert.equal(minorVersionLag.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the version could not be read', () => {
      assert.equal(
        minorVersionLag.evaluate(gkePosture({ version: unknown('absent') }), ctx).status,
        'unknown',
      );
    });
  });

  describe('on AKS', () => {
    it('passes one minor behind', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.35.1'), '1.35.1') });
      assert.equal(minorVersionLag.evaluate(cluster, ctx).status, 'pass');
    });

    it('fails three minors behind', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.33.3'), '1.33.3') });
      assert.equal(minorVersionLag.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown for a version the calendar does not list', () => {
      const cluster = aksPosture({ version: at(AKS_VERSION, version('1.20.9'), '1.20.9') });
      assert.equal(minorVersionLag.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('with live version data from the provider', () => {
    it('measures the lag from the newest version the provider offers, not the calendar', () => {
      // Prepare: the calendar's newest is 1.36, where 1.34 would fail.
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(null, '1.35'),
      });
      // Act
      const verdict = minorVersionLag.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: EKS_VERSION, value: '1.34' },
          { path: LIVE, value: { clusterVersion: null, newest: '1.35' } },
        ],
      });
      assert.equal(
        verdict.message,
        'Kubernetes 1.34 is 1 minor(s) behind the newest available version, 1.35 (per eks:DescribeClusterVersions).',
      );
    });

    it('fails two minors behind the live newest version', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.35'), '1.35'),
        versionSupport: live(null, '1.37'),
      });
      assert.equal(minorVersionLag.evaluate(cluster, ctx).status, 'fail');
    });

    it('judges a version the calendar does not know yet from the live data', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.37'), '1.37'),
        versionSupport: live(null, '1.37'),
      });
      const verdict = minorVersionLag.evaluate(cluster, ctx);
      assert.deepEqual(
        [verdict.status, verdict.message],
        ['pass', 'Kubernetes 1.37 is the newest available version (per eks:DescribeClusterVersions).'],
      );
    });

    it('falls back to the calendar, and says so, when the live newest version does not parse', () => {
      const cluster = eksPosture({
        version: at(EKS_VERSION, version('1.34'), '1.34'),
        versionSupport: live(null, 'latest'),
      });
      const verdict = minorVersionLag.evaluate(cluster, ctx);
      assert.equal(verdict.status, 'fail');
      assert.match(verdict.message, /newest from the support calendar dated 2026-08-22\)\.$/);
    });
  });
});
