import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
// A clock the test moves, so worked time is known exactly (the routes take "now" from the runtime).
let clock = Date.now();
const advance = (seconds: number): void => { clock += seconds * 1000; };
beforeAll(async () => { p = await startProduct({ now: () => new Date(clock) }); });
afterAll(async () => { await p?.close(); });

describe('stopwatch routes', () => {
  it('start → pause → resume → stop becomes exactly one Autotask time entry with the assigned role', async () => {
    const { ticketId, resourceId, roleId } = DEMO_FACTS.assignedOpenTickets[0]!;
    const before = p.sandbox.data.count('TimeEntries');
    const started = await p.api('POST', '/api/stopwatches', { ticketId, resourceId, summaryNotes: 'Replaced the failing disk' });
    expect(started.status).toBe(201);
    const id = started.body.id as string;

    const again = await p.api('POST', '/api/stopwatches', { ticketId, resourceId });
    expect(again).toMatchObject({ status: 409, body: { id } });

    advance(20 * 60);
    expect((await p.api('POST', `/api/stopwatches/${id}/pause`)).body.state).toBe('paused');
    expect((await p.api('POST', `/api/stopwatches/${id}/pause`)).status).toBe(409);
    advance(45 * 60); // lunch: not worked
    expect((await p.api('POST', `/api/stopwatches/${id}/resume`)).body.state).toBe('running');
    advance(25 * 60);
    const stopped = await p.api('POST', `/api/stopwatches/${id}/stop`, { internalNotes: 'disk from spare stock' });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ state: 'stopped', workedSeconds: 45 * 60 });
    expect(stopped.body.jobId).toEqual(expect.any(String));

    const pushed = await eventually(async () => {
      const view = await p.api('GET', `/api/stopwatches/${id}`);
      return view.body.timeEntryId ? view.body : undefined;
    }, 15_000, 'the time entry');
    const entry = p.sandbox.data.get('TimeEntries', pushed.timeEntryId);
    expect(entry).toMatchObject({ ticketID: ticketId, resourceID: resourceId, roleID: roleId, hoursWorked: 0.8, // 45 min rounded up to 6-minute steps (the timeEntries.rounding default)
      summaryNotes: 'Replaced the failing disk', internalNotes: 'disk from spare stock' });
    expect(p.sandbox.data.count('TimeEntries')).toBe(before + 1);
    // Stopping again changes nothing and pushes nothing.
    expect((await p.api('POST', `/api/stopwatches/${id}/stop`)).status).toBe(409);
  });

  it('refuses a missing ticket, an inactive resource and bad bodies with a clear 4xx naming the field', async () => {
    const missing = await p.api('POST', '/api/stopwatches', { ticketId: 987_654_321, resourceId: DEMO_FACTS.technicians[0]!.resourceId });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^ticketId: /);
    const inactive = await p.api('POST', '/api/stopwatches', { ticketId: DEMO_FACTS.assignedOpenTickets[1]!.ticketId, resourceId: DEMO_FACTS.inactiveResourceId });
    expect(inactive.status).toBe(422);
    expect(inactive.body.message).toMatch(/^resourceId: .*inactive/);
    const bad = await p.api('POST', '/api/stopwatches', { ticketId: 'twelve', resourceId: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/ticketId/);
    const extra = await p.api('POST', '/api/stopwatches', { ticketId: 1, resourceId: 1, billable: true });
    expect(extra.body.message).toMatch(/billable: not allowed/);
    expect((await p.api('GET', '/api/stopwatches/not-a-stopwatch')).status).toBe(404);
  });

  it('is behind ADMIN_TOKEN', async () => {
    const response = await fetch(`${p.url}/api/stopwatches/x`);
    expect(response.status).toBe(401);
  });
});
