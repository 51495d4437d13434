import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../model/finding.js';
import type { ReportModel } from '../../model/reportView.js';
import type { RunDiffCompared } from '../../model/runDiff.js';
import { buildReportModel } from '../../report/build.js';
import { CSV_COLUMNS } from '../../report/csv.js';
import { toReportJson } from '../../report/json.js';
import { MATRIX_SCRIPT } from '../../report/matrixScript.js';
import { renderReports, type WholeRenderedFile } from '../../report/render.js';
import { compileTemplate, escapeMarkdown, markdownCode, packageRoot } from '../../report/templates.js';
import { eksPosture } from '../fixtures/postures.js';
import { EKS_ID, finding, GKE_ID, reportInput } from './fixtures.js';

function render(model: ReportModel, format: Parameters<typeof renderReports>[1][number]): WholeRenderedFile {
  const [file] = renderReports(model, [format]);
  if (!file) throw new Error(`nothing rendered for ${format}`);
  return file;
}

/** RFC 4180 parser for the round-trip test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += char;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with a complete record');
  return rows;
}

/**
 * A well-formedness check for the XML kubeline writes: every `<` opens a well-formed tag with
 * double-quoted attributes, tags nest and close, and every `&` starts a known entity.
 */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let index = 0;
  while (index < body.length) {
    const next = body.indexOf('<', index);
    const text = body.slice(index, next === -1 ? body.length : next);
    assert.doesNotMatch(text, /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/, `bare & in ${JSON.stringify(text)}`);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(body);
    assert.ok(match, `malformed tag at ${body.slice(next, next + 60)}`);
    const [whole, closing, name, attributes = '', selfClosing] = match;
    assert.doesNotMatch(attributes, /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/, `bare & in ${attributes}`);
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) stack.push(name ?? '');
    index = next + whole.length;
  }
  assert.deepEqual(stack, [], 'every element is closed');
}

/** Code points XML 1.0 cannot carry (C0 controls other than tab and line breaks, lone surrogates). */
function forbiddenXmlChars(xml: string): number[] {
  return [...xml]
    .map((char) => char.codePointAt(0) ?? 0)
    .filter((code) => (code < 0x20 && ![0x9, 0xa, 0xd].includes(code)) || (code >= 0xd800 && code <= 0xdfff));
}

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const TEMPLATE_CODE = "{{constructor.constructor('x')()}}";

function hostileModel(): ReportModel {
  const cluster = eksPosture({
    id: EKS_ID,
    name: SCRIPT,
    scope: '111111111111',
    location: TEMPLATE_CODE,
    tags: { owner: IMG },
  });
  const findings: Finding[] = [
    finding({
      checkId: 'EP-01',
      clusterId: EKS_ID,
      status: 'fail',
      message: `Tom & Jerry ${TEMPLATE_CODE} | *bold* ${SCRIPT}`,
      evidence: [{ path: 'cluster.tags.owner', value: IMG }],
    }),
  ];
  return buildReportModel(
    reportInput({
      clusters: [cluster],
      findings,
      scopes: [
        {
          provider: 'eks',
          scope: '111111111111',
          region: 'eu-west-1',
          status: 'error',
          error: SCRIPT,
          clusters: 1,
        },
      ],
      problems: [{ file: `${IMG}.json`, reason: SCRIPT }],
    }),
  );
}

/** A complete run with a cluster exported twice, one file named with markup. */
function noticeModel(): ReportModel {
  return buildReportModel(
    reportInput({
      notices: [
        {
          files: ['<b>a.json', 'b.json'],
          cluster: EKS_ID,
          message: 'exported twice, in <b>a.json and in b.json; the copy in <b>a.json is read',
        },
      ],
    }),
  );
}

describe('renderReports', () => {
  const model = buildReportModel(reportInput());

  it('renders each requested format once, in the order asked, under its layout name', () => {
    const files = renderReports(model, ['junit', 'html', 'md', 'json', 'csv', 'html']);
    assert.deepEqual(
      files.map((file) => [file.name, file.contentType, file.body.length > 0]),
      [
        ['junit.xml', 'application/xml', true],
        ['report.html', 'text/html; charset=utf-8', true],
        ['report.md', 'text/markdown; charset=utf-8', true],
        ['report.json', 'application/json', true],
        ['findings.csv', 'text/csv; charset=utf-8; header=present', true],
      ],
    );
  });

  it('renders nothing when no format is asked for', () => {
    assert.deepEqual(renderReports(model, []), []);
  });

  it('renders a run with no clusters at all', () => {
    const empty = buildReportModel(reportInput({ clusters: [], findings: [], scopes: [] }));
    for (const file of renderReports(empty, ['html', 'md', 'json', 'csv', 'junit'])) {
      assert.ok(file.body.length > 0, file.name);
    }
  });

  describe('HTML', () => {
    it('escapes every cloud-sourced string', () => {
      const html = render(hostileModel(), 'html').body;
      for (const raw of [SCRIPT, IMG, '<img', 'Tom & Jerry'])
        assert.ok(!html.includes(raw), `raw ${raw} in the HTML`);
      for (const escaped of [
        '&lt;script&gt;alert(1)&lt;/script&gt;',
        '&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;',
        '{{constructor.constructor(&#x27;x&#x27;)()}}',
        'Tom &amp; Jerry',
      ]) {
        assert.ok(html.includes(escaped), `escaped ${escaped} missing from the HTML`);
      }
    });

    it("contains no external asset, and no script but the matrix's filters", () => {
      const html = render(model, 'html').body;
      assert.doesNotMatch(html, /<link|<img|src=|@import|url\((?!#)/i);
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
      assert.deepEqual(scripts, [MATRIX_SCRIPT]);
      assert.equal(html.split(/<script/i).length, 2, 'one script element');
    });

    it('flags an incomplete run with its scope errors and problems', () => {
      const html = render(hostileModel(), 'html').body;
      assert.match(html, /class="banner banner-incomplete" role="alert"/);
      assert.match(html, /Incomplete: 1 scope could not be listed and 1 file or cluster could not be read/);
    });

    it('lists notices, escaped, beside a complete run', () => {
      const html = render(noticeModel(), 'html').body;
      assert.match(html, /class="banner banner-complete" role="status"/);
      assert.ok(
        html.includes(
          `<li>Cluster <code>${EKS_ID}</code>: exported twice, in &lt;b&gt;a.json and in b.json; the copy in &lt;b&gt;a.json is read</li>`,
        ),
      );
    });

    it('shows the provider CLI fix, evidence as JSON and the CIS reference of a failing finding', () => {
      const html = render(model, 'html').body;
      assert.ok(html.includes('<pre><code>aws eks fix-EP-01 --name &lt;cluster&gt;</code></pre>'));
      assert.ok(html.includes('<code>[&quot;0.0.0.0/0&quot;]</code>'));
      assert.ok(html.includes('<span class="ref">CIS EKS 1.8.0 5.4.2</span>'));
    });
  });

  describe('Markdown', () => {
    it('escapes markdown and HTML in every cloud-sourced string', () => {
      const md = render(hostileModel(), 'md').body;
      for (const raw of [SCRIPT, IMG, '<img', '*bold*', TEMPLATE_CODE]) {
        assert.ok(!md.includes(raw), `raw ${raw} in the Markdown`);
      }
      assert.ok(
        md.includes("Tom &amp; Jerry \\{\\{constructor.constructor\\('x'\\)\\(\\)\\}\\} \\| \\*bold\\*"),
      );
    });

    it('lists notices, escaped, beside a complete run', () => {
      const md = render(noticeModel(), 'md').body;
      assert.ok(
        md.includes(
          `> - Cluster <code>${EKS_ID}</code>: exported twice, in &lt;b&gt;a.json and in b.json; the copy in &lt;b&gt;a.json is read\n`,
        ),
      );
    });

    it('keeps every table row on one line', () => {
      const md = render(hostileModel(), 'md').body;
      const row = md.split('\n').find((line) => line.startsWith(`| &lt;script&gt;`) && line.includes('Tom'));
      assert.ok(row, 'the finding row is on one line');
    });

    it('escapes markdown punctuation and line breaks', () => {
      assert.equal(
        escapeMarkdown('a|b\n*c* [d](e) <f> & _g_'),
        'a\\|b \\*c\\* \\[d\\]\\(e\\) &lt;f&gt; &amp; \\_g\\_',
      );
    });

    it('writes monospace text as an escaped <code> element', () => {
      assert.deepEqual(
        [markdownCode('a`b|c'), markdownCode('<x> & *y*'), markdownCode('')],
        ['<code>a\\`b\\|c</code>', '<code>&lt;x&gt; &amp; \\*y\\*</code>', ''],
      );
    });
  });

  describe('CSV', () => {
    it('round-trips quotes, commas and line breaks', () => {
      const message = 'He said "no", then\nleft\r\nagain';
      const csvModel = buildReportModel(
        reportInput({
          findings: [finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail', message })],
        }),
      );
      const rows = parseCsv(render(csvModel, 'csv').body);
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      assert.equal(rows.length, 2);
      const record = Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, rows[1]?.[index]]));
      assert.deepEqual(record, {
        checkId: 'EP-01',
        title: 'Title of EP-01',
        clusterId: EKS_ID,
        cluster: 'prod',
        provider: 'eks',
        scope: '111111111111',
        location: 'eu-west-1',
        status: 'fail',
        severity: 'high',
        responsibility: 'customer',
        message,
        compliance: '',
        evidence: 'cluster.field = true',
        waiverOwner: '',
        waiverExpires: '',
      });
    });

    it('neutralises spreadsheet formulas in any cell', () => {
      const formulas = ['=HYPERLINK("https://evil.example","x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx'];
      const csvModel = buildReportModel(
        reportInput({
          findings: formulas.map((message, index) =>
            finding({ checkId: `EP-0${index}`, clusterId: EKS_ID, status: 'fail', message }),
          ),
        }),
      );
      const rows = parseCsv(render(csvModel, 'csv').body);
      const messageColumn = CSV_COLUMNS.indexOf('message');
      assert.deepEqual(
        rows.slice(1).map((row) => row[messageColumn]),
        formulas.map((formula) => `'${formula}`),
      );
    });

    it('writes waiver owner and expiry', () => {
      const rows = parseCsv(render(model, 'csv').body);
      const waived = rows.find((row) => row[CSV_COLUMNS.indexOf('status')] === 'waived');
      assert.deepEqual(waived?.slice(-2), ['platform@acme.example', '2026-12-05']);
    });
  });

  describe('JUnit', () => {
    it('is well-formed XML, even with markup and control characters in cloud data', () => {
      const hostile = hostileModel();
      const withControls = buildReportModel(
        reportInput({
          findings: [
            finding({
              checkId: 'EP-01',
              clusterId: EKS_ID,
              status: 'fail',
              message: `bell\u0007 esc\u001b ${IMG} & \ud800`,
            }),
          ],
        }),
      );
      for (const xml of [
        render(model, 'junit').body,
        render(hostile, 'junit').body,
        render(withControls, 'junit').body,
      ]) {
        assertWellFormedXml(xml);
        assert.deepEqual(forbiddenXmlChars(xml), []);
      }
    });

    it('maps fail to failure, error and unknown to error, waived and not applicable to skipped', () => {
      const statuses = ['fail', 'error', 'unknown', 'waived', 'pass', 'not_applicable'] as const;
      const clusters = statuses.map((status) => eksPosture({ id: `id-${status}`, name: status }));
      const findings = statuses.map((status) =>
        finding({
          checkId: 'EP-01',
          clusterId: `id-${status}`,
          status,
          message: `m-${status}`,
          evidence: [],
          ...(status === 'waived'
            ? {
                waiver: {
                  reason: 'later',
                  owner: 'me',
                  expires: '2026-12-01',
                  originalStatus: 'fail' as const,
                },
              }
            : {}),
        }),
      );
      const small = buildReportModel(reportInput({ clusters, findings, checks: [], scopes: [] }));
      const detail = (status: string) =>
        `Cluster: ${status} (id-${status})\nProvider: Amazon EKS, scope example-scope, location example-location\nSeverity: High; side: Customer\nm-${status}`;
      assert.equal(
        render(small, 'junit').body,
        [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<testsuites name="kubeline 20261129T020000Z-abc123" tests="7" failures="1" errors="2" skipped="2">',
          '  <testsuite name="kubeline run" tests="1" failures="0" errors="0" skipped="0">',
          '    <testcase classname="kubeline.run" name="every scope and cluster was read"/>',
          '  </testsuite>',
          '  <testsuite name="EP-01 EP-01" tests="6" failures="1" errors="2" skipped="2">',
          '    <testcase classname="kubeline.EP-01" name="fail (id-fail)">',
          `      <failure type="fail" message="m-fail">${detail('fail')}</failure>`,
          '    </testcase>',
          '    <testcase classname="kubeline.EP-01" name="error (id-error)">',
          `      <error type="error" message="m-error">${detail('error')}</error>`,
          '    </testcase>',
          '    <testcase classname="kubeline.EP-01" name="unknown (id-unknown)">',
          `      <error type="unknown" message="m-unknown">${detail('unknown')}</error>`,
          '    </testcase>',
          '    <testcase classname="kubeline.EP-01" name="waived (id-waived)">',
          '      <skipped message="Waived until 2026-12-01 by me (was Fail): later"/>',
          '    </testcase>',
          '    <testcase classname="kubeline.EP-01" name="pass (id-pass)"/>',
          '    <testcase classname="kubeline.EP-01" name="not_applicable (id-not_applicable)">',
          '      <skipped message="Not applicable: m-not_applicable"/>',
          '    </testcase>',
          '  </testsuite>',
          '</testsuites>',
          '',
        ].join('\n'),
      );
    });

    it('turns an incomplete run into an error, so the dashboard is not green', () => {
      const xml = render(hostileModel(), 'junit').body;
      assert.match(xml, /<testsuite name="kubeline run" tests="1" failures="0" errors="1" skipped="0">/);
      assert.match(xml, /<error type="incomplete" message="Incomplete: 1 scope could not be listed/);
    });

    it('escapes quotes and line breaks inside attribute values', () => {
      const quoted = buildReportModel(
        reportInput({
          findings: [
            finding({
              checkId: 'EP-01',
              clusterId: GKE_ID,
              provider: 'gke',
              status: 'fail',
              message: `a"b'c\nd`,
            }),
          ],
        }),
      );
      assert.ok(render(quoted, 'junit').body.includes('message="a&quot;b&apos;c&#10;d"'));
    });
  });

  describe('report.json', () => {
    const sortedKeys = (value: object | undefined) => Object.keys(value ?? {}).sort();

    it('is the model as JSON, two-space indented, with a trailing newline', () => {
      const body = render(model, 'json').body;
      assert.equal(body, `${JSON.stringify(toReportJson(model), null, 2)}\n`);
    });

    it('has exactly the schema keys at every level', () => {
      const incomplete = buildReportModel(
        reportInput({
          scopes: [
            {
              provider: 'eks',
              scope: '111111111111',
              region: 'eu-west-1',
              status: 'error',
              error: 'denied',
              clusters: 0,
            },
            { provider: 'gke', scope: 'acme-prod', status: 'ok', clusters: 1 },
          ],
        }),
      );
      const json = JSON.parse(render(incomplete, 'json').body) as Record<string, unknown>;
      const report = toReportJson(incomplete);
      const waived = report.findings.find((item) => item.waiver !== undefined);
      const plain = report.findings.find((item) => item.waiver === undefined);
      assert.deepEqual(
        {
          top: sortedKeys(json),
          tool: sortedKeys(report.tool),
          run: sortedKeys(report.run),
          scopeWithError: sortedKeys(report.scopes[0]),
          scopeOk: sortedKeys(report.scopes[1]),
          cluster: sortedKeys(report.clusters[0]),
          finding: sortedKeys(plain),
          waivedFinding: sortedKeys(waived),
          waiver: sortedKeys(waived?.waiver),
          evidence: sortedKeys(plain?.evidence[0]),
          compliance: sortedKeys(report.findings.find((item) => item.compliance.length > 0)?.compliance[0]),
          summary: sortedKeys(report.summary),
          check: sortedKeys(report.checks[0]),
        },
        {
          top: [
            'checks',
            'clusters',
            'compliance',
            'findings',
            'notices',
            'problems',
            'run',
            'schemaVersion',
            'scopes',
            'summary',
            'tool',
          ],
          tool: ['name', 'version'],
          run: ['apiCalls', 'asOf', 'calendarDate', 'complete', 'finishedAt', 'id', 'startedAt', 'trigger'],
          scopeWithError: ['clusters', 'error', 'provider', 'region', 'scope', 'status'],
          scopeOk: ['clusters', 'provider', 'scope', 'status'],
          cluster: ['id', 'location', 'mode', 'name', 'provider', 'scope', 'tags', 'version'],
          finding: [
            'checkId',
            'clusterId',
            'compliance',
            'evidence',
            'message',
            'responsibility',
            'severity',
            'status',
          ],
          waivedFinding: [
            'checkId',
            'clusterId',
            'compliance',
            'evidence',
            'message',
            'responsibility',
            'severity',
            'status',
            'waiver',
          ],
          waiver: ['expires', 'originalStatus', 'owner', 'reason'],
          evidence: ['path', 'value'],
          compliance: ['control', 'framework', 'version'],
          summary: [
            'byCheck',
            'byProvider',
            'byResponsibility',
            'clusters',
            'failuresBySeverity',
            'findings',
          ],
          check: ['category', 'id', 'severity', 'source', 'title'],
        },
      );
      assert.deepEqual(
        { schemaVersion: json.schemaVersion, complete: report.run.complete, tags: report.clusters[0]?.tags },
        { schemaVersion: 1, complete: false, tags: { env: 'prod', team: 'payments' } },
      );
    });
  });

  describe('templates', () => {
    it('throws in strict mode when a template reads a field the model lacks', () => {
      const context = { cluster: { name: 'prod', tags: [] } };
      for (const source of [
        '{{cluster.nmae}}',
        '{{#if cluster.nmae}}x{{/if}}',
        '{{#unless cluster.nmae}}x{{/unless}}',
        '{{#each cluster.tgas}}x{{/each}}',
        '{{#with cluster.nmae}}x{{/with}}',
        '{{md cluster.nmae}}',
        '{{mdCode cluster.nmae}}',
      ]) {
        assert.throws(() => compileTemplate(source)(context), /not defined/, source);
      }
      assert.equal(compileTemplate('{{cluster.name}}{{#each cluster.tags}}x{{/each}}')(context), 'prod');
    });

    it('refuses a helper it does not know', () => {
      assert.throws(() => compileTemplate('{{shout cluster.name}}')({ cluster: { name: 'x' } }), /shout/);
    });

    it('never writes unescaped output ({{{ }}} or {{& }})', () => {
      const root = join(packageRoot(), 'templates');
      const files = [
        ...readdirSync(root).filter((file) => file.startsWith('report.') || file.startsWith('cluster.')),
        ...readdirSync(join(root, 'partials')).map((file) => join('partials', file)),
      ];
      // The exceptions: the charts' SVG (built by report/charts/, which escapes every label) and
      // the matrix's script, a constant of the code.
      const allowed =
        /\{\{\{(?:charts\.(?:byProvider|byResponsibility|byArea|trend|supportTimeline)|matrixScript)\}\}\}/g;
      for (const file of files) {
        const source = readFileSync(join(root, file), 'utf8').replace(allowed, '');
        assert.doesNotMatch(source, /\{\{\{|\{\{~?\s*&/, file);
      }
    });

    it('finds the package root from the compiled layout under dist/', () => {
      const root = packageRoot();
      assert.equal(packageRoot(join(root, 'dist', 'report')), root);
    });
  });
});

describe('renderReports: the run-to-run diff', () => {
  const hostileId = 'arn:aws:eks:eu-west-1:111111111111:cluster/<b>gone</b>';
  const hostile: RunDiffCompared = {
    previousRun: { id: `r1${SCRIPT}`, startedAt: '2026-11-28T02:00:00.000Z', folder: 'runs/2026-11-28/r1' },
    new: [{ checkId: 'EP-01', clusterId: EKS_ID, severity: 'high', status: 'fail', previousStatus: 'pass' }],
    fixed: [],
    persisting: [],
    newlyUnknown: [],
    clustersAdded: [],
    clustersRemoved: [
      { id: hostileId, provider: 'eks', scope: '111111111111', location: IMG, name: `*${SCRIPT}*` },
    ],
    clustersNotRead: [],
    scopesLost: [
      {
        provider: 'eks',
        scope: '222222222222',
        region: 'us-east-1',
        error: `denied | ${IMG}`,
        previousClusters: 1,
      },
    ],
    notices: [`history.json is not valid JSON (${SCRIPT}); a new history starts with this run`],
  };
  const cluster = eksPosture({
    id: EKS_ID,
    name: `prod ${SCRIPT}`,
    scope: '111111111111',
    location: 'eu-west-1',
  });
  const model = buildReportModel(
    reportInput({
      clusters: [cluster],
      findings: [finding({ checkId: 'EP-01', clusterId: EKS_ID, status: 'fail' })],
      diff: hostile,
    }),
  );

  it('puts the diff right after the headline of the HTML report, every cloud-sourced string escaped', () => {
    // Act
    const html = render(model, 'html').body;
    // Assess
    const changes = html.slice(html.indexOf('<section id="changes">'), html.indexOf('<section id="charts">'));
    assert.ok(html.indexOf('<section id="summary">') < html.indexOf('<section id="changes">'));
    assert.ok(html.indexOf('<section id="changes">') < html.indexOf('<section id="charts">'));
    assert.ok(html.includes('<li><a href="#changes">Changes</a></li>'));
    for (const raw of [SCRIPT, IMG, '<b>gone']) assert.ok(!html.includes(raw), `raw ${raw} in the HTML`);
    for (const escaped of [
      'Compared with run <code>r1&lt;script&gt;alert(1)&lt;/script&gt;</code>',
      '<td><a href="#cluster-1">prod &lt;script&gt;alert(1)&lt;/script&gt;</a><br><span class="muted">Amazon EKS</span></td>',
      '<tr><th scope="row">*&lt;script&gt;alert(1)&lt;/script&gt;*<br><code class="muted">arn:aws:eks:eu-west-1:111111111111:cluster/&lt;b&gt;gone&lt;/b&gt;</code></th><td>Amazon EKS</td><td>111111111111</td><td>&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</td></tr>',
      '<td>denied | &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</td>',
      '<p class="banner banner-notice" role="note">history.json is not valid JSON (&lt;script&gt;alert(1)&lt;/script&gt;); a new history starts with this run</p>',
    ]) {
      assert.ok(changes.includes(escaped), `escaped ${escaped} missing from the diff section`);
    }
  });

  it('puts the diff at the top of the Markdown report, escaped, one table row per line', () => {
    // Act
    const md = render(model, 'md').body;
    // Assess
    const changes = md.slice(md.indexOf('## Changes since the previous run'), md.indexOf('## Summary'));
    assert.ok(md.indexOf('## Changes since the previous run') < md.indexOf('## Summary'));
    for (const raw of [SCRIPT, IMG, '<b>gone']) assert.ok(!md.includes(raw), `raw ${raw} in the Markdown`);
    const lines = changes.split('\n');
    for (const line of [
      'Compared with run <code>r1&lt;script&gt;alert\\(1\\)&lt;/script&gt;</code>, started 2026-11-28T02:00:00.000Z: 1 new failure, 0 fixed, 0 still failing, 0 newly unknown, 1 cluster removed, 1 scope no longer read.',
      '| <code>EP-01</code> Title of EP-01 | prod &lt;script&gt;alert\\(1\\)&lt;/script&gt; | Amazon EKS | High | Fail | Pass |',
      '| \\*&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\* (<code>arn:aws:eks:eu-west-1:111111111111:cluster/&lt;b&gt;gone&lt;/b&gt;</code>) | Amazon EKS | <code>111111111111</code> | &quot;&gt;&lt;img src=x onerror=alert\\(1\\)&gt; |',
      '| Amazon EKS | <code>222222222222</code> | us-east-1 | denied \\| &quot;&gt;&lt;img src=x onerror=alert\\(1\\)&gt; | 1 |',
      '> history.json is not valid JSON \\(&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\); a new history starts with this run',
    ]) {
      assert.ok(lines.includes(line), `line missing from the diff section: ${line}`);
    }
  });

  it('says why there is no comparison, and prints no diff section for a model built without one', () => {
    // Prepare
    const uncompared = buildReportModel(
      reportInput({
        diff: { previousRun: null, unavailable: `latest.json is not valid JSON (${SCRIPT})`, notices: [] },
      }),
    );
    const without = buildReportModel(reportInput());
    // Act
    const [html, md] = [render(uncompared, 'html').body, render(uncompared, 'md').body];
    // Assess
    assert.ok(
      html.includes(
        '<p class="banner banner-notice" role="note">No comparison with a previous run: latest.json is not valid JSON (&lt;script&gt;alert(1)&lt;/script&gt;)</p>',
      ),
    );
    assert.ok(
      md.includes(
        '## Changes since the previous run\n\n> [!NOTE]\n> No comparison with a previous run: latest.json is not valid JSON \\(&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\)\n\n## Summary',
      ),
    );
    assert.deepEqual(
      [
        render(without, 'html').body.includes('id="changes"'),
        render(without, 'md').body.includes('## Changes'),
      ],
      [false, false],
    );
  });
});
