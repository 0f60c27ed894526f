/**
 * Issue 16 items 4 and 8 against the sandbox modelling the real rules (docs/autotask-samples.md, "TimeEntries"):
 * Proxy Time Entry, spanning midnight, and a role checked against the resource's own service-desk roles.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pushTimeEntriesJob } from '../../../jobs/push-time-entries.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;
const tech = DEMO_FACTS.technicians.find((t) => t.resourceId === assigned.resourceId)!;
type Outcome = { key: string; status: string; code?: string; reason?: string; timeEntryId?: number };

function entry(key: string, start: string, end: string, extra: Record<string, unknown> = {}) {
  return { key, ticketId: assigned.ticketId, resourceId: assigned.resourceId, roleId: null, startDateTime: start,
    endDateTime: end, workedSeconds: null, summaryNotes: `work ${key}`, internalNotes: null, ...extra };
}

async function push(entries: ReturnType<typeof entry>[]): Promise<Outcome[]> {
  return (await h.run(pushTimeEntriesJob, { entries })).outcomes as Outcome[];
}

describe('Proxy Time Entry', () => {
  it('a tenant without it accepts entries made as their own resource (the default), one create per entry', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { proxyTimeEntry: false } } });
    const [created] = await push([entry('proxy-1', '2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z')]);
    expect(created).toMatchObject({ status: 'created' });
    const stored = h.sandbox.data.get('TimeEntries', created!.timeEntryId!);
    expect(stored?.creatorUserID).toBe(assigned.resourceId);
    const writes = h.sandbox.requestLog.filter((r) => r.entity === 'TimeEntries' && r.method === 'POST' && !r.path.includes('query'));
    expect(writes).toHaveLength(1);
  });

  it('made as the API user, the refusal names the setting to change', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { proxyTimeEntry: false } }, file: { timeEntries: { proxy: 'as-api-user' } } });
    const [refused] = await push([entry('proxy-2', '2026-11-20T11:00:00.000Z', '2026-11-20T12:00:00.000Z')]);
    expect(refused).toMatchObject({ status: 'refused', code: 'AUTOTASK_PERMISSION' });
    expect(refused?.reason).toMatch(/adequate permissions.*Proxy Time Entry.*timeEntries\.proxy/);
  });
});

describe('impersonation not allowed by the tenant', () => {
  it('the default mode\'s refusal names both impersonation settings and the other mode, and nothing is created', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { impersonation: false } } });
    const before = h.sandbox.data.count('TimeEntries');
    const [refused] = await push([entry('imp-1', '2026-11-20T13:00:00.000Z', '2026-11-20T14:00:00.000Z')]);
    expect(refused).toMatchObject({ status: 'refused', code: 'AUTOTASK_PERMISSION' });
    expect(refused?.reason).toMatch(/adequate permissions.*Allow impersonation of resources with this security level.*Resource Impersonation.*timeEntries\.proxy to "as-api-user".*Proxy Time Entry/);
    expect(h.sandbox.data.count('TimeEntries')).toBe(before);
  });

  it('as-api-user still works there when Proxy Time Entry is on', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { impersonation: false } }, file: { timeEntries: { proxy: 'as-api-user' } } });
    const [created] = await push([entry('imp-2', '2026-11-20T15:00:00.000Z', '2026-11-20T16:00:00.000Z')]);
    expect(created).toMatchObject({ status: 'created' });
  });
});

describe('a tenant that stores time entries without their seconds', () => {
  it('a create whose answer was lost is found again by its truncated start, and no second entry is made', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { truncateSeconds: true } } });
    h.sandbox.setFaults({ lostResponseRate: 1 });
    const e = entry('trunc-1', '2026-11-23T09:07:13.000Z', '2026-11-23T10:07:13.000Z');
    const [first] = await push([e]);
    expect(first).toMatchObject({ status: 'found' });
    const stored = h.sandbox.data.get('TimeEntries', first!.timeEntryId!);
    expect(stored?.startDateTime).toBe('2026-11-23T09:07:00.000Z');
    h.sandbox.setFaults({ lostResponseRate: 0 });
    expect((await push([e]))[0]).toMatchObject({ status: 'already-pushed', timeEntryId: first!.timeEntryId });
    expect(h.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'work trunc-1')).toHaveLength(1);
    expect(h.sandbox.stats().writes.TimeEntries?.POST).toBe(1);
  });
});

describe('entries across midnight', () => {
  it('are refused before any write by default, naming the tenant setting', async () => {
    h = await startHarness({ sandbox: { tenantSettings: { midnightSpan: false } } });
    const before = h.sandbox.data.count('TimeEntries');
    const [refused] = await push([entry('night-1', '2026-11-20T23:30:00.000Z', '2026-11-21T00:30:00.000Z')]);
    expect(refused).toMatchObject({ status: 'refused', code: 'SPANS_MIDNIGHT' });
    expect(refused?.reason).toMatch(/Allow time entries to span over midnight/);
    expect(h.sandbox.data.count('TimeEntries')).toBe(before);
  });

  it('are sent as one entry when configured to, and the tenant that allows it takes them', async () => {
    h = await startHarness({ file: { timeEntries: { midnight: 'allow' } } });
    const [created] = await push([entry('night-2', '2026-11-20T23:30:00.000Z', '2026-11-21T00:30:00.000Z')]);
    expect(created).toMatchObject({ status: 'created' });
  });
});

describe('role choice against the resource\'s service-desk roles', () => {
  it('books the assigned resource with another role of its own (Autotask does not force the ticket\'s role)', async () => {
    h = await startHarness();
    const otherRole = tech.roleIds.find((r) => r !== assigned.roleId)!;
    const [created] = await push([entry('role-1', '2026-11-22T09:07:13.000Z', '2026-11-22T10:07:13.000Z', { roleId: otherRole })]);
    expect(created).toMatchObject({ status: 'created' });
    expect(h.sandbox.data.get('TimeEntries', created!.timeEntryId!)?.roleID).toBe(otherRole);
  });

  it('uses the resource\'s defaultServiceDeskRoleID on a ticket assigned to someone else', async () => {
    h = await startHarness();
    const other = DEMO_FACTS.technicians.find((t) => t.active && t.resourceId !== assigned.resourceId)!;
    const [created] = await push([entry('role-2', '2026-11-22T11:13:29.000Z', '2026-11-22T12:13:29.000Z', { resourceId: other.resourceId })]);
    expect(created).toMatchObject({ status: 'created' });
    expect(h.sandbox.data.get('TimeEntries', created!.timeEntryId!)?.roleID).toBe(other.defaultRoleId);
  });
});
