import type { BillingItemLike, ContractLike } from '../../../../src/rules/invoice-types.js';

export function item(id: number, extra: Partial<BillingItemLike> = {}): BillingItemLike {
  return { id, companyID: 1, contractID: 10, invoiceID: null, itemDate: '2026-02-10T00:00:00.000Z',
    postedDate: '2026-03-01T00:00:00.000Z', purchaseOrderNumber: null, webServiceDate: null, itemName: `Item ${id}`,
    description: null, quantity: 1, rate: 100, extendedPrice: 100, taxDollars: 19, totalAmount: 119, ticketID: null,
    timeEntryID: null, ...extra };
}

export function contract(id: number, extra: Partial<ContractLike> = {}): ContractLike {
  return { id, companyID: 1, contractName: `Contract ${id}`, contractNumber: `C-${id}`, contractType: 7,
    contractCategory: 1, status: 1, startDate: '2026-01-01T00:00:00.000Z', endDate: null, purchaseOrderNumber: null,
    ...extra };
}
