import * as s3Sdk from '@aws-sdk/client-s3';
import type { RestOperation } from './restRoutes.js';

/**
 * An S3 operation as its SDK model routes it: on the bucket (`/`) or on an object (`/{Key+}`),
 * told apart by literal query parameters (`?uploads`, `?acl`, `?x-id=PutObject`).
 */
interface S3Route {
  readonly method: string;
  readonly operation: string;
  readonly onObject: boolean;
  /** `x-id=PutObject`: a hint the SDK sends for operations that share a method and path. */
  readonly xId: string | undefined;
  /** Other literal query parameters, with their value when the model gives one. */
  readonly literals: readonly (readonly [string, string | undefined])[];
}

function isOperationSchema(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value[0] === 9 && typeof value[2] === 'string';
}

function httpTrait(traits: unknown): readonly [string, string] | undefined {
  if (typeof traits !== 'object' || traits === null || !('http' in traits)) return undefined;
  const http = traits.http;
  if (!Array.isArray(http)) return undefined;
  const [method, uri] = http;
  return typeof method === 'string' && typeof uri === 'string' ? [method, uri] : undefined;
}

function toRoute(method: string, uri: string, operation: string): S3Route {
  const [path = '', query = ''] = uri.split('?');
  const pairs = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string | undefined] => {
      const [name = '', value] = pair.split('=');
      return [name, value];
    });
  return {
    method,
    operation,
    onObject: path.includes('{Key+}'),
    xId: pairs.find(([name]) => name === 'x-id')?.[1],
    literals: pairs.filter(([name]) => name !== 'x-id'),
  };
}

function routeOf(value: unknown): S3Route | undefined {
  if (!isOperationSchema(value)) return undefined;
  const http = httpTrait(value[3]);
  return http === undefined ? undefined : toRoute(http[0], http[1], String(value[2]));
}

/**
 * Every S3 route, read from the operation schemas @aws-sdk/client-s3 exports, so the peer names
 * an operation exactly as the client that sends it does. More literal parameters first: `GET
 * /{Key+}?acl` must win over a bare `GET /{Key+}`.
 */
const S3_ROUTES: readonly S3Route[] = Object.values(s3Sdk as Readonly<Record<string, unknown>>)
  .map(routeOf)
  .filter((route): route is S3Route => route !== undefined)
  .sort((a, b) => b.literals.length - a.literals.length || a.operation.localeCompare(b.operation));

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function routeMatches(route: S3Route, method: string, onObject: boolean, query: URLSearchParams): boolean {
  if (route.method !== method || route.onObject !== onObject) return false;
  // The SDK always sends x-id where the model has one; a presigned or hand-made URL may not.
  const xId = query.get('x-id');
  if (xId !== null && xId !== route.xId) return false;
  return route.literals.every(([name, value]) =>
    value === undefined ? query.has(name) : query.get(name) === value,
  );
}

/**
 * The S3 operation of a path-style request (`/bucket/key?query`), with `Bucket` and `Key` decoded;
 * undefined for a path that names no bucket or a request the S3 model does not route.
 */
export function matchS3Operation(
  method: string,
  path: string,
  query: URLSearchParams,
): RestOperation | undefined {
  const [, bucketPart = '', keyPart] = /^\/([^/]+)(?:\/(.*))?$/.exec(path) ?? [];
  const bucket = decode(bucketPart);
  const key = keyPart === undefined || keyPart === '' ? undefined : decode(keyPart);
  if (bucket === undefined || bucket === '' || (keyPart && key === undefined)) return undefined;
  const route = S3_ROUTES.find((candidate) => routeMatches(candidate, method, key !== undefined, query));
  if (route === undefined) return undefined;
  return {
    operation: route.operation,
    params: key === undefined ? { Bucket: bucket } : { Bucket: bucket, Key: key },
  };
}
