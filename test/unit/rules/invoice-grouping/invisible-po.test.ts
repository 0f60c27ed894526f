import { describe, expect, it } from 'vitest';
import { groupInvoices } from '../../../../src/rules/invoice-grouping.js';
import { item } from './fixtures.js';

// Issue 14 item 6: PO numbers that differ only in characters nobody sees. Autotask makes one invoice per stored PO
// string (docs/autotask-api.md#invoices), so we split exactly where it would, and say so for every such pair.
const VARIANTS: Array<[string, string]> = [
  ['zero-width space', 'PO-4711\u200b'],
  ['soft hyphen', 'PO-\u00ad4711'],
  ['full-width', 'ＰＯ-4711'],
  ['byte order mark', '\ufeffPO-4711'],
  ['non-breaking space', 'PO-4711\u00a0'],
];

describe('PO numbers that differ invisibly', () => {
  it.each(VARIANTS)('%s: a separate invoice, as Autotask makes it, with an INVISIBLE_PO_VARIANTS warning', (_, variant) => {
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { purchaseOrderNumber: 'PO-4711', contractID: null }), item(2, { purchaseOrderNumber: variant, contractID: null })] });
    expect(invoices.map((i) => i.purchaseOrderNumber).sort()).toEqual(['PO-4711', variant].sort());
    const invisible = warnings.filter((w) => w.code === 'INVISIBLE_PO_VARIANTS');
    expect(invisible).toEqual([expect.objectContaining({ companyID: 1, purchaseOrderNumbers: ['PO-4711', variant].sort() })]);
    expect(invisible[0]?.invoiceKeys).toHaveLength(2);
    // The message shows what a person cannot see.
    expect(invisible[0]?.message).toMatch(/U\+[0-9A-F]{4}/);
    expect(warnings.map((w) => w.code)).not.toContain('PO_VARIANTS');
  });

  it('composed and decomposed accents are two POs and one warning', () => {
    const nfc = 'Café-1'.normalize('NFC');
    const nfd = 'Café-1'.normalize('NFD');
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { purchaseOrderNumber: nfc, contractID: null }), item(2, { purchaseOrderNumber: nfd, contractID: null })] });
    expect(invoices).toHaveLength(2);
    expect(warnings.filter((w) => w.code === 'INVISIBLE_PO_VARIANTS')).toHaveLength(1);
  });

  it('warns once per set covering every pair, per company, and a PO of only invisible characters next to no PO', () => {
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { purchaseOrderNumber: 'A1', contractID: null }), item(2, { purchaseOrderNumber: 'A1\u200b', contractID: null }),
      item(3, { purchaseOrderNumber: '\ufeffA1', contractID: null }),
      item(4, { companyID: 2, purchaseOrderNumber: 'A1\u200b', contractID: null }),
      item(5, { companyID: 3, purchaseOrderNumber: null, contractID: null }),
      item(6, { companyID: 3, purchaseOrderNumber: '\u00a0', contractID: null })] });
    expect(invoices).toHaveLength(6);
    const invisible = warnings.filter((w) => w.code === 'INVISIBLE_PO_VARIANTS');
    expect(invisible.map((w) => [w.companyID, w.purchaseOrderNumbers.length])).toEqual([[1, 3], [3, 2]]);
  });

  it('still treats surrounding ASCII spaces as noise and blank as no PO', () => {
    const { invoices, warnings } = groupInvoices({ contracts: [], items: [
      item(1, { purchaseOrderNumber: ' PO-1 ', contractID: null }), item(2, { purchaseOrderNumber: 'PO-1', contractID: null }),
      item(3, { purchaseOrderNumber: '  ', contractID: null })] });
    expect(invoices.map((i) => i.purchaseOrderNumber)).toEqual([null, 'PO-1']);
    expect(warnings.map((w) => w.code)).not.toContain('INVISIBLE_PO_VARIANTS');
  });
});
