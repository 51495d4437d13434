import assert from 'node:assert/strict';
import { anonymousAuthLimited } from '../../../checks/identity/anonymousAuthLimited.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { outcome } from '../outcome.js';

const MODE = 'cluster.anonymousAuthenticationConfig.mode';

describe('AUTH-04 Anonymous requests are limited to health endpoints', () => {
  const ctx = evalContext();

  describe('on GKE', () => {
    it('passes when the mode is LIMITED', () => {
      // Prepare
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 'LIMITED' } });
      // Act
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: MODE, value: 'LIMITED' }] });
    });

    it('passes on Autopilot with the mode read as a number (LIMITED = 2) like on Standard', () => {
      const cluster = gkeFromWire({
        autopilot: { enabled: true },
        anonymousAuthenticationConfig: { mode: 2 },
      });
      assert.deepEqual(outcome(anonymousAuthLimited.evaluate(cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: MODE, value: 2 }],
      });
    });

    it('fails when the mode was never set, which GKE treats as ENABLED', () => {
      const verdict = anonymousAuthLimited.evaluate(gkeFromWire({}), ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: MODE, value: null }] });
      assert.equal(
        verdict.message,
        'Anonymous requests are authenticated as system:anonymous on every endpoint (mode MODE_UNSPECIFIED).',
      );
    });

    it('fails when the mode is ENABLED', () => {
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 'ENABLED' } });
      assert.deepEqual(outcome(anonymousAuthLimited.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: MODE, value: 'ENABLED' }],
      });
    });

    it('is unknown when the mode is a number outside the enum', () => {
      const cluster = gkeFromWire({ anonymousAuthenticationConfig: { mode: 7 } });
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: MODE, value: 7 }] });
      assert.match(verdict.message, /^Anonymous authentication mode could not be read: /);
    });
  });

  it('is not applicable on EKS and AKS, which expose no setting for it, with the reason applies gives', () => {
    for (const cluster of [eksFromWire({}), aksFromWire({})]) {
      const verdict = anonymousAuthLimited.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
      assert.deepEqual(anonymousAuthLimited.applies[cluster.provider], { notApplicable: verdict.message });
    }
  });
});
