import { parseArgs } from 'node:util';
import type { FailOn, PdfOutcome, ScanOutcome } from '../engine/pipeline.js';
import { dayOf, parseDay } from '../model/dates.js';
import { SEVERITIES, STATUSES, type Status } from '../model/finding.js';
import { PROVIDERS, type Provider } from '../model/posture.js';
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, type ReportFormat } from '../model/reportFormats.js';
import { composeScan } from './compose.js';
import { configurationFor } from './configuration.js';
import { UsageError } from './errors.js';
import { benchmarkFor } from './frameworkView.js';
import type { CliIo } from './io.js';
import { packageInfo } from './packageInfo.js';

function listOption<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  const bad = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (bad.length > 0 || items.length === 0) {
    throw new UsageError(
      `${flag} takes a comma-separated list of ${allowed.join(', ')}; got ${JSON.stringify(value)}`,
    );
  }
  return items as T[];
}

function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined) return 'high';
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new UsageError(`--fail-on takes ${SEVERITIES.join(', ')} or none; got ${JSON.stringify(value)}`);
}

/** What the operator should know about the run, on stderr: counts, what was not read, where it went. */
function summary(outcome: ScanOutcome): string[] {
  const lines: string[] = [];
  const counts = new Map<Status, number>(STATUSES.map((status) => [status, 0]));
  for (const finding of outcome.findings) counts.set(finding.status, (counts.get(finding.status) ?? 0) + 1);
  const tally = STATUSES.filter((status) => (counts.get(status) ?? 0) > 0)
    .map((status) => `${counts.get(status)} ${status.replace('_', ' ')}`)
    .join(', ');
  lines.push(`${outcome.clusters.length} clusters, ${outcome.findings.length} findings: ${tally || 'none'}`);
  if (outcome.apiCalls.calls > 0) {
    const { calls, retries, failures } = outcome.apiCalls;
    lines.push(`${calls} cloud API calls, ${retries} retried, ${failures} failed`);
  }
  const { diff } = outcome;
  if (diff.previousRun) {
    lines.push(
      `since run ${diff.previousRun.id}: ${diff.new.length} new failing, ${diff.fixed.length} fixed, ${diff.persisting.length} still failing, ${diff.newlyUnknown.length} newly unknown`,
    );
  } else {
    lines.push(`no comparison with a previous run: ${diff.unavailable}`);
  }
  for (const failure of outcome.historyFailures) {
    lines.push(`history.json not updated in ${failure.sink}: ${failure.reason}`);
  }
  for (const failure of outcome.indexFailures) {
    lines.push(`index.html not updated in ${failure.sink}: ${failure.reason}`);
  }
  for (const line of pdfNotices(outcome.pdf)) lines.push(`notice: ${line}`);
  for (const scope of outcome.scopes.filter((item) => item.status === 'error')) {
    const where = [scope.provider, scope.scope, scope.region].filter(Boolean).join(' ');
    lines.push(`not read: ${where}: ${scope.error ?? 'unknown error'}`);
  }
  for (const problem of outcome.problems) {
    const where = [problem.file, problem.scope, problem.cluster].filter(Boolean).join(' ');
    lines.push(`not read: ${where}: ${problem.reason}`);
  }
  for (const notice of outcome.notices) {
    lines.push(`notice: cluster ${notice.cluster}: ${notice.message}`);
  }
  for (const notice of outcome.waiverNotices) {
    const { waiver } = notice;
    const when = notice.state === 'expired' ? `expired on ${waiver.expires}` : `expires on ${waiver.expires}`;
    lines.push(`waiver for ${waiver.check} (owner ${waiver.owner}) ${when}`);
  }
  if (!outcome.complete) lines.push('the run is INCOMPLETE: some input could not be read (exit 2)');
  for (const failure of outcome.publishFailures) {
    lines.push(
      `run ${failure.runId} not published to ${failure.sink} (object ${failure.key}): ${failure.reason}`,
    );
  }
  if (outcome.fallbackLocation) {
    lines.push(
      `the whole run is kept in ${outcome.fallbackLocation}; latest.json of the failed sink was left as it was (exit 2)`,
    );
  }
  for (const result of outcome.notifications) {
    if (result.delivered > 0) {
      lines.push(
        `${result.notifier}: ${result.delivered} ${result.delivered === 1 ? 'email' : 'emails'} sent`,
      );
    }
    for (const failure of result.failures) {
      const to = failure.recipients.length > 0 ? failure.recipients.join(', ') : '(no recipients)';
      lines.push(`email not delivered by ${failure.notifier} to ${to}: ${failure.reason} (exit 2)`);
    }
  }
  const html = outcome.files.find((file) => file.name === 'report.html') ?? outcome.files[0];
  lines.push(`report written to ${outcome.runLocation}${html ? ` (open ${html.location})` : ''}`);
  return lines;
}

/** `kubeline scan`: reads, evaluates, reports and publishes one run; returns the exit code. */
export async function scanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      from: { type: 'string', multiple: true },
      provider: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      'no-notify': { type: 'boolean' },
      'no-in-cluster': { type: 'boolean' },
      'as-of': { type: 'string' },
      framework: { type: 'string' },
      debug: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  });
  const benchmark = values.framework === undefined ? undefined : benchmarkFor(values.framework);
  const asOf = values['as-of'];
  if (asOf !== undefined && !parseDay(asOf))
    throw new UsageError(`--as-of takes a day as YYYY-MM-DD; got ${JSON.stringify(asOf)}`);
  const providers = listOption<Provider>(values.provider, PROVIDERS, '--provider') ?? [];
  const failOn = parseFailOn(values['fail-on']);
  const now = io.now ?? (() => new Date());

  const config = await configurationFor(values.config, io.env, asOf ?? dayOf(now()), (notice) =>
    io.stderr(`kubeline: notice: ${notice}\n`),
  );
  const formats: readonly ReportFormat[] =
    listOption(values.format, REPORT_FORMATS, '--format') ?? config.output?.formats ?? DEFAULT_REPORT_FORMATS;

  // The run starts before its reading, which composeScan begins (readEarly), not when the engine has loaded.
  const startedAt = now();
  const deps = await composeScan(config, {
    from: values.from ?? [],
    providers,
    out: values.out,
    tool: packageInfo(),
    env: io.env,
    ...(values['no-in-cluster'] ? { inCluster: false } : {}),
    ...(benchmark ? { framework: benchmark.framework } : {}),
    readEarly: true,
  });
  if (io.stderrIsTty) io.stderr(`kubeline: reading ${deps.sources.map((s) => s.name).join('; ')}\n`);
  // Loaded while the first requests are in flight: nothing of the engine is needed to send them.
  const { defaultRunId, exitCodeFor, runScan } = await import('../engine/pipeline.js');
  const outcome = await runScan(
    { ...deps, clock: now },
    {
      trigger: 'cli',
      formats,
      run: { id: defaultRunId(startedAt), startedAt },
      ...(asOf ? { asOf } : {}),
      ...(values['no-notify'] ? { notify: false } : {}),
    },
  );
  for (const line of summary(outcome)) io.stderr(`kubeline: ${line}\n`);
  if (values.debug) io.stderr(`kubeline: ${timingsLine(outcome.timings)}\n`);
  io.stdout(`${outcome.runLocation}\n`);
  return exitCodeFor(outcome, failOn);
}

/** Where the run's time went, for `--debug`: each stage in milliseconds, in the order they ran. */
export function timingsLine(timings: ScanOutcome['timings']): string {
  const stages = (['collect', 'evaluate', 'report', 'publish'] as const).map(
    (stage) => `${stage} ${Math.round(timings[stage])} ms`,
  );
  return `timings: ${stages.join(', ')}`;
}

/** What to tell the operator about the PDF: why it is missing, or the requests it tried to make. */
export function pdfNotices(pdf: PdfOutcome | undefined): string[] {
  if (pdf === undefined) return [];
  if (pdf.state !== 'written') return [`${pdf.reason}; the other reports were written`];
  if (pdf.blockedRequests.length === 0) return [];
  // The first few name the culprit; the manifest keeps them all.
  const shown = pdf.blockedRequests.slice(0, 5).join(', ');
  const more = pdf.blockedRequests.length > 5 ? ', …' : '';
  return [
    `report.pdf: the report tried ${pdf.blockedRequests.length} network requests while printing, all refused: ${shown}${more}`,
  ];
}
