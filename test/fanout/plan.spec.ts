import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubelineConfig } from '../../config/schema.js';
import type { PlannedScopes, PlanningSource, RunPlan, ShardScope } from '../../engine/fanout.js';
import { planRun } from '../../fanout/plan.js';
import { shardConfigs } from '../../fanout/shard.js';
import type { Provider } from '../../model/posture.js';
import { FileSink } from '../../sinks/file.js';

const RUN = '20270315T102030Z-plan01';
const STARTED = new Date('2027-03-15T10:20:30Z');
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const CONFIG: KubelineConfig = {
  targets: {
    eks: { organization: { roleName: 'kubeline-read' }, concurrency: { perScope: 4 } },
    gke: { organization: 'organizations/1234', maxAttempts: 3 },
    aks: { tenants: ['11111111-1111-1111-1111-111111111111'] },
  },
};

/** A planning source that lists fixed scopes (or fails), and records that it was closed. */
function plannedSource(
  planned: PlannedScopes | Error,
  closed: Provider[],
  provider: Provider,
): PlanningSource {
  return {
    name: `${provider} (fixed)`,
    plan: async () => {
      if (planned instanceof Error) throw planned;
      return planned;
    },
    collect: () => Promise.reject(new Error('planning reads no cluster')),
    close: async () => {
      closed.push(provider);
    },
  };
}

const NO_CALLS = { calls: 0, retries: 0, failures: 0 };

describe('fanout/plan: listing the scopes of a run and splitting them into shards', () => {
  let sink: FileSink;
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kubeline-plan-'));
    sink = new FileSink(folder);
  });

  async function plan(
    selection: Parameters<typeof planRun>[0]['selection'],
    plans: Partial<Record<Provider, PlannedScopes | Error>>,
    closed: Provider[] = [],
  ) {
    return planRun(
      { runId: RUN, trigger: 'http', startedAt: STARTED, selection, notify: false },
      {
        config: CONFIG,
        env: {},
        sink,
        scopesPerShard: 2,
        sourceFor: async (provider) => {
          const planned = plans[provider];
          if (planned === undefined) throw new Error(`${provider}: no such target in this test`);
          return plannedSource(planned, closed, provider);
        },
      },
    );
  }

  it('writes the plan and the Map items, sums the calls, and closes every source', async () => {
    // Prepare
    const closed: Provider[] = [];
    const denied = {
      provider: 'eks' as const,
      scope: '333333333333',
      status: 'error' as const,
      error: 'AccessDenied',
      clusters: 0,
    };

    // Act
    const planned = await plan(
      {},
      {
        eks: {
          scopes: [
            {
              provider: 'eks',
              account: '111111111111',
              region: 'us-east-1',
              roleArn: 'arn:aws:iam::111111111111:role/kubeline-read',
            },
          ],
          errors: [denied],
          apiCalls: { calls: 5, retries: 1, failures: 1 },
        },
        gke: {
          scopes: [{ provider: 'gke', project: 'p1' }],
          errors: [],
          apiCalls: { calls: 2, retries: 0, failures: 0 },
        },
        aks: { scopes: [{ provider: 'aks', subscription: SUBSCRIPTION }], errors: [], apiCalls: NO_CALLS },
      },
      closed,
    );

    // Assess
    const written = JSON.parse(await readFile(join(folder, `work/${RUN}/plan.json`), 'utf8')) as RunPlan;
    assert.deepEqual(written, planned.plan);
    assert.deepEqual(
      JSON.parse(await readFile(join(folder, `work/${RUN}/shards.json`), 'utf8')),
      planned.plan.shards,
    );
    assert.deepEqual(
      { ...planned.plan, shards: planned.plan.shards.map((shard) => shard.scopes.length) },
      {
        schemaVersion: 1,
        runId: RUN,
        trigger: 'http',
        startedAt: '2027-03-15T10:20:30.000Z',
        notify: false,
        shards: [2, 1],
        errors: [denied],
        apiCalls: { calls: 7, retries: 1, failures: 1 },
      },
    );
    assert.deepEqual(closed, ['eks', 'gke', 'aks']);
    assert.deepEqual(
      [planned.planKey, planned.shardsKey],
      [`work/${RUN}/plan.json`, `work/${RUN}/shards.json`],
    );
  });

  it('keeps only the providers, scopes and clusters a request names, and the listing failures that could hide them', async () => {
    // Prepare
    const scopes: ShardScope[] = [
      { provider: 'eks', account: '111111111111', region: 'us-east-1' },
      { provider: 'eks', account: '222222222222', region: 'us-east-1' },
    ];
    const errors = [
      {
        provider: 'eks' as const,
        scope: '222222222222',
        status: 'error' as const,
        error: 'throttled',
        clusters: 0,
      },
      {
        provider: 'eks' as const,
        scope: 'organization',
        status: 'error' as const,
        error: 'denied',
        clusters: 0,
      },
    ];

    // Act
    const planned = await plan(
      { providers: ['eks'], scopes: ['222222222222'], clusters: ['payments'] },
      { eks: { scopes, errors, apiCalls: NO_CALLS } },
    );

    const missing = await plan(
      { providers: ['eks'], scopes: ['444444444444'] },
      { eks: { scopes, errors, apiCalls: NO_CALLS } },
    );

    // Assess
    assert.deepEqual(planned.plan.shards, [
      { runId: RUN, shard: 0, shards: 1, scopes: [scopes[1]], clusters: ['payments'] },
    ]);
    assert.deepEqual(planned.plan.errors, [errors[0]]);
    // An account the plan did not find may be behind the organization that could not be listed.
    assert.deepEqual(missing.plan.shards, []);
    assert.deepEqual(missing.plan.errors, errors);
  });

  it('records a cloud whose source cannot be built or cannot list as unread, and plans the others', async () => {
    // Act
    const planned = await plan(
      {},
      {
        eks: new Error('sts:GetCallerIdentity: ExpiredToken'),
        gke: { scopes: [{ provider: 'gke', project: 'p1' }], errors: [], apiCalls: NO_CALLS },
      },
    );

    // Assess
    assert.deepEqual(planned.plan.errors, [
      {
        provider: 'eks',
        scope: 'eks targets',
        status: 'error',
        error: 'cannot list the scopes to scan: sts:GetCallerIdentity: ExpiredToken',
        clusters: 0,
      },
      {
        provider: 'aks',
        scope: 'aks targets',
        status: 'error',
        error: 'cannot list the scopes to scan: aks: no such target in this test',
        clusters: 0,
      },
    ]);
    assert.deepEqual(
      planned.plan.shards.flatMap((shard) => shard.scopes),
      [{ provider: 'gke', project: 'p1' }],
    );
  });
});

describe('fanout/shard: the configuration that reads exactly a shard', () => {
  it('turns discovery into the accounts, projects and subscriptions the plan found, keeping the tuning', () => {
    // Prepare
    const scopes: ShardScope[] = [
      {
        provider: 'eks',
        account: '111111111111',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::111111111111:role/kubeline-read',
      },
      {
        provider: 'eks',
        account: '111111111111',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::111111111111:role/kubeline-read',
      },
      {
        provider: 'eks',
        account: '222222222222',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/r',
        externalId: 'x-1',
      },
      { provider: 'eks', account: '333333333333', region: 'us-east-1' },
      { provider: 'gke', project: 'p1' },
      { provider: 'aks', subscription: SUBSCRIPTION },
    ];

    // Act
    const configs = shardConfigs(CONFIG, scopes);

    // Assess
    assert.deepEqual(
      configs.map(({ provider, config }) => ({ provider, target: config.targets?.[provider] })),
      [
        {
          provider: 'eks',
          target: {
            concurrency: { perScope: 4 },
            accounts: [{ id: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/kubeline-read' }],
            regions: ['eu-west-1', 'us-east-1'],
          },
        },
        {
          provider: 'eks',
          target: {
            concurrency: { perScope: 4 },
            accounts: [
              { id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/r', externalId: 'x-1' },
              { id: '333333333333' },
            ],
            regions: ['us-east-1'],
          },
        },
        { provider: 'gke', target: { maxAttempts: 3, projects: ['p1'] } },
        { provider: 'aks', target: { subscriptions: [SUBSCRIPTION] } },
      ],
    );
    assert.deepEqual(
      configs.map((entry) => entry.scopes.length),
      [2, 2, 1, 1],
    );
  });

  it('builds nothing for an empty shard, and works without targets in the configuration', () => {
    assert.deepEqual(shardConfigs(CONFIG, []), []);
    assert.deepEqual(
      shardConfigs({}, [{ provider: 'gke', project: 'p1' }]).map((entry) => entry.config.targets?.gke),
      [{ projects: ['p1'] }],
    );
  });
});
