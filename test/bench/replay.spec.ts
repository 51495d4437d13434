import assert from 'node:assert/strict';
import { awsReplayHeaders, type ReplayCall, replay } from '../../bench/replay.js';
import { describeRequest } from '../peers/aws/wire.js';
import { type ArmPeer, startArmPeer } from '../peers/azure/armPeer.js';
import { type GkePeer, startGkePeer } from '../peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../peers/gcp/seed.js';

type AwsCall = Extract<ReplayCall, { cloud: 'eks' }>;

function awsCall(overrides: Partial<AwsCall>): AwsCall {
  return {
    cloud: 'eks',
    scope: '111111111111 eu-west-1',
    service: 'eks',
    operation: 'DescribeCluster',
    account: '111111111111',
    region: 'eu-west-1',
    method: 'GET',
    url: '/clusters/bench-00001',
    body: '',
    status: 200,
    ...overrides,
  };
}

describe('bench/replay: the raw loop of the lower bound', function () {
  this.timeout(30_000);

  describe('awsReplayHeaders', () => {
    const cases: readonly (readonly [string, AwsCall])[] = [
      ['a REST-JSON call', awsCall({})],
      [
        'a JSON-protocol call',
        awsCall({
          service: 'logs',
          operation: 'DescribeLogGroups',
          method: 'POST',
          url: '/',
          body: '{"limit":50}',
        }),
      ],
      [
        'an EC2 query call',
        awsCall({
          service: 'ec2',
          operation: 'DescribeSubnets',
          method: 'POST',
          url: '/',
          body: 'Action=DescribeSubnets&Version=2016-11-15&SubnetId.1=subnet-1',
        }),
      ],
      [
        'an STS call',
        awsCall({
          service: 'sts',
          operation: 'AssumeRole',
          region: 'us-east-1',
          method: 'POST',
          url: '/',
          body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr',
        }),
      ],
    ];
    for (const [what, call] of cases) {
      it(`lets the peer read ${what} as the service, operation, region and caller it was`, () => {
        const request = describeRequest(
          call.method,
          call.url,
          awsReplayHeaders(call, 'ASIAREPLAY'),
          Buffer.from(call.body),
        );
        assert.deepEqual(
          {
            service: request.service,
            operation: request.operation,
            region: request.region,
            key: request.accessKeyId,
          },
          { service: call.service, operation: call.operation, region: call.region, key: 'ASIAREPLAY' },
        );
      });
    }
  });

  describe('against the ARM and GKE peers', () => {
    let arm: ArmPeer;
    let gke: GkePeer;

    before(async () => {
      [arm, gke] = await Promise.all([startArmPeer(), startGkePeer()]);
      arm.addSubscription({ subscriptionId: '00000000-0000-4000-8000-0000000000a1' });
      seedGkeFleet(gke, { count: 4, projects: ['p1', 'p2'], prefix: 'bench' });
    });
    after(async () => {
      await Promise.all([arm?.close(), gke?.close()]);
    });

    it('sends the ARM requests again and expects the statuses kubeline got', async () => {
      const calls: ReplayCall[] = [
        { cloud: 'aks', scope: '', method: 'GET', url: '/subscriptions?api-version=2022-12-01', status: 200 },
        {
          cloud: 'aks',
          scope: '00000000-0000-4000-8000-0000000000a1',
          method: 'GET',
          url: '/subscriptions/00000000-0000-4000-8000-0000000000a1/providers/Microsoft.ContainerService/managedClusters?api-version=2025-01-01',
          status: 200,
        },
        // kubeline got 200 here: a different answer now is a failed replay.
        { cloud: 'aks', scope: '', method: 'GET', url: '/nowhere?api-version=1', status: 200 },
      ];
      arm.clearCalls();
      const result = await replay({
        endpoint: arm.endpoint,
        ca: arm.ca,
        slotsPerScope: { '': 2 },
        defaultSlots: 8,
        scopesAtOnce: 4,
        calls,
      });
      assert.deepEqual(
        arm
          .calls()
          .map((call) => call.url)
          .sort(),
        calls.map((call) => (call.cloud === 'aks' ? call.url : '')).sort(),
      );
      assert.equal(result.calls, 3);
      assert.equal(result.failed, 1);
      assert.match(result.firstFailure ?? '', /^GET \/nowhere\?api-version=1: HTTP 400, not 200$/);
      assert.ok(result.seconds > 0);
    });

    it('calls each GKE method with the resource kubeline named', async () => {
      const calls: ReplayCall[] = [
        { cloud: 'gke', scope: 'p1', method: 'ListClusters', resource: 'projects/p1/locations/-', status: 0 },
        { cloud: 'gke', scope: 'p2', method: 'ListClusters', resource: 'projects/p2/locations/-', status: 0 },
        {
          cloud: 'gke',
          scope: 'p1',
          method: 'GetServerConfig',
          resource: 'projects/p1/locations/us-central1',
          status: 0,
        },
        {
          cloud: 'gke',
          scope: 'p1',
          method: 'GetBucket',
          resource: 'projects/p1/locations/global/buckets/_Default',
          status: 0,
        },
        { cloud: 'gke', scope: 'p1', method: 'ListLogMetrics', resource: 'projects/p1', status: 0 },
        { cloud: 'gke', scope: 'p1', method: 'ListAlertPolicies', resource: 'projects/p1', status: 0 },
        // NOT_FOUND (5) is what kubeline got, so it is what the replay expects.
        {
          cloud: 'gke',
          scope: 'p2',
          method: 'GetCluster',
          resource: 'projects/p2/locations/us-central1/clusters/none',
          status: 5,
        },
        { cloud: 'gke', scope: 'p2', method: 'Unknown', resource: 'projects/p2', status: 0 },
      ];
      gke.clearCalls();
      const result = await replay({
        endpoint: gke.endpoint,
        slotsPerScope: { p1: 2, p2: 2 },
        defaultSlots: 8,
        scopesAtOnce: 1,
        calls,
      });
      assert.deepEqual(
        gke
          .calls()
          .map((call) => `${call.method} ${call.resource} ${call.code}`)
          .sort(),
        calls
          .filter((call) => call.cloud === 'gke' && call.method !== 'Unknown')
          .map((call) => (call.cloud === 'gke' ? `${call.method} ${call.resource} ${call.status}` : ''))
          .sort(),
      );
      assert.equal(result.failed, 1);
      assert.match(result.firstFailure ?? '', /^Unknown projects\/p2: gRPC status -1, not 0$/);
    });
  });
});
