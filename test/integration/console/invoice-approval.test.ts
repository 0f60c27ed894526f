/**
 * The Invoices page's approval step in Debian's Chromium (issue 18, invoices.requireApproval): the demo's drafts wait
 * for a person, nothing is marked; approving one in the page delivers it to the file sink and marks exactly its
 * billing items in the sandbox; a form carrying a version the draft no longer has is refused and marks nothing.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, startProduct, type Product } from '../../helpers/product.js';
import { HAVE_CHROMIUM, launchBrowser, screenshot, signIn, SKIP_REASON, type BrowserHandle } from './browser.js';

let p: Product | undefined;
let b: BrowserHandle | undefined;
let dir: string | undefined;

if (!HAVE_CHROMIUM) console.warn(`console browser tests skipped: ${SKIP_REASON}`);

describe.skipIf(!HAVE_CHROMIUM)('console invoice approval', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-approval-'));
    p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { requireApproval: true } } });
    b = await launchBrowser();
    await signIn(b.page, p.url);
    await b.page.waitForSelector('table#tenants');
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await p?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('approving a draft delivers it: its items get webServiceDate only after the approval, no other draft\'s do', async () => {
    await runJob(p!, 'sync-contracts');
    await runJob(p!, 'sync-billing-items');
    await runJob(p!, 'build-invoices');
    const exportedBefore = new Set(p!.sandbox.data.all('BillingItems').filter((i) => i.webServiceDate).map((i) => i.id));
    const newlyMarked = () => p!.sandbox.data.all('BillingItems').filter((i) => i.webServiceDate && !exportedBefore.has(i.id)).map((i) => i.id);
    const files = () => readdirSync(dir!, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    const { drafts, listing } = await (async () => {
      const l = await p!.runtime.commands.listInvoices({ tenant: 'default' });
      return { listing: l, drafts: l.invoices.filter((d) => d.status === 'draft') as Array<{ invoiceKey: string; version: string; items: Array<{ billingItemID: number }> }> };
    })();
    expect(listing.requireApproval).toBe(true);
    expect(newlyMarked()).toEqual([]);
    expect(files()).toEqual([]);

    const { page, context } = b!;
    const chosen = drafts[0]!;
    // Signed in, but a form without the page's CSRF token (a page on another site posting it) is refused, recording nothing.
    const forged = await context.request.post(`${p!.url}/console/invoices/approve`, { maxRedirects: 0,
      form: { csrf: 'guess', tenant: 'default', key: chosen.invoiceKey, version: chosen.version } });
    expect(forged.status()).toBe(403);
    expect((await p!.runtime.commands.listInvoices({ tenant: 'default' })).invoices.every((d) => (d.decisions as unknown[]).length === 0)).toBe(true);

    await page.goto(`${p!.url}/console/invoices`);
    const row = page.locator(`table.invoices.draft tr[data-key="${chosen.invoiceKey}"]`);
    await row.waitFor();
    expect(await row.locator('td.approval').textContent()).toContain('awaiting approval');
    expect(await page.locator('table.invoices.draft tr[data-key] td.approval button:has-text("approve")').count()).toBe(drafts.length);
    await screenshot(page, 'console-invoices');

    // A form whose version is not the draft's current one (the draft changed after the page was loaded) is refused.
    const other = drafts[1]!;
    const otherRow = page.locator(`table.invoices.draft tr[data-key="${other.invoiceKey}"]`);
    await otherRow.locator('form[action="/console/invoices/approve"] input[name=version]').evaluate((input) => { (input as unknown as { value: string }).value = 'ffffffffffffffff'; });
    await otherRow.locator('button:has-text("approve")').click();
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('changed since it was shown');

    await page.locator(`table.invoices.draft tr[data-key="${chosen.invoiceKey}"] button:has-text("approve")`).click();
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toContain(`approved ${chosen.invoiceKey}`);
    const expected = chosen.items.map((i) => i.billingItemID).sort((a, b) => a - b);
    await expect.poll(() => newlyMarked().sort((a, b) => a - b), { timeout: 60_000 }).toEqual(expected);
    expect(files()).toHaveLength(1);

    await expect.poll(async () => {
      await page.goto(`${p!.url}/console/invoices`);
      return page.locator(`table.invoices.delivered tr[data-key="${chosen.invoiceKey}"] td.approval`).textContent({ timeout: 1_000 }).catch(() => '');
    }, { timeout: 30_000 }).toContain('approved by console (admin token)');
    expect(await page.locator(`table.invoices.draft tr[data-key="${other.invoiceKey}"] td.approval`).textContent()).toContain('awaiting approval');
    expect(other.items.some((i) => newlyMarked().includes(i.billingItemID))).toBe(false);

    // Rejecting a draft keeps it a draft that says who rejected it; the next run delivers and marks nothing of it.
    const third = drafts[2]!;
    await page.locator(`table.invoices.draft tr[data-key="${third.invoiceKey}"] button:has-text("reject")`).click();
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toContain(`rejected ${third.invoiceKey}`);
    expect(await page.locator(`table.invoices.draft tr[data-key="${third.invoiceKey}"] td.approval`).textContent()).toContain('rejected by console (admin token)');
    await runJob(p!, 'build-invoices');
    expect(newlyMarked().sort((a, b) => a - b)).toEqual(expected);
    expect(files()).toHaveLength(1);
  });
});
