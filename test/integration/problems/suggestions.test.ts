/**
 * Review before write (issue 15), end to end: the product's runtime (worker, HTTP routes, runtime commands) over a
 * sandbox tenant. In suggest mode detect-problems writes nothing and proposes its groups; approving one links its
 * tickets through the same exactly-once path (also when the approval's run is repeated, as after a crash);
 * rejecting one is remembered, and the same group is not proposed again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
let h: Harness | undefined;
afterEach(async () => { await p?.close(); await h?.close(); p = undefined; h = undefined; });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- job results are whatever JSON the job returned
async function runJob(name: string, data: Record<string, unknown> = {}): Promise<any> {
  const answer = await p!.api('POST', `/api/jobs/${name}`, { data });
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return waitForJob(String(answer.body.jobId));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function waitForJob(id: string): Promise<any> {
  const status = await eventually(async () => {
    const { body } = await p!.api('GET', `/api/jobs/${id}`);
    return body.state === 'completed' || body.state === 'failed' ? body : false;
  }, 60_000, `job ${id}`);
  expect(status.state, status.failedReason).toBe('completed');
  return status.result;
}

const problems = () => p!.sandbox.data.all('Tickets').filter((t) => t.ticketType === 3);
const linkPatches = () => p!.sandbox.stats().writes.Tickets?.PATCH ?? 0;

describe('problem suggestions', () => {
  it('suggest mode writes nothing; approve links once (a repeated run adds nothing); reject is remembered', async () => {
    p = await startProduct({ file: { detection: { mode: 'suggest' } } });
    await runJob('sync-tickets');
    const before = problems().length;

    const dry = await runJob('detect-problems', {});
    expect(dry.counts.writes).toBe(0);
    expect(problems().length).toBe(before);
    const listed = await p!.api('GET', '/api/problem-suggestions?status=open');
    expect(listed.status).toBe(200);
    const narcoleptic = listed.body.suggestions.find((s: { ticketIds: number[] }) => s.ticketIds.includes(DEMO_FACTS.narcolepticServer.ticketIds[0]!));
    expect(narcoleptic).toMatchObject({ status: 'open', confidence: expect.any(Number), reason: expect.any(String) });
    const other = listed.body.suggestions.find((s: { id: string }) => s.id !== narcoleptic.id);
    expect(other).toBeDefined();

    // Approve: the run it enqueued links the whole series under one new Problem.
    const approved = await p!.api('POST', `/api/problem-suggestions/${narcoleptic.id}/approve`);
    expect(approved.status).toBe(200);
    await waitForJob(String(approved.body.jobId));
    const made = problems().filter((t) => t.externalID === narcoleptic.groupKey);
    expect(made).toHaveLength(1);
    const linked = p!.sandbox.data.all('Tickets').filter((t) => t.problemTicketId === made[0]!.id).map((t) => t.id).sort((a, b) => a - b);
    expect(linked).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    const patches = linkPatches();

    // The approval's run again (a crash before it recorded the outcome), and a second approve: nothing more.
    await runJob('detect-problems', { suggestionId: narcoleptic.id });
    const again = await p!.api('POST', `/api/problem-suggestions/${narcoleptic.id}/approve`);
    expect(again.status).toBe(200);
    expect(again.body.suggestion.status).toBe('linked');
    expect(linkPatches()).toBe(patches);
    expect(problems().filter((t) => t.externalID === narcoleptic.groupKey)).toHaveLength(1);

    // Reject: remembered, idempotent, not proposed again, and never written.
    const rejected = await p!.api('POST', `/api/problem-suggestions/${other.id}/reject`);
    expect(rejected.body.suggestion.status).toBe('rejected');
    expect((await p!.api('POST', `/api/problem-suggestions/${other.id}/reject`)).status).toBe(200);
    expect((await p!.api('POST', `/api/problem-suggestions/${other.id}/approve`)).status).toBe(409);
    await runJob('sync-tickets');
    const later = await runJob('detect-problems', {});
    expect(later.suggestions.map((s: { id: string }) => s.id)).not.toContain(other.id);
    expect(later.counts.writes).toBe(0);
    for (const id of other.newLinks as number[]) expect(p!.sandbox.data.get('Tickets', id)!.problemTicketId ?? null).toBe(null);
    expect((await p!.api('POST', '/api/problem-suggestions/0123456789abcdef01234567/approve')).status).toBe(404);
  }, 120_000);

  it('a dry run lists both what it would link and what it would suggest, and stores neither', async () => {
    h = await startHarness({ file: { detection: { autoLinkConfidence: 0.99 } } });
    await h.run(syncTicketsJob);
    const result = await h.run(detectProblemsJob, {}, { dryRun: true });
    expect(result.suggestions).toEqual(expect.arrayContaining([expect.objectContaining({ id: expect.any(String), confidence: expect.any(Number) })]));
    expect(Array.isArray(result.groups)).toBe(true);
    expect(result.summary).toMatch(/suggested for review/);
    expect(await h.scope.problemSuggestions.list()).toEqual([]);
    expect(h.sandbox.stats().writes).toEqual({});
  });

  it('an approval whose run fails half-way is finished by the next run, each ticket linked once', async () => {
    h = await startHarness({ file: { detection: { mode: 'suggest' } } });
    await h.run(syncTicketsJob);
    const first = await h.run(detectProblemsJob);
    const series = (first.suggestions as Array<{ id: string; ticketIds: number[] }>)
      .find((s) => s.ticketIds.includes(DEMO_FACTS.narcolepticServer.ticketIds[0]!))!;
    await h.scope.problemSuggestions.approve(series.id);

    // Count every link that lands; after the third, Autotask fails every write until the "crash" is over.
    const landed = new Map<number, number>();
    let broken = false;
    const update = h.sandbox.data.update.bind(h.sandbox.data);
    h.sandbox.data.update = (entity, id, patch) => {
      if (entity === 'Tickets' && 'problemTicketId' in patch) {
        if (broken) throw new Error('simulated outage');
        landed.set(id, (landed.get(id) ?? 0) + 1);
        if (landed.size === 3) broken = true;
      }
      return update(entity, id, patch);
    };
    await expect(h.run(detectProblemsJob, { suggestionId: series.id })).rejects.toThrow();
    expect(landed.size).toBe(3);
    broken = false;
    const second = await h.run(detectProblemsJob, { suggestionId: series.id });
    await h.run(detectProblemsJob);
    expect([...landed.keys()].sort((a, b) => a - b)).toEqual([...DEMO_FACTS.narcolepticServer.ticketIds].sort((a, b) => a - b));
    expect([...landed.values()].every((n) => n === 1)).toBe(true);
    expect(second.counts.problemsCreated).toBe(0);
    expect((await h.scope.problemSuggestions.get(series.id))?.status).toBe('linked');
  });
});
