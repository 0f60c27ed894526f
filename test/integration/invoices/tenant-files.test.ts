/**
 * Two tenants, one INVOICE_OUTPUT_DIR (issue 18 trap): both tenants here read the same sandbox, so their invoices
 * have the very same invoiceKeys — as two Autotask instances holding equal ids would. Each tenant's documents land
 * in its own folder and name their tenant; before, the second tenant's invoices met the first one's files and were
 * taken as already delivered.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
let dir: string | undefined;

afterEach(async () => {
  await p?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(product: Product, name: string, tenant: string): Promise<void> {
  const { body } = await product.api('POST', `/api/jobs/${name}`, { tenant, data: {} });
  await eventually(async () => {
    const job = (await product.api('GET', `/api/jobs/${body.jobId}`)).body;
    if (job.state === 'failed') throw new Error(`${name} (${tenant}) failed: ${job.failedReason}`);
    return job.state === 'completed';
  }, 30_000, `${name} for ${tenant}`);
}

describe('invoice files of several tenants', { timeout: 120_000 }, () => {
  it('go to one folder per tenant, each document naming its tenant, even when the invoiceKeys are equal', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenant-files-'));
    // Marking off: both tenants are the same sandbox, and the first tenant's marks would empty the second's run.
    p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { markExported: false },
      tenants: [{ id: 'second', usernameEnv: 'AUTOTASK_USERNAME', secretEnv: 'AUTOTASK_SECRET', integrationCodeEnv: 'AUTOTASK_INTEGRATION_CODE' }] } });
    for (const tenant of ['default', 'second']) {
      for (const job of ['sync-contracts', 'sync-billing-items', 'build-invoices']) await run(p, job, tenant);
    }
    const keysOf = async (tenant: string) => (await p!.runtime.commands.listInvoices({ tenant, status: 'delivered' })).invoices
      .map((d) => String(d.invoiceKey)).sort();
    const keys = await keysOf('default');
    expect(keys.length).toBeGreaterThan(0);
    expect(await keysOf('second')).toEqual(keys);

    expect(readdirSync(dir).sort()).toEqual(['default', 'second']);
    for (const tenant of ['default', 'second']) {
      const names = readdirSync(join(dir, tenant)).sort();
      expect(names).toEqual(keys.map((k) => `${k}.json`));
      for (const name of names) {
        const doc = JSON.parse(readFileSync(join(dir, tenant, name), 'utf8')) as { tenant: string; invoiceKey: string };
        expect(doc.tenant).toBe(tenant);
        expect(`${doc.invoiceKey}.json`).toBe(name);
      }
    }
  });
});
