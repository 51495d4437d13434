import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { isLoopbackEndpoint } from '../providers/endpoint.js';

/** Limit for one AWS call of a notifier (SES SendEmail, Secrets Manager GetSecretValue). */
const CALL_TIMEOUT_MS = 15_000;
/** Attempts per call, the first included: a run's email is worth a retry, not a long wait. */
const MAX_ATTEMPTS = 3;

/** Credentials sent to a local peer: never real ones, whatever the environment holds. */
const LOCAL_PEER_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'kubeline-local-peer',
  secretAccessKey: 'kubeline-local-peer',
};

/** The options every AWS client of a notifier shares: bounded time, `AWS_ENDPOINT_URL`, a local peer's dummy keys. */
export function awsClientOptions(region: string, env: Readonly<Record<string, string | undefined>>) {
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  return {
    region,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CALL_TIMEOUT_MS,
      requestTimeout: CALL_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      httpsAgent: new HttpsAgent({ keepAlive: false }),
    }),
    ...(endpoint ? { endpoint } : {}),
    // Omitted, the SDK's default chain applies (environment, profile, SSO, container or instance role).
    ...(isLoopbackEndpoint(endpoint) ? { credentials: LOCAL_PEER_CREDENTIALS } : {}),
  };
}

/** `AWS_REGION`, else `AWS_DEFAULT_REGION`; undefined when neither is set. */
export function regionFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
}
