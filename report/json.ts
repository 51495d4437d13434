import { textChunks } from '../model/fileBody.js';
import type { TextChunks } from '../model/reportFormats.js';
import type {
  ReportJson,
  ReportJsonCluster,
  ReportJsonControl,
  ReportJsonCounts,
  ReportJsonFinding,
  ReportJsonFramework,
  ReportJsonProblem,
  ReportJsonScore,
  ReportJsonSummary,
} from '../model/reportJson.js';
import type {
  ComplianceScore,
  ReportCheck,
  ReportCluster,
  ReportControl,
  ReportFinding,
  ReportFramework,
  ReportModel,
  ReportProblem,
  ReportScope,
  StatusTally,
} from '../model/reportView.js';
import type { RunNotice, ScopeResult } from '../model/run.js';
import { inChunks } from './chunked.js';

/**
 * A JSON array whose elements are made one at a time from the model as the text is written: an
 * array that grows with the estate (findings, clusters, a control's clusters) is never whole.
 */
class JsonArrayNode<T> {
  constructor(
    readonly isEmpty: boolean,
    readonly elements: () => Iterable<JsonNode<T>>,
  ) {}
}

/** A JSON object with a member that is itself written in pieces. */
class JsonObjectNode<T> {
  constructor(readonly members: { readonly [K in keyof T]: JsonNode<T[K]> }) {}
}

/**
 * A value of report.json as the writer walks it: plain data, serialised whole, or an array or an
 * object written member by member. Typed against `ReportJson`, so the document in pieces and the
 * object `toReportJson` returns are one description and cannot drift apart.
 */
type JsonNode<T> = T | JsonStreamed<T>;
type JsonStreamed<T> = T extends readonly (infer E)[]
  ? JsonArrayNode<E>
  : T extends object
    ? JsonObjectNode<T>
    : never;

function jsonArray<S, T>(items: readonly S[], element: (item: S) => JsonNode<T>): JsonArrayNode<T> {
  return new JsonArrayNode(items.length === 0, function* () {
    for (const item of items) yield element(item);
  });
}

function jsonObject<T>(members: { readonly [K in keyof T]: JsonNode<T[K]> }): JsonObjectNode<T> {
  return new JsonObjectNode<T>(members);
}

/** A plain object whose array members (a diff's lists, the version facts per cluster) are written element by element. */
function withArraysInPieces<T extends object>(value: T): JsonNode<T> {
  const members = Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      Array.isArray(member) ? jsonArray(member, (element: unknown) => element) : member,
    ]),
  );
  // The members are those of `value`, its arrays wrapped: the node stands for `value` itself.
  return new JsonObjectNode(members) as unknown as JsonNode<T>;
}

function jsonScore(score: ComplianceScore): ReportJsonScore {
  const { label: _label, asideLabel: _asideLabel, ...counts } = score;
  return counts;
}

function jsonCounts(tally: StatusTally): ReportJsonCounts {
  return { ...tally.byStatus, total: tally.total };
}

function jsonScope(scope: ReportScope): ScopeResult {
  return {
    provider: scope.provider,
    scope: scope.scope,
    ...(scope.region === null ? {} : { region: scope.region }),
    status: scope.status,
    ...(scope.error === null ? {} : { error: scope.error }),
    clusters: scope.clusters,
  };
}

function jsonCluster(cluster: ReportCluster): ReportJsonCluster {
  return {
    id: cluster.id,
    provider: cluster.provider,
    scope: cluster.scope,
    location: cluster.location,
    name: cluster.name,
    version: cluster.version,
    mode: cluster.mode,
    tags: Object.fromEntries(cluster.tags.map((tag) => [tag.key, tag.value])),
  };
}

function jsonFinding(finding: ReportFinding): ReportJsonFinding {
  return {
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
  };
}

type ReportJsonCheckSummary = ReportJsonSummary['byCheck'][number];

function jsonCheckSummary(check: ReportCheck): JsonNode<ReportJsonCheckSummary> {
  return jsonObject<ReportJsonCheckSummary>({
    checkId: check.id,
    severity: check.severity,
    worstStatus: check.worstStatus,
    findings: jsonCounts(check.tally),
    failingClusters: jsonArray(check.failingClusters, (cluster) => cluster.id),
  });
}

function jsonSummary(model: ReportModel): JsonNode<ReportJsonSummary> {
  const { summary } = model;
  return jsonObject<ReportJsonSummary>({
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
    byCheck: jsonArray(summary.byCheck, jsonCheckSummary),
  });
}

function jsonControl(control: ReportControl): JsonNode<ReportJsonControl> {
  return jsonObject<ReportJsonControl>({
    control: control.control,
    title: control.title,
    assessment: control.assessment,
    coverage: control.coverage,
    checks: [...control.checks],
    ...(control.verify === null ? {} : { verify: control.verify }),
    ...(control.note === null ? {} : { note: control.note }),
    status: control.status,
    clusters: jsonArray(control.clusters, (cluster) => ({
      clusterId: cluster.clusterId,
      status: cluster.status,
    })),
  });
}

function jsonFramework(framework: ReportFramework): JsonNode<ReportJsonFramework> {
  return jsonObject<ReportJsonFramework>({
    framework: framework.framework,
    version: framework.version,
    title: framework.title,
    provider: framework.provider,
    score: jsonScore(framework.score),
    clusters: jsonArray(framework.clusters, (cluster) => ({
      clusterId: cluster.clusterId,
      score: jsonScore(cluster.score),
    })),
    controls: jsonArray(framework.controls, jsonControl),
  });
}

function jsonProblem(problem: ReportProblem): ReportJsonProblem {
  return {
    ...(problem.file === null ? {} : { file: problem.file }),
    ...(problem.scope === null ? {} : { scope: problem.scope }),
    ...(problem.cluster === null ? {} : { cluster: problem.cluster }),
    reason: problem.reason,
  };
}

function jsonNotice(notice: RunNotice): RunNotice {
  return { files: [...notice.files], cluster: notice.cluster, message: notice.message };
}

/** report.json as the writer walks it: every array that grows with the estate made element by element. */
function reportJsonDocument(model: ReportModel): JsonObjectNode<ReportJson> {
  return jsonObject<ReportJson>({
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
    scopes: jsonArray(model.scopes, jsonScope),
    clusters: jsonArray(model.clusters, jsonCluster),
    findings: jsonArray(model.findings, jsonFinding),
    summary: jsonSummary(model),
    checks: model.catalogue.map((entry) => ({
      id: entry.id,
      title: entry.title,
      severity: entry.severity,
      category: entry.category,
      source: entry.source,
    })),
    problems: jsonArray(model.problems, jsonProblem),
    notices: jsonArray(model.notices, jsonNotice),
    compliance: jsonArray(model.compliance, jsonFramework),
    ...(model.frameworkView === null
      ? {}
      : {
          frameworkView: { framework: model.frameworkView.framework, version: model.frameworkView.version },
        }),
    ...(model.diff === null ? {} : { diff: withArraysInPieces(model.diff.data) }),
    ...(model.versions === null ? {} : { versions: withArraysInPieces(model.versions.data) }),
  });
}

/** The value a node stands for, every array made whole. */
function materialise<T>(node: JsonNode<T>): T {
  if (node instanceof JsonArrayNode) return [...node.elements()].map((element) => materialise(element)) as T;
  if (node instanceof JsonObjectNode) {
    const members = Object.entries(node.members as Record<string, JsonNode<unknown>>);
    return Object.fromEntries(members.map(([key, member]) => [key, materialise(member)])) as T;
  }
  return node as T;
}

/** The `report.json` document of a report model: only data, no labels. */
export function toReportJson(model: ReportModel): ReportJson {
  return materialise<ReportJson>(reportJsonDocument(model));
}

/**
 * The text of a node exactly as `JSON.stringify(value, null, 2)` writes it at this indent: plain
 * data is serialised whole (its line breaks can only be layout: JSON escapes those in strings),
 * arrays and objects in pieces are written member by member.
 */
function* jsonText(node: JsonNode<unknown>, indent: string): Generator<string, void, undefined> {
  const inner = `${indent}  `;
  if (node instanceof JsonArrayNode) {
    if (node.isEmpty) {
      yield '[]';
      return;
    }
    let separator = `[\n${inner}`;
    for (const element of node.elements()) {
      yield separator;
      yield* jsonText(element, inner);
      separator = `,\n${inner}`;
    }
    yield `\n${indent}]`;
    return;
  }
  if (node instanceof JsonObjectNode) {
    // JSON.stringify leaves out members whose value is undefined; an object of nothing else is `{}`.
    const members = Object.entries(node.members as Record<string, JsonNode<unknown>>).filter(
      ([, member]) => member !== undefined,
    );
    if (members.length === 0) {
      yield '{}';
      return;
    }
    let separator = `{\n${inner}`;
    for (const [key, member] of members) {
      yield `${separator}${JSON.stringify(key)}: `;
      yield* jsonText(member, inner);
      separator = `,\n${inner}`;
    }
    yield `\n${indent}}`;
    return;
  }
  // An array element JSON cannot carry (undefined) is written as null, as JSON.stringify does.
  const text: string | undefined = JSON.stringify(node, null, 2);
  yield text === undefined ? 'null' : text.replaceAll('\n', `\n${indent}`);
}

/**
 * `report.json` in pieces: the same bytes as `JSON.stringify(toReportJson(model), null, 2)` and a
 * final line break, but made as they are written, so a large estate's document (and the object
 * `toReportJson` would build for it) is never whole in memory.
 */
export function renderReportJson(model: ReportModel): TextChunks {
  return textChunks(() => inChunks(reportJsonText(model)));
}

function* reportJsonText(model: ReportModel): Generator<string, void, undefined> {
  yield* jsonText(reportJsonDocument(model), '');
  yield '\n';
}
