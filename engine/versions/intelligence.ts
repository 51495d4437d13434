import { dayCount, daysBetween } from '../../model/dates.js';
import { isUnknown, type Observed } from '../../model/observed.js';
import {
  type ClusterPosture,
  type LiveVersionSupport,
  type NodePool,
  PROVIDERS,
  type Provider,
} from '../../model/posture.js';
import type { SupportCalendar, VersionSupportWindow } from '../../model/support.js';
import {
  compareMinor,
  type KubernetesVersion,
  minorDistance,
  parseKubernetesVersion,
} from '../../model/version.js';
import type {
  ClusterVersionFacts,
  ExtendedSupportPrice,
  PaidExtendedSupport,
  ProviderVersionCost,
  VersionClusterRef,
  VersionFact,
  VersionIntelligence,
} from '../../model/versions.js';
import { centsToUsd, extendedSupportPricing, HOURS_PER_YEAR, yearlyExtraCents } from './pricing.js';

/** Days ahead the report looks for clusters leaving standard support and starting to pay. */
export const VERSION_HORIZON_DAYS = 90;
/** The shorter, urgent list of clusters leaving standard support. */
export const VERSION_URGENT_DAYS = 30;

/** What version intelligence is computed from: the run's postures, its `asOf` day and the support calendar. */
export interface VersionIntelligenceInput {
  readonly clusters: readonly ClusterPosture[];
  /** `YYYY-MM-DD`: every day count is relative to it, never to the clock. */
  readonly asOf: string;
  readonly support: SupportCalendar;
}

function value<T>(fact: T): VersionFact<T> {
  return { value: fact };
}

function unknownFact<T>(reason: string): VersionFact<T> {
  return { unknown: reason };
}

/** The support data's view of one cluster's minor: its window, older than the data, or not listed. */
type Resolution =
  | { readonly kind: 'window'; readonly window: VersionSupportWindow; readonly fromCalendar: boolean }
  /** Older than every minor in the calendar, not listed in the support data, or the version itself unknown. */
  | { readonly kind: 'predates' | 'missing' | 'no-version'; readonly reason: string };

interface ParsedWindow {
  readonly window: VersionSupportWindow;
  readonly version: KubernetesVersion;
}

/** Everything about one cluster that the estate-wide figures need besides its facts. */
interface Assessment {
  readonly facts: ClusterVersionFacts;
  readonly resolution: Resolution;
}

/** The newest minor, and what named it: the live API, or the calendar (also when live data was read but named none). */
type Newest = VersionFact<{
  readonly version: KubernetesVersion;
  readonly fromCalendar: boolean;
  readonly source: string;
}>;

class ClusterAssessor {
  private readonly calendarName: string;
  private readonly parsed = new Map<Provider, readonly ParsedWindow[]>();

  constructor(
    private readonly asOf: string,
    private readonly support: SupportCalendar,
  ) {
    this.calendarName = `the support calendar dated ${support.calendarDate}`;
  }

  assess(cluster: ClusterPosture): Assessment {
    const { version, versionSupport } = cluster;
    const live = isUnknown(versionSupport) ? undefined : versionSupport.value;
    const newest = this.newest(cluster.provider, live);
    const resolution: Resolution = isUnknown(version)
      ? { kind: 'no-version', reason: versionUnknown(version.unknown) }
      : this.resolve(cluster.provider, version.value, live);
    const paid = this.paid(cluster, resolution);
    const facts: ClusterVersionFacts = {
      clusterId: cluster.id,
      provider: cluster.provider,
      name: cluster.name,
      version: isUnknown(version) ? unknownFact(version.unknown) : value(version.value.raw),
      newestMinor: 'unknown' in newest ? newest : value(newest.value.version.minorVersion),
      minorsBehind: this.minorsBehind(version, newest),
      supportPlan: observedFact(cluster.supportPlan),
      ...this.dates(resolution),
      nodeSkew: nodeSkew(cluster),
      paidExtendedSupport: paid,
      yearlyExtraCostUsd:
        'unknown' in paid ? paid : value(centsToUsd(paidCents(cluster.provider, paid.value))),
      source: live ? 'live' : 'calendar',
      sourceDetail: isUnknown(versionSupport)
        ? `${this.calendarName} (${this.support.sources[cluster.provider]}); the live version API was not read: ${versionSupport.unknown}`
        : this.liveDetail(versionSupport.value, newest, resolution),
    };
    return { facts, resolution };
  }

  /** The provider's windows whose minor parses, parsed once per run rather than per cluster. */
  private windows(provider: Provider): readonly ParsedWindow[] {
    const cached = this.parsed.get(provider);
    if (cached) return cached;
    const parsed = this.support.windows[provider].flatMap((window) => {
      const version = parseKubernetesVersion(window.minorVersion);
      return version ? [{ window, version }] : [];
    });
    this.parsed.set(provider, parsed);
    return parsed;
  }

  /** The newest minor: the live API's when it names one that parses, else the calendar's newest released by `asOf`. */
  private newest(provider: Provider, live: LiveVersionSupport | undefined): Newest {
    const fromLive = live ? parseKubernetesVersion(live.newestMinorVersion) : undefined;
    if (live && fromLive) return value({ version: fromLive, fromCalendar: false, source: live.source });
    const released = this.windows(provider).filter(
      (entry) => daysBetween(entry.window.releaseDate, this.asOf) >= 0,
    );
    const newest = released.reduce<ParsedWindow | undefined>(
      (best, entry) => (best === undefined || compareMinor(entry.version, best.version) > 0 ? entry : best),
      undefined,
    );
    if (!newest) return unknownFact(`${this.calendarName} lists no version released by ${this.asOf}`);
    return value({ version: newest.version, fromCalendar: true, source: this.calendarName });
  }

  private minorsBehind(observed: Observed<KubernetesVersion>, newest: Newest): VersionFact<number> {
    if (isUnknown(observed)) return unknownFact(versionUnknown(observed.unknown));
    if ('unknown' in newest) return newest;
    const version = observed.value;
    const { version: newestVersion, source } = newest.value;
    const behind = minorDistance(newestVersion, version);
    if (Number.isNaN(behind)) {
      return unknownFact(
        `Kubernetes ${version.minorVersion} and the newest available version, ${newestVersion.minorVersion}, are on different major versions`,
      );
    }
    if (behind < 0) {
      return unknownFact(
        `Kubernetes ${version.minorVersion} is newer than ${newestVersion.minorVersion}, the newest minor ${source} names`,
      );
    }
    return value(behind);
  }

  /**
   * The minor's support window: from the live API when it lists the minor (its dates are the ones
   * the provider acts on), else from the calendar.
   */
  private resolve(
    provider: Provider,
    version: KubernetesVersion,
    live: LiveVersionSupport | undefined,
  ): Resolution {
    const liveWindow = live?.window;
    if (liveWindow && sameMinor(liveWindow.minorVersion, version)) {
      return { kind: 'window', window: liveWindow, fromCalendar: false };
    }
    const windows = this.windows(provider);
    const listed = windows.find((entry) => compareMinor(entry.version, version) === 0);
    if (listed) return { kind: 'window', window: listed.window, fromCalendar: true };
    const oldest = windows.reduce<ParsedWindow | undefined>(
      (found, entry) =>
        found === undefined || compareMinor(entry.version, found.version) < 0 ? entry : found,
      undefined,
    );
    if (oldest && compareMinor(version, oldest.version) < 0) {
      return {
        kind: 'predates',
        reason: `Kubernetes ${version.minorVersion} is older than ${oldest.window.minorVersion}, the oldest minor in ${this.calendarName}: it is past every support window, on a day the data does not give`,
      };
    }
    return {
      kind: 'missing',
      reason: live
        ? `Kubernetes ${version.minorVersion} is listed neither by ${live.source} nor in ${this.calendarName}`
        : `Kubernetes ${version.minorVersion} is not in ${this.calendarName}`,
    };
  }

  private dates(
    resolution: Resolution,
  ): Pick<
    ClusterVersionFacts,
    'endOfStandardSupport' | 'daysToEndOfStandard' | 'endOfExtendedSupport' | 'daysToEndOfExtended'
  > {
    if (resolution.kind !== 'window') {
      const fact = unknownFact<never>(resolution.reason);
      return {
        endOfStandardSupport: fact,
        daysToEndOfStandard: fact,
        endOfExtendedSupport: fact,
        daysToEndOfExtended: fact,
      };
    }
    const { endOfStandardSupport, endOfExtendedSupport } = resolution.window;
    return {
      endOfStandardSupport: value(endOfStandardSupport),
      daysToEndOfStandard: value(daysBetween(this.asOf, endOfStandardSupport)),
      endOfExtendedSupport: value(endOfExtendedSupport),
      daysToEndOfExtended: value(
        endOfExtendedSupport === null ? null : daysBetween(this.asOf, endOfExtendedSupport),
      ),
    };
  }

  private paid(cluster: ClusterPosture, resolution: Resolution): VersionFact<PaidExtendedSupport> {
    const { supportPlan, provider } = cluster;
    if (isUnknown(supportPlan)) return unknownFact(`Support plan unknown: ${supportPlan.unknown}`);
    if (supportPlan.value === 'standard') return value({ state: 'no', reason: NOT_ENROLLED[provider] });
    if (extendedSupportPricing(provider).billing === 'from-enrolment') {
      return value({
        state: 'now',
        reason:
          'On long-term support (AKSLongTermSupport), which needs the Premium tier and is billed from enrolment, whatever the version.',
      });
    }
    const plan = BILLED_PAST_STANDARD[provider];
    if (resolution.kind === 'window') return value(this.billedPastStandard(plan, resolution.window));
    if (resolution.kind === 'predates') {
      return value({ state: 'no', reason: `${resolution.reason}; no extended support is left to bill.` });
    }
    return unknownFact(`${plan} bills past standard support: ${resolution.reason}`);
  }

  private billedPastStandard(plan: string, window: VersionSupportWindow): PaidExtendedSupport {
    const { minorVersion: minor, endOfStandardSupport: end } = window;
    const daysLeft = daysBetween(this.asOf, end);
    if (daysLeft > VERSION_HORIZON_DAYS) {
      return {
        state: 'no',
        reason: `${plan} bills only past standard support, which for Kubernetes ${minor} ends on ${end}, ${dayCount(daysLeft)} away.`,
      };
    }
    if (daysLeft >= 0) {
      return {
        state: 'soon',
        reason: `${plan} bills past standard support, which for Kubernetes ${minor} ends on ${end}, in ${dayCount(daysLeft)}: billing starts then unless the cluster is upgraded.`,
      };
    }
    const extendedEnd = window.endOfExtendedSupport;
    if (extendedEnd === null) {
      return {
        state: 'no',
        reason: `Kubernetes ${minor} left standard support on ${end} and has no extended support: unsupported, and not billed for it.`,
      };
    }
    if (daysBetween(this.asOf, extendedEnd) < 0) {
      return {
        state: 'no',
        reason: `Kubernetes ${minor} left extended support on ${extendedEnd}: unsupported, and no longer billed for it.`,
      };
    }
    return {
      state: 'now',
      reason: `${plan} keeps Kubernetes ${minor}, which left standard support on ${end}: billed for extended support until ${extendedEnd}.`,
    };
  }

  /** The live API, and which facts the calendar filled in because the API did not give them. */
  private liveDetail(live: LiveVersionSupport, newest: Newest, resolution: Resolution): string {
    const notes: string[] = [];
    if ('value' in newest && newest.value.fromCalendar) {
      notes.push(
        `newest minor from ${this.calendarName}, as the API names none that parses (${JSON.stringify(live.newestMinorVersion)})`,
      );
    }
    if (resolution.kind === 'predates' || (resolution.kind === 'window' && resolution.fromCalendar)) {
      notes.push(`support dates from ${this.calendarName}, as the API lists none for this minor`);
    }
    return [live.source, ...notes].join('; ');
  }
}

/** The yearly extra a cluster pays, in cents, now or once it starts within the horizon; 0 when neither. */
function paidCents(provider: Provider, paid: PaidExtendedSupport): number {
  return paid.state === 'no' ? 0 : yearlyExtraCents(extendedSupportPricing(provider));
}

function versionUnknown(reason: string): string {
  return `Control-plane version unknown: ${reason}`;
}

/** Why a cluster on its provider's standard plan is never billed for extended support. */
const NOT_ENROLLED: Readonly<Record<Provider, string>> = {
  eks: 'The upgrade policy is STANDARD: EKS upgrades the cluster at the end of standard support instead of billing extended support.',
  gke: 'Not on the Extended release channel, the only one GKE bills extended support on: GKE upgrades the cluster at the end of standard support.',
  aks: 'On the KubernetesOfficial support plan, not long-term support.',
};

/** The extended plans billed only past standard support, named for the reasons. */
const BILLED_PAST_STANDARD: Readonly<Record<Provider, string>> = {
  eks: 'The EXTENDED upgrade policy',
  gke: 'The Extended release channel',
  aks: 'Long-term support',
};

function observedFact<T>(observed: Observed<T>): VersionFact<T> {
  return isUnknown(observed) ? unknownFact(observed.unknown) : value(observed.value);
}

function sameMinor(minorVersion: string, version: KubernetesVersion): boolean {
  const parsed = parseKubernetesVersion(minorVersion);
  return parsed !== undefined && compareMinor(parsed, version) === 0;
}

/** The most minors any node pool trails the control plane; unknown when any input is. */
function nodeSkew(cluster: ClusterPosture): VersionFact<number | null> {
  const { nodePools, version } = cluster;
  if (isUnknown(nodePools)) return unknownFact(`Node pools unknown: ${nodePools.unknown}`);
  if (nodePools.value.length === 0) return value(null);
  if (isUnknown(version)) return unknownFact(versionUnknown(version.unknown));
  const behind: number[] = [];
  for (const pool of nodePools.value) {
    const skew = poolSkew(pool, version.value);
    if ('unknown' in skew) return skew;
    behind.push(skew.value);
  }
  return value(Math.max(...behind));
}

function poolSkew(pool: NodePool, controlPlane: KubernetesVersion): VersionFact<number> {
  if (isUnknown(pool.version))
    return unknownFact(`Version of node pool ${pool.name} unknown: ${pool.version.unknown}`);
  const behind = minorDistance(controlPlane, pool.version.value);
  if (Number.isNaN(behind)) {
    return unknownFact(
      `Node pool ${pool.name} runs ${pool.version.value.raw}, a different major version from the control plane's ${controlPlane.raw}`,
    );
  }
  return value(behind);
}

function compareFacts(a: ClusterVersionFacts, b: ClusterVersionFacts): number {
  return (
    PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider) ||
    compareText(a.name, b.name) ||
    compareText(a.clusterId, b.clusterId)
  );
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function ref(facts: ClusterVersionFacts): VersionClusterRef {
  const { endOfStandardSupport: end, daysToEndOfStandard: days } = facts;
  return {
    clusterId: facts.clusterId,
    provider: facts.provider,
    name: facts.name,
    endOfStandardSupport: 'value' in end ? end.value : null,
    daysToEndOfStandard: 'value' in days ? days.value : null,
  };
}

/** Soonest end first; a minor older than the data (no date) before every dated one. */
function byDaysLeft(a: VersionClusterRef, b: VersionClusterRef): number {
  return daysLeftKey(a) - daysLeftKey(b);
}

function daysLeftKey(entry: VersionClusterRef): number {
  return entry.daysToEndOfStandard ?? Number.NEGATIVE_INFINITY;
}

/** One provider's paid extended support, in cents until the end so sums never drift. */
interface CentsCost {
  readonly cost: ProviderVersionCost;
  readonly nowCents: number;
  readonly soonCents: number;
}

function providerCost(provider: Provider, assessments: readonly Assessment[]): CentsCost {
  let payingNow = 0;
  let payingSoon = 0;
  let unknown = 0;
  let nowCents = 0;
  let soonCents = 0;
  for (const { facts } of assessments) {
    if (facts.provider !== provider) continue;
    const paid = facts.paidExtendedSupport;
    if ('unknown' in paid) {
      unknown += 1;
    } else if (paid.value.state === 'now') {
      payingNow += 1;
      nowCents += paidCents(provider, paid.value);
    } else if (paid.value.state === 'soon') {
      payingSoon += 1;
      soonCents += paidCents(provider, paid.value);
    }
  }
  return {
    cost: {
      provider,
      payingNow,
      yearlyNowUsd: centsToUsd(nowCents),
      payingSoon,
      yearlySoonUsd: centsToUsd(soonCents),
      unknown,
    },
    nowCents,
    soonCents,
  };
}

function priceOf(provider: Provider): ExtendedSupportPrice {
  const pricing = extendedSupportPricing(provider);
  return {
    provider,
    plan: pricing.plan,
    usdPerClusterHour: centsToUsd(pricing.extendedCentsPerClusterHour),
    standardUsdPerClusterHour: centsToUsd(pricing.standardCentsPerClusterHour),
    yearlyExtraUsd: centsToUsd(yearlyExtraCents(pricing)),
    billed: pricing.billed,
    source: pricing.source,
    checked: pricing.checked,
  };
}

/**
 * Version intelligence of a run, as of `input.asOf`: per cluster, how far behind it is, how long
 * its support lasts, its node skew and whether it pays for extended support; estate-wide, who
 * leaves standard support soon and what paid extended support costs a year. Live data from the
 * provider's version API wins over the bundled calendar, and each cluster says which it used.
 */
export function versionIntelligence(input: VersionIntelligenceInput): VersionIntelligence {
  const assessor = new ClusterAssessor(input.asOf, input.support);
  const assessments = input.clusters
    .map((cluster) => assessor.assess(cluster))
    .sort((a, b) => compareFacts(a.facts, b.facts));
  const clusters = assessments.map((assessment) => assessment.facts);

  const leaving = (days: number) =>
    clusters
      .map(ref)
      .filter(
        (entry) =>
          entry.daysToEndOfStandard !== null &&
          entry.daysToEndOfStandard >= 0 &&
          entry.daysToEndOfStandard <= days,
      )
      .sort(byDaysLeft);
  const pastStandard = assessments
    .filter(({ facts, resolution }) => {
      const days = facts.daysToEndOfStandard;
      return resolution.kind === 'predates' || ('value' in days && days.value < 0);
    })
    .map(({ facts }) => ref(facts))
    .sort(byDaysLeft);
  const standardEndUnknown = assessments
    .filter(({ resolution }) => resolution.kind === 'missing' || resolution.kind === 'no-version')
    .map(({ facts }) => ref(facts));

  const providers = PROVIDERS.filter((provider) => clusters.some((facts) => facts.provider === provider));
  const costs = providers.map((provider) => providerCost(provider, assessments));
  const total = (pick: (cost: CentsCost) => number) => costs.reduce((sum, cost) => sum + pick(cost), 0);

  return {
    asOf: input.asOf,
    calendarDate: input.support.calendarDate,
    clusters,
    leavingStandardIn30: leaving(VERSION_URGENT_DAYS),
    leavingStandardIn90: leaving(VERSION_HORIZON_DAYS),
    pastStandard,
    standardEndUnknown,
    cost: {
      horizonDays: VERSION_HORIZON_DAYS,
      hoursPerYear: HOURS_PER_YEAR,
      perProvider: costs.map((cost) => cost.cost),
      totalYearlyUsd: centsToUsd(total((cost) => cost.nowCents)),
      totalYearlySoonUsd: centsToUsd(total((cost) => cost.soonCents)),
      unknownClusters: total((cost) => cost.cost.unknown),
      prices: PROVIDERS.map(priceOf),
    },
  };
}
