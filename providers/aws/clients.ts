import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/*
 * Only STS, which every EKS scan calls first (GetCallerIdentity or AssumeRole), is imported with
 * this module. The other SDK packages take over a second to load together (EC2's alone most of
 * it), so each is imported when its first client is made: the scan's first request does not wait
 * for them, and planning alone (the fan-out's plan) never loads them.
 */

/** How kubeline talks to AWS: retries, time limits and where. */
export interface AwsClientOptions {
  /** Attempts per call, the first included; the SDK's adaptive mode spaces them with jittered backoff. */
  readonly maxAttempts: number;
  /** Limit for one attempt: connection plus response. */
  readonly callTimeoutMs: number;
  /** An endpoint for every service (`AWS_ENDPOINT_URL`), e.g. a local peer; undefined for AWS itself. */
  readonly endpoint?: string;
}

export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** The clients the EKS collector uses in one (account, region). */
export interface AwsRegionClients {
  readonly eks: EKSClient;
  readonly ec2: EC2Client;
  readonly logs: CloudWatchLogsClient;
  readonly cloudWatch: CloudWatchClient;
  readonly guardDuty: GuardDutyClient;
  /** IAM is global: its answers are the same from every region of an account. */
  readonly iam: IAMClient;
}

/**
 * Builds SDK clients that share one keep-alive connection pool. Clients are made by the
 * composition root and passed in, never at import time.
 */
export class AwsClientFactory {
  readonly #options: AwsClientOptions;
  readonly #handler: NodeHttpHandler;

  constructor(options: AwsClientOptions) {
    this.#options = options;
    this.#handler = new NodeHttpHandler({
      connectionTimeout: options.callTimeoutMs,
      requestTimeout: options.callTimeoutMs,
      // Without this the handler only logs a warning when the limit passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    });
  }

  #common(region: string, credentials: AwsCredentials) {
    return {
      region,
      credentials,
      maxAttempts: this.#options.maxAttempts,
      retryMode: 'adaptive',
      requestHandler: this.#handler,
      ...(this.#options.endpoint ? { endpoint: this.#options.endpoint } : {}),
    };
  }

  async forRegion(region: string, credentials: AwsCredentials): Promise<AwsRegionClients> {
    const [
      { EKSClient },
      { EC2Client },
      { CloudWatchLogsClient },
      { CloudWatchClient },
      { GuardDutyClient },
      { IAMClient },
    ] = await Promise.all([
      import('@aws-sdk/client-eks'),
      import('@aws-sdk/client-ec2'),
      import('@aws-sdk/client-cloudwatch-logs'),
      import('@aws-sdk/client-cloudwatch'),
      import('@aws-sdk/client-guardduty'),
      import('@aws-sdk/client-iam'),
    ]);
    const common = this.#common(region, credentials);
    return {
      eks: new EKSClient(common),
      ec2: new EC2Client(common),
      logs: new CloudWatchLogsClient(common),
      cloudWatch: new CloudWatchClient(common),
      guardDuty: new GuardDutyClient(common),
      iam: new IAMClient(common),
    };
  }

  sts(region: string, credentials: AwsCredentials): STSClient {
    return new STSClient(this.#common(region, credentials));
  }

  async organizations(region: string, credentials: AwsCredentials): Promise<OrganizationsClient> {
    const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
    return new OrganizationsClient(this.#common(region, credentials));
  }

  /** Closes the shared connections. */
  destroy(): void {
    this.#handler.destroy();
  }
}
