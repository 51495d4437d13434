import assert from 'node:assert/strict';
import { aksClusterAt, eksFieldsAt, fixtureNameFor, gkeClusterAt } from './sandboxClusters.js';

const PEER_CLUSTER = { name: 'c', url: 'https://127.0.0.1:40123' };

describe('the sandbox pointing cluster descriptions at the Kubernetes peer', () => {
  it('sets an EKS endpoint URL and CA, keeping the other response fields', () => {
    // Act
    const fields = eksFieldsAt(
      { platformVersion: 'eks.7', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com' },
      PEER_CLUSTER,
      'Q0E=',
    );

    // Assess
    assert.deepEqual(fields, {
      platformVersion: 'eks.7',
      endpoint: 'https://127.0.0.1:40123',
      certificateAuthority: { data: 'Q0E=' },
    });
  });

  it('sets a GKE public and private endpoint host and the cluster CA', () => {
    // Act
    const resource = gkeClusterAt(
      {
        name: 'payments-core',
        endpoint: '34.1.2.3',
        masterAuth: { clientCertificateConfig: {} },
        privateClusterConfig: { enablePrivateNodes: true, privateEndpoint: '10.0.0.2' },
        controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, privateEndpoint: '10.0.0.2' } },
      },
      PEER_CLUSTER,
      'Q0E=',
    );

    // Assess
    assert.deepEqual(resource, {
      name: 'payments-core',
      endpoint: '127.0.0.1:40123',
      masterAuth: { clientCertificateConfig: {}, clusterCaCertificate: 'Q0E=' },
      privateClusterConfig: { enablePrivateNodes: true, privateEndpoint: '127.0.0.1:40123' },
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enabled: true, privateEndpoint: '127.0.0.1:40123' },
      },
    });
  });

  it('sets an AKS fqdn, and privateFQDN only where the cluster has one', () => {
    // Act
    const [publicCluster, privateCluster] = [
      aksClusterAt({ name: 'a', properties: { fqdn: 'a.hcp.westeurope.azmk8s.io' } }, PEER_CLUSTER),
      aksClusterAt({ name: 'b', properties: { privateFQDN: 'b.privatelink.azmk8s.io' } }, PEER_CLUSTER),
    ];

    // Assess
    assert.deepEqual(
      [publicCluster, privateCluster],
      [
        { name: 'a', properties: { fqdn: '127.0.0.1:40123' } },
        { name: 'b', properties: { fqdn: '127.0.0.1:40123', privateFQDN: '127.0.0.1:40123' } },
      ],
    );
  });

  it('gives legacy, dev, sandbox, batch and public clusters the non-compliant fixture', () => {
    // Act
    const names = ['prod-payments', 'legacy-billing', 'dev-sandbox', 'batch-public', 'ml-training'].map(
      fixtureNameFor,
    );

    // Assess
    assert.deepEqual(names, ['compliant', 'non-compliant', 'non-compliant', 'non-compliant', 'compliant']);
  });
});
