import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gkeSourceFor } from '../../../cli/compose.js';
import { UsageError } from '../../../cli/errors.js';
import { parseConfig } from '../../../config/load.js';
import {
  createGcpClients,
  type GcpClients,
  GcpCredentialsError,
  readGoogleCredentials,
} from '../../../providers/gcp/clients.js';
import { type GkePeer, startGkePeer } from '../../peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../../peers/gcp/seed.js';

const AUDIENCE =
  '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/kubeline-aws/providers/aws';

/** What `gcloud iam workload-identity-pools create-cred-config … --aws` writes, with local URLs. */
function awsCredentialConfig(urls: { readonly sts: string; readonly metadata: string }) {
  return {
    type: 'external_account',
    audience: AUDIENCE,
    subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
    token_url: `${urls.sts}/v1/token`,
    credential_source: {
      environment_id: 'aws1',
      region_url: `${urls.metadata}/latest/meta-data/placement/availability-zone`,
      url: `${urls.metadata}/latest/meta-data/iam/security-credentials`,
      regional_cred_verification_url:
        'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
    },
  };
}

/** A private key as a service account key file holds it, to prove no message repeats it. */
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const KEY_BODY_LINE = PRIVATE_KEY.split('\n')[1] ?? '';

function serviceAccountKey() {
  return {
    type: 'service_account',
    project_id: 'acme-ops',
    private_key_id: 'k1',
    private_key: PRIVATE_KEY,
    client_email: 'kubeline@acme-ops.iam.gserviceaccount.com',
    client_id: '1',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

/** An HTTP server that answers every request with `answer` and records what it was asked. */
async function recordingServer(
  answer: (request: IncomingMessage, body: string) => { status: number; body: string },
): Promise<{ url: string; requests: { method: string; path: string; body: string }[]; server: Server }> {
  const requests: { method: string; path: string; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', body });
      const reply = answer(request, body);
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

describe('providers/gcp: targets.gke.credentialsFile', function () {
  this.timeout(30_000);
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kubeline-gcp-credentials-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(folder, name);
    await writeFile(path, text);
    return path;
  }

  describe('readGoogleCredentials: checked before any client sees it', () => {
    const truncatedKey = JSON.stringify(serviceAccountKey()).slice(0, 400);
    const cases: readonly (readonly [string, string, string])[] = [
      ['a key cut short', truncatedKey, 'is not JSON'],
      ['YAML', 'type: service_account\n', 'is not JSON'],
      ['a JSON array', JSON.stringify([serviceAccountKey()]), 'is not a JSON object'],
      ['JSON null', 'null', 'is not a JSON object'],
      [
        'JSON without a type',
        JSON.stringify({ ...serviceAccountKey(), type: undefined }),
        'has no "type": not a Google credential file',
      ],
      [
        'an unknown type',
        JSON.stringify({ ...serviceAccountKey(), type: 'api_key' }),
        'credential type api_key is not one of external_account, service_account, impersonated_service_account, authorized_user, external_account_authorized_user',
      ],
      [
        'a type that is not a plain name',
        JSON.stringify({ type: PRIVATE_KEY }),
        'credential type is not one of external_account, service_account, impersonated_service_account, authorized_user, external_account_authorized_user',
      ],
      [
        'an external account without credential_source',
        JSON.stringify({ type: 'external_account', audience: AUDIENCE }),
        'an external_account configuration needs audience and credential_source',
      ],
      [
        'an external account without audience',
        JSON.stringify({ type: 'external_account', credential_source: { environment_id: 'aws1' } }),
        'an external_account configuration needs audience and credential_source',
      ],
    ];
    for (const [what, text, expected] of cases) {
      it(`refuses ${what} in one line naming the file, quoting none of it`, async () => {
        // Prepare
        const path = await file(`${what.replaceAll(' ', '-')}.json`, text);
        // Act
        const error = captureError(() => readGoogleCredentials(path));
        // Assess
        assert.deepEqual(
          {
            name: error.name,
            message: error.message,
            cause: error.cause,
            quotesKey: [error.message, String(error.cause)].some((message) =>
              message.includes(KEY_BODY_LINE),
            ),
          },
          {
            name: 'GcpCredentialsError',
            message: `targets.gke.credentialsFile ${path}: ${expected}`,
            cause: undefined,
            quotesKey: false,
          },
        );
      });
    }

    it('refuses a missing file and a folder with the error code', async () => {
      const missing = join(folder, 'missing.json');
      const directory = join(folder, 'a-folder');
      await mkdir(directory);
      assert.deepEqual(
        [missing, directory].map((path) => captureError(() => readGoogleCredentials(path)).message),
        [
          `targets.gke.credentialsFile ${missing}: cannot read the file (ENOENT)`,
          `targets.gke.credentialsFile ${directory}: cannot read the file (EISDIR)`,
        ],
      );
    });

    it('reads a workload identity federation configuration and a service account key as they are', async () => {
      const federation = awsCredentialConfig({
        sts: 'https://sts.googleapis.com',
        metadata: 'http://169.254.169.254',
      });
      assert.deepEqual(
        [
          readGoogleCredentials(await file('federation.json', JSON.stringify(federation))),
          readGoogleCredentials(await file('key.json', JSON.stringify(serviceAccountKey()))),
        ],
        [federation, serviceAccountKey()],
      );
    });

    it('resolves a relative path against the working directory', async () => {
      const path = await file('relative.json', JSON.stringify(serviceAccountKey()));
      assert.deepEqual(readGoogleCredentials(relative(process.cwd(), path)), serviceAccountKey());
    });
  });

  describe('kubeline scan with a bad credentialsFile', () => {
    it('is a usage error (exit 64) naming the file, before anything is read', async () => {
      const path = await file('bad.json', '{"private_key": "not a credential"}');
      const config = parseConfig(
        `targets:\n  gke:\n    projects: [acme-a]\n    credentialsFile: ${path}\n`,
        'c.yaml',
      );
      const error = await gkeSourceFor(config).then(
        () => assert.fail('expected a UsageError'),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof UsageError);
      assert.deepEqual(
        [error.message, error.cause instanceof GcpCredentialsError],
        [`targets.gke.credentialsFile ${path}: has no "type": not a Google credential file`, true],
      );
    });
  });

  describe('the clients', () => {
    const opened: GcpClients[] = [];
    let sts: Awaited<ReturnType<typeof recordingServer>>;
    let metadata: Awaited<ReturnType<typeof recordingServer>>;
    let federationFile: string;

    before(async () => {
      sts = await recordingServer(() => ({
        status: 200,
        body: JSON.stringify({
          access_token: 'google-token-for-kubeline',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
      }));
      // The instance metadata service as EC2 answers it; on Lambda the environment's keys are used instead.
      metadata = await recordingServer((request) => {
        if (request.url?.endsWith('/availability-zone')) return { status: 200, body: 'eu-west-1a' };
        if (request.url?.endsWith('/security-credentials')) return { status: 200, body: 'kubeline-scan' };
        return {
          status: 200,
          body: JSON.stringify({
            AccessKeyId: 'AKIAKUBELINETEST',
            SecretAccessKey: 'kubeline-test-secret',
            Token: 'kubeline-test-session',
          }),
        };
      });
      federationFile = await file(
        'aws-federation.json',
        JSON.stringify(awsCredentialConfig({ sts: sts.url, metadata: metadata.url })),
      );
    });
    after(async () => {
      await Promise.all(opened.map((clients) => clients.close()));
      for (const server of [sts?.server, metadata?.server]) server?.close();
    });
    beforeEach(() => {
      sts.requests.length = 0;
      metadata.requests.length = 0;
    });

    function clients(apiEndpoint: string | undefined, credentialsFile: string): GcpClients {
      const made = createGcpClients({
        ...(apiEndpoint ? { apiEndpoint } : {}),
        credentialsFile,
        maxAttempts: 1,
        callTimeoutMs: 5000,
      });
      opened.push(made);
      return made;
    }

    it("against Google, every client exchanges an AWS-signed request for a token at the configuration's STS", async () => {
      // Prepare
      const made = clients(undefined, federationFile);
      const { projects, folders } = await made.resourceManager();
      const { logConfig, logMetrics, alertPolicies } = await made.logging();
      // Act
      const tokens = await Promise.all(
        [made.clusters, projects, folders, logConfig, logMetrics, alertPolicies].map(
          async (client) => (await client.auth.getAccessToken()) ?? '',
        ),
      );
      // Assess
      const exchange = new URLSearchParams(sts.requests[0]?.body ?? '');
      assert.deepEqual(
        {
          tokens,
          path: sts.requests[0]?.path,
          grantType: exchange.get('grant_type'),
          audience: exchange.get('audience'),
          subjectTokenType: exchange.get('subject_token_type'),
          signedForSts: /https:\/\/sts\.[a-z0-9-]+\.amazonaws\.com\?Action=GetCallerIdentity/.test(
            decodeURIComponent(exchange.get('subject_token') ?? ''),
          ),
        },
        {
          tokens: Array.from({ length: 6 }, () => 'google-token-for-kubeline'),
          path: '/v1/token',
          grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
          audience: AUDIENCE,
          subjectTokenType: 'urn:ietf:params:aws:token-type:aws4_request',
          signedForSts: true,
        },
      );
    });

    describe('against a local peer on a loopback apiEndpoint', () => {
      let peer: GkePeer;
      before(async () => {
        peer = await startGkePeer();
      });
      after(async () => {
        await peer?.close();
      });

      it('scans with the credential file set, never asking its STS or metadata service', async () => {
        // Prepare
        seedGkeFleet(peer, { count: 2, projects: ['acme-a'] });
        const config = parseConfig(
          `targets:\n  gke:\n    projects: [acme-a]\n    apiEndpoint: "${peer.endpoint}"\n    credentialsFile: ${federationFile}\n    maxAttempts: 1\n`,
          'c.yaml',
        );
        const source = await gkeSourceFor(config);
        // Act
        const result = await source.collect().finally(() => source.close?.());
        // Assess
        assert.deepEqual(
          {
            scopes: result.scopes.map((scope) => [scope.scope, scope.status, scope.clusters]),
            stsCalls: sts.requests.length,
            metadataCalls: metadata.requests.length,
          },
          { scopes: [['acme-a', 'ok', 2]], stsCalls: 0, metadataCalls: 0 },
        );
      });
    });
  });
});

function captureError(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  assert.fail('expected an error');
}
