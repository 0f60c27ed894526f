import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { runJob, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
const dir = mkdtempSync(join(tmpdir(), 'invoices-route-'));
beforeAll(async () => { p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir } }); });
afterAll(async () => { await p?.close(); rmSync(dir, { recursive: true, force: true }); });


describe('GET /api/invoices', () => {
  it('lists drafts before delivery and delivered invoices after, and refuses an unknown status naming it', async () => {
    await runJob(p, 'sync-contracts');
    await runJob(p, 'sync-billing-items');
    await runJob(p, 'build-invoices', { deliver: false });
    const drafts = await p.api('GET', '/api/invoices?status=draft');
    expect(drafts.body.count).toBe(DEMO_FACTS.invoiceGroups.length);
    expect(drafts.body.invoices[0]).toMatchObject({ status: 'draft', invoiceKey: expect.any(String), warnings: expect.any(Array) });
    expect((await p.api('GET', '/api/invoices?status=delivered')).body.count).toBe(0);

    await runJob(p, 'build-invoices');
    const delivered = await p.api('GET', '/api/invoices?status=delivered');
    expect(delivered.body.count).toBe(DEMO_FACTS.invoiceGroups.length);
    expect(delivered.body.invoices.every((i: { deliveries: Record<string, unknown> }) => 'file' in i.deliveries)).toBe(true);
    // Approval is off here: a decision is refused, naming the setting.
    const key = delivered.body.invoices[0].invoiceKey as string;
    const off = await p.api('POST', `/api/invoices/${key}/approve`, { version: delivered.body.invoices[0].version });
    expect(off).toMatchObject({ status: 409, body: { error: 'INVOICE_APPROVAL_OFF' } });
    const bad = await p.api('GET', '/api/invoices?status=paid');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status/);
  });
});
