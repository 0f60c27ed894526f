import { afterEach, describe, expect, it } from 'vitest';
import { pushTimeEntriesJob } from '../../../jobs/push-time-entries.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const [assigned, other] = DEMO_FACTS.assignedOpenTickets as [typeof DEMO_FACTS.assignedOpenTickets[0], typeof DEMO_FACTS.assignedOpenTickets[0]];
const unassignedTicket = DEMO_FACTS.unassignedOpenTicketIds[0]!;
const withDefault = DEMO_FACTS.technicians.find((t) => t.active && t.resourceId !== assigned.resourceId)!;
const withoutDefault = DEMO_FACTS.technicians.find((t) => t.active && t.resourceId !== withDefault.resourceId)!;

let minute = 0;
function entry(key: string, ticketId: number, resourceId: number, extra: Record<string, unknown> = {}) {
  // Distinct starts, so the look-before-create never mistakes one entry for another.
  const start = new Date(Date.UTC(2026, 10, 20, 9, 0) + (minute += 61) * 60_000);
  return { key, ticketId, resourceId, roleId: null, startDateTime: start.toISOString(),
    endDateTime: new Date(start.getTime() + 3_600_000).toISOString(), workedSeconds: null, summaryNotes: `work ${key}`, internalNotes: null, ...extra };
}

const entriesOf = (harness: Harness, ticketId: number) => harness.sandbox.data.all('TimeEntries').filter((t) => t.ticketID === ticketId);

describe('push-time-entries against the sandbox', () => {
  it('resolves the role in all three ways and refuses bad entries alone, with reasons', async () => {
    h = await startHarness({ file: { timeEntries: { defaultRoles: { [String(withDefault.resourceId)]: withDefault.defaultRoleId } } } });
    // Real resources carry a defaultServiceDeskRoleID (used before defaultRoles); this one has none, so no role is found.
    h.sandbox.data.update('Resources', withoutDefault.resourceId, { defaultServiceDeskRoleID: null });
    h.sandbox.data.update('Resources', withDefault.resourceId, { defaultServiceDeskRoleID: null });
    const before = h.sandbox.data.count('TimeEntries');
    const result = await h.run(pushTimeEntriesJob, { entries: [
      entry('given', assigned.ticketId, assigned.resourceId, { roleId: assigned.roleId }),
      entry('assigned', other.ticketId, other.resourceId),
      entry('default', unassignedTicket, withDefault.resourceId),
      entry('no-role', unassignedTicket, withoutDefault.resourceId),
      entry('zero', assigned.ticketId, assigned.resourceId, { workedSeconds: 0 }),
      entry('backwards', assigned.ticketId, assigned.resourceId, { endDateTime: '2026-11-01T00:00:00.000Z' }),
      entry('inactive', DEMO_FACTS.ticketAssignedToInactive.ticketId, DEMO_FACTS.ticketAssignedToInactive.resourceId),
      // Autotask itself refuses this one (a role the resource does not have): an HTTP 500 validation error.
      entry('wrong-role', assigned.ticketId, assigned.resourceId, { roleId: [...withDefault.roleIds, ...withoutDefault.roleIds, ...DEMO_FACTS.technicians.flatMap((t) => t.roleIds)]
        .find((r) => !DEMO_FACTS.technicians.find((t) => t.resourceId === assigned.resourceId)!.roleIds.includes(r)) }),
    ] });
    const outcome = (key: string) => (result.outcomes as Array<{ key: string; status: string; code?: string; reason?: string }>).find((o) => o.key === key)!;
    expect(['given', 'assigned', 'default'].map((k) => outcome(k).status)).toEqual(['created', 'created', 'created']);
    expect(h.sandbox.data.count('TimeEntries')).toBe(before + 3);
    const roleOf = (ticketId: number, resourceId: number) => entriesOf(h, ticketId).find((t) => t.resourceID === resourceId && String(t.summaryNotes).startsWith('work'))?.roleID;
    expect(roleOf(assigned.ticketId, assigned.resourceId)).toBe(assigned.roleId);
    expect(roleOf(other.ticketId, other.resourceId)).toBe(other.roleId);
    expect(roleOf(unassignedTicket, withDefault.resourceId)).toBe(withDefault.defaultRoleId);
    expect(outcome('no-role')).toMatchObject({ status: 'refused', code: 'ROLE_MISSING' });
    expect(outcome('zero')).toMatchObject({ status: 'refused', code: 'ZERO_DURATION' });
    expect(outcome('backwards')).toMatchObject({ status: 'refused', code: 'END_BEFORE_START' });
    expect(outcome('inactive')).toMatchObject({ status: 'refused', code: 'RESOURCE_INACTIVE' });
    expect(outcome('wrong-role')).toMatchObject({ status: 'refused', code: 'AUTOTASK_VALIDATION' });
    expect(outcome('wrong-role').reason).toMatch(/does not have role/);
  });

  it('with every create answer lost, each key still ends with exactly one time entry, and a rerun adds none', async () => {
    h = await startHarness();
    const entries = [entry('lost-1', assigned.ticketId, assigned.resourceId), entry('lost-2', other.ticketId, other.resourceId),
      entry('lost-3', assigned.ticketId, assigned.resourceId)];
    h.sandbox.setFaults({ lostResponseRate: 1 });
    const first = await h.run(pushTimeEntriesJob, { entries });
    expect((first.outcomes as Array<{ status: string }>).map((o) => o.status)).toEqual(['found', 'found', 'found']);
    h.sandbox.setFaults({ lostResponseRate: 0 });
    const again = await h.run(pushTimeEntriesJob, { entries });
    expect((again.outcomes as Array<{ status: string }>).map((o) => o.status)).toEqual(['already-pushed', 'already-pushed', 'already-pushed']);
    for (const e of entries) {
      const matching = h.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === e.summaryNotes);
      expect(matching, e.key).toHaveLength(1);
    }
    expect(h.sandbox.stats().writes.TimeEntries?.POST).toBe(3);
  });

  it('a dry run lists the entries it would create and sends none', async () => {
    h = await startHarness();
    const result = await h.run(pushTimeEntriesJob, { entries: [entry('dry', assigned.ticketId, assigned.resourceId)] }, { dryRun: true });
    expect(result.writes).toEqual([expect.objectContaining({ method: 'POST', entity: 'TimeEntries',
      body: expect.objectContaining({ ticketID: assigned.ticketId, roleID: assigned.roleId, hoursWorked: 1 }) })]);
    expect(h.sandbox.stats().writes).toEqual({});
  });
});
