import assert from 'node:assert/strict';
import { legacyFeatures } from '../../../checks/runtime/legacyFeatures.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const DASHBOARD = 'cluster.addonsConfig.kubernetesDashboard.disabled';
const ALPHA = 'cluster.enableKubernetesAlpha';
const AKS_DASHBOARD = 'properties.addonProfiles.kubeDashboard.enabled';

describe('HYG-01 No legacy dashboard or alpha features are enabled', () => {
  const ctx = evalContext();

  it('is not applicable on EKS', () => {
    assert.deepEqual(outcome(legacyFeatures.evaluate(eksPosture(), ctx)), {
      status: 'not_applicable',
      evidence: [],
    });
  });

  describe('on GKE', () => {
    it('passes with the Dashboard add-on disabled and no alpha features', () => {
      // Prepare
      const cluster = gkePosture();
      // Act
      const verdict = legacyFeatures.evaluate(cluster, ctx);
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
      const verdict = legacyFeatures.evaluate(cluster, ctx);
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
      assert.equal(legacyFeatures.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the Dashboard setting could not be read and alpha is off', () => {
      const cluster = gkePosture({ gke: { kubernetesDashboard: unknown(`${DASHBOARD} is a string`) } });
      assert.deepEqual(outcome(legacyFeatures.evaluate(cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: ALPHA, value: null }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes without the Dashboard add-on', () => {
      assert.deepEqual(outcome(legacyFeatures.evaluate(aksPosture(), ctx)), {
        status: 'pass',
        evidence: [{ path: AKS_DASHBOARD, value: null }],
      });
    });

    it('fails with the Dashboard add-on', () => {
      const cluster = aksPosture({ aks: { kubeDashboard: at(AKS_DASHBOARD, true) } });
      assert.equal(legacyFeatures.evaluate(cluster, ctx).status, 'fail');
    });

    it('is unknown when the add-on could not be read', () => {
      const cluster = aksPosture({ aks: { kubeDashboard: unknown(`${AKS_DASHBOARD} is a string`) } });
      assert.equal(legacyFeatures.evaluate(cluster, ctx).status, 'unknown');
    });
  });
});
