import type { Known, Observed } from '../../model/observed.js';
import { isUnknown } from '../../model/observed.js';
import type { ClusterPosture, LiveVersionSupport, Provider } from '../../model/posture.js';
import type { VersionSupportWindow } from '../../model/support.js';
import type { KubernetesVersion } from '../../model/version.js';
import { compareMinor, parseKubernetesVersion } from '../../model/version.js';
import type { EvalContext, Verdict } from '../types.js';
import { evidenceOf } from '../verdict.js';

/** A support window with its minor version parsed, so versions compare as numbers (1.30 is not 1.3). */
export interface ParsedWindow {
  readonly window: VersionSupportWindow;
  readonly version: KubernetesVersion;
}

/** The provider's support windows whose minor version parses, in the calendar's order. */
export function supportWindows(ctx: EvalContext, provider: Provider): ParsedWindow[] {
  return ctx.support.windows[provider].flatMap((window) => {
    const version = parseKubernetesVersion(window.minorVersion);
    return version ? [{ window, version }] : [];
  });
}

/** The support window of a version's minor, if the calendar lists it. */
export function supportWindowOf(
  ctx: EvalContext,
  provider: Provider,
  version: KubernetesVersion,
): VersionSupportWindow | undefined {
  return supportWindows(ctx, provider).find((entry) => compareMinor(entry.version, version) === 0)?.window;
}

const CALENDAR = 'the support calendar';

/** The support window a version check judges by, and where it came from. */
export interface ResolvedWindow {
  readonly window: VersionSupportWindow;
  /** What listed the window: the live API (`eks:DescribeClusterVersions`) or `the support calendar`. */
  readonly source: string;
  /**
   * Goes before the closing full stop of a message: names the live API the dates came from, or
   * why the calendar was used although live data was read. Empty for the calendar alone, whose
   * date every report prints.
   */
  readonly sourceNote: string;
  /** The observations besides the version that the dates rest on: the live data, when read. */
  readonly basis: readonly Observed<unknown>[];
}

/** The live support data of a cluster, when the provider's version API was read. */
export function liveSupport(cluster: ClusterPosture): Known<LiveVersionSupport> | undefined {
  const { versionSupport } = cluster;
  return isUnknown(versionSupport) ? undefined : versionSupport;
}

/**
 * The window of the cluster's minor: from the provider's live version API when it lists one
 * (its dates are the ones the provider acts on), else from the bundled calendar.
 */
export function resolveSupportWindow(
  ctx: EvalContext,
  cluster: ClusterPosture,
  version: KubernetesVersion,
): ResolvedWindow | undefined {
  const live = liveSupport(cluster);
  const liveWindow = live?.value.window;
  if (live && liveWindow && sameMinor(liveWindow.minorVersion, version)) {
    return {
      window: liveWindow,
      source: live.value.source,
      sourceNote: ` (per ${live.value.source})`,
      basis: [live],
    };
  }
  const calendarWindow = supportWindowOf(ctx, cluster.provider, version);
  if (!calendarWindow) return undefined;
  if (!live) return { window: calendarWindow, source: CALENDAR, sourceNote: '', basis: [] };
  return {
    window: calendarWindow,
    source: CALENDAR,
    sourceNote: ` (${live.value.source} gives no support dates for ${version.minorVersion}; dates from the support calendar dated ${ctx.support.calendarDate})`,
    basis: [live],
  };
}

function sameMinor(minorVersion: string, version: KubernetesVersion): boolean {
  const parsed = parseKubernetesVersion(minorVersion);
  return parsed !== undefined && compareMinor(parsed, version) === 0;
}

/** The verdict for a version neither the live data nor the calendar knows: never a pass. */
export function notInSupportData(
  ctx: EvalContext,
  cluster: ClusterPosture,
  version: Known<KubernetesVersion>,
): Verdict {
  const live = liveSupport(cluster);
  const calendar = `the support calendar dated ${ctx.support.calendarDate}`;
  return {
    status: 'unknown',
    message: live
      ? `Kubernetes ${version.value.minorVersion} is listed neither by ${live.value.source} nor in ${calendar}.`
      : `Kubernetes ${version.value.minorVersion} is not in ${calendar}.`,
    evidence: live ? evidenceOf(version, live) : evidenceOf(version),
  };
}
