import type { JsonObject } from '../../../model/json.js';
import { type ClusterVersionEntry, RECORDED_VERSIONS_DAY } from './clusterVersions.js';
import { type AwsChaos, type FrontProxy, startFrontProxy } from './frontProxy.js';
import { findMotoPython, startMoto } from './motoProcess.js';

export { type AwsChaos, type AwsChaosCall, DEFAULT_ACCOUNT } from './frontProxy.js';
export { findMotoPython } from './motoProcess.js';

/**
 * A failure to inject into the requests that match every given field. `service` is the SigV4
 * signing name (`eks`, `ec2`, `sts`, `logs`, `monitoring` (CloudWatch), `iam`, `organizations`,
 * `guardduty`, `s3`); `operation` the
 * API name (`ListClusters`, `DescribeSubnets`, `AssumeRole`, `PutObject`). For STS AssumeRole,
 * `account` is the account of the role being assumed, so a rule on an account also refuses entry
 * into it.
 */
export interface FaultRule {
  readonly account?: string;
  readonly region?: string;
  readonly service?: string;
  readonly operation?: string;
  /**
   * `throttle`: the service's own throttling error (EKS 429 ThrottlingException, EC2 503
   * RequestLimitExceeded, STS, IAM and CloudWatch Throttling, Logs ThrottlingException, Organizations
   * and GuardDuty 429 TooManyRequestsException). `access-denied`: EKS/GuardDuty/Organizations 403
   * AccessDeniedException, Logs 400 AccessDeniedException, EC2 403 UnauthorizedOperation, STS, IAM
   * and CloudWatch 403 AccessDenied. `timeout`: no answer until the client gives up (or the peer resets or closes).
   * `malformed`: 200 with a body cut short. `server-error`: 500 InternalFailure (S3: InternalError).
   * S3 answers `throttle` with 503 SlowDown and `access-denied` with 403 AccessDenied, in its XML.
   * `conflict`: S3 409 ConditionalRequestConflict (a conditional write overlapping another write),
   * 409 ConflictException elsewhere.
   */
  readonly kind: 'throttle' | 'access-denied' | 'timeout' | 'malformed' | 'server-error' | 'conflict';
  /** S3 only: the object key (path style, after the bucket) the rule applies to. */
  readonly key?: string;
  /** Apply to the next N matching requests only, then let them through. Default: every one. */
  readonly times?: number;
}

/** One request the peer received (moto-api calls excepted). */
export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  /** The account the request acted for (for AssumeRole: the account of the role). */
  readonly account: string;
  readonly region: string;
  /** The HTTP status sent; 0 when a `timeout` fault held the request. */
  readonly status: number;
}

/**
 * A recorded call with what it asked for, to count calls per cluster and to find a call made
 * twice: the same account, region, method, URL and body.
 */
export interface RecordedCallDetail extends RecordedCall {
  readonly method: string;
  /** Path and query as sent (percent-encoded). */
  readonly url: string;
  /** The request body as text: JSON, or the form of EC2 and STS calls. */
  readonly body: string;
  /** The EKS cluster a call names in its path, if any. */
  readonly cluster?: string;
}

/** EKS data moto cannot hold, for one cluster. Each key given replaces that key; others are kept. */
export interface EksExtras {
  readonly addons?: readonly {
    readonly addonName: string;
    readonly addonVersion?: string;
    readonly configurationValues?: string;
    readonly serviceAccountRoleArn?: string;
  }[];
  readonly identityProviderConfigs?: readonly {
    readonly name: string;
    readonly issuerUrl: string;
    readonly clientId: string;
    readonly usernameClaim?: string;
    readonly groupsClaim?: string;
    readonly usernamePrefix?: string;
    readonly groupsPrefix?: string;
  }[];
  readonly accessEntries?: readonly {
    readonly principalArn: string;
    readonly type?: string;
    readonly policies?: readonly {
      readonly policyArn: string;
      readonly accessScope: {
        readonly type: 'cluster' | 'namespace';
        readonly namespaces?: readonly string[];
      };
    }[];
  }[];
  /**
   * DescribeCluster fields laid over what moto reports, in the wire format (timestamps in epoch
   * seconds): the response-only fields CreateCluster cannot carry, such as
   * `resourcesVpcConfig.vpcId`, `clusterSecurityGroupId`, `createdAt`, `platformVersion`,
   * `endpoint`, `identity`, `status`, `health`. seedEksFromExports fills it from the export.
   */
  readonly clusterFields?: JsonObject;
}

export interface AwsPeer {
  /** http://127.0.0.1:PORT of the front proxy: what AWS_ENDPOINT_URL / client `endpoint` is set to. */
  readonly endpoint: string;
  /** Static credentials for the default account 123456789012. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Clears moto (POST /moto-api/reset), the extension state, faults and the call log. */
  reset(): Promise<void>;
  setEksExtras(account: string, region: string, cluster: string, extras: EksExtras): void;
  /** Overrides DescribeClusterVersions data for a region (default: the recorded response in test/fixtures/versions/). */
  setClusterVersions(
    region: string,
    versions: readonly {
      clusterVersion: string;
      releaseDate: string;
      endOfStandardSupportDate: string;
      endOfExtendedSupportDate: string;
      defaultVersion?: boolean;
    }[],
  ): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Draws a fault per request (the fault suite; FrontProxy.setChaos); undefined stops it. Reset stops it too. */
  setChaos(chaos: AwsChaos | undefined): void;
  /**
   * Issues STS session expirations as if the peer's clock ran `offsetMs` ahead (moto keeps its
   * own): with a client clock moved as far, a test sees sessions expire and renew without waiting.
   * Reset sets it back to 0.
   */
  setClockOffset(offsetMs: number): void;
  calls(): readonly RecordedCall[];
  /** The same calls with their method, URL, body and cluster. */
  callDetails(): readonly RecordedCallDetail[];
  clearCalls(): void;
  close(): Promise<void>;
}

/** Options of startAwsPeer. */
export interface AwsPeerOptions {
  /** The interpreter with moto 5.2.1. Default: findMotoPython(). */
  readonly motoPython?: string;
  /** Appends moto's output to this file. */
  readonly logFile?: string;
  /**
   * The day (`YYYY-MM-DD`) DescribeClusterVersions reports support status for: versions released
   * later are left out. Default: the day the recorded response describes, RECORDED_VERSIONS_DAY.
   */
  readonly versionsAsOf?: string;
}

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/**
 * Starts moto (through moto_peer.py) and the front proxy in front of it. Close it when done; the
 * moto process also stops by itself if this Node process dies.
 */
export async function startAwsPeer(options: AwsPeerOptions = {}): Promise<AwsPeer> {
  if (options.versionsAsOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.versionsAsOf)) {
    throw new Error(`versionsAsOf must be a day as YYYY-MM-DD, got "${options.versionsAsOf}"`);
  }
  const python = options.motoPython ?? (await findMotoPython());
  const moto = await startMoto(python, options.logFile);
  let proxy: FrontProxy;
  try {
    const versionsDay = options.versionsAsOf ?? RECORDED_VERSIONS_DAY;
    proxy = await startFrontProxy(moto.port, () => versionsDay);
  } catch (error) {
    await moto.stop();
    throw error;
  }
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${proxy.port}`,
    credentials: CREDENTIALS,
    async reset() {
      await moto.reset();
      proxy.reset();
    },
    setEksExtras: (account, region, cluster, extras) => proxy.eks.setExtras(account, region, cluster, extras),
    setClusterVersions: (region, versions: readonly ClusterVersionEntry[]) =>
      proxy.eks.setClusterVersions(region, versions),
    addFault: (rule) => proxy.addFault(rule),
    clearFaults: () => proxy.clearFaults(),
    setChaos: (chaos) => proxy.setChaos(chaos),
    setClockOffset: (offsetMs) => proxy.setClockOffset(offsetMs),
    calls: () => proxy.calls(),
    callDetails: () => proxy.callDetails(),
    clearCalls: () => proxy.clearCalls(),
    async close() {
      if (closed) return;
      closed = true;
      await proxy.close();
      await moto.stop();
    },
  };
}
