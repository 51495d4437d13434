import type { Known, Observed } from '../../model/observed.js';
import { isUnknown, known } from '../../model/observed.js';
import type { ClusterPosture, LiveVersionSupport, Provider } from '../../model/posture.js';
import type { VersionSupportWindow } from '../../model/support.js';
import type { KubernetesVersion } from '../../model/version.js';
import { compareMinor, parseKubernetesVersion } from '../../model/version.js';
import type { EvalContext, Verdict } from '../types.js';
import { evidenceOf } from './verdict.js';

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

/** A calendar window as evidence: the dates a verdict judged by, under the calendar's name. */
function calendarEntry(provider: Provider, window: VersionSupportWindow): Known<VersionSupportWindow> {
  return known(window, {
    path: `supportCalendar.${provider}[${window.minorVersion}]`,
    value: {
      endOfStandardSupport: window.endOfStandardSupport,
      endOfExtendedSupport: window.endOfExtendedSupport,
    },
  });
}

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
  /** The observations besides the version that the dates rest on: the live data when read, the calendar entry when used. */
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
  const entry = calendarEntry(cluster.provider, calendarWindow);
  if (!live) return { window: calendarWindow, source: CALENDAR, sourceNote: '', basis: [entry] };
  return {
    window: calendarWindow,
    source: CALENDAR,
    sourceNote: ` (${live.value.source} gives no support dates for ${version.minorVersion}; dates from the support calendar dated ${ctx.support.calendarDate})`,
    basis: [live, entry],
  };
}

/** The calendar's oldest minor, when the cluster's minor is older still and no live data lists it. */
export interface PredatingWindow {
  readonly oldest: VersionSupportWindow;
  /** The live data when read, and the oldest calendar entry. */
  readonly basis: readonly Observed<unknown>[];
}

/**
 * The calendar's oldest window when `version` is older than every minor the calendar lists: such a
 * minor is past every support window (CHECKS.md, Versions), not unknown. Undefined otherwise,
 * including for a minor newer than the calendar, which stays unknown.
 */
export function predatingSupportData(
  ctx: EvalContext,
  cluster: ClusterPosture,
  version: KubernetesVersion,
): PredatingWindow | undefined {
  const oldest = supportWindows(ctx, cluster.provider).reduce<ParsedWindow | undefined>(
    (found, entry) => (found === undefined || compareMinor(entry.version, found.version) < 0 ? entry : found),
    undefined,
  );
  if (oldest === undefined || compareMinor(version, oldest.version) >= 0) return undefined;
  const live = liveSupport(cluster);
  const entry = calendarEntry(cluster.provider, oldest.window);
  return { oldest: oldest.window, basis: live ? [live, entry] : [entry] };
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

/** How a verdict names a minor older than the calendar: `Kubernetes 1.17 is older than 1.18, …`. */
export function olderThanCalendar(
  ctx: EvalContext,
  version: KubernetesVersion,
  oldest: VersionSupportWindow,
): string {
  return `Kubernetes ${version.minorVersion} is older than ${oldest.minorVersion}, the oldest minor in the support calendar dated ${ctx.support.calendarDate}`;
}
