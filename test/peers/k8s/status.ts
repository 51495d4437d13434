import type { JsonObject } from '../../../model/json.js';

/** What a request asked for, in the API server's words for its error messages. */
export interface RequestedResource {
  /** `list`, `get`. */
  readonly verb: string;
  /** The plural, `nodes/proxy` for the node proxy. */
  readonly resource: string;
  /** `''` for the core group. */
  readonly group: string;
  readonly namespace?: string;
  readonly name?: string;
}

function failure(code: number, reason: string, message: string, details?: JsonObject): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
}

function qualified(resource: RequestedResource): string {
  const plural = resource.resource.split('/')[0] ?? resource.resource;
  return resource.group === '' ? plural : `${plural}.${resource.group}`;
}

function detailsOf(resource: RequestedResource): JsonObject {
  const plural = resource.resource.split('/')[0] ?? resource.resource;
  return {
    ...(resource.name === undefined ? {} : { name: resource.name }),
    ...(resource.group === '' ? {} : { group: resource.group }),
    kind: plural,
  };
}

/** 401 as kube-apiserver sends it when no authenticator accepts the request. */
export function unauthorizedStatus(): JsonObject {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** 403 as the RBAC authorizer words it. */
export function forbiddenStatus(user: string, resource: RequestedResource): JsonObject {
  const target =
    resource.name === undefined ? qualified(resource) : `${qualified(resource)} "${resource.name}"`;
  const scope =
    resource.namespace === undefined ? 'at the cluster scope' : `in the namespace "${resource.namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${target} is forbidden: User "${user}" cannot ${resource.verb} resource "${resource.resource}" in API group "${resource.group}" ${scope}`,
    detailsOf(resource),
  );
}

export function notFoundStatus(resource: RequestedResource): JsonObject {
  return failure(
    404,
    'NotFound',
    `${qualified(resource)} "${resource.name ?? ''}" not found`,
    detailsOf(resource),
  );
}

/** 404 for a path no resource type matches. */
export function unknownPathStatus(): JsonObject {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function internalErrorStatus(detail: string): JsonObject {
  return failure(500, 'InternalError', `Internal error occurred: ${detail}`, {
    causes: [{ message: detail }],
  });
}

export function expiredStatus(message: string): JsonObject {
  return failure(410, 'Expired', message);
}

export function badRequestStatus(message: string): JsonObject {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowedStatus(method: string): JsonObject {
  return failure(405, 'MethodNotAllowed', `the Kubernetes peer is read-only and does not allow ${method}`);
}

/** 503 from the node proxy when the kubelet does not answer. */
export function kubeletUnreachableStatus(node: string): JsonObject {
  return failure(
    503,
    'ServiceUnavailable',
    `error trying to reach service: dial tcp: lookup ${node}: no kubelet answers for this node`,
  );
}
