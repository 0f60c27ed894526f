/**
 * Issue 14 item 8: two pieces of work that start in the same second are not one entry. An entry of the same
 * ticket, resource and start but other hours, role or notes is a conflict: reported, nothing created.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pushTimeEntriesJob } from '../../../jobs/push-time-entries.js';
import { sameWork } from '../../../src/rules/time-entry.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;
const entry = (key: string, notes: string) => ({ key, ticketId: assigned.ticketId, resourceId: assigned.resourceId, roleId: null,
  startDateTime: '2026-11-21T09:00:00.000Z', endDateTime: '2026-11-21T10:00:00.000Z', workedSeconds: null, summaryNotes: notes, internalNotes: null });

describe('sameWork', () => {
  const body = { hoursWorked: 1, roleID: 5, summaryNotes: 'Fixed the printer' };
  it('is the same work only with the same hours, role and notes', () => {
    expect(sameWork({ hoursWorked: 1, roleID: 5, summaryNotes: 'Fixed the printer\r\n' }, body).same).toBe(true);
    expect(sameWork({ hoursWorked: 1.5, roleID: 5, summaryNotes: 'Fixed the printer' }, body).differences).toEqual(['hoursWorked 1.5 ≠ 1']);
    expect(sameWork({ hoursWorked: 1, roleID: 6, summaryNotes: 'Fixed the printer' }, body).same).toBe(false);
    expect(sameWork({ hoursWorked: 1, roleID: 5, summaryNotes: 'Reset a password' }, body).differences).toEqual(['summaryNotes differ']);
  });
});

describe('push-time-entries with an entry of the same start', () => {
  it('a second piece of work starting in the same second is refused as a conflict, not absorbed; the same work is found', async () => {
    h = await startHarness();
    const first = await h.run(pushTimeEntriesJob, { entries: [entry('work-a', 'Fixed the printer')] });
    expect((first.outcomes as Array<{ status: string }>).map((o) => o.status)).toEqual(['created']);
    const before = h.sandbox.data.count('TimeEntries');

    const second = await h.run(pushTimeEntriesJob, { entries: [entry('work-b', 'Reset a password'), entry('work-a-again', 'Fixed the printer')] });
    const outcomes = second.outcomes as Array<{ key: string; status: string; code?: string; reason?: string }>;
    expect(outcomes.find((o) => o.key === 'work-b')).toMatchObject({ status: 'refused', code: 'TIME_ENTRY_CONFLICT' });
    expect(outcomes.find((o) => o.key === 'work-b')!.reason).toMatch(/summaryNotes differ/);
    expect(outcomes.find((o) => o.key === 'work-a-again')!.status).toBe('found');
    expect(h.sandbox.data.count('TimeEntries')).toBe(before);
  });
});
