import { describe, expect, it } from 'vitest';
import { budgetProgress, describeRequestCost, plannedRequests, requestCost } from '../../../../src/rules/request-cost.js';

const now = new Date('2026-12-01T10:00:00.000Z');

describe('requestCost', () => {
  it('20,000 marks at 5,000 an hour: four hours of budget, spread until about four hours from now when the hour is fresh', () => {
    const cost = requestCost({ kind: 'forecast', now, budget: { ceiling: 5_000, left: 5_000 },
      lines: [{ entity: 'BillingItems', method: 'PATCH', count: 20_000 }, { entity: 'BillingItems', method: 'POST', count: 40 }] });
    expect(cost.total).toBe(20_040);
    expect(cost.shareOfHour).toBeCloseTo(4.008, 3);
    expect(cost.requests).toEqual([{ entity: 'BillingItems', method: 'PATCH', count: 20_000, shareOfHour: 4 },
      { entity: 'BillingItems', method: 'POST', count: 40, shareOfHour: 0.008 }]);
    // 15,040 beyond this hour's 5,000, at 5,000 an hour.
    expect(cost.spreadsUntil).toBe(new Date(now.getTime() + Math.ceil((15_040 / 5_000) * 3_600_000)).toISOString());
    expect(describeRequestCost(cost)).toContain('Autotask requests (forecast): 20,040 = 4.01 h of the hourly budget (5,000/h)');
  });

  it('fits in what is left: no spread, and no progress to report', () => {
    const cost = requestCost({ kind: 'spent', now, budget: { ceiling: 5_000, left: 300 }, lines: [{ entity: 'Tickets', method: 'POST', count: 200 }] });
    expect(cost.spreadsUntil).toBeNull();
    expect(budgetProgress(300, { ceiling: 5_000, left: 300 }, now)).toBeNull();
    expect(budgetProgress(301, { ceiling: 5_000, left: 300 }, now)).toEqual({ budget: { needed: 301, left: 300,
      spreadsUntil: new Date(now.getTime() + Math.ceil((1 / 5_000) * 3_600_000)).toISOString() } });
  });

  it('counts each planned POST and PATCH as one request and a delivery (to the MSP, not Autotask) as none', () => {
    expect(plannedRequests([{ method: 'PATCH', entity: 'BillingItems' }, { method: 'PATCH', entity: 'BillingItems' },
      { method: 'DELIVER', entity: 'Invoice' }, { method: 'POST', entity: 'TimeEntries' }])).toEqual([
      { entity: 'BillingItems', method: 'PATCH', count: 2 }, { entity: 'TimeEntries', method: 'POST', count: 1 }]);
  });
});
