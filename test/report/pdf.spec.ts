import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CHROMIUM_PATHS,
  chromiumCandidates,
  findChromium,
  type PdfResult,
  renderPdf,
  summariseBrowserError,
} from '../../report/pdf.js';
import { TEST_CHROMIUM } from '../browser/harness.js';
import { pdfPages, pdfText } from '../browser/pdfText.js';

/** The PDF of a result, or a failure that says why there is none and how to get Chromium. */
function pdfOf(result: PdfResult): Extract<PdfResult, { kind: 'pdf' }> {
  if (result.kind !== 'pdf') {
    assert.fail(`no PDF: ${result.reason} (install Debian chromium: apt-get install -y chromium)`);
  }
  return result;
}

async function executable(folder: string, name: string, script: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('report/pdf: the PDF report through headless Chromium', function () {
  this.timeout(60_000);
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kubeline-pdf-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('finding Chromium', () => {
    it('tries only the configured path when one is set, then only KUBELINE_CHROMIUM, then the usual places', () => {
      const env = { KUBELINE_CHROMIUM: '/opt/env/chrome' };
      assert.deepEqual(chromiumCandidates({ executablePath: '/opt/configured/chrome', env }), [
        '/opt/configured/chrome',
      ]);
      assert.deepEqual(chromiumCandidates({ env }), ['/opt/env/chrome']);
      assert.deepEqual(chromiumCandidates({ env: { KUBELINE_CHROMIUM: '' } }), CHROMIUM_PATHS);
      assert.deepEqual(chromiumCandidates({ env: {}, searchPaths: ['/a', '/b'] }), ['/a', '/b']);
      assert.deepEqual(CHROMIUM_PATHS, [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
      ]);
    });

    it('takes the first candidate that is an executable file, passing over folders and plain files', async () => {
      const plain = join(folder, 'not-executable');
      await writeFile(plain, 'text');
      const directory = join(folder, 'a-directory');
      await mkdir(directory, { recursive: true });
      const browser = await executable(folder, 'chrome', 'exit 0');
      assert.equal(await findChromium([join(folder, 'missing'), plain, directory, browser]), browser);
      assert.equal(await findChromium([plain, directory]), undefined);
    });
  });

  describe('without a usable Chromium, it never throws', () => {
    it('skips the PDF, naming every path looked at and how to configure one', async () => {
      const result = await renderPdf('<p>x</p>', {
        env: {},
        searchPaths: ['/nonexistent/chromium', '/nonexistent/chrome'],
      });
      assert.deepEqual(result, {
        kind: 'skipped',
        reason:
          'PDF skipped: no Chromium found (looked in /nonexistent/chromium, /nonexistent/chrome); set output.pdf.executablePath or KUBELINE_CHROMIUM',
      });
    });

    it('skips the PDF when KUBELINE_CHROMIUM names a missing file, without trying another', async () => {
      const result = await renderPdf('<p>x</p>', { env: { KUBELINE_CHROMIUM: '/nonexistent/env-chromium' } });
      assert.equal(result.kind, 'skipped');
      assert.match(
        result.kind === 'skipped' ? result.reason : '',
        /\(looked in \/nonexistent\/env-chromium\)/,
      );
    });

    it('fails with what the browser printed when it exits at once', async () => {
      const broken = await executable(
        folder,
        'broken-chromium',
        'echo "error while loading shared libraries: libnss3.so" >&2\nexit 1',
      );
      const result = await renderPdf('<p>x</p>', { executablePath: broken });
      assert.equal(result.kind, 'failed');
      assert.match(
        result.kind === 'failed' ? result.reason : '',
        new RegExp(
          `^PDF not rendered with ${broken}: .+; error while loading shared libraries: libnss3\\.so$`,
        ),
      );
    });

    it('fails within its time limit when the browser never answers', async () => {
      // exec, so the stand-in is the process Playwright stops; it exits by itself soon after anyway.
      const silent = await executable(folder, 'silent-chromium', 'exec sleep 3');
      const started = performance.now();
      const result = await renderPdf('<p>x</p>', { executablePath: silent, timeoutMs: 500 });
      const elapsed = performance.now() - started;
      assert.deepEqual(result, {
        kind: 'failed',
        reason: `PDF not rendered with ${silent}: browserType.launch: Timeout 500ms exceeded.`,
      });
      assert.ok(elapsed < 2_500, `gave up after ${Math.round(elapsed)} ms`);
    });
  });

  describe('with Chromium', () => {
    let outside: Server;
    let outsideOrigin: string;
    const outsideHits: string[] = [];

    before(async () => {
      outside = createServer((request, response) => {
        outsideHits.push(request.url ?? '');
        response.end();
      });
      await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
      outsideOrigin = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`;
    });

    after(() => {
      outside?.close();
    });

    it('prints an A4 PDF whose text holds the page, its title and page numbers', async () => {
      const html =
        '<!DOCTYPE html><html lang="en"><head><title>Fleet &amp; friends</title></head>' +
        '<body><h1>kubeline report</h1><p>15 clusters, 600 findings, 306 needing attention</p></body></html>';
      const result = pdfOf(await renderPdf(html, { executablePath: TEST_CHROMIUM }));
      assert.equal(Buffer.from(result.body.subarray(0, 5)).toString('latin1'), '%PDF-');
      const pages = await pdfPages(result.body);
      // A4 is 595 × 842 pt (Letter 612 × 792); Chromium rounds the sheet to whole CSS pixels.
      assert.equal(pages.length, 1);
      const [width = 0, height = 0] = pages.map(({ widthPt, heightPt }) => [widthPt, heightPt])[0] ?? [];
      assert.ok(
        Math.abs(width - 595.3) < 2 && Math.abs(height - 841.9) < 2,
        `page of ${width} × ${height} pt`,
      );
      const text = pages[0]?.text ?? '';
      assert.match(text, /kubeline report 15 clusters, 600 findings, 306 needing attention/);
      assert.match(text, /Fleet & friends/, 'the header holds the title, unescaped once');
      assert.match(text, /Page 1 of 1/);
      assert.deepEqual(result.blockedRequests, []);
    });

    it('lets no request leave the page, and lists those it refused', async () => {
      const html =
        '<!DOCTYPE html><html lang="en"><head><title>t</title>' +
        `<link rel="stylesheet" href="${outsideOrigin}/style.css"></head>` +
        `<body><p>Self-contained?</p><img src="${outsideOrigin}/pixel.png" alt="pixel">` +
        `<script>fetch('${outsideOrigin}/beacon')</script></body></html>`;
      const result = pdfOf(await renderPdf(html, { executablePath: TEST_CHROMIUM }));
      assert.deepEqual([...result.blockedRequests].sort(), [
        `${outsideOrigin}/pixel.png`,
        `${outsideOrigin}/style.css`,
      ]);
      assert.deepEqual(outsideHits, [], 'nothing reached the server, and the script never ran');
      assert.match(await pdfText(result.body), /Self-contained\?/);
    });
  });

  describe('summariseBrowserError', () => {
    it("keeps the first line and the browser's own stderr, without colour codes or the call log", () => {
      const esc = String.fromCharCode(27);
      const error = new Error(
        [
          'browserType.launch: Target page, context or browser has been closed',
          'Browser logs:',
          '<launching> /usr/bin/chromium --headless',
          '[pid=7][err] first complaint',
          '[pid=7][err] first complaint',
          '[pid=7][err] second complaint',
          'Call log:',
          `${esc}[2m  - [pid=7][err] first complaint${esc}[22m`,
        ].join('\n'),
      );
      assert.equal(
        summariseBrowserError(error),
        'browserType.launch: Target page, context or browser has been closed; first complaint; second complaint',
      );
      assert.equal(summariseBrowserError('plain text'), 'plain text');
    });
  });
});
