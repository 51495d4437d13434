import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import type { PdfResult } from '../model/reportFormats.js';

export type { PdfResult };

/** Where Debian, Ubuntu (and its snap shim) and Google's own package install Chromium, in the order tried. */
export const CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** The environment variable that names the Chromium to use when the configuration names none. */
export const CHROMIUM_ENV = 'KUBELINE_CHROMIUM';

/** The configuration key that names the Chromium to use; the skip message points at it. */
export const CHROMIUM_CONFIG_KEY = 'output.pdf.executablePath';

/** How long one PDF may take, launch included, unless the caller says otherwise. */
export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/** How to find Chromium and how long to give it. */
export interface PdfOptions {
  /** The configured Chromium (`output.pdf.executablePath`); when set, the only one tried. */
  readonly executablePath?: string;
  /** Read for `KUBELINE_CHROMIUM` when no path is configured; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Tried in order when neither the configuration nor the environment names a Chromium. */
  readonly searchPaths?: readonly string[];
  /** The whole render, launch included; defaults to {@link DEFAULT_PDF_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * The Chromium paths to try, most specific first: an explicit choice (configuration, then the
 * environment) is the only candidate, so a typo is reported rather than quietly replaced by
 * another browser.
 */
export function chromiumCandidates(options: PdfOptions): readonly string[] {
  if (options.executablePath) return [options.executablePath];
  const fromEnv = (options.env ?? process.env)[CHROMIUM_ENV];
  if (fromEnv) return [fromEnv];
  return options.searchPaths ?? CHROMIUM_PATHS;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first candidate that is an executable file, or `undefined`. */
export async function findChromium(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

// Playwright's launch errors carry every command-line flag and a coloured call log; the first line
// and what the browser itself printed on stderr (a missing shared library, a sandbox refusal) are
// what an operator needs.
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const BROWSER_STDERR = /^\[pid=\d+\]\[err\] (.+)$/;
const MAX_BROWSER_LINES = 3;

/** A one-paragraph reason from a Playwright error: its first line and the browser's own stderr. */
export function summariseBrowserError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(ANSI_ESCAPE, '');
  const [first = '', ...rest] = message.split('\n');
  const browserSaid = [
    ...new Set(rest.flatMap((line) => BROWSER_STDERR.exec(line.trim())?.[1]?.trim() ?? [])),
  ].slice(0, MAX_BROWSER_LINES);
  return [first.trim(), ...browserSaid].filter(Boolean).join('; ');
}

// Chromium fills the `title`, `pageNumber` and `totalPages` spans itself (as text, so the report's
// title needs no escaping here). Header and footer get no page styles, hence the inline font size.
const HEADER_TEMPLATE =
  '<div style="font-size:8px;width:100%;margin:0 12mm;color:#5b6470"><span class="title"></span></div>';
const FOOTER_TEMPLATE =
  '<div style="font-size:8px;width:100%;margin:0 12mm;color:#5b6470;text-align:right">' +
  'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

async function printPage(browser: Browser, html: string, timeoutMs: number): Promise<PdfResult> {
  // The report is self-contained and the PDF is a print of it, so no script runs and no request
  // leaves: every request is refused and recorded, so a report that ever reaches out is caught.
  const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
  const blockedRequests: string[] = [];
  await context.route('**/*', (route) => {
    blockedRequests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  await page.setContent(html, { waitUntil: 'load' });
  const body = await page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: HEADER_TEMPLATE,
    footerTemplate: FOOTER_TEMPLATE,
    margin: { top: '16mm', bottom: '16mm', left: '12mm', right: '12mm' },
  });
  return { kind: 'pdf', body, blockedRequests };
}

/** Rejects with `message` after `ms`; the timer never keeps the process alive. */
function deadline(
  ms: number,
  message: string,
): { readonly expired: Promise<never>; readonly cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(ms, 0));
    timer.unref();
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Prints the HTML report to an A4 PDF with headless Chromium (through `playwright-core`, which
 * never downloads a browser: the host's Chromium is used). Never throws: without Chromium the PDF
 * is `skipped`, and a Chromium that cannot start or render gives `failed`, each with the reason.
 * The browser is always closed, and the whole render is bounded by `timeoutMs`.
 */
export async function renderPdf(html: string, options: PdfOptions = {}): Promise<PdfResult> {
  const candidates = chromiumCandidates(options);
  const executablePath = await findChromium(candidates);
  if (!executablePath) {
    return {
      kind: 'skipped',
      reason: `PDF skipped: no Chromium found (looked in ${candidates.join(', ')}); set ${CHROMIUM_CONFIG_KEY} or ${CHROMIUM_ENV}`,
    };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  const started = performance.now();
  let browser: Browser | undefined;
  try {
    // Loaded only when a PDF is asked for, so no other run pays for it.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, headless: true, timeout: timeoutMs });
    const remaining = deadline(timeoutMs - (performance.now() - started), `took longer than ${timeoutMs} ms`);
    try {
      return await Promise.race([printPage(browser, html, timeoutMs), remaining.expired]);
    } finally {
      remaining.cancel();
    }
  } catch (error) {
    return {
      kind: 'failed',
      reason: `PDF not rendered with ${executablePath}: ${summariseBrowserError(error)}`,
    };
  } finally {
    // Closing also ends a print still running past the deadline.
    await browser?.close().catch(() => undefined);
  }
}
