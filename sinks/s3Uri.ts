import { type BucketLocation, parseBucketUri } from './bucketUri.js';

/*
 * Apart from the S3 sink, so that what only needs to read an S3 URI (the Lambda functions'
 * settings) does not load the S3 client.
 */

/** A parsed `s3://bucket/prefix`. */
export type S3Location = BucketLocation;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

function bucketProblem(bucket: string): string | undefined {
  if (bucket === '') return 'names no bucket';
  if (!BUCKET_NAME.test(bucket)) {
    return `has an invalid bucket name "${bucket}" (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`;
  }
  if (bucket.includes('..')) return `has an invalid bucket name "${bucket}" (two adjacent dots)`;
  if (IP_ADDRESS.test(bucket)) return `has an invalid bucket name "${bucket}" (formatted as an IP address)`;
  return undefined;
}

/** Parses `s3://bucket/prefix`; throws SinkConfigError naming what is wrong with it. */
export function parseS3Uri(uri: string): S3Location {
  return parseBucketUri(uri, { scheme: 's3', name: 'S3', bucketProblem });
}
