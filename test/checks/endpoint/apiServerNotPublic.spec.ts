import assert from 'node:assert/strict';
import { apiServerNotPublic } from '../../../checks/endpoint/apiServerNotPublic.js';
import { unknown } from '../../../model/observed.js';
import { evalContext } from '../../fixtures/context.js';
import { aksPosture, at, eksPosture, gkePosture } from '../../fixtures/postures.js';

describe('EP-01 API server has no public endpoint', () => {
  const ctx = evalContext();

  it('passes on EKS when public access is off and the private endpoint is on', () => {
    // Prepare
    const cluster = eksPosture({
      endpoint: {
        publicAccess: at('cluster.resourcesVpcConfig.endpointPublicAccess', false),
        privateAccess: at('cluster.resourcesVpcConfig.endpointPrivateAccess', true),
      },
    });
    // Act
    const verdict = apiServerNotPublic.evaluate(cluster, ctx);
    // Assess
    assert.deepEqual(
      { status: verdict.status, evidence: verdict.evidence },
      {
        status: 'pass',
        evidence: [
          { path: 'cluster.resourcesVpcConfig.endpointPublicAccess', value: false },
          { path: 'cluster.resourcesVpcConfig.endpointPrivateAccess', value: true },
        ],
      },
    );
  });

  it('fails on EKS when public and private are both on (public is public, whatever the CIDRs)', () => {
    const cluster = eksPosture({
      endpoint: {
        publicAccess: at('cluster.resourcesVpcConfig.endpointPublicAccess', true),
        privateAccess: at('cluster.resourcesVpcConfig.endpointPrivateAccess', true),
      },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on EKS when the public access flag could not be read', () => {
    const cluster = eksPosture({ endpoint: { publicAccess: unknown('field absent from the export') } });
    const verdict = apiServerNotPublic.evaluate(cluster, ctx);
    assert.deepEqual(
      { status: verdict.status, message: verdict.message },
      {
        status: 'unknown',
        message: 'Public endpoint setting could not be read: field absent from the export',
      },
    );
  });

  it('passes on GKE when the public IP endpoint is off', () => {
    const cluster = gkePosture({
      endpoint: {
        publicAccess: at('cluster.controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint', false),
      },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on GKE when the public IP endpoint is on', () => {
    const cluster = gkePosture({
      endpoint: { publicAccess: at('cluster.privateClusterConfig.enablePrivateEndpoint', true, null) },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on GKE when the endpoint configuration could not be read', () => {
    const cluster = gkePosture({
      endpoint: { publicAccess: unknown('malformed controlPlaneEndpointsConfig') },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'unknown');
  });

  it('passes on AKS for a private cluster', () => {
    const cluster = aksPosture({
      endpoint: { publicAccess: at('properties.apiServerAccessProfile.enablePrivateCluster', false, true) },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'pass');
  });

  it('fails on AKS for a public cluster', () => {
    const cluster = aksPosture({
      endpoint: { publicAccess: at('properties.apiServerAccessProfile.enablePrivateCluster', true, null) },
    });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'fail');
  });

  it('is unknown on AKS when the access profile could not be read', () => {
    const cluster = aksPosture({ endpoint: { publicAccess: unknown('access denied') } });
    assert.equal(apiServerNotPublic.evaluate(cluster, ctx).status, 'unknown');
  });
});
