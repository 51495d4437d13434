import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { isUnknown } from '../../model/observed.js';
import type { ApiServerAddress, ClusterPosture, Provider } from '../../model/posture.js';
import { isLoopbackEndpoint } from '../endpoint.js';

/*
 * How the in-cluster pass authenticates to one cluster's API server: a bearer token made from the
 * cloud identity kubeline already scans with (EKS, GKE, AKS), or a kubeconfig context named in the
 * configuration. TLS verification is always on: the CA comes from the cluster description or the
 * kubeconfig, and a context that turns verification off is refused rather than used.
 */

/** A KubeConfig for one cluster, and how kubeline got in (for reasons; never the secret itself). */
export interface ClusterConnection {
  readonly kubeConfig: KubeConfig;
  /** `EKS token for account 111111111111`, `kubeconfig context prod-admin`. */
  readonly via: string;
}

/** A connection, or why none can be made (the reason an operator reads on every in-cluster check). */
export type ConnectionResult = { readonly connection: ClusterConnection } | { readonly unavailable: string };

/** Builds the connection to a cluster's API server. Never throws: failures are results. */
export interface InClusterAccess {
  connect(posture: ClusterPosture): Promise<ConnectionResult>;
}

/** A bearer token for a cluster, from the cloud identity of its provider. */
export type TokenSource = (posture: ClusterPosture) => Promise<string>;

/** The audience of AKS's managed Entra ID integration: the AKS AAD server application, the same in every tenant. */
export const AKS_AAD_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export const GOOGLE_CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The token kubeline presents to a local Kubernetes peer for GKE and AKS clusters: never a real one. */
export const LOCAL_PEER_TOKEN = 'kubeline-local-peer';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** Seconds the presigned GetCallerIdentity URL is good for, as `aws eks get-token` signs it. */
const EKS_TOKEN_PRESIGN_SECONDS = 60;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape SignatureV4 takes. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** The STS host of a region: regional, with the China partition's own domain. */
export function stsHost(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export interface EksTokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity;
  /** The signing time; injected so tokens are reproducible in tests. */
  readonly now: Date;
}

/**
 * The bearer token EKS accepts, as `aws eks get-token` makes it: a GetCallerIdentity URL presigned
 * for 60 s with the cluster name in the signed `x-k8s-aws-id` header, base64url without padding
 * behind `k8s-aws-v1.`. The cluster's authenticator calls the URL, so only STS ever sees the keys.
 */
export async function eksToken(request: EksTokenRequest): Promise<string> {
  const hostname = stsHost(request.region);
  const signer = new SignatureV4({
    service: 'sts',
    region: request.region,
    credentials: request.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': request.clusterName },
    },
    { expiresIn: EKS_TOKEN_PRESIGN_SECONDS, signingDate: request.now },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((item) => [key, item]))
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`;
}

type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * EKS tokens signed with the credentials the EKS source used for the cluster's account (its own
 * identity, or the role it assumed there).
 */
export function eksTokenSource(
  credentialsFor: (accountId: string) => AwsCredentials | undefined,
  clock: () => Date,
): TokenSource {
  return async (posture) => {
    const credentials = credentialsFor(posture.scope);
    if (credentials === undefined) {
      throw new Error(`no AWS credentials for account ${posture.scope}: the EKS source did not enter it`);
    }
    const identity = typeof credentials === 'function' ? await credentials() : credentials;
    return eksToken({
      clusterName: posture.name,
      region: posture.location,
      credentials: identity,
      now: clock(),
    });
  };
}

/** Anything that hands out OAuth access tokens (google-auth-library's GoogleAuth). */
export interface AccessTokenClient {
  getAccessToken(): Promise<string | null | undefined>;
}

/** GKE: a Google access token (scope cloud-platform) of the identity that reads the GKE API. */
export function gkeTokenSource(auth: AccessTokenClient): TokenSource {
  return async () => {
    const token = await auth.getAccessToken();
    if (!token) throw new Error('Google credentials gave no access token');
    return token;
  };
}

/** Google credential types whose token endpoint google-auth-library takes from the file (`token_url`). */
const GOOGLE_TYPES_WITH_TOKEN_URL = new Set(['external_account', 'external_account_authorized_user']);

/** A URL an AWS external account signs into its subject token; google-auth-library never calls it. */
const GOOGLE_URLS_NOT_CALLED = new Set(['regional_cred_verification_url']);

/** Every `url` and `*_url` string of a credential configuration, nested ones (`credential_source.url`) too. */
function urlsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    if (GOOGLE_URLS_NOT_CALLED.has(key)) return [];
    if (typeof child === 'string') return key === 'url' || key.endsWith('_url') ? [child] : [];
    return urlsOf(child);
  });
}

/**
 * Whether a Google credential configuration gets its tokens from loopback endpoints only: an
 * external account whose `token_url`, and every other URL google-auth-library would call for it,
 * is local. Only such a credential is used against a local Kubernetes peer, as its token is as
 * local as the peer; the other types always call Google's own token endpoint.
 */
export function isLocalGoogleCredential(credentials: Readonly<Record<string, unknown>>): boolean {
  if (typeof credentials.type !== 'string' || !GOOGLE_TYPES_WITH_TOKEN_URL.has(credentials.type))
    return false;
  if (typeof credentials.token_url !== 'string') return false;
  return urlsOf(credentials).every((url) => isLoopbackEndpoint(url));
}

/** Anything that hands out Entra ID tokens (@azure/identity's TokenCredential). */
export interface EntraTokenCredential {
  getToken(scopes: string | string[]): Promise<{ readonly token: string } | null>;
}

/** AKS with managed Entra ID: a token for the AKS AAD server application, from the AKS source's credential. */
export function aksTokenSource(credential: EntraTokenCredential): TokenSource {
  return async () => {
    const token = await credential.getToken(AKS_AAD_SERVER_SCOPE);
    if (!token?.token) throw new Error(`Entra ID gave no token for ${AKS_AAD_SERVER_SCOPE}`);
    return token.token;
  };
}

/**
 * A fixed token for a local peer, whatever the environment holds: only for a loopback peer
 * against which no local credential (a test STS or Entra authority) is configured.
 */
export function localPeerTokenSource(): TokenSource {
  return async () => LOCAL_PEER_TOKEN;
}

/** The CA of an AKS cluster, which its description does not carry; from listClusterUserCredential. */
export type CaSource = (posture: ClusterPosture) => Promise<string>;

export interface CloudAccessOptions {
  /** Token sources of the providers scanned live; a provider without one cannot be read in-cluster. */
  readonly tokens: Partial<Record<Provider, TokenSource>>;
  /** Where a cluster whose description has no CA gets it (AKS). */
  readonly caFor?: Partial<Record<Provider, CaSource>>;
  /** `inCluster.kubeconfig`: clusters read with a context instead. */
  readonly kubeconfig?: { readonly file: string; readonly contexts: Readonly<Record<string, string>> };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `~/` is the home folder, as kubectl reads it. */
export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? `${homedir()}${file.slice(1)}` : file;
}

/** A KubeConfig of one cluster and one token user; TLS verification on. */
export function tokenKubeConfig(
  clusterName: string,
  server: ApiServerAddress & { caData: string },
  token: string,
) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: clusterName, server: server.url, caData: server.caData, skipTLSVerify: false }],
    users: [{ name: 'kubeline', token }],
    contexts: [{ name: clusterName, cluster: clusterName, user: 'kubeline' }],
    currentContext: clusterName,
  });
  return kubeConfig;
}

/**
 * The KubeConfig of a named context of `file`. A context that skips TLS verification is refused:
 * the pass reads who holds cluster-admin, which a man in the middle could hide.
 */
export function contextKubeConfig(file: string, context: string): ConnectionResult {
  let text: string;
  try {
    text = readFileSync(expandHome(file), 'utf8');
  } catch (error) {
    return { unavailable: `inCluster.kubeconfig.file ${file} cannot be read (${describe(error)})` };
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
  } catch (error) {
    // Only the first line: the YAML parser quotes the lines around the fault, which may hold a token.
    const [reason = ''] = describe(error).split('\n');
    return { unavailable: `inCluster.kubeconfig.file ${file} is not a kubeconfig (${reason})` };
  }
  const found = kubeConfig.getContextObject(context);
  if (!found) return { unavailable: `the kubeconfig ${file} has no context ${JSON.stringify(context)}` };
  kubeConfig.setCurrentContext(context);
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    return {
      unavailable: `the context ${JSON.stringify(context)} of ${file} names no cluster that the file defines`,
    };
  }
  if (cluster.skipTLSVerify) {
    return {
      unavailable: `the context ${JSON.stringify(context)} of ${file} turns TLS verification off (insecure-skip-tls-verify); kubeline always verifies`,
    };
  }
  return { connection: { kubeConfig, via: `kubeconfig context ${context}` } };
}

async function caDataOf(posture: ClusterPosture, address: ApiServerAddress, options: CloudAccessOptions) {
  if (address.caData !== null) return address.caData;
  const source = options.caFor?.[posture.provider];
  if (source === undefined) {
    throw new Error(
      `the cluster description carries no CA for the API server; name a kubeconfig context for ${posture.name} in inCluster.kubeconfig.contexts`,
    );
  }
  return source(posture);
}

/** Connections from the cloud identity, or a kubeconfig context where the configuration names one. */
export function cloudAccess(options: CloudAccessOptions): InClusterAccess {
  return {
    async connect(posture) {
      const context = options.kubeconfig?.contexts[posture.name];
      if (options.kubeconfig !== undefined && context !== undefined) {
        return contextKubeConfig(options.kubeconfig.file, context);
      }
      if (isUnknown(posture.apiServer)) {
        return { unavailable: `the API server address is unknown: ${posture.apiServer.unknown}` };
      }
      const address = posture.apiServer.value;
      const tokenSource = options.tokens[posture.provider];
      if (tokenSource === undefined) {
        return {
          unavailable: `no ${posture.provider} identity to authenticate with (the cluster was not read live); name a kubeconfig context for it in inCluster.kubeconfig.contexts`,
        };
      }
      try {
        const caData = await caDataOf(posture, address, options);
        const token = await tokenSource(posture);
        return {
          connection: {
            kubeConfig: tokenKubeConfig(posture.name, { url: address.url, caData }, token),
            via: `${posture.provider} identity of ${posture.scope}`,
          },
        };
      } catch (error) {
        return { unavailable: `cannot authenticate to the API server: ${describe(error)}` };
      }
    },
  };
}
