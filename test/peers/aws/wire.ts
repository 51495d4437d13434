import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { matchRestOperation } from './restRoutes.js';
import { matchS3Operation } from './s3Routes.js';

/** How a service puts requests and errors on the wire. */
export type Protocol = 'rest-json' | 'json' | 'query' | 'ec2' | 'rest-xml';

/** One request as the peer understands it: who sends it, to which service, calling what. */
export interface AwsRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Signing name from the SigV4 credential scope: `eks`, `ec2`, `sts`, `logs`, `organizations`, … */
  readonly service: string;
  readonly region: string;
  readonly accessKeyId: string | undefined;
  readonly protocol: Protocol;
  readonly operation: string;
  /** Decoded path labels of a REST operation (`clusterName`, `addonName`, …; S3 `Bucket`, `Key`). */
  readonly params: Readonly<Record<string, string>>;
  /** The form of a query-protocol request (EC2, STS). */
  readonly form: URLSearchParams | undefined;
}

/** A response the peer writes itself. */
export interface PeerResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function credentialScope(headers: IncomingHttpHeaders, query: URLSearchParams) {
  const scope = SCOPE.exec(header(headers, 'authorization') ?? '');
  if (scope !== null) return { accessKeyId: scope[1], region: scope[2] ?? '', service: scope[3] ?? '' };
  // Presigned URLs carry the same scope in the query string.
  const [accessKeyId, , region = '', service = ''] = (query.get('X-Amz-Credential') ?? '').split('/');
  return { accessKeyId: accessKeyId || undefined, region, service };
}

/** Reads service, region, caller and operation from a raw request, the way AWS front ends do. */
export function describeRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): AwsRequest {
  const parsed = new URL(url, 'http://peer.invalid');
  const query = parsed.searchParams;
  const { accessKeyId, region, service } = credentialScope(headers, query);
  const target = header(headers, 'x-amz-target');
  const contentType = header(headers, 'content-type') ?? '';
  const base = { method, path: parsed.pathname, query, headers, body, service, region, accessKeyId };
  if (target !== undefined) {
    const operation = target.slice(target.lastIndexOf('.') + 1);
    return { ...base, protocol: 'json', operation, params: {}, form: undefined };
  }
  if (contentType.includes('x-www-form-urlencoded') || query.has('Action')) {
    const form = contentType.includes('x-www-form-urlencoded')
      ? new URLSearchParams(body.toString('utf8'))
      : query;
    const operation = form.get('Action') ?? query.get('Action') ?? 'Unknown';
    return { ...base, protocol: service === 'ec2' ? 'ec2' : 'query', operation, params: {}, form };
  }
  if (service === 's3') {
    // Path style only: the peer is one loopback host, so no bucket can be in the host name.
    const s3 = matchS3Operation(method, parsed.pathname, query);
    return {
      ...base,
      protocol: 'rest-xml',
      operation: s3?.operation ?? `${method} ${parsed.pathname}`,
      params: s3?.params ?? {},
      form: undefined,
    };
  }
  const rest = matchRestOperation(service, method, parsed.pathname);
  return {
    ...base,
    protocol: 'rest-json',
    operation: rest?.operation ?? `${method} ${parsed.pathname}`,
    params: rest?.params ?? {},
    form: undefined,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Extra members of a REST-JSON or S3 error body (EKS errors name the cluster, S3 ones the key, …). */
export type ErrorFields = Readonly<Record<string, string>>;

/** An AWS error in the wire format of the protocol, so the SDK raises its modelled exception. */
export function errorResponse(
  protocol: Protocol,
  code: string,
  status: number,
  message: string,
  fields: ErrorFields = {},
): PeerResponse {
  const requestId = randomUUID();
  switch (protocol) {
    case 'rest-json':
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ ...fields, message }),
      };
    case 'json':
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'query': {
      const type = status >= 500 ? 'Receiver' : 'Sender';
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          '<ErrorResponse><Error>' +
          `<Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
    case 'ec2':
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>' +
          `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
          `</Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'rest-xml': {
      const extra = Object.entries(fields)
        .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
        .join('');
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
          `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${extra}` +
          `<RequestId>${requestId}</RequestId></Error>`,
      };
    }
  }
}

/** A JSON body in the REST-JSON wire format (EKS). */
export function jsonResponse(body: unknown, status = 200): PeerResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

/** A 200 whose body stops half-way, as a cut connection or a broken intermediary leaves it. */
export function malformedResponse(protocol: Protocol): PeerResponse {
  const headers = { 'x-amzn-requestid': randomUUID() };
  switch (protocol) {
    case 'rest-json':
      return {
        status: 200,
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"cluster": {"name": "',
      };
    case 'json':
      return {
        status: 200,
        headers: { ...headers, 'content-type': 'application/x-amz-json-1.1' },
        body: '{"logGroups": [{"logGroupName": "',
      };
    case 'query':
    case 'ec2':
    case 'rest-xml':
      return {
        status: 200,
        headers: { ...headers, 'content-type': 'text/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response xmlns="https://peer.invalid/"><result><item><id>',
      };
  }
}
