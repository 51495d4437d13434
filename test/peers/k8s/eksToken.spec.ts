import assert from 'node:assert/strict';
import { eksToken } from '../../../providers/kubernetes/access.js';
import { EKS_TOKEN_PREFIX, type EksTokenPolicy, verifyEksToken } from './eksToken.js';

const SIGNED_AT = new Date('2028-02-29T23:59:30Z');
const KEYS = { accessKeyId: 'AKIAKUBELINETEST0002', secretAccessKey: 'kubeline-eks-token-spec-secret' };
const POLICY: EksTokenPolicy = {
  clusterName: 'prod-payments',
  secrets: { [KEYS.accessKeyId]: KEYS.secretAccessKey },
  now: () => SIGNED_AT,
};

async function signedUrl(): Promise<URL> {
  const token = await eksToken({
    clusterName: 'prod-payments',
    region: 'eu-west-1',
    credentials: KEYS,
    now: SIGNED_AT,
  });
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

function tokenOf(url: URL): string {
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url.href, 'utf8').toString('base64url')}`;
}

function withQuery(url: URL, name: string, value: string | undefined): URL {
  const changed = new URL(url.href);
  if (value === undefined) changed.searchParams.delete(name);
  else changed.searchParams.set(name, value);
  return changed;
}

describe('the Kubernetes peer reading EKS tokens', () => {
  it('accepts a token presigned for the cluster and names the signing key as the user', async () => {
    // Prepare
    const token = tokenOf(await signedUrl());

    // Act
    const verdict = verifyEksToken(token, POLICY);

    // Assess
    assert.deepEqual(verdict, { ok: true, user: KEYS.accessKeyId, signatureVerified: true });
  });

  it('checks only the shape when it holds no keys, and says so', async () => {
    // Prepare
    const token = tokenOf(await signedUrl());

    // Act
    const verdict = verifyEksToken(token, { clusterName: 'another-cluster', now: () => SIGNED_AT });

    // Assess
    assert.deepEqual(verdict, { ok: true, user: KEYS.accessKeyId, signatureVerified: false });
  });

  const refusals: readonly [string, (url: URL) => URL | string, string][] = [
    [
      'a token without the prefix',
      (url) => Buffer.from(url.href).toString('base64url'),
      'not a k8s-aws-v1 token',
    ],
    ['a token that is not base64url', () => `${EKS_TOKEN_PREFIX}!!!`, 'the token is not base64url of a URL'],
    [
      'another host',
      (url) => new URL(url.href.replace('sts.eu-west-1.amazonaws.com', 'sts.attacker.example')),
      "the pre-signed URL's host sts.attacker.example is not an STS endpoint",
    ],
    ['plain http', (url) => new URL(url.href.replace('https:', 'http:')), 'the pre-signed URL is not https'],
    [
      'another path',
      (url) => new URL(url.href.replace('.com/?', '.com/other?')),
      "the pre-signed URL's path is /other, not /",
    ],
    [
      'another action',
      (url) => withQuery(url, 'Action', 'AssumeRole'),
      'the pre-signed URL is not Action=GetCallerIdentity',
    ],
    [
      'another algorithm',
      (url) => withQuery(url, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1'),
      'X-Amz-Algorithm is not AWS4-HMAC-SHA256',
    ],
    [
      'a credential scoped to another service',
      (url) => withQuery(url, 'X-Amz-Credential', `${KEYS.accessKeyId}/20280229/eu-west-1/s3/aws4_request`),
      'X-Amz-Credential is not <key>/<date>/<region>/sts/aws4_request',
    ],
    [
      'x-k8s-aws-id not signed',
      (url) => withQuery(url, 'X-Amz-SignedHeaders', 'host'),
      'X-Amz-SignedHeaders does not include host;x-k8s-aws-id',
    ],
    [
      'an expiry over 15 minutes',
      (url) => withQuery(url, 'X-Amz-Expires', '3600'),
      'X-Amz-Expires is 3600, not 1..900',
    ],
    [
      'no expiry',
      (url) => withQuery(url, 'X-Amz-Expires', undefined),
      'X-Amz-Expires is missing, not 1..900',
    ],
    [
      'a malformed date',
      (url) => withQuery(url, 'X-Amz-Date', '2028-02-29'),
      'X-Amz-Date is not YYYYMMDDTHHMMSSZ',
    ],
    [
      'a date more than 15 minutes old',
      (url) => withQuery(url, 'X-Amz-Date', '20280229T234429Z'),
      'the token has expired',
    ],
    ['no signature', (url) => withQuery(url, 'X-Amz-Signature', undefined), 'X-Amz-Signature is missing'],
    [
      'a signature over other inputs',
      (url) => withQuery(url, 'X-Amz-Signature', '0'.repeat(64)),
      'the signature does not match (x-k8s-aws-id must be prod-payments)',
    ],
    [
      'a key the peer does not hold',
      (url) => withQuery(url, 'X-Amz-Credential', `AKIAOTHER00000000000/20280229/eu-west-1/sts/aws4_request`),
      'the access key AKIAOTHER00000000000 is not known',
    ],
  ];
  for (const [what, change, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      // Prepare
      const changed = change(await signedUrl());
      const token = typeof changed === 'string' ? changed : tokenOf(changed);

      // Act
      const verdict = verifyEksToken(token, POLICY);

      // Assess
      assert.deepEqual(verdict, { ok: false, reason });
    });
  }

  it('refuses a token signed for another cluster by its signature', async () => {
    // Prepare
    const token = tokenOf(await signedUrl());

    // Act
    const verdict = verifyEksToken(token, { ...POLICY, clusterName: 'legacy-billing' });

    // Assess
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'the signature does not match (x-k8s-aws-id must be legacy-billing)',
    });
  });

  it('accepts the local AWS peer as an STS host over http when named', async () => {
    // Prepare
    const local = new URL(
      (await signedUrl()).href.replace('https://sts.eu-west-1.amazonaws.com', 'http://127.0.0.1:4566'),
    );

    // Act
    const verdict = verifyEksToken(tokenOf(local), {
      clusterName: 'prod-payments',
      extraStsHosts: ['127.0.0.1:4566'],
      now: () => SIGNED_AT,
    });

    // Assess
    assert.deepEqual(verdict, { ok: true, user: KEYS.accessKeyId, signatureVerified: false });
  });
});
