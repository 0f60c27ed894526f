import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoicesSection } from '../../../../config/sections/invoices.js';
import type { ContractLike } from '../../../../src/rules/invoice-types.js';
import { planPurchaseOrders, type PoRule } from '../../../../src/rules/po-policy.js';
import { renderPoTemplate, truncatePo } from '../../../../src/rules/po-template.js';

const now = new Date('2026-03-15T00:00:00.000Z');

function contract(id: number, extra: Partial<ContractLike> = {}): ContractLike {
  return { id, companyID: 10, contractName: `Contract ${id}`, contractNumber: `C-${id}`, contractType: 7,
    contractCategory: 2, status: 1, startDate: '2026-01-01T00:00:00.000Z', endDate: null, purchaseOrderNumber: null,
    ...extra };
}

const rule = (extra: Partial<PoRule> = {}): PoRule => ({ name: 'recurring', match: {}, template: 'PO-{contractNumber}',
  overwrite: false, ...extra });

describe('planPurchaseOrders', () => {
  it('fills the template placeholders for a contract without a PO', () => {
    const c = contract(1, { contractName: 'Managed  Services', contractNumber: 'MS-7', companyID: 42,
      startDate: '2026-02-03T00:00:00.000Z' });
    const plan = planPurchaseOrders({ contracts: [c], now, agreementKey: null,
      rules: [rule({ template: '{contractName}/{contractNumber}/{contractID}/{companyID}/{startMonth}/{startYear}' })] });
    expect(plan.updates).toEqual([{ contractID: 1, from: null, to: 'Managed Services/MS-7/1/42/2026-02/2026',
      rule: 'recurring', reason: expect.stringContaining('no PO') as unknown }]);
    expect(plan.decisions).toEqual([expect.objectContaining({ contractID: 1, action: 'update' })]);
  });

  it('matches on type, category, company and name pattern; the first matching rule wins', () => {
    const rules: PoRule[] = [
      rule({ name: 'projects', match: { contractType: [1], namePattern: '^project' }, template: 'PRJ-{contractID}' }),
      rule({ name: 'acme', match: { companyID: [77], contractCategory: [5] }, template: 'ACME-{contractID}' }),
      rule({ name: 'fallback', match: { contractType: [7] }, template: 'GEN-{contractID}' }),
    ];
    const plan = planPurchaseOrders({ now, rules, contracts: [
      contract(1, { contractType: 1, contractName: 'Project Alpha' }),
      contract(2, { contractType: 1, contractName: 'Alpha project' }),
      contract(3, { companyID: 77, contractCategory: 5, contractType: 1, contractName: 'Project B' }),
      contract(4, { companyID: 77, contractCategory: 5 }),
      contract(5, { contractType: 7 }),
    ] });
    expect(plan.updates.map((u) => [u.contractID, u.to, u.rule])).toEqual([
      [1, 'PRJ-1', 'projects'], [3, 'PRJ-3', 'projects'], [4, 'ACME-4', 'acme'], [5, 'GEN-5', 'fallback']]);
    expect(plan.decisions.find((d) => d.contractID === 2)).toMatchObject({ action: 'keep', reason: 'no PO and no rule matches' });
  });

  it('never overwrites an existing PO unless the rule says so', () => {
    const contracts = [contract(1, { purchaseOrderNumber: ' 4711 ' }), contract(2, { purchaseOrderNumber: 'OLD' })];
    const kept = planPurchaseOrders({ contracts, now, rules: [rule()] });
    expect(kept.updates).toEqual([]);
    expect(kept.decisions.map((d) => d.action)).toEqual(['keep', 'keep']);
    expect(kept.decisions[0]?.reason).toContain('does not overwrite');
    const over = planPurchaseOrders({ contracts: [contract(2, { purchaseOrderNumber: 'OLD' }), contract(3, {
      purchaseOrderNumber: 'PO-C-3' })], now, rules: [rule({ overwrite: true })] });
    expect(over.updates).toEqual([expect.objectContaining({ contractID: 2, from: 'OLD', to: 'PO-C-2' })]);
    expect(over.decisions[1]).toMatchObject({ contractID: 3, action: 'keep', reason: 'already has PO "PO-C-3"' });
  });

  it('gives all contracts of one agreement (contract-number prefix) the same number', () => {
    const contracts = [
      contract(3, { contractNumber: 'ACME-2', startDate: '2026-02-01T00:00:00.000Z' }),
      contract(2, { contractNumber: 'ACME-1', startDate: '2026-01-01T00:00:00.000Z' }),
      contract(4, { contractNumber: 'ACME-1', companyID: 99 }),
      contract(5, { contractNumber: 'BETA' }),
    ];
    const plan = planPurchaseOrders({ contracts, now, rules: [rule({ template: 'PO-{agreement}-{contractNumber}' })],
      agreementKey: { kind: 'contractNumberPrefix', separator: '-' } });
    expect(plan.updates.map((u) => [u.contractID, u.to])).toEqual([[2, 'PO-ACME-ACME-1'], [3, 'PO-ACME-ACME-1'],
      [4, 'PO-ACME-ACME-1'], [5, 'PO-BETA-BETA']]);
    expect(plan.updates[1]?.reason).toContain('filled from contract 2');
  });

  it('gives the others of an agreement the PO one contract already has, and refuses to guess between two', () => {
    const udf = (v: string) => ({ userDefinedFields: [{ name: 'Agreement', value: v }] });
    const plan = planPurchaseOrders({ now, rules: [rule()], agreementKey: { kind: 'udf', name: 'agreement' }, contracts: [
      contract(1, { ...udf('A1'), purchaseOrderNumber: 'CUST-PO-9' }), contract(2, udf('A1')), contract(3, udf('A1')),
      contract(4, { ...udf('B'), purchaseOrderNumber: 'X' }), contract(5, { ...udf('B'), purchaseOrderNumber: 'Y' }),
      contract(6, udf('B')),
    ] });
    expect(plan.updates.map((u) => [u.contractID, u.to])).toEqual([[2, 'CUST-PO-9'], [3, 'CUST-PO-9']]);
    expect(plan.updates[0]?.reason).toContain('contract 1 of the same agreement already has PO "CUST-PO-9"');
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'AGREEMENT_PO_CONFLICT', contractIDs: [4, 5, 6] })]);
    expect(plan.decisions.find((d) => d.contractID === 6)?.action).toBe('skip');
  });

  it('keeps the number within 50 characters and warns when it cut', () => {
    const long = 'A very long contract name that goes on and on beyond any limit';
    const plan = planPurchaseOrders({ now, rules: [rule({ template: '{contractName}' })],
      contracts: [contract(1, { contractName: long })] });
    const to = plan.updates[0]?.to ?? '';
    expect(to.length).toBeLessThanOrEqual(50);
    expect(long.startsWith(to)).toBe(true);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'PO_TRUNCATED', contractIDs: [1] })]);
  });

  it('skips a contract whose template cannot be filled, naming the placeholder', () => {
    const plan = planPurchaseOrders({ now, rules: [rule({ template: 'PO-{contractNumber}' })],
      contracts: [contract(1, { contractNumber: null })] });
    expect(plan.updates).toEqual([]);
    expect(plan.warnings[0]).toMatchObject({ code: 'TEMPLATE_VALUE_MISSING', contractIDs: [1] });
    expect(plan.decisions[0]).toMatchObject({ action: 'skip', reason: expect.stringContaining('{contractNumber}') as unknown });
    const unknown = planPurchaseOrders({ now, rules: [rule({ template: 'PO-{nope}' })], contracts: [contract(1)] });
    expect(unknown.warnings[0]?.code).toBe('TEMPLATE_UNKNOWN_PLACEHOLDER');
  });

  it('leaves inactive contracts and contracts ended long ago alone', () => {
    const plan = planPurchaseOrders({ now, rules: [rule()], contracts: [contract(1, { status: 0 }),
      contract(2, { endDate: '2025-10-01T00:00:00.000Z' }), contract(3, { endDate: '2026-01-31T00:00:00.000Z' })] });
    expect(plan.updates.map((u) => u.contractID)).toEqual([3]);
    expect(plan.decisions.slice(0, 2).map((d) => d.action)).toEqual(['skip', 'skip']);
  });

  it('accepts the validated config section as is and warns about a broken pattern', () => {
    const section = invoicesSection.parse({ poPolicy: { rules: [{ name: 'all', template: 'PO {contractID}' }],
      agreementKey: { kind: 'contractNumberPrefix' } } });
    const plan = planPurchaseOrders({ now, contracts: [contract(1)], rules: section.poPolicy.rules,
      agreementKey: section.poPolicy.agreementKey });
    expect(plan.updates[0]?.to).toBe('PO 1');
    const broken = planPurchaseOrders({ now, contracts: [contract(1)], rules: [rule({ match: { namePattern: '(' } })] });
    expect(broken.warnings[0]?.code).toBe('INVALID_RULE_PATTERN');
    expect(broken.updates).toEqual([]);
  });

  it('does not depend on the order of the contracts', () => {
    const contracts = Array.from({ length: 12 }, (_, i) => contract(i + 1, { contractNumber: `G${i % 3}-${i}`,
      purchaseOrderNumber: i === 4 ? 'KEEP' : null, startDate: `2026-0${(i % 9) + 1}-01T00:00:00.000Z` }));
    const base = planPurchaseOrders({ contracts, now, rules: [rule()], agreementKey: { kind: 'contractNumberPrefix', separator: '-' } });
    fc.assert(fc.property(fc.shuffledSubarray(contracts, { minLength: contracts.length }), (shuffled) => {
      expect(planPurchaseOrders({ contracts: shuffled, now, rules: [rule()],
        agreementKey: { kind: 'contractNumberPrefix', separator: '-' } })).toEqual(base);
    }), { numRuns: 50 });
  });
});

describe('PO template', () => {
  it('never returns more than 50 UTF-16 units and never splits a surrogate pair', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
      const cut = truncatePo(s);
      expect(cut.length).toBeLessThanOrEqual(50);
      expect(/[\uD800-\uDBFF]$/.test(cut)).toBe(false);
      expect(s.startsWith(cut)).toBe(true);
    }));
    expect(truncatePo('😀'.repeat(30)).length).toBe(50);
  });

  it('removes control characters and collapses whitespace', () => {
    const r = renderPoTemplate('{contractName}', { id: 1, companyID: 1, contractName: 'a\u0000\tb\n  c' }, null);
    expect(r).toEqual({ ok: true, value: 'a b c', truncatedFrom: null });
  });
});
