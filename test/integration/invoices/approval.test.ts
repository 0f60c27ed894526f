/**
 * invoices.requireApproval (issue 18): build-invoices builds drafts and delivers or marks none of them; approving one
 * version of a draft delivers and marks exactly that draft (through the queue and the worker); a stale version, a
 * rejected draft and an unapproved one are never delivered or marked; a repeated approval delivers nothing twice;
 * a draft the next build changed keeps no approval.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInvoicesJob } from '../../../jobs/build-invoices.js';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { syncContractsJob } from '../../../jobs/sync-contracts.js';
import { invoicesCommand } from '../../../src/cli/invoices.js';
import { documentVersion } from '../../../src/rules/invoice-approval.js';
import { sandboxEnv, startHarness, type Harness } from '../../helpers/harness.js';
import { REDIS_URL } from '../../helpers/redis.js';
import { eventually, runJob, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
let h: Harness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await p?.close();
  await h?.close();
  p = undefined;
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const files = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

describe('invoice approval', { timeout: 120_000 }, () => {
  it('delivers and marks only the approved version of one draft, once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'approval-'));
    p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { requireApproval: true } } });
    await runJob(p, 'sync-contracts');
    await runJob(p, 'sync-billing-items');
    await runJob(p, 'build-invoices');
    // The demo has items exported long ago; only marks this test causes count.
    const before = new Set(p.sandbox.data.all('BillingItems').filter((b) => b.webServiceDate).map((b) => b.id));
    const marked = () => p!.sandbox.data.all('BillingItems').filter((b) => b.webServiceDate && !before.has(b.id)).map((b) => b.id);
    const listing = await p.runtime.commands.listInvoices({ tenant: 'default' });
    const drafts = listing.invoices.filter((d) => d.status === 'draft');
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    // Nothing went out and nothing was marked: every draft waits for a person.
    expect(files(dir)).toEqual([]);
    expect(marked()).toEqual([]);
    expect(drafts.every((d) => (d.approval as { reason: string }).reason === 'awaiting-approval')).toBe(true);

    const [chosen, rejected] = drafts as Array<{ invoiceKey: string; version: string; items: Array<{ billingItemID: number }> }>;
    // A version other than the current one is refused, naming both.
    const stale = await p.runtime.commands.decideInvoice({ invoiceKey: chosen!.invoiceKey, version: '0000000000000000', action: 'approved', by: 'test' });
    expect(stale).toMatchObject({ ok: false, error: 'INVOICE_VERSION_STALE' });
    if (!stale.ok) expect(stale.message).toContain(chosen!.version);

    // Rejected through the API (automation's door), approved through the command (the console's and the CLI's).
    const rejection = await p.api('POST', `/api/invoices/${rejected!.invoiceKey}/reject`, { version: rejected!.version, by: 'finance' });
    expect(rejection).toMatchObject({ status: 200, body: { ok: true, action: 'rejected' } });
    expect(await p.api('POST', `/api/invoices/${rejected!.invoiceKey}/approve`, { version: 'ffffffffffffffff' }))
      .toMatchObject({ status: 409, body: { error: 'INVOICE_VERSION_STALE' } });
    expect((await p.api('POST', '/api/invoices/inv-1-nosuchkey/approve', { version: rejected!.version })).status).toBe(404);
    const approved = await p.runtime.commands.decideInvoice({ invoiceKey: chosen!.invoiceKey, version: chosen!.version, action: 'approved', by: 'finance' });
    expect(approved).toMatchObject({ ok: true, repeated: false, alreadyDelivered: false });
    const delivered = await eventually(async () => {
      const now = await p!.runtime.commands.listInvoices({ tenant: 'default' });
      const doc = now.invoices.find((d) => d.invoiceKey === chosen!.invoiceKey);
      return doc?.status === 'delivered' && doc.markedAt ? doc : undefined;
    }, 60_000, 'the approved draft to be delivered and marked');
    expect(delivered.decisions).toEqual([expect.objectContaining({ action: 'approved', version: chosen!.version, by: 'finance' })]);
    // Exactly that draft: its items marked, no other; one file.
    expect(marked().sort((a, b) => a - b)).toEqual(chosen!.items.map((i) => i.billingItemID).sort((a, b) => a - b));
    expect(files(dir)).toHaveLength(1);
    expect(files(dir)[0]).toContain(chosen!.invoiceKey);

    // Approving again (a double click, a retried request) delivers nothing twice and queues nothing.
    const patches = p.sandbox.stats().writes.BillingItems?.PATCH ?? 0;
    expect(await p.runtime.commands.decideInvoice({ invoiceKey: chosen!.invoiceKey, version: chosen!.version, action: 'approved', by: 'finance' }))
      .toMatchObject({ ok: true, repeated: true, alreadyDelivered: true });
    await runJob(p, 'build-invoices');
    expect(p.sandbox.stats().writes.BillingItems?.PATCH ?? 0).toBe(patches);
    expect(files(dir)).toHaveLength(1);
    // The rejected draft stays undelivered and unmarked, and says why.
    const after = await p.runtime.commands.listInvoices({ tenant: 'default' });
    const stillRejected = after.invoices.find((d) => d.invoiceKey === rejected!.invoiceKey)!;
    expect(stillRejected).toMatchObject({ status: 'draft', approval: { deliverable: false, reason: 'rejected' } });
    expect(rejected!.items.some((i) => marked().includes(i.billingItemID))).toBe(false);
  });

  it('a draft that changed after its approval is held, not delivered, and says which version was approved', async () => {
    dir = mkdtempSync(join(tmpdir(), 'approval-'));
    h = await startHarness({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { requireApproval: true } } });
    await h.run(syncContractsJob);
    await h.run(syncBillingItemsJob);
    await h.run(buildInvoicesJob);
    const [draft] = await h.scope.invoices.list('draft');
    const version = documentVersion(draft!.document);
    await h.scope.invoices.recordDecision(draft!.invoiceKey, { action: 'approved', version, by: 'finance', at: new Date().toISOString() });
    // The store learns a corrected amount of one of the draft's items before the next run (same items, same key).
    const itemId = draft!.document.items[0]!.billingItemID;
    const stored = (await h.scope.entities.get('BillingItems', itemId))!;
    await h.scope.entities.upsert('BillingItems', [{ ...stored, extendedPrice: (stored.extendedPrice ?? 0) + 10,
      totalAmount: (stored.totalAmount ?? 0) + 10 }]);
    const result = await h.run(buildInvoicesJob) as unknown as { heldForApproval: Array<{ invoiceKey: string; reason: string; detail: string }> };
    const held = result.heldForApproval.find((x) => x.invoiceKey === draft!.invoiceKey);
    expect(held).toMatchObject({ reason: 'approved-version-stale' });
    expect(held!.detail).toContain(version);
    expect(files(dir)).toEqual([]);
    expect(h.sandbox.data.get('BillingItems', itemId)!.webServiceDate ?? null).toBe(null);
    expect((await h.scope.invoices.get(draft!.invoiceKey))!.status).toBe('draft');
    expect(existsSync(dir)).toBe(true);
  });

  it('from a shell: invoices list shows versions, a stale version exits 1, an approval delivers the draft', async () => {
    dir = mkdtempSync(join(tmpdir(), 'approval-'));
    p = await startProduct({ env: { INVOICE_OUTPUT_DIR: dir }, file: { invoices: { requireApproval: true } } });
    await runJob(p, 'sync-contracts');
    await runJob(p, 'sync-billing-items');
    await runJob(p, 'build-invoices');
    const out: string[] = [];
    const err: string[] = [];
    const cli = (argv: string[]) => invoicesCommand(argv, { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0 },
      loadOptions: { env: { ...sandboxEnv(p!.sandbox), REDIS_URL, LOG_LEVEL: 'warn' }, file: { queue: { prefix: p!.config.queue.prefix }, invoices: { requireApproval: true } } } });
    expect(await cli(['list', '--status', 'draft', '--json']), err.join('')).toBe(0);
    const listing = JSON.parse(out.join('')) as { invoices: Array<{ invoiceKey: string; version: string }> };
    const [draft] = listing.invoices;
    expect(draft!.version).toMatch(/^[0-9a-f]{16}$/);
    expect(await cli(['approve', draft!.invoiceKey])).toBe(2);
    expect(await cli(['approve', draft!.invoiceKey, '--version', 'abc'])).toBe(1);
    expect(err.join('')).toContain('INVOICE_VERSION_STALE');
    out.length = 0;
    expect(await cli(['approve', draft!.invoiceKey, '--version', draft!.version, '--by', 'ops'])).toBe(0);
    expect(out.join('')).toContain('approved; delivery and marking queued as job');
    const delivered = await eventually(async () => {
      const doc = (await p!.runtime.commands.listInvoices({})).invoices.find((d) => d.invoiceKey === draft!.invoiceKey);
      return doc?.status === 'delivered' ? doc : undefined;
    }, 60_000, 'the draft approved from the shell to be delivered');
    expect(delivered.decisions).toEqual([expect.objectContaining({ action: 'approved', by: 'ops', version: draft!.version })]);
  });
});
