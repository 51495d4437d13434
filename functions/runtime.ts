import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CHECKS } from '../checks/registry.js';
import { sinkFor } from '../cli/compose.js';
import { loadConfig, validateConfigReferences } from '../config/load.js';
import type { KubelineConfig } from '../config/schema.js';
import type { ReportSink } from '../engine/ports.js';
import { dayOf } from '../model/dates.js';
import { parseS3Uri } from '../sinks/s3Uri.js';

/*
 * What every kubeline function shares: the configuration in its bundle, the report bucket it
 * may write to, and Powertools' structured logs and CloudWatch metrics (EMF). Handlers stay
 * thin: parse the event, build these, call the pipeline's stages.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** The environment variable naming the report bucket, the one sink on Lambda. */
export const REPORT_URI_VARIABLE = 'KUBELINE_REPORT_URI';

/** What a handler is built from; tests pass their own environment, clock and telemetry. */
export interface FunctionOptions {
  readonly env: Env;
  readonly clock?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** Structured JSON logs: service, level, timestamp, message, and the keys a handler appends (run id, shard, scope). */
export function functionLogger(name: string): Logger {
  return new Logger({ serviceName: 'kubeline', persistentKeys: { function: name } });
}

/** CloudWatch metrics in the Embedded Metric Format, one namespace for every function. */
export function functionMetrics(name: string): Metrics {
  return new Metrics({
    namespace: 'kubeline',
    serviceName: 'kubeline',
    defaultDimensions: { function: name },
  });
}

export interface FunctionSettings {
  readonly config: KubelineConfig;
  /** Where the configuration came from, for messages. */
  readonly configSource: string;
  /** `s3://bucket/prefix`: reports and the fan-out's working files. */
  readonly reportUri: string;
  readonly bucket: string;
  /** Object keys in the bucket under the report URI's prefix. */
  readonly keyOf: (key: string) => string;
}

/**
 * Reads the configuration (KUBELINE_CONFIG, a file in the bundle) and the report bucket. The
 * functions may write to that bucket only, so `output.sinks` of the configuration is not used on
 * Lambda: the logger says so once instead of failing a run that works from the CLI.
 */
export async function functionSettings(
  env: Env,
  clock: () => Date,
  logger: Logger,
): Promise<FunctionSettings> {
  const reportUri = env[REPORT_URI_VARIABLE]?.trim();
  if (!reportUri)
    throw new Error(`${REPORT_URI_VARIABLE} is not set; it names the report bucket (s3://bucket/prefix)`);
  const { bucket, prefix } = parseS3Uri(reportUri);
  const loaded = await loadConfig(undefined, env);
  const source = loaded.source;
  const { config, notices } = validateConfigReferences(
    loaded.config,
    CHECKS.map((check) => check.id),
    dayOf(clock()),
    source,
  );
  for (const notice of notices) logger.warn(notice, { configSource: source });
  if (config.output?.sinks !== undefined) {
    logger.warn('output.sinks is not used on Lambda: runs are published to the stack report bucket only', {
      configSource: source,
      reportUri,
    });
  }
  return {
    config,
    configSource: source,
    reportUri,
    bucket,
    keyOf: (key) => (prefix === '' ? key : `${prefix}/${key}`),
  };
}

/** The report bucket as a sink. */
export function reportSink(settings: FunctionSettings, env: Env): Promise<ReportSink> {
  return sinkFor(settings.reportUri, { config: settings.config, env });
}

/**
 * One invocation: `keys` on every log line it writes, a failure logged with its message (never
 * the event) before it is rethrown for Lambda and the state machine, the metrics flushed as EMF
 * and the keys cleared for the next invocation on this container.
 */
export async function invocation<T>(
  telemetry: { readonly logger: Logger; readonly metrics: Metrics },
  keys: Readonly<Record<string, string | number>>,
  failure: string,
  work: () => Promise<T>,
): Promise<T> {
  telemetry.logger.appendKeys(keys);
  try {
    return await work();
  } catch (error) {
    telemetry.logger.error(failure, { error: describe(error) });
    throw error;
  } finally {
    telemetry.metrics.publishStoredMetrics();
    telemetry.logger.resetKeys();
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds a handler's dependencies on the first invocation and keeps them for the container's
 * life; a build that fails is tried again on the next invocation.
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
