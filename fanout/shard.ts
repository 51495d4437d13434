import { narrowSources } from '../api/narrow.js';
import type { KubelineConfig } from '../config/schema.js';
import {
  fanoutKeys,
  type ShardItem,
  type ShardResult,
  type ShardScope,
  scopeIdOf,
  unreadScopes,
} from '../engine/fanout.js';
import { collectSources } from '../engine/pipeline.js';
import type { PostureSource, ReportSink, SourceResult } from '../engine/ports.js';
import type { Provider } from '../model/posture.js';
import { liveSourceFor } from './plan.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ScanShardDeps {
  readonly config: KubelineConfig;
  readonly env: Env;
  /** The report bucket: the result is written under `work/<runId>/shards/`. */
  readonly sink: ReportSink;
  /** Builds the live source of a cloud for a narrowed configuration; the CLI's own builders by default. */
  readonly sourceFor?: (provider: Provider, config: KubelineConfig, env: Env) => Promise<PostureSource>;
}

export interface ScannedShard {
  readonly key: string;
  readonly result: SourceResult;
}

type EksScope = Extract<ShardScope, { provider: 'eks' }>;

/**
 * The configuration narrowed to some EKS accounts, all read in the same regions: the accounts the
 * plan found (organization discovery already done, each with the role it is entered with).
 */
function eksConfigFor(config: KubelineConfig, scopes: readonly EksScope[]): KubelineConfig {
  const { organization: _discovered, accounts: _configured, ...tuning } = config.targets?.eks ?? {};
  const accounts = new Map<string, { id: string; roleArn?: string; externalId?: string }>();
  for (const scope of scopes) {
    accounts.set(scope.account, {
      id: scope.account,
      ...(scope.roleArn ? { roleArn: scope.roleArn } : {}),
      ...(scope.externalId ? { externalId: scope.externalId } : {}),
    });
  }
  const regions = [...new Set(scopes.map((scope) => scope.region))].sort();
  return {
    ...config,
    targets: { ...config.targets, eks: { ...tuning, accounts: [...accounts.values()], regions } },
  };
}

/**
 * EKS scopes grouped so that each group's accounts are read in exactly the same regions: one
 * source per group, since a source reads every region it is given in every account.
 */
function eksGroups(scopes: readonly EksScope[]): EksScope[][] {
  const regionsOf = new Map<string, string[]>();
  for (const scope of scopes)
    regionsOf.set(scope.account, [...(regionsOf.get(scope.account) ?? []), scope.region]);
  const groups = new Map<string, EksScope[]>();
  for (const scope of scopes) {
    const key = [...new Set(regionsOf.get(scope.account))].sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), scope]);
  }
  return [...groups.values()];
}

/** The narrowed configurations that read exactly a shard's scopes, one per source. */
export function shardConfigs(
  config: KubelineConfig,
  scopes: readonly ShardScope[],
): {
  readonly provider: Provider;
  readonly config: KubelineConfig;
  readonly scopes: readonly ShardScope[];
}[] {
  const eks = scopes.filter((scope): scope is EksScope => scope.provider === 'eks');
  const gkeScopes = scopes.filter((scope) => scope.provider === 'gke');
  const aksScopes = scopes.filter((scope) => scope.provider === 'aks');
  const configs: { provider: Provider; config: KubelineConfig; scopes: readonly ShardScope[] }[] = eksGroups(
    eks,
  ).map((group) => ({ provider: 'eks', config: eksConfigFor(config, group), scopes: group }));
  if (gkeScopes.length > 0) {
    const { organization: _organization, folder: _folder, ...gke } = config.targets?.gke ?? {};
    const projects = gkeScopes.map(scopeIdOf);
    configs.push({
      provider: 'gke',
      config: { ...config, targets: { ...config.targets, gke: { ...gke, projects } } },
      scopes: gkeScopes,
    });
  }
  if (aksScopes.length > 0) {
    const { tenants: _tenants, managementGroups: _groups, ...aks } = config.targets?.aks ?? {};
    const subscriptions = aksScopes.map(scopeIdOf);
    configs.push({
      provider: 'aks',
      config: { ...config, targets: { ...config.targets, aks: { ...aks, subscriptions } } },
      scopes: aksScopes,
    });
  }
  return configs;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A source that could not even be built: its scopes are unread, the others are still read. */
function unbuildableSource(item: ShardItem, scopes: readonly ShardScope[], error: unknown): PostureSource {
  return {
    name: `shard ${item.shard + 1} (not built)`,
    collect: async () => ({
      postures: [],
      scopes: unreadScopes({ ...item, scopes }, `cannot build the source: ${describe(error)}`),
      problems: [],
    }),
  };
}

/**
 * Reads one shard's scopes with the same collectors as an in-process scan and stores what it
 * read. Scopes that fail are in the result as unread; the function fails only when the result
 * cannot be stored, so the Map retries it.
 */
export async function scanShard(item: ShardItem, deps: ScanShardDeps): Promise<ScannedShard> {
  const build = deps.sourceFor ?? liveSourceFor;
  const sources = await Promise.all(
    shardConfigs(deps.config, item.scopes).map(({ provider, config, scopes }) =>
      build(provider, config, deps.env).catch((error: unknown) => unbuildableSource(item, scopes, error)),
    ),
  );
  const narrowed = item.clusters ? narrowSources(sources, { clusters: item.clusters }) : sources;
  const collected = await collectSources(narrowed);
  const result: SourceResult = {
    postures: collected.postures,
    scopes: collected.scopes,
    problems: collected.problems,
    notices: collected.notices,
    apiCalls: collected.apiCalls,
  };
  const stored: ShardResult = { schemaVersion: 1, runId: item.runId, shard: item.shard, result };
  const key = fanoutKeys.shardResult(item.runId, item.shard);
  await deps.sink.put(key, `${JSON.stringify(stored)}\n`, 'application/json');
  return { key, result };
}
