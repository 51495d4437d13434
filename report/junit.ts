import { textChunks } from '../model/fileBody.js';
import type { TextChunks } from '../model/reportFormats.js';
import type { ReportCheck, ReportFinding, ReportModel } from '../model/reportView.js';
import { inChunks } from './chunked.js';

/**
 * What XML 1.0 cannot carry, and the C1 controls it merely discourages (CI parsers reject or
 * mangle them): in `u` mode a surrogate pair is one code point, so only a lone surrogate matches.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls XML cannot carry are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const TEXT_SPECIAL = /[&<>]/g;
const ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const entity = (char: string): string => ENTITIES[char] ?? char;

/** Escapes text content; drops characters XML cannot carry. One pass each: junit.xml runs to 100 MB. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(TEXT_SPECIAL, entity);
}

/** Escapes an attribute value; tabs and line breaks as references, which attribute normalisation keeps. */
export function xmlAttribute(text: string): string {
  return text.replace(NOT_XML, '').replace(ATTRIBUTE_SPECIAL, entity);
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
}

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

function countsOf(check: ReportCheck): Counts {
  const { byStatus, total } = check.tally;
  return {
    tests: total,
    failures: byStatus.fail,
    errors: byStatus.error + byStatus.unknown,
    skipped: byStatus.waived + byStatus.not_applicable,
  };
}

function details(finding: ReportFinding): string {
  const lines = [
    `Cluster: ${finding.clusterName} (${finding.clusterId})`,
    `Provider: ${finding.providerName}, scope ${finding.scope}, location ${finding.location}`,
    `Severity: ${finding.severityLabel}; side: ${finding.responsibilityLabel}`,
    finding.message,
    ...(finding.evidence.length > 0 ? ['Evidence:'] : []),
    ...finding.evidence.map((field) => `  ${field.path} = ${JSON.stringify(field.value)}`),
    ...(finding.compliance.length > 0
      ? [`Compliance: ${finding.compliance.map((ref) => ref.label).join(', ')}`]
      : []),
    ...(finding.fixCommand === null ? [] : [`Fix: ${finding.fixCommand}`]),
  ];
  return xmlText(lines.join('\n'));
}

/**
 * A testcase's outcome element. `unknown` is an `<error>`: the check could not decide (the input
 * was unreadable), which is JUnit's "could not run", not an assertion that failed; both are red.
 */
function outcome(finding: ReportFinding): string {
  switch (finding.status) {
    case 'pass':
      return '';
    case 'fail':
      return `<failure${attributes({ type: 'fail', message: finding.message })}>${details(finding)}</failure>`;
    case 'error':
      return `<error${attributes({ type: 'error', message: finding.message })}>${details(finding)}</error>`;
    case 'unknown':
      return `<error${attributes({ type: 'unknown', message: finding.message })}>${details(finding)}</error>`;
    case 'waived': {
      const waiver = finding.waiver;
      const message = waiver
        ? `Waived until ${waiver.expires} by ${waiver.owner} (was ${waiver.originalStatusLabel}): ${waiver.reason}`
        : `Waived: ${finding.message}`;
      return `<skipped${attributes({ message })}/>`;
    }
    case 'not_applicable':
      return `<skipped${attributes({ message: `Not applicable: ${finding.message}` })}/>`;
  }
}

function testcase(finding: ReportFinding): string {
  const head = `<testcase${attributes({
    classname: `kubeline.${finding.checkId}`,
    name: `${finding.clusterName} (${finding.clusterId})`,
  })}`;
  const body = outcome(finding);
  return body === '' ? `    ${head}/>` : `    ${head}>\n      ${body}\n    </testcase>`;
}

/** A suite that is red when the run is incomplete: unread scopes must not leave the dashboard green. */
function completenessSuite(model: ReportModel): { xml: string; counts: Counts } {
  const { header } = model;
  const head = `<testcase${attributes({ classname: 'kubeline.run', name: 'every scope and cluster was read' })}`;
  if (header.complete) {
    return {
      xml: `  <testsuite${attributes({ name: 'kubeline run', tests: 1, failures: 0, errors: 0, skipped: 0 })}>\n    ${head}/>\n  </testsuite>`,
      counts: { tests: 1, failures: 0, errors: 0, skipped: 0 },
    };
  }
  const lines = [
    ...header.scopeErrors.map(
      (scope) =>
        `${scope.providerName} scope ${scope.scope}${scope.region === null ? '' : ` (${scope.region})`}: ${scope.error ?? 'not read'}`,
    ),
    ...model.problems.map((problem) => `${problem.subject}: ${problem.reason}`),
  ];
  const error = `<error${attributes({ type: 'incomplete', message: header.completenessLabel })}>${xmlText(lines.join('\n'))}</error>`;
  return {
    xml: `  <testsuite${attributes({ name: 'kubeline run', tests: 1, failures: 0, errors: 1, skipped: 0 })}>\n    ${head}>\n      ${error}\n    </testcase>\n  </testsuite>`,
    counts: { tests: 1, failures: 0, errors: 1, skipped: 0 },
  };
}

function totalsOf(model: ReportModel, run: Counts): Counts {
  return model.summary.byCheck.map(countsOf).reduce(
    (sum, counts) => ({
      tests: sum.tests + counts.tests,
      failures: sum.failures + counts.failures,
      errors: sum.errors + counts.errors,
      skipped: sum.skipped + counts.skipped,
    }),
    run,
  );
}

function* junitLines(model: ReportModel): Generator<string, void, undefined> {
  const run = completenessSuite(model);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attributes({ name: `kubeline ${model.run.id}`, ...totalsOf(model, run.counts) })}>\n`;
  yield `${run.xml}\n`;
  for (const check of model.summary.byCheck) {
    if (check.findings.length === 0) continue;
    yield `  <testsuite${attributes({ name: `${check.id} ${check.title}`, ...countsOf(check) })}>\n`;
    for (const finding of check.findings) yield `${testcase(finding)}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/**
 * `junit.xml`: one testsuite per check (the control is what a CI dashboard groups and trends by),
 * one testcase per cluster, plus a `kubeline run` suite for completeness. fail → `<failure>`,
 * error and unknown → `<error>`, waived and not_applicable → `<skipped>`. In pieces, many
 * testcases each: the totals come from the tallies, so nothing waits for the end.
 */
export function renderJunit(model: ReportModel): TextChunks {
  return textChunks(() => inChunks(junitLines(model)));
}
