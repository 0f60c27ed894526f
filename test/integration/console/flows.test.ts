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
    // Contracts by name (from the pulled contracts) beside their ids.
    const contractCells = (await page.locator('table.invoices.draft td.contracts').allTextContents()).join(' ');
    for (const id of DEMO_FACTS.invoiceGroups.flatMap((g) => g.contractIDs)) {
      expect(contractCells).toContain(`${String(p!.sandbox.data.get('Contracts', id)!.contractName)} ${id}`);
    }
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

    // Titles come from Autotask, so anyone who can open a ticket can write them: one carries markup.
    const hostile = series.ticketIds.at(-1)!;
    p!.sandbox.data.update('Tickets', hostile, { title: '<script>alert(1)</script> DC01 <b>unresponsive</b>', lastActivityDate: new Date().toISOString() });
    await runJob(p!, 'sync-tickets');

    const { page } = b!;
    await page.goto(`${p!.url}/console/problems`);
    await page.waitForSelector(`tr[data-suggestion="${series.id}"]`);
    await screenshot(page, 'console-problems');
    // Each member shows its ticket number and title, linked to the ticket's page (the sandbox answers that path).
    const members = await page.$$eval(`tr[data-suggestion="${series.id}"] td.members [data-ticket]`, (spans) => spans.map((span) => ({
      id: Number(span.getAttribute('data-ticket')), number: span.querySelector('a')?.textContent, href: span.querySelector('a')?.getAttribute('href'),
      text: span.textContent })));
    expect(members.map((m) => m.id)).toEqual(series.ticketIds);
    for (const m of members) {
      const ticket = p!.sandbox.data.get('Tickets', m.id)!;
      expect(m.number).toBe(ticket.ticketNumber);
      expect(m.text).toBe(`${String(ticket.ticketNumber)} ${String(ticket.title)}`);
      expect(m.href).toBe(`${new URL(p!.sandbox.url).origin}/Autotask/AutotaskExtend/ExecuteCommand.aspx?Code=OpenTicketDetail&TicketID=${m.id}`);
    }
    expect(members.find((m) => m.id === hostile)!.text).toContain('<script>alert(1)</script> DC01 <b>unresponsive</b>');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('td.members b').count()).toBe(0);
    const opened = await (await b!.context.request.get(members[0]!.href!)).json();
    expect(opened).toMatchObject({ id: members[0]!.id, ticketNumber: members[0]!.number });
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
    const linkedRow = page.locator(`table#linked-default tr[data-suggestion="${series.id}"]`);
    const problem = p!.sandbox.data.all('Tickets').find((t) => t.ticketType === 3 && t.externalID === series.groupKey)!;
    expect(await linkedRow.locator('td.problem a').getAttribute('href')).toMatch(new RegExp(`ExecuteCommand\\.aspx\\?Code=OpenTicketDetail&TicketID=${problem.id}$`));
    const incidents = await linkedRow.locator('td.incidents [data-ticket]').evaluateAll((spans) => spans.map((span) => ({
      id: Number(span.getAttribute('data-ticket')), href: span.querySelector('a')?.getAttribute('href'), text: span.textContent })));
    expect(incidents.map((i) => i.id).sort((a, b) => a - b)).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    for (const i of incidents) {
      expect(i.href).toMatch(new RegExp(`TicketID=${i.id}$`));
      expect(i.text).toContain(String(p!.sandbox.data.get('Tickets', i.id)!.title));
    }

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

  it('the overview shows each tenant\'s budget this hour, a 24 h chart and the throttled requests of every process', async () => {
    await runJob(p!, 'sync-all');
    // Autotask answers 429 (thread limit) until three requests were refused; the client retries them.
    let refused = 0;
    p!.sandbox.setLimits({ threadLimit: 0 });
    const off = p!.sandbox.onRequest((entry) => { if (entry.status === 429 && ++refused === 3) p!.sandbox.setLimits({ threadLimit: 3 }); });
    try { await runJob(p!, 'sync-contracts'); } finally { off(); p!.sandbox.setLimits({ threadLimit: 3 }); }
    const stats = p!.sandbox.stats();
    const sent429 = Object.values(stats.endpoints).reduce((sum, e) => sum + e.threadLimited + e.thresholdLimited, 0);
    // Everything the governor let through reached the sandbox's API (every request of this product went through it).
    const sent = Object.values(stats.endpoints).reduce((sum, e) => sum + e.requests, 0);
    expect(sent429).toBeGreaterThanOrEqual(3);

    const { page } = b!;
    const row = page.locator('tr[data-tenant="default"]');
    // The 429s are counted in Redis as they arrive; the page shows what is counted when it is loaded.
    await expect.poll(async () => {
      await page.goto(`${p!.url}/console`);
      return row.locator('td.throttled li.status429 .day').textContent();
    }, { timeout: 30_000 }).toBe(String(sent429));
    expect(await row.locator('td.throttled li.status429 .hour').textContent()).toBe(String(sent429));
    const hours = await row.locator('svg.budget-chart g.hour').evaluateAll((gs) => gs.map((g) => ({
      hour: g.getAttribute('data-hour'), requests: Number(g.getAttribute('data-requests')), throttled: Number(g.getAttribute('data-throttled')) })));
    expect(hours).toHaveLength(25);
    expect(hours.reduce((sum, h) => sum + h.requests, 0)).toBe(sent);
    expect(hours.at(-1)!.throttled).toBeGreaterThanOrEqual(sent429);
    expect(await row.locator('svg.budget-chart rect.throttled').count()).toBeGreaterThanOrEqual(1);
    // The status line reads as a sentence: no space before its full stop.
    expect(await page.locator('main > p').first().innerText()).toMatch(/^Instance (ready|not ready)( · [^.]*)?\. Times in /);
    // The last run's summary is folded away so one row stays one screen line.
    expect(await row.locator('details summary').first().textContent()).toBe('summary');
    const budget = await p!.runtime.commands.tenantUsage('default');
    expect(await row.locator('td.budget').textContent()).toContain(`${budget.budget!.used} used, ${budget.budget!.left} left`);
    await screenshot(page, 'console-overview');
  });
});
