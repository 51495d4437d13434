import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS } from '../checks/frameworks/cis.js';
import {
  PROVIDER_MANAGED_CONTROLS,
  SHARED_RESPONSIBILITY_PAGES,
} from '../checks/frameworks/providerManaged.js';
import { CHECKS } from '../checks/registry.js';
import { checkSettingsFrom, waiversFrom } from '../config/domain.js';
import type { KubelineConfig } from '../config/schema.js';
import type { PipelineDeps } from '../engine/pipeline.js';
import type { Notifier, PdfPrinter, PostureSource, ReportRenderer, ReportSink } from '../engine/ports.js';
import type { RenderRunIndex } from '../engine/publish.js';
import { SUPPORT_CALENDAR } from '../engine/versions/calendar.js';
import type { Framework } from '../model/finding.js';
import { PROVIDERS, type Provider } from '../model/posture.js';
import type { EksSource } from '../providers/aws/source.js';
import type { AksSource } from '../providers/azure/source.js';
import { isLoopbackEndpoint } from '../providers/endpoint.js';
import type { GcpClients } from '../providers/gcp/clients.js';
import type { GkeSource } from '../providers/gcp/source.js';
import type { CloudAccessOptions } from '../providers/kubernetes/access.js';
import { liveConcurrency } from '../providers/limit.js';
import { SinkConfigError } from '../sinks/errors.js';
import { FileSink } from '../sinks/file.js';
import { UsageError } from './errors.js';
import { benchmarkFor, limitToBenchmark, liveProvidersFor } from './frameworkView.js';

/*
 * Every cloud SDK, sink and notifier is imported with `import()` only when the run uses it: the
 * SDKs take seconds to load, and `kubeline checks`, a `--from` scan to a folder or an EKS-only
 * shard needs none of (or only one of) them. Only type imports of them stay static.
 */

/**
 * Where a run goes when a sink fails: the local disk, which Lambda offers only under /tmp. The
 * path is printed with the failure, and the files are those the sink would have received.
 */
export const FALLBACK_FOLDER = join(tmpdir(), 'kubeline-fallback');

/** What a sink URI needs besides itself: the configuration's sink options and the environment. */
export interface SinkContext {
  readonly config: KubelineConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the sink for `--out` / `output.sinks`: a local folder or `file://`, `s3://bucket/prefix`,
 * `gs://bucket/prefix`, `azblob://account/container/prefix` or a Blob service URL
 * (`https://<account>.blob.core.windows.net/<container>/<prefix>`).
 */
export async function sinkFor(
  uri: string,
  context: SinkContext = { config: {}, env: process.env },
): Promise<ReportSink> {
  if (uri.startsWith('file://')) return new FileSink(decodeURIComponent(new URL(uri).pathname));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return new FileSink(uri);
  try {
    switch (scheme) {
      case 's3': {
        const kmsKeyId = context.config.output?.s3?.kmsKeyId;
        const { createS3Sink } = await import('../sinks/s3.js');
        return createS3Sink(uri, { env: context.env, ...(kmsKeyId ? { kmsKeyId } : {}) });
      }
      case 'gs': {
        const { createGcsSink } = await import('../sinks/gcs.js');
        return createGcsSink(uri, { env: context.env });
      }
      case 'azblob':
      case 'https':
      case 'http': {
        const { createAzureBlobSink } = await import('../sinks/azureBlob.js');
        return createAzureBlobSink(uri);
      }
    }
  } catch (error) {
    // Each sink names the URI (without any query) at the start of its message.
    if (error instanceof SinkConfigError) throw new UsageError(`--out ${error.message}`);
    throw error;
  }
  throw new UsageError(
    `--out ${redactQuery(uri)}: unsupported scheme ${scheme}:// (use a folder, file://, s3://, gs:// or azblob://)`,
  );
}

/** A URI as it may be printed: without a query string, which could hold a SAS token. */
function redactQuery(uri: string): string {
  const query = uri.indexOf('?');
  return query < 0 ? uri : `${uri.slice(0, query)}?…`;
}

/**
 * Reads exported cluster JSON (`--from`). The loader, which brings every provider's normaliser, is
 * imported when reading starts: a live scan without `--from` never loads it.
 */
export function snapshotSource(paths: readonly string[]): PostureSource {
  return {
    name: `snapshot ${paths.join(', ')}`,
    collect: async () => {
      const { loadSnapshots } = await import('../providers/snapshot/load.js');
      return loadSnapshots(paths);
    },
  };
}

/** Flags of the command line that shape the live sources. */
export interface LiveFlags {
  /** false with `--no-in-cluster`: the in-cluster pass skips every cluster. */
  readonly inCluster?: boolean;
}

export interface ComposeOptions extends LiveFlags {
  readonly from: readonly string[];
  readonly providers: readonly Provider[];
  readonly out: string | undefined;
  readonly tool: { readonly name: string; readonly version: string };
  /** The environment: AWS_ENDPOINT_URL, AWS_REGION and the SDKs' own credential variables. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `scan --framework`: only this benchmark's provider and the checks its controls map. */
  readonly framework?: Framework;
  /**
   * Start reading the sources as soon as the sinks and notifiers are built (readingStarted), so
   * that the first cloud requests go out while the renderers load, not after. The CLI's scan.
   */
  readonly readEarly?: boolean;
}

type KubernetesAccessModule = typeof import('../providers/kubernetes/access.js');

/** How a live source's clusters are entered: token sources, and where CAs missing from descriptions come from. */
type CloudCredentials = Pick<CloudAccessOptions, 'tokens' | 'caFor'>;

/**
 * A live source with the in-cluster pass around it when `inCluster.enabled`, authenticating with
 * what `credentials` builds. Every builder wraps its own source, so the fan-out's shards, which
 * build sources with these same functions, run the pass too.
 */
async function withInClusterPassFor<S extends PostureSource>(
  source: S,
  config: KubelineConfig,
  flags: LiveFlags,
  credentials: (access: KubernetesAccessModule) => Promise<CloudCredentials>,
): Promise<S> {
  const settings = config.inCluster;
  if (settings?.enabled !== true) return source;
  const [access, { withInClusterPass, IN_CLUSTER_DEFAULTS }] = await Promise.all([
    import('../providers/kubernetes/access.js'),
    import('../providers/kubernetes/pass.js'),
  ]);
  return withInClusterPass(source, {
    access: access.cloudAccess({
      ...(await credentials(access)),
      ...(settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {}),
    }),
    concurrency: settings.concurrency ?? IN_CLUSTER_DEFAULTS.concurrency,
    timeoutMs: (settings.timeoutSeconds ?? IN_CLUSTER_DEFAULTS.timeoutSeconds) * 1000,
    nodesPerPool: settings.nodesPerPool ?? IN_CLUSTER_DEFAULTS.nodesPerPool,
    pageSize: settings.pageSize ?? IN_CLUSTER_DEFAULTS.pageSize,
    skip: settings.skip ?? [],
    ...(flags.inCluster === false ? { skipAll: '--no-in-cluster' } : {}),
  });
}

/** Credentials kubeline presents to a local API peer: never real ones, whatever the environment holds. */
const LOCAL_PEER_CREDENTIALS = { accessKeyId: 'kubeline-local-peer', secretAccessKey: 'kubeline-local-peer' };

/** The live EKS source from `targets.eks`, the SDK's credential chain and `AWS_ENDPOINT_URL`. */
export async function eksSourceFor(
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>>,
  flags: LiveFlags = {},
): Promise<EksSource> {
  const [{ fromNodeProviderChain }, { AwsClientFactory }, { eksSource }] = await Promise.all([
    import('@aws-sdk/credential-providers'),
    import('../providers/aws/clients.js'),
    import('../providers/aws/source.js'),
  ]);
  const target = config.targets?.eks ?? {};
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  const factory = new AwsClientFactory({
    maxAttempts: target.maxAttempts ?? 5,
    callTimeoutMs: (target.callTimeoutSeconds ?? 15) * 1000,
    ...(endpoint ? { endpoint } : {}),
  });
  const source = eksSource({
    targets: {
      ...(target.regions ? { regions: target.regions } : {}),
      ...(target.accounts
        ? {
            accounts: target.accounts.map((account) => ({
              id: account.id,
              ...(account.roleArn ? { roleArn: account.roleArn } : {}),
              ...(account.externalId ? { externalId: account.externalId } : {}),
            })),
          }
        : {}),
      ...(target.organization ? { organization: target.organization } : {}),
    },
    factory,
    baseCredentials: isLoopbackEndpoint(endpoint) ? LOCAL_PEER_CREDENTIALS : fromNodeProviderChain(),
    homeRegion: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    concurrency: liveConcurrency(target.concurrency),
  });
  // Signed with the keys of the account the cluster was read in: against a local peer, the peer's keys.
  return withInClusterPassFor(source, config, flags, async (access) => ({
    tokens: {
      eks: access.eksTokenSource(
        (accountId) => source.credentialsFor(accountId),
        () => new Date(),
      ),
    },
  }));
}

/** The extra CA of `targets.tls.caFile`, for endpoints behind an inspecting proxy or a local peer. */
function extraCa(config: KubelineConfig): string | undefined {
  const caFile = config.targets?.tls?.caFile;
  if (caFile === undefined) return undefined;
  try {
    return readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new UsageError(
      `targets.tls.caFile ${caFile}: cannot read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The live AKS source from `targets.aks`: the service principal of `servicePrincipal` (its secret
 * in Secrets Manager), else DefaultAzureCredential, or a dummy token for a local peer on a
 * loopback endpoint (providers/azure/credential.ts).
 */
export async function aksSourceFor(
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
  flags: LiveFlags = {},
): Promise<AksSource> {
  const target = config.targets?.aks ?? {};
  const endpoint = target.endpoint;
  const ca = extraCa(config);
  const [{ azureCredentialFor }, { AzureClientFactory }, { aksSource }] = await Promise.all([
    import('../providers/azure/credential.js'),
    import('../providers/azure/clients.js'),
    import('../providers/azure/source.js'),
  ]);
  const credential = azureCredentialFor({ endpoint, servicePrincipal: target.servicePrincipal, ca }, { env });
  const factory = new AzureClientFactory(
    {
      // The Azure SDK counts retries after the first attempt; the configuration counts attempts, as for EKS and GKE.
      maxRetries: (target.maxAttempts ?? 5) - 1,
      callTimeoutMs: (target.callTimeoutSeconds ?? 15) * 1000,
      ...(endpoint ? { endpoint } : {}),
      ...(ca === undefined ? {} : { ca }),
    },
    credential,
  );
  const source = aksSource({
    targets: {
      ...(target.subscriptions ? { subscriptions: target.subscriptions } : {}),
      ...(target.tenants ? { tenants: target.tenants } : {}),
      ...(target.managementGroups ? { managementGroups: target.managementGroups } : {}),
    },
    factory,
    concurrency: liveConcurrency(target.concurrency),
  });
  // The same credential as the ARM calls. Against a local peer it is the fixed local-peer token,
  // unless a service principal signs in at a loopback authority (azureCredentialFor): then the
  // token is the one that local Entra issues for the AKS AAD server application.
  return withInClusterPassFor(source, config, flags, async (access) => {
    const { aksCaSource } = await import('../providers/azure/clusterCa.js');
    return { tokens: { aks: access.aksTokenSource(credential) }, caFor: { aks: aksCaSource(factory) } };
  });
}

/**
 * The live GKE source from `targets.gke`: Application Default Credentials against Google, or no
 * credentials and plaintext gRPC against a local peer on a loopback `apiEndpoint`.
 */
export async function gkeSourceFor(config: KubelineConfig, flags: LiveFlags = {}): Promise<GkeSource> {
  const target = config.targets?.gke ?? {};
  if (!target.projects && !target.organization && !target.folder) {
    // Application Default Credentials name no project to scan, unlike AWS's own account.
    throw new UsageError('targets.gke needs projects, an organization or a folder to scan GKE live');
  }
  const [{ createGcpClients, GcpCredentialsError, readGoogleCredentials }, { gkeSource }] = await Promise.all(
    [import('../providers/gcp/clients.js'), import('../providers/gcp/source.js')],
  );
  let clients: GcpClients;
  try {
    clients = createGcpClients({
      maxAttempts: target.maxAttempts ?? 5,
      callTimeoutMs: (target.callTimeoutSeconds ?? 15) * 1000,
      ...(target.apiEndpoint ? { apiEndpoint: target.apiEndpoint } : {}),
      ...(target.credentialsFile ? { credentialsFile: target.credentialsFile } : {}),
    });
  } catch (error) {
    if (error instanceof GcpCredentialsError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const source = gkeSource({
    targets: {
      ...(target.projects ? { projects: target.projects } : {}),
      ...(target.organization ? { organization: target.organization } : {}),
      ...(target.folder ? { folder: target.folder } : {}),
    },
    clients,
    concurrency: liveConcurrency(target.concurrency),
  });
  return withInClusterPassFor(source, config, flags, async (access) => {
    const credentials = target.credentialsFile ? readGoogleCredentials(target.credentialsFile) : undefined;
    // A local GKE peer gets no Google credentials, so neither does the Kubernetes peer beside it:
    // it gets the fixed local-peer token, unless the credential file gets its tokens from loopback
    // endpoints only (a local STS), whose token is as local as the peer.
    const local = credentials !== undefined && access.isLocalGoogleCredential(credentials);
    if (isLoopbackEndpoint(target.apiEndpoint) && !local) {
      return { tokens: { gke: access.localPeerTokenSource() } };
    }
    const { GoogleAuth } = await import('../providers/gcp/googleAuthSdk.js');
    const auth = new GoogleAuth({
      scopes: [access.GOOGLE_CLOUD_PLATFORM_SCOPE],
      ...(credentials ? { credentials } : {}),
    });
    return { tokens: { gke: access.gkeTokenSource(auth) } };
  });
}

/** Providers to scan live: `--provider`, else (without `--from`) every configured target. */
function liveProviders(config: KubelineConfig, options: ComposeOptions): readonly Provider[] {
  if (options.providers.length > 0) return options.providers;
  if (options.from.length > 0) return [];
  return PROVIDERS.filter((provider) => config.targets?.[provider] !== undefined);
}

/** The live sources of `live`, each built only with the SDK of its own cloud. */
async function liveSources(
  live: readonly Provider[],
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>>,
  flags: LiveFlags,
): Promise<PostureSource[]> {
  const sources: PostureSource[] = [];
  // One after another, so that a bad target is reported the same way on every run.
  if (live.includes('eks')) sources.push(await eksSourceFor(config, env, flags));
  if (live.includes('gke')) sources.push(await gkeSourceFor(config, flags));
  if (live.includes('aks')) sources.push(await aksSourceFor(config, env, flags));
  return sources;
}

/** The notifiers of `notify.email`; without it, no mail library and no SES client is loaded. */
async function notifiersFor(
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Notifier[]> {
  if (config.notify?.email === undefined) return [];
  const { notifiersFrom } = await import('../notifiers/index.js');
  return notifiersFrom(config, env);
}

/**
 * The report renderer, imported when a pipeline is composed rather than with this module: the
 * Lambdas that only plan, scan a shard or serve the API import this module for its sinks and
 * sources, and load neither Handlebars nor the templates.
 */
async function reportRenderer(): Promise<ReportRenderer> {
  const { renderReport } = await import('../report/render.js');
  return renderReport;
}

/**
 * The renderer of each sink's `index.html`, imported when a pipeline is composed, for the same
 * reason as the report renderer.
 */
async function runIndexRenderer(): Promise<RenderRunIndex> {
  const { renderRunIndex } = await import('../report/runIndex.js');
  return (entries, latest) => renderRunIndex(entries, latest);
}

/**
 * The PDF printer: the Chromium of `output.pdf.executablePath`, else of `KUBELINE_CHROMIUM` in
 * `env`, else Debian's. report/pdf.ts and playwright-core are imported only when a run prints a
 * PDF, so no other run pays for them.
 */
export function pdfPrinter(
  config: KubelineConfig,
  env: Readonly<Record<string, string | undefined>>,
): PdfPrinter {
  const executablePath = config.output?.pdf?.executablePath;
  return async (html) => {
    const { renderPdf } = await import('../report/pdf.js');
    return renderPdf(html, { env, ...(executablePath ? { executablePath } : {}) });
  };
}

/**
 * The composition root of a CLI scan: config and flags in, pipeline dependencies out. Every
 * configuration error (a bad sink URI, a GKE target without projects) is thrown here, before
 * anything is read.
 */
export async function composeScan(config: KubelineConfig, options: ComposeOptions): Promise<PipelineDeps> {
  const benchmark = options.framework === undefined ? undefined : benchmarkFor(options.framework);
  const configured = liveProviders(config, options);
  const live = benchmark ? liveProvidersFor(benchmark, configured, options.providers.length > 0) : configured;
  if (live.length === 0 && options.from.length === 0) {
    throw new UsageError(
      benchmark
        ? `nothing to scan for --framework ${benchmark.framework}: give --from PATH, --provider ${benchmark.provider}, or targets.${benchmark.provider} in the configuration`
        : 'nothing to scan: give --from PATH, --provider eks,gke,aks, or targets in the configuration',
    );
  }
  const sources: PostureSource[] = [
    ...(options.from.length > 0 ? [snapshotSource(options.from)] : []),
    ...(await liveSources(live, config, options.env ?? {}, options)),
  ];
  const deps = await composePipeline(config, sources, options);
  return benchmark ? limitToBenchmark(deps, benchmark) : deps;
}

/**
 * The sources with their reading started now, each read once, whoever asks: the pipeline's
 * collect gets the reading already under way. Only for a run that will go on to collect (a source
 * started and never collected would read for nothing).
 */
export function readingStarted(sources: readonly PostureSource[]): PostureSource[] {
  return sources.map((source) => {
    const reading = source.collect();
    // The pipeline awaits it; until then a rejection is not an unhandled one.
    reading.catch(() => undefined);
    const close = source.close?.bind(source);
    return { name: source.name, collect: () => reading, ...(close ? { close } : {}) };
  });
}

/**
 * Everything the pipeline needs besides what it reads: checks and policy from the configuration,
 * the sinks of `out` (else `output.sinks`), the notifiers. The fan-out's `finalize` hands it the
 * shards' stored results as its one source.
 */
export async function composePipeline(
  config: KubelineConfig,
  sources: readonly PostureSource[],
  options: Pick<ComposeOptions, 'out' | 'tool' | 'env' | 'readEarly'>,
): Promise<PipelineDeps> {
  const sinkContext: SinkContext = { config, env: options.env ?? process.env };
  const [first = './reports', ...rest] =
    options.out !== undefined ? [options.out] : (config.output?.sinks ?? []);
  const sinks: [ReportSink, ...ReportSink[]] = [await sinkFor(first, sinkContext)];
  for (const uri of rest) sinks.push(await sinkFor(uri, sinkContext));
  const notifiers = await notifiersFor(config, options.env ?? process.env);
  // Everything that can be misconfigured is built by now; what follows only loads modules.
  const reading = options.readEarly === true ? readingStarted(sources) : sources;
  return {
    tool: options.tool,
    sources: reading,
    checks: CHECKS,
    settings: checkSettingsFrom(config),
    disabledChecks: new Set(config.checks?.disable ?? []),
    severityOverrides: config.checks?.severity ?? {},
    waivers: waiversFrom(config),
    support: SUPPORT_CALENDAR,
    benchmarks: BENCHMARKS,
    providerManaged: PROVIDER_MANAGED_CONTROLS,
    sharedResponsibilityPages: SHARED_RESPONSIBILITY_PAGES,
    sinks,
    fallback: new FileSink(FALLBACK_FOLDER),
    notifiers,
    render: await reportRenderer(),
    ...(config.output?.html?.clusterPagesAbove === undefined
      ? {}
      : { clusterPagesAbove: config.output.html.clusterPagesAbove }),
    pdf: pdfPrinter(config, options.env ?? process.env),
    renderIndex: await runIndexRenderer(),
    clock: () => new Date(),
  };
}
