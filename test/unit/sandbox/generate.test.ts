import { describe, expect, it } from 'vitest';
import { emptyTenant, generateTenant, TenantStore } from '../../../src/sandbox/index.js';

describe('generateTenant', () => {
  const now = new Date('2026-05-01T00:00:00.000Z');

  it('is deterministic for a seed and different for another', () => {
    const a = generateTenant({ seed: 5, tickets: 500, billingItems: 300, now });
    expect(generateTenant({ seed: 5, tickets: 500, billingItems: 300, now })).toEqual(a);
    expect(generateTenant({ seed: 6, tickets: 500, billingItems: 300, now }).records.Tickets).not.toEqual(a.records.Tickets);
  });

  it('makes the requested counts with ascending ids, realistic gaps, and valid references', () => {
    const data = generateTenant({ seed: 2, tickets: 5000, billingItems: 2000, contracts: 40, companies: 20, now });
    const tickets = data.records.Tickets ?? [];
    expect(tickets).toHaveLength(5000);
    expect(data.records.BillingItems).toHaveLength(2000);
    expect(data.records.Contracts).toHaveLength(40);
    expect((data.records.Companies ?? []).length).toBe(21);
    const ids = tickets.map((t) => t.id);
    const gaps = ids.slice(1).map((id, i) => id - (ids[i] as number));
    expect(gaps.every((g) => g >= 1)).toBe(true);
    expect(gaps.some((g) => g > 1)).toBe(true);
    expect(gaps.filter((g) => g === 1).length).toBeGreaterThan(gaps.length / 2);
    const store = new TenantStore(data);
    for (const b of store.all('BillingItems')) expect(store.get('Contracts', b.contractID as number)?.purchaseOrderNumber).toBe(b.purchaseOrderNumber);
    for (const t of store.all('Tickets')) expect(store.get('Companies', t.companyID as number)).toBeDefined();
    expect(tickets.every((t) => Date.parse(t.createDate as string) < now.getTime())).toBe(true);
  });

  it('builds the empty tenant with the API user and technicians only', () => {
    const store = new TenantStore(emptyTenant());
    expect(store.count('Tickets')).toBe(0);
    expect(store.get('Resources', store.apiUserResourceId)?.userName).toBe('api@sandbox.local');
    expect(store.count('ResourceRoles')).toBeGreaterThan(0);
  });
});
