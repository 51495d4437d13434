import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { EKS_READ_ACTIONS, SCANNER_ACTIONS } from '../../providers/aws/permissions.js';
import { S3_SINK_ACTIONS, S3_SINK_KMS_ACTIONS } from '../../sinks/s3.js';

interface Statement {
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: unknown;
}

async function text(path: string): Promise<string> {
  return readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
}

function actionsOf(statements: readonly Statement[]): string[] {
  return statements
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();
}

const READ_ONLY_VERB = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]+$/;

describe('infra/aws least-privilege policies', () => {
  it('the read policy grants exactly the actions the EKS collector declares', async () => {
    const policy = JSON.parse(await text('infra/aws/kubeline-read-policy.json'));
    assert.deepEqual(actionsOf(policy.Statement), [...EKS_READ_ACTIONS].sort());
  });

  it('the cross-account role template grants exactly the same actions, to the scanner principal only', async () => {
    const template = parseYaml(await text('infra/aws/kubeline-read-role.yaml'));
    const role = template.Resources.KubelineReadRole.Properties;
    const statements = role.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
    );
    assert.deepEqual(actionsOf(statements), [...EKS_READ_ACTIONS].sort());
    assert.deepEqual(role.AssumeRolePolicyDocument.Statement[0].Principal, {
      AWS: { Ref: 'ScannerPrincipalArn' },
    });
    // On Lambda both plan (discovery) and scanShard (collection) enter the account.
    assert.equal(template.Parameters.ScannerPrincipalArn.Type, 'CommaDelimitedList');
  });

  it('the scanner policy only enters kubeline-read roles and lists accounts', async () => {
    const policy = JSON.parse(await text('infra/aws/kubeline-scanner-policy.json'));
    assert.deepEqual(actionsOf(policy.Statement), [...SCANNER_ACTIONS].sort());
    const assume = policy.Statement.find((statement: Statement) =>
      statement.Action.includes('sts:AssumeRole'),
    );
    assert.equal(assume.Resource, 'arn:aws:iam::*:role/kubeline-read');
  });

  it('the report bucket policy grants exactly the actions the S3 sink declares', async () => {
    const policy = JSON.parse(await text('infra/aws/kubeline-report-bucket-policy.json'));
    assert.deepEqual(actionsOf(policy.Statement), [...S3_SINK_ACTIONS, ...S3_SINK_KMS_ACTIONS].sort());
  });

  it('the report bucket policy scopes objects to the prefix, listing to the bucket, and KMS to the key through S3', async () => {
    const policy: { Statement: Statement[] } = JSON.parse(
      await text('infra/aws/kubeline-report-bucket-policy.json'),
    );
    assert.deepEqual(
      policy.Statement.map(({ Action, Resource, Condition }) => ({ Action, Resource, Condition })),
      [
        {
          Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          Resource: 'arn:aws:s3:::REPORT_BUCKET/REPORT_PREFIX/*',
          Condition: undefined,
        },
        { Action: ['s3:ListBucket'], Resource: 'arn:aws:s3:::REPORT_BUCKET', Condition: undefined },
        {
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: 'arn:aws:kms:REGION:ACCOUNT_ID:key/KMS_KEY_ID',
          Condition: { StringEquals: { 'kms:ViaService': 's3.REGION.amazonaws.com' } },
        },
      ],
    );
  });

  it('declares only read actions, without wildcards, besides sts:AssumeRole', () => {
    for (const action of EKS_READ_ACTIONS) assert.match(action, READ_ONLY_VERB);
    for (const action of [...EKS_READ_ACTIONS, ...SCANNER_ACTIONS]) assert.ok(!action.includes('*'), action);
  });

  it('declares the S3 sink actions without wildcards, and never one that changes an ACL or a policy', () => {
    for (const action of [...S3_SINK_ACTIONS, ...S3_SINK_KMS_ACTIONS]) {
      assert.ok(!action.includes('*'), action);
      assert.doesNotMatch(action, /Acl|Policy|PublicAccess/, action);
    }
  });
});
