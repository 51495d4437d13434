import { SinkConfigError } from './errors.js';

/** A bucket and the prefix (without leading or trailing slashes) a sink writes under. */
export interface BucketLocation {
  readonly bucket: string;
  /** `''` for the bucket's root. */
  readonly prefix: string;
}

/** What a prefix must not hold: keys under it would differ from what the user wrote, or break a header. */
function prefixProblem(prefix: string): string | undefined {
  const segments = prefix.split('/');
  if (segments.includes('')) return 'has an empty path segment (//) in its prefix';
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return 'has a . or .. segment in its prefix';
  }
  if (/[\r\n]/.test(prefix)) return 'has a line break in its prefix';
  return undefined;
}

/**
 * Parses `<scheme>://bucket/prefix` (S3, GCS); throws SinkConfigError naming what is wrong, with
 * the store's own bucket naming rule deciding the bucket.
 */
export function parseBucketUri(
  uri: string,
  store: {
    readonly scheme: 's3' | 'gs';
    /** `S3`, `GCS`: how messages name the store. */
    readonly name: string;
    readonly bucketProblem: (bucket: string) => string | undefined;
  },
): BucketLocation {
  const expected = `expected ${store.scheme}://bucket/prefix`;
  const match = new RegExp(`^${store.scheme}://([^/]*)(?:/(.*))?$`, 'is').exec(uri.trim());
  if (match === null) {
    const article = /^[AEFHILMNORSX]/.test(store.name) ? 'an' : 'a';
    throw new SinkConfigError(`${uri}: not ${article} ${store.name} URI; ${expected}`);
  }
  const [, bucket = '', rawPrefix = ''] = match;
  const prefix = rawPrefix.replace(/^\/+|\/+$/g, '');
  const problem =
    store.bucketProblem(bucket) ??
    (/[?#]/.test(uri) ? `has a query or fragment; ${expected}` : undefined) ??
    (prefix === '' ? undefined : prefixProblem(prefix));
  if (problem !== undefined) throw new SinkConfigError(`${uri}: the ${store.name} URI ${problem}`);
  return { bucket, prefix };
}
