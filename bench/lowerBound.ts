import { type ConfiguredConcurrency, liveConcurrency, scopeConcurrency } from '../providers/limit.js';

/*
 * The least time a live scan's API work can take, against which `npm run bench` sets kubeline's
 * wall time: the requests' latency spread over every request kubeline allows in flight, plus the
 * peer's own service time for the same requests (measured by replaying them, bench/replay.ts).
 */

/**
 * The most calls kubeline lets one scope have in flight under `targets.<cloud>.concurrency`:
 * the ceiling its number grows to (providers/limit.ts, read from there so the bound follows
 * kubeline's own defaults).
 */
export function perScopeCeiling(configured: ConfiguredConcurrency | undefined): number {
  const live = liveConcurrency(configured);
  return scopeConcurrency(live.perScope, live.maxPerScope).max;
}

/**
 * The most requests kubeline allows in flight on an estate: `scopes` scopes at once, each with up
 * to perScopeCeiling calls in flight, but never more than the calls it has to make, so the
 * busiest scopes are the ones that count. Within a scope the calls of many clusters go out side by
 * side, so the cap is the scope's calls, not its clusters: a lower bound must not assume less
 * concurrency than kubeline could have used.
 */
export function allowedConcurrency(
  configured: ConfiguredConcurrency | undefined,
  callsPerScope: readonly number[],
): number {
  const perScope = callsPerScope
    .map((calls) => scopeSlots(configured, calls))
    .sort((a, b) => b - a)
    .slice(0, liveConcurrency(configured).scopes);
  return Math.max(
    1,
    perScope.reduce((sum, slots) => sum + slots, 0),
  );
}

/** The calls in flight a scope may have: perScopeCeiling, or fewer when the scope has fewer calls. */
export function scopeSlots(configured: ConfiguredConcurrency | undefined, calls: number): number {
  return Math.min(perScopeCeiling(configured), Math.max(calls, 1));
}

/** What the lower bound of one scan is made of. */
export interface BoundInput {
  /** Requests the cloud received during the scan. */
  readonly calls: number;
  /** Latency injected per request. */
  readonly latencyMs: number;
  /** allowedConcurrency of the estate. */
  readonly concurrency: number;
  /** The peer's own time for the same requests at the same concurrency, without latency. */
  readonly serviceSeconds: number;
}

/** calls × latency ÷ concurrency + service time, in seconds. */
export function lowerBoundSeconds(input: BoundInput): number {
  if (input.concurrency < 1) throw new RangeError('concurrency must be at least 1');
  return (input.calls * input.latencyMs) / 1000 / input.concurrency + input.serviceSeconds;
}

/**
 * The mean number of requests in flight a scan must have had: each request took at least the
 * latency, all within the time between the first request and the end of the API work. Above
 * allowedConcurrency, the bench's idea of kubeline's concurrency is out of date.
 */
export function observedInFlight(calls: number, latencyMs: number, apiSeconds: number): number | undefined {
  if (latencyMs === 0 || apiSeconds <= 0) return undefined;
  return (calls * latencyMs) / 1000 / apiSeconds;
}
