import type { Finding } from '../../model/finding.js';
import { isUnknown } from '../../model/observed.js';
import {
  type ClusterMode,
  type ClusterPosture,
  PROVIDER_NAMES,
  PROVIDERS,
  type Provider,
} from '../../model/posture.js';
import type { ReportCluster, ReportFinding } from '../../model/reportView.js';
import { compareText, groupBy } from './order.js';
import { clusterSlugs } from './slugs.js';
import { tally } from './tally.js';

const MODE_LABELS: Readonly<Record<ClusterMode | 'unknown', string>> = {
  standard: 'Standard',
  'gke-autopilot': 'GKE Autopilot',
  'eks-auto-mode': 'EKS Auto Mode',
  'aks-automatic': 'AKS Automatic',
  unknown: 'Unknown',
};

/** The identity of a cluster, from its posture or, when the posture is missing, from a finding. */
export interface ClusterFacts {
  readonly id: string;
  readonly provider: Provider;
  readonly scope: string;
  readonly location: string;
  readonly name: string;
  readonly version: string;
  readonly mode: ClusterMode | 'unknown';
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}

function clusterFacts(posture: ClusterPosture): ClusterFacts {
  return {
    id: posture.id,
    provider: posture.provider,
    scope: posture.scope,
    location: posture.location,
    name: posture.name,
    version: isUnknown(posture.version) ? 'unknown' : posture.version.value.raw,
    mode: isUnknown(posture.mode) ? 'unknown' : posture.mode.value,
    tags: Object.entries(posture.tags)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, value]) => ({ key, value })),
  };
}

function compareClusters(a: ClusterFacts, b: ClusterFacts): number {
  return (
    PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider) ||
    compareText(a.scope, b.scope) ||
    compareText(a.location, b.location) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

/** Clusters of the run, plus any a finding names without a posture, so every reference resolves. */
export function collectClusters(
  postures: readonly ClusterPosture[],
  findings: readonly Finding[],
): ClusterFacts[] {
  const byId = new Map<string, ClusterFacts>();
  for (const posture of postures) byId.set(posture.id, clusterFacts(posture));
  for (const finding of findings) {
    if (byId.has(finding.clusterId)) continue;
    byId.set(finding.clusterId, {
      id: finding.clusterId,
      provider: finding.provider,
      scope: 'unknown',
      location: 'unknown',
      name: finding.clusterId,
      version: 'unknown',
      mode: 'unknown',
      tags: [],
    });
  }
  return [...byId.values()].sort(compareClusters);
}

/** Fragment ids of the clusters' rows: `cluster-1` onwards, in report order. */
export function clusterAnchors(clusters: readonly ClusterFacts[]): Map<string, string> {
  return new Map(clusters.map((cluster, index) => [cluster.id, `cluster-${index + 1}`]));
}

/** Where a cluster's own page is, relative to report.html. */
export function clusterPagePath(slug: string): string {
  return `clusters/${slug}.html`;
}

/** The clusters section: every cluster with its own findings and the checks that fail on it. */
export function buildClusters(
  clusters: readonly ClusterFacts[],
  anchors: ReadonlyMap<string, string>,
  findings: readonly ReportFinding[],
  pages = false,
): ReportCluster[] {
  const findingsByCluster = groupBy(findings, (finding) => finding.clusterId);
  const slugs = clusterSlugs(clusters);
  return clusters.map((cluster) => {
    const own = findingsByCluster.get(cluster.id) ?? [];
    const anchor = anchors.get(cluster.id) ?? '';
    const slug = slugs.get(cluster.id) ?? '';
    return {
      ...cluster,
      providerName: PROVIDER_NAMES[cluster.provider],
      modeLabel: MODE_LABELS[cluster.mode],
      anchor,
      slug,
      href: pages ? clusterPagePath(slug) : `#${anchor}`,
      tally: tally(own),
      failingChecks: [
        ...new Set(own.filter((finding) => finding.status === 'fail').map((finding) => finding.checkId)),
      ],
      findings: own,
      // Filled in once the version and compliance sections exist (report/build.ts).
      support: null,
      scores: [],
    };
  });
}
