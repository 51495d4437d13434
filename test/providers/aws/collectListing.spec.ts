import assert from 'node:assert/strict';
import { ApiCalls } from '../../../providers/apiCalls.js';
import type { AwsClientFactory } from '../../../providers/aws/clients.js';
import { clusterLogGroup, collectEksScope } from '../../../providers/aws/collect.js';

/** The scope every test collects: one account, read with fixed keys, in one region. */
const SCOPE = {
  account: {
    accountId: '111111111111',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    via: 'test',
  },
  region: 'eu-west-1',
};

/** A factory whose EKS client answers every call with `answer`, as the SDK hands a page over. */
function answering(answer: unknown): AwsClientFactory {
  return { forRegion: () => ({ eks: { send: async () => answer } }) } as unknown as AwsClientFactory;
}

async function listScope(answer: unknown) {
  return collectEksScope(SCOPE, {
    factory: answering(answer),
    calls: new ApiCalls(),
    concurrency: { initial: 2, max: 2 },
  });
}

/** A factory whose every client answers each command with `answers[command name]`, else `{}`. */
function byCommand(answers: Readonly<Record<string, unknown>>): AwsClientFactory {
  return everyClient({ send: async (command: object) => answers[command.constructor.name] ?? {} });
}

/** A factory whose EKS, EC2, Logs, CloudWatch, GuardDuty and IAM clients are all `client`. */
function everyClient(client: { send(command: never): Promise<unknown> }): AwsClientFactory {
  return {
    forRegion: () => ({
      eks: client,
      ec2: client,
      logs: client,
      cloudWatch: client,
      guardDuty: client,
      iam: client,
    }),
  } as unknown as AwsClientFactory;
}

const FAILED_AUTH_FILTER = {
  filterName: 'failed-auth',
  filterPattern: '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }',
  metricTransformations: [{ metricName: 'failed-auth', metricNamespace: 'EKS/Security', metricValue: '1' }],
};

async function alarmsRead(answers: Readonly<Record<string, unknown>>) {
  const base = {
    ListClustersCommand: { clusters: ['c'] },
    DescribeClusterCommand: { cluster: { name: 'c', arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/c' } },
    DescribeLogGroupsCommand: { logGroups: [{ logGroupName: '/aws/eks/c/cluster' }] },
  };
  const { clusters } = await collectEksScope(SCOPE, {
    factory: byCommand({ ...base, ...answers }),
    calls: new ApiCalls(),
    concurrency: { initial: 2, max: 2 },
  });
  const [cluster] = clusters;
  assert.ok(
    cluster !== undefined && cluster.auditMetricFilters !== undefined && 'ok' in cluster.auditMetricFilters,
  );
  return cluster.auditMetricFilters.ok?.map((filter) => filter.alarms);
}

describe('providers/aws collectEksScope: wrong-typed metric filter and alarm answers leave the alarms unread', () => {
  it('reads the alarms of a failed-authentication filter', async () => {
    const alarms = await alarmsRead({
      DescribeMetricFiltersCommand: { metricFilters: [FAILED_AUTH_FILTER] },
      DescribeAlarmsForMetricCommand: { MetricAlarms: [{ AlarmName: 'a' }] },
    });
    assert.deepEqual(alarms, [[{ ok: [{ AlarmName: 'a' }] }]]);
  });

  it('says the alarms are unread when MetricAlarms is not a list', async () => {
    const alarms = await alarmsRead({
      DescribeMetricFiltersCommand: { metricFilters: [FAILED_AUTH_FILTER] },
      DescribeAlarmsForMetricCommand: { MetricAlarms: {} },
    });
    assert.deepEqual(alarms, [
      [{ missing: 'cloudwatch:DescribeAlarmsForMetric returned MetricAlarms that is not a list' }],
    ]);
  });

  it('says the alarms are unread when metricTransformations is not a list', async () => {
    const alarms = await alarmsRead({
      DescribeMetricFiltersCommand: { metricFilters: [{ ...FAILED_AUTH_FILTER, metricTransformations: 5 }] },
    });
    assert.deepEqual(alarms, [
      [{ missing: 'logs:DescribeMetricFilters returned metricTransformations that is not a list' }],
    ]);
  });
});

describe('providers/aws collectEksScope: a ListClusters answer it cannot read loses the scope, never its clusters unsaid', () => {
  it('reads an empty list as a region without clusters', async () => {
    const { result, clusters, problems } = await listScope({ clusters: [] });
    assert.equal(result.status, 'ok');
    assert.equal(result.clusters, 0);
    assert.deepEqual([clusters, problems], [[], []]);
  });

  for (const [what, answer, reason] of [
    ['an answer without its list', {}, 'eks:ListClusters returned a page that is not a list'],
    ['a list that is an object', { clusters: {} }, 'eks:ListClusters returned a page that is not a list'],
    [
      'a next token that is a list',
      { clusters: ['a'], nextToken: [] },
      'eks:ListClusters returned a page that is not a list',
    ],
    [
      'a cluster name that is a number',
      { clusters: ['a', 5] },
      'eks:ListClusters returned a cluster name that is not a string',
    ],
  ] as const) {
    it(`makes the scope an error on ${what}`, async () => {
      const { result, clusters, problems } = await listScope(answer);
      assert.deepEqual(
        { status: result.status, error: result.error, clusters: result.clusters },
        { status: 'error', error: reason, clusters: 0 },
      );
      assert.deepEqual([clusters, problems], [[], []]);
    });
  }
});

describe('providers/aws clusterLogGroup: a listing proves a log group absent only when every name reads', () => {
  const NAME = '/aws/eks/prod/cluster';

  it('finds the group, or null when every listed group is another', () => {
    const group = { logGroupName: NAME, retentionInDays: 90 };
    assert.deepEqual(clusterLogGroup({ ok: [{ logGroupName: '/aws/eks/dev/cluster' }, group] }, NAME), {
      ok: group,
    });
    assert.deepEqual(clusterLogGroup({ ok: [{ logGroupName: '/aws/eks/dev/cluster' }] }, NAME), { ok: null });
    assert.deepEqual(clusterLogGroup({ missing: 'AccessDenied' }, NAME), { missing: 'AccessDenied' });
  });

  it('leaves it unread when a listed group has no readable name', () => {
    const one = clusterLogGroup({ ok: [{ logGroupName: 7 }] }, NAME);
    assert.ok('missing' in one);
    assert.match(
      one.missing,
      /listed a log group without a readable logGroupName, so whether \/aws\/eks\/prod\/cluster exists/,
    );
    const two = clusterLogGroup({ ok: [null, { logGroupName: ['x'] }] }, NAME);
    assert.ok('missing' in two);
    assert.match(two.missing, /listed 2 log groups without a readable logGroupName/);
  });
});

describe('providers/aws collectEksScope: a node group described without its object leaves the node groups unread', () => {
  /** A factory answering DescribeNodegroup per node group name from `described`, other calls as byCommand. */
  function nodegroupsAnswering(described: Readonly<Record<string, unknown>>): AwsClientFactory {
    const answers: Readonly<Record<string, unknown>> = {
      ListClustersCommand: { clusters: ['c'] },
      DescribeClusterCommand: { cluster: { name: 'c', arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/c' } },
      ListNodegroupsCommand: { nodegroups: Object.keys(described) },
    };
    const client = {
      send: async (command: { readonly input: { readonly nodegroupName?: string } }) =>
        command.constructor.name === 'DescribeNodegroupCommand'
          ? described[command.input.nodegroupName ?? '']
          : (answers[command.constructor.name] ?? {}),
    };
    return everyClient(client);
  }

  async function nodegroupsRead(described: Readonly<Record<string, unknown>>) {
    const { clusters } = await collectEksScope(SCOPE, {
      factory: nodegroupsAnswering(described),
      calls: new ApiCalls(),
      concurrency: { initial: 2, max: 2 },
    });
    return clusters.map((cluster) => cluster.nodegroups);
  }

  it('is unread when one of the listed node groups comes back without its nodegroup', async () => {
    // Act
    const read = await nodegroupsRead({ a: { nodegroup: { nodegroupName: 'a' } }, b: {} });
    // Assess
    assert.deepEqual(read, [
      { missing: 'eks:DescribeNodegroup returned no nodegroup object for a listed node group' },
    ]);
  });

  it('reads every node group when each is described', async () => {
    // Act
    const read = await nodegroupsRead({
      a: { nodegroup: { nodegroupName: 'a' } },
      b: { nodegroup: { nodegroupName: 'b' } },
    });
    // Assess
    assert.deepEqual(read, [{ ok: [{ nodegroupName: 'a' }, { nodegroupName: 'b' }] }]);
  });
});
