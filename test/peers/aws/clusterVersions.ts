import { SUPPORT_CALENDAR } from '../../../engine/versions/calendar.js';

/** One EKS version as a test gives it (dates `YYYY-MM-DD` or ISO 8601). */
export interface ClusterVersionEntry {
  readonly clusterVersion: string;
  readonly releaseDate: string;
  readonly endOfStandardSupportDate: string;
  readonly endOfExtendedSupportDate: string;
  readonly defaultVersion?: boolean;
}

/** `ClusterVersionInformation` in the EKS wire format: timestamps are epoch seconds. A type, not an
 * interface, so that it is a JSON object to the type checker. */
export type ClusterVersionInformation = {
  readonly clusterVersion: string;
  readonly clusterType: 'eks';
  readonly defaultVersion: boolean;
  readonly releaseDate: number;
  readonly endOfStandardSupportDate: number;
  readonly endOfExtendedSupportDate: number;
  readonly status: 'standard-support' | 'extended-support' | 'unsupported';
  readonly versionStatus: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';
};

/**
 * kubeline's bundled EKS calendar as DescribeClusterVersions entries. Versions from before EKS
 * extended support (1.18 to 1.20) left support at the end of standard support.
 */
export function calendarVersions(): readonly ClusterVersionEntry[] {
  return SUPPORT_CALENDAR.windows.eks.map((window) => ({
    clusterVersion: window.minorVersion,
    releaseDate: window.releaseDate,
    endOfStandardSupportDate: window.endOfStandardSupport,
    endOfExtendedSupportDate: window.endOfExtendedSupport ?? window.endOfStandardSupport,
  }));
}

function epochSeconds(date: string, field: string, version: string): number {
  const millis = Date.parse(date);
  if (Number.isNaN(millis)) throw new Error(`cluster version ${version}: ${field} "${date}" is not a date`);
  return Math.floor(millis / 1000);
}

/** Orders "1.9" before "1.10": versions are compared by their numbers, not as text. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The versions released by `asOfDay` (`YYYY-MM-DD`), newest first, with their support status on
 * that day. Unless an entry says which version is the default, the newest release is.
 */
export function versionsAsOf(
  entries: readonly ClusterVersionEntry[],
  asOfDay: string,
): readonly ClusterVersionInformation[] {
  const now = epochSeconds(asOfDay, 'as-of day', '(peer)');
  const released = entries
    .map((entry) => ({
      entry,
      releaseDate: epochSeconds(entry.releaseDate, 'releaseDate', entry.clusterVersion),
      endOfStandardSupportDate: epochSeconds(
        entry.endOfStandardSupportDate,
        'endOfStandardSupportDate',
        entry.clusterVersion,
      ),
      endOfExtendedSupportDate: epochSeconds(
        entry.endOfExtendedSupportDate,
        'endOfExtendedSupportDate',
        entry.clusterVersion,
      ),
    }))
    .filter((version) => version.releaseDate <= now)
    .sort((a, b) => compareVersions(b.entry.clusterVersion, a.entry.clusterVersion));
  const flagged = released.some((version) => version.entry.defaultVersion !== undefined);
  return released.map((version, index) => {
    const versionStatus =
      now < version.endOfStandardSupportDate
        ? 'STANDARD_SUPPORT'
        : now < version.endOfExtendedSupportDate
          ? 'EXTENDED_SUPPORT'
          : 'UNSUPPORTED';
    return {
      clusterVersion: version.entry.clusterVersion,
      clusterType: 'eks',
      defaultVersion: flagged ? version.entry.defaultVersion === true : index === 0,
      releaseDate: version.releaseDate,
      endOfStandardSupportDate: version.endOfStandardSupportDate,
      endOfExtendedSupportDate: version.endOfExtendedSupportDate,
      status:
        versionStatus === 'STANDARD_SUPPORT'
          ? 'standard-support'
          : versionStatus === 'EXTENDED_SUPPORT'
            ? 'extended-support'
            : 'unsupported',
      versionStatus,
    };
  });
}
