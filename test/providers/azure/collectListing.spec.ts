import assert from 'node:assert/strict';
import { ApiCalls } from '../../../providers/apiCalls.js';
import type { AzureClientFactory } from '../../../providers/azure/clients.js';
import { collectAksScope } from '../../../providers/azure/collect.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';

/** A factory whose managedClusters.list yields `page`, once, as the SDK's byPage() does. */
function listing(page: unknown): AzureClientFactory {
  async function* pages() {
    yield page;
  }
  return {
    forSubscription: () => ({ containerService: { managedClusters: { list: () => ({ byPage: pages }) } } }),
  } as unknown as AzureClientFactory;
}

async function listScope(page: unknown) {
  return collectAksScope(
    { subscriptionId: SUBSCRIPTION },
    { factory: listing(page), calls: new ApiCalls(), concurrency: { initial: 2, max: 2 } },
  );
}

describe('providers/azure collectAksScope: a cluster list it cannot read is never read as fewer clusters', () => {
  it('reads an empty page as a subscription without clusters', async () => {
    const { result, problems } = await listScope([]);
    assert.deepEqual([result.status, result.clusters, problems], ['ok', 0, []]);
  });

  it('makes the subscription an error when a page is not a list', async () => {
    const { result, clusters, problems } = await listScope({ value: 5 });
    assert.deepEqual(
      { status: result.status, error: result.error, clusters, problems },
      {
        status: 'error',
        error: 'Microsoft.ContainerService/managedClusters/read returned a page that is not a list',
        clusters: [],
        problems: [],
      },
    );
  });

  it('names entries that are not clusters as a problem of the subscription', async () => {
    const { result, problems } = await listScope([5, 'x']);
    assert.equal(result.status, 'ok');
    assert.deepEqual(problems, [
      {
        scope: SUBSCRIPTION,
        reason: 'Microsoft.ContainerService/managedClusters/read returned 2 entries that are not clusters',
      },
    ]);
  });
});
