/**
 * Redis memory of one tenant's store (issue 17 item 5): 100,000 tickets written through the EntityStore as a
 * full pull writes them (projected, with the lastActivity index), and 10,000 invoices taken through their whole
 * life in the InvoiceStore (draft, items bound, delivered to one sink, every item marked), 2 items each. The
 * figure is the sum of `MEMORY USAGE` over the tenant's keys (SAMPLES 0: exact), under a unique prefix that is
 * deleted afterwards. Run: npx tsx test/bench/redis-memory.ts
 */
import { Redis } from 'ioredis';
import type { InvoiceDocument } from '../../src/rules/invoice-types.js';
import { generateTenant } from '../../src/sandbox/index.js';
import { deleteDeploymentKeys } from '../../src/store/deployment-keys.js';
import { EntityStore } from '../../src/store/entity-store.js';
import { InvoiceStore } from '../../src/store/invoice-store.js';
import { projectTicket, type StoredTicket } from '../../src/store/projections.js';
import { machine, mb, printFigure } from './support/report.js';

const TICKETS = 100_000;
const INVOICES = 10_000;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const prefix = `bench-mem-${process.pid}`;

async function bytesOf(tenant: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}:${tenant}}*`, 'COUNT', 1000);
    for (const key of keys) total += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') ?? 0);
    cursor = next;
  } while (cursor !== '0');
  return total;
}

try {
  console.log(machine());
  const now = new Date('2026-11-30T12:00:00Z');
  const data = generateTenant({ tickets: TICKETS, billingItems: INVOICES * 2, seed: 17, now });
  const tickets = (data.records.Tickets ?? []).map((t) => projectTicket(t as unknown as StoredTicket));
  await new EntityStore(redis, prefix, 'tickets').upsert('Tickets', tickets);
  const ticketBytes = await bytesOf('tickets');

  const invoices = new InvoiceStore<InvoiceDocument>(redis, prefix, 'invoices');
  const items = data.records.BillingItems ?? [];
  for (let i = 0; i < INVOICES; i++) {
    const pair = items.slice(i * 2, i * 2 + 2);
    const document: InvoiceDocument = {
      invoiceKey: `inv-${String(pair[0]?.companyID)}-po-${i}`, companyID: Number(pair[0]?.companyID ?? 0),
      purchaseOrderNumber: `PO-${i}`, contractIDs: [Number(pair[0]?.contractID ?? 0)],
      periodStart: '2026-11-01', periodEnd: '2026-11-30',
      items: pair.map((b) => ({ billingItemID: b.id, itemDate: String(b.itemDate), itemName: String(b.itemName ?? ''),
        description: String(b.description ?? ''), quantity: Number(b.quantity ?? 1), rate: Number(b.rate ?? 0),
        extendedPrice: Number(b.extendedPrice ?? 0), taxDollars: Number(b.taxDollars ?? 0), totalAmount: Number(b.totalAmount ?? 0),
        contractID: (b.contractID as number | null) ?? null, ticketID: (b.ticketID as number | null) ?? null, timeEntryID: null })),
      subtotal: 0, tax: 0, total: 0,
    };
    await invoices.saveDraft(document, [], now);
    await invoices.recordDeliveredItems(document.invoiceKey, document.items.map((it) => it.billingItemID));
    await invoices.recordDelivery(document.invoiceKey, 'file', `${document.invoiceKey}.json`, true, now);
    for (const item of document.items) await invoices.recordMark(item.billingItemID, now.toISOString());
    await invoices.recordMarked(document.invoiceKey, now);
  }
  const invoiceBytes = await bytesOf('invoices');

  console.log(`${TICKETS} tickets: ${mb(ticketBytes)} (${(ticketBytes / TICKETS).toFixed(0)} B each); ` +
    `${INVOICES} invoices of 2 items, delivered and marked: ${mb(invoiceBytes)} (${(invoiceBytes / INVOICES).toFixed(0)} B each)`);
  printFigure({ figure: 'Redis memory per 100,000 stored tickets (store + index)', measured: mb(ticketBytes), target: '—', met: null });
  printFigure({ figure: 'Redis memory per 10,000 invoices (2 items each; document, ledgers, marks)', measured: mb(invoiceBytes), target: '—', met: null });
} finally {
  await deleteDeploymentKeys(redis, prefix);
  redis.disconnect();
}
