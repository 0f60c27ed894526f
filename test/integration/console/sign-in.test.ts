/**
 * The console's door (issue 18): sign-in with ADMIN_TOKEN sets an HttpOnly, SameSite=Strict session cookie with an
 * expiry that is not the token; a wrong token and a missing session are refused; a POST without the session's CSRF
 * token is refused; a tenant in first-run mode is confirmed from the overview with the same command as the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startProduct, type Product } from '../../helpers/product.js';
import { HAVE_CHROMIUM, launchBrowser, screenshot, signIn, SKIP_REASON, type BrowserHandle } from './browser.js';

let p: Product | undefined;
let b: BrowserHandle | undefined;

if (!HAVE_CHROMIUM) console.warn(`console browser tests skipped: ${SKIP_REASON}`);

describe.skipIf(!HAVE_CHROMIUM)('console sign-in', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    p = await startProduct({ firstRun: 'new', worker: false });
    b = await launchBrowser();
  }, 60_000);
  afterAll(async () => { await b?.close(); await p?.close(); });

  it('refuses a wrong token and pages without a session', async () => {
    const { page } = b!;
    const response = await page.goto(`${p!.url}/console/jobs`);
    expect(new URL(response!.url()).pathname).toBe('/console/sign-in');
    await screenshot(page, 'console-sign-in');
    await signIn(page, p!.url, 'not-the-admin-token-at-all');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('wrong admin token');
    expect((await b!.context.cookies()).find((c) => c.name === 'autotask_sync_console')).toBeUndefined();

    // A forged or absent session cannot POST, whatever the form says.
    const forged = await fetch(`${p!.url}/console/tenants/default/confirm`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `autotask_sync_console=${Date.now() + 1e7}.${'A'.repeat(43)}` },
      body: 'csrf=x', redirect: 'manual' });
    expect(forged.status).toBe(401);
    // Nor can a sign-in form posted from elsewhere (no matching nonce cookie).
    const crossSite = await fetch(`${p!.url}/console/sign-in`, { method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN_TOKEN}&nonce=abc` });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.getSetCookie().some((c) => c.startsWith('autotask_sync_console='))).toBe(false);
  });

  it('signs in with a session cookie that is HttpOnly, SameSite=Strict, expiring, and not the token', async () => {
    const { page, context } = b!;
    await signIn(page, p!.url);
    await page.waitForSelector('table#tenants');
    const session = (await context.cookies()).find((c) => c.name === 'autotask_sync_console')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
    expect(session.expires).toBeGreaterThan(Date.now() / 1000);
    expect(session.value).not.toContain(ADMIN_TOKEN);

    // Signed in but without the page's CSRF token: refused, and the tenant stays in first-run mode.
    const noCsrf = await context.request.post(`${p!.url}/console/tenants/default/confirm`, { form: { csrf: 'guess' }, maxRedirects: 0 });
    expect(noCsrf.status()).toBe(403);
    expect((await p!.runtime.commands.firstRunStates())[0]!.confirmed).toBe(false);
  });

  it('shows the tenant in first-run mode and confirms it with the CLI\'s command', async () => {
    const { page } = b!;
    await page.goto(`${p!.url}/console`);
    const row = page.locator('tr[data-tenant="default"]');
    await row.locator('text=first-run: dry runs only').waitFor();
    await row.locator('button:has-text("confirm")').click();
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toContain('default: confirmed');
    await row.locator('.first-run >> text=confirmed').waitFor();
    const [state] = await p!.runtime.commands.firstRunStates();
    expect(state).toMatchObject({ tenant: 'default', confirmed: true, confirmedBy: 'console (admin token)' });
  });

  it('signs out: the cookie is gone and pages ask for the token again', async () => {
    const { page, context } = b!;
    await page.goto(`${p!.url}/console/jobs`);
    await page.click('button:has-text("sign out")');
    await page.waitForSelector('input[name=token]');
    expect((await context.cookies()).find((c) => c.name === 'autotask_sync_console')).toBeUndefined();
    await page.goto(`${p!.url}/console/invoices`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });
});
