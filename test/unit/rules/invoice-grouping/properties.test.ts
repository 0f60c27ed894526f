import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import type { BillingItemLike } from '../../../../src/rules/invoice-types.js';

/** A 4-decimal amount as the decimal text Autotask would send, built from integer units (exact by construction). */
const units = fc.integer({ min: -5_000_000, max: 50_000_000 });
const asNumber = (u: number): number => Number(`${u < 0 ? '-' : ''}${Math.floor(Math.abs(u) / 10_000)}.${String(Math.abs(u) % 10_000).padStart(4, '0')}`);

const poArb = fc.constantFrom<string | null>(null, '', '  ', 'PO-1', ' PO-1', 'PO-2', 'po-2', 'PO 2');
const rawItem = fc.record({
  companyID: fc.integer({ min: 1, max: 4 }),
  contractID: fc.option(fc.integer({ min: 10, max: 14 }), { nil: null }),
  invoiceID: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null, freq: 4 }),
  webServiceDate: fc.option(fc.constant('2026-03-02T00:00:00.000Z'), { nil: null, freq: 4 }),
  postedDate: fc.option(fc.constant('2026-03-01T00:00:00.000Z'), { nil: null, freq: 8 }).map((v) => v),
  day: fc.integer({ min: 1, max: 28 }),
  purchaseOrderNumber: poArb,
  ext: units, tax: units, tot: units,
});
const itemsArb = fc.array(rawItem, { maxLength: 60 }).map((raws) => raws.map((r, index): BillingItemLike => ({
  id: 1000 + index * 7, companyID: r.companyID, contractID: r.contractID, invoiceID: r.invoiceID,
  webServiceDate: r.webServiceDate, postedDate: r.postedDate ?? (index % 9 === 0 ? null : '2026-03-01T00:00:00.000Z'),
  itemDate: `2026-02-${String(r.day).padStart(2, '0')}T00:00:00.000Z`, purchaseOrderNumber: r.purchaseOrderNumber,
  extendedPrice: asNumber(r.ext), taxDollars: asNumber(r.tax), totalAmount: asNumber(r.tot), itemName: 'x',
})));

const isEligible = (i: BillingItemLike): boolean => i.invoiceID === null && i.webServiceDate === null && i.postedDate !== null;
const toUnitsBig = (n: number): bigint => {
  const [whole = '0', fraction = ''] = Math.abs(n).toFixed(4).split('.');
  const value = BigInt(whole) * 10_000n + BigInt(fraction);
  return n < 0 ? -value : value;
};
const roundCents = (u: bigint): bigint => (u < 0n ? -((-u + 50n) / 100n) * 100n : ((u + 50n) / 100n) * 100n);
const contracts = [10, 11, 12].map((id) => ({ id, companyID: 1, purchaseOrderNumber: id === 10 ? 'PO-1' : null }));

describe('groupInvoices properties', () => {
  it('puts every eligible item in exactly one invoice and never an ineligible one', () => {
    fc.assert(fc.property(itemsArb, (items) => {
      const { invoices, skipped } = groupInvoices({ items, contracts });
      const placed = invoices.flatMap((doc) => doc.items.map((l) => l.billingItemID));
      const eligible = items.filter(isEligible).map((i) => i.id);
      expect([...placed].sort((a, b) => a - b)).toEqual(eligible);
      expect(new Set(placed).size).toBe(placed.length);
      expect(skipped.map((s) => s.billingItemID)).toEqual(items.filter((i) => !isEligible(i)).map((i) => i.id));
      for (const doc of invoices) {
        for (const l of doc.items) {
          const source = items.find((i) => i.id === l.billingItemID) as BillingItemLike;
          expect(source.companyID).toBe(doc.companyID);
          expect((source.purchaseOrderNumber ?? '').trim() || null).toBe(doc.purchaseOrderNumber);
        }
      }
    }), { numRuns: 300 });
  });

  it('has totals equal to the sums of the lines as printed, computed independently with BigInt', () => {
    fc.assert(fc.property(itemsArb, (items) => {
      for (const doc of groupInvoices({ items, contracts }).invoices) {
        const lines = doc.items.map((l) => items.find((i) => i.id === l.billingItemID) as BillingItemLike);
        // docs/billing-items.md#printed-totals: each line rounded to cents, then summed; total = subtotal + tax.
        const sum = (pick: (i: BillingItemLike) => number): bigint =>
          lines.reduce((s, i) => s + roundCents(toUnitsBig(pick(i))), 0n);
        expect(toUnitsBig(doc.subtotal)).toBe(sum((i) => i.extendedPrice as number));
        expect(toUnitsBig(doc.tax)).toBe(sum((i) => i.taxDollars as number));
        expect(toUnitsBig(doc.total)).toBe(sum((i) => i.extendedPrice as number) + sum((i) => i.taxDollars as number));
      }
    }), { numRuns: 300 });
  });

  it('does not depend on the input order (documents, keys, warnings, skipped)', () => {
    fc.assert(fc.property(itemsArb.chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items,
      { minLength: items.length, maxLength: items.length }))), ([items, shuffled]) => {
      const a = groupInvoices({ items, contracts, policy: { rules: [{ name: 'r', match: {}, template: 'x' }] } });
      const b = groupInvoices({ items: shuffled, contracts: [...contracts].reverse(),
        policy: { rules: [{ name: 'r', match: {}, template: 'x' }] } });
      expect(b).toEqual(a);
    }), { numRuns: 300 });
  });

  it('gives the same invoiceKey to the same company, PO and item set, and another one when the set changes', () => {
    fc.assert(fc.property(itemsArb, (items) => {
      const docs = groupInvoices({ items, contracts }).invoices;
      expect(new Set(docs.map((d) => d.invoiceKey)).size).toBe(docs.length);
      const [first] = docs;
      if (first === undefined || first.items.length < 2) return;
      const fewer = items.filter((i) => i.id !== first.items[0]?.billingItemID);
      const again = groupInvoices({ items: fewer, contracts }).invoices
        .find((d) => d.companyID === first.companyID && d.purchaseOrderNumber === first.purchaseOrderNumber);
      expect(again?.invoiceKey).not.toBe(first.invoiceKey);
    }), { numRuns: 200 });
  });

  it('orders lines by item date then id', () => {
    fc.assert(fc.property(itemsArb, (items) => {
      for (const doc of groupInvoices({ items, contracts }).invoices) {
        const keys = doc.items.map((l) => `${l.itemDate}#${String(l.billingItemID).padStart(8, '0')}`);
        expect(keys).toEqual([...keys].sort());
        expect(doc.periodStart).toBe(doc.items[0]?.itemDate.slice(0, 10));
        expect(doc.periodEnd).toBe(doc.items.at(-1)?.itemDate.slice(0, 10));
      }
    }), { numRuns: 200 });
  });
});
