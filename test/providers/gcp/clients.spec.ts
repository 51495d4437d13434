import assert from 'node:assert/strict';
import { isLoopbackEndpoint } from '../../../providers/endpoint.js';
import { parseEndpoint } from '../../../providers/gcp/clients.js';

describe('providers/gcp clients: which endpoint is a local peer', () => {
  it('splits host and port, IPv6 hosts in brackets', () => {
    assert.deepEqual(parseEndpoint('127.0.0.1:8443'), { host: '127.0.0.1', port: 8443 });
    assert.deepEqual(parseEndpoint('[::1]:9000'), { host: '::1', port: 9000 });
    assert.deepEqual(parseEndpoint('europe-west1-container.googleapis.com'), {
      host: 'europe-west1-container.googleapis.com',
    });
  });

  it('treats only loopback addresses as local peers: plaintext gRPC and no credentials', () => {
    for (const endpoint of ['127.0.0.1:1', '127.8.9.10', 'localhost:50051', '[::1]:9000'])
      assert.equal(isLoopbackEndpoint(endpoint), true, endpoint);
    for (const endpoint of [
      undefined,
      'container.googleapis.com',
      '10.0.0.1:443',
      '128.0.0.1',
      'localhost.evil.example',
    ])
      assert.equal(isLoopbackEndpoint(endpoint), false, String(endpoint));
  });
});
