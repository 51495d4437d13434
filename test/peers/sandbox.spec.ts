import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseConfig } from '../../config/load.js';
import { type Sandbox, startSandbox } from './sandbox.js';

describe('npm run peers: the local sandbox', () => {
  let folder: string;
  let sandbox: Sandbox;

  before(async function () {
    this.timeout(60_000);
    folder = await mkdtemp(path.join(tmpdir(), 'kubeline-sandbox-'));
    sandbox = await startSandbox({
      seed: 'examples/fleet',
      writeConfig: path.join(folder, 'kubeline.config.yaml'),
    });
  });

  after(async () => {
    await sandbox?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('seeds the EKS, GKE and AKS clusters of the example fleet, skipping none', () => {
    assert.deepEqual(
      sandbox.seeded.map((cluster) => `${cluster.account}/${cluster.region}/${cluster.name}`),
      [
        '111111111111/us-west-2/data-analytics',
        '222222222222/us-east-1/legacy-billing',
        '222222222222/eu-central-1/platform-automode',
        '111111111111/us-east-1/prod-payments',
        '111111111111/eu-west-1/shared-services',
      ],
    );
    assert.deepEqual(sandbox.skipped, []);
    // A cluster with an in-cluster export is served that export, so the live and --from scans agree.
    assert.deepEqual(
      sandbox.kubeClusters
        .filter((cluster) => cluster.fixture === 'export')
        .map((cluster) => `${cluster.provider}/${cluster.name}`)
        .sort(),
      [
        'aks/dev-sandbox',
        'aks/prod-checkout',
        'eks/legacy-billing',
        'eks/prod-payments',
        'gke/payments-core',
      ],
    );
    assert.deepEqual(
      sandbox.gkeSeeded.map((cluster) => `${cluster.project}/${cluster.location}/${cluster.name}`),
      [
        'acme-corp-legacy/us-central1-c/legacy-reporting',
        'acme-data-prod/us-east1/data-autopilot',
        'acme-data-prod/us-east1-b/batch-public',
        'acme-ml-dev/europe-west4/ml-training',
        'acme-payments-prod/us-central1/payments-core',
      ],
    );
    assert.deepEqual(
      sandbox.aksSeeded.map(
        (cluster) => `${cluster.subscription}/${cluster.name}/${cluster.diagnosticSettings}`,
      ),
      [
        '00000000-0000-0000-0000-000000000001/prod-automatic/0',
        '00000000-0000-0000-0000-000000000001/prod-checkout/1',
        '00000000-0000-0000-0000-000000000001/prod-identity/1',
        '00000000-0000-0000-0000-000000000002/dev-sandbox/0',
        '00000000-0000-0000-0000-000000000002/ml-lts/0',
      ],
    );
  });

  it('writes a valid kubeline config naming the accounts, their read role and the regions', async () => {
    const configPath = sandbox.configPath ?? '';
    const config = parseConfig(await readFile(configPath, 'utf8'), configPath);
    assert.deepEqual(config.targets, {
      eks: {
        regions: ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2'],
        accounts: [
          { id: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/kubeline-read' },
          { id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/kubeline-read' },
        ],
      },
      gke: {
        projects: ['acme-corp-legacy', 'acme-data-prod', 'acme-ml-dev', 'acme-payments-prod'],
        apiEndpoint: sandbox.gke.endpoint,
      },
      aks: {
        subscriptions: ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'],
        endpoint: sandbox.arm.endpoint,
      },
      tls: { caFile: sandbox.arm.caFile },
    });
  });

  it('gives the environment that reaches the seeded clusters through the role in the config', async () => {
    const { env } = sandbox;
    assert.equal(env.AWS_ENDPOINT_URL, sandbox.peer.endpoint);
    const base = {
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    };
    const assumed = await new STSClient(base).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/kubeline-read',
        RoleSessionName: 'spec',
      }),
    );
    const eks = new EKSClient({
      ...base,
      region: 'eu-central-1',
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
        sessionToken: assumed.Credentials?.SessionToken ?? '',
      },
    });
    assert.deepEqual((await eks.send(new ListClustersCommand({}))).clusters, ['platform-automode']);
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'platform-automode' }));
    assert.deepEqual(
      [cluster?.computeConfig?.enabled, cluster?.resourcesVpcConfig?.vpcId, cluster?.platformVersion],
      [true, 'vpc-0d44e55f66a77b882', 'eks.4'],
    );
  });
});
