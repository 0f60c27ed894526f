/**
 * Issue 16 item 3: `invoiceID: 0` means "not invoiced" (docs/autotask-samples.md, "BillingItems"), for grouping and
 * reconciliation alike; a document whose lines and totals would disagree is never built — when Autotask's
 * totalAmount disagrees with extendedPrice + taxDollars the document uses price + tax and warns naming the item.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { billingItemSchema } from '../../../src/autotask/schemas/billing-items.js';
import { groupInvoices } from '../../../src/rules/invoice-grouping.js';
import { isInvoiced } from '../../../src/rules/invoice-item-fields.js';
import { reconcileInvoices } from '../../../src/rules/invoice-reconciliation.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/autotask/billing-item-invoiceid-zero.json', import.meta.url), 'utf8')) as { item: unknown };
const item = billingItemSchema.parse(fixture.item);

describe('invoiceID 0', () => {
  it('isInvoiced: null, undefined and 0 are not invoiced; a positive id is', () => {
    expect([null, undefined, 0, 1, 42].map((v) => isInvoiced({ invoiceID: v }))).toEqual([false, false, false, true, true]);
  });

  it('groups the real record as open, under "no PO", with totals that agree with its lines', () => {
    const result = groupInvoices({ items: [item], contracts: [] });
    expect(result.skipped).toEqual([]);
    const [doc] = result.invoices;
    expect(doc).toMatchObject({ companyID: 239, purchaseOrderNumber: null, subtotal: 386.65, tax: 0, total: 386.65 });
    expect(doc?.items[0]).toMatchObject({ billingItemID: 26039, extendedPrice: 386.645, taxDollars: 0, totalAmount: 386.645 });
    const lineSum = doc!.items.reduce((s, l) => s + l.totalAmount, 0);
    expect(Math.round(lineSum * 100) / 100).toBe(doc!.total);
    const warning = result.warnings.find((w) => w.code === 'TOTAL_AMOUNT_DIFFERS');
    expect(warning).toMatchObject({ billingItemIDs: [26039], companyID: 239 });
    expect(warning?.message).toMatch(/26039.*totalAmount 0.*extendedPrice \+ taxDollars = 386\.645/);
  });

  it('no warning when totalAmount agrees with price + tax', () => {
    const result = groupInvoices({ items: [{ ...item, invoiceID: null, taxDollars: 10, totalAmount: 396.645 }], contracts: [] });
    expect(result.warnings.filter((w) => w.code === 'TOTAL_AMOUNT_DIFFERS')).toEqual([]);
    expect(result.invoices[0]?.total).toBe(396.65);
  });

  it('reconciliation does not count invoice id 0 as an Autotask invoice (no false split)', () => {
    const delivered = [{ invoiceKey: 'k1', companyID: 239, purchaseOrderNumber: null, items: [{ billingItemID: 1 }, { billingItemID: 2 }] }];
    const findings = reconcileInvoices({
      autotaskInvoices: [{ id: 5, companyID: 239 }, { id: 0, companyID: 239 }],
      billingItemsByInvoice: new Map([[5, [{ id: 1, purchaseOrderNumber: '' }]], [0, [{ id: 2, purchaseOrderNumber: '' }]]]),
      delivered,
    });
    expect(findings.map((f) => f.code)).toEqual(['PO_GROUP_PARTLY_INVOICED']);
  });
});
