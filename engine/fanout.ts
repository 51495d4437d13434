import { z } from 'zod';
import { type ClusterPosture, PROVIDERS } from '../model/posture.js';
import type { ApiCallTotals, RunNotice, ScopeResult, Trigger } from '../model/run.js';
import { TRIGGERS } from '../model/run.js';
import type { PostureSource, ReadProblem, SourceResult } from './ports.js';
import { scopeResultSchema } from './schemas.js';

/*
 * The fan-out of one run over many workers: `plan` lists the scopes and splits them into shards,
 * each `scanShard` collects its shard and stores what it read, `finalize` reads every shard back
 * and runs the rest of the pipeline as if one process had collected it all. The documents here
 * are what passes between them through the report bucket; Step Functions only carries keys.
 */

/** One scope a shard reads: enough to reach it again, never a credential. */
export type ShardScope =
  | {
      readonly provider: 'eks';
      readonly account: string;
      readonly region: string;
      /** The role assumed to read the account; absent when kubeline's own identity reads it. */
      readonly roleArn?: string;
      readonly externalId?: string;
    }
  | { readonly provider: 'gke'; readonly project: string }
  | { readonly provider: 'aks'; readonly subscription: string };

/** The scopes a live source would read, listed without reading them (the fan-out's plan). */
export interface PlannedScopes {
  readonly scopes: readonly ShardScope[];
  /** Scopes that could not be listed: an account that refused the role, an organization not listed. */
  readonly errors: readonly ScopeResult[];
  readonly apiCalls: ApiCallTotals;
}

/** A live source that can list its scopes for other workers to read. */
export interface PlanningSource extends PostureSource {
  plan(): Promise<PlannedScopes>;
}

/** What a run reads, narrowed by an on-demand request; every field absent reads everything. */
export interface ScanSelection {
  readonly providers?: readonly string[];
  /** Account, project or subscription ids. */
  readonly scopes?: readonly string[];
  /** Cluster names. */
  readonly clusters?: readonly string[];
}

/** One item of the Distributed Map: the shard's scopes and where its result goes. */
export interface ShardItem {
  readonly runId: string;
  /** 0-based; `shards` in all. */
  readonly shard: number;
  readonly shards: number;
  readonly scopes: readonly ShardScope[];
  /** Cluster names the run is narrowed to, if any. */
  readonly clusters?: readonly string[];
}

/** The plan of a run, written before any shard starts and read by `finalize`. */
export interface RunPlan {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly trigger: Trigger;
  /** ISO 8601: when the run started (the execution's start). */
  readonly startedAt: string;
  /** False skips the notifiers. */
  readonly notify: boolean;
  readonly shards: readonly ShardItem[];
  /** Scopes that could not be listed while planning (an account that refused the role): the run is incomplete. */
  readonly errors: readonly ScopeResult[];
  /** Cloud API calls made while planning. */
  readonly apiCalls: ApiCallTotals;
}

/** What one shard read, stored under the run for `finalize`. */
export interface ShardResult {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly shard: number;
  readonly result: SourceResult;
}

/** Where a run's working files live, under the sink's prefix. */
export const fanoutKeys = {
  folder: (runId: string) => `work/${runId}`,
  plan: (runId: string) => `work/${runId}/plan.json`,
  shards: (runId: string) => `work/${runId}/shards.json`,
  shardResult: (runId: string, shard: number) =>
    `work/${runId}/shards/${String(shard).padStart(4, '0')}.json`,
  mapResults: (runId: string) => `work/${runId}/map`,
};

/** The id a scope goes by in requests and reports: account, project or subscription. */
export function scopeIdOf(scope: ShardScope): string {
  switch (scope.provider) {
    case 'eks':
      return scope.account;
    case 'gke':
      return scope.project;
    case 'aks':
      return scope.subscription;
  }
}

function orderOf(scope: ShardScope): string {
  return `${scope.provider} ${scopeIdOf(scope)} ${scope.provider === 'eks' ? scope.region : ''}`;
}

/** Keeps the scopes a request names (every scope when it names none). */
export function selectScopes(scopes: readonly ShardScope[], selection: ScanSelection): ShardScope[] {
  return scopes.filter(
    (scope) =>
      (selection.providers === undefined || selection.providers.includes(scope.provider)) &&
      (selection.scopes === undefined || selection.scopes.includes(scopeIdOf(scope))),
  );
}

/**
 * Splits scopes into as few shards as hold at most `perShard` scopes each, sized evenly (100
 * scopes at 40 a shard make 34, 33, 33, not 40, 40, 20) so no shard runs much longer than the
 * others. Scopes keep a stable order, so an account's regions stay together.
 */
export function splitIntoShards(
  runId: string,
  scopes: readonly ShardScope[],
  perShard: number,
  clusters?: readonly string[],
): ShardItem[] {
  if (!Number.isInteger(perShard) || perShard < 1) {
    throw new RangeError(`scopes per shard must be a positive integer; got ${perShard}`);
  }
  const ordered = [...scopes].sort((a, b) =>
    orderOf(a) < orderOf(b) ? -1 : orderOf(a) > orderOf(b) ? 1 : 0,
  );
  const count = Math.ceil(ordered.length / perShard);
  const shards: ShardItem[] = [];
  let next = 0;
  for (let shard = 0; shard < count; shard += 1) {
    const size = Math.ceil((ordered.length - next) / (count - shard));
    shards.push({
      runId,
      shard,
      shards: count,
      scopes: ordered.slice(next, next + size),
      ...(clusters ? { clusters } : {}),
    });
    next += size;
  }
  return shards;
}

/** The scopes of a shard that left no result, each unread with the reason: the run is incomplete. */
export function unreadScopes(item: ShardItem, reason: string): ScopeResult[] {
  return item.scopes.map((scope) => ({
    provider: scope.provider,
    scope: scopeIdOf(scope),
    ...(scope.provider === 'eks' ? { region: scope.region } : {}),
    status: 'error' as const,
    error: reason,
    clusters: 0,
  }));
}

const NON_EMPTY = z.string().min(1);
const apiCallsSchema = z.object({
  calls: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
});
const shardScopeSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('eks'),
    account: z.string().regex(/^\d{12}$/),
    region: NON_EMPTY,
    roleArn: NON_EMPTY.optional(),
    externalId: NON_EMPTY.optional(),
  }),
  z.strictObject({ provider: z.literal('gke'), project: NON_EMPTY }),
  z.strictObject({ provider: z.literal('aks'), subscription: NON_EMPTY }),
]);
const shardItemSchema = z.strictObject({
  runId: NON_EMPTY,
  shard: z.number().int().nonnegative(),
  shards: z.number().int().positive(),
  scopes: z.array(shardScopeSchema),
  clusters: z.array(z.string()).optional(),
});
const planSchema = z.strictObject({
  schemaVersion: z.literal(1),
  runId: NON_EMPTY,
  trigger: z.enum(TRIGGERS),
  startedAt: z.iso.datetime({ offset: true }),
  notify: z.boolean(),
  shards: z.array(shardItemSchema),
  errors: z.array(scopeResultSchema),
  apiCalls: apiCallsSchema,
});
/*
 * A posture is checked only as far as the pipeline relies on before the checks run (they
 * tolerate odd fields: a check that throws is recorded, never fatal). Shard results are
 * kubeline's own output in kubeline's own bucket; this catches truncation and mix-ups.
 */
const postureSchema = z.looseObject({ id: NON_EMPTY, provider: z.enum(PROVIDERS), name: z.string() });
const shardResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  runId: NON_EMPTY,
  shard: z.number().int().nonnegative(),
  result: z.strictObject({
    postures: z.array(postureSchema),
    scopes: z.array(scopeResultSchema),
    problems: z.array(
      z.strictObject({
        file: z.string().optional(),
        scope: z.string().optional(),
        cluster: z.string().optional(),
        reason: z.string(),
      }),
    ),
    notices: z
      .array(z.strictObject({ files: z.array(z.string()), cluster: z.string(), message: z.string() }))
      .optional(),
    apiCalls: apiCallsSchema.optional(),
  }),
});

/**
 * Zod types an optional key as `T | undefined`; parsed JSON never holds `undefined`, so what zod
 * accepted is the domain type exactly.
 */
type JsonParsed<T> = T;

/** `scopes.0.provider: Invalid option …`: zod reports at least one issue on every failure. */
function firstIssue(error: z.ZodError): string {
  return error.issues
    .slice(0, 1)
    .map(
      (issue) =>
        `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)'}: ${issue.message}`,
    )
    .join('');
}

function parseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
}

/** Reads a run's plan; throws naming what is wrong, since without it nothing of the run can be told. */
export function parseRunPlan(text: string, where: string): RunPlan {
  const json = parseJson(text);
  if ('problem' in json) throw new Error(`${where}: ${json.problem}`);
  const parsed = planSchema.safeParse(json.value);
  if (!parsed.success) throw new Error(`${where}: not a kubeline run plan: ${firstIssue(parsed.error)}`);
  return parsed.data as JsonParsed<RunPlan>;
}

/** Reads a shard item as the Distributed Map hands it over; throws naming what is wrong. */
export function parseShardItem(value: unknown): ShardItem {
  const parsed = shardItemSchema.safeParse(value);
  if (!parsed.success) throw new Error(`not a kubeline shard item: ${firstIssue(parsed.error)}`);
  return parsed.data as JsonParsed<ShardItem>;
}

/** A stored shard result, or why it cannot be used. */
export function parseShardResult(text: string, item: ShardItem): SourceResult | { readonly problem: string } {
  const json = parseJson(text);
  if ('problem' in json) return json;
  const parsed = shardResultSchema.safeParse(json.value);
  if (!parsed.success) return { problem: `not a kubeline shard result: ${firstIssue(parsed.error)}` };
  const { runId, shard, result } = parsed.data;
  if (runId !== item.runId || shard !== item.shard) {
    return { problem: `holds shard ${shard} of run ${runId}, not shard ${item.shard} of run ${item.runId}` };
  }
  return {
    // The schema checked what the pipeline relies on; the rest is the posture the shard normalised.
    postures: result.postures as unknown as ClusterPosture[],
    scopes: result.scopes as JsonParsed<ScopeResult[]>,
    problems: result.problems as JsonParsed<ReadProblem[]>,
    ...(result.notices ? { notices: result.notices } : {}),
    ...(result.apiCalls ? { apiCalls: result.apiCalls } : {}),
  };
}

/** Runs `task` over `items`, at most `limit` at once, keeping the order of `items` in the results. */
async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(task))));
  }
  return results;
}

/** Reads one stored object; undefined when it does not exist. */
export type ObjectReader = (key: string) => Promise<string | undefined>;

/** Shards read at once when merging: enough to hide latency, few enough for one function's sockets. */
const SHARD_READS_AT_ONCE = 16;

/**
 * The postures every shard of a run stored, as one source for the pipeline: the plan's own
 * errors, each shard's result, and every scope of a shard that stored nothing (its function
 * failed after its retries, or timed out) or something unusable, unread with the reason.
 */
export function storedShardsSource(plan: RunPlan, read: ObjectReader): PostureSource {
  return {
    name: `${plan.shards.length} shards of run ${plan.runId}`,
    async collect(): Promise<SourceResult> {
      const merged = {
        postures: [] as ClusterPosture[],
        scopes: [...plan.errors],
        problems: [] as ReadProblem[],
        notices: [] as RunNotice[],
        apiCalls: { ...plan.apiCalls },
      };
      const results = await inBatches(plan.shards, SHARD_READS_AT_ONCE, async (item) => {
        const key = fanoutKeys.shardResult(plan.runId, item.shard);
        try {
          const text = await read(key);
          if (text === undefined) {
            return {
              item,
              problem: `shard ${item.shard + 1} of ${item.shards} stored no result (${key}): its scan failed after every retry or timed out`,
            };
          }
          const parsed = parseShardResult(text, item);
          return 'problem' in parsed
            ? { item, problem: `shard result ${key} ${parsed.problem}` }
            : { item, parsed };
        } catch (error) {
          return {
            item,
            problem: `cannot read shard result ${key}: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
      });
      for (const result of results) {
        if ('problem' in result) {
          merged.scopes.push(...unreadScopes(result.item, result.problem));
          continue;
        }
        const { parsed } = result;
        merged.postures.push(...parsed.postures);
        merged.scopes.push(...parsed.scopes);
        merged.problems.push(...parsed.problems);
        merged.notices.push(...(parsed.notices ?? []));
        merged.apiCalls.calls += parsed.apiCalls?.calls ?? 0;
        merged.apiCalls.retries += parsed.apiCalls?.retries ?? 0;
        merged.apiCalls.failures += parsed.apiCalls?.failures ?? 0;
      }
      return merged;
    },
  };
}
