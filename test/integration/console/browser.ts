/**
 * Debian's Chromium driven by playwright-core for the console's browser tests. `.ci/run` installs it; where it is
 * truly absent the tests skip and say why. Each launch gets a fresh profile directory, removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_TOKEN } from '../../helpers/product.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_REASON = `${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`;
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

export interface BrowserHandle {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  const profile = mkdtempSync(join(tmpdir(), 'autotask-sync-chromium-'));
  // playwright passes the profile directory itself (it refuses --user-data-dir among the args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, viewport: { width: 1100, height: 620 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

export async function signIn(page: Page, url: string, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${url}/console`);
  await page.waitForSelector('input[name=token]');
  await page.fill('input[name=token]', token);
  await page.click('button:has-text("sign in")');
}

/** A small PNG of what the browser shows, for the README (docs/screenshots/). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
