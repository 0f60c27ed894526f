/** Issue 14 item 3: one item that cannot be read exactly is set aside with its reason; every other invoice is built. */
import { describe, expect, it } from 'vitest';
import { billingItemSchema } from '../../../../src/autotask/schemas/billing-items.js';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import { item } from './fixtures.js';

describe('bad billing items do not stop the grouping', () => {
  it('an amount beyond the exact range is set aside, the other companies are invoiced', () => {
    const result = groupInvoices({ items: [item(1, { companyID: 1, extendedPrice: 1e15, totalAmount: 1e15 }), item(2, { companyID: 2 })], contracts: [] });
    expect(result.skipped).toEqual([{ billingItemID: 1, reason: 'invalid-amount' }]);
    expect(result.invoices.map((d) => d.companyID)).toEqual([2]);
  });

  it('an invoice whose exact sum would leave the safe range sets the overflowing item aside instead of failing', () => {
    const big = 800_000_000_000; // 8e15 money units each: two of them pass 2^53
    const result = groupInvoices({ items: [item(1, { extendedPrice: big, totalAmount: big, taxDollars: 0 }),
      item(2, { extendedPrice: big, totalAmount: big, taxDollars: 0 }), item(3, { companyID: 2 })], contracts: [] });
    expect(result.skipped).toEqual([{ billingItemID: 2, reason: 'total-out-of-range' }]);
    expect(result.invoices.map((d) => d.items.map((i) => i.billingItemID))).toEqual([[1], [3]]);
  });

  it('an item whose rate Autotask sent as "n/a" is read with that field null and set aside naming it', () => {
    const raw = { id: 5, companyID: 1, invoiceID: null, itemDate: '2026-02-10T00:00:00Z', postedDate: '2026-03-01T00:00:00Z',
      purchaseOrderNumber: null, webServiceDate: null, rate: 'n/a', extendedPrice: 10, totalAmount: 10 };
    const parsed = billingItemSchema.parse(raw);
    expect(parsed.rate).toBeNull();
    expect(parsed.unreadable).toBe('cannot be read exactly: rate "n/a"');
    expect(billingItemSchema.parse({ ...raw, rate: 3 }).unreadable).toBeNull();
    expect(() => billingItemSchema.parse({ ...raw, companyID: 'x' })).toThrow();
    const result = groupInvoices({ items: [{ ...parsed, itemName: 'x' }, item(6)], contracts: [] });
    expect(result.skipped).toEqual([{ billingItemID: 5, reason: 'unreadable', detail: 'cannot be read exactly: rate "n/a"' }]);
    expect(result.invoices.flatMap((d) => d.items.map((i) => i.billingItemID))).toEqual([6]);
  });
});
