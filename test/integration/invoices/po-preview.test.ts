/**
 * The Invoices page shows the PO numbers invoices.poPolicy would set (issue 18): computed from the pulled contracts
 * before the run sets them, named by contract; gone once build-invoices has set them in Autotask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invoicesPage } from '../../../src/http/console/invoices-page.js';
import { DEMO_COMPANY } from '../../../src/sandbox/scenarios/demo-ids.js';
import { runJob, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
let dir: string | undefined;
afterEach(async () => {
  await p?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PO numbers the policy would set', { timeout: 120_000 }, () => {
  it('are listed per contract before the run and set by it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'po-preview-'));
    p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { poPolicy: { rules: [
      { name: 'contoso', match: { companyID: [DEMO_COMPANY.contoso] }, template: 'CL-{contractID}' }] } } } });
    await runJob(p, 'sync-contracts');
    const contoso = p.sandbox.data.all('Contracts').filter((c) => c.companyID === DEMO_COMPANY.contoso && !c.purchaseOrderNumber);
    expect(contoso.length).toBeGreaterThan(0);
    const { poPolicy } = await p.runtime.commands.listInvoices({ tenant: 'default' });
    expect(poPolicy.updates.map((u) => [u.contractID, u.from, u.to, u.contractName]).sort())
      .toEqual(contoso.map((c) => [c.id, null, `CL-${c.id}`, c.contractName]).sort());
    const page = (await invoicesPage(p.runtime.commands, 2, 'csrf-token')).value;
    for (const c of contoso) expect(page).toContain(`<tr data-contract="${c.id}">`);
    expect(page).toContain(`<td class="po-to">CL-${contoso[0]!.id}</td>`);

    await runJob(p, 'sync-billing-items');
    await runJob(p, 'build-invoices');
    for (const c of contoso) expect(p.sandbox.data.get('Contracts', c.id)!.purchaseOrderNumber).toBe(`CL-${c.id}`);
    expect((await p.runtime.commands.listInvoices({ tenant: 'default' })).poPolicy.updates).toEqual([]);
  });
});
