import {
  ClientSecretCredential,
  type ClientSecretCredentialOptions,
  DefaultAzureCredential,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { isLoopbackEndpoint } from '../endpoint.js';
import { LOCAL_PEER_CREDENTIAL } from './clients.js';

/** An Entra service principal whose client secret is kept in AWS Secrets Manager (`targets.aks.servicePrincipal`). */
export interface ServicePrincipal {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecretArn: string;
}

/** What the credential depends on in the configuration. */
export interface AzureCredentialSettings {
  /** `targets.aks.endpoint`: a loopback URL is a local peer. */
  readonly endpoint?: string | undefined;
  readonly servicePrincipal?: ServicePrincipal | undefined;
  /** Extra CA (PEM) of `targets.tls.caFile`, trusted for Entra too: an inspecting proxy, or a local authority. */
  readonly ca?: string | undefined;
}

export interface AzureCredentialDeps {
  /**
   * `AZURE_AUTHORITY_HOST` (Entra of a sovereign cloud, or a local authority in tests) and the
   * AWS SDK's variables for Secrets Manager (`AWS_ENDPOINT_URL`, credentials).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The credential the AKS scanner signs in with:
 * - a loopback `endpoint` is a local peer and gets LOCAL_PEER_CREDENTIAL, never a real token;
 *   only a service principal whose authority is a loopback one too (a local Entra in tests)
 *   signs in there, since then the token is as local as the peer;
 * - `servicePrincipal`: a ClientSecretCredential whose secret is read from Secrets Manager on the
 *   first token request, so a secret that cannot be read makes the AKS scopes unread in the
 *   report instead of failing the whole run;
 * - otherwise DefaultAzureCredential (workload identity, managed identity, az login).
 */
export function azureCredentialFor(
  settings: AzureCredentialSettings,
  deps: AzureCredentialDeps,
): TokenCredential {
  const authorityHost = deps.env.AZURE_AUTHORITY_HOST?.trim() || undefined;
  const localAuthority = isLoopbackEndpoint(authorityHost);
  if (isLoopbackEndpoint(settings.endpoint) && !(settings.servicePrincipal && localAuthority)) {
    return LOCAL_PEER_CREDENTIAL;
  }
  if (settings.servicePrincipal === undefined) return new DefaultAzureCredential();
  const options: ClientSecretCredentialOptions = {
    ...(authorityHost === undefined ? {} : { authorityHost }),
    // Instance discovery asks the public cloud about the authority, which knows no local one.
    ...(localAuthority ? { disableInstanceDiscovery: true } : {}),
    ...(settings.ca === undefined ? {} : { tlsOptions: { ca: settings.ca } }),
  };
  return secretsManagerServicePrincipal(settings.servicePrincipal, options, deps);
}

/**
 * A TokenCredential that reads the client secret once, on the first token request, then lets a
 * ClientSecretCredential sign in and cache tokens. A failed read is kept too: every later request
 * of the run gets the same error instead of asking Secrets Manager again.
 */
function secretsManagerServicePrincipal(
  principal: ServicePrincipal,
  options: ClientSecretCredentialOptions,
  deps: AzureCredentialDeps,
): TokenCredential {
  let signIn: Promise<ClientSecretCredential> | undefined;
  const build = async (): Promise<ClientSecretCredential> => {
    const secret = await readClientSecret(principal.clientSecretArn, deps);
    return new ClientSecretCredential(principal.tenantId, principal.clientId, secret, options);
  };
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions) {
      signIn ??= build();
      return (await signIn).getToken(scopes, getTokenOptions);
    },
  };
}

/** The client secret of a secret: its whole string, or the `clientSecret` or `password` key of a JSON object. */
async function readClientSecret(arn: string, deps: AzureCredentialDeps): Promise<string> {
  const purpose = 'the Azure client secret';
  // Loaded here: an AKS scan without a service principal needs no AWS SDK.
  const { readSecretString, secretValueOf } = await import('../../notifiers/secrets.js');
  const text = await readSecretString(arn, purpose, deps.env);
  const value = secretValueOf(text, ['clientSecret', 'password']);
  if (value === text && isJsonObject(text)) {
    // Not "JSON" in the message: describeArmError would read that as a malformed ARM response.
    throw new Error(`secret ${arn} is an object with neither a clientSecret nor a password key`);
  }
  if (value.trim() === '') throw new Error(`secret ${arn} is empty, not ${purpose}`);
  return value;
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
