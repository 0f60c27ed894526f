/**
 * detect-problems respects what people decided (issue 15): a completed instance is linked without its status or
 * dates changing, a person's unlink is never undone (nor a note added again), and a completed Problem is never
 * joined again — also when our stored copy does not know yet that it was completed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const problems = (harness: Harness) => harness.sandbox.data.all('Tickets').filter((t) => t.ticketType === 3);
const linkedTo = (harness: Harness, id: number) => harness.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === id).map((t) => t.id);
const notePosts = (harness: Harness) => harness.sandbox.requestLog.filter((r) => r.method === 'POST' && /\/Notes/i.test(r.path));

describe('detect-problems and what people decided', () => {
  it('links a completed instance touching only problemTicketId and ticketType', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    const completed = DEMO_FACTS.narcolepticServer.ticketIds.map((id) => h.sandbox.data.get('Tickets', id)!).filter((t) => t.status === 5);
    expect(completed.length).toBeGreaterThan(0);
    const before = new Map(completed.map((t) => [t.id, { ...t }]));
    const result = await h.run(detectProblemsJob);
    for (const w of result.writes ?? []) {
      if (w.method === 'PATCH') expect(Object.keys(w.body).every((k) => ['id', 'problemTicketId', 'ticketType'].includes(k))).toBe(true);
    }
    for (const t of completed) {
      const now = h.sandbox.data.get('Tickets', t.id)!;
      expect(now.problemTicketId).not.toBeNull();
      expect({ status: now.status, completedDate: now.completedDate, createDate: now.createDate }).toEqual({
        status: before.get(t.id)!.status, completedDate: before.get(t.id)!.completedDate, createDate: before.get(t.id)!.createDate });
    }
  });

  it("never undoes a person's unlink and adds no second note", async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    await h.run(detectProblemsJob);
    const problem = problems(h).at(-1)!;
    const unlinked = DEMO_FACTS.narcolepticServer.ticketIds.at(-1)!;
    expect(h.sandbox.data.get('Tickets', unlinked)!.problemTicketId).toBe(problem.id);
    const notes = notePosts(h).length;
    h.sandbox.data.update('Tickets', unlinked, { problemTicketId: null });

    // Before a pull (the store still says linked) and after one (it says unlinked): nothing is written.
    const stale = await h.run(detectProblemsJob);
    await h.run(syncTicketsJob);
    const fresh = await h.run(detectProblemsJob);
    const again = await h.run(detectProblemsJob);
    expect(h.sandbox.data.get('Tickets', unlinked)!.problemTicketId).toBeNull();
    expect([stale.counts.writes, fresh.counts.writes, again.counts.writes]).toEqual([0, 0, 0]);
    expect(fresh.counts.unlinkedByPerson).toBe(1);
    expect(notePosts(h).length).toBe(notes);
  });

  it('never joins a completed Problem that carries the group key: a recurrence gets a new Problem naming it', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    const dry = await h.run(detectProblemsJob, {}, { dryRun: true });
    const series = dry.groups.find((g) => g.ticketIds.includes(DEMO_FACTS.narcolepticServer.ticketIds[0]!))!;
    // A person completed the Problem an earlier run made; our store never saw it.
    const closed = h.sandbox.data.insert('Tickets', { ticketType: 3, status: 5, title: 'Problem: SRV-DC01 offline',
      companyID: DEMO_FACTS.narcolepticServer.companyID, configurationItemID: DEMO_FACTS.narcolepticServer.configurationItemID,
      externalID: series.groupKey, priority: 2, queueID: null, createDate: '2026-01-01T00:00:00Z', completedDate: '2026-01-02T00:00:00Z' });
    const before = problems(h).length;
    const result = await h.run(detectProblemsJob);
    expect(linkedTo(h, closed.id)).toEqual([]);
    expect(problems(h).length).toBe(before + 1);
    const made = problems(h).at(-1)!;
    expect(made.externalID).not.toBe(series.groupKey);
    expect(String(made.description)).toContain(String(closed.ticketNumber ?? `#${closed.id}`));
    expect(linkedTo(h, made.id).sort((a, b) => a - b)).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    expect(result.counts.problemsCreated).toBe(1);

    // Once the pull knows both, a rerun writes nothing and makes no third Problem.
    await h.run(syncTicketsJob);
    const again = await h.run(detectProblemsJob);
    expect(again.counts.writes).toBe(0);
    expect(problems(h).length).toBe(before + 1);
  });

  it('refuses to join an open Problem that a person completed since our last read', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    await h.run(detectProblemsJob);
    await h.run(syncTicketsJob);
    const problemId = DEMO_FACTS.existingProblemId;
    h.sandbox.data.update('Tickets', problemId, { status: 5 });
    const fresh = h.sandbox.data.insert('Tickets', { ...h.sandbox.data.get('Tickets', DEMO_FACTS.backupJob.ticketIds[0]!)!,
      id: undefined, ticketNumber: undefined, problemTicketId: null, status: 1, completedDate: null, createDate: new Date().toISOString() });
    const result = await h.run(detectProblemsJob, { ticketId: fresh.id });
    expect(h.sandbox.data.get('Tickets', fresh.id)!.problemTicketId).toBeNull();
    expect(JSON.stringify(result.outcomes)).toContain('completed');
  });
});
