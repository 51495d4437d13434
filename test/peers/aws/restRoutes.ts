import * as eksSdk from '@aws-sdk/client-eks';
import * as guardDutySdk from '@aws-sdk/client-guardduty';

/** A REST operation found by method and path, with its path labels decoded. */
export interface RestOperation {
  readonly operation: string;
  readonly params: Readonly<Record<string, string>>;
}

interface Route {
  readonly method: string;
  readonly operation: string;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
  /** More literal segments first, so `/clusters/{n}/identity-provider-configs/describe` beats a label. */
  readonly literals: number;
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toRoute(method: string, uri: string, operation: string): Route {
  const [pathPart = ''] = uri.split('?');
  const labels: string[] = [];
  let literals = 0;
  const segments = pathPart
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const label = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (label?.[1] === undefined) {
        literals += 1;
        return escapeRegExp(segment);
      }
      labels.push(label[1]);
      return label[2] === '+' ? '(.+)' : '([^/]+)';
    });
  return { method, operation, pattern: new RegExp(`^/${segments.join('/')}/?$`), labels, literals };
}

/**
 * The routes of a REST service, read from the operation schemas the SDK package itself exports:
 * the peer names operations exactly as the client that sends them does, for every operation,
 * and stays right when the SDK is upgraded.
 */
function routesOf(sdk: Readonly<Record<string, unknown>>): readonly Route[] {
  const routes: Route[] = [];
  for (const value of Object.values(sdk)) {
    if (!isOperationSchema(value)) continue;
    const http = httpTrait(value[3]);
    if (http !== undefined) routes.push(toRoute(http[0], http[1], String(value[2])));
  }
  return routes.sort((a, b) => b.literals - a.literals || a.labels.length - b.labels.length);
}

const ROUTES: Readonly<Record<string, readonly Route[]>> = {
  eks: routesOf(eksSdk),
  guardduty: routesOf(guardDutySdk),
};

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The operation a REST request calls; undefined for a path the service's SDK does not know. */
export function matchRestOperation(service: string, method: string, path: string): RestOperation | undefined {
  for (const route of ROUTES[service] ?? []) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match === null) continue;
    const params: Record<string, string> = {};
    let decoded = true;
    route.labels.forEach((label, index) => {
      const value = decode(match[index + 1] ?? '');
      if (value === undefined) decoded = false;
      else params[label] = value;
    });
    if (decoded) return { operation: route.operation, params };
  }
  return undefined;
}

/** Top-level members of the EKS `Cluster` shape, from the SDK's schema (see routesOf for why). */
export function eksClusterMembers(): ReadonlySet<string> {
  const schema: unknown = eksSdk.Cluster$;
  const members = Array.isArray(schema) ? schema[4] : undefined;
  if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) {
    throw new Error('@aws-sdk/client-eks no longer exports the Cluster schema in the form the peer reads');
  }
  return new Set(members);
}
