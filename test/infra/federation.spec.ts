import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { parseConfig } from '../../config/load.js';

async function text(path: string): Promise<string> {
  return readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** A top-level Terraform block: `resource "type" "name" { body }`, `variable "name" { body }`… */
interface Block {
  readonly kind: string;
  readonly labels: readonly string[];
  readonly body: string;
}

/**
 * The top-level blocks of a Terraform file, found by matching braces (terraform is not installed
 * here). Interpolations and CEL placeholders pair their braces, so counting them is enough.
 */
function blocks(source: string): Block[] {
  const found: Block[] = [];
  const header = /^(resource|data|variable|output|locals)((?:\s+"[^"]+")*)\s*\{/gm;
  for (let match = header.exec(source); match !== null; match = header.exec(source)) {
    let depth = 1;
    let end = header.lastIndex;
    while (depth > 0 && end < source.length) {
      if (source[end] === '{') depth += 1;
      if (source[end] === '}') depth -= 1;
      end += 1;
    }
    const labels = [...(match[2] ?? '').matchAll(/"([^"]+)"/g)].map((label) => label[1] ?? '');
    found.push({ kind: match[1] ?? '', labels, body: source.slice(header.lastIndex, end - 1) });
    header.lastIndex = end;
  }
  return found;
}

/** The right-hand side of `key = …` on its line, as written. */
function attribute(block: Block | undefined, key: string): string | undefined {
  return block === undefined
    ? undefined
    : new RegExp(`^\\s*${key}\\s*=\\s*(.+)$`, 'm').exec(block.body)?.[1]?.trim();
}

function resources(source: string, type?: RegExp): Block[] {
  return blocks(source).filter(
    (block) => block.kind === 'resource' && (type === undefined || type.test(block.labels[0] ?? '')),
  );
}

function byLabels(source: string, kind: string, ...labels: string[]): Block | undefined {
  return blocks(source).find((block) => block.kind === kind && block.labels.join('.') === labels.join('.'));
}

/** The folder's files form one Terraform module: what one file uses, another may declare. */
async function moduleOf(
  folder: string,
): Promise<{ readonly files: Map<string, string>; readonly all: string }> {
  const names = (await readdir(new URL(`../../${folder}`, import.meta.url))).filter((name) =>
    name.endsWith('.tf'),
  );
  const files = new Map<string, string>();
  for (const name of names.sort()) files.set(name, await text(`${folder}/${name}`));
  return { files, all: [...files.values()].join('\n') };
}

/** Variables and resources one file refers to, each declared exactly once in its module. */
function assertReferencesDeclared(source: string, module: string): void {
  const declaredVariables = blocks(module)
    .filter((block) => block.kind === 'variable')
    .map((block) => block.labels[0] ?? '');
  assert.deepEqual(
    declaredVariables.filter((name, index) => declaredVariables.indexOf(name) !== index),
    [],
    'a variable declared twice in one module',
  );
  const usedVariables = new Set([...source.matchAll(/\bvar\.([a-z_]+)/g)].map((match) => match[1] ?? ''));
  assert.deepEqual(
    [...usedVariables].filter((name) => !declaredVariables.includes(name)),
    [],
    'variables used but not declared',
  );
  const declaredResources = blocks(module)
    .filter((block) => block.kind === 'resource' || block.kind === 'data')
    .map((block) => `${block.kind === 'data' ? 'data.' : ''}${block.labels.join('.')}`);
  const usedResources = new Set(
    [...source.matchAll(/\b((?:data\.)?(?:google|azurerm|azuread|aws|time)_[a-z_]+\.[a-z_]+)/g)].map(
      (match) => match[1] ?? '',
    ),
  );
  assert.deepEqual(
    [...usedResources].filter((address) => !declaredResources.includes(address)),
    [],
    'resources referred to but not declared',
  );
}

describe('infra/gcp workload identity federation for kubeline on AWS', () => {
  const file = 'infra/gcp/kubeline-aws-federation.tf';

  it('grants only workloadIdentityUser on the service account and the kubelineRead role, never authoritatively', async () => {
    // Prepare
    const source = await text(file);
    // Act
    const grants = resources(source, /_iam_(member|binding|policy)$/).map((block) => [
      block.labels[0],
      attribute(block, 'role'),
    ]);
    // Assess
    assert.deepEqual(grants, [
      ['google_service_account_iam_member', '"roles/iam.workloadIdentityUser"'],
      ['google_organization_iam_member', 'google_organization_iam_custom_role.kubeline_read[0].name'],
      ['google_project_iam_member', 'google_project_iam_custom_role.kubeline_read[0].name'],
    ]);
    for (const block of resources(source, /_iam_(member|binding|policy)$/).slice(1))
      assert.equal(attribute(block, 'member'), `"serviceAccount:\${google_service_account.kubeline.email}"`);
  });

  it("lets in only the stack's plan and scanShard Lambda roles of one AWS account", async () => {
    // Prepare
    const source = await text(file);
    const provider = byLabels(
      source,
      'resource',
      'google_iam_workload_identity_pool_provider',
      'kubeline_aws',
    );
    const impersonation = byLabels(
      source,
      'resource',
      'google_service_account_iam_member',
      'kubeline_lambda_impersonation',
    );
    const roles = /kubeline_lambda_roles\s*=\s*\[([^\]]*)\]/.exec(source)?.[1] ?? '';
    // Assess
    assert.deepEqual(
      {
        roles: [...roles.matchAll(/"([^"]+)"/g)].map((match) => match[1]),
        account: /aws\s*\{\s*account_id\s*=\s*(\S+)\s*\}/.exec(provider?.body ?? '')?.[1],
        condition: attribute(provider, 'attribute_condition'),
        awsRoleMapped: /"attribute\.aws_role"\s*=/.test(provider?.body ?? ''),
        impersonators: attribute(impersonation, 'for_each'),
        member: attribute(impersonation, 'member'),
      },
      {
        roles: [
          `arn:aws:sts::\${var.aws_account_id}:assumed-role/\${var.aws_plan_role_name}`,
          `arn:aws:sts::\${var.aws_account_id}:assumed-role/\${var.aws_scan_shard_role_name}`,
        ],
        account: 'var.aws_account_id',
        condition: `"attribute.aws_role in ['\${join("', '", local.kubeline_lambda_roles)}']"`,
        awsRoleMapped: true,
        impersonators: 'toset(local.kubeline_lambda_roles)',
        member: `"principalSet://iam.googleapis.com/\${google_iam_workload_identity_pool.kubeline_aws.name}/attribute.aws_role/\${each.value}"`,
      },
    );
  });

  it('names the roles as the serverless stack declares them', async () => {
    const stack = await text('serverless.yml');
    assert.deepEqual(
      ['PlanRole', 'ScanShardRole'].map((role) => new RegExp(`^\\s{4}${role}:\\s*$`, 'm').test(stack)),
      [true, true],
    );
  });

  it('outputs what gcloud iam workload-identity-pools create-cred-config needs', async () => {
    const source = await text(file);
    const outputs = blocks(source).filter((block) => block.kind === 'output');
    assert.deepEqual(
      outputs.map((block) => block.labels[0]),
      ['workload_identity_provider_name', 'service_account_email', 'create_cred_config'],
    );
    assert.match(
      attribute(outputs[2], 'value') ?? '',
      /^"gcloud iam workload-identity-pools create-cred-config \$\{google_iam_workload_identity_pool_provider\.kubeline_aws\.name\} --service-account=\$\{google_service_account\.kubeline\.email\} --aws --output-file=deploy\/aws\/config\/[a-z-]+\.json"$/,
    );
  });

  it('uses only variables and resources its module declares, each variable once', async () => {
    const { all } = await moduleOf('infra/gcp');
    assertReferencesDeclared(await text(file), all);
  });
});

describe('infra/azure service principal for kubeline on AWS', () => {
  const file = 'infra/azure/kubeline-aws-federation.tf';

  it('assigns only the kubeline AKS reader role, to its own service principal', async () => {
    // Prepare
    const source = await text(file);
    // Act
    const assignments = resources(source, /role_assignment|role_definition/).map((block) => ({
      type: block.labels[0],
      scope: attribute(block, 'scope'),
      role: attribute(block, 'role_definition_id'),
      principal: attribute(block, 'principal_id'),
    }));
    // Assess
    assert.deepEqual(assignments, [
      {
        type: 'azurerm_role_assignment',
        scope: 'var.kubeline_role_scope',
        role: 'azurerm_role_definition.kubeline_aks_reader.role_definition_resource_id',
        principal: 'azuread_service_principal.kubeline.object_id',
      },
    ]);
    assert.doesNotMatch(source, /role_definition_name|app_role_assignment|api_permission/);
    assert.match(await text('infra/azure/kubeline-aks-reader.tf'), /name\s*=\s*"kubeline AKS reader"/);
  });

  it('gives the client secret an end date and rotates it', async () => {
    const password = byLabels(await text(file), 'resource', 'azuread_application_password', 'kubeline');
    assert.deepEqual(
      {
        endDate: attribute(password, 'end_date'),
        rotates:
          /rotate_when_changed\s*=\s*\{\s*rotation\s*=\s*time_rotating\.kubeline_client_secret\.id\s*\}/.test(
            password?.body ?? '',
          ),
      },
      {
        endDate: `timeadd(time_rotating.kubeline_client_secret.rotation_rfc3339, "\${var.secret_grace_days * 24}h")`,
        rotates: true,
      },
    );
  });

  it('stores the secret in Secrets Manager in the shape and under the ARN targets.aks.servicePrincipal reads', async () => {
    // Prepare
    const source = await text(file);
    const version = byLabels(source, 'resource', 'aws_secretsmanager_secret_version', 'kubeline_azure');
    const name = /default\s*=\s*"([^"]+)"/.exec(
      byLabels(source, 'variable', 'kubeline_secret_name')?.body ?? '',
    )?.[1];
    // Secrets Manager appends six random characters to the name in the ARN.
    const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
    // Act
    const config = parseConfig(
      `targets:\n  aks:\n    servicePrincipal:\n      tenantId: 0f0e0d0c-0b0a-4908-8706-050403020100\n      clientId: 11111111-2222-4333-8444-555555555555\n      clientSecretArn: ${arn}\n`,
      'c.yaml',
    );
    // Assess
    assert.deepEqual(
      {
        secret: attribute(version, 'secret_string'),
        outputs: blocks(source)
          .filter((block) => block.kind === 'output')
          .map((block) => [block.labels[0], attribute(block, 'value')]),
        configured: config.targets?.aks?.servicePrincipal?.clientSecretArn,
      },
      {
        secret: 'jsonencode({ clientSecret = azuread_application_password.kubeline.value })',
        outputs: [
          ['tenant_id', 'data.azuread_client_config.current.tenant_id'],
          ['client_id', 'azuread_application.kubeline.client_id'],
          ['client_secret_arn', 'aws_secretsmanager_secret.kubeline_azure.arn'],
        ],
        configured: arn,
      },
    );
  });

  it('uses only variables and resources its module declares, each variable once', async () => {
    const { all } = await moduleOf('infra/azure');
    assertReferencesDeclared(await text(file), all);
  });
});
