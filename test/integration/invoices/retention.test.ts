/**
 * Retention of delivered invoices (docs/store-bounds.md#retention): after the documents and their delivered-items
 * and marks ledger fields are dropped, a re-pull and a re-run deliver nothing and mark nothing a second time.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInvoicesJob } from '../../../jobs/build-invoices.js';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { syncContractsJob } from '../../../jobs/sync-contracts.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let dir: string;
const DAY = 86_400_000;

async function setup(markExported: boolean): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'retention-'));
  h = await startHarness({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { markExported }, store: { retentionDays: 30 } } });
  await h.run(syncContractsJob);
  await h.run(syncBillingItemsJob);
}

afterEach(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

// The file sink writes <tenant>/<invoiceKey>.json.
const files = (): number => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).length;
const ledgerSize = async (name: string): Promise<number> => h.redis.hlen(tenantKeys(h.prefix, h.tenant.id).ledger(name));
const later = (days: number): Date => new Date(Date.now() + days * DAY);

describe('build-invoices retention', () => {
  it('drops marked invoices after the retention period; a re-pull and re-run deliver and mark nothing again', async () => {
    await setup(true);
    await h.run(buildInvoicesJob);
    const groups = DEMO_FACTS.invoiceGroups.length;
    expect(files()).toBe(groups);
    expect(await ledgerSize('invoice-items')).toBe(DEMO_FACTS.openBillingItemCount);
    expect(await ledgerSize('webservice-marks')).toBe(DEMO_FACTS.openBillingItemCount);

    // Within the retention period nothing goes.
    expect((await h.run(buildInvoicesJob, {}, { now: later(29) })).counts.retentionDropped).toBe(0);
    expect((await h.scope.invoices.list('delivered')).length).toBe(groups);

    const writes = JSON.stringify(h.sandbox.stats().writes);
    const dropped = await h.run(buildInvoicesJob, {}, { now: later(31) });
    expect(dropped.counts.retentionDropped).toBe(groups);
    expect(await h.scope.invoices.list()).toEqual([]);
    expect(await ledgerSize('invoice-items')).toBe(0);
    expect(await ledgerSize('webservice-marks')).toBe(0);

    // Re-pulled and re-run without the ledgers: Autotask's own marks keep the items out; nothing is written twice.
    await h.run(syncBillingItemsJob);
    const again = await h.run(buildInvoicesJob, {}, { now: later(32) });
    expect(again.counts).toMatchObject({ invoices: 0, delivered: 0, marked: 0 });
    expect(JSON.stringify(h.sandbox.stats().writes)).toBe(writes);
    expect(files()).toBe(groups);
  });

  it('keeps a delivered invoice whose items are still open in Autotask (marking off), and drops it once they are invoiced', async () => {
    await setup(false);
    await h.run(buildInvoicesJob);
    const groups = DEMO_FACTS.invoiceGroups.length;
    expect(files()).toBe(groups);

    // Unmarked, the items are still open: only the delivered-items ledger keeps them off a second invoice.
    await h.run(syncBillingItemsJob);
    const kept = await h.run(buildInvoicesJob, {}, { now: later(31) });
    expect(kept.counts).toMatchObject({ retentionDropped: 0, delivered: 0 });
    expect(await ledgerSize('invoice-items')).toBe(DEMO_FACTS.openBillingItemCount);
    expect(files()).toBe(groups);

    // Invoiced in Autotask's UI: the items leave the open set, and one retention period later the records go.
    for (const id of DEMO_FACTS.invoiceGroups.flatMap((g) => g.billingItemIDs)) h.sandbox.data.update('BillingItems', id, { invoiceID: 777 });
    await h.run(syncBillingItemsJob);
    expect((await h.run(buildInvoicesJob, {}, { now: later(32) })).counts.retentionDropped).toBe(0);
    expect((await h.run(buildInvoicesJob, {}, { now: later(62) })).counts.retentionDropped).toBe(groups);
    expect(await ledgerSize('invoice-items')).toBe(0);

    await h.run(syncBillingItemsJob);
    const again = await h.run(buildInvoicesJob, {}, { now: later(63) });
    expect(again.counts).toMatchObject({ invoices: 0, delivered: 0 });
    expect(files()).toBe(groups);
    expect(h.sandbox.stats().writes.BillingItems?.PATCH ?? 0).toBe(0);
  });
});
