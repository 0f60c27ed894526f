import { describe, expect, it } from 'vitest';
import { entryFingerprint, timeEntriesJobDataSchema, timeEntryInputSchema } from '../../../../src/rules/time-entry-input.js';

const valid = { key: 'sw-1', ticketId: 100, resourceId: 7, startDateTime: '2026-03-02T09:00:00', endDateTime: '2026-03-02T10:00:00.000Z' };

describe('time entry input (docs/contract.md#time-entry-input)', () => {
  it('applies the documented nulls and normalises instants to UTC', () => {
    expect(timeEntryInputSchema.parse({ ...valid, startDateTime: '2026-03-02T11:00:00+02:00' })).toEqual({
      ...valid, startDateTime: '2026-03-02T09:00:00.000Z', roleId: null, workedSeconds: null, summaryNotes: '', internalNotes: null,
    });
  });

  it.each([
    [{ ...valid, ticketId: 0 }, 'ticketId'],
    [{ ...valid, resourceId: '7' }, 'resourceId'],
    [{ ...valid, startDateTime: 'monday' }, 'startDateTime'],
    [{ ...valid, endDateTime: '2026-02-30' }, 'endDateTime'],
    [{ ...valid, workedSeconds: -1 }, 'workedSeconds'],
    [{ ...valid, key: '  ' }, 'key'],
    [{ ...valid, hours: 2 }, 'hours'],
  ])('names the bad field %#', (input, field) => {
    const result = timeEntryInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });

  it('needs at least one entry per job', () => {
    expect(timeEntriesJobDataSchema.safeParse({ entries: [] }).success).toBe(false);
    expect(timeEntriesJobDataSchema.parse({ entries: [valid] }).entries).toHaveLength(1);
  });

  it('fingerprints content, not formatting', () => {
    const a = timeEntryInputSchema.parse(valid);
    expect(entryFingerprint({ ...a, startDateTime: '2026-03-02T11:00:00+02:00' })).toBe(entryFingerprint(a));
    expect(entryFingerprint({ ...a, key: 'other' })).toBe(entryFingerprint(a));
    expect(entryFingerprint({ ...a, workedSeconds: 60 })).not.toBe(entryFingerprint(a));
  });
});
