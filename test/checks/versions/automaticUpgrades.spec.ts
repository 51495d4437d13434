import assert from 'node:assert/strict';
import { automaticUpgrades } from '../../../checks/versions/automaticUpgrades.js';
import { known, unknown } from '../../../model/observed.js';
import type { ClusterMode } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture, nodePool } from '../../fixtures/postures.js';
import { evaluateCheck, outcome } from '../outcome.js';

const CHANNEL = 'cluster.releaseChannel.channel';
const AKS_CHANNEL = 'properties.autoUpgradeProfile.upgradeChannel';

function autoUpgrade(index: number, value: boolean, raw: boolean | null = value) {
  return at(`nodePools[${index}].management.autoUpgrade`, value, raw);
}

describe('VER-05 Upgrades are automated', () => {
  const ctx = evalContext();

  it('is not applicable on EKS, which has no automatic minor upgrades', () => {
    const verdict = evaluateCheck(automaticUpgrades, eksPosture(), ctx);
    assert.deepEqual(outcome(verdict), { status: 'not_applicable', evidence: [] });
  });

  describe('on GKE', () => {
    it('passes on a release channel with auto-upgrade on every pool', () => {
      // Prepare
      const cluster = gkePosture({
        gke: { releaseChannel: at(CHANNEL, 'REGULAR') },
        nodePools: known([nodePool(0, { autoUpgrade: autoUpgrade(0, true) })]),
      });
      // Act
      const verdict = evaluateCheck(automaticUpgrades, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: CHANNEL, value: 'REGULAR' },
          { path: 'nodePools[0].management.autoUpgrade', value: true },
        ],
      });
    });

    it('fails on no release channel (UNSPECIFIED, given as a number)', () => {
      const cluster = gkePosture({ gke: { releaseChannel: at(CHANNEL, 'UNSPECIFIED', 0) } });
      const verdict = evaluateCheck(automaticUpgrades, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: CHANNEL, value: 0 }] });
      assert.equal(
        verdict.message,
        'The cluster is on no release channel, so its version is managed by hand.',
      );
    });

    it('fails when a pool has auto-upgrade off (proto3 drops the false)', () => {
      const cluster = gkePosture({
        nodePools: known([nodePool(0), nodePool(1, { autoUpgrade: autoUpgrade(1, false, null) })]),
      });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: 'nodePools[1].management.autoUpgrade', value: null }],
      });
    });

    it('is unknown when a pool auto-upgrade setting could not be read', () => {
      const unread = unknown('nodePools[0].management.autoUpgrade is a string', {
        path: 'nodePools[0].management.autoUpgrade',
        value: 'yes',
      });
      const cluster = gkePosture({
        gke: { releaseChannel: at(CHANNEL, 'STABLE') },
        nodePools: known([nodePool(0, { autoUpgrade: unread })]),
      });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: 'nodePools[0].management.autoUpgrade', value: 'yes' }],
      });
    });

    it('is unknown when the release channel could not be read', () => {
      const cluster = gkePosture({
        gke: { releaseChannel: unknown(`${CHANNEL} is the number 9`, { path: CHANNEL, value: 9 }) },
      });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: CHANNEL, value: 9 }],
      });
    });

    it('passes as provider-enforced on Autopilot', () => {
      const cluster = gkePosture({
        mode: at<ClusterMode>('cluster.autopilot.enabled', 'gke-autopilot', true),
        nodePools: known([nodePool(0, { managedBy: 'provider', autoUpgrade: autoUpgrade(0, true) })]),
      });
      const verdict = evaluateCheck(automaticUpgrades, cluster, ctx);
      assert.deepEqual(
        { ...outcome(verdict), responsibility: verdict.responsibility },
        {
          status: 'pass',
          evidence: [
            { path: 'cluster.autopilot.enabled', value: true },
            { path: CHANNEL, value: 'REGULAR' },
            { path: 'nodePools[0].management.autoUpgrade', value: true },
          ],
          responsibility: 'provider',
        },
      );
    });
  });

  describe('on AKS', () => {
    it('passes on an auto-upgrade channel', () => {
      const cluster = aksPosture({ aks: { upgradeChannel: at(AKS_CHANNEL, 'patch') } });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'pass',
        evidence: [{ path: AKS_CHANNEL, value: 'patch' }],
      });
    });

    it('passes on node-image and says the Kubernetes version is still upgraded by hand', () => {
      const cluster = aksPosture({ aks: { upgradeChannel: at(AKS_CHANNEL, 'node-image') } });
      const verdict = evaluateCheck(automaticUpgrades, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [{ path: AKS_CHANNEL, value: 'node-image' }],
      });
      assert.equal(
        verdict.message,
        'The cluster upgrades itself on the node-image channel. It renews node images only; the Kubernetes version is still upgraded by hand.',
      );
    });

    it('fails without a channel (none, the ARM default)', () => {
      const cluster = aksPosture({ aks: { upgradeChannel: at(AKS_CHANNEL, 'none', null) } });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'fail',
        evidence: [{ path: AKS_CHANNEL, value: null }],
      });
    });

    it('is unknown when the channel could not be read', () => {
      const cluster = aksPosture({
        aks: { upgradeChannel: unknown(`${AKS_CHANNEL} is a number`, { path: AKS_CHANNEL, value: 3 }) },
      });
      assert.deepEqual(outcome(evaluateCheck(automaticUpgrades, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_CHANNEL, value: 3 }],
      });
    });
  });
});
