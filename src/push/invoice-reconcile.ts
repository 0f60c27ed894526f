/**
 * Reconciliation (issue 6): when Autotask invoices appear (made in its UI — docs/autotask-api.md#invoices), compare them
 * with what was delivered and report an Autotask invoice mixing PO numbers or a delivered PO group split across
 * invoices. Each run reads only invoices newer than the last one reconciled (a cursor of invoice ids; the first
 * run looks back 60 days), their lines (BillingItems by invoiceID), and the current invoiceID of the other items
 * of the delivered groups they touch — so an unchanged tenant costs one query.
 */
import type { Invoice } from '../autotask/schemas/index.js';
import type { AutotaskClient } from '../autotask/types.js';
import { isInvoiced } from '../rules/invoice-item-fields.js';
import { reconcileInvoices, type InvoicedItemLike, type ReconciliationFinding } from '../rules/invoice-reconciliation.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import type { InvoiceWarning } from '../rules/invoice-warnings.js';
import type { EntityStore } from '../store/entity-store.js';
import type { InvoiceStore } from '../store/invoice-store.js';

const CURSOR = 'invoices.reconciledAfterId';
const FIRST_LOOKBACK_DAYS = 60;

export async function reconcileDelivered(deps: { client: AutotaskClient; store: EntityStore; invoices: InvoiceStore<InvoiceDocument, InvoiceWarning>;
  signal: AbortSignal; now: Date; dryRun: boolean }): Promise<ReconciliationFinding[]> {
  const after = Number((await deps.store.getCursor(CURSOR)) ?? 0);
  const since = new Date(deps.now.getTime() - FIRST_LOOKBACK_DAYS * 86_400_000).toISOString();
  const fresh: Invoice[] = [];
  for await (const invoice of deps.client.query('Invoices', [{ op: 'gt', field: 'id', value: after },
    ...(after === 0 ? [{ op: 'gte' as const, field: 'invoiceDateTime', value: since }] : [])], { signal: deps.signal })) fresh.push(invoice);
  if (fresh.length === 0) return [];

  const lines = new Map<number, InvoicedItemLike[]>();
  const add = (invoiceID: number, item: InvoicedItemLike): void => { lines.set(invoiceID, [...(lines.get(invoiceID) ?? []), item]); };
  const seen = new Set<number>();
  for await (const item of deps.client.queryIn('BillingItems', 'invoiceID', fresh.map((i) => i.id), [], { signal: deps.signal })) {
    if (isInvoiced(item)) { add(item.invoiceID as number, item); seen.add(item.id); }
  }
  // The delivered groups these invoices touch, and where their other items are now.
  const bound = await deps.invoices.deliveredItems([...seen]);
  const delivered: InvoiceDocument[] = [];
  for (const key of new Set(bound.values())) {
    const record = await deps.invoices.get(key);
    if (record) delivered.push(record.document);
  }
  const others = delivered.flatMap((d) => d.items.map((i) => i.billingItemID)).filter((id) => !seen.has(id));
  const known = new Map(fresh.map((i) => [i.id, i as { id: number; companyID: number; invoiceNumber: string | null; isVoided: boolean }]));
  for await (const item of deps.client.queryIn('BillingItems', 'id', others, [], { signal: deps.signal })) {
    // invoiceID 0 is "on no invoice" (docs/autotask-samples.md): such an item is still open, not on invoice 0.
    if (item.invoiceID === null || !isInvoiced(item)) continue;
    add(item.invoiceID, item);
    if (!known.has(item.invoiceID)) known.set(item.invoiceID, { id: item.invoiceID, companyID: item.companyID, invoiceNumber: null, isVoided: false });
  }
  const findings = reconcileInvoices({ autotaskInvoices: [...known.values()], billingItemsByInvoice: lines, delivered });
  if (!deps.dryRun) await deps.store.setCursor(CURSOR, String(Math.max(...fresh.map((i) => i.id))));
  return findings;
}
