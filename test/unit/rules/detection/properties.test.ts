import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectProblems, type DetectionTicket, type DetectionRuleSet } from '../../../../src/rules/problem-detection.js';
import { defaultRuleSets, T0 } from './fixtures.js';

const HOUR = 3_600_000;
const titles = ['Server SRV-DC01 is offline', 'SRV-DC01 offline - ping failed at 14:05', 'Backup failed on SRV-BK01',
  'Low disk space on SRV-FS01', 'Low disk space on SRV-FS02', 'Outlook crashes', 'Password reset', null];

/** Small tenants with few companies, CIs and titles, so groups, problems and hand links actually occur. */
const ticketsArb = fc.uniqueArray(fc.record({
  id: fc.integer({ min: 1, max: 150 }),
  hours: fc.integer({ min: 0, max: 24 * 40 }),
  companyID: fc.constantFrom(1, 2, null),
  configurationItemID: fc.constantFrom(10, 11, null),
  title: fc.constantFrom(...titles),
  source: fc.constantFrom(2, 8),
  status: fc.constantFrom(1, 5),
  ticketType: fc.constantFrom(2, 2, 2, 1, 3, 4),
  linkTo: fc.option(fc.integer({ min: 1, max: 200 }), { freq: 4 }),
}), { selector: (t) => t.id, maxLength: 120 }).map((rows): DetectionTicket[] => rows.map((r) => ({
  id: r.id, title: r.title, companyID: r.companyID, configurationItemID: r.configurationItemID, source: r.source,
  status: r.status, ticketType: r.ticketType, problemTicketId: r.ticketType === 3 ? null : r.linkTo,
  createDate: new Date(T0 + r.hours * HOUR).toISOString(),
})));

const ruleSetsArb: fc.Arbitrary<DetectionRuleSet[]> = fc.oneof(
  fc.constant(defaultRuleSets()),
  fc.record({
    windowHours: fc.integer({ min: 1, max: 24 * 10 }),
    minCount: fc.integer({ min: 2, max: 5 }),
    titleSimilarity: fc.constantFrom(0, 0.4, 0.6, 1),
  }).map((r): DetectionRuleSet[] => [{ name: 'prop', keyFields: ['companyID'], filters: {}, ...r }, ...defaultRuleSets()]),
);

const run = (tickets: DetectionTicket[], ruleSets: DetectionRuleSet[], linkCompleted = false) =>
  detectProblems({ tickets, ruleSets, options: { linkCompleted, now: T0 + 50 * 24 * HOUR } });

describe('detectProblems invariants', () => {
  it('puts every ticket in at most one group, and every new link in its own group', () => {
    fc.assert(fc.property(ticketsArb, ruleSetsArb, fc.boolean(), (tickets, ruleSets, linkCompleted) => {
      const { groups } = run(tickets, ruleSets, linkCompleted);
      const seen = new Set<number>();
      for (const g of groups) {
        for (const id of g.ticketIds) {
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
        expect(g.ticketIds).toEqual([...g.ticketIds].sort((a, b) => a - b));
        for (const id of g.newLinks) expect(g.ticketIds).toContain(id);
        expect(g.groupKey.length).toBeLessThanOrEqual(50);
      }
    }), { numRuns: 200 });
  });

  it('does not depend on the order of the input', () => {
    fc.assert(fc.property(ticketsArb, ruleSetsArb, fc.infiniteStream(fc.nat()), (tickets, ruleSets, stream) => {
      const keys = stream.take(tickets.length);
      const shuffled = tickets.map((t) => ({ t, k: keys.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.t);
      expect(run(shuffled, ruleSets)).toEqual(run(tickets, ruleSets));
    }), { numRuns: 200 });
  });

  it('never links an already-linked ticket, a Problem or a Change Request; completed only when asked', () => {
    fc.assert(fc.property(ticketsArb, ruleSetsArb, fc.boolean(), (tickets, ruleSets, linkCompleted) => {
      const byId = new Map(tickets.map((t) => [t.id, t]));
      for (const g of run(tickets, ruleSets, linkCompleted).groups) {
        for (const id of g.newLinks) {
          const t = byId.get(id)!;
          expect(t.problemTicketId ?? null).toBeNull();
          expect([3, 4]).not.toContain(t.ticketType);
          if (!linkCompleted) expect(t.status).not.toBe(5);
        }
        if (g.problemTicketId !== null) {
          const problem = byId.get(g.problemTicketId);
          if (problem) expect(problem.ticketType).toBe(3);
          for (const id of g.existingLinks) expect(byId.get(id)!.problemTicketId).toBe(g.problemTicketId);
        }
      }
    }), { numRuns: 200 });
  });

  it('keeps every ticket already linked to an open problem with that problem', () => {
    fc.assert(fc.property(ticketsArb, ruleSetsArb, (tickets, ruleSets) => {
      const { groups } = run(tickets, ruleSets);
      for (const g of groups) {
        for (const id of g.ticketIds) {
          const t = tickets.find((x) => x.id === id);
          if (t?.problemTicketId != null) expect(g.problemTicketId).toBe(t.problemTicketId);
        }
      }
    }), { numRuns: 200 });
  });
});
