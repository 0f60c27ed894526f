import type { InvoiceDocument } from '../../../src/rules/invoice-types.js';

export function invoiceDoc(extra: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    invoiceKey: 'inv-1-0123456789abcdef0123456789abcdef', companyID: 1, purchaseOrderNumber: 'PO-4711', contractIDs: [10, 11],
    periodStart: '2026-02-01', periodEnd: '2026-02-03',
    items: [{ billingItemID: 2, itemDate: '2026-02-01T00:00:00.000Z', itemName: 'Support', description: 'Ünïcode & "quotes"',
      quantity: 1, rate: 0.2, extendedPrice: 0.2, taxDollars: 0.04, totalAmount: 0.24, contractID: 11, ticketID: 5,
      timeEntryID: null }],
    subtotal: 0.2, tax: 0.04, total: 0.24, ...extra,
  };
}
