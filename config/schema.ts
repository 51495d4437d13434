import { z } from 'zod';
import { SEVERITIES } from '../model/finding.js';
import { PROVIDERS } from '../model/posture.js';
import { REPORT_FORMATS } from '../model/reportFormats.js';
import { isLoopbackHost } from '../providers/endpoint.js';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const NON_EMPTY = z.string().trim().min(1);
const SECRET_ARN = z
  .string()
  .regex(
    /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
    'expected the ARN of an AWS Secrets Manager secret',
  );

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
          .describe(
            `API calls in flight per ${scope} at the start; default 8. Set without maxPerScope it stays fixed, as before maxPerScope existed`,
          ),
        maxPerScope: z
          .number()
          .int()
          .min(1)
          .max(256)
          .optional()
          .describe(
            `The most API calls in flight per ${scope}: from perScope the number grows while calls are answered at the first attempt and halves when one is throttled or retried; default 64, or perScope when only that is set`,
          ),
        scopes: z
          .number()
          .int()
          .min(1)
          .max(32)
          .optional()
          .describe(`${scope} scopes read at once; default 4`),
      })
      .refine(
        (concurrency) =>
          concurrency.maxPerScope === undefined || concurrency.maxPerScope >= (concurrency.perScope ?? 8),
        { message: 'maxPerScope must be at least perScope (default 8)', path: ['maxPerScope'] },
      )
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
    credentialsFile: NON_EMPTY.optional().describe(
      'Google credential JSON (a workload identity federation configuration from gcloud iam workload-identity-pools create-cred-config, or a service account key), relative to the working directory; omitted: Application Default Credentials',
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
    servicePrincipal: z
      .strictObject({
        tenantId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'expected a tenant GUID'),
        clientId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'expected an application (client) GUID'),
        clientSecretArn: SECRET_ARN.describe(
          'Secrets Manager secret holding the client secret: the whole string, or a JSON object with a clientSecret or password key',
        ),
      })
      .optional()
      .describe('Sign in as this Entra service principal; omitted: DefaultAzureCredential'),
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
  clusterAdminAllow: z
    .array(
      z
        .string()
        .regex(
          /^(?:(?:User|Group):\S.*|ServiceAccount:[^/\s]+\/[^/\s]+)$/,
          'expected "User:<name>", "Group:<name>" or "ServiceAccount:<namespace>/<name>"',
        ),
    )
    .max(200)
    .optional()
    .describe(
      "RBAC-04: subjects allowed a cluster-admin binding besides system:masters and the provider's own",
    ),
  wildcardRoleAllow: z
    .array(NON_EMPTY)
    .max(200)
    .optional()
    .describe('RBAC-06: ClusterRoles allowed to use wildcards when bound to non-system subjects'),
});

const EMAIL = z.email('expected an email address');
const ENV_NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');
/** A line of a mail header: control characters (CR, LF) would let the value start a header of its own. */
const HEADER_TEXT = z
  .string()
  .trim()
  .min(1)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line without control characters');
/** Default of `notify.email.attachMaxBytes`: 5 MiB, which mail relays and inboxes accept. */
export const DEFAULT_ATTACH_MAX_BYTES = 5 * 1024 * 1024;
/**
 * SES v2 takes messages of up to 40 MB and base64 grows an attachment by a third; most relays
 * stop at 25 MB. 25 MiB of HTML is the largest attachment worth trying.
 */
const MAX_ATTACH_BYTES = 25 * 1024 * 1024;
/** S3 presigned URLs (SigV4), GCS V4-signed URLs and user-delegation SAS all end within 7 days. */
export const DEFAULT_LINK_LIFETIME_DAYS = 7;

const smtpSettings = z
  .strictObject({
    host: NON_EMPTY,
    port: z.number().int().min(1).max(65535),
    secure: z
      .enum(['tls', 'starttls', 'none'])
      .describe(
        'tls: implicit TLS (port 465); starttls: upgrade required (port 587); none: loopback hosts only',
      ),
    userEnv: ENV_NAME.optional().describe('Environment variable that holds the SMTP user name'),
    passwordEnv: ENV_NAME.optional().describe('Environment variable that holds the SMTP password'),
    passwordSecret: SECRET_ARN.optional().describe(
      'AWS Secrets Manager secret that holds the SMTP password (the whole string, or a JSON object with a password key)',
    ),
    password: z
      .never({ error: 'never write a password in the configuration: use passwordEnv or passwordSecret' })
      .optional()
      .describe('Not allowed: use passwordEnv or passwordSecret'),
    caFile: NON_EMPTY.optional().describe('PEM file of a private CA to trust besides the public ones'),
  })
  .refine((smtp) => smtp.secure !== 'none' || isLoopbackHost(smtp.host), {
    message:
      'secure: none sends mail and credentials in clear text: only for a loopback host; use tls or starttls',
    path: ['secure'],
  })
  .refine((smtp) => !(smtp.passwordEnv && smtp.passwordSecret), {
    message: 'give either passwordEnv or passwordSecret, not both',
  })
  .refine((smtp) => (smtp.userEnv === undefined) === (!smtp.passwordEnv && !smtp.passwordSecret), {
    message:
      'authentication needs both userEnv and a password (passwordEnv or passwordSecret); give both or neither',
  });

const ownerRouting = z
  .strictObject({
    tag: NON_EMPTY.describe('The cluster tag or label whose value names the owner (matched ignoring case)'),
    addresses: z
      .record(NON_EMPTY, z.union([EMAIL, z.array(EMAIL).min(1)]))
      .describe('Tag value → address or addresses; values are matched ignoring case'),
  })
  .refine(
    (owners) => {
      const values = Object.keys(owners.addresses).map((value) => value.toLowerCase());
      return new Set(values).size === values.length;
    },
    { message: 'two tag values differ only in case; values are matched ignoring case', path: ['addresses'] },
  );

const emailNotification = z
  .strictObject({
    transport: z.enum(['smtp', 'ses']),
    from: EMAIL,
    to: z.array(EMAIL).min(1).optional().describe('Receive one email per run, about every cluster'),
    subjectPrefix: HEADER_TEXT.optional().describe('Starts every subject; default "kubeline"'),
    attachMaxBytes: z
      .number()
      .int()
      .min(0)
      .max(MAX_ATTACH_BYTES)
      .optional()
      .describe('The HTML report is attached when at most this size; 0 never attaches; default 5 MiB'),
    smtp: smtpSettings.optional(),
    ses: z
      .strictObject({
        region: NON_EMPTY.optional().describe('Default: AWS_REGION'),
        configurationSet: NON_EMPTY.optional(),
      })
      .optional(),
    owners: ownerRouting
      .optional()
      .describe('Also email each owner, routed by a cluster tag, about their clusters only'),
  })
  .refine((email) => email.transport !== 'smtp' || email.smtp !== undefined, {
    message: 'transport smtp needs the smtp settings (host, port, secure)',
    path: ['smtp'],
  })
  .refine((email) => email.transport === 'smtp' || email.smtp === undefined, {
    message: 'smtp settings are only read with transport smtp',
    path: ['smtp'],
  })
  .refine((email) => email.transport === 'ses' || email.ses === undefined, {
    message: 'ses settings are only read with transport ses',
    path: ['ses'],
  })
  .refine((email) => email.to !== undefined || email.owners !== undefined, {
    message: 'nobody to email: give to, owners, or both',
  });

/** `inCluster`: the optional read-only pass through each cluster's Kubernetes API. */
const inClusterSettings = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe('Read each cluster through its Kubernetes API as well; default false'),
  kubeconfig: z
    .strictObject({
      file: NON_EMPTY.describe('The kubeconfig file; a leading ~/ is the home folder'),
      contexts: z
        .record(NON_EMPTY, NON_EMPTY)
        .describe('Cluster name → the context to read it with; other clusters use the cloud identity'),
    })
    .optional()
    .describe('Read some clusters with a kubeconfig context instead of the cloud identity'),
  skip: z
    .array(NON_EMPTY)
    .optional()
    .describe(
      'Globs on cluster names never read in-cluster (* and ?); the tag kubeline:in-cluster=skip does the same',
    ),
  concurrency: z.number().int().min(1).max(32).optional().describe('Clusters read at once; default 4'),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(900)
    .optional()
    .describe('Limit for the whole pass of one cluster; default 60'),
  nodesPerPool: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Kubelets sampled per node pool through the node proxy (configz); 0 reads none; default 3'),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(5000)
    .optional()
    .describe('`limit` of each list call, followed with `continue`; default 500'),
});

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
      html: z
        .strictObject({
          clusterPagesAbove: z
            .number()
            .int()
            .min(0)
            .optional()
            .describe(
              "Above this many clusters, report.html keeps the estate-wide sections and each cluster's findings move to clusters/<slug>.html; default 100",
            ),
        })
        .optional(),
      linkLifetimeDays: z
        .number()
        .int()
        .min(1)
        .max(7)
        .optional()
        .describe(
          'How long the report links in emails work (presigned, signed or SAS); default 7, the most all three clouds allow',
        ),
      pdf: z
        .strictObject({
          executablePath: NON_EMPTY.optional().describe(
            'The Chromium that prints report.pdf (--format pdf); default: KUBELINE_CHROMIUM, else /usr/bin/chromium, /usr/bin/chromium-browser or /usr/bin/google-chrome. Without one the PDF is skipped and the run goes on',
          ),
        })
        .optional(),
    })
    .optional(),
  notify: z.strictObject({ email: emailNotification.optional() }).optional(),
  inCluster: inClusterSettings.optional(),
});

/** A validated configuration. */
export type KubelineConfig = z.infer<typeof configSchema>;
