/**
 * Issue 16 items 4, 5 and 8 (docs/autotask-samples.md, "TimeEntries" and "Resources"): entries across midnight,
 * a look-before-create that survives Autotask truncating seconds, and the resource's default service-desk role.
 */
import { describe, expect, it } from 'vitest';
import { timeEntriesSection } from '../../../../config/sections/time-entries.js';
import { planTimeEntry, resolveRole, timeEntryLookup, timeEntryMatches } from '../../../../src/rules/time-entry.js';
import type { ResourceFacts, TicketFacts, TimeEntryInput, TimeEntryPolicy } from '../../../../src/rules/time-entry.js';

const defaults: TimeEntryPolicy = timeEntriesSection.parse({});
const ticket: TicketFacts = { id: 100, ticketNumber: 'T1', title: 'x', status: 1, assignedResourceID: 7, assignedResourceRoleID: 70 };
const resource: ResourceFacts = { id: 8, isActive: true, defaultServiceDeskRoleID: 88 };
const entry: TimeEntryInput = { key: 'k', ticketId: 100, resourceId: 8, roleId: null, startDateTime: '2026-03-02T23:30:00.000Z',
  endDateTime: '2026-03-03T00:30:00.000Z', workedSeconds: null, summaryNotes: 'late fix', internalNotes: null };

describe('entries that span midnight', () => {
  it('are refused by default, naming the tenant setting and the config option', () => {
    const result = planTimeEntry({ entry, ticket, resource, policy: defaults });
    expect(result).toMatchObject({ ok: false, code: 'SPANS_MIDNIGHT' });
    expect(!result.ok && result.reason).toMatch(/Allow time entries to span over midnight.*timeEntries\.midnight/);
  });

  it('are sent when the tenant allows them, and midnight is judged in the configured time zone', () => {
    expect(planTimeEntry({ entry, ticket, resource, policy: { ...defaults, midnight: 'allow' } }).ok).toBe(true);
    // 23:30–00:30 UTC is 00:30–01:30 in Berlin: one local day.
    expect(planTimeEntry({ entry, ticket, resource, policy: { ...defaults, timeZone: 'Europe/Berlin' } }).ok).toBe(true);
    // An entry that ends exactly at midnight stays within its day.
    expect(planTimeEntry({ entry: { ...entry, startDateTime: '2026-03-02T23:00:00Z', endDateTime: '2026-03-03T00:00:00Z' },
      ticket, resource, policy: defaults }).ok).toBe(true);
  });
});

describe('look-before-create with minute-aligned starts', () => {
  const planned = { ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:50:37.000Z', endDateTime: '2026-03-02T16:20:37.000Z', hoursWorked: 3.5 };
  it('finds the entry Autotask stored with its seconds truncated', () => {
    expect(timeEntryMatches({ ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:50:00Z', endDateTime: '2026-03-02T16:20:00Z', hoursWorked: 3.5 }, planned)).toBe(true);
    expect(timeEntryLookup(planned)).toMatchObject({ startFrom: '2026-03-02T12:50:00.000Z', startBefore: '2026-03-02T12:50:38.000Z' });
  });

  it('does not take another real entry of the same minute for it', () => {
    // Started in the same minute but a different length, or ending in another minute: another entry.
    expect(timeEntryMatches({ ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:50:00Z', endDateTime: '2026-03-02T13:00:00Z', hoursWorked: 0.1667 }, planned)).toBe(false);
    expect(timeEntryMatches({ ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:50:00Z', endDateTime: '2026-03-02T16:21:00Z', hoursWorked: 3.5 }, planned)).toBe(false);
    // A start later than ours cannot be ours truncated.
    expect(timeEntryMatches({ ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:50:40Z', endDateTime: '2026-03-02T16:20:40Z', hoursWorked: 3.5 }, planned)).toBe(false);
    expect(timeEntryMatches({ ticketID: 100, resourceID: 8, startDateTime: '2026-03-02T12:49:59Z', endDateTime: '2026-03-02T16:20:00Z', hoursWorked: 3.5 }, planned)).toBe(false);
  });
});

describe('role choice', () => {
  it('uses the resource\'s defaultServiceDeskRoleID after the explicit and the ticket role, before timeEntries.defaultRoles', () => {
    expect(resolveRole({ roleId: 5, resourceId: 8, ticketId: 100 }, ticket, { 8: 99 }, resource)).toMatchObject({ roleId: 5 });
    expect(resolveRole({ roleId: null, resourceId: 7, ticketId: 100 }, ticket, {}, { id: 7, isActive: true, defaultServiceDeskRoleID: 77 })).toMatchObject({ roleId: 70 });
    const fromResource = resolveRole({ roleId: null, resourceId: 8, ticketId: 100 }, ticket, { 8: 99 }, resource);
    expect(fromResource).toMatchObject({ ok: true, roleId: 88, reason: expect.stringMatching(/defaultServiceDeskRoleID/) });
    expect(resolveRole({ roleId: null, resourceId: 8, ticketId: 100 }, ticket, { 8: 99 }, { id: 8, isActive: true, defaultServiceDeskRoleID: null }))
      .toMatchObject({ roleId: 99 });
  });
});
