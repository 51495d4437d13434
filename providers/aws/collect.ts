import { DescribeAlarmsForMetricCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeFlowLogsCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import {
  type Cluster,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListIdentityProviderConfigsCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import type { ReadProblem } from '../../engine/ports.js';
import { type ApiCalls, metCongestion } from '../apiCalls.js';
import { type Collected, collected, missing } from '../collected.js';
import { adaptiveLimiter, mapLimited, type ScopeConcurrency } from '../limit.js';
import { isRawObject, lookup } from '../reader.js';
import type { ScopeCollection } from '../sourceResult.js';
import type { AwsClientFactory, AwsRegionClients } from './clients.js';
import { matchesFailedAuthentication } from './failedAuthPattern.js';
import type { EksAccessEntryCollected, EksCollected, EksMetricFilterCollected } from './normalise.js';
import type { EksScope } from './scopes.js';

export interface CollectDeps {
  readonly factory: AwsClientFactory;
  readonly calls: ApiCalls;
  /** API calls in flight at once in one (account, region): where it starts, how far it may grow. */
  readonly concurrency: ScopeConcurrency;
}

/**
 * The add-on whose configuration a check reads (NET-01: the VPC CNI's `enableNetworkPolicy`). The
 * checks read the others by name only (IAM-01 the Pod Identity Agent, RUN-01 the GuardDuty
 * agent), which ListAddons already gives: describing them would cost a call each for nothing.
 */
const DESCRIBED_ADDONS: ReadonlySet<string> = new Set(['vpc-cni']);

/**
 * The authentication modes under which no check reads the OIDC identity provider configs: AUTH-01
 * reads them only for a CONFIG_MAP cluster, to tell whether anything beside aws-auth grants access.
 */
const MODES_WITHOUT_IDENTITY_PROVIDER_READ: ReadonlySet<unknown> = new Set(['API', 'API_AND_CONFIG_MAP']);

/** One API call of this scope: made once per run, counted, within the scope's concurrency. */
type ScopedCall = <T>(operation: string, key: string, make: () => Promise<T>) => Promise<Collected<T>>;

/**
 * Follows `nextToken`-style pagination; one failed page makes the whole list unreadable, and so
 * does a page whose list is not a list or whose token is not a string (the SDK passes a wrong-typed
 * answer through): reading it as empty or as the last page would drop items silently.
 */
async function allPages<Page, Item>(
  call: ScopedCall,
  operation: string,
  key: string,
  fetch: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
  next: (page: Page) => string | undefined,
  /** The API always sends the list, empty or not: a page without it is not an empty page. */
  listRequired = false,
): Promise<Collected<Item[]>> {
  const all: Item[] = [];
  let token: string | undefined;
  do {
    const current = token;
    const page = await call(operation, `${key} page=${current ?? ''}`, () => fetch(current));
    if ('missing' in page) return page;
    const listed: unknown = items(page.ok);
    const following: unknown = next(page.ok);
    if (
      !(listed === undefined ? !listRequired : Array.isArray(listed)) ||
      !(following === undefined || typeof following === 'string')
    ) {
      return missing(`${operation} returned a page that is not a list`);
    }
    all.push(...((listed ?? []) as Item[]));
    token = following;
  } while (token);
  return collected(all);
}

/** Region-wide reads shared by every cluster of the scope, and account-wide ones; each is made at most once. */
function regionReads(call: ScopedCall, accountCall: ScopedCall, clients: AwsRegionClients) {
  return {
    // IAM is global: one list per account and run, whichever region asks first.
    iamOidcProviders: async (): Promise<Collected<unknown[]>> => {
      const listed = await accountCall('iam:ListOpenIDConnectProviders', 'all', () =>
        clients.iam.send(new ListOpenIDConnectProvidersCommand({})),
      );
      return 'missing' in listed ? listed : collected(listed.ok.OpenIDConnectProviderList ?? []);
    },
    clusterVersions: () =>
      allPages(
        call,
        'eks:DescribeClusterVersions',
        'includeAll',
        (nextToken) => clients.eks.send(new DescribeClusterVersionsCommand({ includeAll: true, nextToken })),
        (page) => page.clusterVersions,
        (page) => page.nextToken,
      ),
    subnets: () =>
      allPages(
        call,
        'ec2:DescribeSubnets',
        'all',
        (NextToken) => clients.ec2.send(new DescribeSubnetsCommand({ NextToken })),
        (page) => page.Subnets,
        (page) => page.NextToken,
      ),
    flowLogs: () =>
      allPages(
        call,
        'ec2:DescribeFlowLogs',
        'all',
        (NextToken) => clients.ec2.send(new DescribeFlowLogsCommand({ NextToken })),
        (page) => page.FlowLogs,
        (page) => page.NextToken,
      ),
    eksLogGroups: () =>
      allPages(
        call,
        'logs:DescribeLogGroups',
        '/aws/eks/',
        (nextToken) =>
          clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/', nextToken })),
        (page) => page.logGroups,
        (page) => page.nextToken,
      ),
    guardDutyDetector: async (): Promise<Collected<unknown>> => {
      const ids = await allPages(
        call,
        'guardduty:ListDetectors',
        'all',
        (NextToken) => clients.guardDuty.send(new ListDetectorsCommand({ NextToken })),
        (page) => page.DetectorIds,
        (page) => page.NextToken,
      );
      if ('missing' in ids) return ids;
      // GuardDuty allows one detector per account and region.
      const [detectorId] = ids.ok;
      if (detectorId === undefined) return collected(null);
      return call('guardduty:GetDetector', detectorId, () =>
        clients.guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId })),
      );
    },
  };
}

async function clusterNodegroups(
  call: ScopedCall,
  clients: AwsRegionClients,
  name: string,
): Promise<Collected<unknown[]>> {
  const names = await allPages(
    call,
    'eks:ListNodegroups',
    name,
    (nextToken) => clients.eks.send(new ListNodegroupsCommand({ clusterName: name, nextToken })),
    (page) => page.nodegroups,
    (page) => page.nextToken,
  );
  if ('missing' in names) return names;
  const described = await Promise.all(
    names.ok.map((nodegroupName) =>
      call('eks:DescribeNodegroup', `${name}/${nodegroupName}`, () =>
        clients.eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName })),
      ),
    ),
  );
  const failed = described.find((result) => 'missing' in result);
  if (failed && 'missing' in failed) return failed;
  const nodegroups = described.flatMap((result) => ('ok' in result ? [result.ok.nodegroup] : []));
  // Dropped, a node group described without its object would leave the node checks judging the others only.
  if (nodegroups.some((nodegroup) => !isRawObject(nodegroup))) {
    return missing('eks:DescribeNodegroup returned no nodegroup object for a listed node group');
  }
  return collected(nodegroups);
}

function optionalString(container: unknown, key: string): string | undefined {
  const value = lookup(container, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The launch template version of every node group that names one (EC2
 * DescribeLaunchTemplateVersions), each template version read once per scope.
 */
async function nodegroupLaunchTemplates(
  call: ScopedCall,
  clients: AwsRegionClients,
  nodegroups: Collected<readonly unknown[]>,
): Promise<ReadonlyMap<string, Collected<unknown>>> {
  const templates = new Map<string, Collected<unknown>>();
  if ('missing' in nodegroups) return templates;
  await Promise.all(
    nodegroups.ok.map(async (nodegroup) => {
      const name = optionalString(nodegroup, 'nodegroupName');
      const reference = lookup(nodegroup, 'launchTemplate');
      if (name === undefined || !isRawObject(reference)) return;
      const id = optionalString(reference, 'id');
      const templateName = optionalString(reference, 'name');
      // EKS launches the template's default version when the node group names none.
      const version = optionalString(reference, 'version') ?? '$Default';
      if (id === undefined && templateName === undefined) {
        templates.set(name, missing('the node group names its launch template by neither id nor name'));
        return;
      }
      const read = await call(
        'ec2:DescribeLaunchTemplateVersions',
        `${id ?? `name=${templateName}`} version=${version}`,
        () =>
          clients.ec2.send(
            new DescribeLaunchTemplateVersionsCommand({
              ...(id === undefined ? { LaunchTemplateName: templateName } : { LaunchTemplateId: id }),
              Versions: [version],
            }),
          ),
      );
      templates.set(name, 'missing' in read ? read : collected(read.ok.LaunchTemplateVersions?.[0] ?? null));
    }),
  );
  return templates;
}

async function clusterAddons(
  call: ScopedCall,
  clients: AwsRegionClients,
  name: string,
): Promise<Collected<unknown[]>> {
  const names = await allPages(
    call,
    'eks:ListAddons',
    name,
    (nextToken) => clients.eks.send(new ListAddonsCommand({ clusterName: name, nextToken })),
    (page) => page.addons,
    (page) => page.nextToken,
  );
  if ('missing' in names) return names;
  const addons = await Promise.all(
    names.ok.map(async (addonName): Promise<Collected<unknown>> => {
      if (!DESCRIBED_ADDONS.has(addonName)) return collected({ addonName });
      const described = await call('eks:DescribeAddon', `${name}/${addonName}`, () =>
        clients.eks.send(new DescribeAddonCommand({ clusterName: name, addonName })),
      );
      return 'missing' in described ? described : collected(described.ok.addon ?? { addonName });
    }),
  );
  const failed = addons.find((result) => 'missing' in result);
  if (failed && 'missing' in failed) return failed;
  return collected(addons.flatMap((result) => ('ok' in result ? [result.ok] : [])));
}

/**
 * The OIDC identity provider configs of a cluster whose authentication mode leaves them to decide
 * AUTH-01. Under API and API_AND_CONFIG_MAP access entries decide it and no check reads them, so
 * the call is not made and the field says why; any other mode (CONFIG_MAP, or one the normaliser
 * will not recognise) gets them read.
 */
function clusterIdentityProviderConfigs(
  call: ScopedCall,
  clients: AwsRegionClients,
  cluster: Cluster,
): Promise<Collected<unknown[]>> {
  const name = cluster.name ?? '';
  const mode = cluster.accessConfig?.authenticationMode;
  if (MODES_WITHOUT_IDENTITY_PROVIDER_READ.has(mode)) {
    return Promise.resolve(
      missing(
        `eks:ListIdentityProviderConfigs is not called for a cluster whose authentication mode is ${mode}: access entries, not OIDC identity providers, decide who reaches it`,
      ),
    );
  }
  return allPages(
    call,
    'eks:ListIdentityProviderConfigs',
    name,
    (nextToken) => clients.eks.send(new ListIdentityProviderConfigsCommand({ clusterName: name, nextToken })),
    (page) => page.identityProviderConfigs,
    (page) => page.nextToken,
  );
}

async function clusterAccessEntries(
  call: ScopedCall,
  clients: AwsRegionClients,
  cluster: Cluster,
): Promise<Collected<EksAccessEntryCollected[]>> {
  const name = cluster.name ?? '';
  // A CONFIG_MAP cluster has no access entries: EKS refuses the call (InvalidRequestException), and
  // an empty list would read as "no cluster admins" while aws-auth may map anyone into system:masters.
  if (cluster.accessConfig?.authenticationMode === 'CONFIG_MAP') {
    return missing('eks:ListAccessEntries is refused on a cluster whose authentication mode is CONFIG_MAP');
  }
  const principals = await allPages(
    call,
    'eks:ListAccessEntries',
    name,
    (nextToken) => clients.eks.send(new ListAccessEntriesCommand({ clusterName: name, nextToken })),
    (page) => page.accessEntries,
    (page) => page.nextToken,
  );
  if ('missing' in principals) return principals;
  const entries = await Promise.all(
    principals.ok.map(
      async (principalArn): Promise<EksAccessEntryCollected> => ({
        principalArn,
        associatedAccessPolicies: await allPages(
          call,
          'eks:ListAssociatedAccessPolicies',
          `${name}/${principalArn}`,
          (nextToken) =>
            clients.eks.send(
              new ListAssociatedAccessPoliciesCommand({ clusterName: name, principalArn, nextToken }),
            ),
          (page) => page.associatedAccessPolicies,
          (page) => page.nextToken,
        ),
      }),
    ),
  );
  return collected(entries);
}

/**
 * The cluster's log group among those DescribeLogGroups listed; null when it is not among them.
 * A listed group whose name cannot be read may be this one, so it proves no absence: missing.
 */
export function clusterLogGroup(
  logGroups: Collected<readonly unknown[]>,
  logGroupName: string,
): Collected<unknown> {
  if ('missing' in logGroups) return logGroups;
  const found = logGroups.ok.find((group) => lookup(group, 'logGroupName') === logGroupName);
  if (found !== undefined) return collected(found);
  const unnamed = logGroups.ok.filter((group) => typeof lookup(group, 'logGroupName') !== 'string').length;
  return unnamed === 0
    ? collected(null)
    : missing(
        `logs:DescribeLogGroups listed ${unnamed === 1 ? 'a log group' : `${unnamed} log groups`} without a readable logGroupName, so whether ${logGroupName} exists is not known`,
      );
}

/** A metric of a metric filter, as DescribeAlarmsForMetric looks it up; undefined when it cannot be. */
function alarmLookup(transformation: unknown): { namespace: string; metricName: string } | undefined {
  const namespace = optionalString(transformation, 'metricNamespace');
  const metricName = optionalString(transformation, 'metricName');
  const dimensions = lookup(transformation, 'dimensions');
  // A dimensioned metric's alarms name dimension values, which only the log events hold.
  const dimensioned = isRawObject(dimensions) && Object.keys(dimensions).length > 0;
  return namespace === undefined || metricName === undefined || dimensioned
    ? undefined
    : { namespace, metricName };
}

/**
 * The metric filters of the cluster's log group and, for those that count failed authentications,
 * the alarms on their metrics. A log group that DescribeLogGroups did not list is not asked for:
 * it has no filters, and nothing can alert on it.
 */
async function auditMetricFilters(
  call: ScopedCall,
  clients: AwsRegionClients,
  logGroup: Collected<unknown>,
  logGroupName: string,
): Promise<Collected<EksMetricFilterCollected[] | null>> {
  if ('ok' in logGroup && logGroup.ok === null) return collected(null);
  let groupMissing = false;
  const filters = await allPages(
    call,
    'logs:DescribeMetricFilters',
    logGroupName,
    (nextToken) =>
      clients.logs
        .send(new DescribeMetricFiltersCommand({ logGroupName, nextToken }))
        .catch((error: unknown) => {
          // DescribeLogGroups failed, so the group was asked for blind, and it does not exist.
          if (error instanceof Error && error.name === 'ResourceNotFoundException') {
            groupMissing = true;
            return { metricFilters: [], nextToken: undefined };
          }
          throw error;
        }),
    (page) => page.metricFilters,
    (page) => page.nextToken,
  );
  if ('missing' in filters) return filters;
  if (groupMissing) return collected(null);
  return collected(
    await Promise.all(
      filters.ok.map(async (filter): Promise<EksMetricFilterCollected> => {
        const pattern = lookup(filter, 'filterPattern');
        if (!matchesFailedAuthentication(typeof pattern === 'string' ? pattern : '')) {
          return { filter, alarms: [] };
        }
        const transformations = filter.metricTransformations ?? [];
        if (!Array.isArray(transformations)) {
          // Read as no metric, it would say no alarm watches the filter.
          return {
            filter,
            alarms: [missing('logs:DescribeMetricFilters returned metricTransformations that is not a list')],
          };
        }
        const alarms = await Promise.all(
          transformations.map(async (transformation): Promise<Collected<readonly unknown[]>> => {
            const metric = alarmLookup(transformation);
            if (metric === undefined) return missing('the metric cannot be looked up by name alone');
            const found = await call(
              'cloudwatch:DescribeAlarmsForMetric',
              `${metric.namespace} ${metric.metricName}`,
              () =>
                clients.cloudWatch.send(
                  new DescribeAlarmsForMetricCommand({
                    Namespace: metric.namespace,
                    MetricName: metric.metricName,
                  }),
                ),
            );
            if ('missing' in found) return found;
            const listed: unknown = found.ok.MetricAlarms ?? [];
            return Array.isArray(listed)
              ? collected(listed)
              : missing('cloudwatch:DescribeAlarmsForMetric returned MetricAlarms that is not a list');
          }),
        );
        return { filter, alarms };
      }),
    ),
  );
}

async function collectCluster(
  call: ScopedCall,
  clients: AwsRegionClients,
  region: ReturnType<typeof regionReads>,
  name: string,
): Promise<EksCollected | { readonly problem: string }> {
  const described = await call('eks:DescribeCluster', name, () =>
    clients.eks.send(new DescribeClusterCommand({ name })),
  );
  if ('missing' in described) return { problem: described.missing };
  const cluster = described.ok.cluster;
  if (!cluster) return { problem: 'eks:DescribeCluster returned no cluster' };
  const logGroupName = `/aws/eks/${name}/cluster`;
  const [
    nodegroups,
    identityProviderConfigs,
    addons,
    accessEntries,
    clusterVersions,
    logGroups,
    subnets,
    flowLogs,
    detector,
    iamOidcProviders,
  ] = await Promise.all([
    clusterNodegroups(call, clients, name),
    clusterIdentityProviderConfigs(call, clients, cluster),
    clusterAddons(call, clients, name),
    clusterAccessEntries(call, clients, cluster),
    region.clusterVersions(),
    region.eksLogGroups(),
    region.subnets(),
    region.flowLogs(),
    region.guardDutyDetector(),
    region.iamOidcProviders(),
  ]);
  const auditLogGroup = clusterLogGroup(logGroups, logGroupName);
  const [launchTemplates, metricFilters] = await Promise.all([
    nodegroupLaunchTemplates(call, clients, nodegroups),
    auditMetricFilters(call, clients, auditLogGroup, logGroupName),
  ]);
  return {
    cluster,
    nodegroups,
    identityProviderConfigs,
    addons,
    accessEntries,
    clusterVersions,
    auditLogGroup,
    subnets,
    flowLogs,
    guardDutyDetector: detector,
    auditMetricFilters: metricFilters,
    launchTemplates,
    iamOidcProviders,
  };
}

/**
 * Lists the clusters of one (account, region) and reads each: DescribeCluster, node groups and
 * their launch templates, identity provider configs (CONFIG_MAP clusters), add-ons (described:
 * the VPC CNI only), access entries (not CONFIG_MAP), the metric filters of its log group with the
 * alarms on them, the region's versions, log groups, subnets, flow logs and GuardDuty detector,
 * and the account's IAM OIDC providers. bench/README.md tabulates which check reads which call. A
 * scope that cannot be listed is an error; a cluster that cannot be described is a problem; any
 * other failed call leaves only the fields it feeds unknown. Calls in flight start at
 * `concurrency.initial` and grow to `concurrency.max` while no call is throttled or retried.
 */
export async function collectEksScope(
  scope: EksScope,
  deps: CollectDeps,
): Promise<ScopeCollection<EksCollected>> {
  const { accountId } = scope.account;
  const clients = await deps.factory.forRegion(scope.region, scope.account.credentials);
  // A call the ledger already made (a region-wide read every cluster asks for) waits for its first
  // answer without a slot: only requests that go out count against the scope's concurrency.
  const limit = adaptiveLimiter(deps.concurrency, metCongestion);
  const call: ScopedCall = (operation, key, make) =>
    deps.calls.call(operation, `${accountId}/${scope.region} ${key}`, () => limit(make));
  const accountCall: ScopedCall = (operation, key, make) =>
    deps.calls.call(operation, `${accountId} ${key}`, () => limit(make));
  const base = { provider: 'eks' as const, scope: accountId, region: scope.region };

  const names = await allPages(
    call,
    'eks:ListClusters',
    'all',
    (nextToken) => clients.eks.send(new ListClustersCommand({ nextToken, maxResults: 100 })),
    (page) => page.clusters,
    (page) => page.nextToken,
    // Read as empty, an answer without its list would drop every cluster of the region unsaid.
    true,
  );
  // A name that is not a string cannot be described; the listing is then no list of this scope's clusters.
  const listing =
    'missing' in names || names.ok.every((name) => typeof name === 'string')
      ? names
      : missing<string[]>('eks:ListClusters returned a cluster name that is not a string');
  if ('missing' in listing) {
    return {
      result: { ...base, status: 'error', error: listing.missing, clusters: 0 },
      clusters: [],
      problems: [],
    };
  }
  const region = regionReads(call, accountCall, clients);
  // Enough clusters in progress to keep the calls in flight at the ceiling; each waits for its slots.
  const results = await mapLimited(listing.ok, deps.concurrency.max, (name) =>
    collectCluster(call, clients, region, name),
  );
  const clusters: EksCollected[] = [];
  const problems: ReadProblem[] = [];
  results.forEach((result, index) => {
    if ('problem' in result) {
      problems.push({
        scope: `${accountId}/${scope.region}`,
        cluster: listing.ok[index] ?? '',
        reason: result.problem,
      });
    } else {
      clusters.push(result);
    }
  });
  return { result: { ...base, status: 'ok', clusters: clusters.length }, clusters, problems };
}
