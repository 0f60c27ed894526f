/**
 * Issue 14 item 1, end to end (real worker, real Redis, sandbox over HTTP): billing items invoiced or exported in
 * Autotask after the last pull are never delivered on our documents and never marked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../../../src/rules/invoice-types.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
let receiver: Server | undefined;
let dir: string | undefined;
const received: InvoiceDocument[] = [];

afterEach(async () => {
  await p?.close();
  p = undefined;
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  received.length = 0;
});

/** An invoice receiver that runs `onInvoice` (against the sandbox) when an invoice arrives, before it answers. */
async function startReceiver(onInvoice: (doc: InvoiceDocument) => void): Promise<string> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const doc = JSON.parse(Buffer.concat(chunks).toString()) as InvoiceDocument;
      received.push(doc);
      onInvoice(doc);
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/invoices`;
}

async function start(onInvoice: (doc: InvoiceDocument) => void = () => {}): Promise<Product> {
  dir = mkdtempSync(join(tmpdir(), 'stale-'));
  const url = await startReceiver(onInvoice);
  p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir, INVOICE_WEBHOOK_URL: url, INVOICE_WEBHOOK_SECRET: 'stale-store-secret' },
    file: { invoices: { fileSink: false } } });
  for (const name of ['sync-contracts', 'sync-billing-items']) {
    const { body } = await p.api('POST', `/api/jobs/${name}`, { data: {} });
    const product = p;
    await eventually(async () => {
      const job = (await product.api('GET', `/api/jobs/${body.jobId}`)).body;
      if (job.state === 'failed') throw new Error(`${name} failed: ${job.failedReason}`);
      return job.state === 'completed';
    }, 90_000, `${name} to complete`);
  }
  return p;
}

async function buildInvoices(product: Product): Promise<{ counts: Record<string, number>; warnings: Array<{ code: string; message: string; billingItemIDs: number[] }> }> {
  const { body } = await product.api('POST', '/api/jobs/build-invoices', { data: {} });
  return eventually(async () => {
    const job = (await product.api('GET', `/api/jobs/${body.jobId}`)).body;
    if (job.state === 'failed') throw new Error(`build-invoices failed: ${job.failedReason}`);
    return job.state === 'completed' ? job.result : undefined;
  }, 90_000, 'build-invoices to complete');
}

const patchesOf = (product: Product): number => product.sandbox.stats().writes.BillingItems?.PATCH ?? 0;

describe('invoicing from a stale store (issue 14 item 1)', { timeout: 240_000 }, () => {
  it('drops items invoiced or exported in Autotask since the pull, names them, and delivers and marks only the rest', async () => {
    const product = await start();
    const group = DEMO_FACTS.invoiceGroups.find((g) => g.billingItemIDs.length >= 3)!;
    const [invoicedId, exportedId] = group.billingItemIDs;
    // After the pull: a person invoices one item in the UI, another integration exports another.
    product.sandbox.data.update('BillingItems', invoicedId!, { invoiceID: 777 });
    product.sandbox.data.update('BillingItems', exportedId!, { webServiceDate: '2026-01-01T00:00:00.000Z' });

    const result = await buildInvoices(product);
    const delivered = received.flatMap((d) => d.items.map((i) => i.billingItemID));
    expect(delivered).not.toContain(invoicedId);
    expect(delivered).not.toContain(exportedId);
    expect(delivered).toHaveLength(DEMO_FACTS.openBillingItemCount - 2);
    const warning = result.warnings.find((w) => w.code === 'ITEMS_LEFT_OPEN_SET')!;
    expect(warning.billingItemIDs).toEqual([invoicedId, exportedId].sort((a, b) => a! - b!));
    expect(warning.message).toContain(`${invoicedId} (on Autotask invoice 777)`);
    expect(result.counts.leftOpenSet).toBe(2);
    // The invoiced item keeps its invoice and gets no mark; the exported one keeps the other integration's date.
    expect(product.sandbox.data.get('BillingItems', invoicedId!)!.webServiceDate).toBeNull();
    expect(product.sandbox.data.get('BillingItems', exportedId!)!.webServiceDate).toBe('2026-01-01T00:00:00.000Z');
    expect(patchesOf(product)).toBe(DEMO_FACTS.openBillingItemCount - 2);
  });

  it('never marks a delivered item that was invoiced in Autotask before the mark, and reports it', async () => {
    let victim: number | undefined;
    // The item is invoiced in the UI while its invoice is being delivered: after the re-check, before the mark.
    const product = await start((doc) => {
      if (victim !== undefined) return;
      victim = doc.items[0]!.billingItemID;
      p!.sandbox.data.update('BillingItems', victim, { invoiceID: 888 });
    });
    const result = await buildInvoices(product);
    expect(victim).toBeDefined();
    expect(product.sandbox.data.get('BillingItems', victim!)!.webServiceDate).toBeNull();
    expect(result.counts.invoicedNotMarked).toBe(1);
    const warning = result.warnings.find((w) => w.code === 'DELIVERED_ITEMS_INVOICED')!;
    expect(warning.billingItemIDs).toEqual([victim]);
    expect(warning.message).toContain('Autotask invoice 888');
    expect(patchesOf(product)).toBe(DEMO_FACTS.openBillingItemCount - 1);
  });
});
