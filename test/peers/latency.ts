import { performance } from 'node:perf_hooks';
import type { AwsChaosCall, AwsPeer } from './aws/awsPeer.js';
import type { ArmChaosCall, ArmPeer } from './azure/armPeer.js';
import { type ChaosHook, seededRandom } from './chaos.js';
import type { GkeChaosCall, GkePeer } from './gcp/gkePeer.js';

/*
 * Network latency for the local peers, as the benchmark injects it: every request is held
 * `latencyMs` before the peer answers it. The peers already hold a request on their fault suite's
 * `slow` draw (test/peers/chaos.ts), each in its own protocol (HTTP for moto's front proxy and
 * ARM, a delayed gRPC callback for GKE, so HTTP/2 streams are held one by one, not the whole
 * connection): the latency is that hook answering `slow` to every request. The hook also counts
 * what the cloud received, by operation, whichever client sent it.
 */

/** What the peers received while a meter was attached. */
export interface RequestMeter {
  /** Requests received, retries and failed ones included. */
  calls(): number;
  /** Requests per operation: `eks:DescribeCluster`, `gke:ListClusters`, `aks:Microsoft.Insights/diagnosticSettings/read`. */
  byOperation(): Readonly<Record<string, number>>;
  /** `performance.now()` of the first and last request received; undefined before any. */
  firstAt(): number | undefined;
  lastAt(): number | undefined;
  /** Forgets every request counted so far. */
  reset(): void;
}

/** The peers a latency applies to; each is optional. */
export interface LatencyPeers {
  readonly aws?: AwsPeer;
  readonly gke?: GkePeer;
  readonly arm?: ArmPeer;
}

/** A meter whose `record` counts one request of an operation at `now()`. */
function requestMeter(now: () => number): RequestMeter & { record(operation: string): void } {
  let counts = new Map<string, number>();
  let first: number | undefined;
  let last: number | undefined;
  return {
    record(operation) {
      const at = now();
      first ??= at;
      last = at;
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
    },
    calls: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    byOperation: () => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
    firstAt: () => first,
    lastAt: () => last,
    reset() {
      counts = new Map();
      first = undefined;
      last = undefined;
    },
  };
}

/**
 * Holds every request to the given peers `latencyMs` (0: none) and counts them on the returned
 * meter. It replaces any fault suite hook on those peers; `removeLatency` takes it off.
 */
export function addLatency(
  peers: LatencyPeers,
  latencyMs: number,
  now: () => number = () => performance.now(),
): RequestMeter {
  if (!Number.isFinite(latencyMs) || latencyMs < 0)
    throw new RangeError(`latency must be a number of milliseconds ≥ 0, got ${latencyMs}`);
  const meter = requestMeter(now);
  const hook =
    <Call>(operationOf: (call: Call) => string): ChaosHook<Call> =>
    (call) => {
      meter.record(operationOf(call));
      return latencyMs > 0 ? 'slow' : undefined;
    };
  // `slow` draws nothing at random; the peers' type confusion, which would, is never answered.
  const common = { slowMs: latencyMs, random: seededRandom(0) };
  peers.aws?.setChaos({
    ...common,
    hook: hook<AwsChaosCall>((call) => `${call.service}:${call.operation}`),
  });
  peers.gke?.setChaos({ ...common, hook: hook<GkeChaosCall>((call) => `gke:${call.method}`) });
  peers.arm?.setChaos({ ...common, hook: hook<ArmChaosCall>((call) => `aks:${call.operation}`) });
  return meter;
}

/** Takes the latency (and its counting) off the peers. */
export function removeLatency(peers: LatencyPeers): void {
  peers.aws?.setChaos(undefined);
  peers.gke?.setChaos(undefined);
  peers.arm?.setChaos(undefined);
}
