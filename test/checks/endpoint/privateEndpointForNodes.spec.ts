import assert from 'node:assert/strict';
import { privateEndpointForNodes } from '../../../checks/endpoint/privateEndpointForNodes.js';
import { evalContext } from '../../fixtures/context.js';
import { aksFromWire, eksFromWire, gkeFromWire } from '../fromWire.js';
import { evaluateCheck, outcome } from '../outcome.js';

const EKS_PRIVATE = 'cluster.resourcesVpcConfig.endpointPrivateAccess';
const GKE_PRIVATE_NODES = 'cluster.privateClusterConfig.enablePrivateNodes';
const GKE_IP_PRIVATE_ENDPOINT = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint';
const GKE_LEGACY_PRIVATE_ENDPOINT = 'cluster.privateClusterConfig.privateEndpoint';
const AKS_PRIVATE = 'properties.apiServerAccessProfile.enablePrivateCluster';
const AKS_VNET = 'properties.apiServerAccessProfile.enableVnetIntegration';

describe('EP-03 Nodes reach the API server over the private network', () => {
  const ctx = evalContext();

  describe('on EKS', () => {
    it('passes when the private endpoint is on beside the public one', () => {
      // Prepare
      const cluster = eksFromWire({
        resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true },
      });
      // Act
      const verdict = evaluateCheck(privateEndpointForNodes, cluster, ctx);
      // Assess
      assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_PRIVATE, value: true }] });
    });

    it('fails when only the public endpoint is on', () => {
      const cluster = eksFromWire({
        resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false },
      });
      const verdict = evaluateCheck(privateEndpointForNodes, cluster, ctx);
      assert.deepEqual(outcome(verdict), { status: 'fail', evidence: [{ path: EKS_PRIVATE, value: false }] });
      assert.equal(
        verdict.message,
        'The API server has no private endpoint: nodes reach it over its public address.',
      );
    });

    it('is unknown when the private endpoint flag is absent from the export', () => {
      const verdict = evaluateCheck(privateEndpointForNodes, eksFromWire({ resourcesVpcConfig: {} }), ctx);
      assert.deepEqual(outcome(verdict), {
        status: 'unknown',
        evidence: [{ path: EKS_PRIVATE, value: null }],
      });
      assert.equal(
        verdict.message,
        'Private endpoint setting could not be read: cluster.resourcesVpcConfig.endpointPrivateAccess absent from DescribeCluster output',
      );
    });
  });

  describe('on GKE', () => {
    it('passes when the control plane has a private IP endpoint', () => {
      const cluster = gkeFromWire({
        controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, privateEndpoint: '10.0.0.2' } },
      });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: GKE_PRIVATE_NODES, value: null },
          { path: GKE_IP_PRIVATE_ENDPOINT, value: '10.0.0.2' },
          { path: GKE_LEGACY_PRIVATE_ENDPOINT, value: null },
        ],
      });
    });

    it('passes for a legacy private cluster with private nodes', () => {
      const cluster = gkeFromWire({ privateClusterConfig: { enablePrivateNodes: true } });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: GKE_PRIVATE_NODES, value: true },
          { path: GKE_IP_PRIVATE_ENDPOINT, value: null },
          { path: GKE_LEGACY_PRIVATE_ENDPOINT, value: null },
        ],
      });
    });

    it('fails for a public cluster without a private endpoint', () => {
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, gkeFromWire({}), ctx)), {
        status: 'fail',
        evidence: [
          { path: GKE_PRIVATE_NODES, value: null },
          { path: GKE_IP_PRIVATE_ENDPOINT, value: null },
          { path: GKE_LEGACY_PRIVATE_ENDPOINT, value: null },
        ],
      });
    });

    it('is unknown when the private nodes flag is malformed', () => {
      const cluster = gkeFromWire({ privateClusterConfig: { enablePrivateNodes: 'yes' } });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: GKE_PRIVATE_NODES, value: 'yes' }],
      });
    });
  });

  describe('on AKS', () => {
    it('passes for a private cluster', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { enablePrivateCluster: true } });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_PRIVATE, value: true },
          { path: AKS_VNET, value: null },
        ],
      });
    });

    it('passes for a public cluster with API Server VNet Integration', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { enableVnetIntegration: true } });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'pass',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_VNET, value: true },
        ],
      });
    });

    it('fails for a public cluster without VNet integration, the ARM default', () => {
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, aksFromWire({}), ctx)), {
        status: 'fail',
        evidence: [
          { path: AKS_PRIVATE, value: null },
          { path: AKS_VNET, value: null },
        ],
      });
    });

    it('is unknown when the VNet integration flag is malformed', () => {
      const cluster = aksFromWire({ apiServerAccessProfile: { enableVnetIntegration: 1 } });
      assert.deepEqual(outcome(evaluateCheck(privateEndpointForNodes, cluster, ctx)), {
        status: 'unknown',
        evidence: [{ path: AKS_VNET, value: 1 }],
      });
    });
  });
});
