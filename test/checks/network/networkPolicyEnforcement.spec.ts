import assert from 'node:assert/strict';
import { networkPolicyEnforcement } from '../../../checks/network/networkPolicyEnforcement.js';
import { unknown } from '../../../model/observed.js';
import type { NetworkPolicyEnforcement } from '../../../model/posture.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

const VPC_CNI = 'addons[vpc-cni].configurationValues';
const GKE_POLICY = 'cluster.networkPolicy.enabled';
const GKE_DATAPATH = 'cluster.networkConfig.datapathProvider';
const AKS_POLICY = 'properties.networkProfile.networkPolicy';

describe('NET-01 Network policy enforcement is available', () => {
  const ctx = evalContext();

  it('passes on EKS when the VPC CNI enforces network policy', () => {
    // Prepare
    const raw = '{"enableNetworkPolicy":"true"}';
    const cluster = eksPosture({
      networkPolicy: at<NetworkPolicyEnforcement>(VPC_CNI, { enforced: true, engine: 'vpc-cni' }, raw),
    });
    // Act
    const verdict = networkPolicyEnforcement.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: VPC_CNI, value: raw }] });
  });

  it('fails on EKS when the VPC CNI does not enforce network policy', () => {
    const cluster = eksPosture({
      networkPolicy: at<NetworkPolicyEnforcement>(VPC_CNI, { enforced: false, engine: null }, '{}'),
    });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on EKS when the vpc-cni add-on could not be described', () => {
    const cluster = eksPosture({ networkPolicy: unknown('DescribeAddon not collected from a snapshot') });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on GKE with Dataplane V2 although networkPolicy.enabled is unset', () => {
    const cluster = gkePosture({
      networkPolicy: at<NetworkPolicyEnforcement>(
        GKE_DATAPATH,
        { enforced: true, engine: 'dataplane-v2' },
        'ADVANCED_DATAPATH',
      ),
    });
    const verdict = networkPolicyEnforcement.evaluate(cluster, ctx);
    assert.deepEqual(outcome(verdict), {
      status: 'pass',
      evidence: [{ path: GKE_DATAPATH, value: 'ADVANCED_DATAPATH' }],
    });
    assert.match(verdict.message, /Dataplane V2/);
  });

  it('passes on GKE with the network policy add-on (Calico)', () => {
    const cluster = gkePosture({
      networkPolicy: at<NetworkPolicyEnforcement>(GKE_POLICY, { enforced: true, engine: 'calico' }, true),
    });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on GKE without network policy or Dataplane V2', () => {
    const cluster = gkePosture({
      networkPolicy: at<NetworkPolicyEnforcement>(GKE_POLICY, { enforced: false, engine: null }, null),
    });
    assert.deepEqual(outcome(networkPolicyEnforcement.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: GKE_POLICY, value: null }],
    });
  });

  it('is unknown on GKE when the network config could not be read', () => {
    const cluster = gkePosture({ networkPolicy: unknown('networkConfig malformed') });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS with Cilium network policy', () => {
    const cluster = aksPosture({
      networkPolicy: at<NetworkPolicyEnforcement>(AKS_POLICY, { enforced: true, engine: 'cilium' }, 'cilium'),
    });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on AKS without a network policy engine', () => {
    const cluster = aksPosture({
      networkPolicy: at<NetworkPolicyEnforcement>(AKS_POLICY, { enforced: false, engine: null }, 'none'),
    });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when the network profile could not be read', () => {
    const cluster = aksPosture({ networkPolicy: unknown('networkProfile malformed') });
    assert.equal(networkPolicyEnforcement.evaluate(cluster, ctx).status, 'unknown');
  });
});
