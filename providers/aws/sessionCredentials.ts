import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** How long before a session expires it is renewed: the SDK's own margin for its credential caches. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

export interface RenewingCredentialsOptions {
  /** A new session (STS AssumeRole again); rejects with the reason when it cannot be had. */
  readonly renew: (expiring: AwsCredentialIdentity) => Promise<AwsCredentialIdentity>;
  /** The clock expiry is judged by, in epoch milliseconds. */
  readonly now: () => number;
  /** Renew this long before expiry. Default RENEW_BEFORE_EXPIRY_MS. */
  readonly renewBeforeMs?: number;
}

/**
 * Credentials of an assumed-role session that renew themselves before they expire, so a scan
 * longer than the session (one hour) never fails midway. Every SDK call asks for them: they are
 * handed out as they are until `renewBeforeMs` before `expiration`, then renewed once for all the
 * calls waiting. A renewal that fails keeps the old session while it is still valid, and fails
 * the call with the reason once it is not. Credentials without an expiration never renew.
 */
export function renewingCredentials(
  first: AwsCredentialIdentity,
  options: RenewingCredentialsOptions,
): AwsCredentialIdentityProvider {
  const renewBeforeMs = options.renewBeforeMs ?? RENEW_BEFORE_EXPIRY_MS;
  let current = first;
  let renewal: Promise<AwsCredentialIdentity> | undefined;
  const provider = async (): Promise<AwsCredentialIdentity> => {
    const expiresAt = current.expiration?.getTime();
    if (expiresAt === undefined || expiresAt - options.now() > renewBeforeMs) return current;
    if (renewal === undefined) {
      const expiring = current;
      renewal = options
        .renew(expiring)
        .then(
          (next) => {
            current = next;
            return next;
          },
          (error: unknown) => {
            if (options.now() < expiresAt) return expiring;
            throw error;
          },
        )
        .finally(() => {
          renewal = undefined;
        });
    }
    return renewal;
  };
  // The SDK wraps a provider not marked `memoized` in its own cache, which asks again only within
  // five minutes of expiry by the wall clock; this provider already caches, by its own clock.
  return Object.assign(provider, { memoized: true });
}
