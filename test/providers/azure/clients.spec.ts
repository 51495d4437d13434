import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import { AzureClientFactory, PUBLIC_ARM_ENDPOINT } from '../../../providers/azure/clients.js';
import { aksSource } from '../../../providers/azure/source.js';
import { isLoopbackEndpoint } from '../../../providers/endpoint.js';
import { type ArmPeer, startArmPeer } from '../../peers/azure/armPeer.js';
import { generatedManagedCluster } from '../../peers/azure/generate.js';

describe('providers/azure: clients', () => {
  describe('isLoopbackEndpoint (ARM endpoints)', () => {
    for (const [endpoint, local] of [
      ['https://127.0.0.1:8443', true],
      ['https://127.9.9.9', true],
      ['https://[::1]:8443', true],
      ['https://localhost:8443', true],
      [PUBLIC_ARM_ENDPOINT, false],
      ['https://management.usgovcloudapi.net', false],
      ['https://127.0.0.1.example.com', false],
      ['not a url', false],
      [undefined, false],
    ] as const) {
      it(`${String(endpoint)} is ${local ? 'a local peer' : 'not a local peer'}`, () => {
        assert.equal(isLoopbackEndpoint(endpoint), local);
      });
    }
  });

  describe('token audience', function () {
    this.timeout(30_000);
    let peer: ArmPeer;
    before(async () => {
      peer = await startArmPeer();
    });
    after(async () => {
      await peer?.close();
    });

    it('asks for tokens for the configured endpoint, as sovereign clouds require, from every client', async () => {
      const scopes = new Set<string>();
      const credential: TokenCredential = {
        getToken: async (requested) => {
          for (const scope of typeof requested === 'string' ? [requested] : requested) scopes.add(scope);
          return { token: 'recorded', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      };
      peer.addCluster(
        generatedManagedCluster({ subscription: '00000000-0000-4000-8000-0000000000d1', name: 'c' }),
      );
      const result = await aksSource({
        targets: {},
        factory: new AzureClientFactory(
          { endpoint: `${peer.endpoint}/`, ca: peer.ca, maxRetries: 0, callTimeoutMs: 5000 },
          credential,
        ),
        concurrency: { perScope: 2, scopes: 1 },
      }).collect();
      assert.equal(result.postures.length, 1);
      assert.deepEqual([...scopes], [`${peer.endpoint}/.default`]);
      assert.ok(peer.calls().every((call) => call.token === 'recorded'));
    });
  });
});
