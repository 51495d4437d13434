import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import JSZip from 'jszip';
import { FUNCTION_NAMES } from '../../scripts/bundle.js';
import {
  CI_JWT,
  CI_STAGE,
  type CloudFormationTemplate,
  packagedTemplate,
  ROOT,
  resourcesOfType,
  runCfnLint,
  TEMPLATE_PATH,
} from './artifacts.js';
import { type FlatStatement, render, roleStatements, stateMachineDefinition } from './template.js';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText(separator?: string): string };
// asl-validator ships no type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

const STATE_MACHINE = 'KubelineStateMachine';
const STATE_MACHINE_ARN = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:kubeline-${CI_STAGE}`;
const OWN_EXECUTIONS = [
  `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:kubeline-${CI_STAGE}:*`,
  `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:kubeline-${CI_STAGE}/*`,
];
const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Logical ids serverless gives each function and its log group. */
function logicalIdOf(name: string): string {
  return `${name[0]?.toUpperCase()}${name.slice(1)}`;
}

/** Reads by their verb: what cannot change anything. */
const READ_VERBS = /^(Get|List|Describe|Head)/;
/** Reads that hand out secret material: treated like writes, so they need named resources. */
const SENSITIVE_READS = new Set(['secretsmanager:GetSecretValue']);

function isReadOnly(action: string): boolean {
  const verb = action.split(':')[1] ?? '';
  return READ_VERBS.test(verb) && !SENSITIVE_READS.has(action);
}

const inReportBucket = (resource: string) => /^<ReportBucket\.Arn>\/.+/.test(resource);

/** Every action that is not read-only, with the only resources it may name. */
const ALLOWED_WRITES: Record<string, (resource: string, statement: FlatStatement) => boolean> = {
  's3:PutObject': inReportBucket,
  's3:AbortMultipartUpload': inReportBucket,
  'ses:SendEmail': (resource) => resource === '<SesIdentityArn>',
  'ses:SendRawEmail': (resource) => resource === '<SesIdentityArn>',
  'secretsmanager:GetSecretValue': (resource) => resource === '<SecretArns>',
  'states:StartExecution': (resource) => resource === STATE_MACHINE_ARN,
  'states:StopExecution': (resource) => OWN_EXECUTIONS.includes(resource),
  'lambda:InvokeFunction': (resource) =>
    /^<(Plan|ScanShard|Finalize)LambdaFunction\.Arn>(:\*)?$/.test(resource),
  'logs:CreateLogStream': (resource, statement) => resource === `<${ownLogGroup(statement.role)}.Arn>`,
  'logs:PutLogEvents': (resource, statement) => resource === `<${ownLogGroup(statement.role)}.Arn>`,
  'sts:AssumeRole': (resource) => resource === `arn:\${AWS::Partition}:iam::*:role/kubeline-read`,
};

/** A function role's own log group: `PlanRole` → `PlanLogGroup`. */
function ownLogGroup(role: string): string {
  return role.replace(/Role$/, 'LogGroup');
}

describe('deploy: serverless.yml packaged offline into a CloudFormation template', function () {
  // Bundling and `serverless package` run once, here (about 15 s); cfn-lint takes about 3 s.
  this.timeout(120_000);
  let template: CloudFormationTemplate;

  before(async () => {
    template = await packagedTemplate();
  });

  function functionResource(name: string) {
    const resource = template.Resources[`${logicalIdOf(name)}LambdaFunction`];
    assert.ok(resource, `no function ${name} in the template`);
    return resource.Properties ?? {};
  }

  it('runs the nightly function on an EventBridge schedule at 02:00 UTC', () => {
    // Act
    const rules = resourcesOfType(template, 'AWS::Events::Rule');

    // Assess
    assert.deepEqual(
      rules.map(([, rule]) => rule.Properties),
      [
        {
          ScheduleExpression: 'cron(0 2 * * ? *)',
          State: 'ENABLED',
          Targets: [{ Arn: { 'Fn::GetAtt': ['NightlyLambdaFunction', 'Arn'] }, Id: 'nightlySchedule' }],
        },
      ],
    );
  });

  it('serves exactly the three routes, every one behind the JWT authorizer of the stage parameters', () => {
    // Act
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => ({
      key: route.Properties?.RouteKey,
      auth: route.Properties?.AuthorizationType,
      authorizer: route.Properties?.AuthorizerId,
    }));
    const authorizers = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');

    // Assess
    const jwt = { auth: 'JWT', authorizer: { Ref: 'HttpApiAuthorizerKubelineJwt' } };
    assert.deepEqual(
      routes.sort((a, b) => String(a.key).localeCompare(String(b.key))),
      [
        { key: 'GET /scans', ...jwt },
        { key: 'GET /scans/{runId}', ...jwt },
        { key: 'POST /scans', ...jwt },
      ],
    );
    assert.deepEqual(authorizers, [
      [
        'HttpApiAuthorizerKubelineJwt',
        {
          Type: 'AWS::ApiGatewayV2::Authorizer',
          Properties: {
            ApiId: { Ref: 'HttpApi' },
            Name: 'kubelineJwt',
            IdentitySource: ['$request.header.Authorization'],
            AuthorizerType: 'JWT',
            JwtConfiguration: { Audience: [CI_JWT.audience], Issuer: CI_JWT.issuer },
          },
        },
      ],
    ]);
  });

  it('runs every function on nodejs22.x and arm64 from its own bundle zip, with the contract environment', () => {
    // Act
    const functions = FUNCTION_NAMES.map((name) => {
      const properties = functionResource(name);
      const environment = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      return {
        name,
        runtime: properties.Runtime,
        architectures: properties.Architectures,
        handler: properties.Handler,
        artifact: path.basename(render((properties.Code as { S3Key: unknown }).S3Key)),
        timeout: properties.Timeout,
        environment: Object.fromEntries(
          Object.entries(environment).map(([key, value]) => [key, render(value)]),
        ),
      };
    });

    // Assess
    const shared = {
      KUBELINE_CONFIG: 'config/kubeline.config.yaml',
      KUBELINE_REPORT_URI: 's3://<ReportBucket>/kubeline',
      POWERTOOLS_SERVICE_NAME: 'kubeline',
      POWERTOOLS_METRICS_NAMESPACE: 'kubeline',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const expected = (name: string, timeout: number, environment: Record<string, string> = {}) => ({
      name,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      artifact: `${name}.zip`,
      timeout,
      environment: { ...shared, ...environment },
    });
    assert.deepEqual(functions, [
      expected('nightly', 30, { KUBELINE_STATE_MACHINE_ARN: `<${STATE_MACHINE}>` }),
      expected('http', 29, { KUBELINE_STATE_MACHINE_ARN: `<${STATE_MACHINE}>` }),
      expected('plan', 300, { KUBELINE_SCOPES_PER_SHARD: '50' }),
      expected('scanShard', 900),
      expected('finalize', 900),
    ]);
  });

  it('deploys each function as its esbuild bundle only: entry, chunks, run-time files and config, no sources', async () => {
    // Act
    const contents = await Promise.all(
      FUNCTION_NAMES.map(async (name) => {
        const zip = await JSZip.loadAsync(await readFile(path.join(ROOT, '.build', `${name}.zip`)));
        const files = Object.values(zip.files)
          .filter((entry) => !entry.dir)
          .map((entry) => entry.name);
        return {
          name,
          entry: files.includes('index.mjs'),
          config: files.includes('config/kubeline.config.yaml'),
          unexpected: files.filter(
            (file) =>
              !/^chunks\/[\w.-]+\.mjs$/.test(file) &&
              !['index.mjs', 'package.json', 'config/kubeline.config.yaml'].includes(file) &&
              !file.startsWith('templates/') &&
              !/^node_modules\/@google-cloud\/(container|logging-api|monitoring)\/build\/protos\/protos\.json$/.test(
                file,
              ),
          ),
        };
      }),
    );

    // Assess
    assert.deepEqual(
      contents,
      FUNCTION_NAMES.map((name) => ({ name, entry: true, config: true, unexpected: [] })),
    );
  });

  it('fans out with a Distributed Map over the shard list in S3, retrying and tolerating failed shards', () => {
    // Act
    const definition = stateMachineDefinition(template, STATE_MACHINE) as {
      StartAt: string;
      States: Record<string, Record<string, unknown>>;
    };
    const { ItemProcessor, ...map } = definition.States.ScanShards ?? {};

    // Assess
    assert.equal(definition.StartAt, 'Plan');
    // serverless-step-functions states the query language on every state.
    assert.deepEqual(map, {
      Type: 'Map',
      QueryLanguage: 'JSONPath',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Bucket.$': '$.plan.bucket', 'Key.$': '$.plan.shardsKey' },
      },
      MaxConcurrency: 40,
      ToleratedFailurePercentage: 100,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { 'Bucket.$': '$.plan.bucket', 'Prefix.$': '$.plan.resultsPrefix' },
      },
      ResultPath: '$.map',
      Next: 'Finalize',
    });
    assert.deepEqual(ItemProcessor, {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'ScanShard',
      States: {
        ScanShard: {
          Type: 'Task',
          QueryLanguage: 'JSONPath',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:ScanShardLambdaFunction',
            'Payload.$': '$',
          },
          OutputPath: '$.Payload',
          Retry: [
            {
              ErrorEquals: LAMBDA_ERRORS,
              IntervalSeconds: 2,
              MaxAttempts: 6,
              BackoffRate: 2,
              JitterStrategy: 'FULL',
            },
            {
              ErrorEquals: ['States.TaskFailed'],
              IntervalSeconds: 10,
              MaxAttempts: 2,
              BackoffRate: 3,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        },
      },
    });
    assert.deepEqual(
      [
        definition.States.Plan?.ResultPath,
        definition.States.Plan?.Next,
        definition.States.Finalize?.Parameters,
      ],
      [
        '$.plan',
        'ScanShards',
        {
          FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:FinalizeLambdaFunction',
          Payload: { 'runId.$': '$.plan.runId', 'planKey.$': '$.plan.planKey' },
        },
      ],
    );
    for (const task of ['Plan', 'Finalize']) {
      assert.deepEqual(
        definition.States[task]?.Retry,
        [
          {
            ErrorEquals: LAMBDA_ERRORS,
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
            JitterStrategy: 'FULL',
          },
        ],
        task,
      );
    }
  });

  it('has a state machine definition that asl-validator accepts', () => {
    // Act
    const result = validateAsl(stateMachineDefinition(template, STATE_MACHINE));

    // Assess
    assert.deepEqual(
      { isValid: result.isValid, errors: result.errorsText('\n') },
      { isValid: true, errors: '' },
    );
  });

  it('keeps the report bucket private, encrypted, versioned, TLS-only and expiring', () => {
    // Act
    const bucket = template.Resources.ReportBucket;
    const policy = template.Resources.ReportBucketPolicy?.Properties?.PolicyDocument;

    // Assess
    assert.deepEqual(bucket?.Properties, {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireRunWork', Status: 'Enabled', Prefix: 'kubeline/work/', ExpirationInDays: 14 },
          { Id: 'ExpirePublishedRuns', Status: 'Enabled', Prefix: 'kubeline/runs/', ExpirationInDays: 400 },
          {
            Id: 'ExpireNoncurrentVersions',
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          },
          {
            Id: 'AbortIncompleteUploads',
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
    assert.deepEqual(policy, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [
            { 'Fn::GetAtt': ['ReportBucket', 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, '/*']] },
          ],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('keeps every function log for the retention of the stage parameter', () => {
    // Act
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup').map(([id, group]) => [
      id,
      group.Properties?.RetentionInDays,
    ]);

    // Assess
    assert.deepEqual(
      groups,
      FUNCTION_NAMES.map((name) => [`${logicalIdOf(name)}LogGroup`, 90]),
    );
  });

  it('gives each function and the state machine a role of its own, and serverless no shared role', () => {
    // Act
    const roleOf = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [name, render(functionResource(name).Role)]),
    );
    const roles = resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id);

    // Assess
    assert.deepEqual(roleOf, {
      nightly: '<NightlyRole.Arn>',
      http: '<HttpRole.Arn>',
      plan: '<PlanRole.Arn>',
      scanShard: '<ScanShardRole.Arn>',
      finalize: '<FinalizeRole.Arn>',
    });
    assert.equal(render(template.Resources[STATE_MACHINE]?.Properties?.RoleArn), '<StateMachineRole.Arn>');
    assert.deepEqual(roles.sort(), [
      'FinalizeRole',
      'HttpRole',
      'NightlyRole',
      'PlanRole',
      'ScanShardRole',
      'StateMachineRole',
    ]);
  });

  it('grants each role only the actions its work needs', () => {
    // Act
    const actionsByRole: Record<string, string[]> = {};
    for (const statement of roleStatements(template)) {
      actionsByRole[statement.role] = [...(actionsByRole[statement.role] ?? []), ...statement.actions].sort();
    }

    // Assess
    const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    const runs = ['states:DescribeExecution', 'states:ListExecutions', 'states:StartExecution'];
    const eksRead = JSON.parse(
      JSON.stringify(
        // The scanShard role carries the read policy scanned accounts deploy, read at package time.
        createRequire(import.meta.url)('../../infra/aws/kubeline-read-policy.json').Statement[0].Action,
      ),
    ) as string[];
    const sorted = (actions: string[]) => [...actions].sort();
    assert.deepEqual(actionsByRole, {
      NightlyRole: sorted([...logs, ...runs]),
      HttpRole: sorted([...logs, ...runs, 's3:GetObject', 's3:ListBucket']),
      PlanRole: sorted([
        ...logs,
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListBucket',
        'sts:AssumeRole',
        'organizations:ListAccounts',
        'ec2:DescribeRegions',
        'secretsmanager:GetSecretValue',
      ]),
      ScanShardRole: sorted([
        ...logs,
        ...eksRead,
        'sts:AssumeRole',
        'secretsmanager:GetSecretValue',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListBucket',
      ]),
      FinalizeRole: sorted([
        ...logs,
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:ListBucket',
        'secretsmanager:GetSecretValue',
        'ses:SendEmail',
        'ses:SendRawEmail',
      ]),
      StateMachineRole: sorted([
        'lambda:InvokeFunction',
        's3:GetObject',
        's3:PutObject',
        's3:ListMultipartUploadParts',
        's3:AbortMultipartUpload',
        'states:StartExecution',
        'states:DescribeExecution',
        'states:StopExecution',
      ]),
    });
  });

  it('allows no write action but the listed ones, each on its own resources only, and no * resource on any', () => {
    // Act
    const problems: string[] = [];
    for (const statement of roleStatements(template)) {
      const where = `${statement.role}/${statement.sid}`;
      if (statement.effect !== 'Allow') problems.push(`${where}: effect ${statement.effect}`);
      for (const action of statement.actions) {
        if (!/^[a-z0-9-]+:[A-Za-z]+$/.test(action))
          problems.push(`${where}: wildcard or malformed action ${action}`);
        if (isReadOnly(action)) continue;
        const allowed = ALLOWED_WRITES[action];
        if (allowed === undefined) {
          problems.push(`${where}: write action ${action} is not allowed`);
          continue;
        }
        for (const resource of statement.resources) {
          if (!allowed(resource, statement)) problems.push(`${where}: ${action} on ${resource}`);
        }
      }
    }

    // Assess
    assert.deepEqual(problems, []);
  });

  it('grants secrets and SES only when their stage parameters name some', () => {
    // Act
    const conditional = roleStatements(template)
      .filter((statement) => statement.condition !== undefined)
      .map(({ role, sid, condition, resources }) => ({ role, sid, condition, resources }));

    // Assess
    assert.deepEqual(conditional, [
      { role: 'PlanRole', sid: 'ReadNamedSecrets', condition: 'HasSecretArns', resources: ['<SecretArns>'] },
      {
        role: 'ScanShardRole',
        sid: 'ReadNamedSecrets',
        condition: 'HasSecretArns',
        resources: ['<SecretArns>'],
      },
      {
        role: 'FinalizeRole',
        sid: 'ReadNamedSecrets',
        condition: 'HasSecretArns',
        resources: ['<SecretArns>'],
      },
      {
        role: 'FinalizeRole',
        sid: 'SendMailThroughSes',
        condition: 'HasSesIdentity',
        resources: ['<SesIdentityArn>'],
      },
    ]);
    assert.deepEqual(template.Parameters, {
      SecretArns: {
        Type: 'CommaDelimitedList',
        Description: 'Secrets Manager ARNs kubeline may read (stage parameter secretArns)',
        Default: '',
      },
      SesIdentityArn: {
        Type: 'String',
        Description: 'The SES identity finalize may send from (stage parameter sesIdentityArn)',
        Default: '',
      },
    });
  });

  it('passes cfn-lint with no error and no warning', async () => {
    // Prepare: W3005 flags the DependsOn serverless itself adds beside a GetAtt (functions on their
    // roles, routes on their integration): redundant, harmless, and not in serverless.yml.
    // W2531, E2531 and E2533 compare the runtime's deprecation dates with today's date, so they
    // would fail this test on some days and not others; the runtime is asserted above, and its
    // end of support is in the README's deploy guide.
    const ignored = ['W3005', 'W2531', 'E2531', 'E2533'];

    // Act
    const lint = await runCfnLint(TEMPLATE_PATH, ['--ignore-checks', ...ignored]);

    // Assess
    assert.deepEqual(lint, { exitCode: 0, output: '' });
  });
});
