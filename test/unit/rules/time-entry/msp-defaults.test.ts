import { describe, expect, it } from 'vitest';
import { timeEntriesSection } from '../../../../config/sections/time-entries.js';
import { planTimeEntry, type TimeEntryInput, type TimeEntryPolicy } from '../../../../src/rules/time-entry.js';

// Issue 14 item 11: an 18-second stopwatch became a 0.005 h entry, and dateWorked was the UTC date.
const defaults: TimeEntryPolicy = timeEntriesSection.parse({});
const ticket = { id: 100, ticketNumber: 'T1', title: 'Printer', status: 1, assignedResourceID: 7, assignedResourceRoleID: 70 };
const entry: TimeEntryInput = { key: 'k1', ticketId: 100, resourceId: 7, roleId: null,
  startDateTime: '2026-03-02T09:00:00.000Z', endDateTime: '2026-03-02T09:00:18.000Z', workedSeconds: null,
  summaryNotes: 'Looked', internalNotes: null };
const plan = (e: Partial<TimeEntryInput> = {}, p: Partial<TimeEntryPolicy> = {}) =>
  planTimeEntry({ entry: { ...entry, ...e }, ticket, resource: { id: 7, isActive: true }, policy: { ...defaults, ...p } });

describe('MSP-sensible time defaults', () => {
  it('bills an 18-second stopwatch as the 15-minute minimum, and 20 minutes as 0.4 h (up to 6 minutes)', () => {
    expect(defaults.rounding).toEqual({ mode: 'up', minutes: 6, minimumMinutes: 15 });
    const short = plan();
    expect(short.ok && short.body.hoursWorked).toBe(0.25);
    const twenty = plan({ endDateTime: '2026-03-02T09:20:00.000Z' });
    expect(twenty.ok && twenty.body.hoursWorked).toBe(0.4);
  });

  it('dateWorked is the day the work happened in timeEntries.timeZone: 20:00 EDT is that day, not the next UTC day', () => {
    const evening = { startDateTime: '2026-06-04T00:00:00.000Z', endDateTime: '2026-06-04T00:30:00.000Z' };
    const ny = plan(evening, { timeZone: 'America/New_York' });
    expect(ny.ok && ny.body.dateWorked).toBe('2026-06-03T00:00:00.000Z');
    expect(ny.ok && ny.body.startDateTime).toBe('2026-06-04T00:00:00.000Z');
    const utc = plan(evening, { timeZone: 'UTC' });
    expect(utc.ok && utc.body.dateWorked).toBe('2026-06-04T00:00:00.000Z');
    const tokyo = plan({ startDateTime: '2026-06-03T20:00:00.000Z', endDateTime: '2026-06-03T20:30:00.000Z' }, { timeZone: 'Asia/Tokyo' });
    expect(tokyo.ok && tokyo.body.dateWorked).toBe('2026-06-04T00:00:00.000Z');
  });

  it('refuses a time zone that is not an IANA name at load, naming the field', () => {
    const bad = timeEntriesSection.safeParse({ timeZone: 'Eastern' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['timeZone']);
  });
});

describe('a start in the future (issue 14 item 9)', () => {
  const now = new Date('2026-03-02T09:00:00.000Z');
  const ahead = { startDateTime: '2026-03-02T12:00:00.000Z', endDateTime: '2026-03-02T13:00:00.000Z' };
  it('is refused as FUTURE_START naming startDateTime, unless timeEntries.allowFutureStart', () => {
    const refused = planTimeEntry({ entry: { ...entry, ...ahead }, ticket, resource: { id: 7, isActive: true }, policy: defaults, now });
    expect(refused).toMatchObject({ ok: false, code: 'FUTURE_START', reason: expect.stringContaining('startDateTime') as unknown });
    const allowed = planTimeEntry({ entry: { ...entry, ...ahead }, ticket, resource: { id: 7, isActive: true },
      policy: { ...defaults, allowFutureStart: true }, now });
    expect(allowed.ok).toBe(true);
    const skew = planTimeEntry({ entry: { ...entry, startDateTime: '2026-03-02T09:04:00.000Z', endDateTime: '2026-03-02T09:30:00.000Z' },
      ticket, resource: { id: 7, isActive: true }, policy: defaults, now });
    expect(skew.ok).toBe(true);
  });
});
