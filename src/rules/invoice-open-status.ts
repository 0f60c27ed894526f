/**
 * Whether a billing item is still open when it is read again just before delivery or marking (issue 14 item 1).
 * The store's copy is as old as the last pull; between that pull and delivery a person may invoice the item in
 * Autotask's UI, another integration may export it, or it may be un-posted. Delivering it then bills it twice.
 */
import { isInvoiced } from './invoice-item-fields.js';

export type LeftReason = 'invoiced' | 'exported' | 'gone';

export interface LeftItem { billingItemID: number; reason: LeftReason; invoiceID: number | null }

/** Why `current` (the item as Autotask has it now; undefined = not returned any more) is no longer open, or null. */
export function leftOpenSet(id: number, current: { invoiceID?: number | null; webServiceDate?: string | null } | undefined): LeftItem | null {
  if (current === undefined) return { billingItemID: id, reason: 'gone', invoiceID: null };
  if (isInvoiced(current)) return { billingItemID: id, reason: 'invoiced', invoiceID: current.invoiceID ?? null };
  if (current.webServiceDate !== null && current.webServiceDate !== undefined) return { billingItemID: id, reason: 'exported', invoiceID: null };
  return null;
}

export function describeLeft(items: readonly LeftItem[]): string {
  return items.map((i) => (i.reason === 'invoiced' ? `${i.billingItemID} (on Autotask invoice ${i.invoiceID})`
    : i.reason === 'exported' ? `${i.billingItemID} (exported by another integration)` : `${i.billingItemID} (no longer posted)`)).join(', ');
}
