import assert from 'node:assert/strict';
import { anonymousAuthLimited } from '../../../checks/identity/anonymousAuthLimited.js';
import { unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const MODE = 'cluster.anonymousAuthenticationConfig.mode';

describe('AUTH-04 Anonymous requests are limited to health endpoints', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when the mode is LIMITED', () => {
      // Prepare
      const cluster = gkePosture({ gke: { anonymousAuthentication: at(MODE, 'LIMITED') } });
      // Act
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: 'LIMITED' }] });
    });

    it('passes on Autopilot read as a number (LIMITED = 2) like on Standard', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        gke: { anonymousAuthentication: at(MODE, 'LIMITED', 2) },
      });
      assert.deepEqual(outcome(anonymousAuthLimited.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: MODE, value: 2 }],
      });
    });

    it('fails when the mode was never set, which GKE treats as ENABLED', () => {
      const cluster = gkePosture({ gke: { anonymousAuthentication: at(MODE, 'MODE_UNSPECIFIED', null) } });
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: MODE, value: null }] });
      assert.match(verdict.message, /every endpoint \(mode MODE_UNSPECIFIED\)/);
    });

    it('fails when the mode is ENABLED', () => {
      const cluster = gkePosture({ gke: { anonymousAuthentication: at(MODE, 'ENABLED') } });
      assert.equal(anonymousAuthLimited.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the mode could not be read', () => {
      const cluster = gkePosture({
        gke: { anonymousAuthentication: unknown(`${MODE} is the number 7, expected a known enum value`) },
      });
      assert.deepEqual({ status: anonymousAuthLimited.evaluate(cluster, ctx).status }, { status: 'unknown' });
    });
  });

  it('is not applicable on EKS and AKS, which expose no setting for it', () => {
    for (const cluster of [eksPosture(), aksPosture()]) {
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.deepEqual(anonymousAuthLimited.applies[cluster.provider], { notApplicable: verdict.message });
    }
  });
});
