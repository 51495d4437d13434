import type {
  ReportJson,
  ReportJsonCounts,
  ReportJsonFramework,
  ReportJsonScore,
} from '../model/reportJson.js';
import type { ComplianceScore, ReportFramework, ReportModel, StatusTally } from '../model/reportView.js';

function jsonScore(score: ComplianceScore): ReportJsonScore {
  const { label: _label, asideLabel: _asideLabel, ...counts } = score;
  return counts;
}

function jsonFramework(framework: ReportFramework): ReportJsonFramework {
  return {
    framework: framework.framework,
    version: framework.version,
    title: framework.title,
    provider: framework.provider,
    score: jsonScore(framework.score),
    clusters: framework.clusters.map((cluster) => ({
      clusterId: cluster.clusterId,
      score: jsonScore(cluster.score),
    })),
    controls: framework.controls.map((control) => ({
      control: control.control,
      title: control.title,
      assessment: control.assessment,
      coverage: control.coverage,
      checks: [...control.checks],
      ...(control.verify === null ? {} : { verify: control.verify }),
      ...(control.note === null ? {} : { note: control.note }),
      status: control.status,
      clusters: control.clusters.map((cluster) => ({ clusterId: cluster.clusterId, status: cluster.status })),
    })),
  };
}

function jsonCounts(tally: StatusTally): ReportJsonCounts {
  return { ...tally.byStatus, total: tally.total };
}

/** The `report.json` document of a report model: only data, no labels. */
export function toReportJson(model: ReportModel): ReportJson {
  const { summary } = model;
  return {
    schemaVersion: 1,
    tool: { name: model.tool.name, version: model.tool.version },
    run: {
      id: model.run.id,
      trigger: model.run.trigger,
      startedAt: model.run.startedAt,
      finishedAt: model.run.finishedAt,
      complete: model.header.complete,
      calendarDate: model.run.calendarDate,
      asOf: model.run.asOf,
      apiCalls: model.run.apiCalls,
    },
    scopes: model.scopes.map((scope) => ({
      provider: scope.provider,
      scope: scope.scope,
      ...(scope.region === null ? {} : { region: scope.region }),
      status: scope.status,
      ...(scope.error === null ? {} : { error: scope.error }),
      clusters: scope.clusters,
    })),
    clusters: model.clusters.map((cluster) => ({
      id: cluster.id,
      provider: cluster.provider,
      scope: cluster.scope,
      location: cluster.location,
      name: cluster.name,
      version: cluster.version,
      mode: cluster.mode,
      tags: Object.fromEntries(cluster.tags.map((tag) => [tag.key, tag.value])),
    })),
    findings: model.findings.map((finding) => ({
      checkId: finding.checkId,
      clusterId: finding.clusterId,
      status: finding.status,
      severity: finding.severity,
      responsibility: finding.responsibility,
      message: finding.message,
      evidence: finding.evidence.map((field) => ({ path: field.path, value: field.value })),
      compliance: finding.compliance.map((ref) => ({
        framework: ref.framework,
        version: ref.version,
        control: ref.control,
      })),
      ...(finding.waiver === null
        ? {}
        : {
            waiver: {
              reason: finding.waiver.reason,
              owner: finding.waiver.owner,
              expires: finding.waiver.expires,
              originalStatus: finding.waiver.originalStatus,
            },
          }),
    })),
    summary: {
      clusters: summary.clusters,
      findings: jsonCounts(summary.totals),
      failuresBySeverity: summary.failuresBySeverity.bySeverity,
      byProvider: summary.byProvider.map((entry) => ({
        provider: entry.provider,
        clusters: entry.clusters,
        scopes: entry.scopes,
        scopeErrors: entry.scopeErrors,
        findings: jsonCounts(entry.tally),
      })),
      byResponsibility: summary.byResponsibility.map((entry) => ({
        responsibility: entry.responsibility,
        findings: jsonCounts(entry.tally),
      })),
      byCheck: summary.byCheck.map((check) => ({
        checkId: check.id,
        severity: check.severity,
        worstStatus: check.worstStatus,
        findings: jsonCounts(check.tally),
        failingClusters: check.failingClusters.map((cluster) => cluster.id),
      })),
    },
    checks: model.catalogue.map((entry) => ({
      id: entry.id,
      title: entry.title,
      severity: entry.severity,
      category: entry.category,
      source: entry.source,
    })),
    problems: model.problems.map((problem) => ({
      ...(problem.file === null ? {} : { file: problem.file }),
      ...(problem.scope === null ? {} : { scope: problem.scope }),
      ...(problem.cluster === null ? {} : { cluster: problem.cluster }),
      reason: problem.reason,
    })),
    notices: model.notices.map((notice) => ({
      files: [...notice.files],
      cluster: notice.cluster,
      message: notice.message,
    })),
    compliance: model.compliance.map(jsonFramework),
    ...(model.frameworkView === null
      ? {}
      : {
          frameworkView: { framework: model.frameworkView.framework, version: model.frameworkView.version },
        }),
    ...(model.diff === null ? {} : { diff: model.diff.data }),
    ...(model.versions === null ? {} : { versions: model.versions.data }),
  };
}
