import assert from 'node:assert/strict';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { type DefaultTreeAdapterMap, parseFragment, parse as parseHtml } from 'parse5';
import { SaxesParser } from 'saxes';
import type { Finding } from '../../model/finding.js';
import type { JsonValue } from '../../model/json.js';
import type { ReportJson } from '../../model/reportJson.js';
import type { ReportModel } from '../../model/reportView.js';
import { buildReportModel } from '../../report/build.js';
import { CSV_COLUMNS } from '../../report/csv.js';
import type { OcsfComplianceFinding } from '../../report/ocsf.js';
import { renderReports } from '../../report/render.js';
import { eksPosture } from '../fixtures/postures.js';
import { CLUSTERS, EKS_ID, finding, reportInput } from './fixtures.js';

// Text a cloud API, an exported file or a waiver could carry, aimed at each format's syntax.
const FRAGMENTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</td></tr></table>',
  '</code>',
  '<br>',
  "'",
  '"',
  '`',
  '``',
  '|',
  '\\|',
  '\\',
  '{{',
  '}}',
  '{{{x}}}',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '&',
  '&amp;',
  '&#0;',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u2028',
  '\ud800',
  '\udfff',
  '\ufffe',
  '=',
  '+',
  '-',
  '@',
  '=HYPERLINK("https://evil.example","x")',
  '*',
  '_',
  '~',
  '#',
  '> ',
  '- ',
  '[x](https://evil.example)',
  '![x](https://evil.example/x.png)',
  '<https://evil.example>',
  '    ',
];

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const piece = fc.oneof(fc.constantFrom(...FRAGMENTS), codeUnit, fc.string({ maxLength: 8 }));

/** Hostile text: fragments, lone UTF-16 code units (surrogates and controls included) and now and then thousands of characters. */
const hostileText = fc
  .oneof(
    { weight: 9, arbitrary: fc.array(piece, { minLength: 1, maxLength: 10 }).map((parts) => parts.join('')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 100, max: 1_000 }))
        .map(([fragment, times]) => fragment.repeat(times)),
    },
  )
  .filter((text) => text.length > 0);

/** Every cloud- or config-sourced string of the model the properties vary. */
interface HostileStrings {
  readonly clusterName: string;
  readonly scope: string;
  readonly location: string;
  readonly tagKey: string;
  readonly tagValue: string;
  readonly message: string;
  readonly evidencePath: string;
  readonly evidenceValue: string;
  readonly waiverReason: string;
  readonly waiverOwner: string;
}

const hostileStrings: fc.Arbitrary<HostileStrings> = fc.record({
  clusterName: hostileText,
  scope: hostileText,
  location: hostileText,
  tagKey: hostileText,
  tagValue: hostileText,
  message: hostileText,
  evidencePath: hostileText,
  evidenceValue: hostileText,
  waiverReason: hostileText,
  waiverOwner: hostileText,
});

/** The reference: every field one harmless character (the markup does not depend on the text's length). */
const ONE_CHARACTER: HostileStrings = {
  clusterName: 'x',
  scope: 'x',
  location: 'x',
  tagKey: 'x',
  tagValue: 'x',
  message: 'x',
  evidencePath: 'x',
  evidenceValue: 'x',
  waiverReason: 'x',
  waiverOwner: 'x',
};

/** A rendered file's kind: a cluster page by its provider (the rest of its name is the cluster's slug). */
function pageKind(name: string): string {
  return name.replace(/^clusters\/(eks|gke|aks)[^/]*$/, 'clusters/$1');
}

function evidenceValue(strings: HostileStrings): JsonValue {
  return { [strings.tagKey]: [strings.evidenceValue, 1, null, true] };
}

/** One hostile EKS cluster beside the fixtures' GKE and AKS clusters, with a finding of each status that prints text. */
function hostileModel(strings: HostileStrings, clusterPagesAbove?: number): ReportModel {
  const cluster = eksPosture({
    id: EKS_ID,
    name: strings.clusterName,
    scope: strings.scope,
    location: strings.location,
    tags: { [strings.tagKey]: strings.tagValue },
  });
  const evidence = [
    { path: strings.evidencePath, value: strings.evidenceValue },
    { path: 'cluster.nested', value: evidenceValue(strings) },
  ];
  const findings: Finding[] = [
    finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail', message: strings.message, evidence }),
    finding({ checkId: 'AUD-01', clusterId: EKS_ID, status: 'unknown', message: strings.message, evidence }),
    finding({ checkId: 'AUTH-03', clusterId: EKS_ID, status: 'error', message: strings.message }),
    finding({
      checkId: 'RBAC-01',
      clusterId: EKS_ID,
      status: 'waived',
      message: strings.message,
      evidence,
      waiver: {
        reason: strings.waiverReason,
        owner: strings.waiverOwner,
        expires: '2026-12-05',
        originalStatus: 'fail',
      },
    }),
    finding({ checkId: 'NET-02', clusterId: EKS_ID, status: 'not_applicable', message: strings.message }),
  ];
  return buildReportModel(
    reportInput({
      clusters: [cluster, ...CLUSTERS.filter((other) => other.id !== EKS_ID)],
      findings,
      scopes: [
        {
          provider: 'eks',
          scope: strings.scope,
          region: strings.location,
          status: 'error',
          error: strings.message,
          clusters: 1,
        },
      ],
      problems: [{ cluster: strings.clusterName, reason: strings.message }],
      notices: [{ files: [strings.evidencePath], cluster: EKS_ID, message: strings.message }],
      ...(clusterPagesAbove === undefined ? {} : { clusterPagesAbove }),
    }),
  );
}

function rendered(
  model: ReportModel,
  format: Parameters<typeof renderReports>[1][number],
): Map<string, string> {
  return new Map(renderReports(model, [format]).map((file) => [file.name, file.body]));
}

type HtmlNode = DefaultTreeAdapterMap['node'];

/** Each element as `name[attribute names]`, in document order: the markup, without the text. */
function markupOf(node: HtmlNode, into: string[] = []): string[] {
  if ('tagName' in node) {
    into.push(`${node.tagName}[${node.attrs.map((attribute) => attribute.name).join(' ')}]`);
  }
  const children = 'content' in node ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
  for (const child of children) markupOf(child, into);
  return into;
}

/** Elements by name, for a readable failure. */
function countByName(markup: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const element of markup) counts[element] = (counts[element] ?? 0) + 1;
  return counts;
}

function assertSameMarkup(
  hostile: string,
  reference: string,
  what: string,
  parse: (text: string) => HtmlNode,
): void {
  const actual = markupOf(parse(hostile));
  const expected = markupOf(parse(reference));
  if (actual.length !== expected.length || actual.some((element, index) => element !== expected[index])) {
    assert.deepEqual(countByName(actual), countByName(expected), `${what}: hostile text changed the markup`);
    assert.deepEqual(actual, expected, `${what}: hostile text reordered the markup`);
  }
}

const markdown = new MarkdownIt({ html: true, linkify: false });

/**
 * The cells of a GFM table row: a `|` splits cells unless a backslash escapes it, inside code
 * spans too (GitHub's table extension splits before it parses inline content).
 */
function gfmCellCount(row: string): number {
  const body = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  let cells = 1;
  for (let index = 0; index < body.length; index += 1) {
    if (body[index] === '\\') index += 1;
    else if (body[index] === '|') cells += 1;
  }
  return cells;
}

/** Every table of a Markdown document as its rows' cell counts. */
function tableShapes(text: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      if (current.length === 0) tables.push(current);
      current.push(gfmCellCount(line));
    } else current = null;
  }
  return tables;
}

/** Code points XML 1.0 can carry, less the C1 controls kubeline drops too. */
function xmlCharacters(text: string): string {
  return [...text]
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      if (code === 0x9 || code === 0xa || code === 0xd) return true;
      if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
      if (code >= 0xd800 && code <= 0xdfff) return false;
      return code !== 0xfffe && code !== 0xffff;
    })
    .join('');
}

/** Parses XML strictly (saxes: well-formedness and XML 1.0 characters); each testcase's name and outcome text. */
function parseJunit(xml: string): { name: string; message: string | null }[] {
  const parser = new SaxesParser();
  const testcases: { name: string; message: string | null }[] = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attribute = (name: string) => {
      const value = tag.attributes[name];
      return typeof value === 'string' ? value : null;
    };
    if (tag.name === 'testcase') testcases.push({ name: attribute('name') ?? '', message: null });
    const last = testcases.at(-1);
    if (last && (tag.name === 'failure' || tag.name === 'error')) last.message = attribute('message');
  });
  parser.write(xml).close();
  return testcases;
}

/** A cell as a spreadsheet reads it from the UTF-8 file: a formula start prefixed, a lone surrogate U+FFFD. */
function inert(text: string): string {
  const cell = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return Buffer.from(cell, 'utf8').toString('utf8');
}

const RUNS = { numRuns: 100 } as const;

describe('report formats against hostile text (property)', function () {
  // A run renders a whole report of three clusters; 120 runs take a few seconds.
  this.timeout(60_000);

  it('report.html and the cluster pages keep their markup whatever the text (parse5)', () => {
    const files = (model: ReportModel) =>
      [...rendered(model, 'html')].map(([name, body]) => [pageKind(name), body] as const);
    // Text of the same length in every field gives the same markup as one character: the reference is rendered once.
    const reference = new Map(
      [false, true].map((clusterPages) => [
        clusterPages,
        files(hostileModel(ONE_CHARACTER, clusterPages ? 0 : undefined)),
      ]),
    );
    fc.assert(
      fc.property(hostileStrings, fc.boolean(), (strings, clusterPages) => {
        const hostile = files(hostileModel(strings, clusterPages ? 0 : undefined));
        const expected = reference.get(clusterPages) ?? [];
        assert.deepEqual(
          hostile.map(([kind]) => kind),
          expected.map(([kind]) => kind),
        );
        for (const [index, [kind, body]] of hostile.entries()) {
          assertSameMarkup(body, expected[index]?.[1] ?? '', kind, parseHtml);
        }
      }),
      RUNS,
    );
  });

  it('report.md keeps every table row to its header cells, and its markup, whatever the text (markdown-it)', () => {
    const plain = rendered(hostileModel(ONE_CHARACTER), 'md').get('report.md') ?? '';
    const plainShapes = tableShapes(plain);
    const plainHtml = markdown.render(plain);
    fc.assert(
      fc.property(hostileStrings, (strings) => {
        const hostile = rendered(hostileModel(strings), 'md').get('report.md') ?? '';
        assert.deepEqual(tableShapes(hostile), plainShapes, 'a table row gained or lost cells');
        assertSameMarkup(markdown.render(hostile), plainHtml, 'report.md', parseFragment);
      }),
      RUNS,
    );
  });

  it('report.md of the reference run has tables whose rows all have their header cells', () => {
    const shapes = tableShapes(rendered(hostileModel(ONE_CHARACTER), 'md').get('report.md') ?? '');
    assert.ok(shapes.length > 10, `${shapes.length} tables`);
    for (const shape of shapes)
      assert.ok(
        shape.every((cells) => cells === shape[0]),
        shape.join(', '),
      );
  });

  it('findings.csv round-trips through an RFC 4180 parser to the same cells, formulas made inert (csv-parse)', () => {
    fc.assert(
      fc.property(hostileStrings, (strings) => {
        const model = hostileModel(strings);
        const text = rendered(model, 'csv').get('findings.csv') ?? '';
        const bytes = Buffer.from(text, 'utf8');
        const [header, ...records] = parseCsv(bytes, {
          record_delimiter: '\r\n',
          relax_quotes: false,
        }) as string[][];
        assert.deepEqual(header, [...CSV_COLUMNS]);
        const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
        const eks = records.filter((record) => record[column('clusterId')] === EKS_ID);
        assert.equal(records.length, model.findings.length);
        assert.deepEqual(
          eks.map((record) => [
            record[column('cluster')],
            record[column('scope')],
            record[column('message')],
          ]),
          eks.map(() => [inert(strings.clusterName), inert(strings.scope), inert(strings.message)]),
        );
        const waived = eks.find((record) => record[column('status')] === 'waived');
        assert.equal(waived?.[column('waiverOwner')], inert(strings.waiverOwner));
        for (const record of records) {
          for (const cell of record)
            assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'a cell a spreadsheet would run');
        }
      }),
      RUNS,
    );
  });

  it('junit.xml is well-formed XML 1.0 and keeps the text it can carry (saxes)', () => {
    fc.assert(
      fc.property(hostileStrings, (strings) => {
        const testcases = parseJunit(rendered(hostileModel(strings), 'junit').get('junit.xml') ?? '');
        const eks = testcases.filter((testcase) => testcase.name.endsWith(`(${EKS_ID})`));
        assert.deepEqual(
          eks.map((testcase) => testcase.name),
          eks.map(() => xmlCharacters(`${strings.clusterName} (${EKS_ID})`)),
        );
        const messages = eks.flatMap((testcase) => (testcase.message === null ? [] : [testcase.message]));
        assert.deepEqual(messages, [
          xmlCharacters(strings.message),
          xmlCharacters(strings.message),
          xmlCharacters(strings.message),
        ]);
      }),
      RUNS,
    );
  });

  it('report.json and findings.ocsf.json parse back to the same strings', () => {
    fc.assert(
      fc.property(hostileStrings, (strings) => {
        const files = rendered(hostileModel(strings), 'json');
        const report = JSON.parse(files.get('report.json') ?? '') as ReportJson;
        const cluster = report.clusters.find((entry) => entry.id === EKS_ID);
        const failed = report.findings.find((entry) => entry.checkId === 'EP-01');
        const waived = report.findings.find((entry) => entry.checkId === 'RBAC-01');
        assert.deepEqual(
          {
            cluster: [cluster?.name, cluster?.scope, cluster?.location, cluster?.tags],
            message: failed?.message,
            evidence: failed?.evidence,
            waiver: [waived?.waiver?.reason, waived?.waiver?.owner],
          },
          {
            cluster: [
              strings.clusterName,
              strings.scope,
              strings.location,
              { [strings.tagKey]: strings.tagValue },
            ],
            message: strings.message,
            evidence: [
              { path: strings.evidencePath, value: strings.evidenceValue },
              { path: 'cluster.nested', value: evidenceValue(strings) },
            ],
            waiver: [strings.waiverReason, strings.waiverOwner],
          },
        );
        const events = JSON.parse(
          rendered(hostileModel(strings), 'ocsf').get('findings.ocsf.json') ?? '',
        ) as OcsfComplianceFinding[];
        const event = events.find((entry) => entry.compliance.control === 'RBAC-01');
        assert.deepEqual(
          [
            event?.message,
            event?.resources[0]?.name,
            event?.resources[0]?.tags,
            event?.unmapped.kubeline.waiver?.owner,
          ],
          [
            strings.message,
            strings.clusterName,
            [{ name: strings.tagKey, value: strings.tagValue }],
            strings.waiverOwner,
          ],
        );
      }),
      RUNS,
    );
  });
});
