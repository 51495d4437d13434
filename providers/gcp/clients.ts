import { readFileSync } from 'node:fs';
import { ClusterManagerClient } from '@google-cloud/container';
import type { ConfigServiceV2Client, MetricsServiceV2Client } from '@google-cloud/logging-api';
import type { AlertPolicyServiceClient } from '@google-cloud/monitoring';
import type { FoldersClient, ProjectsClient } from '@google-cloud/resource-manager';
import * as grpc from '@grpc/grpc-js';
import type { CallOptions } from 'google-gax';
import { isLoopbackEndpoint } from '../endpoint.js';
import { onFirstUse } from '../firstUse.js';

/** How kubeline talks to Google Cloud: where, retries and time limits. */
export interface GcpClientOptions {
  /** `host[:port]` of the Kubernetes Engine API (`targets.gke.apiEndpoint`); undefined for Google's own. */
  readonly apiEndpoint?: string;
  /** Attempts per call, the first included; UNAVAILABLE and RESOURCE_EXHAUSTED are retried with backoff. */
  readonly maxAttempts: number;
  /** Deadline of one attempt. */
  readonly callTimeoutMs: number;
  /** First retry delay; each further one doubles, up to 16 times this. Default 250 ms. */
  readonly retryDelayMs?: number;
  /**
   * Google credential JSON (`targets.gke.credentialsFile`): a workload identity federation
   * configuration or a service account key, relative to the working directory. Undefined:
   * Application Default Credentials.
   */
  readonly credentialsFile?: string;
}

/** The credential types google-auth-library builds a client for from JSON. */
const GOOGLE_CREDENTIAL_TYPES = [
  'external_account',
  'service_account',
  'impersonated_service_account',
  'authorized_user',
  'external_account_authorized_user',
] as const;

/** A Google credential JSON as read and checked; its fields stay opaque to kubeline. */
export type GoogleCredentials = { readonly type: (typeof GOOGLE_CREDENTIAL_TYPES)[number] } & Readonly<
  Record<string, unknown>
>;

/** `targets.gke.credentialsFile` cannot be used; the message names the file and never its contents. */
export class GcpCredentialsError extends Error {
  override readonly name = 'GcpCredentialsError';
}

/**
 * Reads and checks a Google credential file before any client sees it, as google-auth-library asks
 * of callers that accept credential configurations. Messages name the file and say what is wrong
 * without quoting it: a service account key holds a private key, and JSON.parse's own message
 * would repeat part of the text.
 */
export function readGoogleCredentials(file: string): GoogleCredentials {
  const problem = (what: string, cause?: unknown) =>
    new GcpCredentialsError(`targets.gke.credentialsFile ${file}: ${what}`, { cause });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw problem(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error; the cause would carry it too.
    throw problem('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw problem('is not a JSON object');
  }
  const fields = parsed as Readonly<Record<string, unknown>>;
  const type = fields.type;
  if (type === undefined) throw problem('has no "type": not a Google credential file');
  if (!GOOGLE_CREDENTIAL_TYPES.some((known) => known === type)) {
    const shown = typeof type === 'string' && /^[a-z_]{1,40}$/.test(type) ? ` ${type}` : '';
    throw problem(`credential type${shown} is not one of ${GOOGLE_CREDENTIAL_TYPES.join(', ')}`);
  }
  if (
    type === 'external_account' &&
    (typeof fields.audience !== 'string' || !isObject(fields.credential_source))
  ) {
    throw problem('an external_account configuration needs audience and credential_source');
  }
  return fields as GoogleCredentials;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resource Manager: the projects and folders under an organization or folder. */
export interface GcpResourceManager {
  readonly projects: ProjectsClient;
  readonly folders: FoldersClient;
}

/** A project's audit logging settings: Cloud Logging and Cloud Monitoring. */
export interface GcpLogging {
  /** Cloud Logging buckets (GetBucket). */
  readonly logConfig: ConfigServiceV2Client;
  /** Cloud Logging log-based metrics (ListLogMetrics). */
  readonly logMetrics: MetricsServiceV2Client;
  /** Cloud Monitoring alert policies (ListAlertPolicies). */
  readonly alertPolicies: AlertPolicyServiceClient;
}

/**
 * The clients one run uses, and the per-call options that carry retries and deadlines. The
 * Kubernetes Engine client is made at once; the others on first use, each SDK loaded then: a scan
 * of named projects never loads Resource Manager, and Logging and Monitoring load once a project
 * has listed its clusters, not before the first request (each SDK is hundreds of milliseconds of
 * loading and protos).
 */
export interface GcpClients {
  readonly clusters: ClusterManagerClient;
  resourceManager(): Promise<GcpResourceManager>;
  logging(): Promise<GcpLogging>;
  readonly callOptions: CallOptions;
  /** Closes the gRPC channels of every client made. */
  close(): Promise<void>;
}

/** A `host[:port]` endpoint split; IPv6 hosts may be bracketed (`[::1]:8443`). */
export function parseEndpoint(endpoint: string): { readonly host: string; readonly port?: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(endpoint.trim());
  if (!match) return { host: endpoint.trim() };
  const host = match[1] ?? match[2] ?? '';
  return match[3] === undefined ? { host } : { host, port: Number(match[3]) };
}

/** gRPC status codes worth another attempt: the service is briefly away, or a quota refilled. */
const RETRY_CODES = [grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED];

function callOptionsFor(options: GcpClientOptions): CallOptions {
  const delay = options.retryDelayMs ?? 250;
  return {
    // gax counts attempts, the first included, in maxRetries; each attempt gets the same deadline.
    maxRetries: options.maxAttempts,
    retry: {
      retryCodes: RETRY_CODES,
      backoffSettings: {
        maxRetries: options.maxAttempts,
        initialRetryDelayMillis: delay,
        retryDelayMultiplier: 2,
        maxRetryDelayMillis: delay * 16,
        initialRpcTimeoutMillis: options.callTimeoutMs,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: options.callTimeoutMs,
      },
    },
  };
}

/**
 * Builds the Google clients, from the composition root, never at import time. A loopback
 * endpoint is a local peer: plaintext gRPC, no Google credentials, and the Resource Manager calls
 * go to the same peer. Any other endpoint gets TLS and the credentials of `credentialsFile`, else
 * Application Default Credentials. The credential file is checked either way, so a bad one is
 * found on the first local run; throws GcpCredentialsError. `apiEndpoint` moves the Kubernetes
 * Engine API only: Logging and Monitoring keep Google's endpoints unless the peer is local.
 */
export function createGcpClients(options: GcpClientOptions): GcpClients {
  const endpoint = options.apiEndpoint === undefined ? undefined : parseEndpoint(options.apiEndpoint);
  const local = isLoopbackEndpoint(options.apiEndpoint);
  const credentials =
    options.credentialsFile === undefined ? undefined : readGoogleCredentials(options.credentialsFile);
  const auth = local || credentials === undefined ? {} : { credentials };
  const peer = local
    ? {
        apiEndpoint: endpoint?.host ?? '127.0.0.1',
        ...(endpoint?.port === undefined ? {} : { port: endpoint.port }),
        sslCreds: grpc.credentials.createInsecure(),
        // A fixed universe keeps google-auth-library from probing for credentials it must not use.
        universeDomain: 'googleapis.com',
      }
    : undefined;
  const containerOptions =
    peer ??
    (endpoint === undefined
      ? auth
      : {
          ...auth,
          apiEndpoint: endpoint.host,
          ...(endpoint.port === undefined ? {} : { port: endpoint.port }),
        });
  const clusters = new ClusterManagerClient(containerOptions);
  const others = peer ?? auth;
  const resourceManager = onFirstUse(async (): Promise<GcpResourceManager> => {
    const { FoldersClient, ProjectsClient } = await import('./resourceManagerSdk.js');
    return { projects: new ProjectsClient(others), folders: new FoldersClient(others) };
  });
  const logging = onFirstUse(async (): Promise<GcpLogging> => {
    const { AlertPolicyServiceClient, ConfigServiceV2Client, MetricsServiceV2Client } = await import(
      './loggingSdk.js'
    );
    return {
      logConfig: new ConfigServiceV2Client(others),
      logMetrics: new MetricsServiceV2Client(others),
      alertPolicies: new AlertPolicyServiceClient(others),
    };
  });
  return {
    clusters,
    resourceManager: resourceManager.get,
    logging: logging.get,
    callOptions: callOptionsFor(options),
    async close() {
      const [manager, logs] = await Promise.all([resourceManager.made(), logging.made()]);
      await Promise.all(
        [
          clusters,
          manager?.projects,
          manager?.folders,
          logs?.logConfig,
          logs?.logMetrics,
          logs?.alertPolicies,
        ].map((client) => client?.close()),
      );
    },
  };
}

/**
 * A failed Google API call: the name is the gRPC status of the last attempt (`PERMISSION_DENIED`,
 * `UNAVAILABLE`, `DEADLINE_EXCEEDED`…) and the message Google's details. gax reports retries that
 * ran out as DEADLINE_EXCEEDED whatever the cause; the status of the last attempt is the real one.
 */
export class GcpCallError extends Error {
  readonly code: number;
  readonly $metadata: { readonly attempts: number };

  constructor(status: { readonly code: number; readonly details: string }, attempts: number, cause: unknown) {
    super(status.details, { cause });
    this.name = grpc.status[status.code] ?? `gRPC status ${status.code}`;
    this.code = status.code;
    this.$metadata = { attempts };
  }
}

/**
 * Makes one gax call with the run's retry and deadline settings, counting its attempts (a gRPC
 * interceptor sees each one) so the call ledger can report retries as it does for AWS.
 */
export async function callGoogle<T extends object>(
  base: CallOptions,
  make: (options: CallOptions) => Promise<T>,
): Promise<T> {
  let attempts = 0;
  let last: { code: number; details: string } | undefined;
  const countAttempts: grpc.Interceptor = (options, nextCall) => {
    attempts += 1;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            last = { code: status.code, details: status.details };
            nextStatus(status);
          },
        });
      },
    });
  };
  try {
    const result = await make({ ...base, otherArgs: { options: { interceptors: [countAttempts] } } });
    return Object.assign(result, { $metadata: { attempts: Math.max(attempts, 1) } });
  } catch (error) {
    if (last === undefined || last.code === grpc.status.OK) throw error;
    throw new GcpCallError(last, Math.max(attempts, 1), error);
  }
}
