import assert from 'node:assert/strict';
import { runtimeThreatDetection } from '../../../checks/runtime/runtimeThreatDetection.js';
import { unknown } from '../../../model/observed.js';
import type { RuntimeThreatDetection } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const EKS_DETECTOR = 'guardDuty.detector.features[name=RUNTIME_MONITORING].status';
const GKE_MODE = 'cluster.securityPostureConfig.mode';
const AKS_DEFENDER = 'properties.securityProfile.defender.securityMonitoring.enabled';

const off: RuntimeThreatDetection = { enabled: false, via: null };

describe('RUN-01 Runtime threat detection watches the cluster', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with GuardDuty Runtime Monitoring, naming it', () => {
      // Prepare
      const cluster = eksPosture({
        runtimeThreatDetection: at<RuntimeThreatDetection>(
          EKS_DETECTOR,
          { enabled: true, via: 'guardduty-runtime-monitoring' },
          'ENABLED',
        ),
      });
      // Act
      const verdict = runtimeThreatDetection.evaluate(cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: EKS_DETECTOR, value: 'ENABLED' }],
      });
      assert.equal(verdict.message, 'Runtime threats are watched by GuardDuty Runtime Monitoring.');
    });

    it('fails without a detector', () => {
      const cluster = eksPosture({ runtimeThreatDetection: at(EKS_DETECTOR, off, 'DISABLED') });
      assert.equal(runtimeThreatDetection.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when GuardDuty could not be read', () => {
      const cluster = eksPosture({ runtimeThreatDetection: unknown('GuardDuty ListDetectors denied') });
      const verdict = runtimeThreatDetection.evaluate(cluster, ctx);
      assert.deepEqual(
        { status: verdict.status, message: verdict.message },
        {
          status: 'unknown',
          message: 'Runtime threat detection could not be read: GuardDuty ListDetectors denied',
        },
      );
    });
  });

  describe('on GKE', () => {
    it('passes with security posture BASIC and notes Container Threat Detection is project-level', () => {
      const cluster = gkePosture({
        runtimeThreatDetection: at<RuntimeThreatDetection>(
          GKE_MODE,
          { enabled: true, via: 'gke-security-posture' },
          'BASIC',
        ),
      });
      const verdict = runtimeThreatDetection.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: GKE_MODE, value: 'BASIC' }] });
      assert.match(verdict.message, /GKE security posture\. Container Threat Detection is a project-level/);
    });

    it('fails with security posture DISABLED', () => {
      const cluster = gkePosture({ runtimeThreatDetection: at(GKE_MODE, off, 'DISABLED') });
      assert.deepEqual(outcome(runtimeThreatDetection.evaluate(cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: GKE_MODE, value: 'DISABLED' }],
      });
    });

    it('is unknown for a mode the normaliser did not know', () => {
      const cluster = gkePosture({ runtimeThreatDetection: unknown('mode "PREMIUM" is not a known mode') });
      assert.equal(runtimeThreatDetection.evaluate(cluster, ctx).status, 'unknown');
    });
  });

  describe('on AKS', () => {
    it('passes with the Defender sensor', () => {
      const cluster = aksPosture({
        runtimeThreatDetection: at<RuntimeThreatDetection>(
          AKS_DEFENDER,
          { enabled: true, via: 'defender' },
          true,
        ),
      });
      const verdict = runtimeThreatDetection.evaluate(cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AKS_DEFENDER, value: true }] });
      assert.match(verdict.message, /Defender for Containers sensor/);
    });

    it('fails without Defender', () => {
      const cluster = aksPosture({ runtimeThreatDetection: at(AKS_DEFENDER, off, null) });
      assert.equal(runtimeThreatDetection.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the Defender switch is malformed', () => {
      const cluster = aksPosture({ runtimeThreatDetection: unknown(`${AKS_DEFENDER} is the string "yes"`) });
      assert.equal(runtimeThreatDetection.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
