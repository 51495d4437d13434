import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AKS_ACTIONS, AKS_IN_CLUSTER_ACTIONS, AKS_READ_ACTIONS } from '../../providers/azure/permissions.js';
import { BLOB_SINK_ACTIONS, BLOB_SINK_DATA_ACTIONS } from '../../sinks/azureBlob.js';

async function text(path: string): Promise<string> {
  return readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** The quoted strings of the `actions = [ … ]` list in the Terraform role's permissions block. */
function terraformActions(source: string): string[] {
  const block = /permissions\s*\{[^}]*?\bactions\s*=\s*\[([^\]]*)\]/s.exec(source)?.[1];
  if (block === undefined) throw new Error('no permissions { actions = [...] } in the Terraform role');
  return [...block.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '').sort();
}

const READ_ONLY = /^Microsoft\.[A-Za-z]+\/[A-Za-z/]+\/read$/;

describe('infra/azure least-privilege role', () => {
  it('the role definition for az role definition create grants exactly the actions the AKS collector declares', async () => {
    const role = JSON.parse(await text('infra/azure/kubeline-aks-reader.role.json'));
    assert.deepEqual([...role.Actions].sort(), [...AKS_ACTIONS].sort());
    assert.deepEqual(
      [role.IsCustom, role.NotActions, role.DataActions, role.NotDataActions],
      [true, [], [], []],
    );
    assert.deepEqual(role.AssignableScopes, ['/subscriptions/00000000-0000-0000-0000-000000000000']);
  });

  it('the Terraform role grants exactly the same actions', async () => {
    assert.deepEqual(
      terraformActions(await text('infra/azure/kubeline-aks-reader.tf')),
      [...AKS_ACTIONS].sort(),
    );
  });

  it('declares only read actions, without wildcards', () => {
    for (const action of AKS_READ_ACTIONS) {
      assert.match(action, READ_ONLY);
      assert.ok(!action.includes('*'), action);
    }
  });

  it('adds to the reads only the user kubeconfig of the in-cluster pass, never the admin one', () => {
    assert.deepEqual(
      [AKS_ACTIONS.filter((action) => !READ_ONLY.test(action)), [...AKS_IN_CLUSTER_ACTIONS]],
      [
        ['Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'],
        ['Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'],
      ],
    );
  });
});

describe('infra/azure report writer role', () => {
  it('grants exactly the actions and data actions the Blob sink declares, and nothing to delete', async () => {
    // Prepare
    const role = JSON.parse(await text('infra/azure/kubeline-report-writer.role.json'));
    // Assess
    assert.deepEqual(
      {
        actions: [...role.Actions].sort(),
        dataActions: [...role.DataActions].sort(),
        denied: [role.IsCustom, role.NotActions, role.NotDataActions],
        scopes: role.AssignableScopes,
      },
      {
        actions: [...BLOB_SINK_ACTIONS].sort(),
        dataActions: [...BLOB_SINK_DATA_ACTIONS].sort(),
        denied: [true, [], []],
        scopes: ['/subscriptions/00000000-0000-0000-0000-000000000000'],
      },
    );
  });

  it('lets the sink read and write blobs and sign links, and nothing else (no delete, no wildcard)', () => {
    assert.deepEqual(
      { actions: [...BLOB_SINK_ACTIONS], dataActions: [...BLOB_SINK_DATA_ACTIONS] },
      {
        actions: ['Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'],
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
        ],
      },
    );
  });
});
