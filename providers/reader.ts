import type { JsonValue } from '../model/json.js';
import type { Observed, SourceField } from '../model/observed.js';
import { known, unknown } from '../model/observed.js';
import { type KubernetesVersion, parseKubernetesVersion } from '../model/version.js';

/**
 * A position in a raw API response: the value found there (undefined when absent) and the path
 * evidence names it by. Paths use the API's documented camelCase names whatever casing the input
 * used, so an auditor can look the same field up in the console or CLI.
 */
export interface RawNode {
  readonly value: unknown;
  readonly path: string;
  /** Set when a container on the way was not an object: every field below it is invalid, not absent. */
  readonly broken?: { readonly reason: string; readonly source: SourceField };
}

/** What reading one field gave: a value of the expected type, nothing, or something else. */
export type Read<T> =
  | { readonly kind: 'value'; readonly value: T; readonly source: SourceField }
  | { readonly kind: 'absent'; readonly source: SourceField }
  | { readonly kind: 'invalid'; readonly reason: string; readonly source: SourceField };

/** A raw object: JSON, or an SDK model instance (own enumerable properties only). */
export type RawObject = { readonly [key: string]: unknown };

/** Evidence values deeper than this are cut: a hostile file must not blow the stack of a report. */
const MAX_EVIDENCE_DEPTH = 32;

export function rootNode(value: unknown, path: string): RawNode {
  return { value, path };
}

/** True for an object that can hold fields (not an array, not a Date, not null). */
export function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** null and undefined both mean "not in the response": Go SDK dumps write null, proto3 JSON omits. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function foldKey(key: string): string {
  return key.replaceAll('_', '').toLowerCase();
}

/**
 * Reads an own property, accepting the casings SDKs serialise one API field in: camelCase (REST,
 * JS SDKs), PascalCase (AWS Go SDK), snake_case (GCP Python protobuf dumps), and the acronym
 * variants of Azure (`enableRBAC` / `enableRbac`). Only field names are folded: values, and so
 * the keys of user maps such as tags and labels, are never rewritten.
 */
export function lookup(container: unknown, key: string): unknown {
  if (!isRawObject(container)) return undefined;
  if (Object.hasOwn(container, key)) return container[key];
  const folded = foldKey(key);
  for (const candidate of Object.keys(container)) {
    if (foldKey(candidate) === folded) return container[candidate];
  }
  return undefined;
}

/**
 * The node of a field below `node`. Below an absent container the field is absent too; below a
 * value that is not an object it is invalid, so a malformed block never reads as "not set".
 */
export function child(node: RawNode, key: string): RawNode {
  const path = node.path === '' ? key : `${node.path}.${key}`;
  if (node.broken) return { value: undefined, path, broken: node.broken };
  if (!isAbsent(node.value) && !isRawObject(node.value)) {
    const reason = `${node.path} is ${describeValue(node.value)}, expected an object`;
    return { value: undefined, path, broken: { reason, source: sourceOf(node) } };
  }
  return { value: lookup(node.value, key), path };
}

/** A node for a path of fields below `node`: `descend(cluster, 'resourcesVpcConfig', 'endpointPublicAccess')`. */
export function descend(node: RawNode, ...keys: readonly string[]): RawNode {
  return keys.reduce(child, node);
}

/** The node of one element of a list, labelled by index or by a key (`nodePools[name=pool-a]`). */
export function element(node: RawNode, value: unknown, label: string | number): RawNode {
  return { value, path: `${node.path}[${label}]` };
}

/**
 * The raw value as evidence: JSON-safe (Dates become ISO strings, undefined becomes null),
 * cut at a fixed depth, and with own keys only.
 */
export function toJson(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_EVIDENCE_DEPTH) return '[nested too deeply]';
  if (Array.isArray(value)) return value.map((item: unknown) => toJson(item, depth + 1));
  if (isRawObject(value)) {
    return Object.fromEntries(Object.keys(value).map((key) => [key, toJson(value[key], depth + 1)]));
  }
  return null;
}

export function sourceOf(node: RawNode): SourceField {
  return { path: node.path, value: toJson(node.value) };
}

/** A raw string quoted for a reason, cut short: the evidence keeps it whole. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** A short description of a raw value for reasons: `the string "yes"`, `a number`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (isRawObject(value)) return 'an object';
  return `a ${typeof value}`;
}

function invalid<T>(node: RawNode, expected: string): Read<T> {
  return {
    kind: 'invalid',
    reason: `${node.path} is ${describeValue(node.value)}, expected ${expected}`,
    source: sourceOf(node),
  };
}

function readAs<T>(node: RawNode, expected: string, accept: (value: unknown) => value is T): Read<T> {
  if (node.broken) return { kind: 'invalid', reason: node.broken.reason, source: node.broken.source };
  if (isAbsent(node.value)) return { kind: 'absent', source: sourceOf(node) };
  if (!accept(node.value)) return invalid(node, expected);
  return { kind: 'value', value: node.value, source: sourceOf(node) };
}

export function readBoolean(node: RawNode): Read<boolean> {
  return readAs(node, 'a boolean', (value): value is boolean => typeof value === 'boolean');
}

export function readString(node: RawNode): Read<string> {
  return readAs(node, 'a string', (value): value is string => typeof value === 'string');
}

export function readObject(node: RawNode): Read<RawObject> {
  return readAs(node, 'an object', isRawObject);
}

export function readArray(node: RawNode): Read<readonly unknown[]> {
  return readAs(node, 'a list', (value): value is readonly unknown[] => Array.isArray(value));
}

/** A list of strings; one non-string element makes the whole list invalid. */
export function readStringArray(node: RawNode): Read<readonly string[]> {
  const list = readArray(node);
  if (list.kind !== 'value') return list;
  const index = list.value.findIndex((item) => typeof item !== 'string');
  if (index >= 0) {
    return invalid({ value: list.value[index], path: `${node.path}[${index}]` }, 'a string');
  }
  return {
    kind: 'value',
    value: list.value.filter((item): item is string => typeof item === 'string'),
    source: list.source,
  };
}

/**
 * An enum given by name or, as protobuf dumps do, by number. `names` maps the proto numbering;
 * a number it does not hold is invalid rather than guessed.
 */
export function readEnum(node: RawNode, names: Readonly<Record<number, string>>): Read<string> {
  if (typeof node.value === 'number') {
    const name = names[node.value];
    return name === undefined
      ? invalid(node, 'a known enum value')
      : { kind: 'value', value: name, source: sourceOf(node) };
  }
  return readString(node);
}

/** A non-empty string: absent, empty and wrong-typed all read as not set, for "is X configured" fields. */
export function nonEmptyString(read: Read<string>): string | undefined {
  return read.kind === 'value' && read.value !== '' ? read.value : undefined;
}

/**
 * A boolean whose absence has a documented meaning (proto3 JSON drops false; ARM omits API
 * defaults). A wrong type stays unknown: it must never read as compliant.
 */
export function booleanOr(read: Read<boolean>, whenAbsent: boolean): Observed<boolean> {
  switch (read.kind) {
    case 'value':
      return known(read.value, read.source);
    case 'absent':
      return known(whenAbsent, read.source);
    case 'invalid':
      return unknown(read.reason, read.source);
  }
}

/** A boolean that must be present: absence is unknown with `absentReason`. */
export function requiredBoolean(read: Read<boolean>, absentReason: string): Observed<boolean> {
  switch (read.kind) {
    case 'value':
      return known(read.value, read.source);
    case 'absent':
      return unknown(absentReason, read.source);
    case 'invalid':
      return unknown(read.reason, read.source);
  }
}

/** Own string-valued entries of a user map (tags, labels); other values are dropped, keys kept as they are. */
export function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isRawObject(value)) return {};
  const entries: [string, string][] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (typeof item === 'string') entries.push([key, item]);
  }
  // fromEntries defines own data properties, so a `__proto__` tag stays a tag, not a prototype.
  return Object.fromEntries(entries);
}

/**
 * A Kubernetes version field. Absent is unknown with `absentReason`; a string that does not parse
 * is unknown and names the raw value, so the report shows what the provider actually said.
 */
export function observeVersion(node: RawNode, absentReason: string): Observed<KubernetesVersion> {
  const read = readString(node);
  if (read.kind === 'absent') return unknown(absentReason, read.source);
  if (read.kind === 'invalid') return unknown(read.reason, read.source);
  const parsed = parseKubernetesVersion(read.value);
  return parsed
    ? known(parsed, read.source)
    : unknown(`${node.path} ${quoted(read.value)} is not a Kubernetes version`, read.source);
}

/** A timestamp as the SDK gives it (Date) or as JSON (epoch seconds, ISO string), as `YYYY-MM-DD`. */
export function dayOfTimestamp(value: unknown): string | undefined {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value * 1000)
        : // RFC 3339 only: V8 reads almost any string as some date ("0" as 2000-01-01), so a
          // corrupt timestamp would otherwise become a support date.
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)
          ? new Date(value)
          : undefined;
  return date !== undefined && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 10) : undefined;
}
