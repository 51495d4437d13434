import assert from 'node:assert/strict';
import { runtimeThreatDetection } from '../../../checks/runtime/runtimeThreatDetection.js';
import { unknown } from '../../../model/observed.js';
import type { EksClusterPosture, RuntimeThreatDetection } from '../../../model/posture.js';
import { type Collected, collected, missing } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, gkePosture } from '../../fixtures/postures.js';
import { eksFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const DETECTOR_STATUS = 'guardDuty.detector.Status';
const RUNTIME_FEATURES = 'guardDuty.detector.Features[RUNTIME_MONITORING]';
const GKE_MODE = 'cluster.securityPostureConfig.mode';
const AKS_DEFENDER = 'properties.securityProfile.defender.securityMonitoring.enabled';

const off: RuntimeThreatDetection = { enabled: false, via: null };

/** An EKS posture as a scan builds it, from ListAddons/DescribeAddon and GetDetector. */
function eksWith(
  detector: Collected<unknown>,
  addons: Collected<readonly unknown[]> = collected([]),
): EksClusterPosture {
  return eksFromWire({}, { guardDutyDetector: detector, addons });
}

describe('RUN-01 Runtime threat detection watches the cluster', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes with GuardDuty Runtime Monitoring, naming it', () => {
      // Prepare
      const features = [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }];
      // Act
      const verdict = evaluateCheck(
        runtimeThreatDetection,
        eksWith(collected({ Status: 'ENABLED', Features: features })),
        ctx,
      );
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: DETECTOR_STATUS, value: 'ENABLED' },
          { path: RUNTIME_FEATURES, value: features },
        ],
      });
      assert.equal(verdict.message, 'Runtime threats are watched by GuardDuty Runtime Monitoring.');
    });

    it('passes with the GuardDuty agent add-on, naming it', () => {
      const verdict = evaluateCheck(
        runtimeThreatDetection,
        eksWith(missing('GetDetector not called'), collected([{ addonName: 'aws-guardduty-agent' }])),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: 'addons[name=aws-guardduty-agent]', value: 'installed' }],
      });
      assert.equal(verdict.message, 'Runtime threats are watched by the GuardDuty security agent add-on.');
    });

    it('fails when the region has no detector and no agent add-on is installed', () => {
      const verdict = evaluateCheck(runtimeThreatDetection, eksWith(collected(null)), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: 'guardDuty.detectorId', value: null }],
      });
      assert.equal(verdict.message, 'No runtime threat detection is turned on for the cluster.');
    });

    it('fails when the detector runs without runtime monitoring', () => {
      const features = [{ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }];
      const verdict = evaluateCheck(
        runtimeThreatDetection,
        eksWith(collected({ Status: 'ENABLED', Features: features })),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: DETECTOR_STATUS, value: 'ENABLED' },
          { path: RUNTIME_FEATURES, value: features },
        ],
      });
    });

    it('is unknown, not a pass, when the detector has no Status', () => {
      // Prepare
      const detector = { Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] };
      // Act
      const verdict = evaluateCheck(runtimeThreatDetection, eksWith(collected(detector)), ctx);
      // Assess
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [{ path: DETECTOR_STATUS, value: null }],
          message:
            'Runtime threat detection could not be read: the GuardDuty detector of the region has no Status, so whether it runs is not known',
        },
      );
    });

    it('is unknown when GuardDuty could not be read', () => {
      const verdict = evaluateCheck(
        runtimeThreatDetection,
        eksWith(missing('guardduty:ListDetectors failed: AccessDeniedException')),
        ctx,
      );
      assert.deepEqual(
        { ...outcome(verdict), message: verdict.message },
        {
          status: 'unknown',
          evidence: [],
          message:
            'Runtime threat detection could not be read: guardduty:ListDetectors failed: AccessDeniedException',
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
      const verdict = evaluateCheck(runtimeThreatDetection, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: GKE_MODE, value: 'BASIC' }] });
      assert.match(verdict.message, /GKE security posture\. Container Threat Detection is a project-level/);
    });

    it('fails with security posture DISABLED', () => {
      const cluster = gkePosture({ runtimeThreatDetection: at(GKE_MODE, off, 'DISABLED') });
      assert.deepEqual(outcome(evaluateCheck(runtimeThreatDetection, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: GKE_MODE, value: 'DISABLED' }],
      });
    });

    it('is unknown for a mode the normaliser did not know', () => {
      const cluster = gkePosture({
        runtimeThreatDetection: unknown('cluster.securityPostureConfig.mode "PREMIUM" is not a known mode', {
          path: GKE_MODE,
          value: 'PREMIUM',
        }),
      });
      assert.deepEqual(outcome(evaluateCheck(runtimeThreatDetection, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: GKE_MODE, value: 'PREMIUM' }],
      });
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
      const verdict = evaluateCheck(runtimeThreatDetection, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AKS_DEFENDER, value: true }] });
      assert.match(verdict.message, /Defender for Containers sensor/);
    });

    it('fails without Defender', () => {
      const cluster = aksPosture({ runtimeThreatDetection: at(AKS_DEFENDER, off, null) });
      assert.deepEqual(outcome(evaluateCheck(runtimeThreatDetection, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AKS_DEFENDER, value: null }],
      });
    });

    it('is unknown when the Defender switch is malformed', () => {
      const cluster = aksPosture({
        runtimeThreatDetection: unknown(`${AKS_DEFENDER} is the string "yes"`, {
          path: AKS_DEFENDER,
          value: 'yes',
        }),
      });
      assert.deepEqual(outcome(evaluateCheck(runtimeThreatDetection, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_DEFENDER, value: 'yes' }],
      });
    });
  });

  describe('naming the detector', () => {
    it('names a detector it has no label for as the normaliser called it', () => {
      const cluster = aksPosture({
        runtimeThreatDetection: at<RuntimeThreatDetection>(
          AKS_DEFENDER,
          { enabled: true, via: 'falco' },
          true,
        ),
      });
      const verdict = evaluateCheck(runtimeThreatDetection, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AKS_DEFENDER, value: true }] });
      assert.equal(verdict.message, 'Runtime threats are watched by falco.');
    });

    it('says "a runtime detector" when the normaliser named none', () => {
      const cluster = aksPosture({
        runtimeThreatDetection: at<RuntimeThreatDetection>(AKS_DEFENDER, { enabled: true, via: null }, true),
      });
      const verdict = evaluateCheck(runtimeThreatDetection, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: AKS_DEFENDER, value: true }] });
      assert.equal(verdict.message, 'Runtime threats are watched by a runtime detector.');
    });
  });
});
