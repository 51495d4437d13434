import type { Check } from '../../checks/types.js';
import { type Severity, severityRank } from '../../model/finding.js';
import { PROVIDER_NAMES, PROVIDERS } from '../../model/posture.js';
import type { ReportCatalogueEntry } from '../../model/reportJson.js';
import type { ReportCheck, ReportClusterRef, ReportFinding } from '../../model/reportView.js';
import { NOT_EVALUATED, SEVERITY_LABELS, STATUS_LABELS } from './labels.js';
import { anchorFor, link } from './links.js';
import { compareText, groupBy, statusRank, worstStatus } from './order.js';
import { tally } from './tally.js';

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  identity: 'Identity and access',
  endpoint: 'API endpoint',
  nodes: 'Nodes',
  network: 'Network',
  audit: 'Audit',
  versions: 'Versions',
  'data-protection': 'Data protection',
  runtime: 'Runtime and admission',
};

function reportCheck(id: string, check: Check | undefined, findings: readonly ReportFinding[]): ReportCheck {
  // Config may override a check's severity per finding; the check is as severe as its worst finding.
  const severity = findings.reduce<Severity>(
    (worst, finding) => (severityRank(finding.severity) < severityRank(worst) ? finding.severity : worst),
    findings[0]?.severity ?? check?.severity ?? 'info',
  );
  const worst = worstStatus(findings.map((finding) => finding.status));
  const failing = findings.filter((finding) => finding.status === 'fail');
  const failingProviders = new Set(failing.map((finding) => finding.provider));
  const failingClusters = new Map<string, ReportClusterRef>();
  for (const finding of failing) {
    failingClusters.set(finding.clusterId, {
      id: finding.clusterId,
      name: finding.clusterName,
      anchor: finding.clusterAnchor,
    });
  }
  const category = check?.category ?? 'unknown';
  return {
    id,
    title: check?.title ?? id,
    anchor: anchorFor('check', id),
    rationale: check?.rationale ?? '',
    category,
    categoryLabel: CATEGORY_LABELS[category] ?? category,
    severity,
    severityLabel: SEVERITY_LABELS[severity],
    worstStatus: worst,
    worstStatusLabel: worst === null ? NOT_EVALUATED : STATUS_LABELS[worst],
    needsAttention: findings.some((finding) => finding.needsAttention),
    failing: failing.length > 0,
    tally: tally(findings),
    remediationText: check?.remediation.text ?? '',
    commands: PROVIDERS.flatMap((provider) => {
      const command = check?.remediation.cli[provider];
      return failingProviders.has(provider) && command !== undefined
        ? [{ provider, providerName: PROVIDER_NAMES[provider], command }]
        : [];
    }),
    links: (check?.remediation.links ?? []).map(link),
    failingClusters: [...failingClusters.values()].sort((a, b) => compareText(a.id, b.id)),
    findings,
    unresolved: findings.filter((finding) => finding.needsAttention || finding.status === 'waived'),
    settledLabel: settledLabel(findings),
  };
}

/** `12 pass, 3 not applicable`: the findings the HTML report counts rather than lists; null when none. */
function settledLabel(findings: readonly ReportFinding[]): string | null {
  const settled = tally(findings.filter((finding) => !finding.needsAttention && finding.status !== 'waived'));
  return settled.total === 0 ? null : settled.label;
}

function compareChecks(a: ReportCheck, b: ReportCheck): number {
  return (
    statusRank(a.worstStatus) - statusRank(b.worstStatus) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.id, b.id)
  );
}

/** The check catalogue as shipped, in catalogue order. */
export function buildCatalogue(checks: readonly Check[]): ReportCatalogueEntry[] {
  return checks.map((check) => ({
    id: check.id,
    title: check.title,
    severity: check.severity,
    category: check.category,
    source: check.source,
  }));
}

/**
 * Every check across the fleet, those of the catalogue and any other a finding names, with its
 * findings: those needing attention first (worst status, then severity, then id).
 */
export function buildChecks(checks: readonly Check[], findings: readonly ReportFinding[]): ReportCheck[] {
  const checksById = new Map(checks.map((check) => [check.id, check]));
  const findingsByCheck = groupBy(findings, (finding) => finding.checkId);
  const checkIds = [...new Set([...checks.map((check) => check.id), ...findingsByCheck.keys()])];
  return checkIds
    .map((id) => reportCheck(id, checksById.get(id), findingsByCheck.get(id) ?? []))
    .sort(compareChecks);
}
