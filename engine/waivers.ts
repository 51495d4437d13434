import { daysBetween } from '../model/dates.js';
import type { Finding } from '../model/finding.js';
import type { ClusterPosture, Provider } from '../model/posture.js';

/** Which clusters a waiver covers; every given key must match. */
export interface ClusterSelector {
  /** The provider's cluster id, exactly. */
  readonly id?: string;
  /** A glob on the cluster name: `*` any run of characters, `?` one character. */
  readonly name?: string;
  readonly provider?: Provider;
  /** Account, project or subscription id, exactly. */
  readonly scope?: string;
  /** Tags that must all be present; values are globs. */
  readonly tag?: Readonly<Record<string, string>>;
}

/** An accepted risk: a check that may fail on some clusters until a date. */
export interface Waiver {
  readonly check: string;
  readonly clusters: ClusterSelector;
  readonly reason: string;
  readonly owner: string;
  /** `YYYY-MM-DD`; the waiver applies through that day. */
  readonly expires: string;
}

/** A waiver the report must mention: expired (no longer applied) or expiring soon. */
export interface WaiverNotice {
  readonly waiver: Waiver;
  readonly state: 'expired' | 'expiring';
  /** Days from the evaluation day to expiry (negative once expired). */
  readonly daysLeft: number;
  /** Findings it matched (for an expired waiver: the findings it would have covered). */
  readonly matched: number;
}

/** Waivers expiring within this many days are listed in the report. */
export const WAIVER_EXPIRY_NOTICE_DAYS = 14;

const WAIVABLE = new Set(['fail', 'unknown']);

/** A glob on a name (`*` any run of characters, `?` one) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

/** A selector in words, for reports and logs: `provider eks, name legacy-*, tag team=pay*`. */
export function describeSelector(selector: ClusterSelector): string {
  const parts: string[] = [];
  if (selector.id !== undefined) parts.push(`id ${selector.id}`);
  if (selector.provider !== undefined) parts.push(`provider ${selector.provider}`);
  if (selector.scope !== undefined) parts.push(`scope ${selector.scope}`);
  if (selector.name !== undefined) parts.push(`name ${selector.name}`);
  for (const [key, value] of Object.entries(selector.tag ?? {})) parts.push(`tag ${key}=${value}`);
  return parts.join(', ');
}

/** True when the selector covers the cluster. */
export function selectorMatches(selector: ClusterSelector, cluster: ClusterPosture): boolean {
  if (selector.id !== undefined && selector.id !== cluster.id) return false;
  if (selector.provider !== undefined && selector.provider !== cluster.provider) return false;
  if (selector.scope !== undefined && selector.scope !== cluster.scope) return false;
  if (selector.name !== undefined && !globToRegExp(selector.name).test(cluster.name)) return false;
  for (const [key, pattern] of Object.entries(selector.tag ?? {})) {
    const value = cluster.tags[key];
    if (value === undefined || !globToRegExp(pattern).test(value)) return false;
  }
  return true;
}

/**
 * Applies live waivers: a failing or unknown finding they cover becomes `waived`, keeping its
 * original status beside it. Expired waivers stop applying and are returned as notices, as are
 * waivers that expire within {@link WAIVER_EXPIRY_NOTICE_DAYS} days.
 */
export function applyWaivers(
  findings: readonly Finding[],
  clusters: readonly ClusterPosture[],
  waivers: readonly Waiver[],
  asOf: string,
): { findings: Finding[]; notices: WaiverNotice[] } {
  const clustersById = new Map(clusters.map((cluster) => [cluster.id, cluster]));
  const matchedCount = new Map<Waiver, number>();
  const result = findings.map((finding) => {
    if (!WAIVABLE.has(finding.status)) return finding;
    const cluster = clustersById.get(finding.clusterId);
    if (!cluster) return finding;
    const matching = waivers.filter(
      (waiver) => waiver.check === finding.checkId && selectorMatches(waiver.clusters, cluster),
    );
    for (const waiver of matching) matchedCount.set(waiver, (matchedCount.get(waiver) ?? 0) + 1);
    const live = matching.find((waiver) => daysBetween(asOf, waiver.expires) >= 0);
    if (!live) return finding;
    return {
      ...finding,
      status: 'waived' as const,
      waiver: {
        reason: live.reason,
        owner: live.owner,
        expires: live.expires,
        originalStatus: finding.status,
      },
    };
  });
  const notices: WaiverNotice[] = [];
  for (const waiver of waivers) {
    const daysLeft = daysBetween(asOf, waiver.expires);
    const matched = matchedCount.get(waiver) ?? 0;
    if (daysLeft < 0) notices.push({ waiver, state: 'expired', daysLeft, matched });
    else if (daysLeft <= WAIVER_EXPIRY_NOTICE_DAYS)
      notices.push({ waiver, state: 'expiring', daysLeft, matched });
  }
  return { findings: result, notices };
}
