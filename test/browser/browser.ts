import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser tests' helpers (part of the project's HTML toolkit, with src/reports/html/): Debian's
 * headless Chromium driven by playwright-core, offline. Every request other than the page's own file is
 * refused and recorded, and console errors are collected, so that a test can say "no network, no error".
 */

/** The browser: CHROMIUM_PATH, else Debian's chromium-headless-shell. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || '/usr/bin/chromium-headless-shell';
}

export function installHint(path: string): string {
  return (
    `no Chromium at ${path}. Install Debian's headless Chromium: ` +
    '`apt-get update && apt-get install -y --no-install-recommends chromium-headless-shell` (as root; .ci/run does it), ' +
    'or set CHROMIUM_PATH to a Chromium or headless-shell binary.'
  );
}

/** Throws the one clear line that says what to install, when the browser is missing. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const path = chromiumPath(env);
  if (!existsSync(path)) throw new Error(installHint(path));
  return path;
}

export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const executablePath = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'idmatrix-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: LAUNCH_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors, page errors, and requests that were refused (anything but the page's file). */
  readonly errors: string[];
  readonly requests: string[];
}

export async function openFile(browser: Browser, file: string, viewport: { width: number; height: number }): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.route('**/*', async (route) => {
    const requested = route.request().url();
    if (requested === url || requested.startsWith('data:')) return route.continue();
    requests.push(requested);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** How far the page scrolls sideways (0: it fits the viewport). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
