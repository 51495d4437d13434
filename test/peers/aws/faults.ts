import {
  type AwsRequest,
  errorResponse,
  malformedResponse,
  type PeerResponse,
  type Protocol,
} from './wire.js';

/** The failures the peer can inject. */
export const FAULT_KINDS = [
  'throttle',
  'access-denied',
  'timeout',
  'malformed',
  'server-error',
  'conflict',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

interface WireError {
  readonly code: string;
  readonly status: number;
}

/**
 * Each service's own throttling error, as its model (and so its SDK) defines it. GuardDuty models
 * none: like other REST services behind API Gateway it answers 429 TooManyRequestsException.
 */
const THROTTLING: Readonly<Record<string, WireError>> = {
  eks: { code: 'ThrottlingException', status: 429 },
  guardduty: { code: 'TooManyRequestsException', status: 429 },
  organizations: { code: 'TooManyRequestsException', status: 429 },
  logs: { code: 'ThrottlingException', status: 400 },
  ec2: { code: 'RequestLimitExceeded', status: 503 },
  sts: { code: 'Throttling', status: 400 },
  iam: { code: 'Throttling', status: 400 },
  // CloudWatch speaks JSON 1.0 but keeps its query-protocol error codes (awsQueryCompatible).
  monitoring: { code: 'Throttling', status: 400 },
  s3: { code: 'SlowDown', status: 503 },
};

const THROTTLING_BY_PROTOCOL: Readonly<Record<Protocol, WireError>> = {
  'rest-json': { code: 'ThrottlingException', status: 429 },
  json: { code: 'ThrottlingException', status: 400 },
  query: { code: 'Throttling', status: 400 },
  ec2: { code: 'RequestLimitExceeded', status: 503 },
  'rest-xml': { code: 'SlowDown', status: 503 },
};

/** Each service's own access-denied error; CloudWatch Logs sends its 400, not 403; IAM and CloudWatch their query-protocol AccessDenied. */
const ACCESS_DENIED: Readonly<Record<string, WireError>> = {
  eks: { code: 'AccessDeniedException', status: 403 },
  guardduty: { code: 'AccessDeniedException', status: 403 },
  organizations: { code: 'AccessDeniedException', status: 403 },
  logs: { code: 'AccessDeniedException', status: 400 },
  ec2: { code: 'UnauthorizedOperation', status: 403 },
  sts: { code: 'AccessDenied', status: 403 },
  iam: { code: 'AccessDenied', status: 403 },
  monitoring: { code: 'AccessDenied', status: 403 },
  s3: { code: 'AccessDenied', status: 403 },
};

const ACCESS_DENIED_BY_PROTOCOL: Readonly<Record<Protocol, WireError>> = {
  'rest-json': { code: 'AccessDeniedException', status: 403 },
  json: { code: 'AccessDeniedException', status: 400 },
  query: { code: 'AccessDenied', status: 403 },
  ec2: { code: 'UnauthorizedOperation', status: 403 },
  'rest-xml': { code: 'AccessDenied', status: 403 },
};

/**
 * A write that lost a race: S3 answers a conditional PutObject that overlaps another write to the
 * same key with 409 ConditionalRequestConflict; other services name a conflict ConflictException.
 */
const CONFLICT: Readonly<Record<string, WireError>> = {
  s3: { code: 'ConditionalRequestConflict', status: 409 },
};

const INJECTED = '(fault injected by the kubeline AWS test peer)';

/**
 * The response for a fault, or undefined for `timeout` (the caller holds the request instead).
 * `account` is who the request acts for; it goes into the message as AWS puts the caller there.
 */
export function faultResponse(
  kind: FaultKind,
  request: AwsRequest,
  account: string,
): PeerResponse | undefined {
  const action = `${request.service}:${request.operation}`;
  switch (kind) {
    case 'throttle': {
      const error = THROTTLING[request.service] ?? THROTTLING_BY_PROTOCOL[request.protocol];
      return errorResponse(request.protocol, error.code, error.status, `Rate exceeded ${INJECTED}`);
    }
    case 'access-denied': {
      const error = ACCESS_DENIED[request.service] ?? ACCESS_DENIED_BY_PROTOCOL[request.protocol];
      const message =
        request.protocol === 'ec2'
          ? `You are not authorized to perform this operation. ${INJECTED}`
          : `User: arn:aws:iam::${account}:role/kubeline-read is not authorized to perform: ${action} ${INJECTED}`;
      return errorResponse(request.protocol, error.code, error.status, message);
    }
    case 'server-error': {
      // S3 names its 500 InternalError; the JSON and query services InternalFailure.
      const code = request.service === 's3' ? 'InternalError' : 'InternalFailure';
      return errorResponse(request.protocol, code, 500, `Internal failure ${INJECTED}`);
    }
    case 'conflict': {
      const error = CONFLICT[request.service] ?? { code: 'ConflictException', status: 409 };
      return errorResponse(
        request.protocol,
        error.code,
        error.status,
        `A conflicting operation occurred ${INJECTED}`,
      );
    }
    case 'malformed':
      return malformedResponse(request.protocol);
    case 'timeout':
      return undefined;
  }
}
