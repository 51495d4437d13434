import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { aksSourceFor, gkeSourceFor } from '../../../cli/compose.js';
import { parseConfig } from '../../../config/load.js';
import { isUnknown } from '../../../model/observed.js';
import type { ClusterPosture } from '../../../model/posture.js';
import {
  AKS_AAD_SERVER_SCOPE,
  GOOGLE_CLOUD_PLATFORM_SCOPE,
  isLocalGoogleCredential,
} from '../../../providers/kubernetes/access.js';
import { findMotoPython, type MotoProcess, startMoto } from '../../peers/aws/motoProcess.js';
import { type ArmPeer, startArmPeer } from '../../peers/azure/armPeer.js';
import { generatedManagedCluster } from '../../peers/azure/generate.js';
import { generatePeerTls, type PeerTls } from '../../peers/azure/tls.js';
import { type GkePeer, startGkePeer } from '../../peers/gcp/gkePeer.js';
import { generatedCluster } from '../../peers/gcp/seed.js';
import { loadKubeFixture } from '../../peers/k8s/fixtures.js';
import { type KubePeer, startKubePeer } from '../../peers/k8s/kubePeer.js';
import { gkeClusterAt } from '../../peers/k8s/sandboxClusters.js';
import {
  type EntraTokenRequest,
  type LocalTokenEndpoint,
  type StsTokenRequest,
  startLocalEntra,
  startLocalGoogleSts,
} from './tokenEndpoints.js';

/*
 * The GKE and AKS tokens of the in-cluster pass, obtained the way a scan obtains them: through the
 * composed sources, from local stand-ins of the clouds' token endpoints, and presented to a
 * Kubernetes peer that accepts exactly the token those endpoints issued, and no fixed one.
 */

const PROJECT = 'acme-k';
const GKE_CLUSTER = 'prod-gke';
const AKS_CLUSTER = 'prod-aks';
const SUBSCRIPTION = '00000000-0000-4000-8000-0000000000d4';
const TENANT = '0f0e0d0c-0b0a-4908-8706-0504030201d4';
const CLIENT = '11111111-2222-4333-8444-5555555555d4';
const CLIENT_SECRET = 'kubeline~in-cluster.secret-0123456789';
const REGION = 'eu-west-1';
const AUDIENCE =
  '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/kubeline/providers/oidc';
const SUBJECT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kubeline-subject.signature';

/** Tokens made for this run: the peer accepts these and nothing else. */
const RUN = randomBytes(6).toString('hex');
const GOOGLE_TOKEN = `ya29.kubeline-local-${RUN}`;
const AKS_TOKEN = `eyJ0eXAiOiJKV1QifQ.kubeline-aks-${RUN}.sig`;
const ARM_TOKEN = `eyJ0eXAiOiJKV1QifQ.kubeline-arm-${RUN}.sig`;
const GKE_USER = `kubeline@${PROJECT}.iam.gserviceaccount.com`;
const AKS_USER = `${CLIENT} (Entra ID)`;

/** Which in-cluster facts were read; the reason when none was. */
function readParts(posture: ClusterPosture | undefined): string {
  assert.ok(posture, 'the source returned no posture');
  if (isUnknown(posture.inCluster)) return posture.inCluster.unknown;
  const parts = Object.values(posture.inCluster.value) as { unknown?: string }[];
  return `${parts.filter((part) => part.unknown === undefined).length} facts read`;
}

describe('isLocalGoogleCredential: which Google credential files may be used against a local peer', () => {
  const local = 'http://127.0.0.1:8089';
  const federation = {
    type: 'external_account',
    audience: AUDIENCE,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${local}/v1/token`,
    credential_source: { file: '/var/run/token' },
  };
  const awsFederation = {
    ...federation,
    subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
    credential_source: {
      environment_id: 'aws1',
      region_url: `${local}/latest/meta-data/placement/availability-zone`,
      url: `${local}/latest/meta-data/iam/security-credentials`,
      regional_cred_verification_url:
        'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
    },
  };
  const cases: readonly (readonly [string, Record<string, unknown>, boolean])[] = [
    ['an external account whose token_url is loopback', federation, true],
    ['an AWS external account whose metadata URLs are loopback too', awsFederation, true],
    [
      'an external account authorized user with a loopback token_url',
      { type: 'external_account_authorized_user', token_url: `${local}/v1/oauthtoken`, refresh_token: 'r' },
      true,
    ],
    ['localhost as loopback', { ...federation, token_url: 'http://localhost:8089/v1/token' }, true],
    ['[::1] as loopback', { ...federation, token_url: 'http://[::1]:8089/v1/token' }, true],
    ['Google STS', { ...federation, token_url: 'https://sts.googleapis.com/v1/token' }, false],
    [
      'a loopback STS but the real instance metadata service',
      {
        ...awsFederation,
        credential_source: {
          ...awsFederation.credential_source,
          url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials',
        },
      },
      false,
    ],
    [
      'a loopback STS but impersonation at Google',
      {
        ...federation,
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/k@p.iam.gserviceaccount.com:generateAccessToken',
      },
      false,
    ],
    [
      'a loopback STS but a subject token fetched from elsewhere',
      { ...federation, credential_source: { url: 'https://idp.example/token' } },
      false,
    ],
    [
      'an external account without token_url (Google STS by default)',
      { ...federation, token_url: undefined },
      false,
    ],
    ['a token_url that is not a string', { ...federation, token_url: 8089 }, false],
    ['a token_url that is not a URL', { ...federation, token_url: '127.0.0.1.example.com/token' }, false],
    [
      'an authorized user, whose token endpoint the library does not take from the file',
      {
        type: 'authorized_user',
        client_id: 'c',
        client_secret: 's',
        refresh_token: 'r',
        token_uri: `${local}/token`,
      },
      false,
    ],
    [
      'a service account key, likewise',
      { type: 'service_account', client_email: 'k@p.iam.gserviceaccount.com', token_uri: `${local}/token` },
      false,
    ],
    ['no type', { token_url: `${local}/v1/token` }, false],
  ];
  for (const [what, credentials, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${what}`, () => {
      assert.equal(isLocalGoogleCredential(credentials), expected);
    });
  }
});

describe('in-cluster tokens from the local cloud peers’ credential paths', function () {
  this.timeout(60_000);
  let kube: KubePeer;
  let folder: string;

  before(async () => {
    kube = await startKubePeer({
      clusterName: GKE_CLUSTER,
      acceptedTokens: { [GOOGLE_TOKEN]: GKE_USER, [AKS_TOKEN]: AKS_USER },
    });
    kube.seed(await loadKubeFixture('compliant'));
    folder = await mkdtemp(join(tmpdir(), 'kubeline-cloud-tokens-'));
  });
  after(async () => {
    await kube?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    kube.clearRequests();
  });

  function kubeUsers(): string[] {
    return [...new Set(kube.requests().map((request) => `${request.user} ${request.status}`))];
  }

  describe('GKE: google-auth-library exchanging an external account subject token at a local STS', () => {
    let gke: GkePeer;
    let sts: LocalTokenEndpoint<StsTokenRequest>;

    before(async () => {
      [gke, sts] = await Promise.all([startGkePeer(), startLocalGoogleSts(GOOGLE_TOKEN)]);
      const cluster = generatedCluster(1, PROJECT, GKE_CLUSTER);
      gke.putClusters(PROJECT, [gkeClusterAt(cluster, kube.cluster, kube.caData)]);
    });
    after(async () => {
      await Promise.all([gke?.close(), sts?.close()]);
    });
    beforeEach(() => {
      sts.requests.length = 0;
    });

    async function scan(credentials: Record<string, unknown>) {
      const subjectFile = join(folder, 'subject-token');
      const credentialsFile = join(folder, 'google-credentials.json');
      await writeFile(subjectFile, SUBJECT_TOKEN);
      await writeFile(credentialsFile, JSON.stringify(credentials));
      const config = parseConfig(
        [
          'targets:',
          '  gke:',
          `    projects: [${PROJECT}]`,
          `    apiEndpoint: "${gke.endpoint}"`,
          `    credentialsFile: ${credentialsFile}`,
          '    maxAttempts: 1',
          'inCluster:',
          '  enabled: true',
          '',
        ].join('\n'),
        'c.yaml',
      );
      const source = await gkeSourceFor(config);
      return source.collect().finally(() => source.close?.());
    }

    function federation(tokenUrl: string) {
      return {
        type: 'external_account',
        audience: AUDIENCE,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: tokenUrl,
        credential_source: { file: join(folder, 'subject-token') },
      };
    }

    it('presents the access token the local STS issued for scope cloud-platform, which the peer accepts', async () => {
      // Act
      const result = await scan(federation(`${sts.url}/v1/token`));
      // Assess
      assert.deepEqual(
        { read: readParts(result.postures[0]), sts: sts.requests, kubeUsers: kubeUsers() },
        {
          read: '8 facts read',
          sts: [
            {
              path: '/v1/token',
              grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
              audience: AUDIENCE,
              scope: GOOGLE_CLOUD_PLATFORM_SCOPE,
              subjectToken: SUBJECT_TOKEN,
              subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
            },
          ],
          kubeUsers: [`${GKE_USER} 200`],
        },
      );
    });

    it('presents only the fixed local-peer token when the credential file would call Google, which this peer refuses', async () => {
      // Act
      const result = await scan(federation('https://sts.googleapis.com/v1/token'));
      // Assess
      assert.deepEqual(
        { read: readParts(result.postures[0]), sts: sts.requests.length, kubeUsers: kubeUsers() },
        {
          read: "the API server refused kubeline's credentials (401 Unauthorized)",
          sts: 0,
          kubeUsers: ['null 401'],
        },
      );
    });
  });

  describe('AKS: ClientSecretCredential against a local Entra authority', () => {
    let arm: ArmPeer;
    let moto: MotoProcess;
    let entraTls: PeerTls;
    let entra: LocalTokenEndpoint<EntraTokenRequest>;
    let caFile: string;
    let secretArn: string;

    before(async () => {
      [arm, moto, entraTls] = await Promise.all([
        startArmPeer(),
        findMotoPython().then(startMoto),
        generatePeerTls(),
      ]);
      entra = await startLocalEntra(entraTls, {
        clientId: CLIENT,
        clientSecret: CLIENT_SECRET,
        tokenFor: (scope) => (scope === AKS_AAD_SERVER_SCOPE ? AKS_TOKEN : ARM_TOKEN),
      });
      // targets.tls.caFile is one PEM file: the ARM peer's CA and the local authority's.
      caFile = join(folder, 'cas.pem');
      await writeFile(caFile, `${arm.ca}\n${entraTls.ca}`);
      const host = new URL(kube.url).host;
      arm.addCluster(
        generatedManagedCluster({
          subscription: SUBSCRIPTION,
          name: AKS_CLUSTER,
          properties: { fqdn: host, privateFQDN: host },
        }),
      );
      arm.setCertificateAuthority(kube.caData);
      const secrets = new SecretsManagerClient({
        region: REGION,
        endpoint: `http://127.0.0.1:${moto.port}`,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      const created = await secrets.send(
        new CreateSecretCommand({ Name: 'kubeline/azure-in-cluster', SecretString: CLIENT_SECRET }),
      );
      secrets.destroy();
      secretArn = created.ARN ?? '';
    });
    after(async () => {
      await Promise.all([arm?.close(), moto?.stop(), entra?.close(), entraTls?.remove()]);
    });

    it('presents the token Entra issued for the AKS AAD server application, which the peer accepts', async () => {
      // Prepare
      const config = parseConfig(
        [
          'targets:',
          '  aks:',
          `    endpoint: "${arm.endpoint}"`,
          `    subscriptions: ["${SUBSCRIPTION}"]`,
          '    maxAttempts: 1',
          `    servicePrincipal: { tenantId: "${TENANT}", clientId: "${CLIENT}", clientSecretArn: "${secretArn}" }`,
          '  tls:',
          `    caFile: ${caFile}`,
          'inCluster:',
          '  enabled: true',
          '',
        ].join('\n'),
        'c.yaml',
      );
      const env = {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${moto.port}`,
        AWS_REGION: REGION,
        AZURE_AUTHORITY_HOST: entra.url,
      };
      // Act
      const source = await aksSourceFor(config, env);
      const result = await source.collect().finally(() => source.close?.());
      // Assess
      assert.deepEqual(
        {
          read: readParts(result.postures[0]),
          entraScopes: entra.requests,
          armTokens: [...new Set(arm.calls().map((call) => call.token))],
          kubeUsers: kubeUsers(),
        },
        {
          read: '8 facts read',
          entraScopes: [`${arm.endpoint}/.default`, AKS_AAD_SERVER_SCOPE].map((scope) => ({
            tenant: TENANT,
            clientId: CLIENT,
            secretMatched: true,
            grantType: 'client_credentials',
            scope,
          })),
          armTokens: [ARM_TOKEN],
          kubeUsers: [`${AKS_USER} 200`],
        },
      );
    });
  });
});
