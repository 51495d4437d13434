import assert from 'node:assert/strict';
import {
  fanoutKeys,
  parseRunPlan,
  parseShardItem,
  parseShardResult,
  type RunPlan,
  type ShardItem,
  type ShardScope,
  scopeIdOf,
  selectScopes,
  splitIntoShards,
  storedShardsSource,
  unreadScopes,
} from '../../engine/fanout.js';

const RUN = '20270315T102030Z-abc123';
const eks = (account: string, region: string, roleArn?: string): ShardScope => ({
  provider: 'eks',
  account,
  region,
  ...(roleArn ? { roleArn } : {}),
});
const gke = (project: string): ShardScope => ({ provider: 'gke', project });
const aks = (subscription: string): ShardScope => ({ provider: 'aks', subscription });
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';

const posture = (id: string) => ({
  id,
  provider: 'gke',
  name: id.split('/').at(-1),
  scope: 'p1',
  location: 'l',
});

function plan(shards: readonly ShardItem[], overrides: Partial<RunPlan> = {}): RunPlan {
  return {
    schemaVersion: 1,
    runId: RUN,
    trigger: 'schedule',
    startedAt: '2027-03-15T10:20:30.000Z',
    notify: true,
    shards,
    errors: [],
    apiCalls: { calls: 3, retries: 1, failures: 0 },
    ...overrides,
  };
}

function storedResult(shard: number, result: Record<string, unknown>, runId = RUN): string {
  return JSON.stringify({ schemaVersion: 1, runId, shard, result });
}

describe('engine/fanout: shards of a run and their stored results', () => {
  describe('splitIntoShards', () => {
    it('makes as few shards as hold the scopes, sized evenly, in a stable order', () => {
      // Prepare
      const scopes = [
        gke('p2'),
        eks('111111111111', 'us-east-1'),
        aks(SUBSCRIPTION),
        eks('111111111111', 'eu-west-1'),
        gke('p1'),
      ];

      // Act
      const shards = splitIntoShards(RUN, scopes, 2);

      // Assess
      assert.deepEqual(shards, [
        { runId: RUN, shard: 0, shards: 3, scopes: [aks(SUBSCRIPTION), eks('111111111111', 'eu-west-1')] },
        { runId: RUN, shard: 1, shards: 3, scopes: [eks('111111111111', 'us-east-1'), gke('p1')] },
        { runId: RUN, shard: 2, shards: 3, scopes: [gke('p2')] },
      ]);
    });

    it('spreads 100 scopes at 40 a shard as 34, 33 and 33, never 40, 40 and 20', () => {
      // Prepare
      const scopes = Array.from({ length: 100 }, (_, index) => gke(`p${String(index).padStart(3, '0')}`));

      // Act
      const sizes = splitIntoShards(RUN, scopes, 40).map((shard) => shard.scopes.length);

      // Assess
      assert.deepEqual(sizes, [34, 33, 33]);
    });

    it('makes no shard of no scopes, and carries the cluster names a request narrows to', () => {
      assert.deepEqual(splitIntoShards(RUN, [], 10), []);
      assert.deepEqual(splitIntoShards(RUN, [gke('p1'), gke('p1')], 5, ['payments']), [
        { runId: RUN, shard: 0, shards: 1, scopes: [gke('p1'), gke('p1')], clusters: ['payments'] },
      ]);
    });

    it('refuses a shard size that is not a positive whole number', () => {
      for (const size of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => splitIntoShards(RUN, [gke('p1')], size), {
          name: 'RangeError',
          message: `scopes per shard must be a positive integer; got ${size}`,
        });
      }
    });
  });

  it('selects the scopes of the providers and scope ids a request names, all without one', () => {
    // Prepare
    const scopes = [eks('111111111111', 'us-east-1'), gke('p1'), aks(SUBSCRIPTION)];

    // Act, Assess
    assert.deepEqual(selectScopes(scopes, {}), scopes);
    assert.deepEqual(selectScopes(scopes, { providers: ['gke', 'aks'] }), [gke('p1'), aks(SUBSCRIPTION)]);
    assert.deepEqual(selectScopes(scopes, { scopes: ['111111111111', 'p9'] }), [
      eks('111111111111', 'us-east-1'),
    ]);
    assert.deepEqual(selectScopes(scopes, { providers: ['eks'], scopes: ['p1'] }), []);
  });

  it('names each scope by its account, project or subscription', () => {
    assert.deepEqual([eks('111111111111', 'us-east-1'), gke('p1'), aks(SUBSCRIPTION)].map(scopeIdOf), [
      '111111111111',
      'p1',
      SUBSCRIPTION,
    ]);
  });

  it('makes every scope of a shard unread with the reason, with its region for EKS', () => {
    // Prepare
    const [item] = splitIntoShards(RUN, [eks('111111111111', 'us-east-1'), gke('p1')], 5);
    assert.ok(item);

    // Act
    const unread = unreadScopes(item, 'timed out');

    // Assess
    assert.deepEqual(unread, [
      {
        provider: 'eks',
        scope: '111111111111',
        region: 'us-east-1',
        status: 'error',
        error: 'timed out',
        clusters: 0,
      },
      { provider: 'gke', scope: 'p1', status: 'error', error: 'timed out', clusters: 0 },
    ]);
  });

  it('keeps working files under work/<runId>/', () => {
    assert.deepEqual(
      [
        fanoutKeys.folder(RUN),
        fanoutKeys.plan(RUN),
        fanoutKeys.shards(RUN),
        fanoutKeys.shardResult(RUN, 7),
        fanoutKeys.mapResults(RUN),
      ],
      [
        `work/${RUN}`,
        `work/${RUN}/plan.json`,
        `work/${RUN}/shards.json`,
        `work/${RUN}/shards/0007.json`,
        `work/${RUN}/map`,
      ],
    );
  });

  describe('parsing what passes between the functions', () => {
    it('reads a plan back as it was written', () => {
      // Prepare
      const written = plan(
        splitIntoShards(RUN, [eks('111111111111', 'us-east-1', 'arn:aws:iam::111111111111:role/r')], 5),
      );

      // Act, Assess
      assert.deepEqual(parseRunPlan(JSON.stringify(written), 's3://b/plan.json'), written);
    });

    it('names what is wrong with a plan that is not JSON or not a plan', () => {
      assert.throws(
        () => parseRunPlan('{"runId":', 's3://b/plan.json'),
        /^Error: s3:\/\/b\/plan\.json: not JSON \(/,
      );
      assert.throws(() => parseRunPlan(JSON.stringify({ ...plan([]), trigger: 'cron' }), 'p'), {
        message: /^p: not a kubeline run plan: trigger: /,
      });
      assert.throws(() => parseRunPlan('null', 'p'), {
        message: /^p: not a kubeline run plan: \(top level\): /,
      });
    });

    it('reads a Map item, and refuses one with an unknown provider or extra keys', () => {
      // Prepare
      const [item] = splitIntoShards(RUN, [aks(SUBSCRIPTION)], 5);

      // Act, Assess
      assert.deepEqual(parseShardItem(JSON.parse(JSON.stringify(item))), item);
      assert.throws(() => parseShardItem({ ...item, scopes: [{ provider: 'oke', id: 'x' }] }), {
        message: /^not a kubeline shard item: scopes\.0\.provider: /,
      });
      assert.throws(() => parseShardItem({ ...item, credentials: 'secret' }), {
        message: /^not a kubeline shard item: \(top level\): /,
      });
    });

    it('reads a stored shard result, with or without notices and call counts', () => {
      // Prepare
      const [item] = splitIntoShards(RUN, [gke('p1')], 5);
      assert.ok(item);
      const scope = { provider: 'gke', scope: 'p1', status: 'ok', clusters: 1 };
      const notice = { files: ['a.json'], cluster: 'c', message: 'read twice' };

      // Act
      const full = parseShardResult(
        storedResult(0, {
          postures: [posture('projects/p1/locations/l/clusters/c')],
          scopes: [scope],
          problems: [{ scope: 'p1', reason: 'r' }],
          notices: [notice],
          apiCalls: { calls: 2, retries: 0, failures: 0 },
        }),
        item,
      );
      const bare = parseShardResult(storedResult(0, { postures: [], scopes: [scope], problems: [] }), item);

      // Assess
      assert.deepEqual(full, {
        postures: [posture('projects/p1/locations/l/clusters/c')],
        scopes: [scope],
        problems: [{ scope: 'p1', reason: 'r' }],
        notices: [notice],
        apiCalls: { calls: 2, retries: 0, failures: 0 },
      });
      assert.deepEqual(bare, { postures: [], scopes: [scope], problems: [] });
    });

    it('says why a stored shard result cannot be used', () => {
      // Prepare
      const [item] = splitIntoShards(RUN, [gke('p1')], 5);
      assert.ok(item);
      const empty = { postures: [], scopes: [], problems: [] };

      // Act, Assess
      assert.match((parseShardResult('{', item) as { problem: string }).problem, /^not JSON \(/);
      assert.deepEqual(parseShardResult(storedResult(0, { ...empty, postures: [{ id: 'x' }] }), item), {
        problem:
          'not a kubeline shard result: result.postures.0.provider: Invalid option: expected one of "eks"|"gke"|"aks"',
      });
      assert.deepEqual(parseShardResult(storedResult(3, empty), item), {
        problem: `holds shard 3 of run ${RUN}, not shard 0 of run ${RUN}`,
      });
      assert.deepEqual(parseShardResult(storedResult(0, empty, 'other-run'), item), {
        problem: `holds shard 0 of run other-run, not shard 0 of run ${RUN}`,
      });
    });
  });

  describe('storedShardsSource', () => {
    it('merges every shard with the plan: its errors, the call counts, and unread scopes for shards that left nothing usable', async () => {
      // Prepare
      const shards = splitIntoShards(RUN, [gke('p1'), gke('p2'), gke('p3'), gke('p4'), gke('p5')], 1);
      const planError = {
        provider: 'eks' as const,
        scope: 'organization',
        status: 'error' as const,
        error: 'denied',
        clusters: 0,
      };
      const stored = new Map<string, string>([
        [
          fanoutKeys.shardResult(RUN, 0),
          storedResult(0, {
            postures: [posture('projects/p1/locations/l/clusters/a')],
            scopes: [{ provider: 'gke', scope: 'p1', status: 'ok', clusters: 1 }],
            problems: [],
            notices: [{ files: ['f'], cluster: 'a', message: 'm' }],
            apiCalls: { calls: 4, retries: 2, failures: 1 },
          }),
        ],
        [
          fanoutKeys.shardResult(RUN, 1),
          storedResult(1, {
            postures: [posture('projects/p2/locations/l/clusters/b')],
            scopes: [{ provider: 'gke', scope: 'p2', status: 'ok', clusters: 1 }],
            problems: [{ scope: 'p2', cluster: 'z', reason: 'cannot normalise' }],
          }),
        ],
        [fanoutKeys.shardResult(RUN, 3), 'truncated {'],
      ]);
      const read = async (key: string) => {
        if (key === fanoutKeys.shardResult(RUN, 4)) throw new Error('AccessDenied');
        return stored.get(key);
      };

      // Act
      const source = storedShardsSource(plan(shards, { errors: [planError] }), read);
      const result = await source.collect();

      // Assess
      assert.equal(source.name, `5 shards of run ${RUN}`);
      assert.deepEqual(
        result.postures.map((entry) => entry.id),
        ['projects/p1/locations/l/clusters/a', 'projects/p2/locations/l/clusters/b'],
      );
      assert.deepEqual(result.scopes, [
        planError,
        { provider: 'gke', scope: 'p1', status: 'ok', clusters: 1 },
        { provider: 'gke', scope: 'p2', status: 'ok', clusters: 1 },
        {
          provider: 'gke',
          scope: 'p3',
          status: 'error',
          error: `shard 3 of 5 stored no result (work/${RUN}/shards/0002.json): its scan failed after every retry or timed out`,
          clusters: 0,
        },
        {
          provider: 'gke',
          scope: 'p4',
          status: 'error',
          error: `shard result work/${RUN}/shards/0003.json not JSON (${(() => {
            try {
              JSON.parse('truncated {');
            } catch (error) {
              return (error as Error).message;
            }
            return '';
          })()})`,
          clusters: 0,
        },
        {
          provider: 'gke',
          scope: 'p5',
          status: 'error',
          error: `cannot read shard result work/${RUN}/shards/0004.json: AccessDenied`,
          clusters: 0,
        },
      ]);
      assert.deepEqual(result.problems, [{ scope: 'p2', cluster: 'z', reason: 'cannot normalise' }]);
      assert.deepEqual(result.notices, [{ files: ['f'], cluster: 'a', message: 'm' }]);
      assert.deepEqual(result.apiCalls, { calls: 7, retries: 3, failures: 1 });
    });

    it('says what a reader threw that is not an Error', async () => {
      // Prepare
      const shards = splitIntoShards(RUN, [aks(SUBSCRIPTION)], 1);
      const read = () => Promise.reject('socket hang up');

      // Act
      const result = await storedShardsSource(plan(shards), read).collect();

      // Assess
      assert.deepEqual(result.scopes, [
        {
          provider: 'aks',
          scope: SUBSCRIPTION,
          status: 'error',
          error: `cannot read shard result work/${RUN}/shards/0000.json: socket hang up`,
          clusters: 0,
        },
      ]);
    });
  });
});
