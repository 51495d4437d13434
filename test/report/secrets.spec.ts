import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeScan } from '../../cli/compose.js';
import { runScan } from '../../engine/pipeline.js';

const SECRETS = [
  'hunter2-SECRET',
  'CERT-SECRET',
  'KEY-SECRET',
  'SP-SECRET',
  'WIN-SECRET',
  'AAAA-SSH-KEY',
  'BASE64-CA-DATA',
];

describe('reports carry no credentials from the cloud responses', () => {
  it('keeps passwords, client keys, service principal secrets and SSH keys out of every format', async () => {
    // Prepare: exports holding every credential-bearing field the three APIs can return.
    const input = await mkdtemp(join(tmpdir(), 'kubeline-secrets-'));
    await writeFile(
      join(input, 'gke.json'),
      JSON.stringify({
        name: 'legacy-auth',
        location: 'us-central1',
        selfLink:
          'https://container.googleapis.com/v1/projects/p1/locations/us-central1/clusters/legacy-auth',
        currentMasterVersion: '1.35.7-gke.1222000',
        status: 'RUNNING',
        masterAuth: {
          username: 'admin',
          password: 'hunter2-SECRET',
          clientCertificate: 'CERT-SECRET',
          clientKey: 'KEY-SECRET',
          clientCertificateConfig: { issueClientCertificate: true },
        },
        nodePools: [{ name: 'pool', version: '1.35.7-gke.1222000', config: {} }],
      }),
    );
    await writeFile(
      join(input, 'aks.json'),
      JSON.stringify({
        id: '/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/sp',
        name: 'sp',
        location: 'westeurope',
        type: 'Microsoft.ContainerService/ManagedClusters',
        kubernetesVersion: '1.35.1',
        provisioningState: 'Succeeded',
        enableRbac: true,
        servicePrincipalProfile: { clientId: '11111111-2222-3333-4444-555555555555', secret: 'SP-SECRET' },
        linuxProfile: {
          adminUsername: 'azureuser',
          ssh: { publicKeys: [{ keyData: 'ssh-rsa AAAA-SSH-KEY' }] },
        },
        windowsProfile: { adminUsername: 'winadmin', adminPassword: 'WIN-SECRET' },
        agentPoolProfiles: [{ name: 'np', orchestratorVersion: '1.35.1', enableNodePublicIp: false }],
      }),
    );
    await writeFile(
      join(input, 'eks.json'),
      JSON.stringify({
        cluster: {
          name: 'ca',
          arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ca',
          version: '1.35',
          status: 'ACTIVE',
          certificateAuthority: { data: 'BASE64-CA-DATA' },
          resourcesVpcConfig: {
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
            publicAccessCidrs: [],
          },
        },
      }),
    );
    const out = await mkdtemp(join(tmpdir(), 'kubeline-secrets-out-'));
    // Act
    const deps = await composeScan(
      {},
      { from: [input], providers: [], out, tool: { name: 'kubeline', version: 'test' } },
    );
    const outcome = await runScan(
      { ...deps, clock: () => new Date('2027-03-15T10:20:30Z') },
      { trigger: 'cli', asOf: '2026-11-29', formats: ['html', 'md', 'json', 'csv', 'junit', 'ocsf'] },
    );
    // Assess
    assert.equal(outcome.clusters.length, 3);
    const folder = join(out, 'runs', '2027-03-15', outcome.runId);
    for (const name of await readdir(folder)) {
      const text = await readFile(join(folder, name), 'utf8');
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} appears in ${name}`);
    }
    const auth02 = outcome.findings.find(
      (finding) => finding.checkId === 'AUTH-02' && finding.provider === 'gke',
    );
    assert.equal(auth02?.status, 'fail', 'the legacy credentials are still reported, without their values');
  });
});
