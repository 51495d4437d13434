import type { PlannedScopes, PlanningSource } from '../../engine/fanout.js';
import type { SourceResult } from '../../engine/ports.js';
import { type ApiCallStats, ApiCalls } from '../apiCalls.js';
import { type LiveConcurrency, mapLimited, scopeConcurrency } from '../limit.js';
import { sourceResultOf } from '../sourceResult.js';
import type { AwsClientFactory, AwsCredentials } from './clients.js';
import { type EksTargets, planEksScopes } from './scopes.js';

export interface EksSourceOptions {
  readonly targets: EksTargets;
  readonly factory: AwsClientFactory;
  readonly baseCredentials: AwsCredentials;
  /** Region for STS, Organizations and DescribeRegions. */
  readonly homeRegion: string;
  /**
   * API calls in flight per (account, region): `perScope` at the start, growing to `maxPerScope` (default
   * DEFAULT_MAX_PER_SCOPE) while no call is throttled or retried; and (account, region) scopes read at once.
   */
  readonly concurrency: LiveConcurrency;
  /** The clock assumed-role sessions are renewed by (epoch milliseconds). Default: Date.now. */
  readonly now?: () => number;
}

/** The live EKS source: plans scopes, collects each, normalises with the same mapping as `--from`. */
export interface EksSource extends PlanningSource {
  /** API calls made so far in this run. */
  stats(): ApiCallStats;
  /**
   * The credentials the last collect read an account with (its own identity or the role assumed
   * there): the in-cluster pass signs that account's EKS tokens with them.
   */
  credentialsFor(accountId: string): AwsCredentials | undefined;
}

export function eksSource(options: EksSourceOptions): EksSource {
  const calls = new ApiCalls();
  const accountCredentials = new Map<string, AwsCredentials>();
  const planScopes = () =>
    planEksScopes(options.targets, {
      factory: options.factory,
      calls,
      baseCredentials: options.baseCredentials,
      homeRegion: options.homeRegion,
      ...(options.now ? { now: options.now } : {}),
    });
  return {
    name: 'eks (live)',
    stats: () => calls.stats(),
    credentialsFor: (accountId) => accountCredentials.get(accountId),
    close: async () => options.factory.destroy(),
    async plan(): Promise<PlannedScopes> {
      const plan = await planScopes();
      const { calls: made, retries, failures } = calls.stats();
      return {
        scopes: plan.scopes.map(({ account, region }) => ({
          provider: 'eks',
          account: account.accountId,
          region,
          ...(account.roleArn ? { roleArn: account.roleArn } : {}),
          ...(account.externalId ? { externalId: account.externalId } : {}),
        })),
        errors: plan.errors,
        apiCalls: { calls: made, retries, failures },
      };
    },
    async collect(): Promise<SourceResult> {
      const plan = await planScopes();
      // The collector, with the SDKs of EKS, EC2, IAM, CloudWatch, Logs and GuardDuty, and the
      // normaliser are imported once planning has made its first requests, so that those requests
      // do not wait for them (clients.ts).
      const [{ collectEksScope }, { normaliseEks }] = await Promise.all([
        import('./collect.js'),
        import('./normalise.js'),
      ]);
      for (const { account } of plan.scopes) accountCredentials.set(account.accountId, account.credentials);
      const collections = await mapLimited(plan.scopes, options.concurrency.scopes, (scope) =>
        collectEksScope(scope, {
          factory: options.factory,
          calls,
          concurrency: scopeConcurrency(options.concurrency.perScope, options.concurrency.maxPerScope),
        }),
      );
      return sourceResultOf(
        plan.errors,
        collections,
        (cluster) => normaliseEks(cluster, { kind: 'api', api: 'eks' }),
        calls.stats(),
      );
    },
  };
}
