import { afterEach, describe, expect, it } from 'vitest';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const problems = (harness: Harness) => harness.sandbox.data.all('Tickets').filter((t) => t.ticketType === 3);
const writes = (harness: Harness) => harness.sandbox.requestLog.filter((r) => r.method === 'POST' && !r.path.includes('/query') || r.method === 'PATCH');

describe('detect-problems against the demo tenant', () => {
  it('makes one Problem for the narcoleptic server, adds the new backup failure to the existing Problem, links nothing else', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    const before = problems(h).map((t) => t.id);
    const result = await h.run(detectProblemsJob);
    const created = problems(h).filter((t) => !before.includes(t.id));
    expect(created).toHaveLength(1);
    const problem = created[0]!;
    expect(problem).toMatchObject({ companyID: DEMO_FACTS.narcolepticServer.companyID,
      configurationItemID: DEMO_FACTS.narcolepticServer.configurationItemID, externalID: expect.any(String) });
    const linkedTo = (id: number) => h.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === id).map((t) => t.id).sort((a, b) => a - b);
    // The whole series is linked by default, completed instances too (detection.linkCompleted, issue 15).
    expect(linkedTo(problem.id)).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    expect(String(problem.description)).toContain(String(h.sandbox.data.get('Tickets', DEMO_FACTS.narcolepticServer.ticketIds[0]!)?.ticketNumber));
    expect(linkedTo(DEMO_FACTS.existingProblemId)).toEqual(expect.arrayContaining([...DEMO_FACTS.backupJob.ticketIds]));
    for (const id of [...DEMO_FACTS.narcolepticServer.decoyTicketIds, ...DEMO_FACTS.monitoringNoiseTicketIds]) {
      expect(h.sandbox.data.get('Tickets', id)?.problemTicketId, `ticket ${id}`).toBeNull();
    }
    expect(result.counts.problemsCreated).toBe(1);

    // A rerun writes nothing, even before a new pull refreshes the store.
    h.sandbox.resetStats();
    const mark = h.sandbox.requestLog.length;
    const again = await h.run(detectProblemsJob);
    expect(again.counts.writes).toBe(0);
    expect(writes(h).filter((r) => r.seq > (h.sandbox.requestLog[mark - 1]?.seq ?? 0))).toEqual([]);
  });

  it('with linkCompleted off only the open repeats are linked', async () => {
    h = await startHarness({ file: { detection: { linkCompleted: false } } });
    await h.run(syncTicketsJob);
    await h.run(detectProblemsJob);
    const problem = problems(h).at(-1)!;
    const open = DEMO_FACTS.narcolepticServer.ticketIds.filter((id) => h.sandbox.data.get('Tickets', id)?.status !== 5);
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(DEMO_FACTS.narcolepticServer.ticketIds.length);
    expect(h.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === problem.id).map((t) => t.id).sort((a, b) => a - b))
      .toEqual([...open].sort((a, b) => a - b));
  });

  it('with linkCompleted every repeat is linked, and a lost answer on the Problem create does not make a second Problem', async () => {
    h = await startHarness({ file: { detection: { linkCompleted: true } } });
    await h.run(syncTicketsJob);
    const before = problems(h).length;
    h.sandbox.setFaults({ lostResponseRate: 1 });
    await expect(h.run(detectProblemsJob)).rejects.toThrow();
    h.sandbox.setFaults({ lostResponseRate: 0 });
    // The create happened although its answer was lost; the retry finds it by externalID.
    await h.run(detectProblemsJob);
    await h.run(detectProblemsJob);
    expect(problems(h).length).toBe(before + 1);
    const problem = problems(h).at(-1)!;
    expect(h.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === problem.id).length)
      .toBe(DEMO_FACTS.narcolepticServer.ticketIds.length);
  });

  it('a dry run lists the writes and sends none', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    const result = await h.run(detectProblemsJob, {}, { dryRun: true });
    expect(result.writes?.some((w) => w.method === 'POST' && w.entity === 'Tickets')).toBe(true);
    expect(result.writes?.filter((w) => w.method === 'PATCH').length).toBeGreaterThanOrEqual(2);
    expect(h.sandbox.stats().writes).toEqual({});
  });
});
