/**
 * Marks delivered billing items as exported by PATCHing `webServiceDate` (docs/autotask-api.md#billing-items: the field
 * integrations set to mark an item as exported; BillingItems accept no other update), exactly once:
 * the marks ledger says which items are done, and before writing, each item's current state is read from
 * Autotask (batched `id in (…)`), so an item marked by an earlier attempt whose record was lost — or by Redis
 * being lost — is recorded, not written again. An item that is on an Autotask invoice by then (invoiced in the UI
 * after delivery) is never marked: it is reported as `invoiced` so the double billing is seen, not papered over.
 */
import type { AutotaskClient } from '../autotask/types.js';
import { isInvoiced } from '../rules/invoice-item-fields.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import type { InvoiceWarning } from '../rules/invoice-warnings.js';
import type { EntityStore } from '../store/entity-store.js';
import type { InvoiceStore, StoredInvoice } from '../store/invoice-store.js';
import { readOpenStatus } from './invoice-recheck.js';

export interface MarkOutcome { marked: number[]; alreadyMarked: number[]; missing: number[];
  /** Delivered items found on an Autotask invoice at mark time: not marked, and reported. */
  invoiced: Array<{ billingItemID: number; invoiceID: number; invoiceKey: string }> }

export async function markDelivered(deps: { client: AutotaskClient; invoices: InvoiceStore<InvoiceDocument, InvoiceWarning>;
  store: EntityStore; signal: AbortSignal; now: () => Date }, records: readonly StoredInvoice<InvoiceDocument, InvoiceWarning>[]): Promise<MarkOutcome> {
  const outcome: MarkOutcome = { marked: [], alreadyMarked: [], missing: [], invoiced: [] };
  for (const record of records) {
    const ids = record.document.items.map((i) => i.billingItemID);
    const done = await deps.invoices.marks(ids);
    const todo = ids.filter((id) => !done.has(id));
    if (todo.length > 0) {
      const current = await readOpenStatus(deps.client, todo, deps.signal);
      for (const id of todo) {
        deps.signal.throwIfAborted();
        if (!current.has(id)) {
          // Un-posted in Autotask since delivery: nothing to mark; recorded so it is not looked for again.
          await deps.invoices.recordMark(id, 'missing');
          outcome.missing.push(id);
          continue;
        }
        const status = current.get(id)!;
        if (isInvoiced(status)) {
          await deps.invoices.recordMark(id, `invoiced:${status.invoiceID}`);
          outcome.invoiced.push({ billingItemID: id, invoiceID: status.invoiceID as number, invoiceKey: record.invoiceKey });
          continue;
        }
        const existing = status.webServiceDate;
        if (existing) {
          await deps.invoices.recordMark(id, existing);
          outcome.alreadyMarked.push(id);
          continue;
        }
        const stamp = deps.now().toISOString();
        await deps.client.update('BillingItems', { id, webServiceDate: stamp }, deps.signal);
        await deps.invoices.recordMark(id, stamp);
        outcome.marked.push(id);
      }
    }
    await deps.invoices.recordMarked(record.invoiceKey, deps.now());
    // Marked items are no longer open: the next pull would drop them; dropping them now keeps the store exact.
    await deps.store.remove('BillingItems', ids);
  }
  return outcome;
}
