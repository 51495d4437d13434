import type { Check } from '../../checks/types.js';
import { type ComplianceRef, type Finding, type Status, severityRank } from '../../model/finding.js';
import { PROVIDER_NAMES } from '../../model/posture.js';
import type { ReportComplianceRef, ReportFinding, ReportRemediation } from '../../model/reportView.js';
import type { ClusterFacts } from './clusters.js';
import { RESPONSIBILITY_LABELS, reportCompliance, SEVERITY_LABELS, STATUS_LABELS } from './labels.js';
import { anchorFor, link } from './links.js';
import { compareText, statusRank } from './order.js';

const ATTENTION: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'unknown']);

function compareFindings(a: Finding, b: Finding): number {
  return (
    statusRank(a.status) - statusRank(b.status) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.clusterId, b.clusterId) ||
    compareText(a.message, b.message)
  );
}

/**
 * What findings of one check share: its anchor, its remediation advice and its labelled benchmark
 * references, made once per check (and per reference list) rather than once per finding. A large
 * estate has a few dozen checks but hundreds of thousands of findings.
 */
class SharedViews {
  readonly #anchors = new Map<string, string>();
  readonly #remediations = new Map<string, ReportRemediation>();
  readonly #compliance = new Map<readonly ComplianceRef[], readonly ReportComplianceRef[]>();

  anchor(checkId: string): string {
    return cached(this.#anchors, checkId, () => anchorFor('check', checkId));
  }

  remediation(check: Check): ReportRemediation {
    return cached(this.#remediations, check.id, () => ({
      text: check.remediation.text,
      links: check.remediation.links.map(link),
    }));
  }

  /** The engine shares one reference list per (check, provider), so this is keyed by the list itself. */
  compliance(refs: readonly ComplianceRef[]): readonly ReportComplianceRef[] {
    return cached(this.#compliance, refs, () => reportCompliance(refs));
  }
}

function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  const found = cache.get(key);
  if (found !== undefined) return found;
  const made = make();
  cache.set(key, made);
  return made;
}

function reportFinding(
  finding: Finding,
  check: Check | undefined,
  cluster: ClusterFacts,
  clusterAnchor: string,
  shared: SharedViews,
): ReportFinding {
  const failing = finding.status === 'fail';
  const fixCommand = failing ? (check?.remediation.cli[finding.provider] ?? null) : null;
  return {
    checkId: finding.checkId,
    checkTitle: check?.title ?? finding.checkId,
    checkAnchor: shared.anchor(finding.checkId),
    clusterId: finding.clusterId,
    clusterName: cluster.name,
    clusterAnchor,
    provider: finding.provider,
    providerName: PROVIDER_NAMES[finding.provider],
    scope: cluster.scope,
    location: cluster.location,
    status: finding.status,
    statusLabel: STATUS_LABELS[finding.status],
    severity: finding.severity,
    severityLabel: SEVERITY_LABELS[finding.severity],
    responsibility: finding.responsibility,
    responsibilityLabel: RESPONSIBILITY_LABELS[finding.responsibility].label,
    message: finding.message,
    evidence: finding.evidence,
    compliance: shared.compliance(finding.compliance),
    waiver: finding.waiver
      ? { ...finding.waiver, originalStatusLabel: STATUS_LABELS[finding.waiver.originalStatus] }
      : null,
    fixCommand,
    remediation: failing && check ? shared.remediation(check) : null,
    needsAttention: ATTENTION.has(finding.status),
  };
}

/**
 * Every finding of the run with its check and cluster looked up, sorted: status, severity, check
 * id, cluster id, message.
 */
export function buildFindings(
  findings: readonly Finding[],
  checksById: ReadonlyMap<string, Check>,
  clusters: ReadonlyMap<string, ClusterFacts>,
  anchors: ReadonlyMap<string, string>,
): ReportFinding[] {
  const shared = new SharedViews();
  return [...findings].sort(compareFindings).map((finding) => {
    const cluster = clusters.get(finding.clusterId);
    const anchor = anchors.get(finding.clusterId);
    if (!cluster || anchor === undefined) throw new Error(`no cluster collected for ${finding.clusterId}`);
    return reportFinding(finding, checksById.get(finding.checkId), cluster, anchor, shared);
  });
}
