import { parseArgs } from 'node:util';
import { CHECKS, findCheck } from '../checks/registry.js';
import { PROVIDERS } from '../model/posture.js';
import { UsageError } from './errors.js';
import { type CliIo, EXIT } from './io.js';

/*
 * `kubeline checks` and `kubeline explain`: they print the catalogue, so they load the checks and
 * nothing of a scan (no configuration schema, no SDK, no renderer). The CIS benchmarks' data and
 * the API-call table are imported only by the forms that print them (--json, --framework, explain).
 */

/** `kubeline explain CHECK-ID`: one check's whole catalogue entry (docs/checks.md has them all). */
export async function explainCommand(args: readonly string[], io: CliIo): Promise<number> {
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
  const [{ explainCheck }, { apiCallsFor }] = await Promise.all([
    import('../checks/catalogueDoc.js'),
    import('../providers/fieldApis.js'),
  ]);
  io.stdout(explainCheck(found.check, apiCallsFor));
  return EXIT.ok;
}

/** `kubeline checks --framework cis-gke`: every control of that benchmark, and how kubeline covers it. */
async function frameworkMapping(framework: string, json: boolean, io: CliIo): Promise<number> {
  const { benchmarkFor, benchmarkMapping } = await import('./frameworkView.js');
  const benchmark = benchmarkFor(framework);
  io.stdout(json ? `${JSON.stringify(benchmark, null, 2)}\n` : benchmarkMapping(benchmark));
  return EXIT.ok;
}

/** `kubeline checks [--json] [--framework F]`: the catalogue, as a table or as JSON. */
export async function checksCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean' }, framework: { type: 'string' } },
    strict: true,
  });
  if (values.framework !== undefined) return frameworkMapping(values.framework, values.json === true, io);
  if (values.json) {
    const [{ complianceFor }, { apiCallsFor }] = await Promise.all([
      import('../checks/frameworks/cis.js'),
      import('../providers/fieldApis.js'),
    ]);
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
