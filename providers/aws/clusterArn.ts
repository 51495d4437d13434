import { NormaliseError } from '../errors.js';
import { quoted, type RawNode, readString } from '../reader.js';

/** The parts of a cluster ARN: `arn:aws:eks:eu-west-1:111111111111:cluster/name`. */
export interface EksClusterArn {
  readonly partition: string;
  readonly region: string;
  /** Undefined when whoever exported the cluster masked the account (`**********`, `<account-id>`). */
  readonly accountId: string | undefined;
  readonly clusterName: string;
}

/** A cluster ARN read, or what is wrong with it, as a clause that follows the quoted ARN. */
export type EksClusterArnReading = { readonly arn: EksClusterArn } | { readonly malformed: string };

/** The scope of a cluster whose export masked the account id: the report shows it as such. */
export const REDACTED_ACCOUNT_SCOPE = 'redacted';

/** Longer than any real cluster ARN (cluster names stop at 100 characters), short enough for one line. */
const MAX_QUOTED_ARN = 200;

function quotedArn(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED_ARN ? `${text.slice(0, MAX_QUOTED_ARN)}…` : text);
}

const COMPLETE_ARN = 'arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME';
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: aws, aws-cn, aws-us-gov, …
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Same page: the account id is 12 digits, without hyphens.
const ACCOUNT_ID = /^\d{12}$/;
/** Digits partly masked (`********1234`, `1234XXXXXXXX`): the common way of sharing an export. */
const PARTLY_MASKED = /^[\d*xX#]*[*xX#][\d*xX#]*$/;

/**
 * A masked account segment: empty, without a single digit (`**********`, `XXXXXXXXXXXX`,
 * `<account-id>`), or digits partly masked. Anything else with digits is a typo, not a redaction.
 */
function isRedactedAccount(segment: string): boolean {
  return segment === '' || !/\d/.test(segment) || PARTLY_MASKED.test(segment);
}

function accountProblem(segment: string): string | undefined {
  if (ACCOUNT_ID.test(segment) || isRedactedAccount(segment)) return undefined;
  return /^\d+$/.test(segment)
    ? `has the account id ${quoted(segment)}, which is not 12 digits`
    : `has the account id ${quoted(segment)}, which is neither 12 digits nor a redaction`;
}

function regionProblem(region: string): string | undefined {
  if (region === '') return 'has no region';
  return REGION.test(region)
    ? undefined
    : `has the region ${quoted(region)}, which is not an AWS region code`;
}

function resourceProblem(resource: string): string | undefined {
  const type = /^[^/:]*/.exec(resource)?.[0] ?? '';
  if (type !== 'cluster') return `names a ${quoted(type)} resource, not a cluster`;
  return resource.length > 'cluster/'.length ? undefined : 'has no cluster name after "cluster/"';
}

/** Reads an EKS cluster ARN, accepting a masked account; says exactly what is wrong otherwise. */
export function parseEksClusterArn(text: string): EksClusterArnReading {
  if (!text.startsWith('arn:')) return { malformed: 'does not start with "arn:"' };
  const [, partition = '', service = '', region = '', account = '', ...rest] = text.split(':');
  if (rest.length === 0) return { malformed: `is not a complete ARN: expected ${COMPLETE_ARN}` };
  // A cluster name has no colon, but the resource part of an ARN may: keep it whole.
  const resource = rest.join(':');
  if (!PARTITION.test(partition)) {
    return { malformed: `has the partition ${quoted(partition)}, which is not an AWS partition` };
  }
  if (service !== 'eks')
    return { malformed: `is an ARN of the ${quoted(service)} service, not of an EKS cluster` };
  const malformed = regionProblem(region) ?? accountProblem(account) ?? resourceProblem(resource);
  if (malformed !== undefined) return { malformed };
  return {
    arn: {
      partition,
      region,
      accountId: ACCOUNT_ID.test(account) ? account : undefined,
      clusterName: resource.slice('cluster/'.length),
    },
  };
}

/**
 * The ARN of a DescribeCluster `cluster` node, as written, and its parts. Throws a NormaliseError
 * that says what is wrong: without an ARN the cluster has no id a report or a waiver can name.
 */
export function readClusterArn(
  arnNode: RawNode,
  context: { readonly cluster: string; readonly source: string },
): { readonly text: string; readonly parts: EksClusterArn } {
  const read = readString(arnNode);
  const where = { provider: 'eks', ...context };
  if (read.kind === 'absent' || (read.kind === 'value' && read.value === '')) {
    throw new NormaliseError(`EKS cluster ${quoted(context.cluster)} has no arn to identify it`, where);
  }
  if (read.kind === 'invalid') {
    throw new NormaliseError(`EKS cluster ${quoted(context.cluster)}: ${read.reason}`, where);
  }
  const parsed = parseEksClusterArn(read.value);
  if ('malformed' in parsed) {
    throw new NormaliseError(
      `EKS cluster ${quoted(context.cluster)}: its arn ${quotedArn(read.value)} ${parsed.malformed}`,
      where,
    );
  }
  return { text: read.value, parts: parsed.arn };
}
