import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonValue } from '../../../model/json.js';

/** One EKS version as a test gives it (dates `YYYY-MM-DD` or ISO 8601). */
export interface ClusterVersionEntry {
  readonly clusterVersion: string;
  readonly releaseDate: string;
  readonly endOfStandardSupportDate: string;
  readonly endOfExtendedSupportDate: string;
  readonly defaultVersion?: boolean;
  readonly defaultPlatformVersion?: string;
  readonly kubernetesPatchVersion?: string;
}

/** `ClusterVersionInformation` in the EKS wire format: timestamps are epoch seconds. A type, not an
 * interface, so that it is a JSON object to the type checker. */
export type ClusterVersionInformation = {
  readonly clusterVersion: string;
  readonly clusterType: 'eks';
  readonly defaultPlatformVersion?: string;
  readonly defaultVersion: boolean;
  readonly releaseDate: number;
  readonly endOfStandardSupportDate: number;
  readonly endOfExtendedSupportDate: number;
  readonly status: 'standard-support' | 'extended-support' | 'unsupported';
  readonly versionStatus: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';
  readonly kubernetesPatchVersion?: string;
};

/**
 * The day the recorded DescribeClusterVersions response describes: its `versionStatus` values are
 * those of this day, and the peer reports for it unless told another day.
 */
export const RECORDED_VERSIONS_DAY = '2026-11-29';

const RECORDED = new URL('../../fixtures/versions/eks-describe-cluster-versions.json', import.meta.url);

function text(entry: Readonly<Record<string, JsonValue>>, field: string): string {
  const value = entry[field];
  if (typeof value !== 'string') throw new Error(`${RECORDED.pathname}: ${field} is not a string`);
  return value;
}

function isoOfEpochSeconds(entry: Readonly<Record<string, JsonValue>>, field: string): string {
  const value = entry[field];
  if (typeof value !== 'number') throw new Error(`${RECORDED.pathname}: ${field} is not epoch seconds`);
  return new Date(value * 1000).toISOString();
}

/**
 * The versions of the recorded DescribeClusterVersions response (`includeAll`, newest first), the
 * peer's default data. Written from the documented response shape with dates a few days off
 * kubeline's bundled calendar, so a live scan and an export scan can disagree, as they may for real.
 */
export function recordedClusterVersions(): readonly ClusterVersionEntry[] {
  const response: unknown = JSON.parse(readFileSync(RECORDED, 'utf8'));
  const list = isJsonObject(response) ? response.clusterVersions : undefined;
  if (!Array.isArray(list)) throw new Error(`${RECORDED.pathname} has no clusterVersions list`);
  return list.map((entry) => {
    if (!isJsonObject(entry))
      throw new Error(`${RECORDED.pathname}: a clusterVersions entry is not an object`);
    return {
      clusterVersion: text(entry, 'clusterVersion'),
      releaseDate: isoOfEpochSeconds(entry, 'releaseDate'),
      endOfStandardSupportDate: isoOfEpochSeconds(entry, 'endOfStandardSupportDate'),
      endOfExtendedSupportDate: isoOfEpochSeconds(entry, 'endOfExtendedSupportDate'),
      defaultVersion: entry.defaultVersion === true,
      defaultPlatformVersion: text(entry, 'defaultPlatformVersion'),
      kubernetesPatchVersion: text(entry, 'kubernetesPatchVersion'),
    };
  });
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
  const flagged = released.some((version) => version.entry.defaultVersion === true);
  return released.map((version, index) => {
    const versionStatus =
      now < version.endOfStandardSupportDate
        ? 'STANDARD_SUPPORT'
        : now < version.endOfExtendedSupportDate
          ? 'EXTENDED_SUPPORT'
          : 'UNSUPPORTED';
    const { defaultPlatformVersion, kubernetesPatchVersion } = version.entry;
    return {
      clusterVersion: version.entry.clusterVersion,
      clusterType: 'eks',
      ...(defaultPlatformVersion === undefined ? {} : { defaultPlatformVersion }),
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
      ...(kubernetesPatchVersion === undefined ? {} : { kubernetesPatchVersion }),
    };
  });
}
