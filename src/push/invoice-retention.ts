/**
 * Retention of delivered invoices (issue 17 item 5, docs/store-bounds.md#retention). A delivered invoice, its
 * delivered-items and its marks ledger fields are dropped once, for `retentionDays`, nothing of it can be written
 * again from our side:
 *  - it is delivered and (when marking is on) marked: no sink and no PATCH is pending for it;
 *  - none of its items is in the open set the last complete pull stored: they are exported (webServiceDate set),
 *    invoiced or gone in Autotask, so no pull brings them back to be grouped, and marking re-reads each item's own
 *    webServiceDate/invoiceID before it PATCHes (src/push/invoice-marks.ts).
 * One that does not qualify yet is looked at again one retention period later. At most `limit` per run.
 */
import type { InvoiceDocument } from '../rules/invoice-types.js';
import type { InvoiceWarning } from '../rules/invoice-warnings.js';
import type { EntityStore } from '../store/entity-store.js';
import type { InvoiceStore } from '../store/invoice-store.js';

export const RETENTION_BATCH = 500;

export interface RetentionOutcome { dropped: number; deferred: number }

export async function trimDeliveredInvoices(deps: { invoices: InvoiceStore<InvoiceDocument, InvoiceWarning>; store: EntityStore;
  retentionDays: number; markExported: boolean; now: Date }, limit = RETENTION_BATCH): Promise<RetentionOutcome> {
  const before = new Date(deps.now.getTime() - deps.retentionDays * 86_400_000);
  const candidates = await deps.invoices.oldestDelivered(before, limit);
  if (candidates.length === 0) return { dropped: 0, deferred: 0 };
  const open = await deps.store.getMany('BillingItems', candidates.flatMap((r) => r.document.items.map((i) => i.billingItemID)));
  const lastChange = (r: (typeof candidates)[number]): number => Date.parse(r.markedAt ?? r.deliveredAt ?? r.builtAt);
  const expired = (r: (typeof candidates)[number]): boolean => lastChange(r) <= before.getTime() &&
    (!deps.markExported || Boolean(r.markedAt)) && r.document.items.every((i) => !open.has(i.billingItemID));
  const drop = candidates.filter(expired);
  const keep = candidates.filter((r) => !expired(r));
  await deps.invoices.dropDelivered(drop);
  // Scored too early (an index filled from builtAt): counted from its real last change; otherwise from now.
  await deps.invoices.deferRetention(keep.map((r) => ({ invoiceKey: r.invoiceKey,
    from: lastChange(r) > before.getTime() ? lastChange(r) : deps.now.getTime() })));
  return { dropped: drop.length, deferred: keep.length };
}
