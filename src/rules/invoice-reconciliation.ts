/**
 * Compares the invoices Autotask made in its UI with what the worker delivered. Autotask makes invoices only in
 * its UI (docs/autotask-api.md#invoices: no API creates them), one per PO number when contracts carry one; its lines are the
 * BillingItems with that `invoiceID`. Two things mean the split by purchase order went wrong there:
 * an Autotask invoice whose items carry more than one PO number, and a delivered PO group whose items ended up on
 * more than one Autotask invoice. Voided invoices are ignored (their items are free to be invoiced again).
 */
import { isInvoiced } from './invoice-item-fields.js';
import { byNumber } from './invoice-warnings.js';
import { comparePo, normalizePo } from './purchase-order.js';

export interface AutotaskInvoiceLike {
  id: number;
  companyID: number;
  invoiceNumber?: string | null;
  isVoided?: boolean | null;
}

export interface InvoicedItemLike {
  id: number;
  purchaseOrderNumber: string | null;
}

/** What reconciliation needs of a delivered invoice document (docs/contract.md#invoice-document). */
export interface DeliveredInvoiceLike {
  invoiceKey: string;
  companyID: number;
  purchaseOrderNumber: string | null;
  items: ReadonlyArray<{ billingItemID: number }>;
}

export type ReconciliationCode =
  /** One Autotask invoice carries items of several PO numbers ("no PO" counts as one). */
  | 'MIXED_PO_INVOICE'
  /** The items of one delivered PO group are on several Autotask invoices. */
  | 'PO_GROUP_SPLIT'
  /** Some items of a delivered group are invoiced in Autotask, others not yet (usually resolves itself). */
  | 'PO_GROUP_PARTLY_INVOICED';

export interface ReconciliationFinding {
  code: ReconciliationCode;
  severity: 'warning' | 'info';
  message: string;
  companyID: number;
  invoiceIDs: number[];
  invoiceKey: string | null;
  purchaseOrderNumbers: Array<string | null>;
  billingItemIDs: number[];
}

export interface ReconcileInvoicesInput {
  autotaskInvoices: readonly AutotaskInvoiceLike[];
  /** The BillingItems of each Autotask invoice, by invoice id (a Map, or a plain object as JSON gives it). */
  billingItemsByInvoice: ReadonlyMap<number, readonly InvoicedItemLike[]> | Readonly<Record<string, readonly InvoicedItemLike[]>>;
  delivered: readonly DeliveredInvoiceLike[];
}

function itemsOf(input: ReconcileInvoicesInput, invoiceID: number): readonly InvoicedItemLike[] {
  const source = input.billingItemsByInvoice;
  if (source instanceof Map) return source.get(invoiceID) ?? [];
  return (source as Readonly<Record<string, readonly InvoicedItemLike[]>>)[String(invoiceID)] ?? [];
}

const label = (invoice: AutotaskInvoiceLike): string =>
  invoice.invoiceNumber ? `invoice ${invoice.invoiceNumber} (id ${invoice.id})` : `invoice id ${invoice.id}`;
const quote = (po: string | null): string => (po === null ? 'no PO' : JSON.stringify(po));

/** Findings in a stable order: by code, company, then the first invoice id / key. */
export function reconcileInvoices(input: ReconcileInvoicesInput): ReconciliationFinding[] {
  const findings: ReconciliationFinding[] = [];
  const invoiceOfItem = new Map<number, number>();
  // Invoice id 0 is "on no invoice" (isInvoiced), not an invoice: its items are open, never a split.
  const invoices = [...input.autotaskInvoices].filter((i) => i.isVoided !== true && isInvoiced({ invoiceID: i.id })).sort((a, b) => a.id - b.id);

  for (const invoice of invoices) {
    const byPo = new Map<string | null, number[]>();
    for (const item of itemsOf(input, invoice.id)) {
      invoiceOfItem.set(item.id, invoice.id);
      const po = normalizePo(item.purchaseOrderNumber);
      const ids = byPo.get(po);
      if (ids === undefined) byPo.set(po, [item.id]); else ids.push(item.id);
    }
    if (byPo.size < 2) continue;
    const pos = [...byPo.keys()].sort(comparePo);
    findings.push({ code: 'MIXED_PO_INVOICE', severity: 'warning', companyID: invoice.companyID, invoiceIDs: [invoice.id],
      invoiceKey: null, purchaseOrderNumbers: pos, billingItemIDs: [...byPo.values()].flat().sort(byNumber),
      message: `${label(invoice)} mixes ${pos.length} purchase orders: `
        + `${pos.map((po) => `${quote(po)} (${(byPo.get(po) ?? []).length} item(s))`).join(', ')}` });
  }

  for (const doc of [...input.delivered].sort((a, b) => (a.invoiceKey < b.invoiceKey ? -1 : a.invoiceKey > b.invoiceKey ? 1 : 0))) {
    const byInvoice = new Map<number, number[]>();
    const open: number[] = [];
    for (const { billingItemID } of doc.items) {
      const invoiceID = invoiceOfItem.get(billingItemID);
      if (invoiceID === undefined) { open.push(billingItemID); continue; }
      const ids = byInvoice.get(invoiceID);
      if (ids === undefined) byInvoice.set(invoiceID, [billingItemID]); else ids.push(billingItemID);
    }
    const invoiceIDs = [...byInvoice.keys()].sort(byNumber);
    const base = { companyID: doc.companyID, invoiceKey: doc.invoiceKey, purchaseOrderNumbers: [doc.purchaseOrderNumber] };
    if (invoiceIDs.length > 1) {
      findings.push({ ...base, code: 'PO_GROUP_SPLIT', severity: 'warning', invoiceIDs,
        billingItemIDs: [...byInvoice.values()].flat().sort(byNumber),
        message: `delivered invoice ${doc.invoiceKey} (${quote(doc.purchaseOrderNumber)}) was split by Autotask across `
          + `invoice ids ${invoiceIDs.join(', ')}` });
    }
    if (invoiceIDs.length > 0 && open.length > 0) {
      findings.push({ ...base, code: 'PO_GROUP_PARTLY_INVOICED', severity: 'info', invoiceIDs,
        billingItemIDs: open.sort(byNumber),
        message: `delivered invoice ${doc.invoiceKey} (${quote(doc.purchaseOrderNumber)}): ${open.length} of `
          + `${doc.items.length} item(s) are not on an Autotask invoice yet` });
    }
  }

  const order: Record<ReconciliationCode, number> = { MIXED_PO_INVOICE: 0, PO_GROUP_SPLIT: 1, PO_GROUP_PARTLY_INVOICED: 2 };
  return findings.sort((a, b) => order[a.code] - order[b.code] || a.companyID - b.companyID
    || (a.invoiceIDs[0] ?? 0) - (b.invoiceIDs[0] ?? 0) || ((a.invoiceKey ?? '') < (b.invoiceKey ?? '') ? -1 : 1));
}
