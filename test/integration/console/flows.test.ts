/**
 * The console's pages drive the product (issue 18), in Debian's Chromium against the product in process over the
 * sandbox: the invoice preview of the demo with its totals (and its JSON/CSV downloads); approving a problem
 * suggestion links its tickets in the sandbox, rejecting one keeps them unlinked; correcting a refused stopwatch
 * pushes it as one time entry; requeueing a dead letter runs its job again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, runJob, startProduct, type Product } from '../../helpers/product.js';
import { HAVE_CHROMIUM, launchBrowser, screenshot, signIn, SKIP_REASON, type BrowserHandle } from './browser.js';

let p: Product | undefined;
let b: BrowserHandle | undefined;
// The product's clock, moved by the test: a stopwatch runs 30 minutes without the test waiting.
let clock = Date.now();

if (!HAVE_CHROMIUM) console.warn(`console browser tests skipped: ${SKIP_REASON}`);

const cents = (value: number): string => (value / 100).toFixed(2);

describe.skipIf(!HAVE_CHROMIUM)('console pages', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    // No invoice sink: build-invoices leaves its documents as drafts, the preview of the next run.
    p = await startProduct({ now: () => new Date(clock), file: { detection: { mode: 'suggest' }, invoices: { fileSink: false } } });
    b = await launchBrowser();
    await signIn(b.page, p.url);
    await b.page.waitForSelector('table#tenants');
  }, 60_000);
  afterAll(async () => { await b?.close(); await p?.close(); });

  it('previews the demo\'s invoices per company and PO with their totals, downloadable as JSON and CSV', async () => {
    // One posted item without an amount: the run leaves it off, and the page says which and why.
    const open = p!.sandbox.data.all('BillingItems').find((i) => i.id === DEMO_FACTS.invoiceGroups[0]!.billingItemIDs[0])!;
    const { id: _id, ...fields } = open;
    const noAmount = p!.sandbox.data.insert('BillingItems', { ...fields, extendedPrice: null, totalAmount: null, description: 'no amount yet' });
    await runJob(p!, 'sync-contracts');
    await runJob(p!, 'sync-billing-items');
    await runJob(p!, 'build-invoices');
    const { page, context } = b!;
    await page.goto(`${p!.url}/console/invoices`);
    await page.waitForSelector('table.invoices.draft tbody tr');
    const rows = await page.$$eval('table.invoices.draft tbody tr', (trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return { company: tr.querySelector('td.company')?.getAttribute('data-company-id'), name: tr.querySelector('td.company')?.textContent ?? '', po: cells[1], items: cells[3], subtotal: cells[4], tax: cells[5], total: cells[6], key: tr.getAttribute('data-key') };
    }));
    const expected = DEMO_FACTS.invoiceGroups.map((g) => ({ company: String(g.companyID), po: g.purchaseOrderNumber ?? '(none)',
      items: String(g.itemCount), subtotal: cents(g.subtotalCents), tax: cents(g.taxCents), total: cents(g.totalCents) }));
    // Each row names its company (from Autotask's Companies) and the currency it is invoiced in.
    for (const row of rows) expect(row.name).toContain(String(p!.sandbox.data.get('Companies', Number(row.company))!.companyName));
    expect(await page.locator('table.invoices.draft td.currency').allTextContents()).toContain('EUR');
    // The items the run left off, each with its reason, as the API lists them.
    const { skipped } = await p!.runtime.commands.listInvoices({ tenant: 'default' });
    const skippedRows = await page.$$eval('table#skipped-default tbody tr', (trs) => trs.map((tr) => [Number(tr.getAttribute('data-item')),
      tr.querySelector('code')?.textContent ?? '']));
    expect(skippedRows).toEqual(skipped!.items.map((i) => [i.billingItemID, i.reason]));
    expect(skippedRows).toContainEqual([noAmount.id, 'missing-amount']);
    expect(rows.map(({ key: _key, name: _name, ...r }) => r).sort((a, b) => `${a.company}${a.po}`.localeCompare(`${b.company}${b.po}`)))
      .toEqual(expected.sort((a, b) => `${a.company}${a.po}`.localeCompare(`${b.company}${b.po}`)));

    const first = rows[0]!;
    const json = await context.request.get(`${p!.url}/console/invoices/document.json?tenant=default&key=${encodeURIComponent(first.key!)}`);
    expect(json.headers()['content-disposition']).toMatch(/attachment; filename=".+\.json"/);
    expect(await json.json()).toMatchObject({ tenant: 'default', invoiceKey: first.key, total: Number(first.total) });
    const csv = await (await context.request.get(`${p!.url}/console/invoices/document.csv?tenant=default&key=${encodeURIComponent(first.key!)}`)).text();
    expect(csv.split('\r\n')[0]).toMatch(/^invoiceKey,companyID,purchaseOrderNumber,billingItemID/);
    expect(csv).toContain(`total,,,,${first.total}`);
    // Without the session cookie the documents are not handed out.
    expect((await fetch(`${p!.url}/console/invoices/document.json?tenant=default&key=${encodeURIComponent(first.key!)}`, { redirect: 'manual' })).status).toBe(303);
  });

  it('approving a suggestion links its tickets in the sandbox; rejecting one keeps its tickets unlinked', async () => {
    await runJob(p!, 'sync-tickets');
    await runJob(p!, 'detect-problems');
    const { suggestions } = await p!.runtime.commands.listProblemSuggestions({ status: 'open' });
    const series = suggestions.find((s) => s.ticketIds.includes(DEMO_FACTS.narcolepticServer.ticketIds[0]!))!;
    const other = suggestions.find((s) => s.id !== series.id)!;
    expect(series).toBeDefined();
    expect(other).toBeDefined();

    const { page } = b!;
    await page.goto(`${p!.url}/console/problems`);
    await page.waitForSelector(`tr[data-suggestion="${series.id}"]`);
    await screenshot(page, 'console-problems');
    await page.click(`tr[data-suggestion="${series.id}"] button:has-text("approve")`);
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toContain('approved');
    await expect.poll(() => {
      const problem = p!.sandbox.data.all('Tickets').find((t) => t.ticketType === 3 && t.externalID === series.groupKey);
      if (!problem) return [];
      return p!.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === problem.id).map((t) => t.id).sort((a, b) => a - b);
    }, { timeout: 60_000 }).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    // Listed below as a Problem we created, once the run recorded its outcome.
    await expect.poll(async () => {
      await page.goto(`${p!.url}/console/problems`);
      return page.locator(`table#linked-default tr[data-suggestion="${series.id}"]`).count();
    }, { timeout: 30_000 }).toBe(1);

    await page.click(`tr[data-suggestion="${other.id}"] button:has-text("reject")`);
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toContain('rejected');
    expect(await page.locator(`tr[data-suggestion="${other.id}"]`).count()).toBe(0);
    await runJob(p!, 'detect-problems');
    for (const id of other.newLinks) expect(p!.sandbox.data.get('Tickets', id)!.problemTicketId ?? null).toBe(null);
    expect((await p!.runtime.commands.listProblemSuggestions({ status: 'open' })).suggestions.map((s) => s.id)).not.toContain(other.id);
  });

  it('correcting a refused stopwatch\'s role pushes it as one time entry', async () => {
    const assigned = DEMO_FACTS.assignedOpenTickets[0]!;
    // A role the resource does not have: Autotask (and the sandbox) checks the resource's own roles.
    const own = DEMO_FACTS.technicians.find((t) => t.resourceId === assigned.resourceId)!.roleIds;
    const wrongRole = DEMO_FACTS.technicians.flatMap((t) => t.roleIds).find((r) => !own.includes(r))!;
    expect(wrongRole).toBeDefined();
    const started = await p!.api('POST', '/api/stopwatches', { ticketId: assigned.ticketId, resourceId: assigned.resourceId,
      roleId: wrongRole, summaryNotes: 'console: refused then fixed' });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    clock += 30 * 60_000;
    expect((await p!.api('POST', `/api/stopwatches/${id}/stop`, {})).status).toBe(200);
    await eventually(async () => (await p!.api('GET', `/api/stopwatches/${id}`)).body.pushError !== null, 60_000, 'the refusal');

    const { page } = b!;
    await page.goto(`${p!.url}/console/time`);
    const row = page.locator(`table#refused-default tr[data-stopwatch="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/does not have role/);
    await screenshot(page, 'console-time');
    await row.locator('input[name=roleId]').fill(String(assigned.roleId));
    await row.locator('button:has-text("correct and retry")').click();
    await page.waitForSelector('.notice');
    const entryId = await eventually(async () => (await p!.api('GET', `/api/stopwatches/${id}`)).body.timeEntryId as number | null ?? undefined, 60_000, 'the push');
    const entries = p!.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'console: refused then fixed');
    expect(entries.map((t) => t.id)).toEqual([entryId]);
    expect(entries[0]!.roleID).toBe(assigned.roleId);
  });

  it('requeueing a dead letter runs its job again', async () => {
    // Autotask answers 500 to everything: sync-contracts uses up its attempts and is dead-lettered.
    p!.sandbox.setFaults({ faultRate: 1, faultKinds: ['error500'] });
    const added = await p!.api('POST', '/api/jobs/sync-contracts', { data: {} });
    const letters = await eventually(async () => {
      const list = await p!.runtime.commands.listDeadLetters();
      return list.some((l) => l.originalJobId === added.body.jobId) ? list : undefined;
    }, 120_000, 'the dead letter');
    const letter = letters.find((l) => l.originalJobId === added.body.jobId)!;
    p!.sandbox.setFaults({ faultRate: 0 });

    const { page } = b!;
    await page.goto(`${p!.url}/console/jobs`);
    const row = page.locator(`tr[data-letter="${letter.id}"]`);
    await row.waitFor();
    await screenshot(page, 'console-jobs');
    await row.locator('button:has-text("requeue")').click();
    await page.waitForSelector('.notice');
    const jobId = /as job (\S+)/.exec((await page.textContent('.notice')) ?? '')?.[1];
    expect(jobId).toBeDefined();
    await expect.poll(async () => (await p!.api('GET', `/api/jobs/${jobId}`)).body.state, { timeout: 60_000 }).toBe('completed');
    expect((await p!.runtime.commands.listDeadLetters()).map((l) => l.id)).not.toContain(letter.id);
    await page.goto(`${p!.url}/console/jobs`);
    expect(await page.locator(`tr[data-letter="${letter.id}"]`).count()).toBe(0);
  });
});
