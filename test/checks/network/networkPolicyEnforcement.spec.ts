import assert from 'node:assert/strict';
import { networkPolicyEnforcement } from '../../../checks/network/networkPolicyEnforcement.js';
import { collected } from '../../../providers/collected.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const VPC_CNI = 'addons[name=vpc-cni].configurationValues';
const GKE_POLICY = 'cluster.networkPolicy.enabled';
const GKE_DATAPATH = 'cluster.networkConfig.datapathProvider';
const AKS_POLICY = 'properties.networkProfile.networkPolicy';
const AKS_DATAPLANE = 'properties.networkProfile.networkDataplane';

/** An EKS cluster with the vpc-cni add-on configured with `configurationValues` (DescribeAddon). */
function eksWithVpcCni(configurationValues: string) {
  return eksFromWire({}, { addons: collected([{ addonName: 'vpc-cni', configurationValues }]) });
}

describe('NET-01 Network policy enforcement is available', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the VPC CNI add-on enforces network policy', () => {
      // Prepare
      const values = '{"enableNetworkPolicy":"true"}';
      // Act
      const verdict = evaluateCheck(networkPolicyEnforcement, eksWithVpcCni(values), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: VPC_CNI, value: values }] });
      assert.equal(verdict.message, 'Network policies are enforced by the Amazon VPC CNI.');
    });

    it('is unknown when the VPC CNI add-on leaves network policy off: Calico may enforce it from inside', () => {
      // Prepare: Calico beside the VPC CNI needs the CNI's own enforcement off, and the EKS API shows no trace of it.
      const values = 'enableNetworkPolicy: "false"';
      // Act
      const verdict = evaluateCheck(networkPolicyEnforcement, eksWithVpcCni(values), ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'unknown', evidence: [{ path: VPC_CNI, value: values }] });
      assert.equal(
        verdict.message,
        'The VPC CNI add-on does not enforce network policy (enableNetworkPolicy is not "true"); whether an engine installed in the cluster (Calico, Cilium) does needs an in-cluster read, which is not made.',
      );
    });

    it('is unknown when the VPC CNI is not an EKS add-on, so its setting cannot be read', () => {
      const cluster = eksFromWire({}, { addons: collected([{ addonName: 'coredns' }]) });
      const verdict = evaluateCheck(networkPolicyEnforcement, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: 'addons[name=vpc-cni]', value: null }],
      });
      assert.match(
        verdict.message,
        /^Network policy setting could not be read: the vpc-cni add-on is not installed/,
      );
    });
  });

  describe('on GKE', () => {
    it('passes with Dataplane V2 although networkPolicy.enabled is unset', () => {
      const cluster = gkeFromWire({ networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' } });
      const verdict = evaluateCheck(networkPolicyEnforcement, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_POLICY, value: null },
          { path: GKE_DATAPATH, value: 'ADVANCED_DATAPATH' },
        ],
      });
      assert.equal(verdict.message, 'Network policies are enforced by GKE Dataplane V2.');
    });

    it('passes with the network policy add-on, naming Calico', () => {
      const cluster = gkeFromWire({ networkPolicy: { provider: 'CALICO', enabled: true } });
      const verdict = evaluateCheck(networkPolicyEnforcement, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: GKE_POLICY, value: true },
          { path: GKE_DATAPATH, value: null },
        ],
      });
      assert.equal(verdict.message, 'Network policies are enforced by Calico.');
    });

    it('fails without the network policy add-on or Dataplane V2', () => {
      const cluster = gkeFromWire({ networkConfig: { datapathProvider: 'LEGACY_DATAPATH' } });
      const verdict = evaluateCheck(networkPolicyEnforcement, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'fail',
        evidence: [
          { path: GKE_POLICY, value: null },
          { path: GKE_DATAPATH, value: 'LEGACY_DATAPATH' },
        ],
      });
      assert.equal(verdict.message, 'No network policy engine is enforcing NetworkPolicy objects.');
    });

    it('is unknown when networkPolicy.enabled is malformed', () => {
      const cluster = gkeFromWire({ networkPolicy: { enabled: 'true' } });
      assert.deepEqual(outcome(evaluateCheck(networkPolicyEnforcement, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: GKE_POLICY, value: 'true' }],
      });
    });
  });

  describe('on AKS', () => {
    for (const [networkPolicy, name] of [
      ['azure', 'Azure Network Policy Manager'],
      ['calico', 'Calico'],
      ['cilium', 'Cilium'],
    ]) {
      it(`passes with networkPolicy ${networkPolicy}, naming ${name}`, () => {
        const verdict = evaluateCheck(
          networkPolicyEnforcement,
          aksFromWire({ networkProfile: { networkPolicy } }),
          ctx,
        );
        assert.deepEqual(outcome(verdict), {
          status: 'pass',
          evidence: [
            { path: AKS_POLICY, value: networkPolicy },
            { path: AKS_DATAPLANE, value: null },
          ],
        });
        assert.equal(verdict.message, `Network policies are enforced by ${name}.`);
      });
    }

    it('passes with the Cilium dataplane, which enforces network policy without a networkPolicy value', () => {
      const cluster = aksFromWire({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium' } });
      const verdict = evaluateCheck(networkPolicyEnforcement, cluster, ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'pass',
        evidence: [
          { path: AKS_POLICY, value: null },
          { path: AKS_DATAPLANE, value: 'cilium' },
        ],
      });
      assert.equal(verdict.message, 'Network policies are enforced by Cilium.');
    });

    it('fails without a network policy engine', () => {
      const cluster = aksFromWire({ networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'none' } });
      assert.deepEqual(outcome(evaluateCheck(networkPolicyEnforcement, cluster, ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_POLICY, value: 'none' },
          { path: AKS_DATAPLANE, value: null },
        ],
      });
    });

    it('is unknown when networkPolicy names an engine AKS does not document', () => {
      const cluster = aksFromWire({ networkProfile: { networkPolicy: 'antrea' } });
      assert.deepEqual(outcome(evaluateCheck(networkPolicyEnforcement, cluster, ctx)), {
        status: 'unknown',
        evidence: [
          { path: AKS_POLICY, value: 'antrea' },
          { path: AKS_DATAPLANE, value: null },
        ],
      });
    });
  });
});
