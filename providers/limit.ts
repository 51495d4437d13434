/** Runs at most `concurrency` tasks at once, in the order they were queued. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be a whole number ≥ 1');
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= concurrency) return;
    const start = queue.shift();
    if (start) {
      running += 1;
      start();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}

/** Maps items with at most `concurrency` in flight; results keep the input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  concurrency: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = limiter(concurrency);
  return Promise.all(items.map((item, index) => limit(() => map(item, index))));
}

/** Calls in flight in one scope: the number it starts with and the most it may grow to. */
export interface ScopeConcurrency {
  readonly initial: number;
  readonly max: number;
}

/**
 * The ceiling a scope's calls in flight grow to when the configuration names none. It stays
 * inside the burst the clouds document for one scope (EC2: a bucket of 100 per non-mutating
 * action, account and region; ARM: 250 reads per subscription), and well past what a
 * latency-bound scan needs; EKS publishes no rate, so its throttling is left to the SDK's adaptive
 * retry mode and to the halving below. bench/README.md, "Calls per cluster (issue 14)", has the
 * sources.
 */
export const DEFAULT_MAX_PER_SCOPE = 64;

/** The concurrency of one scope from `concurrency.perScope` (the start) and `maxPerScope` (the ceiling). */
export function scopeConcurrency(perScope: number, maxPerScope: number | undefined): ScopeConcurrency {
  return { initial: perScope, max: Math.max(perScope, maxPerScope ?? DEFAULT_MAX_PER_SCOPE) };
}

/** `targets.<cloud>.concurrency` as the configuration gives it. */
export interface ConfiguredConcurrency {
  readonly perScope?: number | undefined;
  readonly maxPerScope?: number | undefined;
  readonly scopes?: number | undefined;
}

/** A live source's `concurrency` option: scopes at once, and calls in flight per scope. */
export interface LiveConcurrency {
  readonly perScope: number;
  readonly maxPerScope?: number;
  readonly scopes: number;
}

/**
 * A live target's configured `concurrency` as its source takes it. `perScope` set alone keeps the
 * meaning it had before `maxPerScope` existed, a fixed number; otherwise calls in flight grow from
 * perScope (default 8) to maxPerScope (DEFAULT_MAX_PER_SCOPE when neither is set).
 */
export function liveConcurrency(configured: ConfiguredConcurrency | undefined): LiveConcurrency {
  const maxPerScope = configured?.maxPerScope ?? configured?.perScope;
  return {
    perScope: configured?.perScope ?? 8,
    scopes: configured?.scopes ?? 4,
    ...(maxPerScope === undefined ? {} : { maxPerScope }),
  };
}

/** A limiter whose number of tasks in flight follows how its tasks fare. */
export interface AdaptiveLimiter extends Limiter {
  /** Tasks allowed in flight now. */
  allowed(): number;
}

/**
 * Runs tasks with a number in flight that grows while they go well and halves when one meets
 * congestion (the slow start and additive increase, multiplicative decrease of TCP): from
 * `initial`, one more per task settled without congestion until the first congestion, then one
 * more per `allowed()` tasks settled; never above `max`. A congested task halves the number
 * (never below 1) once: tasks started before that cut belong to the same burst and do not cut it
 * again. `congested` says which settled tasks met congestion (throttled, retried).
 */
export function adaptiveLimiter(
  { initial, max }: ScopeConcurrency,
  congested: (outcome: PromiseSettledResult<unknown>) => boolean,
): AdaptiveLimiter {
  if (!Number.isInteger(initial) || initial < 1 || !Number.isInteger(max) || max < initial) {
    throw new RangeError('concurrency must be whole numbers with 1 ≤ initial ≤ max');
  }
  let window = initial;
  let slowStart = true;
  let cuts = 0;
  let running = 0;
  const queue: (() => void)[] = [];
  const allowed = () => Math.floor(window);
  const pump = () => {
    while (running < allowed()) {
      const start = queue.shift();
      if (!start) return;
      running += 1;
      start();
    }
  };
  const settled = (round: number, outcome: PromiseSettledResult<unknown>) => {
    running -= 1;
    if (!congested(outcome)) {
      window = Math.min(max, window + (slowStart ? 1 : 1 / allowed()));
    } else if (round === cuts) {
      cuts += 1;
      slowStart = false;
      window = Math.max(1, Math.floor(window / 2));
    }
    pump();
  };
  const run = <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        const round = cuts;
        Promise.resolve()
          .then(task)
          .then(
            (value) => {
              settled(round, { status: 'fulfilled', value });
              resolve(value);
            },
            (reason: unknown) => {
              settled(round, { status: 'rejected', reason });
              reject(reason);
            },
          );
      });
      pump();
    });
  return Object.assign(run, { allowed });
}
