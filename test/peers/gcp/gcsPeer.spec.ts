import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { type GcsPeer, startGcsPeer } from './gcsPeer.js';

const SIGNER = 'kubeline-peer-test@kubeline-test.iam.gserviceaccount.com';
/**
 * The client refuses to sign an expiry earlier than the machine's own clock, so the test clocks
 * sit far ahead of it (and of faketime's 2028-02-29) instead of reading it.
 */
const SIGNED_AT = new Date('2036-11-29T08:00:00Z');

/** The status and XML error code of a GET of a signed URL. */
async function fetchSigned(url: string): Promise<{ status: number; code: string | undefined; body: string }> {
  const response = await fetch(url);
  const body = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1], body };
}

describe('the GCS test peer, through the real Storage client', () => {
  let peer: GcsPeer;
  let storage: Storage;
  let stranger: Storage;

  before(async () => {
    peer = await startGcsPeer();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = (privateKey: typeof key.privateKey) =>
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const client = (privateKey: typeof key.privateKey) =>
      new Storage({
        apiEndpoint: peer.endpoint,
        projectId: 'kubeline-test',
        credentials: { client_email: SIGNER, private_key: pem(privateKey) },
        retryOptions: { autoRetry: false },
      });
    storage = client(key.privateKey);
    // Same account name, another key: what a forged signature looks like.
    stranger = client(other.privateKey);
    peer.trustSigner(SIGNER, key.publicKey);
  });
  after(async () => {
    await peer?.close();
  });
  beforeEach(() => {
    peer.clearFaults();
    peer.clearCalls();
    peer.createBucket('reports');
    peer.setClock(() => new Date('2036-11-29T08:05:00Z'));
  });

  async function signedUrl(client: Storage, name: string, lifetimeSeconds = 600): Promise<string> {
    const [url] = await client
      .bucket('reports')
      .file(name)
      .getSignedUrl({
        version: 'v4',
        action: 'read',
        accessibleAt: SIGNED_AT,
        expires: SIGNED_AT.getTime() + lifetimeSeconds * 1000,
      });
    return url;
  }

  it('serves a V4 signed URL the client made, and refuses it tampered with, forged, expired or early', async () => {
    // Prepare
    await storage.bucket('reports').file('runs/r1/report.html').save('<p>ok</p>', { resumable: false });
    await storage.bucket('reports').file('runs/r1/other.html').save('<p>no</p>', { resumable: false });
    const url = await signedUrl(storage, 'runs/r1/report.html');
    // Act
    const served = await fetchSigned(url);
    const otherObject = await fetchSigned(url.replace('report.html', 'other.html'));
    const longer = await fetchSigned(url.replace('X-Goog-Expires=600', 'X-Goog-Expires=6000'));
    const forged = await fetchSigned(await signedUrl(stranger, 'runs/r1/report.html'));
    peer.setClock(() => new Date('2036-11-29T08:10:00Z'));
    const expired = await fetchSigned(url);
    peer.setClock(() => new Date('2036-11-29T07:59:00Z'));
    const early = await fetchSigned(url);
    // Assess
    assert.deepEqual(
      [served, otherObject, longer, forged, expired, early].map(({ status, code }) => ({ status, code })),
      [
        { status: 200, code: undefined },
        { status: 403, code: 'SignatureDoesNotMatch' },
        { status: 403, code: 'SignatureDoesNotMatch' },
        { status: 403, code: 'SignatureDoesNotMatch' },
        { status: 400, code: 'ExpiredToken' },
        { status: 400, code: 'InvalidArgument' },
      ],
    );
    assert.equal(served.body, '<p>ok</p>');
  });

  it('never serves a private object to an unsigned request', async () => {
    await storage.bucket('reports').file('a.txt').save('secret', { resumable: false });
    const response = await fetch(`${peer.endpoint}/reports/a.txt`);
    assert.deepEqual(
      { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] },
      { status: 403, code: 'AccessDenied' },
    );
  });

  it("keeps generations, answers 412 to a failed precondition and 404 with Google's body to an unknown bucket", async () => {
    // Prepare
    const file = storage.bucket('reports').file('latest.json');
    await file.save('{"run":1}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    const first = peer.object('reports', 'latest.json')?.generation;
    // Act
    const stale = await file
      .save('{"run":2}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } })
      .then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
    await file.save('{"run":3}', {
      resumable: false,
      preconditionOpts: { ifGenerationMatch: Number(first) },
    });
    const missing = await fetch(`${peer.endpoint}/storage/v1/b/nowhere/o/latest.json`);
    // Assess
    assert.equal(stale, 412);
    assert.equal(peer.object('reports', 'latest.json')?.data.toString(), '{"run":3}');
    assert.ok(Number(peer.object('reports', 'latest.json')?.generation) > Number(first));
    assert.deepEqual(
      { status: missing.status, body: await missing.json() },
      {
        status: 404,
        body: {
          error: {
            code: 404,
            message: 'The specified bucket does not exist.',
            errors: [
              { message: 'The specified bucket does not exist.', domain: 'global', reason: 'notFound' },
            ],
          },
        },
      },
    );
  });

  it('injects a fault the given number of times and logs every call', async () => {
    // Prepare
    peer.addFault({ operation: 'get', object: 'x.json', status: 503, times: 1 });
    await storage.bucket('reports').file('x.json').save('{}', { resumable: false });
    // Act
    const first = await fetch(`${peer.endpoint}/storage/v1/b/reports/o/x.json`);
    const second = await fetch(`${peer.endpoint}/storage/v1/b/reports/o/x.json`);
    const unknown = await fetch(`${peer.endpoint}/storage/v1/b/reports/o`, { method: 'DELETE' });
    // Assess
    assert.deepEqual([first.status, second.status, unknown.status], [503, 200, 501]);
    assert.deepEqual(
      peer.calls().map(({ method, operation, object, status }) => ({ method, operation, object, status })),
      [
        { method: 'POST', operation: 'insert', object: 'x.json', status: 200 },
        { method: 'GET', operation: 'get', object: 'x.json', status: 503 },
        { method: 'GET', operation: 'get', object: 'x.json', status: 200 },
        { method: 'DELETE', operation: 'unsupported', object: undefined, status: 501 },
      ],
    );
  });
});
