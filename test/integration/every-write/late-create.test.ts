/**
 * Issue 14 item 7, end to end (real worker, real Redis, sandbox over HTTP with the late-create fault): a create
 * that Autotask applies after our request gave up, and after the retry's first lookup, still ends as exactly one
 * time entry: the retry looks again (and waits) rather than creating, until the record appears.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;

describe('a create applied late (issue 14 item 7)', { timeout: 240_000 }, () => {
  it('one stop, one time entry: the retry path looks again instead of creating a second entry', async () => {
    // Look again every 20 ms; the window (default 6 min) does not pass during the test.
    p = await startProduct({ file: { autotask: { unknownOutcomeLookMs: 20 } } });
    const product = p;
    const entry = { key: 'late-1', ticketId: assigned.ticketId, resourceId: assigned.resourceId, roleId: null,
      startDateTime: '2026-11-20T09:00:00.000Z', endDateTime: '2026-11-20T10:00:00.000Z', workedSeconds: null,
      summaryNotes: 'late create', internalNotes: null };
    product.sandbox.holdCreates('TimeEntries', 1);
    const requests = (): number => product.sandbox.stats().endpoints.TimeEntries?.requests ?? 0;
    const { body } = await product.api('POST', '/api/jobs/push-time-entries', { data: { entries: [entry] } });
    const state = async (): Promise<{ state: string; result?: { outcomes: Array<{ status: string }> }; failedReason?: string }> =>
      (await product.api('GET', `/api/jobs/${body.jobId}`)).body;

    // Event-driven: the create was held (no answer) and the job has come back to look several times since, or
    // (the defect) it has finished by creating a second time.
    await eventually(async () => product.sandbox.heldCreates() === 1 && (requests() >= 8 || ['completed', 'failed'].includes((await state()).state)),
      90_000, 'the job to look again after the lost create');
    expect(product.sandbox.stats().writes.TimeEntries?.POST ?? 0).toBe(0);

    // Autotask finishes the first request now.
    const [lateId] = product.sandbox.applyHeldCreates();
    const done = await eventually(async () => { const s = await state(); return ['completed', 'failed'].includes(s.state) ? s : undefined; },
      90_000, 'push-time-entries to finish');
    expect(done.failedReason).toBeUndefined();
    expect(done.result!.outcomes.map((o) => o.status)).toEqual(['found']);
    const made = product.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'late create');
    expect(made.map((t) => t.id)).toEqual([lateId]);
    expect(product.sandbox.stats().writes.TimeEntries?.POST).toBe(1);
  });
});

describe('a Problem create applied late (issue 14 item 7)', { timeout: 240_000 }, () => {
  it('detect-problems looks again and waits instead of creating a second Problem', async () => {
    p = await startProduct({ file: { autotask: { unknownOutcomeLookMs: 20 } } });
    const product = p;
    const settle = async (name: string, data: Record<string, unknown> = {}): Promise<{ state: string; result?: { counts: Record<string, number> }; failedReason?: string }> => {
      const { body } = await product.api('POST', `/api/jobs/${name}`, { data });
      return eventually(async () => {
        const job = (await product.api('GET', `/api/jobs/${body.jobId}`)).body;
        return ['completed', 'failed'].includes(job.state) ? job : undefined;
      }, 90_000, `${name} to settle`);
    };
    expect((await settle('sync-tickets')).state).toBe('completed');
    const problemPosts = (): number => product.sandbox.stats().writes.Tickets?.POST ?? 0;
    product.sandbox.holdCreates('Tickets', 1);

    const first = await settle('detect-problems');
    expect(first.failedReason).toBeUndefined();
    expect(product.sandbox.heldCreates()).toBe(1);
    expect(first.result!.counts.waiting).toBe(1);
    const madeFirst = problemPosts();
    // Run again while Autotask is still working on the first request: it looks, it does not create.
    const second = await settle('detect-problems');
    expect(second.result!.counts.waiting).toBe(1);
    expect(problemPosts()).toBe(madeFirst);

    const [lateId] = product.sandbox.applyHeldCreates();
    const key = product.sandbox.data.get('Tickets', lateId!)!.externalID;
    const third = await settle('detect-problems');
    expect(third.result!.counts.waiting).toBe(0);
    expect(product.sandbox.data.all('Tickets').filter((t) => t.externalID === key).map((t) => t.id)).toEqual([lateId]);
    // Its incidents are linked to the one Problem.
    expect(product.sandbox.data.all('Tickets').some((t) => t.problemTicketId === lateId)).toBe(true);
  });
});
