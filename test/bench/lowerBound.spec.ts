import assert from 'node:assert/strict';
import {
  allowedConcurrency,
  lowerBoundSeconds,
  observedInFlight,
  perScopeCeiling,
  scopeSlots,
} from '../../bench/lowerBound.js';
import { DEFAULT_MAX_PER_SCOPE } from '../../providers/limit.js';

const FIXED = { perScope: 8, scopes: 4 };

describe('bench/lowerBound: the least time a scan’s API work can take', () => {
  describe('perScopeCeiling', () => {
    it('is the ceiling kubeline’s calls in flight grow to by default', () => {
      assert.equal(perScopeCeiling(undefined), DEFAULT_MAX_PER_SCOPE);
    });

    it('is perScope when only that is configured, and maxPerScope when that is', () => {
      assert.equal(perScopeCeiling({ perScope: 8 }), 8);
      assert.equal(perScopeCeiling({ perScope: 8, maxPerScope: 32 }), 32);
    });
  });

  describe('allowedConcurrency', () => {
    it('is scopes × the ceiling when every scope has calls enough', () => {
      assert.equal(allowedConcurrency(FIXED, [250, 250, 250, 250]), 32);
    });

    it('holds one big scope to its ceiling, whatever the scopes setting', () => {
      assert.equal(allowedConcurrency(FIXED, [1_340]), 8);
      assert.equal(allowedConcurrency(undefined, [1_340]), DEFAULT_MAX_PER_SCOPE);
    });

    it('counts only the busiest scopes when there are more than are read at once', () => {
      assert.equal(allowedConcurrency({ perScope: 8, scopes: 2 }, [3, 100, 5, 40]), 16);
    });

    it('caps a scope at the calls it has to make', () => {
      assert.equal(allowedConcurrency(FIXED, [2, 3, 1]), 6);
      assert.equal(scopeSlots(FIXED, 3), 3);
      assert.equal(scopeSlots(FIXED, Number.POSITIVE_INFINITY), 8);
    });

    it('is at least one, even for an estate with no calls', () => {
      assert.equal(allowedConcurrency(FIXED, []), 1);
      assert.equal(allowedConcurrency(FIXED, [0]), 1);
    });
  });

  describe('lowerBoundSeconds', () => {
    it('spreads calls × latency over the concurrency and adds the service time', () => {
      assert.equal(
        lowerBoundSeconds({ calls: 1_600, latencyMs: 50, concurrency: 8, serviceSeconds: 0.5 }),
        10.5,
      );
    });

    it('is the service time alone without latency', () => {
      assert.equal(
        lowerBoundSeconds({ calls: 1_600, latencyMs: 0, concurrency: 8, serviceSeconds: 1.25 }),
        1.25,
      );
    });

    it('refuses a concurrency below one', () => {
      assert.throws(
        () => lowerBoundSeconds({ calls: 1, latencyMs: 50, concurrency: 0, serviceSeconds: 0 }),
        RangeError,
      );
    });
  });

  describe('observedInFlight', () => {
    it('is the mean number of requests held at once over the API work', () => {
      assert.equal(observedInFlight(1_600, 50, 10), 8);
    });

    it('is unknown without latency or without time', () => {
      assert.equal(observedInFlight(1_600, 0, 10), undefined);
      assert.equal(observedInFlight(1_600, 50, 0), undefined);
    });
  });
});
