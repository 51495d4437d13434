import { BENCHMARKS } from '../checks/frameworks/cis.js';
import {
  PROVIDER_MANAGED_CONTROLS,
  SHARED_RESPONSIBILITY_PAGES,
} from '../checks/frameworks/providerManaged.js';
import { CHECKS } from '../checks/registry.js';
import { checkSettingsFrom, waiversFrom } from '../config/domain.js';
import type { KubelineConfig } from '../config/schema.js';
import type { PipelineDeps } from '../engine/pipeline.js';
import type { PostureSource, ReportSink } from '../engine/ports.js';
import { SUPPORT_CALENDAR } from '../engine/versions/calendar.js';
import type { Provider } from '../model/posture.js';
import { loadSnapshots } from '../providers/snapshot/load.js';
import { fanOut } from '../sinks/fanOut.js';
import { FileSink } from '../sinks/file.js';
import { UsageError } from './errors.js';

/** Builds the sink for `--out` / `output.sinks`: a local folder, or a cloud URI. */
export function sinkFor(uri: string): ReportSink {
  if (uri.startsWith('file://')) return new FileSink(decodeURIComponent(new URL(uri).pathname));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1];
  if (scheme === undefined) return new FileSink(uri);
  if (['s3', 'gs', 'azblob'].includes(scheme)) {
    throw new UsageError(
      `--out ${scheme}:// is not available in this version of kubeline; write to a folder (./reports)`,
    );
  }
  throw new UsageError(
    `--out ${uri}: unsupported scheme ${scheme}:// (use a folder, file://, s3://, gs:// or azblob://)`,
  );
}

/** Reads exported cluster JSON (`--from`). */
export function snapshotSource(paths: readonly string[]): PostureSource {
  return {
    name: `snapshot ${paths.join(', ')}`,
    collect: () => loadSnapshots(paths),
  };
}

export interface ComposeOptions {
  readonly from: readonly string[];
  readonly providers: readonly Provider[];
  readonly out: string | undefined;
  readonly tool: { readonly name: string; readonly version: string };
}

/** The composition root of a CLI scan: config and flags in, pipeline dependencies out. */
export function composeScan(config: KubelineConfig, options: ComposeOptions): PipelineDeps {
  if (options.from.length === 0) {
    const wanted = options.providers.length > 0 ? options.providers.join(', ') : 'the configured targets';
    throw new UsageError(
      `live scanning (${wanted}) is not available in this version of kubeline; scan exported cluster JSON with --from PATH`,
    );
  }
  const [first = './reports', ...rest] =
    options.out !== undefined ? [options.out] : (config.output?.sinks ?? []);
  return {
    tool: options.tool,
    sources: [snapshotSource(options.from)],
    checks: CHECKS,
    settings: checkSettingsFrom(config),
    disabledChecks: new Set(config.checks?.disable ?? []),
    severityOverrides: config.checks?.severity ?? {},
    waivers: waiversFrom(config),
    support: SUPPORT_CALENDAR,
    benchmarks: BENCHMARKS,
    providerManaged: PROVIDER_MANAGED_CONTROLS,
    sharedResponsibilityPages: SHARED_RESPONSIBILITY_PAGES,
    sink: fanOut([sinkFor(first), ...rest.map(sinkFor)]),
    clock: () => new Date(),
  };
}
