import { describe, expect, it } from 'vitest';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import { isInvoiced } from '../../../../src/rules/invoice-item-fields.js';
import { describeLeft, leftOpenSet } from '../../../../src/rules/invoice-open-status.js';
import { item } from './fixtures.js';

describe('isInvoiced (docs/billing-items.md)', () => {
  it('treats null, absent and 0 as "no invoice": a real answer carries invoiceID 0 on an open item', () => {
    expect(isInvoiced({ invoiceID: null })).toBe(false);
    expect(isInvoiced({})).toBe(false);
    expect(isInvoiced({ invoiceID: 0 })).toBe(false);
    expect(isInvoiced({ invoiceID: 1 })).toBe(true);
  });

  it('the grouping invoices an item with invoiceID 0 like one with null', () => {
    const result = groupInvoices({ items: [item(1, { invoiceID: 0 }), item(2), item(3, { invoiceID: 55 })], contracts: [] });
    expect(result.invoices.flatMap((d) => d.items.map((i) => i.billingItemID))).toEqual([1, 2]);
    expect(result.skipped).toEqual([{ billingItemID: 3, reason: 'invoiced' }]);
  });
});

describe('leftOpenSet', () => {
  it('names why an item re-read before delivery is no longer open', () => {
    expect(leftOpenSet(1, { invoiceID: 0, webServiceDate: null })).toBeNull();
    expect(leftOpenSet(1, { invoiceID: 9, webServiceDate: null })).toEqual({ billingItemID: 1, reason: 'invoiced', invoiceID: 9 });
    expect(leftOpenSet(2, { invoiceID: null, webServiceDate: '2026-01-01T00:00:00.000Z' })?.reason).toBe('exported');
    expect(leftOpenSet(3, undefined)?.reason).toBe('gone');
    expect(describeLeft([{ billingItemID: 1, reason: 'invoiced', invoiceID: 9 }, { billingItemID: 3, reason: 'gone', invoiceID: null }]))
      .toBe('1 (on Autotask invoice 9), 3 (no longer posted)');
  });
});
