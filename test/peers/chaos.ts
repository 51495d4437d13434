/**
 * Random faults for the test peers (the fault suite, test/faults/): which fault a request gets is
 * drawn from a seeded PRNG, so a failing run can be replayed from the seed it printed.
 */

/** The faults every peer can inject per request, each in its own cloud's form. */
export const CHAOS_KINDS = [
  'throttle',
  'server-error',
  'reset',
  'slow',
  'truncated',
  'type-confused',
] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

/** The share of requests (0..1) that get each fault; the rest are answered normally. */
export type ChaosMix = Readonly<Partial<Record<ChaosKind, number>>>;

/** A seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Draws the fault of one request from a mix: undefined means answer it normally. */
export function drawFault(mix: ChaosMix, random: () => number): ChaosKind | undefined {
  const total = CHAOS_KINDS.reduce((sum, kind) => sum + (mix[kind] ?? 0), 0);
  if (total > 1) throw new RangeError(`fault rates add up to ${total}, more than every request`);
  let draw = random();
  for (const kind of CHAOS_KINDS) {
    draw -= mix[kind] ?? 0;
    if (draw < 0) return kind;
  }
  return undefined;
}

/**
 * A per-request decision hook a peer calls once for every request it serves, with a description
 * of the request; it answers the fault to inject, if any.
 */
export type ChaosHook<Call> = (call: Call) => ChaosKind | undefined;

/** The first half of a body: a JSON document or protobuf message cut mid-way. */
export function truncated(body: Buffer): Buffer {
  return body.subarray(0, Math.floor(body.length / 2));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One JSON value of the wrong type for `value`: names become numbers, flags lists, lists objects. */
function wrongType(value: Json): Json {
  if (typeof value === 'string') return 5;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return [];
  if (Array.isArray(value)) return {};
  if (value === null) return {};
  return [];
}

/**
 * A valid JSON document of the same outline whose values have the wrong types, e.g.
 * `{"cluster": {"name": 5, "endpoint": []}}`: each scalar or empty container is swapped with
 * probability one half; when the draw swaps nothing, the whole document is swapped.
 */
export function typeConfusedJson(value: Json, random: () => number): Json {
  let changed = false;
  const walk = (node: Json): Json => {
    const isContainer = typeof node === 'object' && node !== null;
    const empty = isContainer && Object.keys(node).length === 0;
    if (!isContainer || empty) {
      if (random() < 0.5) {
        changed = true;
        return wrongType(node);
      }
      return node;
    }
    if (Array.isArray(node)) return node.map(walk);
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
  };
  const confused = walk(value);
  return changed ? confused : wrongType(value);
}

/** typeConfusedJson over a body; a body that is not JSON is returned as it is, with `changed` false. */
export function typeConfusedBody(body: Buffer, random: () => number): { body: Buffer; changed: boolean } {
  let parsed: Json;
  try {
    parsed = JSON.parse(body.toString('utf8')) as Json;
  } catch {
    return { body, changed: false };
  }
  return { body: Buffer.from(JSON.stringify(typeConfusedJson(parsed, random))), changed: true };
}

const XML_LEAF = />([^<>]+)<\//g;

/**
 * An XML answer (EC2, STS, IAM) whose element values have the wrong types: each value is swapped,
 * with probability one half, for a nested element (a list where a scalar belongs), a flag for a
 * number or a number for a flag or name; when the draw swaps nothing, the first value is.
 */
export function typeConfusedXml(body: Buffer, random: () => number): { body: Buffer; changed: boolean } {
  let changed = false;
  const swap = (text: string): string => {
    changed = true;
    if (text === 'true' || text === 'false') return '<member>5</member>';
    if (/^-?\d+(\.\d+)?$/.test(text)) return 'true';
    return '<member><item>5</item></member>';
  };
  let text = body
    .toString('utf8')
    .replace(XML_LEAF, (whole, leaf: string) => (random() < 0.5 ? `>${swap(leaf)}</` : whole));
  if (!changed) text = text.replace(/>([^<>]+)<\//, (_whole, leaf: string) => `>${swap(leaf)}</`);
  return { body: Buffer.from(text, 'utf8'), changed };
}
