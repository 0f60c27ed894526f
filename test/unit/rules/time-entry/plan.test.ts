import { describe, expect, it } from 'vitest';
import { timeEntriesSection } from '../../../../config/sections/time-entries.js';
import {
  checkStopwatchStart, fillSummaryTemplate, planTimeEntry, resolveRole, timeEntryLookup, timeEntryMatches,
} from '../../../../src/rules/time-entry.js';
import type {
  PlanTimeEntryInput, ResourceFacts, TicketFacts, TimeEntryInput, TimeEntryPlan, TimeEntryPolicy,
} from '../../../../src/rules/time-entry.js';

// The config section's parsed defaults are a valid policy: the rules' interface and the config stay in step.
const defaults: TimeEntryPolicy = timeEntriesSection.parse({});

const ticket: TicketFacts = { id: 100, ticketNumber: 'T20260302.0007', title: 'Printer offline', status: 1,
  assignedResourceID: 7, assignedResourceRoleID: 70 };
const resource: ResourceFacts = { id: 7, isActive: true };
const entry: TimeEntryInput = { key: 'k1', ticketId: 100, resourceId: 7, roleId: null,
  startDateTime: '2026-03-02T09:00:00.000Z', endDateTime: '2026-03-02T10:00:00.000Z', workedSeconds: null,
  summaryNotes: 'Replaced toner', internalNotes: null };

function plan(overrides: Partial<PlanTimeEntryInput> & { e?: Partial<TimeEntryInput>; p?: Partial<TimeEntryPolicy> } = {}): TimeEntryPlan {
  const { e, p, ...rest } = overrides;
  return planTimeEntry({ entry: { ...entry, ...e }, ticket, resource, policy: { ...defaults, ...p }, ...rest });
}

function body(result: TimeEntryPlan) {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.body;
}

describe('planTimeEntry', () => {
  it('builds the Autotask create body for a valid entry', () => {
    expect(plan()).toEqual({ ok: true, reasons: [expect.stringContaining("ticket's assigned role")], body: {
      ticketID: 100, resourceID: 7, roleID: 70, dateWorked: '2026-03-02T00:00:00.000Z',
      startDateTime: '2026-03-02T09:00:00.000Z', endDateTime: '2026-03-02T10:00:00.000Z', hoursWorked: 1,
      summaryNotes: 'Replaced toner' } });
  });

  it('sends internalNotes only when there are some', () => {
    expect(body(plan({ e: { internalNotes: 'needs a new drum' } })).internalNotes).toBe('needs a new drum');
    expect(body(plan({ e: { internalNotes: '  ' } }))).not.toHaveProperty('internalNotes');
  });

  describe('role resolution', () => {
    it.each([
      ['a given roleId wins', { roleId: 55 }, {}, 55, /as given/],
      ["the ticket's role when the resource is the assigned one", {}, {}, 70, /assigned/],
      ['the configured default role otherwise', { resourceId: 8 }, { defaultRoles: { 8: 81 } }, 81, /defaultRoles/],
      ['the default role is not used for the assigned resource', {}, { defaultRoles: { 7: 99 } }, 70, /assigned/],
    ] as [string, Partial<TimeEntryInput>, Partial<TimeEntryPolicy>, number, RegExp][])('%s', (_name, e, p, roleID, reason) => {
      const result = plan({ e, p, resource: { id: e.resourceId ?? 7, isActive: true } });
      expect(body(result).roleID).toBe(roleID);
      expect(result.ok && result.reasons.join('\n')).toMatch(reason);
    });

    it('refuses with a message saying why when no role can be found', () => {
      const result = plan({ e: { resourceId: 8 }, resource: { id: 8, isActive: true } });
      expect(result).toMatchObject({ ok: false, code: 'ROLE_MISSING' });
      expect(!result.ok && result.reason).toMatch(/no roleId was given.*assigned to resource 7.*defaultRoles has no role for resource 8/);
    });

    it('refuses when the ticket has no assigned resource at all', () => {
      const result = resolveRole({ roleId: null, resourceId: 7, ticketId: 100 },
        { ...ticket, assignedResourceID: null, assignedResourceRoleID: null }, {});
      expect(result).toMatchObject({ ok: false, code: 'ROLE_MISSING' });
      expect(!result.ok && result.reason).toMatch(/no assigned resource/);
    });

    it('ignores inherited object keys as default roles', () => {
      expect(resolveRole({ roleId: null, resourceId: 8, ticketId: 100 }, ticket, JSON.parse('{"__proto__": {"8": 1}}') as Record<string, number>))
        .toMatchObject({ ok: false, code: 'ROLE_MISSING' });
    });
  });

  describe('invalid entries are refused with a clear reason', () => {
    it.each([
      ['zero hours (interval)', { e: { endDateTime: entry.startDateTime } }, 'ZERO_DURATION', /no time worked/],
      ['zero hours (workedSeconds)', { e: { workedSeconds: 0 } }, 'ZERO_DURATION', /workedSeconds is 0/],
      ['negative workedSeconds', { e: { workedSeconds: -5 } }, 'ZERO_DURATION', /-5 seconds/],
      ['end before start', { e: { endDateTime: '2026-03-02T08:59:59.000Z' } }, 'END_BEFORE_START', /before startDateTime/],
      ['inactive resource', { resource: { id: 7, isActive: false } }, 'RESOURCE_INACTIVE', /resource 7 is inactive/],
      ['missing resource', { resource: null }, 'RESOURCE_NOT_FOUND', /resource 7 does not exist/],
      ['missing ticket', { ticket: null }, 'TICKET_NOT_FOUND', /ticket 100 does not exist/],
      ['another ticket looked up', { ticket: { ...ticket, id: 101 } }, 'TICKET_MISMATCH', /101/],
      ['completed ticket', { ticket: { ...ticket, status: 5 } }, 'TICKET_COMPLETE', /T20260302\.0007 is complete.*allowCompletedTickets/],
      ['more than 24 h (interval)', { e: { endDateTime: '2026-03-03T09:00:01.000Z' } }, 'TOO_LONG', /at most 24 hours/],
      ['more than 24 h (workedSeconds)', { e: { workedSeconds: 86_401, endDateTime: '2026-03-04T00:00:00.000Z' } }, 'TOO_LONG', /workedSeconds/],
      ['an unreadable start', { e: { startDateTime: 'yesterday' } }, 'INVALID_DATE', /startDateTime/],
      ['an unreadable end', { e: { endDateTime: '' } }, 'INVALID_DATE', /endDateTime/],
      ['less than 0.0001 h', { e: { endDateTime: '2026-03-02T09:00:00.100Z' }, p: { rounding: { mode: 'none', minutes: 6, minimumMinutes: 0 } } },
        'ZERO_DURATION', /0\.0001/],
    ])('%s', (_name, overrides, code, reason) => {
      const result = plan(overrides as Parameters<typeof plan>[0]);
      expect(result).toMatchObject({ ok: false, code });
      expect(!result.ok && result.reason).toMatch(reason);
    });

    it('books on a completed ticket when allowed', () => {
      expect(plan({ ticket: { ...ticket, status: 5 }, p: { allowCompletedTickets: true } }).ok).toBe(true);
    });

    it('accepts exactly 24 hours', () => {
      // 24 hours cross midnight: only a tenant that allows that takes it (real-tenant.test.ts has the refusal).
      expect(body(plan({ e: { endDateTime: '2026-03-03T09:00:00.000Z' }, p: { midnight: 'allow' } })).hoursWorked).toBe(24);
    });
  });

  describe('summary template', () => {
    it('fills an empty summary from the template with the billed minutes', () => {
      const result = plan({ e: { summaryNotes: '   ', workedSeconds: 1000 },
        p: { summaryTemplate: '{ticketNumber} — {ticketTitle} ({minutes} min) {unknown}', rounding: { mode: 'up', minutes: 15, minimumMinutes: 0 } } });
      expect(body(result).summaryNotes).toBe('T20260302.0007 — Printer offline (30 min) {unknown}');
      expect(result.ok && result.reasons).toContain('summaryNotes filled from timeEntries.summaryTemplate');
    });

    it('uses the default template and falls back to the ticket id without a number', () => {
      expect(body(plan({ e: { summaryNotes: '' }, ticket: { ...ticket, ticketNumber: null } })).summaryNotes)
        .toBe('Work on #100: Printer offline');
    });

    it('does not interpret replacement patterns in ticket titles', () => {
      expect(fillSummaryTemplate('{ticketTitle}/{ticketTitle}', { ...ticket, title: "$& $' $1" }, 5)).toBe("$& $' $1/$& $' $1");
    });

    it('keeps a given summary as written (trimmed)', () => {
      expect(body(plan({ e: { summaryNotes: '  Replaced toner  ' } })).summaryNotes).toBe('Replaced toner');
    });
  });

  describe('span policy when rounding makes the hours longer than the span', () => {
    const short = { e: { endDateTime: '2026-03-02T09:10:00.000Z' } }; // 10 min worked, rounded up to 15
    const up15 = { mode: 'up' as const, minutes: 15, minimumMinutes: 0 };

    it('adjust moves endDateTime later and says so', () => {
      const result = plan({ ...short, p: { rounding: up15, spanPolicy: 'adjust' } });
      expect(body(result)).toMatchObject({ hoursWorked: 0.25, startDateTime: '2026-03-02T09:00:00.000Z',
        endDateTime: '2026-03-02T09:15:00.000Z' });
      expect(result.ok && result.reasons.join('\n')).toMatch(/endDateTime moved from 2026-03-02T09:10:00.000Z to 2026-03-02T09:15:00.000Z/);
    });

    it('refuse refuses', () => {
      const result = plan({ ...short, p: { rounding: up15, spanPolicy: 'refuse' } });
      expect(result).toMatchObject({ ok: false, code: 'SPAN_TOO_SHORT' });
      expect(!result.ok && result.reason).toMatch(/spanPolicy is refuse/);
    });

    it('a minimum longer than the span is handled the same way', () => {
      const result = plan({ e: { endDateTime: '2026-03-02T09:02:00.000Z' }, p: { rounding: { mode: 'none', minutes: 6, minimumMinutes: 30 } } });
      expect(body(result)).toMatchObject({ hoursWorked: 0.5, endDateTime: '2026-03-02T09:30:00.000Z' });
    });

    it('paused-out worked seconds shorter than the span leave the span as sent', () => {
      const result = plan({ e: { workedSeconds: 1800 }, p: { rounding: up15, spanPolicy: 'refuse' } });
      expect(body(result)).toMatchObject({ hoursWorked: 0.5, endDateTime: entry.endDateTime });
    });

    it('4-decimal rounding alone never pushes hours past the span', () => {
      const result = plan({ e: { endDateTime: '2026-03-02T09:01:00.000Z' },
        p: { spanPolicy: 'refuse', rounding: { mode: 'none', minutes: 6, minimumMinutes: 0 } } });
      expect(body(result).hoursWorked).toBe(0.0166);
      expect(body(result).hoursWorked * 3600).toBeLessThanOrEqual(60);
    });
  });

  describe('dateWorked', () => {
    it.each([
      ['2026-03-02T23:30:00.000Z', '2026-03-03T00:30:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['2026-03-02T23:30:00+02:00', '2026-03-03T00:30:00+02:00', '2026-03-02T00:00:00.000Z'],
      ['2026-03-03T00:30:00+02:00', '2026-03-03T01:30:00+02:00', '2026-03-02T00:00:00.000Z'],
      ['2026-12-31T23:59:59', '2027-01-01T00:10:00', '2026-12-31T00:00:00.000Z'],
    ])('start %s → %s (the day of the start in timeEntries.timeZone, UTC here, at midnight)', (start, end, dateWorked) => {
      const result = body(plan({ e: { startDateTime: start, endDateTime: end }, p: { midnight: 'allow' } }));
      expect(result.dateWorked).toBe(dateWorked);
      expect(result.startDateTime).toBe(new Date(start.length === 19 ? `${start}Z` : start).toISOString());
    });
  });
});

describe('checkStopwatchStart', () => {
  const base = { ticketId: 100, resourceId: 7, ticket, resource, allowCompletedTickets: false };
  it.each([
    ['all fine', {}, { ok: true }],
    ['missing ticket', { ticket: null }, { ok: false, code: 'TICKET_NOT_FOUND', field: 'ticketId' }],
    ['completed ticket', { ticket: { ...ticket, status: 5 } }, { ok: false, code: 'TICKET_COMPLETE', field: 'ticketId' }],
    ['completed ticket allowed', { ticket: { ...ticket, status: 5 }, allowCompletedTickets: true }, { ok: true }],
    ['missing resource', { resource: null }, { ok: false, code: 'RESOURCE_NOT_FOUND', field: 'resourceId' }],
    ['inactive resource', { resource: { id: 7, isActive: false } }, { ok: false, code: 'RESOURCE_INACTIVE', field: 'resourceId' }],
  ])('%s', (_name, overrides, expected) => {
    expect(checkStopwatchStart({ ...base, ...overrides })).toMatchObject(expected);
  });
});

describe('look-before-create', () => {
  const planned = { ticketID: 100, resourceID: 7, startDateTime: '2026-03-02T09:00:00.250Z' };
  // (Truncated seconds, ends and hours: real-tenant.test.ts.)
  it.each([
    ['same ticket, resource and second', { ticketID: 100, resourceID: 7, startDateTime: '2026-03-02T09:00:00' }, true],
    ['milliseconds differ within the second', { ticketID: 100, resourceID: 7, startDateTime: '2026-03-02T09:00:00.900Z' }, true],
    ['another second', { ticketID: 100, resourceID: 7, startDateTime: '2026-03-02T09:00:01.000Z' }, false],
    ['another ticket', { ticketID: 101, resourceID: 7, startDateTime: '2026-03-02T09:00:00.000Z' }, false],
    ['another resource', { ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T09:00:00.000Z' }, false],
    ['no start', { ticketID: 100, resourceID: 7, startDateTime: null }, false],
  ])('%s → %s', (_name, existing, expected) => {
    expect(timeEntryMatches(existing, planned)).toBe(expected);
  });

  it('queries the whole second of the start', () => {
    expect(timeEntryLookup(planned)).toEqual({ ticketID: 100, resourceID: 7,
      startFrom: '2026-03-02T09:00:00.000Z', startBefore: '2026-03-02T09:00:01.000Z' });
  });
});
