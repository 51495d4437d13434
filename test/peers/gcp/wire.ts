import { messageFields } from '../../../providers/gcp/protoJson.js';

/**
 * Turns a GKE export (proto3 JSON, gcloud output, snake_case dumps, enums by name or number) into
 * the object form @grpc/proto-loader serialises: camelCase field names, timestamps and durations
 * as `{seconds, nanos}`, wrappers as `{value}`. Fields the v1 `Cluster` does not define (v1beta1
 * extras) are dropped, as the real v1 API would never send them.
 */
function fold(key: string): string {
  return key.replaceAll('_', '').toLowerCase();
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function timestamp(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) return undefined;
  const fractionDigits = /\.(\d+)/.exec(value)?.[1] ?? '';
  return {
    seconds: String(Math.floor(millis / 1000)),
    nanos: Number(fractionDigits.padEnd(9, '0').slice(0, 9)),
  };
}

function duration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^(-?\d+)(?:\.(\d{1,9}))?s$/.exec(value);
  if (!match) return undefined;
  return { seconds: match[1] ?? '0', nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function wireValue(type: string, kind: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (type === 'google.protobuf.Timestamp') return timestamp(value);
  if (type === 'google.protobuf.Duration') return duration(value);
  if (/^google\.protobuf\.\w+Value$/.test(type)) return isObject(value) ? value : { value };
  if (kind === 'message') return isObject(value) ? toWireMessage(type, value) : undefined;
  return value;
}

/** One message of type `typeName` (fully qualified) in proto-loader's object form. */
export function toWireMessage(
  typeName: string,
  json: { readonly [key: string]: unknown },
): Record<string, unknown> {
  const fields = new Map([...messageFields(typeName).values()].map((field) => [fold(field.name), field]));
  const wire: Record<string, unknown> = {};
  for (const key of Object.keys(json)) {
    const field = fields.get(fold(key));
    const value = json[key];
    if (field === undefined || value === null || value === undefined) continue;
    if (field.mapKey !== undefined) {
      if (!isObject(value)) continue;
      // Map keys are user data (labels): kept exactly as written.
      wire[field.name] = Object.fromEntries(
        Object.keys(value).map((entry) => [entry, wireValue(field.type, field.kind, value[entry])]),
      );
    } else if (field.repeated) {
      if (!Array.isArray(value)) continue;
      wire[field.name] = value
        .map((item: unknown) => wireValue(field.type, field.kind, item))
        .filter((item) => item !== undefined);
    } else {
      const converted = wireValue(field.type, field.kind, value);
      if (converted !== undefined) wire[field.name] = converted;
    }
  }
  return wire;
}

/** A GKE `Cluster` export in wire form. */
export function clusterToWire(json: { readonly [key: string]: unknown }): Record<string, unknown> {
  return toWireMessage('google.container.v1.Cluster', json);
}
