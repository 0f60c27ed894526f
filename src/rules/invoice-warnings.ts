/**
 * Warnings of the invoice grouping: one uniform shape (a stable code plus the ids involved) so the job, the
 * `GET /api/invoices` route and the dashboard can show and filter them without knowing each kind.
 */

export type InvoiceWarningCode =
  /** Items carry a PO other than their contract's current one (the PO is copied at posting — docs/autotask-api.md#billing-items). */
  | 'PO_DIFFERS_FROM_CONTRACT'
  /** PO numbers of one company that differ only in case or inner whitespace: probably one PO typed twice. */
  | 'PO_VARIANTS'
  /** PO numbers of one company that look identical (invisible characters, accents composed or not, full-width): split as Autotask splits them. */
  | 'INVISIBLE_PO_VARIANTS'
  /** A company has items with and without a PO: the no-PO invoice may be items someone forgot to assign. */
  | 'MIXED_PO_AND_NO_PO'
  /** A contract without a PO that the PO policy says should have one. */
  | 'CONTRACT_MISSING_PO'
  /** Items name a contract that was not in the input (store not pulled yet?): the PO checks could not run. */
  | 'CONTRACT_NOT_FOUND'
  /** Amounts with more than 4 decimals were rounded to 4 (half away from zero). */
  | 'AMOUNT_ROUNDED'
  /** An invoice's exact sum has sub-cent digits; the document shows it rounded to the currency's minor unit. */
  | 'TOTAL_ROUNDED'
  /** The same billing item id appeared more than once; every copy was left out. */
  | 'DUPLICATE_BILLING_ITEM'
  /** Autotask's totalAmount of an item differs from its extendedPrice + taxDollars; the document uses the latter. */
  | 'TOTAL_AMOUNT_DIFFERS'
  /** Items dated after `now` (posted ahead of the service). */
  | 'FUTURE_ITEM_DATE'
  /** Items invoiced, exported or un-posted in Autotask since the last pull: dropped before delivery. */
  | 'ITEMS_LEFT_OPEN_SET'
  /** Delivered items found on an Autotask invoice when marking: not marked; billed twice unless one is voided. */
  | 'DELIVERED_ITEMS_INVOICED';

export interface InvoiceWarning {
  code: InvoiceWarningCode;
  message: string;
  companyID: number | null;
  contractIDs: number[];
  billingItemIDs: number[];
  invoiceKeys: string[];
  purchaseOrderNumbers: Array<string | null>;
}

export interface WarningIds {
  companyID?: number | null;
  contractIDs?: readonly number[];
  billingItemIDs?: readonly number[];
  invoiceKeys?: readonly string[];
  purchaseOrderNumbers?: ReadonlyArray<string | null>;
}

export function makeWarning(code: InvoiceWarningCode, message: string, ids: WarningIds = {}): InvoiceWarning {
  return {
    code,
    message,
    companyID: ids.companyID ?? null,
    contractIDs: ids.contractIDs ? [...ids.contractIDs].sort(byNumber) : [],
    billingItemIDs: ids.billingItemIDs ? [...ids.billingItemIDs].sort(byNumber) : [],
    invoiceKeys: ids.invoiceKeys ? [...ids.invoiceKeys].sort() : [],
    purchaseOrderNumbers: ids.purchaseOrderNumbers ? [...ids.purchaseOrderNumbers] : [],
  };
}

export function byNumber(a: number, b: number): number {
  return a - b;
}

/** Deterministic order: code, company, first contract, first item, message. */
export function compareWarnings(a: InvoiceWarning, b: InvoiceWarning): number {
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  const byCompany = (a.companyID ?? -1) - (b.companyID ?? -1);
  if (byCompany !== 0) return byCompany;
  const byContract = (a.contractIDs[0] ?? -1) - (b.contractIDs[0] ?? -1);
  if (byContract !== 0) return byContract;
  const byItem = (a.billingItemIDs[0] ?? -1) - (b.billingItemIDs[0] ?? -1);
  if (byItem !== 0) return byItem;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

const quote = (po: string | null): string => (po === null ? 'no PO' : JSON.stringify(po));
export { quote as quotePo };
