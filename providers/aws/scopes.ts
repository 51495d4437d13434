import type { Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ScopeResult } from '../../model/run.js';
import type { ApiCalls } from '../apiCalls.js';
import type { AwsClientFactory, AwsCredentials } from './clients.js';
import { renewingCredentials } from './sessionCredentials.js';

/** What to scan on AWS: `targets.eks` of the configuration. */
export interface EksTargets {
  /** Regions, or `all` (every region enabled in the account). Omitted: `all`. */
  readonly regions?: 'all' | readonly string[];
  readonly accounts?: readonly {
    readonly id: string;
    readonly roleArn?: string;
    readonly externalId?: string;
  }[];
  readonly organization?: { readonly roleName: string };
}

/** An account kubeline can read, with the credentials to read it. */
export interface PlannedAccount {
  readonly accountId: string;
  readonly credentials: AwsCredentials;
  /** How kubeline got in: `own identity` or the role ARN it assumed. */
  readonly via: string;
  /** The role assumed, and its external id: what a later worker needs to get in again. */
  readonly roleArn?: string;
  readonly externalId?: string;
}

/** One (account, region) to list clusters in. */
export interface EksScope {
  readonly account: PlannedAccount;
  readonly region: string;
}

export interface ScopePlan {
  readonly scopes: readonly EksScope[];
  /** Accounts that could not be entered or whose regions could not be listed. */
  readonly errors: readonly ScopeResult[];
}

export interface PlanDeps {
  readonly factory: AwsClientFactory;
  readonly calls: ApiCalls;
  readonly baseCredentials: AwsCredentials;
  /** Region for STS, Organizations and DescribeRegions. */
  readonly homeRegion: string;
  /** The clock assumed-role sessions are renewed by (epoch milliseconds). Default: Date.now. */
  readonly now?: () => number;
}

const SESSION_NAME = 'kubeline';
/** The longest session a role allows by default (`MaxSessionDuration` of kubeline-read); renewed before it ends. */
const SESSION_SECONDS = 3600;

function accountError(accountId: string, reason: string): ScopeResult {
  return { provider: 'eks', scope: accountId, status: 'error', error: reason, clusters: 0 };
}

/** One AssumeRole call: the session's credentials, or why there are none. */
async function assumeRoleSession(
  deps: PlanDeps,
  key: string,
  roleArn: string,
  externalId: string | undefined,
): Promise<AwsCredentialIdentity | string> {
  const sts = deps.factory.sts(deps.homeRegion, deps.baseCredentials);
  const assumed = await deps.calls.call('sts:AssumeRole', key, () =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: SESSION_NAME,
        DurationSeconds: SESSION_SECONDS,
        ...(externalId ? { ExternalId: externalId } : {}),
      }),
    ),
  );
  if ('missing' in assumed) return assumed.missing;
  const credentials = assumed.ok.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    return `sts:AssumeRole ${roleArn} returned no credentials`;
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}

async function assumeRole(
  deps: PlanDeps,
  accountId: string,
  roleArn: string,
  externalId: string | undefined,
): Promise<PlannedAccount | ScopeResult> {
  const first = await assumeRoleSession(deps, roleArn, roleArn, externalId);
  if (typeof first === 'string') return accountError(accountId, first);
  return {
    accountId,
    via: roleArn,
    roleArn,
    ...(externalId ? { externalId } : {}),
    // Keyed by the expiring session: every holder of it shares one renewal, made once.
    credentials: renewingCredentials(first, {
      now: deps.now ?? Date.now,
      renew: async (expiring) => {
        const next = await assumeRoleSession(
          deps,
          `${roleArn} renewing ${expiring.accessKeyId}`,
          roleArn,
          externalId,
        );
        if (typeof next === 'string') {
          throw new Error(`the session in ${accountId} expired and could not be renewed: ${next}`);
        }
        return next;
      },
    }),
  };
}

async function callerAccount(deps: PlanDeps): Promise<{ accountId: string; partition: string } | string> {
  const sts = deps.factory.sts(deps.homeRegion, deps.baseCredentials);
  const identity = await deps.calls.call('sts:GetCallerIdentity', 'self', () =>
    sts.send(new GetCallerIdentityCommand({})),
  );
  if ('missing' in identity) return identity.missing;
  const accountId = identity.ok.Account;
  if (!accountId) return 'sts:GetCallerIdentity returned no account';
  const partition = /^arn:([^:]+):/.exec(identity.ok.Arn ?? '')?.[1] ?? 'aws';
  return { accountId, partition };
}

async function organizationAccounts(deps: PlanDeps): Promise<Account[] | string> {
  // Imported here, not with this module: most scans never list an organization (clients.ts).
  const { ListAccountsCommand } = await import('@aws-sdk/client-organizations');
  const organizations = await deps.factory.organizations(deps.homeRegion, deps.baseCredentials);
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await deps.calls.call('organizations:ListAccounts', token ?? '', () =>
      organizations.send(new ListAccountsCommand(token ? { NextToken: token } : {})),
    );
    if ('missing' in page) return page.missing;
    accounts.push(...(page.ok.Accounts ?? []));
    token = page.ok.NextToken;
  } while (token);
  // Suspended and closing accounts cannot be entered; listing them as errors would only be noise.
  return accounts.filter((account) => (account.State ?? account.Status) === 'ACTIVE');
}

async function planAccounts(targets: EksTargets, deps: PlanDeps): Promise<(PlannedAccount | ScopeResult)[]> {
  if (targets.organization) {
    const caller = await callerAccount(deps);
    if (typeof caller === 'string') return [accountError('organization', caller)];
    const accounts = await organizationAccounts(deps);
    if (typeof accounts === 'string') return [accountError('organization', accounts)];
    const { roleName } = targets.organization;
    return Promise.all(
      accounts
        .filter((account): account is Account & { Id: string } => typeof account.Id === 'string')
        .map((account) =>
          assumeRole(
            deps,
            account.Id,
            `arn:${caller.partition}:iam::${account.Id}:role/${roleName}`,
            undefined,
          ),
        ),
    );
  }
  if (targets.accounts && targets.accounts.length > 0) {
    const caller = targets.accounts.some((account) => !account.roleArn)
      ? await callerAccount(deps)
      : undefined;
    return Promise.all(
      targets.accounts.map(async (account): Promise<PlannedAccount | ScopeResult> => {
        if (account.roleArn) return assumeRole(deps, account.id, account.roleArn, account.externalId);
        if (typeof caller === 'string') return accountError(account.id, caller);
        if (caller?.accountId !== account.id) {
          return accountError(
            account.id,
            `no roleArn given and kubeline's own identity is in account ${caller?.accountId ?? 'unknown'}, not ${account.id}`,
          );
        }
        return { accountId: account.id, credentials: deps.baseCredentials, via: 'own identity' };
      }),
    );
  }
  const caller = await callerAccount(deps);
  if (typeof caller === 'string') return [accountError('own account', caller)];
  return [{ accountId: caller.accountId, credentials: deps.baseCredentials, via: 'own identity' }];
}

async function regionsOf(
  account: PlannedAccount,
  regions: EksTargets['regions'],
  deps: PlanDeps,
): Promise<readonly string[] | string> {
  if (regions !== undefined && regions !== 'all') return regions;
  // Imported here, not with this module: EC2's SDK alone takes most of a second to load (clients.ts).
  const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const { ec2 } = await deps.factory.forRegion(deps.homeRegion, account.credentials);
  const described = await deps.calls.call('ec2:DescribeRegions', account.accountId, () =>
    ec2.send(new DescribeRegionsCommand({ AllRegions: false })),
  );
  if ('missing' in described) return described.missing;
  return (described.ok.Regions ?? [])
    .map((region) => region.RegionName)
    .filter((name): name is string => typeof name === 'string')
    .sort();
}

/** Turns `targets.eks` into (account, region) scopes: accounts from config or Organizations, regions from config or EC2. */
export async function planEksScopes(targets: EksTargets, deps: PlanDeps): Promise<ScopePlan> {
  const planned = await planAccounts(targets, deps);
  const scopes: EksScope[] = [];
  const errors: ScopeResult[] = [];
  for (const entry of planned) {
    if ('status' in entry) {
      errors.push(entry);
      continue;
    }
    const regions = await regionsOf(entry, targets.regions, deps);
    if (typeof regions === 'string') {
      errors.push(accountError(entry.accountId, regions));
      continue;
    }
    for (const region of regions) scopes.push({ account: entry, region });
  }
  return { scopes, errors };
}
