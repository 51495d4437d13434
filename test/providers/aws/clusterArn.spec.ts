import assert from 'node:assert/strict';
import type { PostureOrigin } from '../../../model/posture.js';
import { parseEksClusterArn, REDACTED_ACCOUNT_SCOPE } from '../../../providers/aws/clusterArn.js';
import { normaliseEks } from '../../../providers/aws/normalise.js';
import { missing } from '../../../providers/collected.js';
import { normaliseError, rawFixture, withField } from '../rawFixture.js';

const origin: PostureOrigin = { kind: 'snapshot', file: 'eks.json', format: 'aws eks describe-cluster' };

/** The `cluster` object of the private describe-cluster fixture with its `arn` replaced. */
function clusterWithArn(arn: unknown): unknown {
  const document = withField(rawFixture('eks/describe-cluster-private.json'), 'cluster.arn', arn);
  return typeof document === 'object' && document !== null ? Reflect.get(document, 'cluster') : undefined;
}

function normalise(cluster: unknown) {
  const notExported = missing('not exported');
  return normaliseEks(
    {
      cluster,
      nodegroups: notExported,
      identityProviderConfigs: notExported,
      addons: notExported,
      accessEntries: notExported,
      clusterVersions: notExported,
      auditLogGroup: notExported,
      subnets: notExported,
      flowLogs: notExported,
      guardDutyDetector: notExported,
    },
    origin,
  );
}

describe('parseEksClusterArn', () => {
  it('reads the partition, region, account and name of a cluster ARN', () => {
    // Act
    const parsed = parseEksClusterArn('arn:aws-us-gov:eks:us-gov-west-1:111111111111:cluster/gov');
    // Assess
    assert.deepEqual(parsed, {
      arn: {
        partition: 'aws-us-gov',
        region: 'us-gov-west-1',
        accountId: '111111111111',
        clusterName: 'gov',
      },
    });
  });

  for (const account of [
    '**********',
    'XXXXXXXXXXXX',
    'xxxxxxxxxxxx',
    '<account-id>',
    'REDACTED',
    '',
    '********1234',
  ]) {
    it(`reads an account masked as ${JSON.stringify(account)} as redacted, keeping region and name`, () => {
      // Act
      const parsed = parseEksClusterArn(`arn:aws:eks:eu-central-2:${account}:cluster/x`);
      // Assess
      assert.deepEqual(parsed, {
        arn: { partition: 'aws', region: 'eu-central-2', accountId: undefined, clusterName: 'x' },
      });
    });
  }

  for (const [arn, malformed] of [
    ['eks:eu-west-1:111111111111:cluster/x', 'does not start with "arn:"'],
    [
      'arn:aws:eks:eu-west-1:111111111111',
      'is not a complete ARN: expected arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME',
    ],
    [
      'arn:azure:eks:eu-west-1:111111111111:cluster/x',
      'has the partition "azure", which is not an AWS partition',
    ],
    ['arn:aws:iam::111111111111:role/x', 'is an ARN of the "iam" service, not of an EKS cluster'],
    ['arn:aws:eks::111111111111:cluster/x', 'has no region'],
    [
      'arn:aws:eks:Europe West:111111111111:cluster/x',
      'has the region "Europe West", which is not an AWS region code',
    ],
    [
      'arn:aws:eks:eu-west-1:11111111111:cluster/x',
      'has the account id "11111111111", which is not 12 digits',
    ],
    [
      'arn:aws:eks:eu-west-1:1111-1111-1111:cluster/x',
      'has the account id "1111-1111-1111", which is neither 12 digits nor a redaction',
    ],
    [
      'arn:aws:eks:eu-west-1:111111111111:nodegroup/payments-prod/ng-1/x',
      'names a "nodegroup" resource, not a cluster',
    ],
    ['arn:aws:eks:eu-west-1:111111111111:cluster/', 'has no cluster name after "cluster/"'],
  ] as const) {
    it(`says what is wrong with ${arn}`, () => {
      // Act
      const parsed = parseEksClusterArn(arn);
      // Assess
      assert.deepEqual(parsed, { malformed });
    });
  }
});

describe('normaliseEks: cluster identity', () => {
  it('reads a cluster whose ARN has a redacted account, with a redacted scope and the ARN as written', () => {
    // Prepare
    const arn = 'arn:aws:eks:eu-central-2:**********:cluster/payments-prod';
    // Act
    const posture = normalise(clusterWithArn(arn));
    // Assess
    assert.deepEqual(
      { id: posture.id, scope: posture.scope, location: posture.location, name: posture.name },
      { id: arn, scope: REDACTED_ACCOUNT_SCOPE, location: 'eu-central-2', name: 'payments-prod' },
    );
  });

  it('names what is wrong with a malformed ARN', () => {
    // Prepare
    const cluster = clusterWithArn('arn:aws:eks:eu-west-1:111111111111:nodegroup/payments-prod/ng-1/x');
    // Act
    const error = normaliseError(() => normalise(cluster));
    // Assess
    assert.deepEqual(
      [error.message, error.context],
      [
        'EKS cluster "payments-prod": its arn "arn:aws:eks:eu-west-1:111111111111:nodegroup/payments-prod/ng-1/x" names a "nodegroup" resource, not a cluster',
        { provider: 'eks', source: 'eks.json', cluster: 'payments-prod' },
      ],
    );
  });

  it('says the arn is missing, or of the wrong type, without claiming more', () => {
    // Act
    const errors = [undefined, 42].map((arn) => normaliseError(() => normalise(clusterWithArn(arn))).message);
    // Assess
    assert.deepEqual(errors, [
      'EKS cluster "payments-prod" has no arn to identify it',
      'EKS cluster "payments-prod": cluster.arn is the number 42, expected a string',
    ]);
  });

  it('cuts a huge ARN short in the message', () => {
    // Prepare
    const huge = `arn:aws:eks:eu-west-1:111111111111:nodegroup/${'x'.repeat(100_000)}`;
    // Act
    const error = normaliseError(() => normalise(clusterWithArn(huge)));
    // Assess
    assert.ok(error.message.length < 300, `message of ${error.message.length} characters`);
  });
});
