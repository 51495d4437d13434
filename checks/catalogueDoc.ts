import type { ComplianceRef } from '../model/finding.js';
import { PROVIDER_NAMES, PROVIDERS, type Provider } from '../model/posture.js';
import { complianceFor } from './frameworks/cis.js';
import type { Check } from './types.js';

/*
 * The catalogue as people read it, written from the checks themselves: docs/checks.md (kept equal
 * to this output by a test) and `kubeline explain <CHECK-ID>`. Nothing here is typed twice.
 */

const RESPONSIBILITY_WORDS = { customer: 'customer', provider: 'provider', shared: 'shared' } as const;

/**
 * The API calls behind posture fields on one provider (providers/fieldApis.ts `apiCallsFor`),
 * passed in by the caller: checks know the posture, not the providers that fill it.
 */
export type ApiCallsOf = (provider: Provider, paths: readonly string[]) => readonly string[];

/** How a check applies to one cloud, in a word or two. */
function sideOn(check: Check, provider: Provider): string {
  const entry = check.providers[provider];
  return 'responsibility' in entry ? RESPONSIBILITY_WORDS[entry.responsibility] : 'n/a';
}

function controlsText(refs: readonly ComplianceRef[]): string {
  return refs.map((ref) => `${ref.framework} ${ref.version} ${ref.control}`).join(', ');
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function sourceWords(source: Check['source']): string {
  switch (source) {
    case 'api':
      return 'cloud management API';
    case 'k8s':
      return 'in-cluster read (the in-cluster pass, or an in-cluster export)';
    case 'api/k8s':
      return 'cloud management API, and in-cluster read where the API cannot show it';
  }
}

/** The lines of one check's entry, shared by the Markdown document and `kubeline explain`. */
function entryLines(check: Check, style: 'markdown' | 'text', apiCallsOf: ApiCallsOf): string[] {
  const code = (text: string) => (style === 'markdown' ? `\`${text}\`` : text);
  const codes = (texts: readonly string[]) => (texts.length > 0 ? texts.map(code).join(', ') : 'none');
  const lines: string[] = [
    `Severity: ${check.severity}. Category: ${check.category}. Reads: ${sourceWords(check.source)}.`,
    '',
    check.rationale,
    '',
  ];
  for (const provider of PROVIDERS) {
    const entry = check.providers[provider];
    const refs = complianceFor(check.id, provider);
    if ('notApplicable' in entry) {
      lines.push(`- ${PROVIDER_NAMES[provider]}: not applicable: ${entry.notApplicable}`);
      continue;
    }
    lines.push(
      `- ${PROVIDER_NAMES[provider]}: ${RESPONSIBILITY_WORDS[entry.responsibility]} side${refs.length > 0 ? `; ${controlsText(refs)}` : ''}`,
      `  - Fields read: ${codes(entry.reads)}`,
      `  - API calls: ${codes(apiCallsOf(provider, entry.reads))}`,
    );
  }
  lines.push('', `Remediation: ${check.remediation.text}`);
  for (const provider of PROVIDERS) {
    const command = check.remediation.cli[provider];
    if (command !== undefined) lines.push(`- ${PROVIDER_NAMES[provider]}: ${code(command)}`);
  }
  if (check.remediation.links.length > 0) {
    lines.push('', 'References:', ...check.remediation.links.map((link) => `- ${link}`));
  }
  return lines;
}

/** `kubeline explain <CHECK-ID>`: one check's whole entry, for a terminal. */
export function explainCheck(check: Check, apiCallsOf: ApiCallsOf): string {
  return [`${check.id}: ${check.title}`, '', ...entryLines(check, 'text', apiCallsOf), ''].join('\n');
}

/** docs/checks.md: a summary table, then every check's entry, in catalogue order. */
export function catalogueMarkdown(checks: readonly Check[], apiCallsOf: ApiCallsOf): string {
  const header = [
    '# The kubeline check catalogue',
    '',
    '<!-- Generated from checks/ by `npm run docs`; test/checks/catalogueDoc.spec.ts keeps it equal. Do not edit by hand. -->',
    '',
    `${checks.length} checks. The side is who owns the setting under the shared-responsibility model: the customer,`,
    'the provider, or shared; `n/a` where the check does not apply to that cloud. CIS ids are the controls of the',
    "CIS benchmark of each cloud that the check decides (all of them together, with the control's other checks).",
    'Each entry lists, per cloud, the posture fields the check reads and the API calls (as the least-privilege roles',
    'name them) those fields are read from; a check with no field read states a fact of the provider.',
    '',
    `| id | title | severity | ${PROVIDERS.map((provider) => provider.toUpperCase()).join(' | ')} | CIS |`,
    `|---|---|---|${PROVIDERS.map(() => '---').join('|')}|---|`,
    ...checks.map((check) => {
      const cis = PROVIDERS.flatMap((provider) =>
        complianceFor(check.id, provider).map((ref) => `${provider.toUpperCase()} ${ref.control}`),
      );
      return `| [${check.id}](#${check.id.toLowerCase()}) | ${cell(check.title)} | ${check.severity} | ${PROVIDERS.map((provider) => sideOn(check, provider)).join(' | ')} | ${cell(cis.join(', '))} |`;
    }),
    '',
  ];
  const entries = checks.flatMap((check) => [
    `## ${check.id}`,
    '',
    `**${check.title}**`,
    '',
    ...entryLines(check, 'markdown', apiCallsOf),
    '',
  ]);
  return [...header, ...entries].join('\n');
}
