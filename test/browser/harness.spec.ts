import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  type FolderServer,
  launchChromium,
  refuseRequestsLeaving,
  scriptFreeMarkup,
  seriousAccessibilityViolations,
  serveFolder,
} from './harness.js';

/** A loopback server that only counts what reaches it: the "outside world" of these tests. */
async function countingServer(): Promise<{
  readonly origin: string;
  readonly hits: string[];
  readonly server: Server;
}> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

// The report's own tests lean on this harness to prove that nothing leaves the page and that
// axe-core's verdict means something; these tests show each guard can fail.
describe('browser harness', function () {
  this.timeout(60_000);
  let browser: Browser;
  let folder: string;
  let site: FolderServer;
  let outside: Awaited<ReturnType<typeof countingServer>>;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kubeline-browser-'));
    outside = await countingServer();
    await writeFile(join(folder, 'style.css'), 'h1 { color: rgb(1, 2, 3); }');
    await writeFile(
      join(folder, 'index.html'),
      `<!DOCTYPE html><html lang="en"><head><title>page</title><link rel="stylesheet" href="style.css"></head>
<body><main><h1>Local</h1><img src="${outside.origin}/pixel.png" alt="pixel">
<script>fetch('${outside.origin}/beacon').catch(() => {});</script></main></body></html>`,
    );
    site = await serveFolder(folder);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    outside?.server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the folder, and refuses and records every request to another origin', async () => {
    // Prepare
    const context = await browser.newContext();
    const leaving = await refuseRequestsLeaving(context, site.origin);
    const page = await context.newPage();
    const served: string[] = [];
    page.on('response', (response) => served.push(`${response.status()} ${response.url()}`));
    // Act
    await page.goto(`${site.origin}/index.html`, { waitUntil: 'networkidle' });
    await context.close();
    // Assess
    assert.deepEqual(served, [`200 ${site.origin}/index.html`, `200 ${site.origin}/style.css`]);
    assert.deepEqual([...leaving].sort(), [`${outside.origin}/beacon`, `${outside.origin}/pixel.png`]);
    assert.deepEqual(outside.hits, [], 'nothing reached the other origin');
  });

  it('reports the critical axe-core violation of an image without a text alternative', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>',
    );
    const violations = await seriousAccessibilityViolations(page);
    await page.close();
    assert.deepEqual(
      violations.map(({ rule, impact, targets }) => ({ rule, impact, targets })),
      [{ rule: 'image-alt', impact: 'critical', targets: ['img'] }],
    );
  });

  it('keeps the document built with JavaScript off, without its scripts and with its fallbacks shown', async () => {
    // Prepare
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><noscript><p id="fallback">Static view</p></noscript><script>document.title = "ran";</script></main></body></html>',
    );
    // Act
    const markup = await scriptFreeMarkup(page);
    await context.close();
    const scripting = await browser.newPage();
    await scripting.setContent(markup);
    // Assess
    assert.equal(await scripting.locator('#fallback').textContent(), 'Static view');
    assert.equal(await scripting.locator('script').count(), 0);
    assert.equal(await scripting.title(), 't');
    await scripting.close();
  });

  it('fails, saying how to install Chromium, when the browser cannot start', async () => {
    await assert.rejects(
      launchChromium('/nonexistent/chromium'),
      /cannot start Chromium at \/nonexistent\/chromium .*install Debian chromium \(apt-get install -y chromium\)/,
    );
  });
});
