import { isJsonObject } from '../../../model/json.js';
import type { SourceField } from '../../../model/observed.js';
import type { Provider } from '../../../model/posture.js';
import { isRawObject } from '../../../providers/reader.js';
import { versionFixture } from './wire.js';

/*
 * The evidence the version checks cite, as the normalisers and the checks write it. Dates are
 * written out here, never read from the calendar under test, so a changed date fails a test.
 */

export function eksVersion(raw: string): SourceField {
  return { path: 'cluster.version', value: raw };
}

/** `upgradePolicy.supportType`; null when DescribeCluster omits it. */
export function eksPolicy(raw: string | null): SourceField {
  return { path: 'cluster.upgradePolicy.supportType', value: raw };
}

export function gkeVersion(raw: string): SourceField {
  return { path: 'cluster.currentMasterVersion', value: raw };
}

/** `releaseChannel.channel`; null when proto3 JSON omits it (no channel). */
export function gkeChannel(raw: string | number | null): SourceField {
  return { path: 'cluster.releaseChannel.channel', value: raw };
}

export function aksVersion(raw: string): SourceField {
  return { path: 'properties.currentKubernetesVersion', value: raw };
}

/** `supportPlan`; null when the cluster leaves it to the API default. */
export function aksPlan(raw: string | null): SourceField {
  return { path: 'properties.supportPlan', value: raw };
}

/** The calendar dates a verdict judged by. */
export function calendar(
  provider: Provider,
  minor: string,
  endOfStandardSupport: string,
  endOfExtendedSupport: string | null,
): SourceField {
  return {
    path: `supportCalendar.${provider}[${minor}]`,
    value: { endOfStandardSupport, endOfExtendedSupport },
  };
}

/** The window DescribeClusterVersions gave for the cluster's minor, and the newest minor it listed. */
export function eksLive(
  window: {
    readonly minorVersion: string;
    readonly releaseDate: string;
    readonly endOfStandardSupport: string;
    readonly endOfExtendedSupport: string;
  } | null,
  newest: string,
  minor: string = window?.minorVersion ?? 'unknown',
): SourceField[] {
  return [
    { path: `clusterVersions[clusterVersion=${minor}]`, value: window },
    { path: 'clusterVersions[newest].clusterVersion', value: newest },
  ];
}

/** The support timestamps FetchClusterUpgradeInfo gave, as evidence. */
export function gkeLive(endOfStandardSupport: string, endOfExtendedSupport: string): SourceField[] {
  return [
    { path: 'clusterUpgradeInfo.endOfStandardSupportTimestamp', value: `${endOfStandardSupport}T00:00:00Z` },
    { path: 'clusterUpgradeInfo.endOfExtendedSupportTimestamp', value: `${endOfExtendedSupport}T00:00:00Z` },
  ];
}

/** EKS's extra price for extended support, which VER-04 cites on the EXTENDED policy. */
export const EKS_EXTENDED_COST: readonly SourceField[] = [
  { path: 'pricing.eksExtendedSupport.extraUsdPerClusterHour', value: 0.5 },
  { path: 'pricing.eksExtendedSupport.extraUsdPerYear', value: 4380 },
];

/** The getServerConfig channel entry the newest version was taken from, as recorded. */
export function gkeNewestOf(channel: string): SourceField {
  const config = versionFixture('gke-server-config.json');
  const channels = isRawObject(config) && Array.isArray(config.channels) ? config.channels : [];
  const entry: unknown = channels.find(
    (candidate) => isRawObject(candidate) && candidate.channel === channel,
  );
  if (!isJsonObject(entry)) throw new Error(`the getServerConfig fixture has no ${channel} channel`);
  return { path: `serverConfig.channels[channel=${channel}].validVersions`, value: entry };
}
