import assert from 'node:assert/strict';
import type { AwsCredentialIdentity } from '@smithy/types';
import { RENEW_BEFORE_EXPIRY_MS, renewingCredentials } from '../../../providers/aws/sessionCredentials.js';

const START = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;

function session(id: string, expiresAt: number | undefined): AwsCredentialIdentity {
  return {
    accessKeyId: id,
    secretAccessKey: `${id}-secret`,
    sessionToken: `${id}-token`,
    ...(expiresAt === undefined ? {} : { expiration: new Date(expiresAt) }),
  };
}

/** A clock the test moves, and a renewer that counts its calls and hands out numbered sessions. */
function harness(renewal: (call: number) => Promise<AwsCredentialIdentity> | undefined = () => undefined) {
  let now = START;
  const renewed: string[] = [];
  const provider = renewingCredentials(session('first', START + HOUR), {
    now: () => now,
    renew: async (expiring) => {
      renewed.push(expiring.accessKeyId);
      const given = renewal(renewed.length);
      return given ?? session(`renewed-${renewed.length}`, now + HOUR);
    },
  });
  return {
    provider,
    renewed,
    at(time: number) {
      now = time;
    },
  };
}

describe('assumed-role sessions that renew before they expire', () => {
  it('hands out the first session until the renewal window, then a fresh one', async () => {
    // Prepare
    const { provider, renewed, at } = harness();
    // Act
    const early = await provider();
    at(START + HOUR - RENEW_BEFORE_EXPIRY_MS - 1);
    const justBefore = await provider();
    at(START + HOUR - RENEW_BEFORE_EXPIRY_MS + 1);
    const inWindow = await provider();
    const again = await provider();
    // Assess
    assert.deepEqual(
      [early.accessKeyId, justBefore.accessKeyId, inWindow.accessKeyId, again.accessKeyId, renewed],
      ['first', 'first', 'renewed-1', 'renewed-1', ['first']],
    );
  });

  it('renews a session long expired (a scan that ran for hours) before the next call', async () => {
    const { provider, renewed, at } = harness();
    at(START + 3 * HOUR);
    const identity = await provider();
    assert.deepEqual(
      { key: identity.accessKeyId, expiration: identity.expiration?.toISOString(), renewed },
      { key: 'renewed-1', expiration: '2026-12-01T04:00:00.000Z', renewed: ['first'] },
    );
  });

  it('renews once for every call waiting at the same time', async () => {
    const { provider, renewed, at } = harness();
    at(START + HOUR);
    const identities = await Promise.all([provider(), provider(), provider()]);
    assert.deepEqual(
      { keys: identities.map((identity) => identity.accessKeyId), renewed },
      { keys: ['renewed-1', 'renewed-1', 'renewed-1'], renewed: ['first'] },
    );
  });

  it('keeps the old session while it is valid if renewing fails, and fails with the reason after', async () => {
    // Prepare
    const { provider, renewed, at } = harness(() => Promise.reject(new Error('AccessDenied: no')));
    // Act
    at(START + HOUR - 60_000);
    const stillValid = await provider();
    at(START + HOUR);
    const expired = await provider().then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    assert.deepEqual(
      { stillValid: stillValid.accessKeyId, expired, renewed },
      { stillValid: 'first', expired: 'AccessDenied: no', renewed: ['first', 'first'] },
    );
  });

  it('never renews credentials that carry no expiration', async () => {
    let renewals = 0;
    const provider = renewingCredentials(session('static', undefined), {
      now: () => START + 100 * HOUR,
      renew: async () => {
        renewals += 1;
        return session('never', undefined);
      },
    });
    assert.deepEqual([(await provider()).accessKeyId, renewals], ['static', 0]);
  });

  it('is marked as caching itself, so the SDK does not wrap it in its own wall-clock cache', () => {
    const { provider } = harness();
    assert.equal(Reflect.get(provider, 'memoized'), true);
  });
});
