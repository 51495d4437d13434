import { UsageError } from './errors.js';
import { type CliIo, EXIT } from './io.js';

/*
 * The dispatcher loads only itself: each command's module is imported when that command runs, so
 * `--help` and `--version` load nothing else, `checks` and `explain` the catalogue only, and a
 * scan no catalogue printer (nor `serve` its server before its token and configuration are checked).
 */

export { type CliIo, EXIT };

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

/** Name and version from package.json. */
async function version(): Promise<string> {
  const { packageInfo } = await import('./packageInfo.js');
  return packageInfo().version;
}

async function dispatch(command: string | undefined, rest: readonly string[], io: CliIo): Promise<number> {
  switch (command) {
    case 'scan': {
      const { scanCommand } = await import('./scan.js');
      return scanCommand(rest, io);
    }
    case 'checks': {
      const { checksCommand } = await import('./catalogue.js');
      return checksCommand(rest, io);
    }
    case 'explain': {
      const { explainCommand } = await import('./catalogue.js');
      return explainCommand(rest, io);
    }
    case 'serve': {
      const { serveCommand } = await import('./serve.js');
      return serveCommand(rest, io);
    }
    case '--version':
    case 'version':
      io.stdout(`${await version()}\n`);
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
}

/** Runs the kubeline command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  try {
    return await dispatch(command, rest, io);
  } catch (error) {
    // A bad configuration reaches here as a UsageError (cli/configuration.ts).
    const usage =
      error instanceof UsageError ||
      (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'));
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kubeline: ${usage ? '' : 'internal error: '}${message}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return usage ? EXIT.usage : EXIT.internal;
  }
}
