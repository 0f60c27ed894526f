import { describe, expect, it } from 'vitest';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import { contract, item } from './fixtures.js';

describe('groupInvoices: the stories of issue 6', () => {
  const contracts = [
    contract(10, { companyID: 1, purchaseOrderNumber: 'PO-4711' }),
    contract(11, { companyID: 1, purchaseOrderNumber: 'PO-4711' }),
    contract(12, { companyID: 1, purchaseOrderNumber: 'PRJ-9', contractType: 1 }),
    contract(20, { companyID: 2, purchaseOrderNumber: null }),
  ];
  const items = [
    item(1, { contractID: 10, purchaseOrderNumber: 'PO-4711', extendedPrice: 0.1, taxDollars: 0.02, totalAmount: 0.12,
      itemDate: '2026-02-03T00:00:00.000Z' }),
    item(2, { contractID: 11, purchaseOrderNumber: ' PO-4711 ', extendedPrice: 0.2, taxDollars: 0.04, totalAmount: 0.24,
      itemDate: '2026-02-01T00:00:00.000Z' }),
    item(3, { contractID: 12, purchaseOrderNumber: 'PRJ-9', extendedPrice: 1500, taxDollars: 285, totalAmount: 1785 }),
    item(4, { companyID: 2, contractID: 20, purchaseOrderNumber: null, extendedPrice: 50, totalAmount: 69, itemDate: '2026-01-31T00:00:00.000Z' }),
    item(5, { companyID: 2, contractID: 20, purchaseOrderNumber: '', extendedPrice: 25.5, taxDollars: 0, totalAmount: 25.5 }),
    item(6, { companyID: 2, contractID: 20, purchaseOrderNumber: '   ', extendedPrice: 1, taxDollars: 0, totalAmount: 1,
      itemDate: '2026-02-28T23:59:59.000Z' }),
  ];

  it('puts two contracts sharing a PO on one invoice, the project on its own, the no-PO customer on one', () => {
    const { invoices, warnings, skipped } = groupInvoices({ items, contracts });
    expect(skipped).toEqual([]);
    expect(invoices.map((i) => [i.companyID, i.purchaseOrderNumber, i.contractIDs, i.items.map((l) => l.billingItemID)]))
      .toEqual([[1, 'PO-4711', [10, 11], [2, 1]], [1, 'PRJ-9', [12], [3]], [2, null, [20], [4, 5, 6]]]);
    const [shared, project, noPo] = invoices;
    expect(shared).toMatchObject({ subtotal: 0.3, tax: 0.06, total: 0.36, periodStart: '2026-02-01', periodEnd: '2026-02-03' });
    expect(project).toMatchObject({ subtotal: 1500, tax: 285, total: 1785 });
    expect(noPo).toMatchObject({ subtotal: 76.5, tax: 19, total: 95.5, periodStart: '2026-01-31', periodEnd: '2026-02-28' });
    expect(warnings).toEqual([]);
  });

  it('writes the document exactly in the docs/contract.md#invoice-document shape', () => {
    const doc = groupInvoices({ items: [items[2] as (typeof items)[number]], contracts }).invoices[0];
    expect(Object.keys(doc ?? {})).toEqual(['invoiceKey', 'companyID', 'purchaseOrderNumber', 'contractIDs', 'periodStart',
      'periodEnd', 'items', 'subtotal', 'tax', 'total']);
    expect(doc?.items[0]).toEqual({ billingItemID: 3, itemDate: '2026-02-10T00:00:00.000Z', itemName: 'Item 3',
      description: '', quantity: 1, rate: 100, extendedPrice: 1500, taxDollars: 285, totalAmount: 1785, contractID: 12,
      ticketID: null, timeEntryID: null });
    expect(doc?.invoiceKey).toMatch(/^inv-1-[0-9a-f]{32}$/);
  });

  it('warns about PO numbers of one company that differ only in case or inner spacing', () => {
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { purchaseOrderNumber: 'PO 123', contractID: null }), item(2, { purchaseOrderNumber: 'po123', contractID: null }),
      item(3, { purchaseOrderNumber: 'PO  123 ', contractID: null }), item(4, { companyID: 2, purchaseOrderNumber: 'PO123',
        contractID: null })] });
    expect(invoices).toHaveLength(4);
    expect(warnings).toEqual([expect.objectContaining({ code: 'PO_VARIANTS', companyID: 1,
      purchaseOrderNumbers: ['PO  123', 'PO 123', 'po123'] })]);
    expect(warnings[0]?.invoiceKeys).toHaveLength(3);
  });

  it('warns when an item carries another PO than its contract now has, and about a company with and without PO', () => {
    const { warnings } = groupInvoices({ contracts: [contract(10, { purchaseOrderNumber: 'NEW' })], items: [
      item(1, { purchaseOrderNumber: 'OLD' }), item(2, { purchaseOrderNumber: null }), item(3, { purchaseOrderNumber: 'NEW' })] });
    expect(warnings.map((w) => [w.code, w.billingItemIDs, w.purchaseOrderNumbers])).toEqual([
      ['MIXED_PO_AND_NO_PO', [], [null, 'NEW', 'OLD']],
      ['PO_DIFFERS_FROM_CONTRACT', [1], ['OLD', 'NEW']],
      ['PO_DIFFERS_FROM_CONTRACT', [2], [null, 'NEW']],
    ]);
  });

  it('warns about a contract without a PO that the policy says should have one, and about unknown contracts', () => {
    const { warnings } = groupInvoices({
      contracts: [contract(10), contract(11, { contractType: 1 })],
      items: [item(1), item(2, { contractID: 11 }), item(3, { contractID: 99 })],
      policy: { rules: [{ name: 'recurring', match: { contractType: [7] }, template: 'PO-{contractID}' }] },
    });
    expect(warnings.map((w) => [w.code, w.contractIDs, w.billingItemIDs])).toEqual([
      ['CONTRACT_MISSING_PO', [10], []], ['CONTRACT_NOT_FOUND', [99], [3]]]);
    expect(warnings[0]?.message).toContain('"recurring"');
  });

  it('leaves out ineligible items and says why', () => {
    const { invoices, skipped } = groupInvoices({ contracts: [], items: [
      item(1, { invoiceID: 5 }), item(2, { webServiceDate: '2026-03-02T00:00:00.000Z' }), item(3, { postedDate: null }),
      item(4, { itemDate: null }), item(5, { totalAmount: null }), item(6, { extendedPrice: Number.NaN }),
      item(7, { contractID: null })] });
    expect(skipped).toEqual([{ billingItemID: 1, reason: 'invoiced' }, { billingItemID: 2, reason: 'exported' },
      { billingItemID: 3, reason: 'not-posted' }, { billingItemID: 4, reason: 'no-item-date' },
      { billingItemID: 5, reason: 'missing-amount' }, { billingItemID: 6, reason: 'invalid-amount' }]);
    expect(invoices.flatMap((i) => i.items.map((l) => l.billingItemID))).toEqual([7]);
  });

  it('leaves out every copy of a duplicated id, rounds amounts beyond 4 decimals and sub-cent totals with a warning', () => {
    const { invoices, warnings, skipped } = groupInvoices({ contracts: [], items: [
      item(2, { contractID: null }), item(1, { contractID: null, extendedPrice: 0.00125, taxDollars: 0.01125, totalAmount: 0.0126 }),
      item(2, { contractID: null, extendedPrice: 5 })] });
    expect(skipped).toEqual([{ billingItemID: 2, reason: 'duplicate-id' }, { billingItemID: 2, reason: 'duplicate-id' }]);
    expect(invoices[0]?.items[0]).toMatchObject({ extendedPrice: 0.0013, taxDollars: 0.0113, totalAmount: 0.0126 });
    expect(invoices[0]).toMatchObject({ subtotal: 0, total: 0.01 });
    expect(warnings.map((w) => w.code)).toEqual(['AMOUNT_ROUNDED', 'DUPLICATE_BILLING_ITEM', 'TOTAL_ROUNDED']);
  });

  it('accepts dates in other ISO forms, rounds totals to the currency decimals, and flags future dates against now', () => {
    const { invoices, warnings } = groupInvoices({ contracts: [], now: new Date('2026-02-15T00:00:00.000Z'),
      policy: { currencyDecimals: 0 }, items: [
        item(1, { contractID: null, itemDate: '2026-02-20', extendedPrice: 10.5, taxDollars: 0, totalAmount: 10.5 }),
        item(2, { contractID: null, itemDate: '2026-02-01T10:00:00+02:00', extendedPrice: 1, taxDollars: 0, totalAmount: 1 })] });
    expect(invoices[0]).toMatchObject({ periodStart: '2026-02-01', periodEnd: '2026-02-20', subtotal: 12, total: 12 });
    expect(invoices[0]?.items.map((l) => l.itemDate)).toEqual(['2026-02-01T08:00:00.000Z', '2026-02-20T00:00:00.000Z']);
    expect(warnings.map((w) => [w.code, w.billingItemIDs])).toEqual([['FUTURE_ITEM_DATE', [1]], ['TOTAL_ROUNDED', []]]);
  });
});
