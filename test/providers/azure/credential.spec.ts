import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DefaultAzureCredential } from '@azure/identity';
import { aksSourceFor } from '../../../cli/compose.js';
import { parseConfig } from '../../../config/load.js';
import { LOCAL_PEER_CREDENTIAL } from '../../../providers/azure/clients.js';
import { azureCredentialFor } from '../../../providers/azure/credential.js';
import { findMotoPython, type MotoProcess, startMoto } from '../../peers/aws/motoProcess.js';
import { type ArmPeer, startArmPeer } from '../../peers/azure/armPeer.js';
import { generatedManagedCluster } from '../../peers/azure/generate.js';
import { generatePeerTls, type PeerTls } from '../../peers/azure/tls.js';

const REGION = 'eu-west-1';
const TENANT = '0f0e0d0c-0b0a-4908-8706-050403020100';
const CLIENT = '11111111-2222-4333-8444-555555555555';
const SUBSCRIPTION = '00000000-0000-4000-8000-0000000000e1';
const CLIENT_SECRET = 'kubeline~client.secret-0123456789abcdef';
const PRINCIPAL = { tenantId: TENANT, clientId: CLIENT };

/** A token request as the local Entra received it. */
interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly clientSecret: string | null;
  readonly grantType: string | null;
  readonly scope: string | null;
}

/**
 * A local Entra authority over TLS: the OpenID configuration MSAL reads first, and a token
 * endpoint that accepts the client credentials grant of one application with one secret.
 */
async function startLocalAuthority(
  tls: PeerTls,
): Promise<{ url: string; tokens: TokenRequest[]; server: Server }> {
  const tokens: TokenRequest[] = [];
  let origin = '';
  const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const path = new URL(request.url ?? '/', origin).pathname;
      const tenant = path.split('/')[1] ?? '';
      const send = (status: number, json: object) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (path.endsWith('/.well-known/openid-configuration')) {
        send(200, {
          issuer: `${origin}/${tenant}/v2.0`,
          token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
          jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        });
        return;
      }
      if (request.method === 'POST' && path.endsWith('/oauth2/v2.0/token')) {
        const form = new URLSearchParams(body);
        tokens.push({
          tenant,
          clientId: form.get('client_id'),
          clientSecret: form.get('client_secret'),
          grantType: form.get('grant_type'),
          scope: form.get('scope'),
        });
        if (form.get('client_id') === CLIENT && form.get('client_secret') === CLIENT_SECRET) {
          send(200, {
            token_type: 'Bearer',
            expires_in: 3599,
            ext_expires_in: 3599,
            access_token: 'entra-token',
          });
        } else {
          send(401, {
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided for app '${CLIENT}'.`,
            error_codes: [7000215],
          });
        }
        return;
      }
      send(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: origin, tokens, server };
}

describe('providers/azure: a service principal whose secret is in Secrets Manager', function () {
  this.timeout(60_000);
  let moto: MotoProcess;
  let arm: ArmPeer;
  let authorityTls: PeerTls;
  let authority: Awaited<ReturnType<typeof startLocalAuthority>>;
  let folder: string;
  let bothCas: string;
  let env: Record<string, string>;
  let secretNumber = 0;

  before(async () => {
    [moto, arm, authorityTls] = await Promise.all([
      findMotoPython().then(startMoto),
      startArmPeer(),
      generatePeerTls(),
    ]);
    authority = await startLocalAuthority(authorityTls);
    folder = await mkdtemp(join(tmpdir(), 'kubeline-azure-credential-'));
    // targets.tls.caFile is one PEM file; the ARM peer and the authority each have their own CA.
    bothCas = join(folder, 'cas.pem');
    await writeFile(bothCas, `${arm.ca}\n${authorityTls.ca}`);
    env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${moto.port}`,
      AWS_REGION: REGION,
      AZURE_AUTHORITY_HOST: authority.url,
    };
    arm.addCluster(generatedManagedCluster({ subscription: SUBSCRIPTION, name: 'prod-weu' }));
  });
  after(async () => {
    authority?.server.close();
    await Promise.all([moto?.stop(), arm?.close(), authorityTls?.remove()]);
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    authority.tokens.length = 0;
    arm.clearCalls();
  });

  async function storedSecret(value: string): Promise<string> {
    const secrets = new SecretsManagerClient({
      region: REGION,
      endpoint: `http://127.0.0.1:${moto.port}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    secretNumber += 1;
    const created = await secrets.send(
      new CreateSecretCommand({ Name: `kubeline/azure-sp-${secretNumber}`, SecretString: value }),
    );
    secrets.destroy();
    return created.ARN ?? '';
  }

  function config(clientSecretArn: string) {
    return parseConfig(
      [
        'targets:',
        '  aks:',
        `    endpoint: "${arm.endpoint}"`,
        `    subscriptions: ["${SUBSCRIPTION}"]`,
        '    maxAttempts: 1',
        `    servicePrincipal: { tenantId: "${TENANT}", clientId: "${CLIENT}", clientSecretArn: "${clientSecretArn}" }`,
        '  tls:',
        `    caFile: ${bothCas}`,
        '',
      ].join('\n'),
      'c.yaml',
    );
  }

  /** One AKS scan as `kubeline scan --provider aks` composes it. */
  async function scan(clientSecretArn: string) {
    const source = await aksSourceFor(config(clientSecretArn), env);
    return source.collect().finally(() => source.close?.());
  }

  for (const [shape, stored] of [
    ['the whole secret string', CLIENT_SECRET],
    [
      'the clientSecret key of a JSON secret',
      JSON.stringify({ clientSecret: CLIENT_SECRET, note: 'rotated yearly' }),
    ],
    ['the password key of a JSON secret', JSON.stringify({ username: CLIENT, password: CLIENT_SECRET })],
  ] as const) {
    it(`signs in with ${shape} read from Secrets Manager and scans the ARM peer with Entra's token`, async () => {
      // Prepare
      const arn = await storedSecret(stored);
      // Act
      const result = await scan(arn);
      // Assess
      assert.deepEqual(
        {
          scopes: result.scopes.map((scope) => [scope.scope, scope.status, scope.clusters]),
          tokenRequests: authority.tokens,
          armTokens: [...new Set(arm.calls().map((call) => call.token))],
        },
        {
          scopes: [[SUBSCRIPTION, 'ok', 1]],
          tokenRequests: [
            {
              tenant: TENANT,
              clientId: CLIENT,
              clientSecret: CLIENT_SECRET,
              grantType: 'client_credentials',
              scope: `${arm.endpoint}/.default`,
            },
          ],
          armTokens: ['entra-token'],
        },
      );
    });
  }

  describe('secrets that cannot be used: the AKS scope is unread, the reason names the ARN, never the value', () => {
    const missingArn = `arn:aws:secretsmanager:${REGION}:123456789012:secret:kubeline/missing-AbCdEf`;

    async function reasonOf(arn: string): Promise<{ status: string; reason: string }> {
      const result = await scan(arn);
      const [scope] = result.scopes;
      return {
        status: scope?.status ?? 'none',
        reason: [scope?.error, ...result.problems.map((problem) => problem.reason)].join(' | '),
      };
    }

    it('a secret that does not exist', async () => {
      const { status, reason } = await reasonOf(missingArn);
      assert.equal(status, 'error');
      assert.match(
        reason,
        new RegExp(`cannot read the Azure client secret from ${missingArn}: ResourceNotFoundException: `),
      );
      assert.deepEqual(authority.tokens, []);
    });

    for (const [what, stored, expected] of [
      [
        'a JSON secret without a clientSecret or password key',
        JSON.stringify({ secret: CLIENT_SECRET }),
        (arn: string) => `secret ${arn} is an object with neither a clientSecret nor a password key`,
      ],
      ['an empty secret', '  ', (arn: string) => `secret ${arn} is empty, not the Azure client secret`],
    ] as const) {
      it(what, async () => {
        const arn = await storedSecret(stored);
        const { status, reason } = await reasonOf(arn);
        assert.deepEqual(
          { status, names: reason.includes(expected(arn)), leaks: reason.includes(CLIENT_SECRET) },
          { status: 'error', names: true, leaks: false },
        );
      });
    }

    it('a secret Entra refuses', async () => {
      const wrong = `${CLIENT_SECRET}-revoked`;
      const arn = await storedSecret(JSON.stringify({ clientSecret: wrong }));
      const { status, reason } = await reasonOf(arn);
      assert.deepEqual(
        {
          status,
          refused: reason.includes('AADSTS7000215'),
          leaks: reason.includes(wrong) || reason.includes(CLIENT_SECRET),
        },
        { status: 'error', refused: true, leaks: false },
      );
    });
  });

  describe('targets.aks.servicePrincipal in the configuration', () => {
    const good = {
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecretArn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:kubeline/azure-AbCdEf`,
    };
    for (const [what, principal, expected] of [
      [
        'a tenant that is not a GUID',
        { ...good, tenantId: 'acme.onmicrosoft.com' },
        'targets.aks.servicePrincipal.tenantId: expected a tenant GUID',
      ],
      [
        'a client id that is not a GUID',
        { ...good, clientId: 'kubeline' },
        'targets.aks.servicePrincipal.clientId: expected an application (client) GUID',
      ],
      [
        'an ARN of another service',
        { ...good, clientSecretArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/kubeline' },
        'targets.aks.servicePrincipal.clientSecretArn: expected the ARN of an AWS Secrets Manager secret',
      ],
      [
        'the secret itself',
        { ...good, clientSecret: CLIENT_SECRET },
        'targets.aks.servicePrincipal: Unrecognized key: "clientSecret"',
      ],
    ] as const) {
      it(`refuses ${what}`, () => {
        const yaml = `targets:\n  aks:\n    servicePrincipal: ${JSON.stringify(principal)}\n`;
        assert.throws(() => parseConfig(yaml, 'c.yaml'), {
          name: 'ConfigError',
          message: `c.yaml: ${expected}`,
        });
      });
    }
  });

  describe('which credential', () => {
    const servicePrincipal = {
      ...PRINCIPAL,
      clientSecretArn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:kubeline/azure-AbCdEf`,
    };

    it('a loopback endpoint is a local peer: the dummy credential, with or without a service principal', () => {
      assert.deepEqual(
        [
          azureCredentialFor({ endpoint: 'https://127.0.0.1:8443' }, { env: {} }),
          azureCredentialFor({ endpoint: 'https://127.0.0.1:8443', servicePrincipal }, { env: {} }),
          azureCredentialFor(
            { endpoint: 'https://127.0.0.1:8443', servicePrincipal },
            { env: { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com' } },
          ),
        ].map((credential) => credential === LOCAL_PEER_CREDENTIAL),
        [true, true, true],
      );
    });

    it('Azure itself: DefaultAzureCredential, or the service principal when one is configured', () => {
      const credentials = [
        azureCredentialFor({}, { env: {} }),
        azureCredentialFor({ endpoint: 'https://management.usgovcloudapi.net' }, { env: {} }),
        azureCredentialFor({ servicePrincipal }, { env: {} }),
      ];
      assert.deepEqual(
        credentials.map((credential) => [
          credential instanceof DefaultAzureCredential,
          credential === LOCAL_PEER_CREDENTIAL,
        ]),
        [
          [true, false],
          [true, false],
          [false, false],
        ],
      );
    });
  });
});
