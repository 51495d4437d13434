import { randomBytes } from 'node:crypto';
import type { Benchmark } from '../checks/frameworks/cis.js';
import type { Check, CheckSettings } from '../checks/types.js';
import { dayOf } from '../model/dates.js';
import { bodyText } from '../model/fileBody.js';
import type { Finding, Framework, Severity } from '../model/finding.js';
import { severityRank } from '../model/finding.js';
import type { ClusterPosture, Provider } from '../model/posture.js';
import type { PdfResult, RenderedFile, RenderedFormat, ReportFormat } from '../model/reportFormats.js';
import type { ProviderManagedControls, ReportModel, WaiverNotices } from '../model/reportView.js';
import type { ApiCallTotals, RunNotice, ScopeResult, Trigger } from '../model/run.js';
import type { RunDiff } from '../model/runDiff.js';
import type { SupportCalendar } from '../model/support.js';
import { buildReportModel } from '../report/build.js';
import { diffRuns } from './diff.js';
import { evaluateChecks } from './evaluate.js';
import {
  type HistoryEntry,
  historyEntry,
  type PastRuns,
  readPastRuns,
  recordRunInHistory,
} from './history.js';
import type {
  NotificationResult,
  Notifier,
  PdfPrinter,
  PostureSource,
  PublishedRun,
  ReadProblem,
  ReportRenderer,
  ReportSink,
} from './ports.js';
import {
  type LatestPointer,
  type PublishedFile,
  type RenderRunIndex,
  RunPublisher,
  type SinkFailure,
} from './publish.js';
import { versionIntelligence } from './versions/intelligence.js';
import { applyWaivers, describeSelector, type Waiver, type WaiverNotice } from './waivers.js';

/** What the composition root hands the pipeline: adapters, data and policy, no globals. */
export interface PipelineDeps {
  readonly tool: { readonly name: string; readonly version: string };
  readonly sources: readonly PostureSource[];
  readonly checks: readonly Check[];
  readonly settings: CheckSettings;
  readonly disabledChecks: ReadonlySet<string>;
  readonly severityOverrides: Readonly<Record<string, Severity>>;
  readonly waivers: readonly Waiver[];
  readonly support: SupportCalendar;
  readonly benchmarks: readonly Benchmark[];
  /** `scan --framework`: the benchmark the run is limited to, which the report leads with. */
  readonly frameworkView?: Framework;
  readonly providerManaged: ProviderManagedControls;
  readonly sharedResponsibilityPages: Readonly<Record<Provider, string>>;
  /** Where runs are published, in order: the first is read for the previous run, and links point there. */
  readonly sinks: readonly [ReportSink, ...ReportSink[]];
  /** A local folder that receives the whole run when a sink fails, so the report is never lost. */
  readonly fallback: ReportSink;
  /** Who is told about the run once its files are published (email); none by default. */
  readonly notifiers?: readonly Notifier[];
  /** Renders the report model in one format; the composition root wires report/render.ts's `renderReport`. */
  readonly render: ReportRenderer;
  /** `output.html.clusterPagesAbove`: above this many clusters each cluster's detail is its own page. */
  readonly clusterPagesAbove?: number;
  /** Prints the HTML report to `report.pdf` when `pdf` is asked for; without it the PDF is skipped. */
  readonly pdf?: PdfPrinter;
  /** Renders each sink's `index.html` after the run is recorded; without it no index is written. */
  readonly renderIndex?: RenderRunIndex;
  readonly clock: () => Date;
  readonly newRunId?: (startedAt: Date) => string;
}

export interface ScanRequest {
  readonly trigger: Trigger;
  /** Evaluate dates as of this day, `YYYY-MM-DD`; default: the day the run starts (UTC). */
  readonly asOf?: string;
  readonly formats: readonly ReportFormat[];
  /** False skips the notifiers (`--no-notify`). @default true */
  readonly notify?: boolean;
  /**
   * A run begun elsewhere: the fan-out's plan named it and started it, and this process finishes
   * it. Absent, the run starts now under a new id.
   */
  readonly run?: { readonly id: string; readonly startedAt: Date };
}

export type { LatestPointer, PublishedFile, SinkFailure };

/** A cluster as a scan's outcome lists it. */
export type OutcomeCluster = Pick<ClusterPosture, 'id' | 'provider' | 'scope' | 'location' | 'name'>;

/**
 * A finding as a scan's outcome lists it (the report's own finding, so the run keeps one copy):
 * everything but the waiver, which the report holds in its own form.
 */
export type OutcomeFinding = Omit<Finding, 'waiver'>;

export interface ScanOutcome {
  readonly runId: string;
  readonly complete: boolean;
  /** The clusters the run read, in report order (the report's view: the postures are not kept). */
  readonly clusters: readonly OutcomeCluster[];
  /** Every finding, in report order, as the report holds it. */
  readonly findings: readonly OutcomeFinding[];
  readonly scopes: readonly ScopeResult[];
  readonly problems: readonly ReadProblem[];
  readonly notices: readonly RunNotice[];
  readonly waiverNotices: readonly WaiverNotice[];
  readonly apiCalls: ApiCallTotals;
  /** The run's folder in the first sink that holds it (the fallback folder when every sink failed). */
  readonly runLocation: string;
  readonly files: readonly PublishedFile[];
  /** Writes that failed, per sink and object; any makes the run exit 2. */
  readonly publishFailures: readonly SinkFailure[];
  /** Where the whole run was written instead, when a sink failed. */
  readonly fallbackLocation?: string;
  /** What became of `latest.json` in each sink. */
  readonly latest: readonly LatestPointer[];
  /** What each notifier did; a failure makes the run exit 2. */
  readonly notifications: readonly NotificationResult[];
  /** Changes since the previous complete run in the first sink, or why there is no comparison. */
  readonly diff: RunDiff;
  /** Sinks whose `history.json` did not take this run; the run itself is whole, so the exit code ignores them. */
  readonly historyFailures: readonly SinkFailure[];
  /** Sinks whose `index.html` was not rewritten; like history failures, a warning only. */
  readonly indexFailures: readonly SinkFailure[];
  /** What became of `report.pdf`, when it was asked for; a skipped or failed PDF leaves the exit code alone. */
  readonly pdf?: PdfOutcome;
  /** Milliseconds spent per stage, for the benchmark and the logs. */
  readonly timings: Readonly<Record<'collect' | 'evaluate' | 'report' | 'publish', number>>;
}

/**
 * What became of the PDF: `written`, or `skipped` (no Chromium here) or `failed` with the reason.
 * `blockedRequests` are the requests the report made while printing and that were refused.
 */
export type PdfOutcome =
  | { readonly state: 'written'; readonly blockedRequests: readonly string[] }
  | { readonly state: 'skipped' | 'failed'; readonly reason: string };

/** `20261129T083607Z-1a2b3c`: sortable by time, unique across concurrent runs. */
export function defaultRunId(startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Collects every source at once; a source that throws loses only its own scopes. Closes every
 * source afterwards.
 */
export async function collectSources(sources: readonly PostureSource[]) {
  const settled = await Promise.all(
    sources.map((source) =>
      source.collect().then(
        (value) => ({ source, status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ source, status: 'rejected' as const, reason }),
      ),
    ),
  );
  await Promise.allSettled(sources.map((source) => source.close?.()));
  const postures: ClusterPosture[] = [];
  const scopes: ScopeResult[] = [];
  const problems: ReadProblem[] = [];
  const notices: RunNotice[] = [];
  const apiCalls = { calls: 0, retries: 0, failures: 0 };
  for (const result of settled) {
    if (result.status === 'fulfilled') {
      apiCalls.calls += result.value.apiCalls?.calls ?? 0;
      apiCalls.retries += result.value.apiCalls?.retries ?? 0;
      apiCalls.failures += result.value.apiCalls?.failures ?? 0;
      postures.push(...result.value.postures);
      scopes.push(...result.value.scopes);
      problems.push(...result.value.problems);
      notices.push(...(result.value.notices ?? []));
    } else {
      // A source that throws loses only its own scopes: record it and keep the others.
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      problems.push({ scope: result.source.name, reason });
    }
  }
  return { postures, scopes, problems, notices, apiCalls };
}

/** The report's view of waiver notices: expired ones and ones expiring soon, selectors in words. */
function noticesForReport(notices: readonly WaiverNotice[]): WaiverNotices {
  const view = (notice: WaiverNotice) => ({
    check: notice.waiver.check,
    selector: describeSelector(notice.waiver.clusters),
    owner: notice.waiver.owner,
    reason: notice.waiver.reason,
    expires: notice.waiver.expires,
  });
  return {
    expired: notices.filter((notice) => notice.state === 'expired').map(view),
    expiringSoon: notices.filter((notice) => notice.state === 'expiring').map(view),
  };
}

/** What `assessRun` hands on: the report model and the facts the publish stage needs, not the postures. */
interface AssessedRun {
  readonly model: ReportModel;
  readonly collected: Omit<Awaited<ReturnType<typeof collectSources>>, 'postures'>;
  readonly notices: readonly WaiverNotice[];
  readonly complete: boolean;
  readonly past: PastRuns;
  readonly diff: RunDiff;
  readonly entry: HistoryEntry;
  readonly finishedAt: Date;
  readonly collectedAt: Date;
  readonly evaluatedAt: Date;
}

/**
 * collect → normalise → evaluate → diff → report model. The postures and the engine's findings
 * live only in this frame: once the model holds what the reports print, a 5,000-cluster run would
 * otherwise keep both copies (a sixth of its peak memory) through every format it renders.
 */
async function assessRun(
  deps: PipelineDeps,
  request: ScanRequest,
  ids: {
    readonly startedAt: Date;
    readonly runId: string;
    readonly asOf: string;
    readonly runFolder: string;
  },
): Promise<AssessedRun> {
  const { startedAt, runId, asOf, runFolder } = ids;
  const { postures, ...collected } = await collectSources(deps.sources);
  const collectedAt = deps.clock();

  const ctx = { asOf, settings: deps.settings, support: deps.support };
  const evaluated = evaluateChecks(postures, deps.checks, ctx, {
    disabled: deps.disabledChecks,
    severityOverrides: deps.severityOverrides,
  });
  const { findings, notices } = applyWaivers(evaluated, postures, deps.waivers, asOf);
  const evaluatedAt = deps.clock();

  const complete =
    collected.problems.length === 0 && collected.scopes.every((scope) => scope.status === 'ok');
  const past = await readPastRuns(deps.sinks[0]);
  const current = { complete, clusters: postures, scopes: collected.scopes, findings };
  const diff = diffRuns(past.previous, current, past.notices);
  const finishedAt = deps.clock();
  const entry = historyEntry(
    {
      runId,
      startedAt: startedAt.toISOString(),
      folder: runFolder,
      complete,
      clusters: postures.length,
    },
    findings,
    diff,
  );
  const model = buildReportModel({
    tool: deps.tool,
    run: {
      id: runId,
      trigger: request.trigger,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      asOf,
      complete,
      calendarDate: deps.support.calendarDate,
      apiCalls: collected.apiCalls,
    },
    scopes: collected.scopes,
    clusters: postures,
    findings,
    checks: deps.checks,
    benchmarks: deps.benchmarks,
    ...(deps.frameworkView === undefined ? {} : { frameworkView: deps.frameworkView }),
    waiverNotices: noticesForReport(notices),
    providerManaged: deps.providerManaged,
    sharedResponsibilityPages: deps.sharedResponsibilityPages,
    problems: collected.problems,
    notices: collected.notices,
    diff,
    versions: versionIntelligence({ clusters: postures, asOf, support: deps.support }),
    // The trend ends with this run; a history the sink could not read starts with it.
    history: [...(past.history.readable ? past.history.entries : []), entry],
    ...(deps.clusterPagesAbove === undefined ? {} : { clusterPagesAbove: deps.clusterPagesAbove }),
  });
  return { model, collected, notices, complete, past, diff, entry, finishedAt, collectedAt, evaluatedAt };
}

/**
 * plan → collect → normalise → evaluate → report → publish, in-process. Files are written
 * first, the manifest last, then `latest.json` when the run is complete: a run is never
 * half-visible.
 */
export async function runScan(deps: PipelineDeps, request: ScanRequest): Promise<ScanOutcome> {
  const startedAt = request.run?.startedAt ?? deps.clock();
  const runId = request.run?.id ?? (deps.newRunId ?? defaultRunId)(startedAt);
  const asOf = request.asOf ?? dayOf(startedAt);
  const runFolder = `runs/${dayOf(startedAt)}/${runId}`;
  const { model, collected, notices, complete, past, diff, entry, finishedAt, collectedAt, evaluatedAt } =
    await assessRun(deps, request, { startedAt, runId, asOf, runFolder });
  const builtAt = deps.clock();

  // One format at a time, each written before the next is rendered: a large estate's reports
  // run to hundreds of megabytes, and holding all five at once doubles peak memory.
  const publisher = new RunPublisher({
    sinks: deps.sinks,
    fallback: deps.fallback,
    runId,
    folder: runFolder,
    ...(deps.renderIndex ? { renderIndex: deps.renderIndex } : {}),
  });
  let renderMs = builtAt.getTime() - evaluatedAt.getTime();
  let publishMs = 0;
  // A format asked for twice is rendered and published once. The PDF is no rendered format: it
  // is printed from the HTML, which is kept from the loop when it was asked for too.
  const wantsPdf = request.formats.includes('pdf');
  let htmlForPdf: string | undefined;
  for (const format of renderedFormats(request.formats)) {
    // A format's files are rendered one at a time as the loop asks (report.html, then a large
    // estate's cluster pages); a few of them are stored while the next ones render.
    let renderStart = deps.clock();
    // The publisher keeps no body: a sink failure later in the run renders the format again.
    const rerender = () => deps.render(model, format);
    for (const file of deps.render(model, format)) {
      if (wantsPdf && file.name === 'report.html') htmlForPdf = bodyText(file.body);
      const putStart = deps.clock();
      renderMs += putStart.getTime() - renderStart.getTime();
      await publisher.queue(file, rerender);
      renderStart = deps.clock();
      publishMs += renderStart.getTime() - putStart.getTime();
    }
    // Each format is stored whole before the next renders, so the formats land in the order asked.
    const drainStart = deps.clock();
    await publisher.drain();
    publishMs += deps.clock().getTime() - drainStart.getTime();
  }
  let pdf: PdfOutcome | undefined;
  if (wantsPdf) {
    const printStart = deps.clock();
    const printed = await printPdf(deps.pdf, htmlForPdf ?? reportHtml(deps.render(model, 'html')));
    htmlForPdf = undefined;
    const putStart = deps.clock();
    renderMs += putStart.getTime() - printStart.getTime();
    if (printed.kind === 'pdf') {
      await publisher.write({ name: 'report.pdf', contentType: 'application/pdf', body: printed.body });
      pdf = { state: 'written', blockedRequests: printed.blockedRequests };
    } else {
      pdf = { state: printed.kind, reason: printed.reason };
    }
    publishMs += deps.clock().getTime() - putStart.getTime();
  }
  const manifestStart = deps.clock();
  const published: PublishedRun = {
    model,
    files: publisher.files,
    link: async (key, lifetimeSeconds) => {
      const holder = publisher.primary;
      if (holder?.link) return holder.link(key, lifetimeSeconds);
      return (holder ?? deps.fallback).locate(key);
    },
    renderHtml: () => reportHtml(deps.render(model, 'html')),
  };
  const notifications = request.notify === false ? [] : await notifyAll(deps.notifiers ?? [], published);
  const manifest = {
    schemaVersion: 1,
    runId,
    trigger: request.trigger,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    complete,
    files: publisher.files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
    publishFailures: publisher.failures,
    notifications,
    ...(pdf ? { pdf } : {}),
  };
  const latest = await publisher.seal(
    {
      name: 'manifest.json',
      body: `${JSON.stringify(manifest, null, 2)}\n`,
      contentType: 'application/json',
    },
    {
      runId,
      folder: runFolder,
      manifest: publisher.keyOf('manifest.json'),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    },
    complete,
  );
  const historyFailures = await recordRunInHistory(
    // `seal` reports one pointer per sink, in order: a sink that failed gets no history entry.
    deps.sinks.filter((_sink, index) => latest[index]?.state !== 'failed'),
    entry,
    past,
  );
  // After history.json took the run, so the index lists it.
  const indexFailures = await publisher.refreshIndex();
  publishMs += deps.clock().getTime() - manifestStart.getTime();

  return {
    runId,
    complete,
    clusters: model.clusters,
    findings: model.findings,
    scopes: collected.scopes,
    problems: collected.problems,
    notices: collected.notices,
    waiverNotices: notices,
    apiCalls: collected.apiCalls,
    runLocation: (publisher.primary ?? deps.fallback).locate(runFolder),
    files: publisher.files,
    publishFailures: publisher.failures,
    ...(publisher.fallbackLocation ? { fallbackLocation: publisher.fallbackLocation } : {}),
    latest,
    notifications,
    diff,
    historyFailures,
    indexFailures,
    ...(pdf ? { pdf } : {}),
    timings: {
      collect: collectedAt.getTime() - startedAt.getTime(),
      evaluate: evaluatedAt.getTime() - collectedAt.getTime(),
      report: renderMs,
      publish: publishMs,
    },
  };
}

/** The formats the render port produces, each once, in the order asked: all but the PDF. */
function renderedFormats(formats: readonly ReportFormat[]): RenderedFormat[] {
  return [...new Set(formats)].filter((format): format is RenderedFormat => format !== 'pdf');
}

/** Prints the PDF; one without a printer, or whose printer throws despite its contract, has none, and why. */
async function printPdf(printer: PdfPrinter | undefined, html: string): Promise<PdfResult> {
  if (printer === undefined) return { kind: 'skipped', reason: 'PDF skipped: this deployment prints no PDF' };
  try {
    return await printer(html);
  } catch (error) {
    return {
      kind: 'failed',
      reason: `PDF not rendered: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** report.html from the HTML renderer's files: the first, rendered alone (the cluster pages after it never are). */
function reportHtml(files: Iterable<RenderedFile>): string {
  for (const file of files) return bodyText(file.body);
  throw new Error('the HTML renderer produced no report.html');
}

/** Runs every notifier; one that throws despite its contract is recorded as a failure, never lost. */
async function notifyAll(notifiers: readonly Notifier[], run: PublishedRun): Promise<NotificationResult[]> {
  const results: NotificationResult[] = [];
  for (const notifier of notifiers) {
    try {
      results.push(await notifier.notify(run));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      results.push({
        notifier: notifier.name,
        delivered: 0,
        failures: [{ notifier: notifier.name, recipients: [], reason }],
      });
    }
  }
  return results;
}

/** `--fail-on` threshold: a severity, or `none` to fail only on incomplete runs. */
export type FailOn = Severity | 'none';

/**
 * 0 complete and nothing failing at or above the threshold; 1 such failures; 2 incomplete, a sink
 * that did not take the whole run, or a notification that was not delivered.
 */
export function exitCodeFor(
  outcome: Pick<ScanOutcome, 'complete' | 'findings' | 'publishFailures'> &
    Partial<Pick<ScanOutcome, 'notifications'>>,
  failOn: FailOn,
): 0 | 1 | 2 {
  const undelivered = (outcome.notifications ?? []).some((result) => result.failures.length > 0);
  if (!outcome.complete || outcome.publishFailures.length > 0 || undelivered) return 2;
  if (failOn === 'none') return 0;
  const threshold = severityRank(failOn);
  const failing = outcome.findings.some(
    (finding) =>
      (finding.status === 'fail' || finding.status === 'error') &&
      severityRank(finding.severity) <= threshold,
  );
  return failing ? 1 : 0;
}
