import { request as httpsRequest } from 'node:https';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { MonitorClient } from '@azure/arm-monitor';
import type { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { SecurityCenter } from '@azure/arm-security';
import type { TokenCredential } from '@azure/identity';
import { onFirstUse } from '../firstUse.js';
import { rememberArmErrorBody } from './errors.js';

/** Azure Resource Manager in the public cloud; sovereign clouds have their own (`targets.aks.endpoint`). */
export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

/** How kubeline talks to Azure Resource Manager: where, with which trust, retries and time limits. */
export interface AzureClientOptions {
  /** The Resource Manager endpoint; a loopback URL is a local peer. Default: the public cloud. */
  readonly endpoint?: string;
  /** Extra CA certificates (PEM) to trust, from `targets.tls.caFile`: an inspecting proxy, or a local peer. */
  readonly ca?: string | Buffer;
  /** Retries after the first attempt; the SDK's policies wait out `Retry-After` on 429 and 503. */
  readonly maxRetries: number;
  /** Limit for one HTTP attempt: connection plus response. */
  readonly callTimeoutMs: number;
  /**
   * Below `remaining` reads left in the subscription's ARM budget (`x-ms-ratelimit-remaining-
   * subscription-reads`), each response is held `pauseMs` before the next call of its slot, so a
   * large subscription slows down instead of running into 429s. Default: 100 reads, 1 s.
   */
  readonly rateLimitFloor?: { readonly remaining: number; readonly pauseMs: number };
}

/** ARM's remaining-read headers: per subscription, and the newer global one that replaces it. */
const REMAINING_READ_HEADERS = [
  'x-ms-ratelimit-remaining-subscription-reads',
  'x-ms-ratelimit-remaining-subscription-global-reads',
] as const;
const DEFAULT_RATE_LIMIT_FLOOR = { remaining: 100, pauseMs: 1000 } as const;

/**
 * The clients the AKS collector uses in one subscription. The Container Service client is made at
 * once; the others on first use, each SDK loaded then, so the subscription's cluster listing goes
 * out before Monitor, Log Analytics and Security have loaded (together hundreds of milliseconds).
 */
export interface AzureSubscriptionClients {
  readonly containerService: ContainerServiceClient;
  /** Diagnostic settings and scheduled query rules. */
  monitor(): Promise<MonitorClient>;
  /** Log Analytics workspaces and their tables. */
  logAnalytics(): Promise<OperationalInsightsManagementClient>;
  /** Defender for Cloud plans (pricings). */
  security(): Promise<SecurityCenter>;
}

/**
 * The token kubeline presents to a local ARM peer. The SDK refuses bearer tokens over plain http,
 * so peers speak TLS, but they never get a real token whatever the environment holds.
 */
export const LOCAL_PEER_CREDENTIAL: TokenCredential = {
  getToken: async () => ({ token: 'kubeline-local-peer', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** An ARM error answer as an error named after its code, as describeCallError reports it. */
function armHttpError(status: number, body: string): Error {
  let code = `HTTP${status}`;
  let message = body.slice(0, 200);
  try {
    const parsed: unknown = JSON.parse(body);
    const error =
      typeof parsed === 'object' && parsed !== null && 'error' in parsed ? parsed.error : undefined;
    if (typeof error === 'object' && error !== null) {
      if ('code' in error && typeof error.code === 'string') code = error.code;
      if ('message' in error && typeof error.message === 'string') message = error.message;
    }
  } catch {
    // Not an ARM error body: the status and the start of the text still say what happened.
  }
  const named = new Error(`HTTP ${status}: ${message}`);
  named.name = code;
  return named;
}

/** The HTTP pipeline the modular and the classic Azure clients both expose (core-rest-pipeline's). */
type ArmPipeline = ContainerServiceClient['pipeline'];
type PipelinePolicy = Parameters<ArmPipeline['addPolicy']>[0];

/**
 * Builds Azure SDK clients from one credential and one set of options. Clients are made by the
 * composition root and passed in, never at import time. Counts HTTP attempts so the run can say
 * how many calls were retries.
 */
export class AzureClientFactory {
  readonly #options: AzureClientOptions;
  readonly #credential: TokenCredential;
  readonly #endpoint: string;
  readonly #bySubscription = new Map<string, AzureSubscriptionClients>();
  #retries = 0;
  #paced = 0;

  constructor(options: AzureClientOptions, credential: TokenCredential) {
    this.#options = options;
    this.#credential = credential;
    this.#endpoint = (options.endpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
  }

  /** The Resource Manager endpoint every client talks to. */
  get endpoint(): string {
    return this.#endpoint;
  }

  /** HTTP attempts made so far beyond the first of each request: throttling, timeouts, 5xx. */
  retries(): number {
    return this.#retries;
  }

  /** Responses held back because the subscription's read budget ran low. */
  pacedResponses(): number {
    return this.#paced;
  }

  #common() {
    // Tokens are issued for the cloud's own Resource Manager audience; the SDK defaults to the
    // public cloud's even when another endpoint is given, which sovereign clouds reject.
    const scope = `${this.#endpoint}/.default`;
    return {
      endpoint: this.#endpoint,
      credentials: { scopes: [scope] },
      credentialScopes: [scope],
      retryOptions: { maxRetries: this.#options.maxRetries },
      ...(this.#options.ca === undefined ? {} : { tlsOptions: { ca: this.#options.ca } }),
    };
  }

  /**
   * Sets the per-attempt time limit, counts retries, keeps ARM error bodies for the reason, and
   * paces calls when the subscription's read budget runs low.
   * Runs after the retry policy, so once per attempt; a retry re-sends the same request object.
   */
  #instrument<T extends { readonly pipeline: ArmPipeline }>(client: T): T {
    const timeoutMs = this.#options.callTimeoutMs;
    const floor = this.#options.rateLimitFloor ?? DEFAULT_RATE_LIMIT_FLOOR;
    const sent = new WeakSet<object>();
    const attempt: PipelinePolicy = {
      name: 'kubelineAttempt',
      sendRequest: async (request, next) => {
        if (sent.has(request)) this.#retries += 1;
        sent.add(request);
        if (!(request.timeout > 0)) request.timeout = timeoutMs;
        const response = await next(request);
        if (response.status >= 400) rememberArmErrorBody(request, response.bodyAsText);
        const remaining = Math.min(
          ...REMAINING_READ_HEADERS.map((name) => Number(response.headers.get(name) ?? Number.NaN)).filter(
            Number.isFinite,
          ),
        );
        if (remaining < floor.remaining && response.status < 400) {
          this.#paced += 1;
          await new Promise((resolve) => setTimeout(resolve, floor.pauseMs));
        }
        return response;
      },
    };
    client.pipeline.addPolicy(attempt, { afterPhase: 'Retry' });
    return client;
  }

  /** The clients of one subscription, made once per factory: audit workspaces and rules of many clusters share them. */
  forSubscription(subscriptionId: string): AzureSubscriptionClients {
    const key = subscriptionId.toLowerCase();
    const existing = this.#bySubscription.get(key);
    if (existing !== undefined) return existing;
    const common = this.#common();
    const clients: AzureSubscriptionClients = {
      containerService: this.#instrument(
        new ContainerServiceClient(this.#credential, subscriptionId, common),
      ),
      monitor: onFirstUse(async () => {
        const { MonitorClient } = await import('./auditSdk.js');
        return this.#instrument(new MonitorClient(this.#credential, subscriptionId, common));
      }).get,
      logAnalytics: onFirstUse(async () => {
        const { OperationalInsightsManagementClient } = await import('./auditSdk.js');
        return this.#instrument(
          new OperationalInsightsManagementClient(this.#credential, subscriptionId, common),
        );
      }).get,
      security: onFirstUse(async () => {
        const { SecurityCenter } = await import('./auditSdk.js');
        return this.#instrument(new SecurityCenter(this.#credential, subscriptionId, common));
      }).get,
    };
    this.#bySubscription.set(key, clients);
    return clients;
  }

  /**
   * One GET of an ARM path no installed SDK covers (management group descendants), with the
   * same token audience, CA, time limit and 429 `Retry-After` handling as the SDK clients. A
   * non-2xx answer throws an error named after the ARM error code.
   */
  async getJson(pathOrUrl: string): Promise<unknown> {
    const url = new URL(pathOrUrl, `${this.#endpoint}/`);
    const token = await this.#credential.getToken(`${this.#endpoint}/.default`);
    if (token === null) throw new Error(`no token for ${this.#endpoint}`);
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.#getOnce(url, token.token);
      const retryAfter = Number(answer.retryAfter ?? Number.NaN);
      if (answer.status === 429 && attempt < this.#options.maxRetries && Number.isFinite(retryAfter)) {
        this.#retries += 1;
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) {
        try {
          return JSON.parse(answer.body);
        } catch (cause) {
          const malformed = new Error(
            `Resource Manager sent a body that is not JSON (HTTP ${answer.status})`,
            {
              cause,
            },
          );
          malformed.name = 'SyntaxError';
          throw malformed;
        }
      }
      throw armHttpError(answer.status, answer.body);
    }
  }

  #getOnce(url: URL, token: string): Promise<{ status: number; body: string; retryAfter?: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpsRequest(
        url,
        {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeout: this.#options.callTimeoutMs,
          ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              body,
              ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => {
        const timedOut = new Error(`no answer from ${url.host} within ${this.#options.callTimeoutMs} ms`);
        timedOut.name = 'AbortError';
        outgoing.destroy(timedOut);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /** The subscriptions client of tenant discovery; its SDK loads on the first call. */
  async subscriptions(): Promise<SubscriptionClient> {
    const { SubscriptionClient } = await import('@azure/arm-resources-subscriptions');
    return this.#instrument(new SubscriptionClient(this.#credential, this.#common()));
  }
}
