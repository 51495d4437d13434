import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { bodyText } from '../../model/fileBody.js';
import type { RenderedFormat, TextChunks } from '../../model/reportFormats.js';
import type { ReportModel } from '../../model/reportView.js';
import { buildReportModel } from '../../report/build.js';
import { CHUNK_LENGTH, inChunks } from '../../report/chunked.js';
import { toReportJson } from '../../report/json.js';
import { renderReport } from '../../report/render.js';
import {
  compileTemplate,
  compileTemplatePieces,
  reportTemplate,
  reportTemplatePieces,
} from '../../report/templates.js';
import { estateModel } from './estateModel.js';
import { reportInput } from './fixtures.js';
import { GOLDEN_FORMATS, GOLDEN_MODELS } from './goldenModels.js';

/** The one file of a single-file format, its body in pieces. */
function chunked(model: ReportModel, format: Exclude<RenderedFormat, 'html'>): TextChunks {
  const [file, ...more] = [...renderReport(model, format)];
  assert.ok(file && more.length === 0, `${format} is one file`);
  assert.ok(typeof file.body !== 'string', `${format} is rendered in pieces`);
  return file.body;
}

const STREAMED = ['md', 'json', 'csv', 'junit', 'ocsf'] as const;

/** A piece is one row, finding or event: a chunk closes on the first piece past `CHUNK_LENGTH`. */
const LONGEST_PIECE = 64 * 1024;

// Set to rewrite test/report/golden/ from the renderers after a deliberate change of a format.
const UPDATE_GOLDEN = process.env.KUBELINE_UPDATE_GOLDEN === '1';

describe('report formats in pieces', function () {
  // The estate is scanned twice through the pipeline (a previous run, for the diff), once.
  this.timeout(120_000);
  let estate: ReportModel;

  before(async () => {
    estate = await estateModel(200);
  });

  function models(): [string, ReportModel][] {
    return [
      ...Object.entries(GOLDEN_MODELS).map(([name, build]): [string, ReportModel] => [name, build()]),
      ['framework view', buildReportModel(reportInput({ frameworkView: 'cis-eks' }))],
      ['empty', buildReportModel(reportInput({ clusters: [], findings: [], scopes: [], problems: [] }))],
      ['200 clusters', estate],
    ];
  }

  describe('report.json', () => {
    it('is byte for byte JSON.stringify(toReportJson(model), null, 2) and a line break, on every model', () => {
      for (const [name, model] of models()) {
        assert.equal(
          bodyText(chunked(model, 'json')),
          `${JSON.stringify(toReportJson(model), null, 2)}\n`,
          `report.json of the ${name} model`,
        );
      }
    });

    it('holds the estate whole: every cluster, finding and compliance result', () => {
      const parsed = JSON.parse(bodyText(chunked(estate, 'json'))) as ReturnType<typeof toReportJson>;
      assert.deepEqual(
        {
          clusters: parsed.clusters.length,
          findings: parsed.findings.length,
          controlClusters: parsed.compliance.map((framework) => framework.controls[0]?.clusters.length),
          diffNew: parsed.diff && 'new' in parsed.diff ? parsed.diff.new.length : null,
          versions: parsed.versions?.clusters.length,
        },
        {
          clusters: 200,
          findings: estate.findings.length,
          controlClusters: estate.compliance.map((framework) => framework.controls[0]?.clusters.length),
          diffNew: estate.diff?.findingLists.find((list) => list.key === 'new')?.total ?? null,
          versions: 200,
        },
      );
    });
  });

  describe('findings.csv, junit.xml, report.md and findings.ocsf.json', () => {
    for (const [name, build] of Object.entries(GOLDEN_MODELS)) {
      for (const [format, extension] of Object.entries(GOLDEN_FORMATS)) {
        it(`write the ${name} model's ${format} as the whole-string renderers did (test/report/golden)`, () => {
          const path = new URL(`golden/${name}.${extension}.golden`, import.meta.url);
          const text = bodyText(chunked(build(), format as keyof typeof GOLDEN_FORMATS));
          if (UPDATE_GOLDEN) writeFileSync(path, text);
          assert.equal(text, readFileSync(path, 'utf8'));
        });
      }
    }

    it("render report.md in pieces to the same text as the template's whole render", () => {
      for (const [name, model] of models()) {
        assert.equal(
          bodyText(chunked(model, 'md')),
          reportTemplate('report.md.hbs')(model),
          `report.md of the ${name} model`,
        );
      }
    });
  });

  describe('chunks', () => {
    it('give the same text each time they are iterated', () => {
      for (const format of STREAMED) {
        const body = chunked(estate, format);
        assert.deepEqual([...body.chunks()], [...body.chunks()], format);
      }
    });

    it('stay near CHUNK_LENGTH however large the estate: several per file, none empty', () => {
      const shapes = STREAMED.map((format) => {
        const lengths = [...chunked(estate, format).chunks()].map((chunk) => chunk.length);
        const full = lengths.slice(0, -1);
        return {
          format,
          several: lengths.length > 1,
          fullEnough: full.every((length) => length >= CHUNK_LENGTH),
          bounded: lengths.every((length) => length > 0 && length < CHUNK_LENGTH + LONGEST_PIECE),
        };
      });
      assert.deepEqual(
        shapes,
        STREAMED.map((format) => ({ format, several: true, fullEnough: true, bounded: true })),
      );
    });

    it('of a small run are one chunk, the whole file', () => {
      const model = buildReportModel(reportInput());
      for (const format of STREAMED) assert.equal([...chunked(model, format).chunks()].length, 1, format);
    });
  });

  describe('inChunks', () => {
    it('joins pieces in order into chunks of at least the length, the last one shorter', () => {
      assert.deepEqual([...inChunks(['ab', 'c', '', 'defg', 'h', 'i'], 3)], ['abc', 'defg', 'hi']);
    });

    it('yields nothing for no text', () => {
      assert.deepEqual([...inChunks(['', ''], 3)], []);
    });
  });

  describe('{{#eachPiece}}', () => {
    const source =
      '<{{#eachPiece rows}}{{@index}}{{#if @first}}^{{/if}}{{name}}{{#each tags}}/{{this}}{{/each}}' +
      '[{{#eachPiece cells as |cell at|}}{{at}}={{cell}}:{{../name}}:{{@root.title}}{{#unless @last}},{{/unless}}{{/eachPiece}}]' +
      '{{#if @last}}#{{/if}}{{else}}none{{/eachPiece}}>';
    const context = {
      title: 'T',
      rows: [
        { name: 'a', tags: ['x', 'y'], cells: [1, 2] },
        { name: 'b', tags: [], cells: [] },
      ],
    };

    it('prints what {{#each}} prints, with @index, @first, @last, block params, ../ and @root', () => {
      const expected = '<0^a/x/y[0=1:a:T,1=2:a:T]1b[]#>';
      assert.equal(compileTemplate(source.replaceAll('eachPiece', 'each'))(context), expected);
      assert.equal(compileTemplate(source)(context), expected);
      assert.equal([...compileTemplatePieces(source)(context)].join(''), expected);
    });

    it('prints the else branch of an empty array, in a whole render and in pieces', () => {
      const empty = { title: 'T', rows: [] };
      assert.deepEqual(
        [compileTemplate(source)(empty), [...compileTemplatePieces(source)(empty)].join('')],
        ['<none>', '<none>'],
      );
    });

    it('renders each item as a piece of its own, when the reader reaches it', () => {
      let rendered = 0;
      const rows = ['a', 'b', 'c'].map((name) => ({
        get name() {
          rendered += 1;
          return name;
        },
      }));
      const pieces = compileTemplatePieces('head\n{{#eachPiece rows}}{{name}}\n{{/eachPiece}}tail')({ rows });
      const iterator = pieces[Symbol.iterator]();
      const first = iterator.next();
      assert.deepEqual({ first: first.value, rendered }, { first: 'head\n', rendered: 0 });
      assert.deepEqual(
        [first.value, ...{ [Symbol.iterator]: () => iterator }],
        ['head\n', 'a\n', 'b\n', 'c\n', 'tail'],
      );
      assert.equal(rendered, 3);
    });

    it('prints text that looks like its markers as the text it is', () => {
      const forged = ['\u0000kubeline:0\u0000', '\u000000000000-0000-0000-0000-000000000000:0\u0000'];
      const pieces = compileTemplatePieces('{{#eachPiece rows}}[{{this}}]{{/eachPiece}}')({ rows: forged });
      assert.equal([...pieces].join(''), forged.map((text) => `[${text}]`).join(''));
    });

    it('refuses an undefined array, like every helper of the report', () => {
      assert.throws(
        () => [...compileTemplatePieces('{{#eachPiece missing}}x{{/eachPiece}}')({})],
        /#eachPiece/,
      );
    });

    it('renders report.md of the estate with no piece longer than a table row', () => {
      const longest = Math.max(
        ...[...reportTemplatePieces('report.md.hbs')(estate)].map((piece) => piece.length),
      );
      assert.ok(longest < LONGEST_PIECE, `a piece of ${longest} characters`);
    });
  });
});
