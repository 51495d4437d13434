import assert from 'node:assert/strict';
import { privateEndpointForNodes } from '../../../checks/endpoint/privateEndpointForNodes.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';
import { outcome } from '../outcome.js';

describe('EP-03 Nodes reach the API server over the private network', () => {
  const ctx = evalContext();
  const EKS_PRIVATE = 'cluster.resourcesVpcConfig.endpointPrivateAccess';
  const GKE_PRIVATE = 'cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.privateEndpoint';
  const AKS_PRIVATE = 'properties.apiServerAccessProfile.enablePrivateCluster';

  it('passes on EKS when the private endpoint is on', () => {
    // Prepare
    const cluster = eksPosture({ endpoint: { privateAccess: at(EKS_PRIVATE, true) } });
    // Act
    const verdict = privateEndpointForNodes.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(outcome(verdict), { status: 'pass', evidence: [{ path: EKS_PRIVATE, value: true }] });
  });

  it('fails on EKS when only the public endpoint is on', () => {
    const cluster = eksPosture({ endpoint: { privateAccess: at(EKS_PRIVATE, false) } });
    assert.deepEqual(outcome(privateEndpointForNodes.evaluate(cluster, ctx)), {
      status: 'fail',
      evidence: [{ path: EKS_PRIVATE, value: false }],
    });
  });

  it('is unknown on EKS when the private endpoint flag could not be read', () => {
    const cluster = eksPosture({ endpoint: { privateAccess: unknown('field absent from the export') } });
    assert.deepEqual(outcome(privateEndpointForNodes.evaluate(cluster, ctx)), {
      status: 'unknown',
      evidence: [],
    });
  });

  it('passes on GKE when the control plane has a private endpoint', () => {
    const cluster = gkePosture({ endpoint: { privateAccess: at(GKE_PRIVATE, true, '10.0.0.2') } });
    assert.deepEqual(outcome(privateEndpointForNodes.evaluate(cluster, ctx)), {
      status: 'pass',
      evidence: [{ path: GKE_PRIVATE, value: '10.0.0.2' }],
    });
  });

  it('fails on GKE for a public cluster without a private endpoint', () => {
    const cluster = gkePosture({ endpoint: { privateAccess: at(GKE_PRIVATE, false, null) } });
    assert.equal(privateEndpointForNodes.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on GKE when the endpoint config could not be read', () => {
    const cluster = gkePosture({
      endpoint: { privateAccess: unknown('malformed controlPlaneEndpointsConfig') },
    });
    assert.equal(privateEndpointForNodes.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS for a private cluster', () => {
    const cluster = aksPosture({ endpoint: { privateAccess: at(AKS_PRIVATE, true) } });
    assert.equal(privateEndpointForNodes.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on AKS for a public cluster without VNet integration', () => {
    const cluster = aksPosture({ endpoint: { privateAccess: at(AKS_PRIVATE, false, null) } });
    assert.equal(privateEndpointForNodes.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when the access profile could not be read', () => {
    const cluster = aksPosture({ endpoint: { privateAccess: unknown('access denied') } });
    assert.equal(privateEndpointForNodes.evaluate(cluster, ctx).status, 'unknown');
  });
});
