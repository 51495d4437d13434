import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AKS_AAD_SERVER_SCOPE,
  aksTokenSource,
  contextKubeConfig,
  EKS_TOKEN_PREFIX,
  eksToken,
  stsHost,
} from '../../../providers/kubernetes/access.js';
import { verifyEksToken } from '../../peers/k8s/eksToken.js';

const SIGNED_AT = new Date('2028-02-29T12:00:00Z');
const KEYS = { accessKeyId: 'AKIAKUBELINETEST0001', secretAccessKey: 'kubeline-test-secret' };

function decodedUrl(token: string): URL {
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

describe('in-cluster access: EKS token', () => {
  it('is k8s-aws-v1. and base64url without padding of a GetCallerIdentity URL presigned for 60 s', async () => {
    // Act
    const token = await eksToken({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: KEYS,
      now: SIGNED_AT,
    });
    // Assess
    assert.ok(token.startsWith(EKS_TOKEN_PREFIX));
    assert.match(token.slice(EKS_TOKEN_PREFIX.length), /^[A-Za-z0-9_-]+$/);
    const url = decodedUrl(token);
    const query = Object.fromEntries(url.searchParams);
    assert.deepEqual(
      {
        origin: url.origin,
        path: url.pathname,
        query: { ...query, 'X-Amz-Signature': /^[0-9a-f]{64}$/.test(query['X-Amz-Signature'] ?? '') },
      },
      {
        origin: 'https://sts.eu-west-1.amazonaws.com',
        path: '/',
        query: {
          Action: 'GetCallerIdentity',
          Version: '2011-06-15',
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
          'X-Amz-Credential': 'AKIAKUBELINETEST0001/20280229/eu-west-1/sts/aws4_request',
          'X-Amz-Date': '20280229T120000Z',
          'X-Amz-Expires': '60',
          'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
          'X-Amz-Signature': true,
        },
      },
    );
  });

  it('signs the cluster name: the peer recomputes the signature for that name and refuses another', async () => {
    // Prepare
    const token = await eksToken({
      clusterName: 'prod',
      region: 'us-east-1',
      credentials: KEYS,
      now: SIGNED_AT,
    });
    const policy = { secrets: { [KEYS.accessKeyId]: KEYS.secretAccessKey }, now: () => SIGNED_AT };
    // Act
    const forProd = verifyEksToken(token, { ...policy, clusterName: 'prod' });
    const forOther = verifyEksToken(token, { ...policy, clusterName: 'staging' });
    // Assess
    assert.deepEqual(forProd, { ok: true, user: KEYS.accessKeyId, signatureVerified: true });
    assert.deepEqual(forOther, {
      ok: false,
      reason: 'the signature does not match (x-k8s-aws-id must be staging)',
    });
  });

  it('carries a session token of assumed-role credentials in the signed query', async () => {
    // Act
    const token = await eksToken({
      clusterName: 'prod',
      region: 'us-east-1',
      credentials: { ...KEYS, sessionToken: 'session/with+symbols=' },
      now: SIGNED_AT,
    });
    // Assess
    assert.equal(decodedUrl(token).searchParams.get('X-Amz-Security-Token'), 'session/with+symbols=');
    assert.deepEqual(
      verifyEksToken(token, {
        clusterName: 'prod',
        secrets: { [KEYS.accessKeyId]: KEYS.secretAccessKey },
        now: () => SIGNED_AT,
      }),
      { ok: true, user: KEYS.accessKeyId, signatureVerified: true },
    );
  });

  it('goes to the regional STS endpoint, with the China partition on its own domain', () => {
    assert.deepEqual(['us-east-1', 'eu-central-1', 'cn-north-1', 'us-gov-west-1'].map(stsHost), [
      'sts.us-east-1.amazonaws.com',
      'sts.eu-central-1.amazonaws.com',
      'sts.cn-north-1.amazonaws.com.cn',
      'sts.us-gov-west-1.amazonaws.com',
    ]);
  });
});

describe('in-cluster access: AKS token', () => {
  it('asks the credential for the AKS AAD server application scope', async () => {
    // Prepare
    const asked: (string | string[])[] = [];
    const source = aksTokenSource({
      getToken: async (scopes) => {
        asked.push(scopes);
        return { token: 'entra-token' };
      },
    });
    // Act
    const token = await source({} as never);
    // Assess
    assert.deepEqual({ token, asked }, { token: 'entra-token', asked: [AKS_AAD_SERVER_SCOPE] });
  });

  it('fails with the scope named when the credential gives no token', async () => {
    const source = aksTokenSource({ getToken: async () => null });
    await assert.rejects(source({} as never), {
      message: 'Entra ID gave no token for 6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    });
  });
});

describe('in-cluster access: kubeconfig contexts', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kubeline-kubeconfig-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function kubeconfig(text: string): Promise<string> {
    const file = join(folder, 'config');
    await writeFile(file, text);
    return file;
  }

  const CONFIG = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: { server: "https://prod.example:443", certificate-authority-data: Q0E= }
- name: lab
  cluster: { server: "https://lab.example:443", insecure-skip-tls-verify: true }
users:
- name: reader
  user: { token: secret-token-value }
contexts:
- name: prod-reader
  context: { cluster: prod, user: reader }
- name: lab-reader
  context: { cluster: lab, user: reader }
- name: dangling
  context: { cluster: gone, user: reader }
current-context: lab-reader
`;

  it('uses the named context, not the current one', async () => {
    // Prepare
    const file = await kubeconfig(CONFIG);
    // Act
    const result = contextKubeConfig(file, 'prod-reader');
    // Assess
    assert.ok('connection' in result);
    assert.deepEqual(
      { via: result.connection.via, server: result.connection.kubeConfig.getCurrentCluster()?.server },
      { via: 'kubeconfig context prod-reader', server: 'https://prod.example:443' },
    );
  });

  it('refuses a context that turns TLS verification off', async () => {
    const file = await kubeconfig(CONFIG);
    assert.deepEqual(contextKubeConfig(file, 'lab-reader'), {
      unavailable: `the context "lab-reader" of ${file} turns TLS verification off (insecure-skip-tls-verify); kubeline always verifies`,
    });
  });

  it('says which context is missing, and which names no cluster', async () => {
    const file = await kubeconfig(CONFIG);
    assert.deepEqual(
      [contextKubeConfig(file, 'nope'), contextKubeConfig(file, 'dangling')],
      [
        { unavailable: `the kubeconfig ${file} has no context "nope"` },
        { unavailable: `the context "dangling" of ${file} names no cluster that the file defines` },
      ],
    );
  });

  it('names an unreadable or malformed file without its content', async () => {
    // Prepare
    const malformed = await kubeconfig('clusters: [unclosed\n  token: secret-token-value');
    // Act
    const missingResult = contextKubeConfig(join(folder, 'absent'), 'prod-reader');
    const malformedResult = contextKubeConfig(malformed, 'prod-reader');
    // Assess
    assert.ok('unavailable' in missingResult && 'unavailable' in malformedResult);
    assert.match(missingResult.unavailable, /^inCluster\.kubeconfig\.file .*absent cannot be read \(ENOENT/);
    assert.match(malformedResult.unavailable, /^inCluster\.kubeconfig\.file .*config is not a kubeconfig \(/);
    assert.doesNotMatch(malformedResult.unavailable, /secret-token-value/);
  });
});
