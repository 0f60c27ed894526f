/**
 * Issue 14 item 10, end to end over the real HTTP route: a stopwatch the push could never turn into an entry is
 * refused at start (422, naming the field), not after an hour of work; notes are measured as Autotask measures
 * them (UTF-16 code units, so 5,000 emoji are 10,000 units).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;
const unassignedTicket = DEMO_FACTS.unassignedOpenTicketIds[0]!;
const someone = DEMO_FACTS.technicians.find((t) => t.active && t.resourceId !== assigned.resourceId)!;

describe('POST /api/stopwatches refuses what the push would refuse (issue 14 item 10)', () => {
  it('5,000 emoji of notes: 422 naming summaryNotes; stop with them: 422 too', async () => {
    p = await startProduct({ worker: false });
    const emoji = '😀'.repeat(5000);
    const start = await p.api('POST', '/api/stopwatches', { ticketId: assigned.ticketId, resourceId: assigned.resourceId, summaryNotes: emoji });
    expect(start.status).toBe(422);
    expect(start.body).toMatchObject({ error: 'NOTES_TOO_LONG' });
    expect(start.body.message).toMatch(/^summaryNotes: 10000 UTF-16 code units/);

    const ok = await p.api('POST', '/api/stopwatches', { ticketId: assigned.ticketId, resourceId: assigned.resourceId });
    expect(ok.status).toBe(201);
    const stop = await p.api('POST', `/api/stopwatches/${ok.body.id}/stop`, { summaryNotes: emoji });
    expect(stop.status).toBe(422);
    expect(stop.body.message).toMatch(/^summaryNotes: /);
  });

  it('a resource with no role the push can resolve: 422 naming roleId; with a roleId it starts', async () => {
    p = await startProduct({ worker: false });
    const refused = await p.api('POST', '/api/stopwatches', { ticketId: unassignedTicket, resourceId: someone.resourceId });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'ROLE_MISSING' });
    expect(refused.body.message).toMatch(/^roleId: no role for resource/);
    const started = await p.api('POST', '/api/stopwatches', { ticketId: unassignedTicket, resourceId: someone.resourceId, roleId: someone.roleIds[0] });
    expect(started.status).toBe(201);
  });
});
