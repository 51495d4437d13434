import { z } from 'zod';
import { SEVERITIES } from '../model/finding.js';
import { PROVIDERS } from '../model/posture.js';
import { REPORT_FORMATS } from '../model/report.js';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const NON_EMPTY = z.string().trim().min(1);

/**
 * The throughput and patience keys every live target shares, so `targets.eks|gke|aks` tune alike.
 * `scope` names one scope of that cloud; `retrying` says how calls are retried.
 */
function liveTuning(scope: string, retrying: string) {
  return {
    concurrency: z
      .strictObject({
        perScope: z
          .number()
          .int()
          .min(1)
          .max(64)
          .optional()
          .describe(`API calls in flight per ${scope}; default 8`),
        scopes: z
          .number()
          .int()
          .min(1)
          .max(32)
          .optional()
          .describe(`${scope} scopes read at once; default 4`),
      })
      .optional(),
    callTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(300)
      .optional()
      .describe('Limit for one API attempt; default 15'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe(`Attempts per call, the first included, ${retrying}; default 5`),
  };
}

const eksTarget = z
  .strictObject({
    regions: z
      .union([z.literal('all'), z.array(NON_EMPTY).min(1)])
      .optional()
      .describe('Regions to scan, or "all" enabled regions'),
    accounts: z
      .array(
        z.strictObject({
          id: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
          roleArn: z
            .string()
            .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN')
            .optional(),
          externalId: NON_EMPTY.optional(),
        }),
      )
      .optional()
      .describe("Accounts to scan; omitted: the caller's own account"),
    organization: z
      .strictObject({ roleName: NON_EMPTY })
      .optional()
      .describe('Discover accounts with AWS Organizations and assume this role in each'),
    ...liveTuning('(account, region)', 'with adaptive retry and jittered backoff'),
  })
  .refine((eks) => !(eks.accounts && eks.organization), {
    message: 'give either accounts or organization, not both',
  });

const gkeTarget = z
  .strictObject({
    projects: z.array(NON_EMPTY).min(1).optional(),
    organization: z
      .string()
      .regex(/^organizations\/\d+$/, 'expected organizations/<number>')
      .optional()
      .describe('Discover every active project below this organization, through its folders'),
    folder: z
      .string()
      .regex(/^folders\/\d+$/, 'expected folders/<number>')
      .optional()
      .describe('Discover every active project below this folder, through its sub-folders'),
    apiEndpoint: NON_EMPTY.optional().describe(
      'host[:port] of a private or regional endpoint; a loopback address is a local peer (plaintext gRPC, no credentials)',
    ),
    ...liveTuning('project', 'retrying UNAVAILABLE and RESOURCE_EXHAUSTED with backoff'),
  })
  .refine((gke) => !(gke.organization && gke.folder), {
    message: 'give either organization or folder, not both',
  });

const aksTarget = z
  .strictObject({
    subscriptions: z
      .array(z.string().regex(/^[0-9a-fA-F-]{36}$/, 'expected a subscription GUID'))
      .optional()
      .describe('Omitted: every subscription the identity can list'),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Resource Manager endpoint for sovereign clouds'),
    tenants: z
      .array(z.string().regex(/^[0-9a-fA-F-]{36}$/, 'expected a tenant GUID'))
      .min(1)
      .optional()
      .describe('With discovery: keep only subscriptions of these Entra tenants'),
    managementGroups: z
      .array(NON_EMPTY)
      .min(1)
      .optional()
      .describe('With discovery: keep only subscriptions below these management groups (ids)'),
    ...liveTuning('subscription', 'waiting out Retry-After on 429'),
  })
  .refine((aks) => !(aks.subscriptions && (aks.tenants || aks.managementGroups)), {
    message: 'tenants and managementGroups filter discovered subscriptions: give them without subscriptions',
  });

const selector = z
  .strictObject({
    id: NON_EMPTY.optional(),
    name: NON_EMPTY.optional().describe('Glob on the cluster name (* and ?)'),
    provider: z.enum(PROVIDERS).optional(),
    scope: NON_EMPTY.optional(),
    tag: z.record(z.string(), z.string()).optional().describe('Tags that must all match; values are globs'),
  })
  .refine((s) => Object.keys(s).length > 0, {
    message: 'a waiver must select clusters: give id, name, provider, scope or tag',
  });

const waiver = z.strictObject({
  check: NON_EMPTY,
  clusters: selector,
  reason: NON_EMPTY,
  owner: NON_EMPTY,
  expires: DAY.describe('Required; at most a year ahead'),
});

const settings = z.strictObject({
  maxMinorLag: z.number().int().min(0).max(10).optional(),
  eosWarningDays: z.number().int().min(0).max(730).optional(),
  minAuditRetentionDays: z.number().int().min(1).max(3650).optional(),
  maxClusterAdmins: z.number().int().min(0).max(100).optional(),
  maxNodeSkew: z.number().int().min(0).max(3).optional(),
  minPublicPrefix: z.number().int().min(0).max(32).optional(),
});

/**
 * A key kept for a feature that has not landed: any value is refused with `reason`, so a
 * configuration never silently relies on something kubeline does not do yet.
 */
function notAvailableYet(reason: string) {
  return z.never({ error: reason }).optional().describe(reason);
}

/** The whole `kubeline.config.yaml`. Every key is optional except what a chosen target needs. */
export const configSchema = z.strictObject({
  targets: z
    .strictObject({
      eks: eksTarget.optional(),
      gke: gkeTarget.optional(),
      aks: aksTarget.optional(),
      tls: z.strictObject({ caFile: NON_EMPTY.optional() }).optional(),
    })
    .optional(),
  checks: z
    .strictObject({
      settings: settings.optional(),
      disable: z.array(NON_EMPTY).optional(),
      severity: z.record(z.string(), z.enum(SEVERITIES)).optional(),
    })
    .optional(),
  waivers: z.array(waiver).optional(),
  output: z
    .strictObject({
      sinks: z.array(NON_EMPTY).min(1).optional(),
      formats: z.array(z.enum(REPORT_FORMATS)).min(1).optional(),
      s3: z
        .strictObject({
          /** SSE-KMS: the KMS key id or ARN every object is encrypted with; omitted, the bucket's default encryption applies. */
          kmsKeyId: NON_EMPTY.optional(),
        })
        .optional(),
      linkLifetimeDays: notAvailableYet(
        'signed report links are not available yet in this version of kubeline; remove the key',
      ),
    })
    .optional(),
  notify: notAvailableYet(
    'notifications are not available yet in this version of kubeline; remove the notify section (reports are written to output.sinks)',
  ),
});

/** A validated configuration. */
export type KubelineConfig = z.infer<typeof configSchema>;
