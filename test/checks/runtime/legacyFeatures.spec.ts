import assert from 'node:assert/strict';
import { legacyFeatures } from '../../../checks/runtime/legacyFeatures.js';
import { unknown } from '../../../model/observed.js';
import type { AksClusterPosture } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { aksFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const DASHBOARD = 'cluster.addonsConfig.kubernetesDashboard.disabled';
const ALPHA = 'cluster.enableKubernetesAlpha';
const AKS_DASHBOARD = 'properties.addonProfiles.kubeDashboard.enabled';
const AKS_VERSION = 'properties.currentKubernetesVersion';

/** An AKS posture as a scan builds it from a managed cluster's ARM `properties`. */
function aksCluster(currentKubernetesVersion: string, addonProfiles?: unknown): AksClusterPosture {
  return aksFromWire({
    currentKubernetesVersion,
    ...(addonProfiles === undefined ? {} : { addonProfiles }),
  });
}

describe('HYG-01 No legacy dashboard or alpha features are enabled', () => {
  const ctx = evalContext();

  it('is not applicable on EKS', () => {
    assert.deepEqual(outcome(evaluateCheck(legacyFeatures, eksPosture(), ctx)), {
      status: 'not_applicable',
      evidence: [],
    });
  });

  describe('on GKE', () => {
    it('passes with the Dashboard add-on disabled and no alpha features', () => {
      // Prepare
      const cluster = gkePosture();
      // Act
      const verdict = evaluateCheck(legacyFeatures, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: DASHBOARD, value: true },
          { path: ALPHA, value: null },
        ],
      });
    });

    it('fails on an alpha cluster', () => {
      const cluster = gkePosture({ gke: { kubernetesAlpha: at(ALPHA, true) } });
      const verdict = evaluateCheck(legacyFeatures, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: DASHBOARD, value: true },
          { path: ALPHA, value: true },
        ],
      });
      assert.equal(verdict.message, 'The cluster has Kubernetes alpha features turned on.');
    });

    it('fails when the Dashboard add-on is configured without disabled: true', () => {
      const cluster = gkePosture({ gke: { kubernetesDashboard: at(DASHBOARD, true, null) } });
      const verdict = evaluateCheck(legacyFeatures, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: DASHBOARD, value: null },
          { path: ALPHA, value: null },
        ],
      });
      assert.equal(verdict.message, 'The cluster has the Kubernetes Dashboard add-on turned on.');
    });

    it('names both when the Dashboard and alpha features are on', () => {
      const cluster = gkePosture({
        gke: { kubernetesDashboard: at(DASHBOARD, true, false), kubernetesAlpha: at(ALPHA, true) },
      });
      const verdict = evaluateCheck(legacyFeatures, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: DASHBOARD, value: false },
          { path: ALPHA, value: true },
        ],
      });
      assert.equal(
        verdict.message,
        'The cluster has the Kubernetes Dashboard add-on and Kubernetes alpha features turned on.',
      );
    });

    it('fails on the Dashboard even when the alpha setting could not be read', () => {
      const cluster = gkePosture({
        gke: {
          kubernetesDashboard: at(DASHBOARD, true, false),
          kubernetesAlpha: unknown(`${ALPHA} is a string`, { path: ALPHA, value: 'yes' }),
        },
      });
      assert.deepEqual(outcome(evaluateCheck(legacyFeatures, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: DASHBOARD, value: false },
          { path: ALPHA, value: 'yes' },
        ],
      });
    });

    it('is unknown when the Dashboard setting could not be read and alpha is off', () => {
      const cluster = gkePosture({ gke: { kubernetesDashboard: unknown(`${DASHBOARD} is a string`) } });
      assert.deepEqual(outcome(evaluateCheck(legacyFeatures, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: ALPHA, value: null }],
      });
    });

    it('is unknown when the alpha setting could not be read and the Dashboard is off', () => {
      const cluster = gkePosture({
        gke: { kubernetesAlpha: unknown(`${ALPHA} is a string`, { path: ALPHA, value: 'yes' }) },
      });
      assert.deepEqual(outcome(evaluateCheck(legacyFeatures, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: ALPHA, value: 'yes' },
          { path: DASHBOARD, value: true },
        ],
      });
    });
  });

  describe('on AKS', () => {
    it('passes without a Dashboard entry from 1.19, where AKS no longer has the add-on, citing the version', () => {
      // Act
      const verdict = evaluateCheck(legacyFeatures, aksCluster('1.30.7'), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: AKS_DASHBOARD, value: null },
          { path: AKS_VERSION, value: '1.30.7' },
        ],
      });
      assert.equal(verdict.message, 'The Kubernetes Dashboard add-on is off.');
    });

    it('is unknown, not a pass, without a Dashboard entry on 1.18, whose default depended on the creation version', () => {
      // Act
      const verdict = evaluateCheck(legacyFeatures, aksCluster('1.18.14'), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [
          { path: AKS_DASHBOARD, value: null },
          { path: AKS_VERSION, value: '1.18.14' },
        ],
      });
    });

    it('fails without a Dashboard entry before 1.18, where AKS turned the add-on on by default', () => {
      // Act
      const verdict = evaluateCheck(legacyFeatures, aksCluster('1.17.16'), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: AKS_DASHBOARD, value: null },
          { path: AKS_VERSION, value: '1.17.16' },
        ],
      });
      assert.equal(
        verdict.message,
        'The Kubernetes Dashboard add-on is on: enabled in addonProfiles, or on by default on AKS before Kubernetes 1.18 when addonProfiles has no entry for it.',
      );
    });

    it('fails with the Dashboard add-on enabled', () => {
      const verdict = evaluateCheck(
        legacyFeatures,
        aksCluster('1.18.14', { kubeDashboard: { enabled: true } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [{ path: AKS_DASHBOARD, value: true }],
      });
    });

    it('passes with the Dashboard add-on turned off, whatever the version', () => {
      const verdict = evaluateCheck(
        legacyFeatures,
        aksCluster('1.17.16', { kubeDashboard: { enabled: false } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: AKS_DASHBOARD, value: false }],
      });
    });

    it('is unknown when the add-on switch is not a boolean', () => {
      const verdict = evaluateCheck(
        legacyFeatures,
        aksCluster('1.30.7', { kubeDashboard: { enabled: 'yes' } }),
        ctx,
      );
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: AKS_DASHBOARD, value: 'yes' }],
      });
    });
  });
});
