/**
 * Issue 14 item 10, end to end (real worker, real Redis, sandbox): a stopwatch whose push Autotask refused is not
 * stranded. It is listed by `GET /api/stopwatches?state=refused`, corrected through the API and retried, and ends
 * as exactly one time entry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;
// A role the resource does not hold: Autotask refuses a time entry whose roleID is not among the resource's roles.
const heldRoles = DEMO_FACTS.technicians.find((t) => t.resourceId === assigned.resourceId)!.roleIds;
const wrongRole = DEMO_FACTS.technicians.flatMap((t) => t.roleIds).find((r) => !heldRoles.includes(r))!;

describe('a refused stopwatch (issue 14 item 10)', { timeout: 240_000 }, () => {
  it('is listed, corrected (role), retried and becomes one time entry', async () => {
    // The product's clock, moved by the test: the stopwatch runs 30 minutes without the test waiting.
    let clock = Date.parse('2026-11-23T09:00:00.000Z');
    p = await startProduct({ now: () => new Date(clock) });
    const product = p;
    const started = await product.api('POST', '/api/stopwatches', { ticketId: assigned.ticketId, resourceId: assigned.resourceId,
      roleId: wrongRole, summaryNotes: 'refused then fixed' });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    clock += 30 * 60_000;
    expect((await product.api('POST', `/api/stopwatches/${id}/stop`, {})).status).toBe(200);

    // Autotask refuses the role (not one of the resource's roles): the stopwatch is listed as refused.
    const refused = await eventually(async () => {
      const res = await product.api('GET', `/api/stopwatches?state=refused&resourceId=${assigned.resourceId}&ticketId=${assigned.ticketId}`);
      return res.body.stopwatches.find((s: { id: string }) => s.id === id);
    }, 90_000, 'the stopwatch to be refused');
    expect(refused.pushError).toMatch(/does not have role/);
    expect((await product.api('GET', '/api/stopwatches?state=bogus')).status).toBe(400);

    const corrected = await product.api('PATCH', `/api/stopwatches/${id}`, { roleId: assigned.roleId });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ roleId: assigned.roleId, pushError: null });
    const retry = await product.api('POST', `/api/stopwatches/${id}/retry`);
    expect(retry.status).toBe(202);

    const pushed = await eventually(async () => {
      const sw = (await product.api('GET', `/api/stopwatches/${id}`)).body;
      return sw.timeEntryId ? sw : undefined;
    }, 90_000, 'the stopwatch to be pushed');
    const entries = product.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'refused then fixed');
    expect(entries.map((t) => t.id)).toEqual([pushed.timeEntryId]);
    expect(entries[0]!.roleID).toBe(assigned.roleId);
    // Once it is an entry it cannot be corrected here any more.
    expect((await product.api('PATCH', `/api/stopwatches/${id}`, { summaryNotes: 'x' })).status).toBe(409);
  });
});
