import { describe, expect, it } from 'vitest';
import { reconcileInvoices, type DeliveredInvoiceLike } from '../../../../src/rules/invoice-reconciliation.js';

const delivered = (invoiceKey: string, po: string | null, ids: number[], companyID = 1): DeliveredInvoiceLike =>
  ({ invoiceKey, companyID, purchaseOrderNumber: po, items: ids.map((billingItemID) => ({ billingItemID })) });

describe('reconcileInvoices', () => {
  it('finds nothing when Autotask invoiced each PO group on its own invoice', () => {
    expect(reconcileInvoices({
      autotaskInvoices: [{ id: 500, companyID: 1, invoiceNumber: 'INV-1' }, { id: 501, companyID: 1 }],
      billingItemsByInvoice: new Map([[500, [{ id: 1, purchaseOrderNumber: 'A' }, { id: 2, purchaseOrderNumber: ' A' }]],
        [501, [{ id: 3, purchaseOrderNumber: null }]]]),
      delivered: [delivered('k-a', 'A', [1, 2]), delivered('k-none', null, [3])],
    })).toEqual([]);
  });

  it('reports an Autotask invoice that mixes PO numbers, with the items per PO', () => {
    const findings = reconcileInvoices({
      autotaskInvoices: [{ id: 500, companyID: 1, invoiceNumber: 'INV-1' }],
      billingItemsByInvoice: { 500: [{ id: 1, purchaseOrderNumber: 'A' }, { id: 2, purchaseOrderNumber: '' },
        { id: 3, purchaseOrderNumber: 'B' }] },
      delivered: [],
    });
    expect(findings).toEqual([expect.objectContaining({ code: 'MIXED_PO_INVOICE', severity: 'warning', invoiceIDs: [500],
      purchaseOrderNumbers: [null, 'A', 'B'], billingItemIDs: [1, 2, 3] })]);
    expect(findings[0]?.message).toContain('INV-1');
  });

  it('reports a delivered PO group that Autotask split across invoices, and one only partly invoiced', () => {
    const findings = reconcileInvoices({
      autotaskInvoices: [{ id: 501, companyID: 1 }, { id: 500, companyID: 1 }, { id: 502, companyID: 1, isVoided: true }],
      billingItemsByInvoice: new Map([[500, [{ id: 1, purchaseOrderNumber: 'A' }]], [501, [{ id: 2, purchaseOrderNumber: 'A' }]],
        [502, [{ id: 3, purchaseOrderNumber: 'A' }, { id: 9, purchaseOrderNumber: 'Z' }]]]),
      delivered: [delivered('k-a', 'A', [1, 2, 3])],
    });
    expect(findings.map((f) => [f.code, f.invoiceIDs, f.billingItemIDs, f.invoiceKey])).toEqual([
      ['PO_GROUP_SPLIT', [500, 501], [1, 2], 'k-a'],
      ['PO_GROUP_PARTLY_INVOICED', [500, 501], [3], 'k-a'],
    ]);
  });
});
