import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import { item } from './fixtures.js';

// Issue 14 item 5: subtotal 10.13 + tax 0.84 was shown with total 10.96, each figure rounded on its own. The rule
// (docs/billing-items.md#printed-totals): each line's amount and tax rounded to the currency's decimals; subtotal and
// tax are the sums of those; total = subtotal + tax.
const cents = (n: number): number => Math.round(n * 100);

describe('printed totals add up', () => {
  it('sums the lines as printed, so subtotal + tax = total', () => {
    // Exact sums 10.134 + 0.836 = 10.97 printed alone were 10.13 + 0.84 ≠ 10.97; the lines print 5.07 and 0.42.
    const { invoices } = groupInvoices({ contracts: [], items: [
      item(1, { contractID: null, extendedPrice: 5.067, taxDollars: 0.418, totalAmount: 5.485 }),
      item(2, { contractID: null, extendedPrice: 5.067, taxDollars: 0.418, totalAmount: 5.485 })] });
    expect(invoices[0]).toMatchObject({ subtotal: 10.14, tax: 0.84, total: 10.98 });
  });

  it('property: printed subtotal + printed tax == printed total, for any lines and decimals', () => {
    const amount = fc.integer({ min: -2_000_000, max: 2_000_000 }).map((u) => u / 10_000);
    fc.assert(fc.property(fc.array(fc.record({ ext: amount, tax: amount, off: fc.boolean() }), { minLength: 1, maxLength: 12 }),
      fc.constantFrom(0, 2, 3), (lines, decimals) => {
        const { invoices } = groupInvoices({ contracts: [], policy: { currencyDecimals: decimals }, items: lines.map((l, i) =>
          item(i + 1, { contractID: null, extendedPrice: l.ext, taxDollars: l.tax,
            totalAmount: l.off ? (Math.round(l.ext * 10_000) + Math.round(l.tax * 10_000) + 1) / 10_000
              : (Math.round(l.ext * 10_000) + Math.round(l.tax * 10_000)) / 10_000 })) });
        const doc = invoices[0];
        expect(doc).toBeDefined();
        const scale = 10 ** decimals;
        const printed = (n: number): number => Math.round(n * scale);
        expect(printed(doc?.subtotal ?? NaN) + printed(doc?.tax ?? NaN)).toBe(printed(doc?.total ?? NaN));
        const step = 10 ** (4 - decimals);
        const line = (n: number): number => { const u = Math.round(n * 10_000); return Math.sign(u) * Math.round(Math.abs(u) / step); };
        expect(printed(doc?.subtotal ?? NaN)).toBe(lines.reduce((sum, l) => sum + line(l.ext), 0));
        expect(printed(doc?.tax ?? NaN)).toBe(lines.reduce((sum, l) => sum + line(l.tax), 0));
      }), { numRuns: 300 });
  });

  it('warns TOTAL_AMOUNT_DIFFERS when an item\'s own total is not price + tax, naming the item', () => {
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { contractID: null, extendedPrice: 100, taxDollars: 19, totalAmount: 119 }),
      item(2, { contractID: null, extendedPrice: 100, taxDollars: 19, totalAmount: 120 })] });
    expect(warnings.filter((w) => w.code === 'TOTAL_AMOUNT_DIFFERS')).toEqual([
      expect.objectContaining({ billingItemIDs: [2], message: expect.stringContaining('120') as unknown })]);
    expect(invoices[0]).toMatchObject({ subtotal: 200, tax: 38, total: 238 });
    expect(cents(invoices[0]?.total ?? 0)).toBe(23_800);
  });
});
