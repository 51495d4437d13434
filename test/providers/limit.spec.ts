import assert from 'node:assert/strict';
import { configSchema } from '../../config/schema.js';
import { metCongestion } from '../../providers/apiCalls.js';
import {
  adaptiveLimiter,
  DEFAULT_MAX_PER_SCOPE,
  liveConcurrency,
  scopeConcurrency,
} from '../../providers/limit.js';

/** Tasks the test settles by hand, recording how many were running at once. */
function controlled() {
  const pending: { resolve: (value: string) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let peak = 0;
  const task = () =>
    new Promise<string>((resolve, reject) => {
      running += 1;
      peak = Math.max(peak, running);
      pending.push({
        resolve: (value) => {
          running -= 1;
          resolve(value);
        },
        reject: (error) => {
          running -= 1;
          reject(error);
        },
      });
    });
  return {
    task,
    running: () => running,
    peak: () => peak,
    /** Settles the oldest running task and lets the limiter start the next ones. */
    async settleOldest(outcome: 'ok' | 'congested'): Promise<void> {
      const next = pending.shift();
      assert.ok(next, 'a task is running');
      next.resolve(outcome);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** Test outcomes: a task answered `congested` met congestion. */
const congestedWhenSaid = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === 'fulfilled' && outcome.value === 'congested';

async function started(
  limit: (task: () => Promise<string>) => Promise<string>,
  tasks: number,
  make: () => Promise<string>,
) {
  const results = Array.from({ length: tasks }, () => limit(make));
  await new Promise((resolve) => setImmediate(resolve));
  return results;
}

describe('providers/limit adaptiveLimiter: calls in flight that grow while calls go well', () => {
  it('starts at the initial number and adds one per task settled without congestion, up to the ceiling', async () => {
    // Prepare
    const tasks = controlled();
    const limit = adaptiveLimiter({ initial: 2, max: 4 }, congestedWhenSaid);
    // Act
    const results = await started(limit, 10, tasks.task);
    const atStart = tasks.running();
    const allowed: number[] = [];
    for (let settled = 0; settled < 4; settled += 1) {
      await tasks.settleOldest('ok');
      allowed.push(limit.allowed());
    }
    // Assess
    assert.deepEqual(
      { atStart, allowed, running: tasks.running() },
      { atStart: 2, allowed: [3, 4, 4, 4], running: 4 },
    );
    for (let settled = 0; settled < 6; settled += 1) await tasks.settleOldest('ok');
    assert.deepEqual(await Promise.all(results), Array(10).fill('ok'));
    assert.equal(tasks.peak(), 4);
  });

  it('halves once for a burst of congested tasks, then grows by one per round of tasks', async () => {
    // Prepare: grow to 8 in flight.
    const tasks = controlled();
    const limit = adaptiveLimiter({ initial: 8, max: 8 }, congestedWhenSaid);
    void (await started(limit, 40, tasks.task));
    // Act: every one of the 8 in flight is throttled; they started before the cut, so it is one cut.
    for (let settled = 0; settled < 8; settled += 1) await tasks.settleOldest('congested');
    const afterBurst = limit.allowed();
    // Then 4 answered well: one round of 4 adds one.
    for (let settled = 0; settled < 4; settled += 1) await tasks.settleOldest('ok');
    const afterRound = limit.allowed();
    // A task started after the cut that meets congestion cuts again.
    await tasks.settleOldest('congested');
    // Assess
    assert.deepEqual(
      { afterBurst, afterRound, afterSecondCut: limit.allowed() },
      { afterBurst: 4, afterRound: 5, afterSecondCut: 2 },
    );
  });

  it('never goes below one task in flight', async () => {
    const tasks = controlled();
    const limit = adaptiveLimiter({ initial: 1, max: 1 }, congestedWhenSaid);
    const results = await started(limit, 3, tasks.task);
    for (let settled = 0; settled < 3; settled += 1) await tasks.settleOldest('congested');
    assert.deepEqual(
      { allowed: limit.allowed(), results: await Promise.all(results) },
      { allowed: 1, results: Array(3).fill('congested') },
    );
  });

  it('hands a failed task its error and reads the failure for congestion', async () => {
    // Prepare
    const seen: PromiseSettledResult<unknown>[] = [];
    const limit = adaptiveLimiter({ initial: 2, max: 2 }, (outcome) => {
      seen.push(outcome);
      return outcome.status === 'rejected';
    });
    const refused = new Error('refused');
    // Act
    const outcome = await limit(() => Promise.reject(refused)).catch((error: unknown) => error);
    // Assess
    assert.deepEqual(
      { outcome, seen, allowed: limit.allowed() },
      { outcome: refused, seen: [{ status: 'rejected', reason: refused }], allowed: 1 },
    );
  });

  it('refuses bounds that are not whole numbers with 1 ≤ initial ≤ max', () => {
    for (const bounds of [
      { initial: 0, max: 4 },
      { initial: 4, max: 2 },
      { initial: 1.5, max: 4 },
    ]) {
      assert.throws(() => adaptiveLimiter(bounds, () => false), RangeError);
    }
  });
});

describe('providers/apiCalls metCongestion: the signal a scope halves on', () => {
  const named = (name: string, fields: object) => Object.assign(new Error(name), { name }, fields);
  const cases: [string, PromiseSettledResult<unknown>, boolean][] = [
    ['an answer at the first attempt', { status: 'fulfilled', value: { $metadata: { attempts: 1 } } }, false],
    ['an answer after the SDK retried', { status: 'fulfilled', value: { $metadata: { attempts: 3 } } }, true],
    ['a value without metadata', { status: 'fulfilled', value: [{}, null] }, false],
    [
      'an access denial at the first attempt',
      {
        status: 'rejected',
        reason: named('AccessDeniedException', { $metadata: { httpStatusCode: 403, attempts: 1 } }),
      },
      false,
    ],
    [
      'EKS throttling with no retry left',
      {
        status: 'rejected',
        reason: named('ThrottlingException', { $metadata: { httpStatusCode: 429, attempts: 1 } }),
      },
      true,
    ],
    [
      "EC2's RequestLimitExceeded",
      { status: 'rejected', reason: named('RequestLimitExceeded', { $metadata: { httpStatusCode: 503 } }) },
      true,
    ],
    [
      'an ARM 429 kept as the cause of the described error',
      {
        status: 'rejected',
        reason: new Error('HTTP 429', { cause: named('RestError', { statusCode: 429 }) }),
      },
      true,
    ],
    [
      'a gRPC RESOURCE_EXHAUSTED',
      { status: 'rejected', reason: named('RESOURCE_EXHAUSTED', { code: 8 }) },
      true,
    ],
    ['a failure that is not an Error', { status: 'rejected', reason: 'socket hang up' }, false],
  ];
  for (const [name, outcome, expected] of cases) {
    it(`${expected ? 'sees' : 'does not see'} congestion in ${name}`, () => {
      assert.equal(metCongestion(outcome), expected);
    });
  }
});

describe('providers/limit: a live target concurrency, from configuration to scope', () => {
  it('grows from 8 to the default ceiling when nothing is configured', () => {
    const live = liveConcurrency(undefined);
    assert.deepEqual(
      { live, scope: scopeConcurrency(live.perScope, live.maxPerScope) },
      { live: { perScope: 8, scopes: 4 }, scope: { initial: 8, max: DEFAULT_MAX_PER_SCOPE } },
    );
  });

  it('keeps perScope set alone a fixed number, as before maxPerScope existed', () => {
    const live = liveConcurrency({ perScope: 16 });
    assert.deepEqual(scopeConcurrency(live.perScope, live.maxPerScope), { initial: 16, max: 16 });
  });

  it('grows from perScope to maxPerScope when both are set', () => {
    const live = liveConcurrency({ perScope: 4, maxPerScope: 128, scopes: 2 });
    assert.deepEqual(
      { scopes: live.scopes, scope: scopeConcurrency(live.perScope, live.maxPerScope) },
      { scopes: 2, scope: { initial: 4, max: 128 } },
    );
  });

  it('refuses a maxPerScope below perScope in the configuration', () => {
    const parsed = configSchema.safeParse({
      targets: { eks: { concurrency: { perScope: 16, maxPerScope: 8 } } },
    });
    assert.deepEqual(
      parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]),
      [['targets.eks.concurrency.maxPerScope', 'maxPerScope must be at least perScope (default 8)']],
    );
  });

  it('accepts maxPerScope alone above the default start, on every cloud', () => {
    for (const cloud of ['eks', 'gke', 'aks'] as const) {
      const target = { concurrency: { maxPerScope: 200 }, ...(cloud === 'gke' ? { projects: ['p'] } : {}) };
      assert.equal(configSchema.safeParse({ targets: { [cloud]: target } }).success, true, cloud);
    }
  });
});
