import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { GCP_OPERATION_PERMISSIONS, GCP_READ_PERMISSIONS } from '../../providers/gcp/permissions.js';
import { GCS_SINK_PERMISSIONS } from '../../sinks/gcs.js';

async function text(path: string): Promise<string> {
  return readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** The quoted strings of the `kubeline_read_permissions` list in the Terraform locals. */
function terraformPermissions(source: string): string[] {
  const list = /kubeline_read_permissions\s*=\s*\[([^\]]*)\]/.exec(source)?.[1];
  assert.ok(list, 'infra/gcp/kubeline-read-role.tf declares local.kubeline_read_permissions');
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '').sort();
}

const READ_ONLY_PERMISSION = /^[a-z]+\.[a-zA-Z]+\.(get|list)$/;

describe('infra/gcp least-privilege custom role', () => {
  it('the gcloud role file grants exactly the permissions the GKE collector declares', async () => {
    const role = parseYaml(await text('infra/gcp/kubeline-read-role.yaml'));
    assert.deepEqual([...role.includedPermissions].sort(), [...GCP_READ_PERMISSIONS]);
    assert.equal(role.stage, 'GA');
    assert.ok(typeof role.title === 'string' && typeof role.description === 'string');
  });

  it('the Terraform roles grant the same permissions, at organization and project level', async () => {
    const source = await text('infra/gcp/kubeline-read-role.tf');
    assert.deepEqual(terraformPermissions(source), [...GCP_READ_PERMISSIONS]);
    assert.match(source, /resource "google_organization_iam_custom_role" "kubeline_read"/);
    assert.match(source, /resource "google_project_iam_custom_role" "kubeline_read"/);
    assert.equal(source.match(/permissions = local\.kubeline_read_permissions/g)?.length, 2);
  });

  it('declares exactly the permissions its operations need, read-only and without wildcards', () => {
    const needed = Object.values(GCP_OPERATION_PERMISSIONS)
      .filter((permission) => permission !== null)
      .sort();
    assert.deepEqual([...new Set(needed)], [...GCP_READ_PERMISSIONS]);
    for (const permission of GCP_READ_PERMISSIONS) assert.match(permission, READ_ONLY_PERMISSION);
  });
});

describe('infra/gcp report bucket custom role', () => {
  it('grants exactly the permissions the GCS sink declares, without wildcards', async () => {
    const role = parseYaml(await text('infra/gcp/kubeline-report-bucket-role.yaml'));
    assert.deepEqual(
      {
        title: role.title,
        stage: role.stage,
        permissions: role.includedPermissions,
        described: typeof role.description === 'string',
      },
      {
        title: 'kubeline report bucket',
        stage: 'GA',
        permissions: [...GCS_SINK_PERMISSIONS],
        described: true,
      },
    );
    for (const permission of GCS_SINK_PERMISSIONS) assert.doesNotMatch(permission, /\*/);
  });
});
