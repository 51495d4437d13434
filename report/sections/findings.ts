import type { Check } from '../../checks/types.js';
import { type Finding, type Status, severityRank } from '../../model/finding.js';
import { PROVIDER_NAMES } from '../../model/posture.js';
import type { ReportFinding, ReportRemediation } from '../../model/reportView.js';
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
 * The check's remediation advice, one object per check shared by all its failing findings: a large
 * estate has a few dozen checks but hundreds of thousands of findings.
 */
function remediationOf(check: Check, cache: Map<string, ReportRemediation>): ReportRemediation {
  const cached = cache.get(check.id);
  if (cached) return cached;
  const made = { text: check.remediation.text, links: check.remediation.links.map(link) };
  cache.set(check.id, made);
  return made;
}

function reportFinding(
  finding: Finding,
  check: Check | undefined,
  cluster: ClusterFacts,
  clusterAnchor: string,
  remediations: Map<string, ReportRemediation>,
): ReportFinding {
  const failing = finding.status === 'fail';
  const fixCommand = failing ? (check?.remediation.cli[finding.provider] ?? null) : null;
  return {
    checkId: finding.checkId,
    checkTitle: check?.title ?? finding.checkId,
    checkAnchor: anchorFor('check', finding.checkId),
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
    evidence: finding.evidence.map((field) => ({
      path: field.path,
      value: field.value,
      display: JSON.stringify(field.value),
    })),
    compliance: reportCompliance(finding.compliance),
    waiver: finding.waiver
      ? { ...finding.waiver, originalStatusLabel: STATUS_LABELS[finding.waiver.originalStatus] }
      : null,
    fixCommand,
    remediation: failing && check ? remediationOf(check, remediations) : null,
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
  const remediations = new Map<string, ReportRemediation>();
  return [...findings].sort(compareFindings).map((finding) => {
    const cluster = clusters.get(finding.clusterId);
    const anchor = anchors.get(finding.clusterId);
    if (!cluster || anchor === undefined) throw new Error(`no cluster collected for ${finding.clusterId}`);
    return reportFinding(finding, checksById.get(finding.checkId), cluster, anchor, remediations);
  });
}
