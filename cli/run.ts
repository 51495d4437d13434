import { parseArgs } from 'node:util';
import { explainCheck } from '../checks/catalogueDoc.js';
import { complianceFor } from '../checks/frameworks/cis.js';
import { CHECKS, findCheck } from '../checks/registry.js';
import { ConfigError, loadConfig, validateConfigReferences } from '../config/load.js';
import { exitCodeFor, type FailOn, type PdfOutcome, runScan } from '../engine/pipeline.js';
import { dayOf, parseDay } from '../model/dates.js';
import { SEVERITIES, STATUSES, type Status } from '../model/finding.js';
import { PROVIDERS, type Provider } from '../model/posture.js';
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, type ReportFormat } from '../model/reportFormats.js';
import { apiCallsFor } from '../providers/fieldApis.js';
import { composeScan } from './compose.js';
import { UsageError } from './errors.js';
import { benchmarkFor, benchmarkMapping } from './frameworkView.js';
import { packageInfo } from './packageInfo.js';

/** Where the CLI writes, and what it knows of its environment; injected so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderrIsTty: boolean;
  readonly now?: () => Date;
}

export const EXIT = { ok: 0, failing: 1, incomplete: 2, usage: 64, internal: 70 } as const;

const USAGE = `Usage:
  kubeline scan   [--config FILE] [--from PATH]... [--provider eks,gke,aks] [--out URI]
                  [--format html,md,json,csv,junit,ocsf,pdf] [--fail-on SEVERITY|none]
                  [--as-of YYYY-MM-DD] [--no-notify] [--no-in-cluster] [--debug]
                  [--framework cis-eks|cis-gke|cis-aks]
  kubeline checks [--json] [--framework cis-eks|cis-gke|cis-aks]
  kubeline explain CHECK-ID
  kubeline serve  [--port N] [--host 127.0.0.1] [--config FILE] [--from PATH]... [--out URI]
                  [--no-in-cluster]
  kubeline --version | --help

serve runs the HTTP API (POST /scans, GET /scans, GET /scans/{runId}) until SIGINT or SIGTERM;
clients present the bearer token of the KUBELINE_SERVE_TOKEN environment variable.

--format defaults to html,md,json,csv,junit (or output.formats); ocsf adds findings.ocsf.json,
one OCSF Compliance Finding per finding, for a SIEM or a security lake; pdf adds report.pdf, the
HTML report printed by headless Chromium (output.pdf.executablePath, else KUBELINE_CHROMIUM, else
/usr/bin/chromium): without one the PDF is skipped with a notice and the exit code is unchanged.

--framework limits a scan to one CIS benchmark: the clusters of its provider and the checks its
controls map; the report leads with the benchmark's controls and scores. On checks it prints every
control of the benchmark: automated (its checks), provider-managed, or manual (what to verify).

--no-in-cluster skips the in-cluster pass (inCluster.enabled) for every cluster of the run; the
in-cluster checks stay unknown and say so.

Exit codes: 0 complete and nothing failing at or above --fail-on (default high);
            1 failures at or above it; 2 incomplete (a file, scope or cluster could not be read);
            64 bad usage or configuration.`;

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

async function scanCommand(args: readonly string[], io: CliIo): Promise<number> {
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

  const loaded = await loadConfig(values.config, io.env);
  const { config, notices } = validateConfigReferences(
    loaded.config,
    CHECKS.map((check) => check.id),
    asOf ?? dayOf(now()),
    loaded.source,
  );
  for (const notice of notices) io.stderr(`kubeline: notice: ${notice}\n`);
  const formats: readonly ReportFormat[] =
    listOption(values.format, REPORT_FORMATS, '--format') ?? config.output?.formats ?? DEFAULT_REPORT_FORMATS;

  const deps = await composeScan(config, {
    from: values.from ?? [],
    providers,
    out: values.out,
    tool: packageInfo(),
    env: io.env,
    ...(values['no-in-cluster'] ? { inCluster: false } : {}),
    ...(benchmark ? { framework: benchmark.framework } : {}),
  });
  if (io.stderrIsTty) io.stderr(`kubeline: reading ${deps.sources.map((s) => s.name).join('; ')}\n`);
  const outcome = await runScan(
    { ...deps, clock: now },
    { trigger: 'cli', formats, ...(asOf ? { asOf } : {}), ...(values['no-notify'] ? { notify: false } : {}) },
  );

  const counts = new Map<Status, number>(STATUSES.map((status) => [status, 0]));
  for (const finding of outcome.findings) counts.set(finding.status, (counts.get(finding.status) ?? 0) + 1);
  const tally = STATUSES.filter((status) => (counts.get(status) ?? 0) > 0)
    .map((status) => `${counts.get(status)} ${status.replace('_', ' ')}`)
    .join(', ');
  io.stderr(
    `kubeline: ${outcome.clusters.length} clusters, ${outcome.findings.length} findings: ${tally || 'none'}\n`,
  );
  if (outcome.apiCalls.calls > 0) {
    const { calls, retries, failures } = outcome.apiCalls;
    io.stderr(`kubeline: ${calls} cloud API calls, ${retries} retried, ${failures} failed\n`);
  }
  const { diff } = outcome;
  if (diff.previousRun) {
    io.stderr(
      `kubeline: since run ${diff.previousRun.id}: ${diff.new.length} new failing, ${diff.fixed.length} fixed, ${diff.persisting.length} still failing, ${diff.newlyUnknown.length} newly unknown\n`,
    );
  } else {
    io.stderr(`kubeline: no comparison with a previous run: ${diff.unavailable}\n`);
  }
  for (const failure of outcome.historyFailures) {
    io.stderr(`kubeline: history.json not updated in ${failure.sink}: ${failure.reason}\n`);
  }
  for (const failure of outcome.indexFailures) {
    io.stderr(`kubeline: index.html not updated in ${failure.sink}: ${failure.reason}\n`);
  }
  for (const line of pdfNotices(outcome.pdf)) io.stderr(`kubeline: notice: ${line}\n`);
  for (const scope of outcome.scopes.filter((item) => item.status === 'error')) {
    const where = [scope.provider, scope.scope, scope.region].filter(Boolean).join(' ');
    io.stderr(`kubeline: not read: ${where}: ${scope.error ?? 'unknown error'}\n`);
  }
  for (const problem of outcome.problems) {
    const where = [problem.file, problem.scope, problem.cluster].filter(Boolean).join(' ');
    io.stderr(`kubeline: not read: ${where}: ${problem.reason}\n`);
  }
  for (const notice of outcome.notices) {
    io.stderr(`kubeline: notice: cluster ${notice.cluster}: ${notice.message}\n`);
  }
  for (const notice of outcome.waiverNotices) {
    const { waiver } = notice;
    const when = notice.state === 'expired' ? `expired on ${waiver.expires}` : `expires on ${waiver.expires}`;
    io.stderr(`kubeline: waiver for ${waiver.check} (owner ${waiver.owner}) ${when}\n`);
  }
  if (!outcome.complete)
    io.stderr('kubeline: the run is INCOMPLETE: some input could not be read (exit 2)\n');
  for (const failure of outcome.publishFailures) {
    io.stderr(
      `kubeline: run ${failure.runId} not published to ${failure.sink} (object ${failure.key}): ${failure.reason}\n`,
    );
  }
  if (outcome.fallbackLocation) {
    io.stderr(
      `kubeline: the whole run is kept in ${outcome.fallbackLocation}; latest.json of the failed sink was left as it was (exit 2)\n`,
    );
  }
  for (const result of outcome.notifications) {
    if (result.delivered > 0) {
      io.stderr(
        `kubeline: ${result.notifier}: ${result.delivered} ${result.delivered === 1 ? 'email' : 'emails'} sent\n`,
      );
    }
    for (const failure of result.failures) {
      const to = failure.recipients.length > 0 ? failure.recipients.join(', ') : '(no recipients)';
      io.stderr(
        `kubeline: email not delivered by ${failure.notifier} to ${to}: ${failure.reason} (exit 2)\n`,
      );
    }
  }
  const html = outcome.files.find((file) => file.name === 'report.html') ?? outcome.files[0];
  io.stderr(`kubeline: report written to ${outcome.runLocation}${html ? ` (open ${html.location})` : ''}\n`);
  io.stdout(`${outcome.runLocation}\n`);
  return exitCodeFor(outcome, failOn);
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

/** `kubeline explain CHECK-ID`: one check's whole catalogue entry (docs/checks.md has them all). */
function explainCommand(args: readonly string[], io: CliIo): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true });
  const [wanted, ...extra] = positionals;
  if (wanted === undefined || extra.length > 0)
    throw new UsageError('explain takes one check id, e.g. kubeline explain EP-02');
  const found = findCheck(wanted.trim().toUpperCase());
  if (found === undefined) {
    const family = wanted.trim().toUpperCase().split('-')[0] ?? '';
    const near = CHECKS.filter((candidate) => candidate.id.startsWith(`${family}-`)).map(
      (candidate) => candidate.id,
    );
    throw new UsageError(
      `no check ${JSON.stringify(wanted)}${near.length > 0 ? `; ${family} checks are ${near.join(', ')}` : '; kubeline checks lists every id'}`,
    );
  }
  if (found.notice !== undefined) io.stderr(`kubeline: notice: ${found.notice}\n`);
  io.stdout(explainCheck(found.check, apiCallsFor));
  return EXIT.ok;
}

/** `kubeline checks --framework cis-gke`: every control of that benchmark, and how kubeline covers it. */
function frameworkMapping(framework: string, json: boolean, io: CliIo): number {
  const benchmark = benchmarkFor(framework);
  io.stdout(json ? `${JSON.stringify(benchmark, null, 2)}\n` : benchmarkMapping(benchmark));
  return EXIT.ok;
}

function checksCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean' }, framework: { type: 'string' } },
    strict: true,
  });
  if (values.framework !== undefined) return frameworkMapping(values.framework, values.json === true, io);
  if (values.json) {
    const catalogue = CHECKS.map((check) => ({
      id: check.id,
      title: check.title,
      severity: check.severity,
      category: check.category,
      source: check.source,
      providers: Object.fromEntries(
        PROVIDERS.map((provider) => {
          const entry = check.providers[provider];
          return [
            provider,
            'notApplicable' in entry
              ? { applies: false, reason: entry.notApplicable }
              : {
                  applies: true,
                  responsibility: entry.responsibility,
                  compliance: complianceFor(check.id, provider),
                  reads: entry.reads,
                  apiCalls: apiCallsFor(provider, entry.reads),
                },
          ];
        }),
      ),
      rationale: check.rationale,
      remediation: check.remediation,
    }));
    io.stdout(`${JSON.stringify(catalogue, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = CHECKS.map((check) => {
    const providers = PROVIDERS.filter((provider) => 'responsibility' in check.providers[provider]).join(',');
    return `${check.id.padEnd(11)} ${check.severity.padEnd(8)} ${providers.padEnd(11)} ${check.title}`;
  });
  io.stdout(
    `${'ID'.padEnd(11)} ${'SEVERITY'.padEnd(8)} ${'PROVIDERS'.padEnd(11)} TITLE\n${rows.join('\n')}\n`,
  );
  return EXIT.ok;
}

/** The variable that holds the bearer token `kubeline serve` requires of its clients. */
export const SERVE_TOKEN_VARIABLE = 'KUBELINE_SERVE_TOKEN';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8080;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port takes a port number from 0 to 65535; got ${JSON.stringify(value)}`);
  }
  return port;
}

async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      from: { type: 'string', multiple: true },
      out: { type: 'string' },
      'no-in-cluster': { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  });
  const token = io.env[SERVE_TOKEN_VARIABLE]?.trim();
  if (!token) {
    throw new UsageError(
      `serve needs a bearer token for its clients in ${SERVE_TOKEN_VARIABLE}; it is not set`,
    );
  }
  const port = parsePort(values.port);
  const host = values.host ?? '127.0.0.1';
  const now = io.now ?? (() => new Date());
  const loaded = await loadConfig(values.config, io.env);
  const { config, notices } = validateConfigReferences(
    loaded.config,
    CHECKS.map((check) => check.id),
    dayOf(now()),
    loaded.source,
  );
  for (const notice of notices) io.stderr(`kubeline: notice: ${notice}\n`);
  // Loaded here, not at the top: the other commands need no HTTP server.
  const [{ composeScan: compose }, { startServe, untilSignal }] = await Promise.all([
    import('./compose.js'),
    import('../api/serve.js'),
  ]);
  const log = (line: Readonly<Record<string, unknown>>) => io.stderr(`${JSON.stringify(line)}\n`);
  const serving = await startServe({
    host,
    port,
    token,
    compose: () =>
      compose(config, {
        from: values.from ?? [],
        providers: [],
        out: values.out,
        tool: packageInfo(),
        env: io.env,
        ...(values['no-in-cluster'] ? { inCluster: false } : {}),
      }),
    formats: config.output?.formats ?? DEFAULT_REPORT_FORMATS,
    clock: now,
    elapsed: () => performance.now(),
    log,
  });
  log({ event: 'listening', url: serving.url });
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  log({ event: 'stopping', signal });
  await serving.stop();
  log({ event: 'stopped' });
  return EXIT.ok;
}

/** Runs the kubeline command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case 'checks':
        return checksCommand(rest, io);
      case 'explain':
        return explainCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case '--version':
      case 'version':
        io.stdout(`${packageInfo().version}\n`);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; run kubeline --help`);
    }
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      error instanceof ConfigError ||
      (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'));
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kubeline: ${usage ? '' : 'internal error: '}${message}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return usage ? EXIT.usage : EXIT.internal;
  }
}
