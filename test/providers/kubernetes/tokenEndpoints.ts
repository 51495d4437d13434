import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type { PeerTls } from '../../peers/azure/tls.js';

/*
 * The token endpoints of the clouds' credential paths, on 127.0.0.1: Entra ID's token endpoint
 * (what ClientSecretCredential calls at AZURE_AUTHORITY_HOST) and Google's STS (what
 * google-auth-library calls at an external account's token_url). Each issues a token made for
 * this run and records what it was asked, so a test can give the Kubernetes peer exactly that token.
 */

/** A running local token endpoint. */
export interface LocalTokenEndpoint<R> {
  /** Origin: https://127.0.0.1:PORT (Entra) or http://127.0.0.1:PORT (STS). */
  readonly url: string;
  /** The form fields of each token request, in order. */
  readonly requests: R[];
  close(): Promise<void>;
}

/** A token request as the local Entra received it; the secret only as whether it matched. */
export interface EntraTokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly secretMatched: boolean;
  readonly grantType: string | null;
  readonly scope: string | null;
}

/** An application registered in the local Entra, and the token it gets for each scope. */
export interface EntraApplication {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The access token issued for a scope (`<resource>/.default`). */
  readonly tokenFor: (scope: string) => string;
}

type Handler = (request: IncomingMessage, path: string, body: string, origin: string) => [number, object];

function respond(handler: Handler, origin: () => string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const path = new URL(request.url ?? '/', origin()).pathname;
      const [status, json] = handler(request, path, body, origin());
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * A local Entra authority over TLS: the OpenID configuration MSAL reads first, and a token
 * endpoint granting client credentials to one application.
 */
export async function startLocalEntra(
  tls: PeerTls,
  application: EntraApplication,
): Promise<LocalTokenEndpoint<EntraTokenRequest>> {
  const requests: EntraTokenRequest[] = [];
  let origin = '';
  const handler: Handler = (request, path, body, base) => {
    const tenant = path.split('/')[1] ?? '';
    if (path.endsWith('/.well-known/openid-configuration')) {
      return [
        200,
        {
          issuer: `${base}/${tenant}/v2.0`,
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        },
      ];
    }
    if (request.method !== 'POST' || !path.endsWith('/oauth2/v2.0/token'))
      return [404, { error: 'not_found' }];
    const form = new URLSearchParams(body);
    const secretMatched = form.get('client_secret') === application.clientSecret;
    const scope = form.get('scope');
    requests.push({
      tenant,
      clientId: form.get('client_id'),
      secretMatched,
      grantType: form.get('grant_type'),
      scope,
    });
    if (form.get('client_id') !== application.clientId || !secretMatched || scope === null) {
      return [
        401,
        { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
      ];
    }
    // MSAL sends the scope with the OpenID scopes it always adds; the resource scope is the first.
    const resource = scope.split(' ')[0] ?? '';
    return [
      200,
      {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: application.tokenFor(resource),
      },
    ];
  };
  const server = createHttpsServer(
    { key: tls.key, cert: tls.cert },
    respond(handler, () => origin),
  );
  origin = `https://127.0.0.1:${await listen(server)}`;
  return { url: origin, requests, close: closer(server) };
}

/** A token exchange as the local STS received it. */
export interface StsTokenRequest {
  readonly path: string;
  readonly grantType: string | null;
  readonly audience: string | null;
  readonly scope: string | null;
  readonly subjectToken: string | null;
  readonly subjectTokenType: string | null;
}

/** Google's Security Token Service on plain http, issuing `accessToken` for every exchange. */
export async function startLocalGoogleSts(accessToken: string): Promise<LocalTokenEndpoint<StsTokenRequest>> {
  const requests: StsTokenRequest[] = [];
  let origin = '';
  const handler: Handler = (request, path, body) => {
    if (request.method !== 'POST') return [404, { error: 'not_found' }];
    const form = new URLSearchParams(body);
    requests.push({
      path,
      grantType: form.get('grant_type'),
      audience: form.get('audience'),
      scope: form.get('scope'),
      subjectToken: form.get('subject_token'),
      subjectTokenType: form.get('subject_token_type'),
    });
    return [
      200,
      {
        access_token: accessToken,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      },
    ];
  };
  const server = createHttpServer(respond(handler, () => origin));
  origin = `http://127.0.0.1:${await listen(server)}`;
  return { url: origin, requests, close: closer(server) };
}
