import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import axe from 'axe-core';
import { Hono } from 'hono';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ENV, summariseBrowserError } from '../../report/pdf.js';

/** The Chromium the browser tests drive: Debian's, which `.ci/run` installs; `KUBELINE_CHROMIUM` overrides. */
export const TEST_CHROMIUM = process.env[CHROMIUM_ENV] || '/usr/bin/chromium';

/** Where screenshots go, for CI to keep as artefacts (git-ignored). */
export const ARTEFACTS_DIR = join('test-artifacts', 'browser');

const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * Starts the test Chromium. A browser that cannot start fails the test, never skips it: the
 * browser tests are the only proof the HTML report works in a browser.
 */
export async function launchChromium(executablePath = TEST_CHROMIUM): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, headless: true, timeout: LAUNCH_TIMEOUT_MS });
  } catch (error) {
    throw new Error(
      `the browser tests cannot start Chromium at ${executablePath} (${summariseBrowserError(error)}): ` +
        `install Debian chromium (apt-get install -y chromium) or set ${CHROMIUM_ENV}`,
      { cause: error },
    );
  }
}

/** A static HTTP server on a loopback port chosen at run time. */
export interface FolderServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly origin: string;
  readonly close: () => Promise<void>;
}

/** Serves the files under `root` on 127.0.0.1; resolves once the server listens. */
export function serveFolder(root: string): Promise<FolderServer> {
  const app = new Hono();
  app.use('/*', serveStatic({ root }));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            (server as Server).closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      }),
    );
    server.once('error', reject);
  });
}

/**
 * Lets the context reach `origin` only: every other request (and WebSocket) is refused before it
 * leaves the browser and its URL recorded in the returned list, which the caller asserts empty.
 */
export async function refuseRequestsLeaving(
  context: BrowserContext,
  origin: string,
): Promise<readonly string[]> {
  const leaving: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    leaving.push(url);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (socket) => {
    leaving.push(socket.url());
    return socket.close();
  });
  return leaving;
}

/** One accessibility rule broken on the page, with the elements that break it. */
export interface AccessibilityViolation {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

const BLOCKING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);

/** axe-core's serious and critical violations on a page whose scripts run (axe needs timers). */
export async function seriousAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const { axe: injected } = globalThis as unknown as { axe: typeof axe };
    const results = await injected.run({ resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact));
}

/** The few DOM members {@link scriptFreeMarkup} uses (the project's types carry no DOM library). */
interface MarkupElement {
  cloneNode(deep: true): MarkupElement;
  querySelectorAll(selectors: string): Iterable<MarkupElement>;
  remove(): void;
  replaceWith(...nodes: unknown[]): void;
  readonly childNodes: Iterable<unknown>;
  readonly outerHTML: string;
}

/**
 * The document a page built with JavaScript off, as markup that renders the same with scripts on:
 * scripts dropped and `<noscript>` fallbacks unwrapped. A page with JavaScript off runs no timers,
 * which axe-core needs, so its accessibility is checked on this markup in a scripting page.
 */
export function scriptFreeMarkup(page: Page): Promise<string> {
  return page.locator('html').evaluate((root: MarkupElement) => {
    const copy = root.cloneNode(true);
    for (const script of copy.querySelectorAll('script')) script.remove();
    for (const fallback of copy.querySelectorAll('noscript')) fallback.replaceWith(...fallback.childNodes);
    return `<!DOCTYPE html>${copy.outerHTML}`;
  });
}

/** Saves a screenshot of the element as `test-artifacts/browser/<name>.png`; returns its path. */
export async function saveScreenshot(element: Locator, name: string): Promise<string> {
  await mkdir(ARTEFACTS_DIR, { recursive: true });
  const path = join(ARTEFACTS_DIR, `${name}.png`);
  await element.screenshot({ path, animations: 'disabled' });
  return path;
}
