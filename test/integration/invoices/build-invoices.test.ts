import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInvoicesJob } from '../../../jobs/build-invoices.js';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { syncContractsJob } from '../../../jobs/sync-contracts.js';
import type { InvoiceDocument } from '../../../src/rules/invoice-types.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { verifyInvoiceSignature } from '../../../src/sinks/signature.js';
import type { RequestCost } from '../../../src/rules/request-cost.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

const HOOK_SECRET = 'invoice-hook-secret';
let h: Harness;
let dir: string;
let receiver: Server | undefined;
const received: Array<{ key: string; ok: boolean; body: InvoiceDocument }> = [];

async function startReceiver(): Promise<string> {
  received.length = 0;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ key: String(req.headers['idempotency-key']), ok: verifyInvoiceSignature(HOOK_SECRET, raw, req.headers['x-signature'] as string),
        body: JSON.parse(raw.toString()) as InvoiceDocument });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/invoices`;
}

async function setup(thresholdLimit?: number): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'invoices-'));
  const url = await startReceiver();
  h = await startHarness({ env: { INVOICE_OUTPUT_DIR: dir, INVOICE_WEBHOOK_URL: url, INVOICE_WEBHOOK_SECRET: HOOK_SECRET },
    ...(thresholdLimit === undefined ? {} : { sandbox: { threshold: { limit: thresholdLimit } } }) });
  await h.run(syncContractsJob);
  await h.run(syncBillingItemsJob);
}

afterEach(async () => {
  await h?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const billingItemPatches = () => h.sandbox.stats().writes.BillingItems?.PATCH ?? 0;
const cents = (n: number) => Math.round(n * 100);

describe('build-invoices against the demo tenant', () => {
  it('builds the expected invoice per company and PO with exact totals, delivers each once and marks each item once', async () => {
    await setup();
    const result = await h.run(buildInvoicesJob);
    // The file sink writes into the tenant's folder, and each document names its tenant.
    const folder = join(dir, h.tenant.id);
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    const docs = files.map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as InvoiceDocument & { tenant: string });
    expect(docs.every((d) => d.tenant === h.tenant.id)).toBe(true);
    expect(docs).toHaveLength(DEMO_FACTS.invoiceGroups.length);
    for (const group of DEMO_FACTS.invoiceGroups) {
      const doc = docs.find((d) => d.companyID === group.companyID && d.purchaseOrderNumber === group.purchaseOrderNumber);
      expect(doc, `${group.companyID}/${group.purchaseOrderNumber}`).toBeDefined();
      expect(doc!.items.map((i) => i.billingItemID).sort((a, b) => a - b)).toEqual([...group.billingItemIDs].sort((a, b) => a - b));
      expect([cents(doc!.subtotal), cents(doc!.tax), cents(doc!.total)]).toEqual([group.subtotalCents, group.taxCents, group.totalCents]);
      expect(doc!.contractIDs).toEqual([...group.contractIDs].sort((a, b) => a - b));
      // Who and in what currency: the company's name, and its currencyID's code or else the internal currency's.
      const company = h.sandbox.data.get('Companies', group.companyID)!;
      const currencyID = (company.currencyID as number | null) ?? h.sandbox.data.all('Currencies').find((c) => c.isInternalCurrency)!.id;
      expect([doc!.companyName, doc!.currency]).toEqual([company.companyName, h.sandbox.data.get('Currencies', currencyID)!.name]);
    }
    expect(new Set(docs.map((d) => d.currency))).toEqual(new Set(['USD', 'EUR']));
    // The two contracts sharing one PO land on one invoice; the no-PO customer gets one invoice.
    const shared = Object.entries(DEMO_FACTS.contractsByPurchaseOrder).find(([, ids]) => ids.length > 1)!;
    expect(docs.filter((d) => d.purchaseOrderNumber === shared[0])).toHaveLength(1);
    expect(received.map((r) => r.key).sort()).toEqual(docs.map((d) => `${h.tenant.id}:${d.invoiceKey}`).sort());
    expect(received.every((r) => r.ok)).toBe(true);
    expect(billingItemPatches()).toBe(DEMO_FACTS.openBillingItemCount);
    const open = DEMO_FACTS.invoiceGroups.flatMap((g) => g.billingItemIDs);
    expect(open.every((id) => h.sandbox.data.get('BillingItems', id)?.webServiceDate)).toBe(true);
    expect(result.counts.marked).toBe(DEMO_FACTS.openBillingItemCount);

    // A rerun (with a fresh pull) writes nothing and delivers nothing.
    const writes = JSON.stringify(h.sandbox.stats().writes);
    await h.run(syncBillingItemsJob);
    const again = await h.run(buildInvoicesJob);
    expect(again.counts).toMatchObject({ invoices: 0, delivered: 0, marked: 0 });
    expect(JSON.stringify(h.sandbox.stats().writes)).toBe(writes);
    expect(received).toHaveLength(docs.length);
  });

  it('a crash after delivery and before marking ends with one mark per item and no second delivery', async () => {
    await setup();
    // The "crash": the first mark PATCH dies, as if the process were killed right after the first invoice went out.
    const update = h.client.update.bind(h.client);
    let crashed = false;
    h.client.update = (async (entity, body, signal) => {
      if (entity === 'BillingItems' && !crashed) { crashed = true; throw new Error('killed'); }
      return update(entity, body, signal);
    }) as typeof h.client.update;
    await expect(h.run(buildInvoicesJob)).rejects.toThrow('killed');
    expect(received).toHaveLength(1);
    expect(billingItemPatches()).toBe(0);

    // A new item of that invoice's purchase order arrives before the retry: it must not be regrouped with the
    // delivered ones (which would deliver them twice under a new key).
    const first = received[0]!.body;
    const template = h.sandbox.data.get('BillingItems', first.items[0]!.billingItemID)!;
    const { id: _id, ...fields } = template;
    const late = h.sandbox.data.insert('BillingItems', { ...fields, description: 'late posting' });
    await h.run(syncBillingItemsJob);
    await h.run(buildInvoicesJob);
    await h.run(buildInvoicesJob);
    // Every original invoice exactly once, plus the late item on an invoice of its own.
    const keys = received.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(received).toHaveLength(DEMO_FACTS.invoiceGroups.length + 1);
    expect(received.filter((r) => r.body.items.some((i) => i.billingItemID === late.id)).map((r) => r.body.items.length)).toEqual([1]);
    expect(billingItemPatches()).toBe(DEMO_FACTS.openBillingItemCount + 1);
  });

  it('a dry run prints the invoices and marks it would make and sends nothing', async () => {
    await setup();
    const result = await h.run(buildInvoicesJob, {}, { dryRun: true });
    expect(result.counts.invoices).toBe(DEMO_FACTS.invoiceGroups.length);
    // Counted under "would" names: a dry run's log never says "delivered: 5".
    expect(result.counts).toMatchObject({ wouldDeliver: DEMO_FACTS.invoiceGroups.length, wouldMark: DEMO_FACTS.openBillingItemCount });
    expect(result.counts).not.toHaveProperty('delivered');
    expect(result.counts).not.toHaveProperty('marked');
    expect(result.summary).not.toMatch(/\b1 (groups|warnings|items)\b/);
    expect(result.writes?.filter((w) => w.method === 'DELIVER')).toHaveLength(DEMO_FACTS.invoiceGroups.length);
    expect(result.writes?.filter((w) => w.entity === 'BillingItems')).toHaveLength(DEMO_FACTS.openBillingItemCount);
    expect(h.sandbox.stats().writes).toEqual({});
    expect(readdirSync(dir)).toEqual([]);
    expect(received).toEqual([]);
  });
});

describe('build-invoices company names and currencies', () => {
  it('without currencies in Autotask (no Multi-currency module) the documents carry no currency, and go out all the same', async () => {
    await setup();
    for (const currency of [...h.sandbox.data.all('Currencies')]) h.sandbox.data.remove('Currencies', currency.id);
    await h.run(buildInvoicesJob);
    const folder = join(dir, h.tenant.id);
    const docs = readdirSync(folder).map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as InvoiceDocument);
    expect(docs).toHaveLength(DEMO_FACTS.invoiceGroups.length);
    expect(docs.every((d) => d.currency === null && d.companyName === h.sandbox.data.get('Companies', d.companyID)!.companyName)).toBe(true);
  });
});

describe('build-invoices PO policy', () => {
  it('gives contracts without a PO one from the rule, and leaves a number a person set since the pull', async () => {
    dir = mkdtempSync(join(tmpdir(), 'invoices-'));
    h = await startHarness({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { poPolicy: { rules: [
      { name: 'every contract', match: {}, template: 'AUTO-{contractID}-{startMonth}' }] } } } });
    await h.run(syncContractsJob);
    await h.run(syncBillingItemsJob);
    const [first, second] = DEMO_FACTS.contractsWithoutPurchaseOrder;
    h.sandbox.data.update('Contracts', second!, { purchaseOrderNumber: 'TYPED-BY-HAND' });
    const result = await h.run(buildInvoicesJob);
    expect(String(h.sandbox.data.get('Contracts', first!)?.purchaseOrderNumber)).toMatch(new RegExp(`^AUTO-${first}-\\d{4}-\\d{2}$`));
    expect(h.sandbox.data.get('Contracts', second!)?.purchaseOrderNumber).toBe('TYPED-BY-HAND');
    const outcomes = result.poUpdates as Array<{ contractID: number; status: string }>;
    expect(outcomes.find((o) => o.contractID === second)?.status).toBe('changed-meanwhile');
    // Contracts that already had a PO were never touched.
    expect(h.sandbox.stats().writes.Contracts?.PATCH).toBe(outcomes.filter((o) => o.status === 'updated').length);
  });
});

describe('build-invoices reconciliation', () => {
  it('reports an Autotask invoice mixing PO numbers and a delivered PO group split across invoices, once', async () => {
    await setup();
    await h.run(buildInvoicesJob);
    const northwind = DEMO_FACTS.invoiceGroups.filter((g) => g.companyID === DEMO_FACTS.companies.northwind && g.purchaseOrderNumber !== null);
    expect(northwind.length).toBeGreaterThanOrEqual(2);
    const [a, b] = northwind as [typeof northwind[0], typeof northwind[0]];
    // In Autotask's UI someone invoices group a together with half of group b, and the other half of b separately.
    const data = h.sandbox.data;
    const mixed = data.insert('Invoices', { companyID: a.companyID, invoiceNumber: 'INV-9001', invoiceDateTime: new Date().toISOString(), isVoided: false });
    const rest = data.insert('Invoices', { companyID: a.companyID, invoiceNumber: 'INV-9002', invoiceDateTime: new Date().toISOString(), isVoided: false });
    const half = Math.ceil(b.billingItemIDs.length / 2);
    for (const id of [...a.billingItemIDs, ...b.billingItemIDs.slice(0, half)]) data.update('BillingItems', id, { invoiceID: mixed.id });
    for (const id of b.billingItemIDs.slice(half)) data.update('BillingItems', id, { invoiceID: rest.id });

    const result = await h.run(buildInvoicesJob);
    const codes = (result.reconciliation as Array<{ code: string; invoiceIDs: number[] }>).map((f) => f.code);
    expect(codes).toContain('MIXED_PO_INVOICE');
    expect(codes).toContain('PO_GROUP_SPLIT');
    // Reconciled invoices are not read again.
    const again = await h.run(buildInvoicesJob);
    expect(again.reconciliation).toEqual([]);
  });
});

describe('build-invoices request cost (issue 17 item 4)', () => {
  // The runtime sets requestCost on every result (JobResult), beside the job's own typed fields.
  const costOf = (result: object): RequestCost => (result as { requestCost: RequestCost }).requestCost;
  const line = (cost: RequestCost, entity: string, method: string) => cost.requests.find((r) => r.entity === entity && r.method === method)?.count ?? 0;

  it('a dry run forecasts one PATCH per item to mark plus the reads it made, as a share of the hourly budget', async () => {
    await setup();
    const result = await h.run(buildInvoicesJob, {}, { dryRun: true });
    const cost = costOf(result);
    expect(cost.kind).toBe('forecast');
    expect(line(cost, 'BillingItems', 'PATCH')).toBe(DEMO_FACTS.openBillingItemCount);
    // The dry run's own reads (the reconciliation query at least) are counted too.
    expect(cost.total).toBeGreaterThan(DEMO_FACTS.openBillingItemCount);
    expect(cost.hourlyBudget).toBe(5_000); // the sandbox's 10,000 an hour × the default budgetFraction 0.5
    expect(cost.shareOfHour).toBeCloseTo(cost.total / 5_000, 3);
    expect(cost.spreadsUntil).toBeNull();
    expect(result.summary).toMatch(/Autotask requests \(forecast\): [\d,]+ = 0\.\d\d h of the hourly budget \(5,000\/h\)/);
    expect(h.sandbox.stats().writes).toEqual({});
  });

  it('a real run reports the requests it spent, counted at the client: one PATCH per item marked', async () => {
    await setup();
    const result = await h.run(buildInvoicesJob);
    const cost = costOf(result);
    expect(cost.kind).toBe('spent');
    expect(line(cost, 'BillingItems', 'PATCH')).toBe(billingItemPatches());
    expect(line(cost, 'BillingItems', 'PATCH')).toBe(DEMO_FACTS.openBillingItemCount);
  });

  it('a run that needs more than the hour has left says so in its progress, dry or real', async () => {
    // 300 an hour × 0.5: fewer than the demo tenant's open items.
    await setup(300);
    const dry: Array<Record<string, unknown>> = [];
    const forecast = await h.run(buildInvoicesJob, {}, { dryRun: true, onProgress: (v) => dry.push(v) });
    const cost = costOf(forecast);
    expect(cost.hourlyBudget).toBe(150);
    expect(cost.spreadsUntil).not.toBeNull();
    expect(dry).toEqual([{ budget: { needed: cost.total, left: cost.left, spreadsUntil: cost.spreadsUntil } }]);

    const real: Array<Record<string, unknown>> = [];
    // The run waits for budget by failing with a retry time (the worker delays it); here it is not retried.
    await expect(h.run(buildInvoicesJob, {}, { onProgress: (v) => real.push(v) })).rejects.toMatchObject({ code: 'AUTOTASK_BUDGET_EXHAUSTED' });
    const budget = (real[0] as { budget: { needed: number; left: number; spreadsUntil: string } }).budget;
    expect(budget.needed).toBe(DEMO_FACTS.openBillingItemCount);
    expect(budget.left).toBeLessThan(budget.needed);
    expect(Date.parse(budget.spreadsUntil)).toBeGreaterThan(Date.now());
    expect(billingItemPatches()).toBeLessThan(DEMO_FACTS.openBillingItemCount);
  });
});
