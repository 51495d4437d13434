import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { renderPdf } from '../../report/pdf.js';
import { kubeline } from '../fixtures/cli.js';
import {
  type FolderServer,
  launchChromium,
  refuseRequestsLeaving,
  saveScreenshot,
  scriptFreeMarkup,
  seriousAccessibilityViolations,
  serveFolder,
  TEST_CHROMIUM,
} from './harness.js';
import { pdfText } from './pdfText.js';

/** The day the example fleet's expected results are written for (examples/fleet/README.md). */
const AS_OF = '2026-11-29';

/** The part of report.json the headline numbers come from. */
interface ReportSummary {
  readonly clusters: number;
  readonly findings: Readonly<Record<string, number>> & { readonly total: number };
  readonly failuresBySeverity: Readonly<Record<string, number>>;
}

/** The numbers the report's summary must show, keyed as its `data-headline` hooks, from report.json. */
function headlinesOf(summary: ReportSummary): Record<string, number> {
  const { total, ...byStatus } = summary.findings;
  const failures = Object.entries(summary.failuresBySeverity);
  return {
    clusters: summary.clusters,
    findings: total,
    'needs-attention': (byStatus.fail ?? 0) + (byStatus.error ?? 0) + (byStatus.unknown ?? 0),
    ...byStatus,
    ...Object.fromEntries(failures.map(([severity, count]) => [`failures-${severity}`, count])),
    failures: failures.reduce((sum, [, count]) => sum + count, 0),
  };
}

/** What an element with a `data-headline` hook exposes (the project's types carry no DOM library). */
interface HeadlineElement {
  getAttribute(name: 'data-headline'): string | null;
  readonly textContent: string | null;
}

/** The numbers the page shows in its `data-headline` hooks; a hook met twice is an error. */
async function headlinesShown(page: Page): Promise<Record<string, number>> {
  const pairs = await page
    .locator('[data-headline]')
    .evaluateAll((elements: HeadlineElement[]) =>
      elements.map(
        (element) => [element.getAttribute('data-headline') ?? '', element.textContent ?? ''] as const,
      ),
    );
  const shown: Record<string, number> = {};
  for (const [name, text] of pairs) {
    assert.ok(!(name in shown), `the headline "${name}" appears twice`);
    shown[name] = Number(text.trim());
  }
  return shown;
}

// Issue 13: the HTML report in a real browser, with JavaScript on and off, served from a local
// HTTP server as a reader would open it. Chromium is Debian's (installed by .ci/run): a browser
// that cannot start fails these tests, it never skips them.
describe('browser: the HTML report of the example fleet', function () {
  this.timeout(90_000);
  let out: string;
  let runFolder: string;
  let summary: ReportSummary;
  let server: FolderServer;
  let browser: Browser;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'kubeline-browser-report-'));
    const scan = await kubeline([
      'scan',
      '--from',
      'examples/fleet',
      '--config',
      'examples/kubeline.config.yaml',
      '--out',
      out,
      '--as-of',
      AS_OF,
      '--fail-on',
      'none',
      '--no-notify',
    ]);
    assert.equal(scan.code, 0, scan.stderr);
    runFolder = scan.stdout.trim();
    summary = JSON.parse(await readFile(join(runFolder, 'report.json'), 'utf8')).summary;
    server = await serveFolder(runFolder);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(out, { recursive: true, force: true });
  });

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? 'javascript-on' : 'javascript-off';

    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      let context: BrowserContext;
      let page: Page;
      let leaving: readonly string[] = [];
      let leavingAxePage: readonly string[] = [];

      before(async () => {
        context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
        leaving = await refuseRequestsLeaving(context, server.origin);
        page = await context.newPage();
        const response = await page.goto(`${server.origin}/report.html`, { waitUntil: 'load' });
        assert.equal(response?.status(), 200);
      });

      after(async () => {
        await context?.close();
      });

      it("shows the headline numbers of report.json's summary", async () => {
        const expected = headlinesOf(summary);
        assert.ok(expected.clusters && expected.clusters > 0, 'the example fleet has clusters');
        assert.deepEqual(await headlinesShown(page), expected);
      });

      it('has no serious or critical accessibility violation (axe-core)', async () => {
        if (javaScriptEnabled) {
          assert.deepEqual(await seriousAccessibilityViolations(page), []);
          return;
        }
        // axe-core needs scripts: it checks the document built without them, in a scripting page.
        const scripting = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        try {
          leavingAxePage = await refuseRequestsLeaving(scripting, server.origin);
          const markupPage = await scripting.newPage();
          await markupPage.setContent(await scriptFreeMarkup(page));
          assert.deepEqual(await seriousAccessibilityViolations(markupPage), []);
        } finally {
          await scripting.close();
        }
      });

      it('saves screenshots of the summary and of the clusters section', async () => {
        const saved = [
          await saveScreenshot(page.locator('#summary'), `summary-${mode}`),
          await saveScreenshot(page.locator('#clusters'), `clusters-${mode}`),
        ];
        for (const path of saved) {
          const png = await readFile(path);
          assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
        }
      });

      // Last, so it covers everything the page did during the tests above.
      it('made no request that leaves the page', () => {
        assert.deepEqual([...leaving, ...leavingAxePage], []);
      });
    });
  }

  it('prints to a PDF whose text holds the headline', async () => {
    const html = await readFile(join(runFolder, 'report.html'), 'utf8');
    const result = await renderPdf(html, { executablePath: TEST_CHROMIUM, timeoutMs: 60_000 });
    assert.equal(result.kind, 'pdf', result.kind === 'pdf' ? '' : result.reason);
    if (result.kind !== 'pdf') return;
    assert.deepEqual(result.blockedRequests, [], 'the report is self-contained');
    const headlines = headlinesOf(summary);
    const text = await pdfText(result.body);
    assert.match(text, /kubeline report/);
    assert.ok(
      text.includes(
        `${headlines.clusters} clusters, ${headlines.findings} findings, ${headlines['needs-attention']} needing attention`,
      ),
      'the summary sentence with report.json numbers',
    );
  });
});
