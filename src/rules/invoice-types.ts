/**
 * The plain shapes the invoice rules take and give. Inputs are structural (the fields the rules read), so both
 * the zod outputs of src/autotask/schemas (BillingItem, Contract, Invoice) and the store's compact records fit.
 * The output document is docs/contract.md#invoice-document, field for field.
 */

/** What the rules read of a BillingItem (docs/autotask-api.md#billing-items). Eligibility fields are required on purpose. */
export interface BillingItemLike {
  id: number;
  companyID: number;
  contractID?: number | null;
  invoiceID: number | null;
  /** UTC date-time as the schema normalises it (`YYYY-MM-DDTHH:mm:ss.sssZ`); other ISO forms are accepted. */
  itemDate: string | null;
  postedDate: string | null;
  purchaseOrderNumber: string | null;
  webServiceDate: string | null;
  itemName?: string | null;
  description?: string | null;
  quantity?: number | null;
  rate?: number | null;
  extendedPrice: number | null;
  taxDollars?: number | null;
  totalAmount: number | null;
  ticketID?: number | null;
  timeEntryID?: number | null;
  /** Set when a field could not be read exactly (src/autotask/schemas/billing-items.ts): the item is set aside. */
  unreadable?: string | null;
}

/** A user-defined field as Autotask returns it on a record: `userDefinedFields: [{ name, value }]`. */
export interface UserDefinedFieldLike {
  name?: string | null;
  value?: unknown;
}

/** What the rules read of a Contract (docs/autotask-api.md#contracts). */
export interface ContractLike {
  id: number;
  companyID: number;
  contractName?: string | null;
  contractNumber?: string | null;
  contractType?: number | null;
  contractCategory?: number | null;
  status?: number | null;
  startDate?: string | null;
  endDate?: string | null;
  purchaseOrderNumber?: string | null;
  userDefinedFields?: readonly UserDefinedFieldLike[] | null;
}

/** One line of an invoice document (docs/contract.md#invoice-document). Amounts are exact to 4 decimals, as Autotask holds them. */
export interface InvoiceDocumentItem {
  billingItemID: number;
  itemDate: string;
  itemName: string;
  description: string;
  quantity: number;
  rate: number;
  extendedPrice: number;
  taxDollars: number;
  totalAmount: number;
  contractID: number | null;
  ticketID: number | null;
  timeEntryID: number | null;
}

/** The invoice document of docs/contract.md#invoice-document. Totals are exact sums rounded to the currency's minor unit. */
export interface InvoiceDocument {
  invoiceKey: string;
  companyID: number;
  /** The company's name in Autotask, set by build-invoices after grouping (null when the company could not be read). */
  companyName?: string | null;
  /** ISO code of the currency the company is invoiced in (its currencyID, else the tenant's internal one); null when unknown. */
  currency?: string | null;
  purchaseOrderNumber: string | null;
  contractIDs: number[];
  periodStart: string;
  periodEnd: string;
  items: InvoiceDocumentItem[];
  subtotal: number;
  tax: number;
  total: number;
}
