import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

/** The parts of report.json the matrix's rows are checked against. */
interface ReportJson {
  readonly summary: ReportSummary;
  readonly clusters: readonly { readonly id: string; readonly provider: string }[];
  readonly findings: readonly { readonly clusterId: string; readonly status: string }[];
}

/** The example fleet's config with the cluster-page threshold set to `above`, written to `folder`. */
async function configWithClusterPagesAbove(folder: string, above: number): Promise<string> {
  const example = await readFile('examples/kubeline.config.yaml', 'utf8');
  assert.match(example, /\noutput:\n/);
  const path = join(folder, 'kubeline.config.yaml');
  await writeFile(
    path,
    example.replace('\noutput:\n', `\noutput:\n  html:\n    clusterPagesAbove: ${above}\n`),
  );
  return path;
}

/** Scans the example fleet into `out`; returns the run folder. */
async function scanExampleFleet(out: string, config = 'examples/kubeline.config.yaml'): Promise<string> {
  const scan = await kubeline([
    'scan',
    '--from',
    'examples/fleet',
    '--config',
    config,
    '--out',
    out,
    '--as-of',
    AS_OF,
    '--fail-on',
    'none',
    '--no-notify',
  ]);
  assert.equal(scan.code, 0, scan.stderr);
  return scan.stdout.trim();
}

/** The matrix rows the page shows (not hidden by a filter). */
function visibleMatrixRows(page: Page): Promise<number> {
  return page.locator('[data-matrix] tbody tr:visible').count();
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
  let report: ReportJson;
  let server: FolderServer;
  let browser: Browser;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'kubeline-browser-report-'));
    runFolder = await scanExampleFleet(out);
    report = JSON.parse(await readFile(join(runFolder, 'report.json'), 'utf8'));
    summary = report.summary;
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

      if (javaScriptEnabled) {
        it('narrows the matrix by provider and by status, and says how many clusters are shown', async () => {
          const total = report.clusters.length;
          const count = page.locator('[data-matrix] .matrix-count');
          assert.equal(await visibleMatrixRows(page), total);
          assert.equal((await count.textContent())?.trim(), `${total} of ${total} clusters shown`);

          const gke = report.clusters.filter((cluster) => cluster.provider === 'gke').length;
          assert.ok(gke > 0 && gke < total, 'the fleet has GKE clusters and others');
          await page.locator('.matrix-filters').getByLabel('Provider').selectOption('gke');
          assert.equal(await visibleMatrixRows(page), gke);
          assert.equal((await count.textContent())?.trim(), `${gke} of ${total} clusters shown`);

          await page.getByRole('button', { name: 'Show all' }).click();
          assert.equal(await visibleMatrixRows(page), total);

          const waived = new Set(
            report.findings
              .filter((finding) => finding.status === 'waived')
              .map((finding) => finding.clusterId),
          );
          assert.ok(waived.size > 0 && waived.size < total, 'some clusters have a waived finding');
          await page.locator('.matrix-filters').getByLabel('Status').selectOption('waived');
          assert.equal(await visibleMatrixRows(page), waived.size);
          assert.equal((await count.textContent())?.trim(), `${waived.size} of ${total} clusters shown`);
          await page.getByRole('button', { name: 'Show all' }).click();
        });

        it('reaches the filters with the keyboard', async () => {
          // From the top of the page: the first link of the contents.
          await page.locator('nav a').first().focus();
          let reached = false;
          for (let presses = 0; presses < 120 && !reached; presses += 1) {
            await page.keyboard.press('Tab');
            reached = await page.evaluate(
              () =>
                (
                  globalThis as unknown as {
                    document: { activeElement: { matches(s: string): boolean } | null };
                  }
                ).document.activeElement?.matches('.matrix-filters select') ?? false,
            );
          }
          assert.ok(reached, 'Tab reaches a filter of the matrix');
        });
      } else {
        it('shows the matrix as a plain, complete table without filters', async () => {
          assert.equal(await page.locator('.matrix-filters').count(), 0);
          assert.equal(await visibleMatrixRows(page), report.clusters.length);
          assert.equal(await page.locator('[data-matrix] [hidden]').count(), 0);
        });
      }

      it('saves screenshots of the summary, the matrix and a cluster section', async () => {
        const saved = [
          await saveScreenshot(page.locator('#summary'), `summary-${mode}`),
          await saveScreenshot(page.locator('#matrix'), `matrix-${mode}`),
          await saveScreenshot(page.locator('#cluster-1'), `cluster-${mode}`),
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

  describe('a large estate: cluster pages (threshold set below the fleet)', () => {
    let largeOut: string;
    let largeServer: FolderServer;
    let context: BrowserContext;
    let leaving: readonly string[] = [];

    before(async () => {
      largeOut = await mkdtemp(join(tmpdir(), 'kubeline-browser-pages-'));
      const folder = await scanExampleFleet(largeOut, await configWithClusterPagesAbove(largeOut, 5));
      largeServer = await serveFolder(folder);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      leaving = await refuseRequestsLeaving(context, largeServer.origin);
    });

    after(async () => {
      await context?.close();
      await largeServer?.close();
      await rm(largeOut, { recursive: true, force: true });
    });

    it('opens a cluster page from the matrix, accessible, with a way back, and no request leaves', async () => {
      const page = await context.newPage();
      await page.goto(`${largeServer.origin}/report.html`, { waitUntil: 'load' });
      assert.equal(await page.locator('section.cluster').count(), 0, 'no cluster detail in report.html');
      assert.deepEqual(await headlinesShown(page), headlinesOf(summary));
      const first = page.locator('[data-matrix] tbody th a').first();
      const name = (await first.textContent())?.trim() ?? '';
      assert.match((await first.getAttribute('href')) ?? '', /^clusters\/[a-z0-9-]+\.html$/);
      await Promise.all([page.waitForURL(/\/clusters\/[a-z0-9-]+\.html$/), first.click()]);
      assert.equal((await page.locator('h1').textContent())?.trim(), `kubeline report: ${name}`);
      assert.ok(
        (await page.locator('.findings-list > li').count()) > 0,
        'the cluster page lists its findings',
      );
      assert.deepEqual(await seriousAccessibilityViolations(page), []);
      await saveScreenshot(page.locator('main'), 'cluster-page');
      await Promise.all([
        page.waitForURL(/\/report\.html#matrix$/),
        page.getByRole('link', { name: /Back to the report/ }).click(),
      ]);
      assert.deepEqual(await seriousAccessibilityViolations(page), []);
      assert.deepEqual(leaving, []);
    });

    it('opens the whole matrix on its page, every cluster a row with working filters, accessible', async () => {
      const page = await context.newPage();
      await page.goto(`${largeServer.origin}/report.html`, { waitUntil: 'load' });
      await Promise.all([
        page.waitForURL(/\/matrix\/1\.html$/),
        page.locator('.matrix-pages a').first().click(),
      ]);
      const rows = page.locator('[data-matrix] tbody tr');
      assert.equal(await rows.count(), summary.clusters, 'every cluster of the run');
      assert.match(
        (await rows.first().locator('th a').getAttribute('href')) ?? '',
        /^\.\.\/clusters\/[a-z0-9-]+\.html$/,
      );
      await page.getByLabel('Provider').selectOption('eks');
      const eks = await page.locator('[data-matrix] tbody tr:not([hidden])').count();
      assert.ok(eks > 0 && eks < summary.clusters, 'the provider filter narrows the rows');
      assert.deepEqual(await seriousAccessibilityViolations(page), []);
      assert.deepEqual(leaving, []);
    });
  });

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
