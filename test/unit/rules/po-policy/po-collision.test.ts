import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractLike } from '../../../../src/rules/invoice-types.js';
import { agreementGroupKey, agreementValue, type AgreementKeySpec } from '../../../../src/rules/po-agreement.js';
import { planPurchaseOrders, type PoRule } from '../../../../src/rules/po-policy.js';

// Issue 14 item 2: a {contractName} template cut at 50 characters gave two contracts the same PO, and Autotask then
// puts both on one invoice (one invoice per company + PO, docs/autotask-api.md#invoices).
const now = new Date('2026-03-15T00:00:00.000Z');
const LONG = 'Managed Services Agreement for the Northern Region Offices';

function contract(id: number, extra: Partial<ContractLike> = {}): ContractLike {
  return { id, companyID: 10, contractName: `Contract ${id}`, contractNumber: `C-${id}`, contractType: 7,
    contractCategory: 2, status: 1, startDate: '2026-01-01T00:00:00.000Z', endDate: null, purchaseOrderNumber: null,
    ...extra };
}
const byName: PoRule = { name: 'by-name', match: {}, template: '{contractName}', overwrite: false };

describe('generated PO numbers that collide', () => {
  it('gives two contracts whose names differ only after character 50 different POs, each within 50 characters', () => {
    const plan = planPurchaseOrders({ now, rules: [byName], contracts: [
      contract(101, { contractName: `${LONG} - Servers` }), contract(202, { contractName: `${LONG} - Desktops` })] });
    const to = plan.updates.map((u) => u.to);
    expect(to).toHaveLength(2);
    expect(new Set(to).size).toBe(2);
    for (const po of to) expect(po.length).toBeLessThanOrEqual(50);
    expect(to).toEqual([expect.stringMatching(/-101$/), expect.stringMatching(/-202$/)]);
    expect(plan.warnings).toContainEqual(expect.objectContaining({ code: 'PO_COLLISION', contractIDs: [101, 202] }));
    expect(plan.decisions.every((d) => d.reason.length > 0)).toBe(true);
  });

  it('does not take the number another contract of the company already carries', () => {
    const cut = `${LONG} - Servers`.slice(0, 50).trimEnd();
    const plan = planPurchaseOrders({ now, rules: [byName], contracts: [
      contract(1, { purchaseOrderNumber: cut }), contract(2, { contractName: `${LONG} - Desktops` })] });
    expect(plan.updates).toEqual([expect.objectContaining({ contractID: 2, to: expect.stringMatching(/-2$/) as unknown })]);
    expect(plan.updates[0]?.to).not.toBe(cut);
  });

  it('leaves the same cut PO of two companies alone: Autotask invoices per company', () => {
    const plan = planPurchaseOrders({ now, rules: [byName], contracts: [
      contract(1, { contractName: `${LONG} - Servers` }), contract(2, { companyID: 11, contractName: `${LONG} - Desktops` })] });
    expect(new Set(plan.updates.map((u) => u.to)).size).toBe(1);
    expect(plan.warnings.map((w) => w.code)).not.toContain('PO_COLLISION');
  });

  it('keeps one PO for the contracts of one agreement, and a template that names no contract is meant to be shared', () => {
    const agreementKey: AgreementKeySpec = { kind: 'contractNumberPrefix', separator: '-' };
    const shared = planPurchaseOrders({ now, agreementKey, rules: [byName], contracts: [
      contract(1, { contractNumber: 'ACME', contractName: `${LONG} - Servers` }),
      contract(2, { contractNumber: 'ACME-2', contractName: `${LONG} - Desktops` })] });
    expect(new Set(shared.updates.map((u) => u.to)).size).toBe(1);
    const yearly = planPurchaseOrders({ now, contracts: [contract(1), contract(2)],
      rules: [{ ...byName, template: 'PO-{companyID}-{startYear}' }] });
    expect(yearly.updates.map((u) => u.to)).toEqual(['PO-10-2026', 'PO-10-2026']);
  });

  it('property: two contracts of one company not of one agreement never receive the same generated PO', () => {
    const agreementKey: AgreementKeySpec = { kind: 'contractNumberPrefix', separator: '-' };
    const arbContract = fc.record({
      company: fc.integer({ min: 1, max: 2 }),
      name: fc.oneof(fc.constantFrom(`${LONG} - A`, `${LONG} - B`, 'Short', `${LONG.slice(0, 48)}-7`),
        fc.string({ maxLength: 70 })),
      prefix: fc.constantFrom('AG1', 'AG2', 'AG3'),
      suffix: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
      po: fc.option(fc.constantFrom(LONG.slice(0, 50).trimEnd(), 'Short', `${LONG.slice(0, 48)}-7`), { nil: null, freq: 3 }),
    });
    const template = fc.constantFrom('{contractName}', '{agreement} {contractName}', '{contractName}{contractNumber}');
    fc.assert(fc.property(fc.array(arbContract, { minLength: 2, maxLength: 8 }), template, fc.boolean(),
      (specs, tpl, useAgreements) => {
        const contracts = specs.map((s, i) => contract(i + 1, { companyID: s.company, contractName: s.name,
          contractNumber: s.suffix === null ? s.prefix : `${s.prefix}-${s.suffix}`, purchaseOrderNumber: s.po }));
        const key = useAgreements ? agreementKey : null;
        const plan = planPurchaseOrders({ now, agreementKey: key, contracts, rules: [{ ...byName, template: tpl }] });
        const after = new Map(contracts.map((c) => [c.id, c.purchaseOrderNumber?.trim() || null]));
        for (const u of plan.updates) {
          expect(u.to.length).toBeLessThanOrEqual(50);
          after.set(u.contractID, u.to);
        }
        const generated = new Set(plan.updates.map((u) => u.contractID));
        const group = (c: ContractLike): string => agreementGroupKey(c, agreementValue(c, key));
        for (const a of contracts) {
          if (!generated.has(a.id)) continue;
          // A PO copied from a contract of the same agreement was typed by a person, not generated.
          const typed = contracts.filter((c) => group(c) === group(a)).map((c) => c.purchaseOrderNumber?.trim() || null);
          if (typed.includes(after.get(a.id) ?? null)) continue;
          for (const b of contracts) {
            if (a.id === b.id || a.companyID !== b.companyID || group(a) === group(b)) continue;
            expect(after.get(a.id), `contracts ${a.id} and ${b.id}`).not.toBe(after.get(b.id));
          }
        }
      }), { numRuns: 300 });
  });
});
