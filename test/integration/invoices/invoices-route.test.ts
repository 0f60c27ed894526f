import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
const dir = mkdtempSync(join(tmpdir(), 'invoices-route-'));
beforeAll(async () => { p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir } }); });
afterAll(async () => { await p?.close(); rmSync(dir, { recursive: true, force: true }); });

async function runJob(name: string, data: Record<string, unknown> = {}): Promise<void> {
  const { body } = await p.api('POST', `/api/jobs/${name}`, { data });
  await eventually(async () => {
    const job = (await p.api('GET', `/api/jobs/${body.jobId}`)).body;
    if (job.state === 'failed') throw new Error(`${name}: ${job.failedReason}`);
    return job.state === 'completed';
  }, 20_000, name);
}

describe('GET /api/invoices', () => {
  it('lists drafts before delivery and delivered invoices after, and refuses an unknown status naming it', async () => {
    await runJob('sync-contracts');
    await runJob('sync-billing-items');
    await runJob('build-invoices', { deliver: false });
    const drafts = await p.api('GET', '/api/invoices?status=draft');
    expect(drafts.body.count).toBe(DEMO_FACTS.invoiceGroups.length);
    expect(drafts.body.invoices[0]).toMatchObject({ status: 'draft', invoiceKey: expect.any(String), warnings: expect.any(Array) });
    expect((await p.api('GET', '/api/invoices?status=delivered')).body.count).toBe(0);

    await runJob('build-invoices');
    const delivered = await p.api('GET', '/api/invoices?status=delivered');
    expect(delivered.body.count).toBe(DEMO_FACTS.invoiceGroups.length);
    expect(delivered.body.invoices.every((i: { deliveries: Record<string, unknown> }) => 'file' in i.deliveries)).toBe(true);
    const bad = await p.api('GET', '/api/invoices?status=paid');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status/);
  });
});
