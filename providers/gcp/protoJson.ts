import { createRequire } from 'node:module';

/**
 * The message definitions shipped inside the Google client packages kubeline uses (protobuf.js
 * JSON descriptors: GKE v1, Cloud Logging v2, Cloud Monitoring v3), read to turn what the gRPC
 * clients return into the APIs' proto3 JSON.
 *
 * Why: google-gax decodes responses with `defaults: true`, so every unset field comes back as
 * `false`, `''`, `[]`, `{}`, the enum's zero name or `null`, and `oneofs: true` adds `_field`
 * markers. proto3 JSON (REST, gcloud `--format=json`, the `--from` exports) leaves all of those
 * out. Converting once at the boundary makes a live cluster and an export of the same cluster
 * the same input to the normaliser, evidence values included.
 */
interface FieldDefinition {
  readonly type: string;
  readonly id: number;
  readonly rule?: string;
  readonly keyType?: string;
  readonly options?: { readonly [option: string]: unknown };
}

interface Definition {
  readonly fields?: { readonly [name: string]: FieldDefinition };
  readonly oneofs?: { readonly [name: string]: { readonly oneof: readonly string[] } };
  readonly values?: { readonly [name: string]: number };
  readonly nested?: { readonly [name: string]: Definition };
}

/** A field of a message, resolved: its JSON name, what it holds and whether unset differs from default. */
export interface ProtoField {
  readonly name: string;
  /** Fully qualified type name for messages and enums (`google.container.v1.NodePool`); scalar name otherwise. */
  readonly type: string;
  readonly kind: 'scalar' | 'enum' | 'message';
  readonly repeated: boolean;
  /** Set for map fields: the map's key type. */
  readonly mapKey?: string;
  /** proto3 `optional` or a member of a oneof: a default value that is set stays in the JSON. */
  readonly presence: boolean;
}

const require = createRequire(import.meta.url);
const ROOTS = [
  require('@google-cloud/container/build/protos/protos.json'),
  require('@google-cloud/logging-api/build/protos/protos.json'),
  require('@google-cloud/monitoring/build/protos/protos.json'),
] as readonly Definition[];

function definitionAt(fullName: string): Definition | undefined {
  for (const root of ROOTS) {
    let current: Definition | undefined = root;
    for (const part of fullName.split('.')) current = current?.nested?.[part];
    if (current !== undefined) return current;
  }
  return undefined;
}

/** protobuf.js resolution: the reference relative to the enclosing scopes, innermost first. */
function resolve(reference: string, scope: string): string | undefined {
  if (reference.startsWith('.')) return definitionAt(reference.slice(1)) ? reference.slice(1) : undefined;
  const parts = scope.split('.');
  for (let length = parts.length; length >= 0; length -= 1) {
    const candidate = [...parts.slice(0, length), reference].join('.');
    if (definitionAt(candidate)) return candidate;
  }
  return undefined;
}

const fieldCache = new Map<string, ReadonlyMap<string, ProtoField>>();

/** The fields of a message type by JSON name; empty for a name that is not a message. */
export function messageFields(typeName: string): ReadonlyMap<string, ProtoField> {
  const cached = fieldCache.get(typeName);
  if (cached) return cached;
  const definition = definitionAt(typeName);
  const inOneof = new Set(Object.values(definition?.oneofs ?? {}).flatMap((oneof) => oneof.oneof));
  const fields = new Map<string, ProtoField>();
  for (const [name, field] of Object.entries(definition?.fields ?? {})) {
    const resolved = resolve(field.type, typeName);
    const target = resolved === undefined ? undefined : definitionAt(resolved);
    const kind = target === undefined ? 'scalar' : target.values ? 'enum' : 'message';
    fields.set(name, {
      name,
      type: kind === 'scalar' ? field.type : (resolved ?? field.type),
      kind,
      repeated: field.rule === 'repeated',
      ...(field.keyType ? { mapKey: field.keyType } : {}),
      presence: field.options?.proto3_optional === true || inOneof.has(name),
    });
  }
  fieldCache.set(typeName, fields);
  return fields;
}

/** The name of an enum value, or undefined for a number the enum does not define. */
export function enumName(typeName: string, value: number): string | undefined {
  const values = definitionAt(typeName)?.values ?? {};
  return Object.keys(values).find((name) => values[name] === value);
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS = new Set(
  ['Bool', 'String', 'Bytes', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float', 'Double'].map(
    (name) => `google.protobuf.${name}Value`,
  ),
);

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seconds(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? Number(value) : 0;
}

/** Nanoseconds as proto3 JSON writes them: 0, 3, 6 or 9 digits. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  return `.${digits.replace(/(?:000)+$/, '')}`;
}

function wellKnown(typeName: string, value: { readonly [key: string]: unknown }): unknown {
  if (typeName === 'google.protobuf.Timestamp') {
    const date = new Date(seconds(value.seconds) * 1000);
    if (Number.isNaN(date.getTime())) return undefined;
    return `${date.toISOString().slice(0, 19)}${fraction(seconds(value.nanos))}Z`;
  }
  if (typeName === 'google.protobuf.Duration') {
    return `${seconds(value.seconds)}${fraction(Math.abs(seconds(value.nanos)))}s`;
  }
  if (WRAPPERS.has(typeName)) return toProto3Value(typeName, 'scalar', value.value, true);
  return undefined;
}

/** The proto3 default of a scalar field: false, 0, an empty string or bytes; 64-bit zero as "0". */
function isDefaultScalar(type: string, value: unknown): boolean {
  if (INT64.has(type)) return value === '0' || value === 0;
  if (value instanceof Uint8Array) return value.length === 0;
  return value === false || value === '' || value === 0;
}

function toProto3Value(type: string, kind: ProtoField['kind'], value: unknown, presence: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (kind === 'message') return isObject(value) ? toProto3Json(type, value) : undefined;
  if (kind === 'enum') {
    const name = typeof value === 'number' ? (enumName(type, value) ?? value) : value;
    const zero = enumName(type, 0);
    return !presence && (name === zero || name === 0) ? undefined : name;
  }
  if (!presence && isDefaultScalar(type, value)) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (INT64.has(type) && typeof value !== 'string') return String(value);
  return value;
}

/**
 * A message as proto3 JSON: unset and default fields dropped (unless the field tracks presence),
 * enums by name, 64-bit integers as strings, timestamps and durations as strings, keys the client
 * adds that the message does not define (`_field` oneof markers) left out.
 */
export function toProto3Json(typeName: string, message: { readonly [key: string]: unknown }): unknown {
  const special = typeName.startsWith('google.protobuf.') ? wellKnown(typeName, message) : undefined;
  if (special !== undefined) return special;
  const fields = messageFields(typeName);
  const json: Record<string, unknown> = {};
  for (const key of Object.keys(message)) {
    const field = fields.get(key);
    const value = message[key];
    if (field === undefined || value === null || value === undefined) continue;
    let converted: unknown;
    if (field.mapKey !== undefined) {
      if (!isObject(value)) continue;
      const entries = Object.keys(value)
        .map((entry) => [entry, toProto3Value(field.type, field.kind, value[entry], true)] as const)
        .filter(([, item]) => item !== undefined);
      converted = entries.length > 0 ? Object.fromEntries(entries) : undefined;
    } else if (field.repeated) {
      if (!Array.isArray(value)) continue;
      const items = value
        .map((item: unknown) => toProto3Value(field.type, field.kind, item, true))
        .filter((item) => item !== undefined);
      converted = items.length > 0 ? items : undefined;
    } else {
      converted = toProto3Value(field.type, field.kind, value, field.presence);
    }
    if (converted !== undefined) json[key] = converted;
  }
  return json;
}
