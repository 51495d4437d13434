import type { Collected } from './collected.js';

/** Counts of API calls made in one run, by operation (`eks:DescribeCluster`). */
export interface ApiCallStats {
  readonly calls: number;
  /** Attempts beyond the first, from the SDKs' own retries (throttling, timeouts, 5xx). */
  readonly retries: number;
  readonly failures: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

/** The metadata the AWS, Google and Azure SDKs attach to responses and errors, where present. */
interface CallMetadata {
  readonly $metadata?: { readonly attempts?: number; readonly httpStatusCode?: number };
}

function attemptsOf(value: unknown): number {
  const attempts = (value as CallMetadata | null | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

/** Throttling: 429 everywhere, 503 from EC2 (RequestLimitExceeded) and ARM; gRPC's RESOURCE_EXHAUSTED. */
const THROTTLED_STATUSES: ReadonlySet<unknown> = new Set([429, 503]);

/** An error's HTTP status as the AWS SDK (`$metadata`) or the Azure SDK (`statusCode`, maybe on the cause) gives it. */
function httpStatusOf(error: unknown): unknown {
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & CallMetadata & { readonly statusCode?: unknown };
  return fields.$metadata?.httpStatusCode ?? fields.statusCode ?? httpStatusOf(error.cause);
}

/**
 * Whether a settled SDK call met congestion, the signal a scope's concurrency halves on: the SDK
 * retried it (throttling, timeouts, 5xx), or it failed throttled with no retry left.
 */
export function metCongestion(outcome: PromiseSettledResult<unknown>): boolean {
  if (outcome.status === 'fulfilled') return attemptsOf(outcome.value) > 1;
  const error = outcome.reason;
  return (
    attemptsOf(error) > 1 ||
    THROTTLED_STATUSES.has(httpStatusOf(error)) ||
    (error instanceof Error && error.name === 'RESOURCE_EXHAUSTED')
  );
}

/**
 * Why a call failed, in one line an operator can act on: the service's error code and message,
 * e.g. `AccessDeniedException: User … is not authorized to perform eks:ListAddons`.
 */
export function describeCallError(operation: string, error: unknown): string {
  if (!(error instanceof Error)) return `${operation} failed: ${String(error)}`;
  const status = (error as Error & CallMetadata).$metadata?.httpStatusCode;
  const attempts = attemptsOf(error);
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (error.name === 'SyntaxError' || /Deserialization error/i.test(error.message)) {
    return `${operation} returned a malformed response${status ? ` (HTTP ${status})` : ''}${after}`;
  }
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || /timed? ?out/i.test(error.message)) {
    return `${operation} timed out${after}: ${error.message}`;
  }
  const message = error.message.split('\n')[0] ?? '';
  return `${operation} failed${after}: ${error.name}${message && message !== error.name ? `: ${message}` : ''}`;
}

/**
 * Every API call of a run goes through here: each distinct call is made once (a repeated key
 * returns the first promise), counted, and its failure turned into a reason instead of a throw.
 */
export class ApiCalls {
  readonly #inFlight = new Map<string, Promise<Collected<unknown>>>();
  readonly #byOperation = new Map<string, number>();
  #retries = 0;
  #failures = 0;

  /**
   * Makes the call named `key` (operation plus everything that identifies its input) once.
   * `operation` is `service:Action`, as IAM names it.
   */
  call<T>(operation: string, key: string, make: () => Promise<T>): Promise<Collected<T>> {
    const cacheKey = `${operation} ${key}`;
    const existing = this.#inFlight.get(cacheKey);
    if (existing) return existing as Promise<Collected<T>>;
    this.#byOperation.set(operation, (this.#byOperation.get(operation) ?? 0) + 1);
    const pending = make().then(
      (value): Collected<T> => {
        this.#retries += attemptsOf(value) - 1;
        return { ok: value };
      },
      (error: unknown): Collected<T> => {
        this.#retries += attemptsOf(error) - 1;
        this.#failures += 1;
        return { missing: describeCallError(operation, error) };
      },
    );
    this.#inFlight.set(cacheKey, pending);
    return pending;
  }

  stats(): ApiCallStats {
    const byOperation = Object.fromEntries(
      [...this.#byOperation.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    const calls = [...this.#byOperation.values()].reduce((sum, count) => sum + count, 0);
    return { calls, retries: this.#retries, failures: this.#failures, byOperation };
  }
}
